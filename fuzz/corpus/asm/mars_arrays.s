# Arrays: sum, maximum and a bubble sort of a .word array, then print it.
        .data
array:  .word   34, -7, 12, 0, 99, 5, -120, 42, 8, 17
length: .word   10
sum_msg: .asciiz "sum = "
max_msg: .asciiz "max = "
sorted:  .asciiz "sorted:"

        .text
main:
        la      $s0, array
        lw      $s1, length

        # sum and max
        li      $t0, 0              # index
        li      $t1, 0              # sum
        lw      $t2, 0($s0)         # max
sum_max:
        sll     $t3, $t0, 2
        addu    $t3, $t3, $s0
        lw      $t4, ($t3)
        addu    $t1, $t1, $t4
        ble     $t4, $t2, not_bigger
        move    $t2, $t4
not_bigger:
        addiu   $t0, $t0, 1
        blt     $t0, $s1, sum_max

        la      $a0, sum_msg
        li      $v0, 4
        syscall
        move    $a0, $t1
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        la      $a0, max_msg
        li      $v0, 4
        syscall
        move    $a0, $t2
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall

        # bubble sort
        addiu   $t0, $s1, -1        # passes left
outer:
        blez    $t0, print
        li      $t1, 0
inner:
        sll     $t3, $t1, 2
        addu    $t3, $t3, $s0
        lw      $t4, 0($t3)
        lw      $t5, 4($t3)
        ble     $t4, $t5, in_order
        sw      $t5, 0($t3)
        sw      $t4, 4($t3)
in_order:
        addiu   $t1, $t1, 1
        blt     $t1, $t0, inner
        addiu   $t0, $t0, -1
        b       outer

print:
        la      $a0, sorted
        li      $v0, 4
        syscall
        li      $t0, 0
print_loop:
        li      $a0, ' '
        li      $v0, 11
        syscall
        sll     $t3, $t0, 2
        lw      $a0, array($t3)
        li      $v0, 1
        syscall
        addiu   $t0, $t0, 1
        blt     $t0, $s1, print_loop
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $v0, 10
        syscall
