# A small program for --trace: a loop, a call, memory, HI/LO, FP and a syscall.
        .data
total:  .word   0
half:   .float  0.5
        .text
main:   li      $t0, 3              # count down from 3
        li      $t1, 0
loop:   addu    $t1, $t1, $t0
        addiu   $t0, $t0, -1
        bgtz    $t0, loop
        sw      $t1, total          # 3 + 2 + 1
        jal     square
        mult    $v0, $t1
        mflo    $a0
        li      $v0, 1              # print_int
        syscall
        lwc1    $f0, half
        add.s   $f2, $f0, $f0
        sb      $a0, total + 1
        li      $v0, 10
        syscall
square: mul     $v0, $t1, $t1
        jr      $ra
