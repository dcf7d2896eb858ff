#!/usr/bin/env bash
# Two myvmm builds side by side on the workloads of asm/workloads, in one
# run: each workload alternates between the builds RUNS times (default 5)
# and the best time of each is kept; prints old / new per workload (above 1:
# the new build is faster) and the geometric mean. ENGINE (default jit)
# chooses the engine. For before/after figures of a change, e.g. the cost
# of dirty-page tracking while no migration runs:
#   git worktree add /tmp/before COMMIT~1
#   (cd /tmp/before && cargo build --release)
#   scripts/compare-builds.sh /tmp/before/target/release/myvmm target/release/myvmm
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "$2")
RUNS=${RUNS:-5}
ENGINE=${ENGINE:-jit}
time_of() {
  local t0 t1
  t0=$(date +%s.%N)
  "$1" --engine "$ENGINE" "$2" > /dev/null
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)"
}
printf '%-12s %9s %9s %7s\n' workload old new old/new
ratios=()
for prog in asm/workloads/*.s; do
  name=$(basename "$prog" .s)
  best_old=""; best_new=""
  for _ in $(seq "$RUNS"); do
    t=$(time_of "$old" "$prog"); best_old=$(python3 -c "b='$best_old'; print($t if not b or $t < float(b) else b)")
    t=$(time_of "$new" "$prog"); best_new=$(python3 -c "b='$best_new'; print($t if not b or $t < float(b) else b)")
  done
  ratio=$(python3 -c "print(f'{$best_old / $best_new:.3f}')")
  ratios+=("$ratio")
  printf '%-12s %9.3f %9.3f %7s\n' "$name" "$best_old" "$best_new" "$ratio"
done
python3 -c "import math,sys; r=[float(x) for x in sys.argv[1:]]; print(f'geometric mean {math.exp(sum(map(math.log,r))/len(r)):.3f}')" "${ratios[@]}"
