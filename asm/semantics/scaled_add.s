# Array indexing as compiled code writes it: `sll r, y, 1..3` then
# `addu r, x, r` or `addu r, r, x` (the JIT fuses the pair into one `lea`).
# Every shape, with registers the JIT keeps in host registers and ones it
# does not, a destination that is also the shifted source or not, the two
# sources equal, $zero shifted, values whose sum wraps, and pairs that
# must not fuse (the add reads the shifted register twice, or writes
# elsewhere, or $zero is the other source). Run three times so the block
# is translated; each round's registers are printed.
        .text
main:   li      $s7, 3                  # rounds
round:  li      $t0, 0x7ffffff3
        li      $t1, 0x40000005
        li      $t2, -9
        li      $s0, 0x1234
        li      $s1, 0xfffffffc
        li      $k0, 0x80000001
        li      $gp, 77
        sll     $t3, $t0, 1             # r != y, addu r, x, r
        addu    $t3, $t1, $t3
        sll     $t4, $t4, 2             # r == y (last round's value)
        addu    $t4, $t4, $t2
        sll     $t5, $t1, 3             # wraps past 2^32
        addu    $t5, $t5, $k0
        sll     $s2, $s0, 2             # x == y
        addu    $s2, $s0, $s2
        sll     $s3, $zero, 2           # $zero shifted
        addu    $s3, $s3, $s1
        sll     $k1, $gp, 1             # registers seldom kept in host ones
        addu    $k1, $k0, $k1
        sll     $fp, $k0, 3
        addu    $fp, $fp, $gp
        sll     $s4, $t2, 2             # not fused: both sources the shifted one
        addu    $s4, $s4, $s4
        sll     $s5, $t0, 2             # not fused: the sum goes elsewhere
        addu    $s6, $s5, $t1
        sll     $v1, $t2, 2             # not fused: $zero the other source
        addu    $v1, $zero, $v1
        sll     $a3, $t1, 4             # not fused: shift beyond 3
        addu    $a3, $a3, $t0
        move    $a0, $t3
        jal     show
        move    $a0, $t4
        jal     show
        move    $a0, $t5
        jal     show
        move    $a0, $s2
        jal     show
        move    $a0, $s3
        jal     show
        move    $a0, $k1
        jal     show
        move    $a0, $fp
        jal     show
        move    $a0, $s4
        jal     show
        move    $a0, $s5
        jal     show
        move    $a0, $s6
        jal     show
        move    $a0, $v1
        jal     show
        move    $a0, $a3
        jal     show
        li      $a0, '\n'
        li      $v0, 11
        syscall
        addiu   $s7, $s7, -1
        bne     $s7, $zero, round
        li      $v0, 10
        syscall
show:   li      $v0, 34                 # print as hex
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        jr      $ra
