main:   li      $ra, -4
        bltzal  $ra, 0x407000   # taken: $ra < 0 before the link; the target is outside the text
