# A load that faults past a branch not taken, inside a superblock (one
# translation over both blocks): the fault names the load, and the count
# of instructions retired is the interpreter's (refunds are exact).
        .text
main:
        li      $s0, 0
loop:
        andi    $t0, $s0, 1
        bne     $t0, $zero, odd         # forward: the superblock goes on
        addiu   $s1, $s1, 1
        li      $t1, 6
        bne     $s0, $t1, odd           # taken but once
        lw      $t2, 0($zero)           # faults when $s0 is 6
odd:    addiu   $s0, $s0, 1
        b       loop
