#!/usr/bin/env bash
# Real C code bases no one here wrote, from crates on crates.io — zlib
# (libz-sys), bzip2 (bzip2-sys: its own command-line program) and SQLite
# (libsqlite3-sys' amalgamation) — built as static MIPS32 executables with
# small drivers (asm/cbases/) and run under qemu-mipsel and under myvmm's
# engines in one run: the output must be byte-identical.
#
#   scripts/c-codebases.sh [ENGINES]     (default: "jit interp")
#
# Installs qemu-user and gcc-mipsel-linux-gnu from Debian's packages when
# absent; fetches the crates' sources with cargo (nothing of them is kept).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
engines="${1:-jit interp}"
if ! command -v qemu-mipsel >/dev/null || ! command -v mipsel-linux-gnu-gcc >/dev/null; then
  apt-get update && apt-get install -y qemu-user gcc-mipsel-linux-gnu
fi
cargo build --release --manifest-path "$root/Cargo.toml" >/dev/null 2>&1
myvmm="$root/target/release/myvmm"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The crates' sources, through cargo's own download and cache.
mkdir -p "$tmp/fetch/src"
cat > "$tmp/fetch/Cargo.toml" <<'TOML'
[package]
name = "fetch-c-codebases"
version = "0.0.0"
edition = "2021"
[dependencies]
libz-sys = { version = "=1.1.33", default-features = false, features = ["static"] }
bzip2-sys = "=0.1.13"
libsqlite3-sys = { version = "=0.30.1", features = ["bundled"] }
TOML
echo 'fn main() {}' > "$tmp/fetch/src/main.rs"
cargo fetch --manifest-path "$tmp/fetch/Cargo.toml" >/dev/null 2>&1
dir_of() {
  cargo metadata --format-version 1 --manifest-path "$tmp/fetch/Cargo.toml" 2>/dev/null |
    python3 -c "import json, sys, os
m = json.load(sys.stdin)
print(next(os.path.dirname(p['manifest_path']) for p in m['packages'] if p['name'] == sys.argv[1]))" "$1"
}
zlib="$(dir_of libz-sys)/src/zlib"
bzip2="$(dir_of bzip2-sys)/bzip2-1.0.8"
sqlite="$(dir_of libsqlite3-sys)/sqlite3"
cc() { mipsel-linux-gnu-gcc -O2 -static -w "$@"; }
cc -DZ_HAVE_UNISTD_H -I"$zlib" -o "$tmp/zlib" "$root/asm/cbases/zlib_driver.c" \
  "$zlib"/{adler32,compress,crc32,deflate,gzclose,gzlib,gzread,gzwrite,infback,inffast,inflate,inftrees,trees,uncompr,zutil}.c
cc -D_FILE_OFFSET_BITS=64 -o "$tmp/bzip2" \
  "$bzip2"/{bzip2,blocksort,huffman,crctable,randtable,compress,decompress,bzlib}.c
cc -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_MATH_FUNCTIONS -I"$sqlite" \
  -o "$tmp/sqlite" "$root/asm/cbases/sqlite_driver.c" "$sqlite/sqlite3.c" -lm
# bzip2's input: 6 MB of text and code, the same every run.
cat "$sqlite/sqlite3.c" "$tmp/zlib" > "$tmp/all"
head -c 6000000 "$tmp/all" > "$tmp/input"
status=0
# check NAME ARGS... : runs the case under qemu and each engine in a fresh
# folder each, with $tmp/input as stdin, and compares stdout and status.
check() {
  local name="$1"; shift
  mkdir -p "$tmp/run/qemu-$name"
  local start=$(date +%s.%N)
  (cd "$tmp/run/qemu-$name" && qemu-mipsel "$@" < "$tmp/input" > out; echo $? > status)
  local qtime=$(echo "$(date +%s.%N) - $start" | awk '{print $1 - $3}')
  for engine in $engines; do
    mkdir -p "$tmp/run/$engine-$name"
    start=$(date +%s.%N)
    (cd "$tmp/run/$engine-$name" &&
      "$myvmm" --engine "$engine" --allow-files . "$1" -- "${@:2}" < "$tmp/input" > out 2> err; echo $? > status)
    local mtime=$(echo "$(date +%s.%N) - $start" | awk '{print $1 - $3}')
    if cmp -s "$tmp/run/qemu-$name/out" "$tmp/run/$engine-$name/out" &&
       cmp -s "$tmp/run/qemu-$name/status" "$tmp/run/$engine-$name/status" &&
       ! grep -q "not supported" "$tmp/run/$engine-$name/err"; then
      printf 'ok    %-22s %-6s %6.2f s (qemu-mipsel %5.2f s)\n' "$name" "$engine" "$mtime" "$qtime"
    else
      printf 'FAIL  %-22s %-6s\n' "$name" "$engine"; cat "$tmp/run/$engine-$name/err" >&2; status=1
    fi
  done
}
check zlib "$tmp/zlib"
check sqlite "$tmp/sqlite"
check bzip2-compress "$tmp/bzip2" -9 -c
cp "$tmp/run/qemu-bzip2-compress/out" "$tmp/input.bz2"
cp "$tmp/input" "$tmp/plain" && cp "$tmp/input.bz2" "$tmp/input"
check bzip2-decompress "$tmp/bzip2" -d -c
cmp -s "$tmp/run/qemu-bzip2-decompress/out" "$tmp/plain" || { echo "FAIL  bzip2 round trip"; status=1; }
exit $status
