# Prints 0 to 9, sleeping 30 ms after each: a VM to checkpoint.
        .text
main:   li      $s0, 0
tick:   move    $a0, $s0
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $a0, 30
        li      $v0, 32
        syscall
        addiu   $s0, $s0, 1
        blt     $s0, 10, tick
