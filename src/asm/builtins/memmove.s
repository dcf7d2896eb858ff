# memmove(dst = $a0, src = $a1, n = $a2) -> $v0 = dst, correct for any overlap:
# forwards when dst is below src or the areas do not meet, else backwards.
# Linked in by the assembler when a program calls memmove without defining it
# (GCC does, even in freestanding code). MIPS o32: clobbers only caller-saved
# registers ($v0, $a0-$a2, $t0-$t3). Every branch is followed by a `nop`, so
# the code means the same with branch delay slots on or off.
        .text
        .globl  memmove
memmove:
        move    $v0, $a0
        sltu    $t0, $a1, $a0           # src < dst?
        beqz    $t0, forward
        nop
        addu    $t3, $a1, $a2           # src end
        sltu    $t0, $a0, $t3           # and dst inside [src, src + n)?
        bnez    $t0, backward
        nop
# Forwards (as memcpy): each word is read before anything at or above it is written.
forward:
        sltiu   $t0, $a2, 8
        bnez    $t0, f_tail
        nop
f_align:
        andi    $t0, $a0, 3
        beqz    $t0, f_words
        nop
        lbu     $t1, 0($a1)
        addiu   $a1, $a1, 1
        sb      $t1, 0($a0)
        addiu   $a0, $a0, 1
        addiu   $a2, $a2, -1
        b       f_align
        nop
f_words:
        srl     $t2, $a2, 2
        andi    $a2, $a2, 3
        andi    $t0, $a1, 3
        bnez    $t0, f_unaligned
        nop
f_aligned:
        lw      $t1, 0($a1)
        addiu   $a1, $a1, 4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        addiu   $a0, $a0, 4
        bnez    $t2, f_aligned
        nop
        b       f_tail
        nop
f_unaligned:
        lwr     $t1, 0($a1)
        lwl     $t1, 3($a1)
        addiu   $a1, $a1, 4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        addiu   $a0, $a0, 4
        bnez    $t2, f_unaligned
        nop
f_tail:
        beqz    $a2, done
        nop
f_bytes:
        lbu     $t1, 0($a1)
        addiu   $a1, $a1, 1
        sb      $t1, 0($a0)
        addiu   $a2, $a2, -1
        addiu   $a0, $a0, 1
        bnez    $a2, f_bytes
        nop
        b       done
        nop
# Backwards from the ends: dst is above src, so each word is read before
# anything at or below it is written.
backward:
        addu    $a0, $a0, $a2           # dst end
        move    $a1, $t3                # src end
        sltiu   $t0, $a2, 8
        bnez    $t0, b_tail
        nop
b_align:
        andi    $t0, $a0, 3
        beqz    $t0, b_words
        nop
        addiu   $a1, $a1, -1
        lbu     $t1, 0($a1)
        addiu   $a0, $a0, -1
        sb      $t1, 0($a0)
        addiu   $a2, $a2, -1
        b       b_align
        nop
b_words:
        srl     $t2, $a2, 2
        andi    $a2, $a2, 3
        andi    $t0, $a1, 3
        bnez    $t0, b_unaligned
        nop
b_aligned:
        addiu   $a1, $a1, -4
        lw      $t1, 0($a1)
        addiu   $a0, $a0, -4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        bnez    $t2, b_aligned
        nop
        b       b_tail
        nop
b_unaligned:
        addiu   $a1, $a1, -4
        lwr     $t1, 0($a1)
        lwl     $t1, 3($a1)
        addiu   $a0, $a0, -4
        sw      $t1, 0($a0)
        addiu   $t2, $t2, -1
        bnez    $t2, b_unaligned
        nop
b_tail:
        beqz    $a2, done
        nop
b_bytes:
        addiu   $a1, $a1, -1
        lbu     $t1, 0($a1)
        addiu   $a0, $a0, -1
        sb      $t1, 0($a0)
        addiu   $a2, $a2, -1
        bnez    $a2, b_bytes
        nop
done:
        jr      $ra
        nop
