# A linking branch taken to just past the last instruction (no delay
# slots): the VM halts there with `$ra` written, as the interpreter does.
        .text
main:
        li $t0, 1
        li $s7, 3
loop:
        bgezal $t0, end
        addiu $s7, $s7, -1
        bne $s7, $zero, loop
        li $v0, 10
        syscall
end:
