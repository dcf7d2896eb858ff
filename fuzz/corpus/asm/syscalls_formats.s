# MARS print formats (34 hex, 35 binary, 36 unsigned) and seeded random numbers.
        .macro  newline
        li      $a0, '\n'
        li      $v0, 11
        syscall
        .end_macro
main:   li      $s0, -2
        move    $a0, $s0
        li      $v0, 34
        syscall
        newline
        move    $a0, $s0
        li      $v0, 35
        syscall
        newline
        move    $a0, $s0
        li      $v0, 36
        syscall
        newline
        move    $a0, $s0
        li      $v0, 1
        syscall
        newline
        li      $a0, 0              # generator 0
        li      $a1, 283            # seed
        li      $v0, 40
        syscall
        li      $s1, 5
draw:   li      $a0, 0
        li      $a1, 100            # 0..99
        li      $v0, 42
        syscall
        li      $v0, 1
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        addiu   $s1, $s1, -1
        bgtz    $s1, draw
        newline
