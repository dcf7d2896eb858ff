# The text segment is read-only.
main:   la      $t0, main
        lw      $t1, 0($t0)         # reading code is allowed
        sw      $t1, 4($t0)         # writing it is not
