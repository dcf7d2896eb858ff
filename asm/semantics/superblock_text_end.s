# A superblock whose last block runs into the end of the text (no exit
# call): the path that stays must end there, not fall into the code of a
# branch's side exit (a review found the tail running twice).
        .text
main:
        li      $s7, 5
loop:
        addiu   $s1, $s1, 1
        addiu   $s7, $s7, -1
        bne     $s7, $zero, loop
        li      $t0, 1
        beq     $t0, $zero, skip        # forward, not taken
        addiu   $s0, $s0, 1
skip:
        addiu   $s2, $s2, 1             # the text ends here (no exit syscall)
