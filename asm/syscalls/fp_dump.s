# DUMP_PROCESSOR_STATE once the VM has used the FPU: the 32 FP registers
# (hex and float, each even/odd pair as a double) and FCSR with its
# condition codes, rounding mode and flags.
        .data
pi:     .double 3.141592653589793
third:  .float 0.33333334
        .text
main:   l.d     $f2, pi
        l.s     $f5, third
        neg.s   $f6, $f5
        li      $t0, 0x7f800000
        mtc1    $t0, $f7            # +Infinity
        div.d   $f8, $f2, $f2       # 1.0
        li      $t0, 0x00000001
        mtc1    $t0, $f31           # the smallest subnormal float
        c.lt.d  2, $f8, $f2         # cc2: 1 < pi
        c.eq.s  $f5, $f6            # cc0 cleared
        li      $t0, 2
        ctc1    $t0, $31            # toward +inf (keeps no cc: ctc1 $31 writes them all)
        c.le.s  7, $f5, $f5         # cc7
        DUMP_PROCESSOR_STATE
