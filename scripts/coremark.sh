#!/usr/bin/env bash
# Builds EEMBC CoreMark as a static MIPS32 executable and runs it under
# qemu-mipsel and under myvmm's engines, in one run: checks every CRC line
# agrees and prints Iterations/Sec of each and their ratio.
#
#   scripts/coremark.sh [REALPROGS] [ENGINES]   (defaults: ../shared/realprogs, "jit")
#
# CoreMark sizes itself to run at least 10 s per side. Installs qemu-user and
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
qemu-mipsel "$tmp/coremark" > "$tmp/qemu.out"
grep -q "Correct operation validated" "$tmp/qemu.out" || { cat "$tmp/qemu.out"; exit 1; }
printf '%-8s %12s  %s\n' side "iter/s" "vs qemu"
printf '%-8s %12s\n' qemu "$(rate "$tmp/qemu.out")"
status=0
for engine in $engines; do
  "$root/target/release/myvmm" --engine "$engine" "$tmp/coremark" > "$tmp/$engine.out"
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
