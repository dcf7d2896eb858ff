# A branch on a register a select's arm set with `slt` (see select.s): the
# arm's comparison leaves no host flags behind (the select's own compare
# comes after it), so the branch must test the register itself, as it
# does after any `slt` that may not have run.
        .text
main:
        li      $s5, 100
loop:
        andi    $t0, $s5, 7
        li      $t1, 3
        li      $t2, 0
        beq     $t0, $t1, join
        slt     $t2, $t1, $t0
join:
        bnez    $t2, yes
        addiu   $s0, $s0, 1
        b       next
yes:    addiu   $s1, $s1, 1
next:   addiu   $s5, $s5, -1
        bnez    $s5, loop
        li      $v0, 1
        move    $a0, $s0
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
