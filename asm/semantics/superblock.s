# If/else ladders in a hot loop: forward branches whose paths not taken run
# on in one translation (a superblock) and whose taken paths leave it.
# Counts the values 0..999 by class of their low four bits.
        .text
main:
        li      $s0, 0                  # the value
        li      $s1, 0                  # low bits 0..3
        li      $s2, 0                  # 4..11
        li      $s3, 0                  # 12..15
        li      $s4, 0                  # 4..11 and odd
loop:
        andi    $t0, $s0, 15
        slti    $t1, $t0, 4
        bne     $t1, $zero, small
        slti    $t1, $t0, 12
        beq     $t1, $zero, large
        addiu   $s2, $s2, 1
        andi    $t2, $s0, 1
        beq     $t2, $zero, next
        addiu   $s4, $s4, 1
        j       next
small:  addiu   $s1, $s1, 1
        j       next
large:  addiu   $s3, $s3, 1
next:   addiu   $s0, $s0, 1
        blt     $s0, 1000, loop
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
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
