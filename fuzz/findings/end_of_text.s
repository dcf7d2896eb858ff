main:   li      $t0, 1
        bgez    $t0, end        # taken, to the address just past the last instruction
        nop
end:
