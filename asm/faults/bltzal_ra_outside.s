# `bltzal` decides on $ra's value before it links: -4 is negative, so the
# branch is taken, to an address outside the program: a fault. (Found by the
# differential fuzzer: the JIT once linked first, fell back to the
# interpreter, which then read the new $ra, did not branch and halted.)
main:   li      $ra, -4
        bltzal  $ra, 0x407000
        li      $v0, 10
        syscall
