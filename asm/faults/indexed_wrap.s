# A table lookup (`andi; sll; addu; lw`) whose base plus scaled index wraps
# past 2^32: the guest address is 0xc, unmapped, and the fault names it and
# the load. The JIT's single host load lands in the guard above guest
# memory, and the interpreter reruns the lookup from its `sll`.
main:   li      $s0, 0xfffffff0
        li      $s1, 7
        andi    $t0, $s1, 0xff
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lw      $t1, 0($t0)
        li      $v0, 10
        syscall
