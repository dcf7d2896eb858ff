# Selects (see select.s) whose arms use MIPS32r2's sign extensions and
# bit-field extraction, with delay slots.
        .text
main:
        .set    noreorder
        li      $s0, 0x2545f491         # xorshift state
        li      $t9, 2000
loop:
        sll     $t0, $s0, 13
        xor     $s0, $s0, $t0
        srl     $t0, $s0, 17
        xor     $s0, $s0, $t0
        sll     $t0, $s0, 5
        xor     $s0, $s0, $t0
        andi    $t1, $s0, 3
        beq     $t1, $zero, one
        addiu   $t9, $t9, -1            # slot
        addu    $s1, $s1, $s0
        seh     $s1, $s1
one:    bne     $t1, $zero, two
        srl     $t2, $s0, 3             # slot
        seb     $s2, $t2
        addu    $s2, $s2, $s3
two:    bltz    $s0, three
        nop
        ext     $s3, $s0, 7, 9
        xor     $s3, $s3, $t2
three:  bne     $t9, $zero, loop
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
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
