# The ladder of superblock.s with delay slots (`.set noreorder`, as GCC
# writes them): each branch's slot runs on both of its paths, and the
# taken paths leave the superblock after their slot.
        .text
main:
        .set    noreorder
        li      $s0, 0                  # the value
        li      $s5, 0                  # slots run
loop:
        andi    $t0, $s0, 15
        slti    $t1, $t0, 4
        bne     $t1, $zero, small
        addiu   $s5, $s5, 1             # slot
        slti    $t1, $t0, 12
        beq     $t1, $zero, large
        addiu   $s5, $s5, 1             # slot
        addiu   $s2, $s2, 1
        andi    $t2, $s0, 1
        beq     $t2, $zero, next
        addiu   $s5, $s5, 1             # slot
        addiu   $s4, $s4, 1
        b       next
        nop
small:  addiu   $s1, $s1, 1
        b       next
        nop
large:  addiu   $s3, $s3, 1
next:   addiu   $s0, $s0, 1
        slti    $t0, $s0, 1000
        bne     $t0, $zero, loop
        nop
        .set    reorder
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s2
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s3
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s4
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s5
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
