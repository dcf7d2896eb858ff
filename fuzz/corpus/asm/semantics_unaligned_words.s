# lwl/lwr/swl/swr (through ulw/usw) on little-endian memory.
        .data
bytes:  .byte   0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
out:    .space  8
        .text
main:   la      $s0, bytes
        li      $s1, 0
show:   addu    $t0, $s0, $s1
        ulw     $a0, 0($t0)
        li      $v0, 34
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        addiu   $s1, $s1, 1
        blt     $s1, 5, show
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $t1, 0xa1b2c3d4
        la      $t2, out
        usw     $t1, 3($t2)
        lw      $a0, 0($t2)
        li      $v0, 34
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        lw      $a0, 4($t2)
        li      $v0, 34
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
