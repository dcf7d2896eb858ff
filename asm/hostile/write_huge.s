# Writes 192 MiB of its memory to stdout with Linux write (4004) and again
# with MARS write (15), after asking for 2 GiB with each: the host passes
# guest memory on in place, never a copy of it. The 2 GiB Linux write gets
# EFAULT (14) and the VM goes on; the 2 GiB MARS write is a fault.
# Run through write_huge.cfg (a 256 MiB VM).
        .text
main:   li      $a0, 0x0c000000     # 192 MiB of heap
        li      $v0, 9
        syscall
        move    $s0, $v0
        move    $t1, $s0
        li      $t2, 0xc000         # its pages
        li      $t0, 'z'
touch:  sb      $t0, 0($t1)         # one byte per page: all of them in use
        addiu   $t1, $t1, 4096
        addiu   $t2, $t2, -1
        bnez    $t2, touch
        li      $a0, 1
        move    $a1, $s0
        li      $a2, 0x7fffffff
        li      $v0, 4004
        syscall
        move    $s2, $v0            # EFAULT
        li      $a0, 1
        move    $a1, $s0
        li      $a2, 0x0c000000
        li      $v0, 4004
        syscall
        li      $a0, 1
        move    $a1, $s0
        li      $a2, 0x0c000000
        li      $v0, 15
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        move    $a0, $s2
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $a0, 1
        move    $a1, $s0
        li      $a2, 0x7fffffff
        li      $v0, 15
        syscall
