# A store whose base plus offset wraps past 2^32: the guest address is 0x10
# (0xfffffff0 + 0x20 mod 2^32), unmapped, and the fault names it. Generated
# code's sum lands in the guard above guest memory instead.
main:   li      $t0, 0xfffffff0
        li      $t1, 7
        sb      $t1, 0x20($t0)
        li      $v0, 10
        syscall
