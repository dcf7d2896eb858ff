# read_string (syscall 8) with a length of 2 GiB into a 16-byte buffer of a
# 1 MiB VM, fed an endless line: the host reads straight into guest memory
# (never into a buffer of the guest's length) and the VM faults where its
# memory ends. Run through read_huge.cfg.
        .data
buf:    .space  16
        .text
main:   la      $a0, buf
        li      $a1, 0x7fffffff
        li      $v0, 8
        syscall
        li      $a0, 1              # not reached
        li      $v0, 1
        syscall
