# A load that faults after a select (a forward branch over an ALU arm,
# see asm/semantics/select.s) whose branch was taken, in one translation:
# the fault names the load, and the count of instructions retired is the
# interpreter's (the skipped arm was refunded, the rest by position).
        .text
main:
        li      $s0, 0
loop:
        andi    $t0, $s0, 1
        beq     $t0, $zero, even        # taken when $s0 is even
        addiu   $s1, $s1, 1
        xori    $s1, $s1, 4
even:   li      $t1, 6
        bne     $s0, $t1, next
        lw      $t2, 0($zero)           # faults when $s0 is 6
next:   addiu   $s0, $s0, 1
        b       loop
