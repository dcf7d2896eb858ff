# The heap cannot grow past vm_memory_limit_mb.
main:   li      $a0, 0x100000       # 1 MiB: fits in 4 MiB
        li      $v0, 9
        syscall
        li      $a0, 0x800000       # 8 MiB more: does not
        li      $v0, 9
        syscall
