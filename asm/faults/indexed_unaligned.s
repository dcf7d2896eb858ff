# A table lookup (`andi; sll; addu; lw`) off a base that is not word
# aligned: the fault names the load and its address. The JIT tests the
# base before its single host load, and when the test fails the
# interpreter reruns the lookup from its `sll`.
main:   la      $s0, words
        addiu   $s0, $s0, 2
        li      $s1, 3
        andi    $t0, $s1, 0xff
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lw      $t1, 0($t0)
        li      $v0, 10
        syscall
        .data
words:  .word 1, 2, 3, 4, 5
