# Table lookups, `andi y; sll r, y, s; addu r, x, r; l* d, off(r)`, which
# the JIT makes one load beside the `lea` of r: every width and signedness,
# zero, positive and negative offsets, the index register reused or not,
# the load overwriting the index, the table base or $zero. Each line prints
# what was loaded and what r holds afterwards (its offset in the table).
        .data
table:  .word 0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x80008001
        .word 0x7fff80ff, 0x55aa55aa, 0x01020304, 0xfedcba98, 0x0badf00d
sep:    .asciiz " "
nl:     .asciiz "\n"
        .text
main:   la      $s0, table
        addiu   $s2, $s0, 8
        li      $s1, 0
loop:   andi    $t0, $s1, 7         # word, r = y, offset 0
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lw      $a0, 0($t0)
        jal     show
        andi    $t2, $s1, 7         # halfword, signed, r != y, offset 2
        sll     $t3, $t2, 1
        addu    $t3, $t3, $s0
        lh      $a0, 2($t3)
        move    $t0, $t3
        jal     show
        andi    $t2, $s1, 7         # halfword, unsigned, offset 4
        sll     $t3, $t2, 2
        addu    $t3, $s0, $t3
        lhu     $a0, 4($t3)
        move    $t0, $t3
        jal     show
        andi    $t0, $s1, 3         # byte, signed, scale 8, negative offset
        sll     $t0, $t0, 3
        addu    $t0, $s2, $t0
        lb      $a0, -1($t0)
        jal     show
        andi    $t0, $s1, 7         # byte, unsigned, odd offset
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lbu     $a0, 3($t0)
        jal     show
        move    $t6, $s0            # the load overwrites the table base
        andi    $t0, $s1, 7
        sll     $t0, $t0, 2
        addu    $t0, $t6, $t0
        lw      $t6, 4($t0)
        move    $a0, $t6
        jal     show
        andi    $t0, $s1, 7         # the load overwrites r itself
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lw      $t0, 8($t0)
        move    $a0, $t0
        addu    $t0, $t0, $s0       # so that show prints the loaded value
        jal     show
        andi    $t0, $s1, 7         # into $zero: the access still happens
        sll     $t0, $t0, 2
        addu    $t0, $s0, $t0
        lw      $zero, 0($t0)
        move    $a0, $zero
        jal     show
        addiu   $s1, $s1, 1
        li      $t9, 9
        bne     $s1, $t9, loop
        li      $v0, 10
        syscall
# Prints $a0 and $t0 - table, then a newline.
show:   li      $v0, 1
        syscall
        li      $v0, 4
        la      $a0, sep
        syscall
        subu    $a0, $t0, $s0
        li      $v0, 1
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        jr      $ra
