#!/usr/bin/env bash
# Regenerates the expected output of MARS-dialect programs from MARS 4.5
# itself: every asm/**/NAME.s with a sibling NAME.mars marker file gets
# NAME.out from `java -jar Mars4_5.jar nc me NAME.s < NAME.stdin`.
# Usage: scripts/gen-mars-expected.sh [PATH/TO/Mars4_5.jar]
# (default ../shared/tools/Mars4_5.jar beside the checkout). Needs java 17.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-../shared/tools/Mars4_5.jar}"
[ -f "$jar" ] || { echo "MARS not found at $jar" >&2; exit 1; }
command -v java >/dev/null || { echo "java is required (apt-get install -y openjdk-17-jre-headless)" >&2; exit 1; }
find asm -name '*.mars' | sort | while read -r marker; do
    stem="${marker%.mars}"
    input=/dev/null
    [ -f "$stem.stdin" ] && input="$stem.stdin"
    java -jar "$jar" nc me "$stem.s" < "$input" > "$stem.out"
    echo "$stem.out"
done
