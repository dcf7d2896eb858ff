# An infinite loop, stopped by --max-instructions.
main:   addiu   $t0, $t0, 1
        j       main
