# Prints a 1 MiB string without a newline 80 times: the host passes it on
# in bounded pieces instead of growing one line buffer (and rescanning it)
# to 80 MiB. Run through print_huge.cfg.
        .text
main:   li      $a0, 0x100000       # 1 MiB of heap
        li      $v0, 9
        syscall
        move    $s0, $v0
        li      $t0, 0x78787878     # "xxxx"
        move    $t1, $s0
        li      $t2, 0x40000        # words in 1 MiB
fill:   sw      $t0, 0($t1)
        addiu   $t1, $t1, 4
        addiu   $t2, $t2, -1
        bnez    $t2, fill
        sb      $zero, -1($t1)      # the NUL ends it at 1 MiB - 1 bytes
        li      $s1, 80
print:  move    $a0, $s0
        li      $v0, 4
        syscall
        addiu   $s1, $s1, -1
        bnez    $s1, print
