# Hello, world in MARS/SPIM style: print a string, then exit.
        .data
greeting:
        .asciiz "Hello, world!\n"

        .text
        .globl main
main:
        li      $v0, 4              # print_string
        la      $a0, greeting
        syscall
        li      $v0, 10             # exit
        syscall
