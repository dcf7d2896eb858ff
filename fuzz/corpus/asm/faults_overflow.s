# add/addi/sub trap on signed overflow: the VM faults at the addi.
        .data
before: .asciiz "before the overflow\n"
        .text
main:   li      $v0, 4
        la      $a0, before
        syscall
        li      $t0, 0x7fffffff
        addiu   $t1, $t0, 1         # addiu wraps silently
        addi    $t0, $t0, 1         # addi traps
        li      $v0, 10
        syscall
