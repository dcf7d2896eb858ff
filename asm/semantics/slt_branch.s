# slt/sltu/slti/sltiu feeding beq/bne on $zero (the JIT branches on the
# comparison's flags): every combination, signed and unsigned, both ways,
# in a loop so the blocks get translated.
        .data
vals:   .word -5, -1, 0, 1, 7, 0x7fffffff, 0x80000000
        .text
main:
        li      $s0, 0                  # count of taken branches
        li      $s1, 0                  # i
outer:
        sll     $t0, $s1, 2
        lw      $a0, vals($t0)
        li      $s2, 0                  # j
inner:
        sll     $t0, $s2, 2
        lw      $a1, vals($t0)
        slt     $t1, $a0, $a1
        bne     $t1, $zero, 1f
        addiu   $s0, $s0, 1
1:      slt     $t1, $a0, $a1
        beq     $zero, $t1, 2f
        addiu   $s0, $s0, 3
2:      sltu    $t2, $a0, $a1
        bne     $t2, $zero, 3f
        addiu   $s0, $s0, 5
3:      sltu    $t2, $a0, $a1
        beq     $t2, $zero, 4f
        addiu   $s0, $s0, 7
4:      slti    $t3, $a0, 1
        bne     $t3, $zero, 5f
        addiu   $s0, $s0, 11
5:      sltiu   $t3, $a1, 2
        beq     $t3, $zero, 6f
        addiu   $s0, $s0, 13
6:      addiu   $s2, $s2, 1
        slti    $t4, $s2, 7
        bne     $t4, $zero, inner
        addiu   $s1, $s1, 1
        sltiu   $t4, $s1, 7
        bne     $zero, $t4, outer
        move    $a0, $s0
        li      $v0, 1
        syscall
        li      $a0, 10
        li      $v0, 11
        syscall
        li      $v0, 10
        syscall
