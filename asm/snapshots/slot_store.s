# Stores in the delay slot of a return, each to a page not touched since a
# snapshot was restored: the first touch of a page leaves translated code
# for the interpreter (it verifies the page) in the middle of the delay
# slot, and the VM must go on at the return address. 16 pages of the heap
# stamped, a snapshot, then each page rewritten by `put` (whose store is
# in its `jr $ra` slot) and the sum printed.
        .set    noreorder
        .text
main:   li      $a0, 0x10000
        li      $v0, 9
        syscall
        move    $s0, $v0
        li      $s1, 0
stamp:  sll     $t1, $s1, 12
        addu    $t1, $t1, $s0
        sw      $s1, 0($t1)
        addiu   $s1, $s1, 1
        li      $t2, 16
        bne     $s1, $t2, stamp
        nop
        SNAPSHOT slot_store.snap
        li      $s1, 0
        li      $s2, 0
again:  sll     $a0, $s1, 12
        addu    $a0, $a0, $s0
        jal     put
        addiu   $a1, $s1, 100
        lw      $t0, 0($a0)
        addu    $s2, $s2, $t0
        addiu   $s1, $s1, 1
        li      $t2, 16
        bne     $s1, $t2, again
        nop
        move    $a0, $s2
        li      $v0, 1
        syscall
        li      $a0, 10
        li      $v0, 11
        syscall
        li      $v0, 10
        syscall
put:    jr      $ra
        sw      $a1, 0($a0)
