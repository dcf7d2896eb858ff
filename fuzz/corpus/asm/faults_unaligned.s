# Unaligned word loads are address errors.
        .data
words:  .word 1, 2
        .text
main:   la      $t0, words
        lw      $t1, 4($t0)         # aligned: fine
        lw      $t2, 1($t0)         # unaligned: fault
