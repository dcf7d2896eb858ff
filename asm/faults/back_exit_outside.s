# A loop whose way out is a branch back out of the program (below the
# text): the superblock may not go on past it, and the fault (a jump
# outside the program) comes with the interpreter's count.
        .text
main:
        li      $t0, 20
loop:
        addiu   $t0, $t0, -1
        .word   0x0500fff0              # bltz $t0, 0x003fffcc (before the text)
        addiu   $s0, $s0, 1
        b       loop
