#!/usr/bin/env bash
# Builds EEMBC CoreMark as a static MIPS32 executable and runs it under
# qemu-mipsel and under myvmm's engines, in one run: checks every CRC line
# agrees and prints Iterations/Sec of each and their ratio.
#
#   scripts/coremark.sh [REALPROGS] [ENGINES]   (defaults: ../shared/realprogs, "jit")
#
# CoreMark sizes itself to run at least 10 s per side (a side whose run
# comes out shorter runs again with twice the iterations). Installs qemu-user and
# gcc-mipsel-linux-gnu from Debian's packages when absent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
realprogs="$(cd "${1:-$root/../shared/realprogs}" && pwd)"
engines="${2:-jit}"
src="$realprogs/coremark"
[ -f "$src/core_main.c" ] || { echo "no CoreMark sources in $src" >&2; exit 2; }
if ! command -v qemu-mipsel >/dev/null || ! command -v mipsel-linux-gnu-gcc >/dev/null; then
  apt-get update && apt-get install -y qemu-user gcc-mipsel-linux-gnu
fi
cargo build --release --manifest-path "$root/Cargo.toml" >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && mipsel-linux-gnu-gcc -O2 -static -Iposix -I. -DFLAGS_STR='"-O2"' -DPERFORMANCE_RUN=1 \
  core_list_join.c core_main.c core_matrix.c core_state.c core_util.c posix/core_portme.c \
  -o "$tmp/coremark")
rate() { sed -nE 's/^Iterations\/Sec *: *([0-9.]+).*/\1/p' "$1"; }
crcs() { grep -E '^(seedcrc|\[0\]crc)' "$1" | sed -E 's/ +/ /g'; }
# CoreMark sizes its run from a calibration of whole seconds: on a noisy
# host (or a JIT still warming up) the run it chose can end under its 10 s
# minimum, which it reports as an error. Then run it again, explicitly,
# with twice the iterations (the performance run's seeds, 0 0 0x66).
run() { # OUT COMMAND...
  local out=$1; shift
  "$@" > "$out" || true
  if grep -q "Must execute for at least 10 secs" "$out"; then
    local n; n=$(sed -nE 's/^Iterations *: *([0-9]+).*/\1/p' "$out")
    "$@" 0x0 0x0 0x66 $((2 * n)) > "$out" || true
  fi
}
run "$tmp/qemu.out" qemu-mipsel "$tmp/coremark"
grep -q "Correct operation validated" "$tmp/qemu.out" || { cat "$tmp/qemu.out"; exit 1; }
printf '%-8s %12s  %s\n' side "iter/s" "vs qemu"
printf '%-8s %12s\n' qemu "$(rate "$tmp/qemu.out")"
status=0
for engine in $engines; do
  run "$tmp/$engine.out" "$root/target/release/myvmm" --engine "$engine" "$tmp/coremark" --
  if ! grep -q "Correct operation validated" "$tmp/$engine.out"; then
    echo "$engine: CoreMark did not validate" >&2; cat "$tmp/$engine.out" >&2; status=1; continue
  fi
  # The CRCs of seed and the list/matrix/state kernels do not depend on the
  # iteration count; crcfinal does, so compare it only at equal counts.
  if ! diff <(crcs "$tmp/qemu.out" | grep -v crcfinal) <(crcs "$tmp/$engine.out" | grep -v crcfinal) >/dev/null; then
    echo "$engine: CRCs differ from qemu-mipsel's" >&2; status=1
  fi
  awk -v name="myvmm-$engine" -v a="$(rate "$tmp/$engine.out")" -v b="$(rate "$tmp/qemu.out")" \
    'BEGIN { printf "%-8s %12s  %.2fx\n", name, a, a / b }'
done
exit $status
