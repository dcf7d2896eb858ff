# HI/LO: signed and unsigned multiply, divide (C-style truncation), madd/msub.
        .macro  show (%reg)
        move    $a0, %reg
        li      $v0, 1
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        .end_macro
main:   li      $t0, -7
        li      $t1, 2
        mult    $t0, $t1
        mfhi    $t2
        mflo    $t3
        show($t2)
        show($t3)
        multu   $t0, $t1
        mfhi    $t2
        show($t2)
        div     $t0, $t1
        mflo    $t2
        mfhi    $t3
        show($t2)
        show($t3)
        li      $t4, 0x80000000
        li      $t5, -1
        div     $t4, $t5            # INT_MIN / -1: no trap
        mflo    $t2
        show($t2)
        mtlo    $zero
        mthi    $zero
        li      $t6, 100000
        madd    $t6, $t6            # 10^10 in HI:LO
        mfhi    $t2
        mflo    $t3
        show($t2)
        show($t3)
        msubu   $t6, $t6
        mfhi    $t2
        mflo    $t3
        show($t2)
        show($t3)
        clz     $t2, $t6
        show($t2)
        li      $t7, 0x12345678
        wsbh    $t2, $t7
        move    $a0, $t2
        li      $v0, 34
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
