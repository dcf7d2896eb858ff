# Branches that are always taken — `b` (beq $0, $0), `beq` of a register
# with itself — translate as plain jumps; here with delay slots (the slot
# runs first, `beql`'s too) and a jump to the end of the text (a halt).
        .set    noreorder
main:   li      $t0, 5
        li      $t1, 0
loop:   addiu   $t1, $t1, 3
        addiu   $t0, $t0, -1
        beq     $t0, $zero, done
        nop
        b       loop
        addiu   $t1, $t1, 1         # the slot of `b`: runs every time
done:   beq     $t1, $t1, print
        addiu   $t1, $t1, 100       # runs too
        li      $t1, -1             # skipped
print:  move    $a0, $t1
        li      $v0, 1
        syscall
        beql    $zero, $zero, end
        li      $a0, 10             # branch-likely taken: the slot runs
        li      $a0, 33             # skipped
end:    li      $v0, 11
        syscall
        b       past
        nop
        li      $v0, 1              # skipped
        syscall
past:
