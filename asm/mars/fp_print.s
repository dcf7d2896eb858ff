# print_float (2) and print_double (3) on edge values: MARS 4.5 prints them
# with Java 17's Float.toString / Double.toString (plain notation in
# [1.0E-3, 1.0E7), E notation outside, the digits that tell the value apart
# from its neighbours in its own format). Expected output from MARS itself.
        .data
floats: .float 0.1, 3.0, 1.0e-5, 100.0, 9999999.0, 1.0e7, 0.001, 9.99e-4
        .float -0.0, 1.4e-45, 1.17549435e-38, 3.4028234e38, 123456.79, 1.0e23
        .float 0.3333333333, -2.5, 16777216.0, 16777217.0
fend:
        .align 3
doubles: .double 0.1, 3.0, 1.0e-5, 1.0e23, 9999999.999, 1.0e7, 0.001, 9.99e-4
        .double -0.0, 4.9e-324, 2.2250738585072014e-308, 1.7976931348623157e308
        .double 0.3333333333333333, 123456789.0, 1.0e21, 2.0e-3, 1.0e-323
dend:
one:    .double 1.0
zero:   .double 0.0
nl:     .asciiz "\n"
sep:    .asciiz " | "
        .text
main:   la      $s0, floats
        la      $s1, fend
floop:  l.s     $f12, 0($s0)
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, sep
        syscall
        cvt.d.s $f12, $f12          # the same float widened to a double
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        addiu   $s0, $s0, 4
        bne     $s0, $s1, floop
        la      $s0, doubles
        la      $s1, dend
dloop:  l.d     $f12, 0($s0)
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, sep
        syscall
        cvt.s.d $f12, $f12          # narrowed to a float
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        addiu   $s0, $s0, 8
        bne     $s0, $s1, dloop
        # Infinity, -Infinity and NaN, computed
        l.d     $f2, one
        l.d     $f4, zero
        div.d   $f12, $f2, $f4
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        neg.d   $f12, $f12
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        div.d   $f12, $f4, $f4
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        cvt.s.d $f2, $f2
        cvt.s.d $f4, $f4
        div.s   $f12, $f2, $f4
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        div.s   $f12, $f4, $f4
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        # 0.1 + 0.2 in both formats
        l.s     $f0, floats
        add.s   $f12, $f0, $f0
        add.s   $f12, $f12, $f0
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        l.d     $f0, doubles
        add.d   $f12, $f0, $f0
        add.d   $f12, $f12, $f0
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        li      $v0, 10
        syscall
