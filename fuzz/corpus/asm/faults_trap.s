# Conditional traps.
main:   li      $t0, 5
        tne     $t0, $t0            # not taken
        teqi    $t0, 5              # taken
