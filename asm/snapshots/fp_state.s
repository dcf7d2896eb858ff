# FP registers, FCSR (rounding mode, a condition code) and whether the FPU
# was used travel in a snapshot and a migration.
        .data
big:    .word 0x8800759c, 0x7e37e43c   # 1e300
one:    .word 0x3fc00000                # 1.5
marker: .asciiz "-- snapshot --\n"
        .text
main:   l.s     $f1, one
        l.d     $f2, big
        mul.d   $f4, $f2, $f2       # overflow: +inf, FCSR flags set
        li      $t0, 3
        ctc1    $t0, $31            # round toward minus infinity
        c.lt.s  5, $f0, $f1         # condition code 5 set
        li      $v0, 4
        la      $a0, marker
        syscall
        SNAPSHOT fp_state.snap
        mfc1    $a0, $f1
        li      $v0, 34
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        mfc1    $a0, $f5
        li      $v0, 34
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        cfc1    $a0, $31
        li      $v0, 34
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        DUMP_PROCESSOR_STATE
