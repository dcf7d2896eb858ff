# memcmp(a = $a0, b = $a1, n = $a2) -> $v0 = 0 when the n bytes are equal, else
# the difference of the first differing bytes (as unsigned chars).
# Linked in by the assembler when a program calls memcmp without defining it
# (GCC does, even in freestanding code). MIPS o32: clobbers only caller-saved
# registers ($v0, $a0-$a2, $t0-$t2). Every branch is followed by a `nop`, so
# the code means the same with branch delay slots on or off.
        .text
        .globl  memcmp
memcmp:
        or      $t0, $a0, $a1
        andi    $t0, $t0, 3
        bnez    $t0, bytes              # not both aligned: bytes
        nop
words:                                  # a word at a time while 4 bytes are left
        sltiu   $t0, $a2, 4
        bnez    $t0, bytes
        nop
        lw      $t1, 0($a0)
        lw      $t2, 0($a1)
        bne     $t1, $t2, bytes         # the bytes loop finds which byte differs
        nop
        addiu   $a0, $a0, 4
        addiu   $a1, $a1, 4
        addiu   $a2, $a2, -4
        b       words
        nop
bytes:
        beqz    $a2, equal
        nop
byte:
        lbu     $t1, 0($a0)
        lbu     $t2, 0($a1)
        bne     $t1, $t2, differ
        nop
        addiu   $a0, $a0, 1
        addiu   $a1, $a1, 1
        addiu   $a2, $a2, -1
        bnez    $a2, byte
        nop
equal:
        move    $v0, $zero
        jr      $ra
        nop
differ:
        subu    $v0, $t1, $t2
        jr      $ra
        nop
