# A branch on an `slt` result with register copies and constants between
# them (`move`, `li`, `lui`, `nop`): the JIT tests the comparison's flags,
# which those leave alone. When something between writes the `slt` result,
# or is anything else (`addu` of two registers), the branch reads the
# register. Both signed and unsigned, taken and not, prints what ran.
        .text
main:   li      $s0, 0
        li      $t0, -3
        li      $t1, 2
        slt     $t2, $t0, $t1       # 1: -3 < 2
        move    $t3, $t0
        li      $t4, 7
        lui     $t5, 0x1234
        nop
        bne     $t2, $zero, a1
        addiu   $s0, $s0, 1000      # skipped
a1:     addiu   $s0, $s0, 1
        sltu    $t2, $t0, $t1       # 0: 0xfffffffd > 2 unsigned
        move    $t6, $t1
        beq     $t2, $zero, a2
        addiu   $s0, $s0, 1000      # skipped
a2:     addiu   $s0, $s0, 10
        slti    $t2, $t1, 1         # 0
        li      $t2, 1              # written between: the branch reads 1
        bne     $t2, $zero, a3
        addiu   $s0, $s0, 1000      # skipped
a3:     addiu   $s0, $s0, 100
        sltiu   $t2, $t1, 5         # 1
        addu    $t7, $t0, $t1       # not a copy: the branch reads $t2
        move    $t8, $t7
        beq     $zero, $t2, a4      # not taken
        addiu   $s0, $s0, 10000
a4:     move    $a0, $s0
        li      $v0, 1
        syscall
        li      $v0, 10
        syscall
