# As sc_rewrites_base.s, with the later accesses inside what would have been
# the first access's checked span: with the base rewritten to 1, `sw` at
# 8($t0) is unaligned and must fault, not run unchecked.
.data
x: .word 1, 2, 3
.text
main:   la $t0, x
        addiu $t0, $t0, 4
        sc $t0, 0($t0)
        sw $t1, 8($t0)
        lw $t2, 4($t0)
        li $v0, 10
        syscall
