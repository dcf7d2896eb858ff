# A delay slot that leaves translated code on a superblock's path not
# taken: a division by zero, whose result the interpreter sets. The
# interpreter runs the slot and goes on past it, inside the superblock's
# next block, as the branch's path not taken does.
        .text
main:
        .set    noreorder
        li      $s0, 0                  # the value
        li      $s5, 0                  # a zero divisor
loop:
        andi    $t0, $s0, 1
        bne     $t0, $zero, odd         # forward: the superblock goes on
        div     $s0, $s5                # slot: to the interpreter
        mflo    $t1
        addu    $s2, $s2, $t1
        addiu   $s1, $s1, 1
odd:    addiu   $s0, $s0, 1
        slti    $t0, $s0, 20
        bne     $t0, $zero, loop
        nop
        .set    reorder
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s2
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
