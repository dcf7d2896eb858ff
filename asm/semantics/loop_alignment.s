# Loops whose base registers keep their alignment from pass to pass (a
# pointer stepped by a multiple of the access width, by an unchanged
# stride, or a table base the loop never writes): the JIT tests their
# alignment once on entering the loop. One loop's base is misaligned
# but its access never runs, so the entry test fails every time and the
# loop must still finish with the right result.
        .data
words:  .word   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
halves: .half   1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14, 15, -16
        .text
main:
        # Pointer stepped by 4, stride register 8 (every other word).
        la      $s0, words
        la      $s1, halves
        li      $s2, 8
        li      $t9, 8
        li      $v1, 0
sum:    lw      $t0, 0($s0)
        lh      $t1, 2($s1)
        addu    $s0, $s0, $s2
        addiu   $s1, $s1, 4
        addu    $v1, $v1, $t0
        addu    $v1, $v1, $t1
        addiu   $t9, $t9, -1
        bne     $t9, $zero, sum
        li      $v0, 1
        move    $a0, $v1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        # A table the loop indexes, its base never written.
        la      $s3, words
        li      $t9, 64
        li      $v1, 0
look:   andi    $t2, $t9, 15
        sll     $t2, $t2, 2
        addu    $t2, $s3, $t2
        lw      $t3, 0($t2)
        addu    $v1, $v1, $t3
        addiu   $t9, $t9, -1
        bne     $t9, $zero, look
        li      $v0, 1
        move    $a0, $v1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        # A misaligned base whose load never runs (its branch is always
        # taken): the entry test fails and the loop runs all the same.
        la      $s4, words
        addiu   $s4, $s4, 1
        li      $t9, 50
        li      $v1, 0
skip:   bne     $t9, $zero, over
        lw      $t4, 0($s4)
over:   addiu   $v1, $v1, 3
        addiu   $t9, $t9, -1
        bgtz    $t9, skip
        li      $v0, 1
        move    $a0, $v1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
