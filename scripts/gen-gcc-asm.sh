#!/usr/bin/env bash
# Regenerates asm/gcc/*.s and asm/workloads/*.s from the C sources beside
# them with the flags the SPEC names. Installs the cross compiler from
# Debian's packages when absent.
set -euo pipefail
cd "$(dirname "$0")/../asm"
if ! command -v mipsel-linux-gnu-gcc >/dev/null; then
  apt-get update && apt-get install -y gcc-mipsel-linux-gnu
fi
for c in gcc/*.c workloads/*.c; do
  mipsel-linux-gnu-gcc -O2 -S -mno-abicalls -fno-pic -fno-delayed-branch \
    -ffreestanding -fno-builtin -fno-math-errno -o "${c%.c}.s" "$c"
  echo "asm/${c%.c}.s"
done
