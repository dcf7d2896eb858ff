# FP syntax as MARS 4.5 accepts it: .float/.double, every addressing mode of
# l.s/s.s/l.d/s.d and lwc1/swc1/ldc1/sdc1, condition codes written first,
# bc1t/bc1f with and without a cc, movf/movt, mfc1.d/mtc1.d.
# Results print as hex (syscall 34) of mfc1: FP printing is another test's.
        .data
fval:    .float 1.5, -2e-3
flts:   .float 1.0 2.0 3.0          # no commas
        .float 0.1
dbl:    .double 0.1, -2.5e10
tiny:   .double 4.9e-324
out:    .space 32

        .text
main:
        l.s     $f0, fval            # label
        l.s     $f1, fval+4          # label+offset
        la      $t2, flts
        l.s     $f2, 4($t2)         # offset(reg)
        li      $t3, 8
        l.s     $f3, flts($t3)      # label(reg)
        l.s     $f4, flts+4($t3)    # label+offset(reg)
        lwc1    $f5, flts           # lwc1 with a label
        l.d     $f6, dbl
        ldc1    $f8, dbl+8
        l.d     $f10, tiny
        s.s     $f3, out
        swc1    $f4, out+4
        s.d     $f6, out+8
        sdc1    $f8, out+16
        la      $t4, out
        s.s     $f0, 24($t4)
        s.s     $f1, out+28($0)

        mfc1    $a0, $f0
        jal     hex
        mfc1    $a0, $f1
        jal     hex
        mfc1    $a0, $f2
        jal     hex
        mfc1    $a0, $f3
        jal     hex
        mfc1    $a0, $f4
        jal     hex
        mfc1    $a0, $f5
        jal     hex
        mfc1.d  $a0, $f6            # two moves: $a0 low word, $a1 high
        jal     hex
        move    $a0, $a1
        jal     hex
        mfc1    $a0, $f11
        jal     hex
        mfc1    $a0, $f10
        jal     hex
        li      $t5, 0
out_loop:                           # the stored words, in order
        lw      $a0, out($t5)
        jal     hex
        addi    $t5, $t5, 4
        blt     $t5, 32, out_loop

        li      $t0, 0x40490fdb     # pi as a float
        li      $t1, 0x3ff00000
        mtc1.d  $t0, $f12           # $f12 = $t0, $f13 = $t1
        mfc1    $a0, $f12
        jal     hex
        mfc1    $a0, $f13
        jal     hex

        c.lt.s  2, $f1, $f0         # cc 2: -0.002 < 1.5
        bc1t    2, yes
        li      $a0, 0
        j       said
yes:    li      $a0, 1
said:   li      $v0, 1
        syscall
        c.eq.d  $f6, $f8            # cc 0
        bc1f    differ
        li      $a0, 0
        j       said2
differ: li      $a0, 2
said2:  li      $v0, 1
        syscall
        li      $t1, 5
        li      $t2, 9
        movt    $t1, $t2, 2         # cc 2 is true: moves
        move    $a0, $t1
        syscall
        li      $t1, 5
        movf    $t1, $t2, 2         # cc 2 is true: does not move
        move    $a0, $t1
        syscall
        li      $a0, 10
        li      $v0, 11
        syscall
        li      $v0, 10
        syscall

hex:    li      $v0, 34
        syscall
        li      $a0, 10
        li      $v0, 11
        syscall
        jr      $ra
