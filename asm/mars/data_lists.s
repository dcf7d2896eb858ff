# MARS data lists: values without commas, lists continued on the lines that
# follow until the next label, directive or instruction (as exercism's
# runners write their test tables), `.data:` with a colon, and a bare value
# after a label, which continues the directive before it.
.data:
count:  .word 5
inputs: .word 3, 1,
        4, 1
        5
words:  .word 9 4 68        # no commas
        -2 +7               # signs against the number: separate values
halves: .half 1 2
        3
bytes:  .byte 'a' 'b',
        'c'
        .align 2
more:   .word 10
extra:  20                  # a bare value: another .word
expected:
        .asciiz
        "three"
        "one"
        "four"
names:  .ascii "x" "y"
        "z\0"
        .text
main:
        la $s0, inputs
        lw $s1, count
        li $s2, 0
sum:    lw $t0, 0($s0)
        add $s2, $s2, $t0
        addi $s0, $s0, 4
        addi $s1, $s1, -1
        bgtz $s1, sum
        move $a0, $s2
        jal show
        la $s0, words
        li $s1, 5
print:  lw $a0, 0($s0)
        jal show
        addi $s0, $s0, 4
        addi $s1, $s1, -1
        bgtz $s1, print
        lh $a0, halves+4
        jal show
        lb $a0, bytes+2
        li $v0, 11
        syscall
        jal newline
        lw $a0, extra
        jal show
        la $s0, expected            # the strings, one after another
        li $s1, 3
strings:
        move $a0, $s0
        li $v0, 4
        syscall
        jal newline
skip:   lb $t0, 0($s0)
        addi $s0, $s0, 1
        bnez $t0, skip
        addi $s1, $s1, -1
        bgtz $s1, strings
        la $a0, names
        li $v0, 4
        syscall
        jal newline
        li $v0, 10
        syscall

show:   li $v0, 1
        syscall
newline:
        li $a0, 10
        li $v0, 11
        syscall
        jr $ra
