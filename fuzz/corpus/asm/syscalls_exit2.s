# exit2 (syscall 17): the guest's code becomes myvmm's exit status.
main:   li      $a0, 'x'
        li      $v0, 11
        syscall
        li      $a0, 3
        li      $v0, 17
        syscall
