# `.data` and `.text` with an address, as SPIM-era programs write them:
# 0x10000000 is the start of MARS's data segment (below .data's default
# 0x10010000), 0x00400000 the start of the text.
        .data 0x10000000
first:  .word 7
        .data 0x10000004
second: .word 35
        .text 0x00400000
main:   la $a0, first
        li $v0, 34
        syscall
        li $a0, 10
        li $v0, 11
        syscall
        lw $t0, first
        lw $t1, second
        add $a0, $t0, $t1
        li $v0, 1
        syscall
        li $a0, 10
        li $v0, 11
        syscall
        li $v0, 10
        syscall
