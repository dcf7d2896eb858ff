# memcpy(dst = $a0, src = $a1, n = $a2) -> $v0 = dst
# Linked in by the assembler when a program calls memcpy without defining it
# (GCC does, even in freestanding code). MIPS o32: clobbers only caller-saved
# registers ($v0, $a0-$a2, $t0-$t2). Every branch is followed by a `nop`, so
# the code means the same with branch delay slots on or off.
        .text
        .globl  memcpy
memcpy:
        move    $v0, $a0
        sltiu   $t0, $a2, 8
        bnez    $t0, tail               # short: bytes only
        nop
align:                                  # byte by byte until dst is word-aligned
        andi    $t0, $a0, 3
        beqz    $t0, words
        nop
        lbu     $t1, 0($a1)
        addiu   $a1, $a1, 1
        sb      $t1, 0($a0)
        addiu   $a0, $a0, 1
        addiu   $a2, $a2, -1
        b       align
        nop
words:
        srl     $t2, $a2, 2             # whole words left (at least one)
        andi    $a2, $a2, 3             # bytes after them
        andi    $t0, $a1, 3
        bnez    $t0, unaligned
        nop
aligned:                                # both aligned: lw/sw
        lw      $t1, 0($a1)
        addiu   $a1, $a1, 4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        addiu   $a0, $a0, 4
        bnez    $t2, aligned
        nop
        b       tail
        nop
unaligned:                              # src unaligned: lwr/lwl read its 4 bytes only
        lwr     $t1, 0($a1)
        lwl     $t1, 3($a1)
        addiu   $a1, $a1, 4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        addiu   $a0, $a0, 4
        bnez    $t2, unaligned
        nop
tail:
        beqz    $a2, done
        nop
bytes:
        lbu     $t1, 0($a1)
        addiu   $a1, $a1, 1
        sb      $t1, 0($a0)
        addiu   $a2, $a2, -1
        addiu   $a0, $a0, 1
        bnez    $a2, bytes
        nop
done:
        jr      $ra
        nop
