# lwl/lwr/swl/swr in a loop that gets hot (translated from its 8th pass): the loads merge into their
# registers, the stores into a data word, until an swl aims at the
# read-only text. The fault names the swl, nothing of it is written, and
# the registers and instructions retired are the interpreter's.
        .data
word:   .word   0x11223344
        .text
main:
        la      $s0, word
        li      $s1, 0
        li      $s2, 0x0a0b0c0d
loop:
        addu    $t0, $s0, $s1
        andi    $t0, $t0, -4
        addu    $t0, $t0, $s1
        lwl     $s3, 0($t0)
        lwr     $s4, 0($t0)
        swr     $s2, 0($t0)
        swl     $s2, 0($t0)
        addiu   $s1, $s1, 1
        slti    $t1, $s1, 100
        bne     $t1, $zero, loop
        la      $t2, main
        swl     $s2, 1($t2)             # the text is read-only: faults here
        li      $s5, 1
