# `sc` writes the register it stores: here its own base. The next store's
# address comes from that new value (1), so it is unaligned and faults. A
# JIT that trusted the base register across the `sc` once wrote past the
# guest's address space instead (issue 9, finding 1).
.data
x: .word 1, 2, 3
.text
main:   la $t0, x
        addiu $t0, $t0, 4
        sc $t0, 0($t0)
        sw $t1, -4($t0)
        li $v0, 10
        syscall
