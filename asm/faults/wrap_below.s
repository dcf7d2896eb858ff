# A load whose base plus (negative) offset wraps below address 0: the guest
# address is 0xfffffffc (4 - 8 mod 2^32), unmapped, and the fault names it.
# Generated code adds base and offset on the host without wrapping: the sum
# lands in the guard below guest memory, and the interpreter reports the
# guest's fault at the wrapped address.
main:   li      $t0, 4
        li      $v0, 1
        move    $a0, $t0
        syscall
        lw      $t1, -8($t0)
        li      $v0, 10
        syscall
