#!/usr/bin/env bash
# Many small VMs in one process (given with --vm-list): for each count,
# wall time, peak RSS and both per VM. A tiny VM runs a 2,000-instruction
# loop; a "1 MiB" VM also writes every page of a 1 MiB array.
#
#   scripts/many-vms.sh [COUNTS...]     (default: 1000 10000 100000)
#
# A count the host cannot hold is refused before anything runs (exit 2,
# with the limit named): the script prints that refusal.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
myvmm="$PWD/target/release/myvmm"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000 100000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/tiny.s" <<'ASM'
main:   li      $t0, 1000
loop:   addiu   $t0, $t0, -1
        bgtz    $t0, loop
        li      $v0, 10
        syscall
ASM
cat > "$tmp/mib.s" <<'ASM'
        .data
buf:    .space  1048576
        .text
main:   la      $t0, buf
        li      $t1, 256
loop:   sw      $t1, 0($t0)
        addiu   $t0, $t0, 4096
        addiu   $t1, $t1, -1
        bgtz    $t1, loop
        li      $v0, 10
        syscall
ASM
printf '%-8s %-6s %9s %11s %12s %12s\n' VMs kind seconds "peak MiB" "ms per VM" "KiB per VM"
run() { # run KIND COUNT
  local kind=$1 n=$2
  awk -v n="$n" -v f="$kind.s" 'BEGIN { for (i = 0; i < n; i++) print f }' > "$tmp/list.txt"
  if /usr/bin/time -f "%e %M" -o "$tmp/time" "$myvmm" --vm-list "$tmp/list.txt" > /dev/null 2> "$tmp/err"; then
    read -r secs kib < "$tmp/time"
    awk -v n="$n" -v k="$kind" -v s="$secs" -v m="$kib" \
      'BEGIN { printf "%-8d %-6s %9.2f %11.1f %12.3f %12.1f\n", n, k, s, m / 1024, s * 1000 / n, m / n }'
  else
    printf '%-8d %-6s refused: %s\n' "$n" "$kind" "$(grep -m1 error "$tmp/err" || tail -1 "$tmp/err")"
  fi
}
for n in "${counts[@]}"; do run tiny "$n"; done
run mib 1000
