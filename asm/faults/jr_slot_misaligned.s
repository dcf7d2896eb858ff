# A `jr` (with a delay slot) to a misaligned address, from translated code:
# the slot runs, then fetching at the target faults, as the interpreter
# orders it. The loop makes the block hot before its last pass goes wrong.
main:
        .set noreorder
        li      $s1, 3
again:
        la      $s0, next
        sltiu   $t0, $s1, 2             # 1 on the last pass
        sll     $t0, $t0, 1
        addu    $s0, $s0, $t0           # next + 2 then
        jr      $s0
        addiu   $s2, $s2, 1             # the slot: runs every pass
next:
        addiu   $s1, $s1, -1
        b       again
        nop
        .set reorder
