# An indirect call (`jalr`, with a delay slot) to an address outside the
# program, from translated code: the link is written and the slot runs,
# then the fetch at the target faults, as the interpreter orders it.
main:
        .set noreorder
        li      $s1, 3
again:
        la      $t9, f
        sltiu   $t0, $s1, 2             # 1 on the last pass
        beq     $t0, $zero, call
        nop
        lui     $t9, 0x0030             # outside the text
call:
        jalr    $t9
        addiu   $s2, $s2, 1             # the slot: runs every pass
        addiu   $s1, $s1, -1
        b       again
        nop
f:
        jr      $ra
        nop
        .set reorder
