# Forward branches over one to four ALU instructions that write one
# register (if-converted by the JIT: the arm always computed, kept with
# `cmov` when the branch falls through, its count refunded when taken),
# on pseudo-random data so both paths run often. Every branch kind, every
# arm operation, an arm that writes the register its branch tests, arms in
# registers kept in memory, comparisons as arms, and a four-instruction
# arm (too long: a branch as before). The dump's retired count checks the
# refunds.
        .text
main:
        li      $s0, 0x2545f491         # xorshift state
        li      $s6, 0                  # iterations left to count
        li      $s7, 0xa001             # CRC polynomial
        li      $t9, 3000
loop:
        sll     $t0, $s0, 13            # xorshift32
        xor     $s0, $s0, $t0
        srl     $t0, $s0, 17
        xor     $s0, $s0, $t0
        sll     $t0, $s0, 5
        xor     $s0, $s0, $t0
        # A CRC step: if the low bit is set, crc = (crc ^ poly) & 0xffff.
        andi    $t1, $s0, 1
        srl     $s1, $s1, 1
        beq     $t1, $zero, crc_done
        xor     $s1, $s1, $s7
        andi    $s1, $s1, 0xffff
crc_done:
        bne     $t1, $zero, odd
        addiu   $s2, $s2, 3
odd:
        bltz    $s0, negative
        sll     $s3, $s3, 1
        ori     $s3, $s3, 1
        xori    $s3, $s3, 0x55
negative:
        bgez    $s0, positive
        subu    $s4, $s0, $s4           # the arm's register as second operand
positive:
        andi    $t2, $s0, 0x70
        blez    $t2, low
        nor     $s5, $s5, $t2
low:
        bgtz    $t2, high
        sra     $s5, $s5, 2
        or      $s5, $s5, $t2
high:
        # The arm writes the register its branch tests: a countdown.
        beq     $s6, $zero, counted
        addiu   $s6, $s6, -1
counted:
        andi    $t3, $s0, 0x300
        bne     $t3, $zero, reloaded
        addiu   $s6, $zero, 5
reloaded:
        # Registers this program hardly names stay in memory.
        srl     $t4, $s0, 9
        andi    $t4, $t4, 3
        beq     $t4, $zero, fp_done
        lui     $fp, 0x1234
        ori     $fp, $fp, 0x5678
        addu    $fp, $fp, $t4
fp_done:
        bne     $t4, $zero, k1_done
        subu    $k1, $k1, $t2
        nop
k1_done:
        beq     $t3, $t4, four          # a four-instruction arm: a branch
        addiu   $v1, $v1, 1
        sll     $v1, $v1, 1
        xor     $v1, $v1, $s0
        andi    $v1, $v1, 0xfff
four:
        # Comparisons as arms: set-on-less into the arm's register.
        andi    $t5, $s0, 0xc00
        beq     $t5, $zero, cmp1
        slt     $a1, $s0, $a1           # reads the register it sets
cmp1:   bne     $t5, $zero, cmp2
        sltu    $a2, $s7, $s0
cmp2:   bgez    $s0, cmp3
        slti    $a3, $s0, -5000
        addu    $a3, $a3, $a3
cmp3:   bltz    $s0, cmp4
        sltiu   $t6, $s0, 0x7000
        addu    $t7, $t7, $t6           # a second register: a branch
cmp4:
        addiu   $t9, $t9, -1
        bne     $t9, $zero, loop
        li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s2
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s3
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s4
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $s5
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $fp
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $k1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        move    $a0, $v1
        syscall
        li      $v0, 11
        li      $a0, 32
        syscall
        li      $v0, 1
        addu    $a0, $a1, $a2
        sll     $a3, $a3, 4
        addu    $a0, $a0, $a3
        addu    $a0, $a0, $t7
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
