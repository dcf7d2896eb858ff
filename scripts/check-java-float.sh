#!/usr/bin/env bash
# Compares myvmm::vm::java_float with Java 17's Double.toString and
# Float.toString on COUNT (default 1,000,000) seeded random bit patterns of
# each width, uniform over all patterns, and COUNT more of each width mixed
# towards the int/long fast paths and short decimals (see
# scripts/JavaFloatGolden.java). Prints the disagreements (first 20 of
# each run) and exits non-zero if there is any.
#
# With --all-floats, instead compares every float bit pattern in chunks
# FIRST..=LAST (default 0..=255, all 2^32; chunk = bits >> 24) by a hash of
# each chunk's strings, Java and Rust running side by side (about an hour of
# two cores for all of them).
#
#   scripts/check-java-float.sh [COUNT] [SEED]
#   scripts/check-java-float.sh --all-floats [FIRST LAST]
set -euo pipefail
cd "$(dirname "$0")/.."
java=${JAVA:-java}
ver=$("$java" -XshowSettings:properties -version 2>&1 | sed -nE 's/^ *java\.specification\.version = //p')
if [ "$ver" != 17 ]; then
  echo "need Java 17 (MARS 4.5's Double.toString; JDK 19 changed it), found $ver: set JAVA" >&2
  exit 1
fi
nice -n 19 cargo build --quiet --release --example java_float_check
check=${CARGO_TARGET_DIR:-target}/release/examples/java_float_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "${1:-}" = --all-floats ]; then
  first=${2:-0}
  last=${3:-255}
  nice -n 19 "$java" scripts/JavaFloatGolden.java hash float "$first" "$last" > "$tmp/java" &
  nice -n 19 "$check" hash-float "$first" "$last" > "$tmp/rust"
  wait $!
  if [ "$(wc -l < "$tmp/java")" != $((last - first + 1)) ]; then
    echo "Java hashed $(wc -l < "$tmp/java") chunks of $((last - first + 1))" >&2
    exit 1
  fi
  if ! diff "$tmp/java" "$tmp/rust" >&2; then
    echo "chunks differ (java <, rust >): list them with" \
      "'JavaFloatGolden.java format float' on the chunk's patterns" >&2
    exit 1
  fi
  echo "all float bit patterns of chunks $first..=$last ($(((last - first + 1) << 24)) values) agree"
  exit 0
fi

count=${1:-1000000}
seed=${2:-$(date +%s)}
total=0
for width in double float; do
  for kind in uniform mixed; do
    nice -n 19 "$java" scripts/JavaFloatGolden.java random "$width" "$kind" "$count" "$seed" > "$tmp/java"
    cut -d' ' -f1 "$tmp/java" | nice -n 19 "$check" "$width" > "$tmp/rust"
    lines=$(wc -l < "$tmp/java")
    if [ "$(wc -l < "$tmp/rust")" != "$lines" ] || [ "$lines" != "$count" ]; then
      echo "$width $kind: line counts differ (java $lines, rust $(wc -l < "$tmp/rust"), asked $count)" >&2
      exit 1
    fi
    n=$(awk 'NR == FNR { want[FNR] = $0; next }
             $0 != want[FNR] { if (++bad <= 20) print "  java: " want[FNR] "\n  rust: " $0 > "/dev/stderr" }
             END { print bad + 0 }' "$tmp/java" "$tmp/rust")
    echo "$width $kind: $lines values (seed $seed), $n disagreements"
    total=$((total + n))
  done
done
echo "total disagreements: $total"
[ "$total" -eq 0 ]
