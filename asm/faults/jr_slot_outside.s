# A return (`jr $ra`, with a delay slot) to an address outside the program,
# from translated code: the slot runs, then the fetch faults. The call's
# return entry does not match the rewritten `$ra`.
main:
        .set noreorder
        li      $s1, 3
again:
        jal     f
        nop
        addiu   $s1, $s1, -1
        b       again
        nop
f:
        sltiu   $t0, $s1, 2             # 1 on the last pass
        beq     $t0, $zero, back
        nop
        lui     $ra, 0x0030             # outside the text
back:
        jr      $ra
        addiu   $s2, $s2, 1             # the slot: runs every pass
        .set reorder
