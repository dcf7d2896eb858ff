#!/usr/bin/env bash
# Restore time: VMs with 16 MiB, 256 MiB and 1 GiB in use are snapshotted,
# then `myvmm -s FILE` is timed from its start to the VM's first output
# (best of RUNS, default 3; the file hot in the page cache). The target of
# copy-on-write restore: 1 GiB within 1.5x of 16 MiB. Given a second
# binary (an older myvmm, e.g. built from the commit before copy-on-write
# restore), its own snapshots are timed the same way, beside.
# Usage: scripts/bench-restore.sh [MYVMM] [OLD_MYVMM]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source scripts/lib/myvmm.sh
use_myvmm "${1:-}"
old=${2:-}
printf '%-9s %14s %16s' "in use" "snapshot bytes" "-s to output ms"
[ -n "$old" ] && printf ' %16s %16s' "old: bytes" "old: ms"
printf '\n'
first=""
# time_restore BINARY SNAPSHOT: best -s-to-first-output time in ms.
time_restore() {
  python3 - "$1" "$2" "$RUNS" <<'PY'
import subprocess, sys, time
myvmm, snap, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = None
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([myvmm, "-s", snap], stdout=subprocess.PIPE)
    line = p.stdout.readline()
    t = time.perf_counter() - t0
    p.wait()
    assert line == b"restored\n", line
    best = t if best is None else min(best, t)
print(f"{best * 1e3:.1f}")
PY
}
for mib in 16 256 1024; do
  cat > "$tmp/vm.s" <<ASM
        .data
go:     .asciiz "restored\n"
        .text
main:
$(fill_heap "$mib")
        SNAPSHOT vm.snap
        la      \$a0, go
        li      \$v0, 4
        syscall
ASM
  printf 'vm_binary = vm.s\nvm_memory_limit_mb = %d\n' $((mib + 64)) > "$tmp/vm.cfg"
  (cd "$tmp" && "$myvmm" -v vm.cfg > /dev/null)
  bytes=$(stat -c %s "$tmp/vm.snap")
  cat "$tmp/vm.snap" > /dev/null
  ms=$(time_restore "$myvmm" "$tmp/vm.snap")
  printf '%5s MiB %14s %16s' "$mib" "$bytes" "$ms"
  if [ -n "$old" ]; then
    rm -f "$tmp/vm.snap"
    (cd "$tmp" && "$old" -v vm.cfg > /dev/null)
    cat "$tmp/vm.snap" > /dev/null
    printf ' %16s %16s' "$(stat -c %s "$tmp/vm.snap")" "$(time_restore "$old" "$tmp/vm.snap")"
  fi
  printf '\n'
  rm -f "$tmp/vm.snap"
  [ -z "$first" ] && first=$ms
  last=$ms
done
python3 -c "print(f'1 GiB / 16 MiB: {$last / $first:.1f}x (target 1.5x)')"
