#!/usr/bin/env bash
# Migration downtime (pause to commit: from MIGRATE until the receiver has the
# VM) and throughput on loopback, for 1, 64 and 256 MiB of guest memory in use.
# Targets (issue 6): at most 5 ms downtime for a small VM, at least 1 GB/s for
# large ones. Each size migrates twice into one receiver: "cold" is a fresh
# receiver process, whose every page is touched for the first time (slow on
# virtual machines, where the host backs guest memory lazily); "warm" is the
# second migration, into memory the receiver has used before.
# Usage: scripts/bench-migration.sh [--key] [MYVMM]. With --key both sides get
# a random --migration-key (Noise NNpsk0 instead of NN: the same encryption,
# plus the key's proof in the handshake). MYVMM: a myvmm binary to measure
# instead of this checkout's (e.g. an older build, for before/after figures).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
key=()
if [ "${1:-}" = "--key" ]; then
  head -c 32 /dev/urandom > "$tmp/key"
  key=(--migration-key "$tmp/key")
  shift
fi
if [ -n "${1:-}" ]; then
  myvmm=$(realpath "$1")
else
  cargo build --release --quiet
  myvmm=$PWD/target/release/myvmm
fi
port=$((20000 + RANDOM % 20000))
printf '%8s %14s %14s %10s %14s %10s\n' "in use" "bytes" "cold downtime" "GB/s" "warm downtime" "GB/s"
for mib in 0 1 64 256; do
  cat > "$tmp/vm.s" <<ASM
        .text
main:   li      \$a0, $((mib << 20))
        li      \$v0, 9
        syscall
        move    \$s0, \$v0
        li      \$t0, 0
        li      \$t1, $((mib << 20))
fill:   bge     \$t0, \$t1, go
        addu    \$t2, \$s0, \$t0
        xor     \$t3, \$t0, 0x5a5a5a5a
        sw      \$t3, 0(\$t2)
        addiu   \$t0, \$t0, 4
        b       fill
go:     MIGRATE 127.0.0.1:$port
        li      \$v0, 10
        syscall
ASM
  "$myvmm" --listen "$port" --exit-after 2 "${key[@]}" > /dev/null 2> "$tmp/recv.err" &
  for _ in $(seq 50); do grep -q listening "$tmp/recv.err" 2>/dev/null && break; sleep 0.05; done
  row=""
  for round in cold warm; do
    "$myvmm" -v "$tmp/vm.s" --stats "${key[@]}" 2> "$tmp/send.err" > /dev/null
    line=$(grep "migrated out" "$tmp/send.err") || { cat "$tmp/send.err"; exit 1; }
    bytes=$(echo "$line" | sed -E 's/.*: ([0-9]+) bytes.*/\1/')
    ms=$(echo "$line" | sed -E 's/.*commit ([0-9.]+) ms.*/\1/')
    gbs=$(python3 -c "print(f'{$bytes / ($ms / 1e3) / 1e9:.2f}')")
    row="$row $(printf '%11s ms %10s' "$ms" "$gbs")"
    sleep 0.2
  done
  wait
  printf '%5s MiB %14s %s\n' "$mib" "$bytes" "$row"
  port=$((port + 1))
done
