# The Linux o32 calls a freestanding program needs: write, brk, exit.
        .data
msg:    .ascii  "written with write(2)\n"
        .text
main:   li      $v0, 4004           # write(1, msg, 22)
        li      $a0, 1
        la      $a1, msg
        li      $a2, 22
        syscall
        move    $s0, $v0            # bytes written
        li      $v0, 4045           # brk(0): current break
        li      $a0, 0
        syscall
        addiu   $a0, $v0, 4096
        li      $v0, 4045           # grow by a page
        syscall
        li      $t0, 123
        sw      $t0, -4($v0)        # the new page is usable
        lw      $a0, -4($v0)
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        move    $a0, $s0
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $a0, 0
        li      $v0, 4001           # exit(0)
        syscall
