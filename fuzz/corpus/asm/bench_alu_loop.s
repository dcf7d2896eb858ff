# A simple ALU loop for interpreter throughput: 100 million iterations of
# five ALU instructions and a branch (600 million instructions in all).
        .text
main:
        li      $t0, 100000000      # iterations
        li      $t1, 0
        li      $t2, 1
loop:
        addu    $t1, $t1, $t2
        xor     $t3, $t1, $t0
        sll     $t4, $t3, 3
        subu    $t2, $t4, $t1
        addiu   $t0, $t0, -1
        bne     $t0, $zero, loop
        move    $a0, $t1
        li      $v0, 1
        syscall
        li      $v0, 10
        syscall
