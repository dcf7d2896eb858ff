# Loops: sum 1..100, count down, and a nested multiplication table.
        .data
sum_is: .asciiz "sum 1..100 = "
nl:     .asciiz "\n"
space:  .asciiz " "

        .text
main:
        li      $t0, 1              # i
        li      $t1, 0              # sum
sum_loop:
        add     $t1, $t1, $t0
        addi    $t0, $t0, 1
        ble     $t0, 100, sum_loop
        li      $v0, 4
        la      $a0, sum_is
        syscall
        move    $a0, $t1
        li      $v0, 1
        syscall
        li      $v0, 4
        la      $a0, nl
        syscall

        li      $t0, 5              # count down 5..1
down:
        move    $a0, $t0
        li      $v0, 1
        syscall
        li      $v0, 4
        la      $a0, space
        syscall
        subi    $t0, $t0, 1
        bgtz    $t0, down
        li      $v0, 11
        li      $a0, '\n'
        syscall

        li      $s0, 1              # row
rows:
        li      $s1, 1              # column
cols:
        mul     $a0, $s0, $s1
        li      $v0, 1
        syscall
        li      $v0, 11
        li      $a0, ' '
        syscall
        addiu   $s1, $s1, 1
        bleu    $s1, 4, cols
        li      $v0, 11
        li      $a0, 10
        syscall
        addiu   $s0, $s0, 1
        blt     $s0, 5, rows
        li      $v0, 10
        syscall
