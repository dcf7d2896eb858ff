#!/usr/bin/env bash
# Regenerates tests/golden/gnu/: an instruction file covering the whole table
# and the words GNU as (mipsel, -march=mips32r2) encodes it to. The test
# `gnu_golden` checks myvmm's assembler reproduces every word.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mipsel-linux-gnu-as >/dev/null; then
  apt-get update && apt-get install -y binutils-mipsel-linux-gnu
fi
out=tests/golden/gnu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 scripts/gen-gnu-golden.py > "$out/encodings.s"
mipsel-linux-gnu-as -march=mips32r2 -mfp32 -mno-fix-loongson3-llsc "$out/encodings.s" -o "$tmp/e.o"
mipsel-linux-gnu-ld --section-start=.text=0x400000 --section-start=.MIPS.abiflags=0x300000 \
  -e main "$tmp/e.o" -o "$tmp/e.elf"
mipsel-linux-gnu-objdump -d -z --section=.text "$tmp/e.elf" |
  sed -nE 's/^ *[0-9a-f]+:\t([0-9a-f]{8}) .*/\1/p' > "$out/encodings.expected"
want=$(grep -c $'^\t[a-z]' "$out/encodings.s")
# The linker pads .text to 16 bytes with zero words: drop them.
if tail -n +"$((want + 1))" "$out/encodings.expected" | grep -qv '^00000000$'; then
  echo "GNU as emitted more words than instructions: it expanded something" >&2
  exit 1
fi
head -n "$want" "$out/encodings.expected" > "$tmp/words" && mv "$tmp/words" "$out/encodings.expected"
got=$(wc -l < "$out/encodings.expected")
if [ "$want" != "$got" ]; then
  echo "GNU as emitted $got words for $want instructions: it expanded something" >&2
  exit 1
fi
echo "wrote $got encodings to $out/encodings.expected"
