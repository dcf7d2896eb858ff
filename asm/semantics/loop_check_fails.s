# A loop whose base register is misaligned, its word load on a path the
# loop never takes: the JIT's alignment check on entering the loop fails,
# so the loop is translated again with the check in its body, and runs on
# translated (tests/cli.rs checks the share in `--stats`).
        .data
arr:    .space  64
        .text
main:
        la      $s0, arr
        addiu   $s0, $s0, 1
        li      $t9, 200000
loop:
        addiu   $t1, $t1, 3
        bgez    $t9, never
        lw      $t2, 0($s0)
never:
        addiu   $t9, $t9, -1
        bgtz    $t9, loop
        li      $v0, 1
        move    $a0, $t1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
