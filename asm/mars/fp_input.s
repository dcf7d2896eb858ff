# read_float (6) and read_double (7) as MARS reads them: a whole line,
# trimmed, parsed by Java's Float.parseFloat / Double.parseDouble (signs,
# `.5`, `5.`, exponents, `Infinity`, `NaN`, hexadecimal `0x1.8p1`, an f/d
# suffix; out-of-range values become Infinity or 0). Each value read is
# printed back with print_float / print_double. Expected output from MARS 4.5.
        .data
nl:     .asciiz "\n"
        .text
main:   li      $s0, 14             # floats on the first 14 lines
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
        li      $s0, 8              # doubles on the next 8
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
