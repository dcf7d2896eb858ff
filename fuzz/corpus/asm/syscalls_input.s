# Reading integers, a string and a character from standard input.
        .data
prompt: .asciiz "two numbers: "
name:   .space  32
hello:  .asciiz "hello, "
        .text
main:   li      $v0, 4
        la      $a0, prompt
        syscall
        li      $v0, 5
        syscall
        move    $t0, $v0
        li      $v0, 5
        syscall
        addu    $a0, $t0, $v0
        li      $v0, 1
        syscall
        li      $v0, 11
        li      $a0, '\n'
        syscall
        li      $v0, 8
        la      $a0, name
        li      $a1, 32
        syscall
        li      $v0, 4
        la      $a0, hello
        syscall
        li      $v0, 4
        la      $a0, name
        syscall
        li      $v0, 12
        syscall
        move    $a0, $v0
        li      $v0, 1
        syscall
        li      $v0, 11
        li      $a0, '\n'
        syscall
