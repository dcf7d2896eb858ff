#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ through `cargo afl`
# (stable Rust: no nightly sanitizers needed). Usage:
#
#   scripts/fuzz.sh TARGET SECONDS     TARGET: asm | snapshot | differential |
#                                      migration | migration_frames
#
# Installs cargo-afl and builds its AFL++ runtime when absent, builds the
# instrumented target, fuzzes it on one core (niced) for SECONDS starting
# from fuzz/corpus/TARGET (or resuming fuzz/out/TARGET), then prints the
# figures AFL++ reports. Crashes and hangs land in fuzz/out/TARGET/default/
# {crashes,hangs}; each must become a regression input in fuzz/corpus/TARGET
# (replayed by `cargo test --test fuzz_corpus`). FUZZ_ARGS adds afl-fuzz
# options. See docs/limits-and-fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
case $target in
  asm | snapshot | differential | migration | migration_frames) ;;
  *) echo "unknown target '$target' (asm, snapshot, differential, migration, migration_frames)" >&2; exit 2 ;;
esac

if ! cargo afl --version >/dev/null 2>&1; then
  echo "installing cargo-afl…" >&2
  cargo install --locked cargo-afl
fi
# The AFL++ runtime for this rustc (built once per toolchain, needs a C
# compiler and make; cargo-afl says "already built" after that).
if ! built=$(cargo afl config --build 2>&1); then
  grep -q "already built" <<<"$built" || { echo "$built" >&2; exit 1; }
fi

cd fuzz
nice cargo afl build --release --bin "$target"
out=out/$target
mkdir -p "$out"
if [[ -f $out/default/fuzzer_stats ]]; then
  input=- # resume the previous campaign
else
  input=corpus/$target
  if [[ $target == asm ]]; then
    # The programs of asm/ are seeds too, read from where they live rather
    # than kept as copies in the corpus.
    input=$(mktemp -d)
    cp corpus/asm/* "$input"/
    find ../asm -name '*.s' | while read -r f; do
      cp "$f" "$input/$(echo "${f#../asm/}" | tr / _)"
    done
  fi
fi

# One core, shared politely: no CPU binding (other builds run beside it),
# no UI, and crashes counted even where core dumps are piped elsewhere.
export AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# Each execution of a VM target maps a 4 GiB guest space (untouched), so
# AFL's address-space limit is off; the targets bound their own memory.
nice cargo afl fuzz -i "$input" -o "$out" -V "$seconds" -m none -t 2000 \
  ${FUZZ_ARGS:-} "target/release/$target" >"$out/afl.log" 2>&1 || {
  tail -n 30 "$out/afl.log" >&2
  exit 1
}

stats=$out/default/fuzzer_stats
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
run_time=$(get run_time)
execs=$(get execs_done)
printf '%s: %s executions in %s s (%s/s on average; AFL++ last reported %s/s)\n' \
  "$target" "$execs" "$run_time" "$((execs / (run_time > 0 ? run_time : 1)))" "$(get execs_per_sec)"
printf '%s: %s of %s edges (%s of the map), %s inputs in the queue, %s crashes, %s hangs\n' \
  "$target" "$(get edges_found)" "$(get total_edges)" "$(get bitmap_cvg)" "$(get corpus_count)" \
  "$(get saved_crashes)" "$(get saved_hangs)"
