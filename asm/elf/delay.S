/* Delay slots and branch-likely by hand (no libc): each check prints one
   letter; qemu-mipsel and myvmm must agree on every one. */
        .set noreorder
        .text
        .globl __start
__start:
        li      $s0, 0
        /* 1. The slot of a taken branch runs: s0 = 1. */
        b       1f
        addiu   $s0, $s0, 1
        addiu   $s0, $s0, 100
1:      addiu   $a0, $s0, 'a' - 1       /* 'a' */
        jal     putc
        nop
        /* 2. A not-taken branch-likely annuls its slot: s1 stays 0. */
        li      $s1, 0
        li      $t0, 1
        beql    $t0, $zero, 2f
        addiu   $s1, $s1, 1
2:      addiu   $a0, $s1, 'b'           /* 'b' */
        jal     putc
        nop
        /* 3. A taken branch-likely runs its slot: s2 = 1. */
        li      $s2, 0
        bnel    $t0, $zero, 3f
        addiu   $s2, $s2, 1
        addiu   $s2, $s2, 100
3:      addiu   $a0, $s2, 'c' - 1       /* 'c' */
        jal     putc
        nop
        /* 4. jal links past its slot, and the slot runs before the call. */
        li      $s3, 0
        jal     4f
        addiu   $s3, $s3, 1
        b       5f
        nop
4:      la      $t1, 4b
        addiu   $t1, $t1, -8            /* the jal's address + 8 */
        subu    $t1, $ra, $t1           /* 0 when linked past the slot */
        addu    $a0, $t1, $s3
        jr      $ra
        addiu   $a0, $a0, 'd' - 1       /* 'd' */
5:      jal     putc
        nop
        /* 5. A branch reads its registers before the slot changes them. */
        li      $t2, 5
        beq     $t2, $zero, 6f
        li      $t2, 0
        li      $a0, 'e'
        jal     putc
        nop
6:      /* 6. Loop with a filled slot: sum 1..10 = 55 -> '7' */
        li      $t3, 10
        li      $t4, 0
7:      addu    $t4, $t4, $t3
        bgtz    $t3, 7b
        addiu   $t3, $t3, -1
        addiu   $a0, $t4, '7' - 55
        jal     putc
        nop
        li      $a0, '\n'
        jal     putc
        nop
        li      $a0, 0
        li      $v0, 4001
        syscall
        nop

putc:   addiu   $sp, $sp, -8
        sb      $a0, 0($sp)
        li      $a0, 1
        move    $a1, $sp
        li      $a2, 1
        li      $v0, 4004
        syscall
        jr      $ra
        addiu   $sp, $sp, 8
