# Strings: length, reverse in place, upper-case, and compare.
        .eqv    PRINT_STRING 4
        .eqv    PRINT_INT 1
        .data
text:   .asciiz "Hypervisors run MIPS"
len_msg: .asciiz "length: "
nl:     .asciiz "\n"
same:   .asciiz "abc"
other:  .asciiz "abd"
cmp_msg: .asciiz "compare: "

        .text
main:
        la      $a0, text
        jal     strlen
        move    $s0, $v0
        li      $v0, PRINT_STRING
        la      $a0, len_msg
        syscall
        li      $v0, PRINT_INT
        move    $a0, $s0
        syscall
        li      $v0, PRINT_STRING
        la      $a0, nl
        syscall

        la      $a0, text           # reverse in place
        addu    $a1, $a0, $s0
        addiu   $a1, $a1, -1
reverse:
        bge     $a0, $a1, reversed
        lbu     $t0, 0($a0)
        lbu     $t1, 0($a1)
        sb      $t1, 0($a0)
        sb      $t0, 0($a1)
        addiu   $a0, $a0, 1
        addiu   $a1, $a1, -1
        b       reverse
reversed:
        li      $v0, PRINT_STRING
        la      $a0, text
        syscall
        la      $a0, nl
        syscall

        la      $t0, text           # upper-case
upper:
        lbu     $t1, ($t0)
        beqz    $t1, uppered
        blt     $t1, 'a', next_char
        bgt     $t1, 'z', next_char
        addiu   $t1, $t1, 'A' - 'a'
        sb      $t1, ($t0)
next_char:
        addiu   $t0, $t0, 1
        j       upper
uppered:
        li      $v0, PRINT_STRING
        la      $a0, text
        syscall
        la      $a0, nl
        syscall

        la      $a0, same
        la      $a1, other
        jal     strcmp
        move    $s0, $v0
        li      $v0, PRINT_STRING
        la      $a0, cmp_msg
        syscall
        li      $v0, PRINT_INT
        move    $a0, $s0
        syscall
        li      $v0, PRINT_STRING
        la      $a0, nl
        syscall
        li      $v0, 10
        syscall

# strlen(a0) -> v0
strlen:
        move    $v0, $zero
strlen_loop:
        addu    $t0, $a0, $v0
        lb      $t0, 0($t0)
        beqz    $t0, strlen_done
        addiu   $v0, $v0, 1
        j       strlen_loop
strlen_done:
        jr      $ra

# strcmp(a0, a1) -> v0 = difference of the first differing bytes
strcmp:
        lbu     $t0, 0($a0)
        lbu     $t1, 0($a1)
        subu    $v0, $t0, $t1
        bnez    $v0, strcmp_done
        beqz    $t0, strcmp_done
        addiu   $a0, $a0, 1
        addiu   $a1, $a1, 1
        j       strcmp
strcmp_done:
        jr      $ra
