# Delay slots around conditional branches, as GCC fills them: a slot the
# branch's test does not read runs before the branch in translated code
# (one taken `jcc` per loop pass); a slot that writes the register the
# branch tests, or that may fault, runs after the test on each path.
        .text
main:
        .set    noreorder
        li      $s0, 10
        li      $s1, 0
count:                                  # slot independent of the test
        addiu   $s0, $s0, -1
        bne     $s0, $zero, count
        addiu   $s1, $s1, 3             # runs 10 times
        li      $s2, 10
        li      $s3, 0
down:                                   # the slot rewrites the tested register
        addiu   $s3, $s3, 1
        bgtz    $s2, down
        addiu   $s2, $s2, -1            # tested before it runs: 11 passes
        la      $s4, words
        li      $s5, 0
        li      $s6, 0
sum:                                    # a load in the slot (may fault)
        addu    $s6, $s6, $t0
        slti    $t1, $s5, 4
        addiu   $s5, $s5, 1
        bne     $t1, $zero, sum
        lw      $t0, 0($s4)             # runs on both paths
        .set    reorder
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s3
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s2
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s6
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
        .data
words:  .word   7
