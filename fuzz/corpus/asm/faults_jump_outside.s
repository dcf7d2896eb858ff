# Jumping outside the program faults.
main:   li      $t0, 0x00300000
        jr      $t0
