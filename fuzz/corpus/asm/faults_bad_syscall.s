# An unknown syscall number faults at the syscall.
main:   li      $v0, 99
        syscall
