# select_flags.s with delay slots: the branch after the select keeps its
# slot after the test (a store, which may fault), so it tests flags.
        .text
main:
        .set    noreorder
        li      $s5, 100
        addiu   $sp, $sp, -16
loop:
        andi    $t0, $s5, 7
        li      $t1, 3
        li      $t2, 0
        beq     $t0, $t1, join
        nop
        slt     $t2, $t1, $t0
join:
        bnez    $t2, yes
        sw      $t0, 0($sp)
        addiu   $s0, $s0, 1
        b       next
        nop
yes:    addiu   $s1, $s1, 1
next:   addiu   $s5, $s5, -1
        bnez    $s5, loop
        nop
        .set    reorder
        li      $v0, 1
        move    $a0, $s0
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
