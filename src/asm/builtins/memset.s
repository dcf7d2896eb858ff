# memset(dst = $a0, c = $a1, n = $a2) -> $v0 = dst
# Linked in by the assembler when a program calls memset without defining it
# (GCC does, even in freestanding code). MIPS o32: clobbers only caller-saved
# registers ($v0, $a0-$a2, $t0-$t2). Every branch is followed by a `nop`, so
# the code means the same with branch delay slots on or off.
        .text
        .globl  memset
memset:
        move    $v0, $a0
        andi    $a1, $a1, 0xff
        sltiu   $t0, $a2, 8
        bnez    $t0, tail               # short: bytes only
        nop
        sll     $t1, $a1, 8             # the byte in all four lanes
        or      $a1, $a1, $t1
        sll     $t1, $a1, 16
        or      $a1, $a1, $t1
align:                                  # byte by byte until dst is word-aligned
        andi    $t0, $a0, 3
        beqz    $t0, words
        nop
        sb      $a1, 0($a0)
        addiu   $a0, $a0, 1
        addiu   $a2, $a2, -1
        b       align
        nop
words:
        srl     $t2, $a2, 2             # whole words (at least one)
        andi    $a2, $a2, 3             # bytes after them
word:
        sw      $a1, 0($a0)
        addiu   $t2, $t2, -1
        addiu   $a0, $a0, 4
        bnez    $t2, word
        nop
tail:
        beqz    $a2, done
        nop
bytes:
        sb      $a1, 0($a0)
        addiu   $a2, $a2, -1
        addiu   $a0, $a0, 1
        bnez    $a2, bytes
        nop
done:
        jr      $ra
        nop
