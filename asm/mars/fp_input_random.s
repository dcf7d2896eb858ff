# 400 random numbers (decimal with extreme exponents, hexadecimal with long
# significands, subnormals, signs) read as floats, then the same 400 read as
# doubles, each printed back: parsing rounds once, as Java's does. Expected
# output from MARS 4.5.
        .data
nl:     .asciiz "\n"
        .text
main:   li      $s0, 400
floop:  li      $v0, 6
        syscall
        mov.s   $f12, $f0
        li      $v0, 2
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        addiu   $s0, $s0, -1
        bgtz    $s0, floop
        li      $s0, 400
dloop:  li      $v0, 7
        syscall
        mov.d   $f12, $f0
        li      $v0, 3
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall
        addiu   $s0, $s0, -1
        bgtz    $s0, dloop
        li      $v0, 10
        syscall
