# MARS 4.5's lexical leniency: commas are blanks (one right after the
# mnemonic, none between operands, one at the end), two-operand logical
# immediates, and a leading 0 that is octal only when every digit is.
        .data
msg:    .asciiz "sum="
nl:     .asciiz "\n"

        .text
main:
        li, $t0, 7                  # comma after the mnemonic
        li $t1 5                    # no commas
        add $t2 $t0 $t1             # 12
        addi $t2, $t2, 3,           # trailing comma: 15
        la $a0, msg,
        li $v0, 4
        syscall
        move $a0 $t2
        li $v0 1
        syscall
        jal newline

        li $t0, 0x1234
        andi $t0, 0xFF              # andi $t0, $t0, 0xFF: 0x34
        move $a0, $t0
        jal show
        li $t0, 0x1234
        ori $t0, 0x12340000         # 32-bit value: through $at
        move $a0, $t0
        jal show
        li $t0, 0x1234
        xori $t0 0xFFFF
        move $a0, $t0
        jal show
        li $t0, 0x1234
        and $t0, 0x0F0F             # and $t0, $t0, 0x0F0F
        move $a0, $t0
        jal show
        li $t0, 0x1234
        or $t0, 0x8000
        move $a0, $t0
        jal show
        li $t0, 0x1234
        xor $t0, 0x1234
        move $a0, $t0
        jal show

        li $a0, 010                 # octal: 8
        jal show
        li $a0, 0777                # octal: 511
        jal show
        li $a0, 09876               # not octal: decimal 9876
        jal show
        li $a0, 0019                # not octal: 19
        jal show
        addi $a0, $zero, -010       # -8
        jal show
        li $a0, 0x7fffffff
        jal show
        li $v0, 10
        syscall

show:   li $v0, 1
        syscall
newline:
        la $a0, nl
        li $v0, 4
        syscall
        jr $ra
