#!/usr/bin/env bash
# The full FP differential run against qemu-mipsel (docs/fp-differential.md):
#
#   scripts/fp-differential.sh COUNT [SEED]
#
# COUNT random FP programs (default 5000) from SEED (default 1, decimal or
# 0x hex), each run under qemu-mipsel and under myvmm's interpreter and JIT;
# registers, FCSR and memory must agree byte for byte. Prints the count,
# the time, programs/s and the disagreements; saves every disagreeing
# program (alone, and the first few minimized) under target/fp-diff-failures/.
# Exit status 0 only with no disagreement.
#
# Environment: FP_DIFF_MODE=plain (default) | fs (flush-to-zero set) |
# traps (exceptions enabled: only where each side dies is compared);
# FP_DIFF_JOBS (parallel programs, default cores + 1);
# FP_DIFF_NO_PARTIAL_RESERVED=1 leaves out the ctc1 values of finding F1.
#
# Installs qemu-user and gcc-mipsel-linux-gnu from Debian's packages when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-5000}
SEED=${2:-1}
MODE=${FP_DIFF_MODE:-plain}

missing=""
command -v qemu-mipsel >/dev/null || missing="$missing qemu-user"
command -v mipsel-linux-gnu-gcc >/dev/null || missing="$missing gcc-mipsel-linux-gnu"
if [ -n "$missing" ]; then
  apt-get update && apt-get install -y $missing
fi
rm -rf target/fp-diff-failures
nice cargo build --release --quiet
nice cargo test --release --quiet --test fp_differential --no-run 2>/dev/null
echo "fp-differential: $COUNT programs, seed $SEED, mode $MODE, $(qemu-mipsel --version | head -1)"
FP_DIFF_COUNT=$COUNT FP_DIFF_SEED=$SEED FP_DIFF_MODE=$MODE \
  nice cargo test --release --quiet --test fp_differential -- --ignored --exact full_run --nocapture
