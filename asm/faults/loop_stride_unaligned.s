# A loop stepping its base pointer by a stride register: the JIT checks
# the base and the stride once on entering the loop. Here the stride (6)
# breaks word alignment, so the entry check fails and the load faults on
# the second pass, where the interpreter does: same pc, same count.
        .data
words:  .word   1, 2, 3, 4, 5, 6, 7, 8
        .text
main:
        li      $s2, 4
        li      $t8, 2
again:  la      $s0, words
        li      $t9, 4
        li      $v1, 0
sum:    lw      $t0, 0($s0)
        addu    $s0, $s0, $s2
        addu    $v1, $v1, $t0
        addiu   $t9, $t9, -1
        bne     $t9, $zero, sum
        li      $s2, 6                  # the second time round: misaligned
        addiu   $t8, $t8, -1
        bne     $t8, $zero, again
        li      $v0, 10
        syscall
