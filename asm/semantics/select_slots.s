# select.s with delay slots (`.set noreorder`, as GCC writes them): the
# slot runs on both paths before the arm, so a select needs a slot it can
# run first. Slots that write the arm's register (the arm then reads the
# slot's value), slots that write what the branch tests (no select: a
# branch as before) and a branch-likely (its slot annulled when it falls
# through: a branch as before) are all here.
        .text
main:
        .set    noreorder
        li      $s0, 0x2545f491         # xorshift state
        li      $s7, 0xa001             # CRC polynomial
        li      $t9, 3000
loop:
        sll     $t0, $s0, 13            # xorshift32
        xor     $s0, $s0, $t0
        srl     $t0, $s0, 17
        xor     $s0, $s0, $t0
        sll     $t0, $s0, 5
        xor     $s0, $s0, $t0
        andi    $t1, $s0, 1
        beq     $t1, $zero, crc_done
        srl     $s1, $s1, 1             # slot: the arm reads what it wrote
        xor     $s1, $s1, $s7
        andi    $s1, $s1, 0xffff
crc_done:
        bne     $t1, $zero, odd
        addiu   $s6, $s6, 1             # slot: another register
        addiu   $s2, $s2, 3
odd:
        srl     $t2, $s0, 4
        andi    $t2, $t2, 7
        bgtz    $t2, nonzero
        addiu   $t2, $t2, -4            # slot: writes what the branch tests
        addiu   $s3, $s3, 1
nonzero:
        bltz    $t2, negative
        nop
        subu    $s4, $t2, $s4
        xori    $s4, $s4, 0x3c
negative:
        srl     $t3, $s0, 11
        andi    $t3, $t3, 1
        beql    $t3, $zero, likely      # branch-likely: a branch as before
        addiu   $s5, $s5, 2
        addiu   $s5, $s5, 5
likely:
        addiu   $t9, $t9, -1
        bne     $t9, $zero, loop
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
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s3
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s4
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s5
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
