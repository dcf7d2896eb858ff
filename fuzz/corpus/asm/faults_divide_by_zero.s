# MARS's 3-operand div checks the divisor and breaks on zero; the machine
# div instruction itself does not trap (LO = -1, HI = dividend).
        .text
main:   li      $t0, 7
        li      $t1, 0
        div     $t0, $t1            # machine instruction: no trap
        mflo    $a0
        li      $v0, 1
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        mfhi    $a0
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        div     $t2, $t0, $t1       # pseudo-instruction: breaks
