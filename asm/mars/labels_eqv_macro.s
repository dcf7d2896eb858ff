# MARS allows a label before `.eqv` and `.macro` on the same line, and warns
# about a directive it does not know and goes on (myvmm warns on stderr too).
        .data
value:  .word 41
        .foo 1, 2                   # unknown: a warning, then ignored
        .text
main:   .eqv COUNTER $t0
        lw COUNTER, value
        addi COUNTER, COUNTER, 1
lbl:    .macro print_int (%r)
        move $a0, %r
        li $v0, 1
        syscall
        li $a0, 10
        li $v0, 11
        syscall
        .end_macro
        print_int (COUNTER)
        la $t1, main                # the label before .eqv marks the first instruction
        la $t2, lbl                 # and the one before .macro the next one
        sub $t3, $t2, $t1
        print_int ($t3)
        li $v0, 10
        syscall
