# A branch on an `slt` result where the `slt` is an earlier branch's delay
# slot, run before that branch's own test: the host flags left are the
# earlier branch's, so the later branch must compare again (a review found
# the JIT testing the stale flags).
        .text
main:
        .set    noreorder
        li      $s7, 4
        la      $s4, words
loop:
        li      $a2, -1
        bgtz    $a2, skip1              # not taken; its slot runs first
        slt     $t0, $s7, $zero         # t0 = 0 always
        beq     $t0, $zero, skip2       # must be taken
        lw      $t1, 0($s4)
        addiu   $s0, $s0, 1             # never runs
skip2:
        addiu   $s7, $s7, -1
skip1:
        bne     $s7, $zero, loop
        nop
        .set    reorder
        li      $v0, 1
        move    $a0, $s0
        syscall
        li      $v0, 10
        syscall
        .data
words:  .word   7
