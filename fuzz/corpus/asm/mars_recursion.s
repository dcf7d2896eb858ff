# Recursion: factorial and Fibonacci with a real call stack.
        .data
fact_msg: .asciiz "10! = "
fib_msg:  .asciiz "fib(15) = "
newline:  .asciiz "\n"

        .text
        .globl main
main:
        addiu   $sp, $sp, -4
        sw      $ra, 0($sp)

        li      $a0, 10
        jal     factorial
        move    $s0, $v0
        la      $a0, fact_msg
        li      $v0, 4
        syscall
        move    $a0, $s0
        li      $v0, 1
        syscall
        la      $a0, newline
        li      $v0, 4
        syscall

        li      $a0, 15
        jal     fib
        move    $s0, $v0
        la      $a0, fib_msg
        li      $v0, 4
        syscall
        move    $a0, $s0
        li      $v0, 1
        syscall
        la      $a0, newline
        li      $v0, 4
        syscall

        lw      $ra, 0($sp)
        addiu   $sp, $sp, 4
        jr      $ra                 # returning from main halts the VM

# factorial(n) = n <= 1 ? 1 : n * factorial(n - 1)
factorial:
        addiu   $sp, $sp, -8
        sw      $ra, 4($sp)
        sw      $a0, 0($sp)
        li      $v0, 1
        ble     $a0, 1, fact_done
        addiu   $a0, $a0, -1
        jal     factorial
        lw      $a0, 0($sp)
        mul     $v0, $v0, $a0
fact_done:
        lw      $ra, 4($sp)
        addiu   $sp, $sp, 8
        jr      $ra

# fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)
fib:
        addiu   $sp, $sp, -12
        sw      $ra, 8($sp)
        sw      $s0, 4($sp)
        sw      $a0, 0($sp)
        move    $v0, $a0
        blt     $a0, 2, fib_done
        addiu   $a0, $a0, -1
        jal     fib
        move    $s0, $v0
        lw      $a0, 0($sp)
        addiu   $a0, $a0, -2
        jal     fib
        addu    $v0, $v0, $s0
fib_done:
        lw      $a0, 0($sp)
        lw      $s0, 4($sp)
        lw      $ra, 8($sp)
        addiu   $sp, $sp, 12
        jr      $ra
