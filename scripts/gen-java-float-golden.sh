#!/usr/bin/env bash
# Regenerates tests/golden/java_float/{double,float}.txt: Java 17's
# Double.toString / Float.toString ("hex_bits string" lines) for fixed edge
# values and seeded random bit patterns. The test `java_float` checks that
# myvmm::vm::java_float reproduces every line; CI needs no Java.
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA:-java}
ver=$("$java" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java\.specification\.version = //p')
if [ "$ver" != 17 ]; then
  echo "need Java 17 (MARS 4.5's Double.toString; JDK 19 changed it), found $ver: set JAVA" >&2
  exit 1
fi
out=tests/golden/java_float
mkdir -p "$out"
for width in double float; do
  nice -n 19 "$java" scripts/JavaFloatGolden.java golden "$width" > "$out/$width.txt"
  echo "wrote $(wc -l < "$out/$width.txt") lines to $out/$width.txt"
done
