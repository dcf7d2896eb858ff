#!/usr/bin/env bash
# Live migration on loopback: VMs of 64 MiB, 256 MiB and 1 GiB in use, each
# writing a 16 MiB working set all the while, migrate into a receiver
# (pre-copy). Reported per size, without and with a --migration-key, in one
# run: the VM's downtime (from its last instruction here to the moment the
# receiver, having committed, hands it to its scheduler: both hosts are
# this one, so their clocks agree), the sender's own view of the pause
# (until the receiver's DONE reaches it, a hop later), the rounds, the
# whole migration's time and its throughput (bytes sent over that time). Targets (issue 15): downtime at most 5 ms at
# every size, at least 1 GB/s. Draws downtime and total time against VM size
# into docs/migration-downtime.svg (pass --no-chart to leave it alone).
# The receiver backs the VM's memory before it listens
# (--migration-prealloc-mb, as a QEMU destination started with
# -mem-prealloc); PREALLOC=no measures without.
# Usage: [SIZES="64 256 1024"] [PREALLOC=no] scripts/bench-migration.sh [--no-chart] [MYVMM]
set -euo pipefail
cd "$(dirname "$0")/.."
chart=docs/migration-downtime.svg
if [ "${1:-}" = "--no-chart" ]; then chart=""; shift; fi
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
source scripts/lib/myvmm.sh
use_myvmm "${1:-}"
head -c 32 /dev/urandom > "$tmp/key"
port=$((20000 + RANDOM % 20000))
printf '%-9s %-6s %12s %11s %7s %11s %8s %12s\n' "in use" "key" "downtime ms" "to DONE ms" rounds "total ms" "GB/s" "bytes"
: > "$tmp/rows"
for mib in ${SIZES:-64 256 1024}; do
  cat > "$tmp/vm.s" <<ASM
        .text
main:
$(fill_heap "$mib")
        MIGRATE 127.0.0.1:PORT
        # 16 MiB written over and over while the rest travels
        li      \$s1, 0
pass:   li      \$t0, 0
        li      \$t1, 4194304
touch:  sll     \$t2, \$t0, 2
        addu    \$t2, \$t2, \$s0
        sw      \$s1, 0(\$t2)
        addiu   \$t0, \$t0, 1
        bne     \$t0, \$t1, touch
        addiu   \$s1, \$s1, 1
        blt     \$s1, 600, pass
        li      \$v0, 10
        syscall
ASM
  printf 'vm_binary = vm.s\nvm_memory_limit_mb = %d\n' $((mib + 64)) > "$tmp/vm.cfg"
  for keyed in no yes; do
    key=()
    [ "$keyed" = yes ] && key=(--migration-key "$tmp/key")
    sed -i "s/MIGRATE 127.0.0.1:[0-9A-Z]*/MIGRATE 127.0.0.1:$port/" "$tmp/vm.s"
    prealloc=()
    [ "${PREALLOC:-yes}" = yes ] && prealloc=(--migration-prealloc-mb $((mib + 64)))
    "$myvmm" --listen "$port" --exit-after 1 --max-migration-mb 2048 "${prealloc[@]}" --stats "${key[@]}" \
      > /dev/null 2> "$tmp/recv.err" &
    for _ in $(seq 200); do grep -q listening "$tmp/recv.err" 2>/dev/null && break; sleep 0.05; done
    "$myvmm" -v "$tmp/vm.cfg" --stats "${key[@]}" 2> "$tmp/send.err" > /dev/null
    wait
    line=$(grep "migrated out" "$tmp/send.err") || { cat "$tmp/send.err" "$tmp/recv.err"; exit 1; }
    # vm1: migrated out: B bytes in R rounds over T ms (G GB/s), paused P ms from S µs after the Unix epoch
    read -r bytes rounds total gbs pause since < <(echo "$line" |
      sed -E 's/.*: ([0-9]+) bytes in ([0-9]+) rounds? over ([0-9.]+) ms \(([0-9.]+) GB\/s\), paused ([0-9.]+) ms from ([0-9]+) .*/\1 \2 \3 \4 \5 \6/')
    # vmN: received B bytes in T ms (G GB/s), resumed here R µs after the Unix epoch
    resumed=$(sed -nE 's/.*resumed here ([0-9]+) .*/\1/p' "$tmp/recv.err")
    [ -n "$resumed" ] || { cat "$tmp/recv.err"; exit 1; }
    downtime=$(awk -v a="$since" -v b="$resumed" 'BEGIN { printf "%.3f", (b - a) / 1000 }')
    printf '%5s MiB %-6s %12s %11s %7s %11s %8s %12s\n' "$mib" "$keyed" "$downtime" "$pause" "$rounds" "$total" "$gbs" "$bytes"
    echo "$mib $keyed $downtime $total" >> "$tmp/rows"
    port=$((port + 1))
  done
done
[ -z "$chart" ] && exit 0
python3 - "$tmp/rows" "$chart" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
sizes = sorted({int(r[0]) for r in rows})
W, H, L, B, T, R = 640, 360, 70, 50, 30, 170
def xs(mib):
    return L + (W - L - R) * sizes.index(mib) / max(1, len(sizes) - 1)
series = [("downtime, no key", "no", 2, "#1f77b4", ""), ("downtime, key", "yes", 2, "#1f77b4", "6,3"),
          ("total, no key", "no", 3, "#d62728", ""), ("total, key", "yes", 3, "#d62728", "6,3")]
top = max(float(r[3]) for r in rows) * 1.1
def ys(ms):
    return H - B - (H - B - T) * ms / top
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{W/2}" y="18" text-anchor="middle">Live migration on loopback: 16 MiB working set written throughout</text>',
       f'<line x1="{L}" y1="{H-B}" x2="{W-R}" y2="{H-B}" stroke="black"/>',
       f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H-B}" stroke="black"/>',
       f'<text x="{(L+W-R)/2}" y="{H-12}" text-anchor="middle">guest memory in use (MiB)</text>',
       f'<text x="16" y="{(T+H-B)/2}" transform="rotate(-90 16 {(T+H-B)/2})" text-anchor="middle">milliseconds</text>']
for mib in sizes:
    out.append(f'<text x="{xs(mib)}" y="{H-B+16}" text-anchor="middle">{mib}</text>')
for k in range(6):
    v = top * k / 5
    out.append(f'<text x="{L-6}" y="{ys(v)+4}" text-anchor="end">{v:.0f}</text>')
    out.append(f'<line x1="{L}" y1="{ys(v)}" x2="{W-R}" y2="{ys(v)}" stroke="#ddd"/>')
for i, (name, keyed, col, colour, dash) in enumerate(series):
    pts = sorted((int(r[0]), float(r[col])) for r in rows if r[1] == keyed)
    path = " ".join(f"{xs(m):.1f},{ys(v):.1f}" for m, v in pts)
    out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
    for m, v in pts:
        out.append(f'<circle cx="{xs(m):.1f}" cy="{ys(v):.1f}" r="3" fill="{colour}"/>')
        if col == 2:
            out.append(f'<text x="{xs(m)+5:.1f}" y="{ys(v)-6:.1f}" fill="{colour}">{v:.1f}</text>')
    y = T + 10 + 18 * i
    out.append(f'<line x1="{W-R+10}" y1="{y}" x2="{W-R+40}" y2="{y}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
    out.append(f'<text x="{W-R+45}" y="{y+4}">{name}</text>')
out.append('</svg>')
open(sys.argv[2], "w").write("\n".join(out) + "\n")
print(f"chart: {sys.argv[2]}")
PY
