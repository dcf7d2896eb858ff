# Sums the squares of a list through a function, then exits with status 3.
# tests/gdb.rs steps through it with gdb-multiarch (docs/gdb.md); run
# alone it prints "total = 173".
        .data
values:   .word 3, 1, 4, 1, 5, 9, 2, 6
count:    .word 8
total_is: .asciiz "total = "

        .text
main:
        la      $s0, values
        lw      $s1, count
        li      $s2, 0              # the total
        li      $s3, 0              # the index
next:
        sll     $t0, $s3, 2
        addu    $t0, $t0, $s0
        lw      $a0, 0($t0)
        jal     square
        addu    $s2, $s2, $v0       # back from square
        addiu   $s3, $s3, 1
        blt     $s3, $s1, next
        li      $v0, 4
        la      $a0, total_is
        syscall
        move    $a0, $s2
        li      $v0, 1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 17             # exit2(3)
        li      $a0, 3
        syscall

# square(a0) = a0 * a0
square:
        mul     $v0, $a0, $a0
        jr      $ra
