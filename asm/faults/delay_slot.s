# A load in the delay slot of a taken branch faults: the message names the
# slot and its branch (GCC's default -S output has delay slots).
main:
        .set noreorder
        li      $t0, 0
        beq     $t0, $zero, out
        lw      $t1, 0($t0)
out:
        li      $v0, 10
        syscall
        .set reorder
