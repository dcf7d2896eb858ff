# MARS macros, .eqv, .include and the heap (sbrk).
        .include "macros.inc"
        .eqv    COUNT, 5

        .text
main:
        li      $a0, COUNT * 4
        li      $v0, 9              # sbrk
        syscall
        move    $s0, $v0            # int squares[COUNT] on the heap
        li      $t0, 0
fill:
        mul     $t1, $t0, $t0
        sll     $t2, $t0, 2
        addu    $t2, $t2, $s0
        sw      $t1, ($t2)
        addiu   $t0, $t0, 1
        blt     $t0, COUNT, fill

        li      $t0, 0
show:
        sll     $t2, $t0, 2
        addu    $t2, $t2, $s0
        lw      $t3, ($t2)
        print_int($t3)
        print_char(' ')
        addiu   $t0, $t0, 1
        blt     $t0, COUNT, show
        print_char('\n')
        print_str("done")
        done
