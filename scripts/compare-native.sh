#!/usr/bin/env bash
# Runs every C workload in asm/workloads natively (the same C built with the
# host's gcc -O2) and under myvmm's JIT (its GCC -O2 MIPS assembly), checks
# they print the same, and reports time ratios (myvmm / native: how many
# times slower than native code) and their geometric mean. Each run is
# timed best of $RUNS (whole process).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
command -v gcc >/dev/null || { apt-get update && apt-get install -y gcc; }
cargo build --release --quiet
myvmm=target/release/myvmm

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The workloads' freestanding runtime, for the host: write(2) and a plain main.
mkdir -p "$tmp/gcc" "$tmp/workloads"
cat > "$tmp/gcc/rt.h" <<'C'
#ifndef RT_H
#define RT_H
#include <unistd.h>
static void put_bytes(const char *s, long n) { write(1, s, n); }
static void put_str(const char *s) { long n = 0; while (s[n]) n++; put_bytes(s, n); }
static void put_int(int value)
{
    char buf[12];
    int i = sizeof buf;
    unsigned u = value < 0 ? 0u - (unsigned)value : (unsigned)value;
    do { buf[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (value < 0) buf[--i] = '-';
    put_bytes(buf + i, (long)sizeof buf - i);
}
static void put_char(char c) { put_bytes(&c, 1); }
#define FP_MAIN(fn) int fn(void); int main(void) { return fn(); } int fn(void)
#endif
C

source scripts/lib/best.sh

printf '%-12s %10s %10s %8s\n' workload native myvmm ratio
ratios=()
status=0
for c in asm/workloads/*.c; do
  name=$(basename "$c" .c)
  cp "$c" "$tmp/workloads/"
  gcc -O2 -fno-builtin -o "$tmp/$name" "$tmp/workloads/$name.c" -lm
  out="$tmp/$name.native"; tn=$(best "$tmp/$name")
  out="$tmp/$name.myvmm"; tm=$(best "$myvmm" --engine jit -v "asm/workloads/$name.s")
  if ! cmp -s "$tmp/$name.native" "$tmp/$name.myvmm"; then
    echo "$name: outputs differ" >&2
    diff "$tmp/$name.native" "$tmp/$name.myvmm" >&2 || true
    status=1
  fi
  ratio=$(python3 -c "print(f'{$tm/$tn:.2f}')")
  ratios+=("$ratio")
  printf '%-12s %9.3fs %9.3fs %7sx\n' "$name" "$tn" "$tm" "$ratio"
done
python3 -c "
import math, sys
r = [float(x) for x in sys.argv[1:]]
print(f'geometric mean: {math.exp(sum(map(math.log, r)) / len(r)):.2f}x (myvmm time over native time; 1 is native speed)')
" "${ratios[@]}"
exit $status
