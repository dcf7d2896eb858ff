#!/usr/bin/env bash
# Runs every workload in asm/workloads under qemu-mipsel and under myvmm's
# JIT, checks they print the same, and reports time ratios (qemu / myvmm:
# above 1 means myvmm is faster) and their geometric mean.
#
# Installs qemu-user, binutils-mipsel-linux-gnu and gcc-mipsel-linux-gnu from
# Debian's packages when absent. GCC workloads are built for qemu from their
# C sources; hand-written ones with GNU as. Each run is timed best of $RUNS.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}

missing=""
command -v qemu-mipsel >/dev/null || missing="$missing qemu-user"
command -v mipsel-linux-gnu-as >/dev/null || missing="$missing binutils-mipsel-linux-gnu"
command -v mipsel-linux-gnu-gcc >/dev/null || missing="$missing gcc-mipsel-linux-gnu"
if [ -n "$missing" ]; then
  apt-get update && apt-get install -y $missing
fi
cargo build --release --quiet
myvmm=target/release/myvmm

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# qemu-mipsel starts at __start: call main, then exit with its result.
cat > "$tmp/start.s" <<'ASM'
        .text
        .globl __start
__start:
        jal     main
        move    $a0, $v0
        li      $v0, 4001
        syscall
ASM
mipsel-linux-gnu-as -march=mips32r2 "$tmp/start.s" -o "$tmp/start.o"

source scripts/lib/best.sh

printf '%-12s %10s %10s %8s\n' workload qemu myvmm ratio
ratios=()
status=0
for s in asm/workloads/*.s; do
  name=$(basename "$s" .s)
  c="asm/workloads/$name.c"
  if [ -f "$c" ]; then
    mipsel-linux-gnu-gcc -O2 -mno-abicalls -fno-pic -fno-delayed-branch -ffreestanding -fno-builtin -fno-math-errno \
      -nostdlib -static -c "$c" -o "$tmp/$name.o"
  else
    mipsel-linux-gnu-as -march=mips32r2 "$s" -o "$tmp/$name.o"
  fi
  mipsel-linux-gnu-ld -static -e __start "$tmp/start.o" "$tmp/$name.o" -o "$tmp/$name.elf" 2>/dev/null
  out="$tmp/$name.qemu"; tq=$(best qemu-mipsel "$tmp/$name.elf")
  out="$tmp/$name.myvmm"; tm=$(best "$myvmm" --engine jit -v "$s")
  if ! cmp -s "$tmp/$name.qemu" "$tmp/$name.myvmm"; then
    echo "$name: outputs differ" >&2
    diff "$tmp/$name.qemu" "$tmp/$name.myvmm" >&2 || true
    status=1
  fi
  ratio=$(python3 -c "print(f'{$tq/$tm:.2f}')")
  ratios+=("$ratio")
  printf '%-12s %9.3fs %9.3fs %7sx\n' "$name" "$tq" "$tm" "$ratio"
done
python3 -c "
import math, sys
r = [float(x) for x in sys.argv[1:]]
print(f'geometric mean: {math.exp(sum(map(math.log, r)) / len(r)):.2f}x (above 1: myvmm faster than qemu-mipsel)')
" "${ratios[@]}"
exit $status
