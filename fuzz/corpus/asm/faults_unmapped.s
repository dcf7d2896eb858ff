# A null-pointer load: address 0 is not mapped.
main:   move    $t0, $zero
        lw      $t1, 0($t0)
