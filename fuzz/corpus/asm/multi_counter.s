# Prints its name and a count four times; used by the round-robin tests.
        .data
label:  .asciiz "tick "
        .text
main:   li      $s0, 1
again:  li      $v0, 4
        la      $a0, label
        syscall
        move    $a0, $s0
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        addiu   $s0, $s0, 1
        ble     $s0, 4, again
