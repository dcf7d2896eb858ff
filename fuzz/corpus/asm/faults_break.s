# break stops the VM.
main:   li      $t0, 1
        break   5
