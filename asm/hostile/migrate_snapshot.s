# Migrates to TARGET, then snapshots: on the receiver, into the receiver's
# own --snapshot-dir; a path leaving it is refused there too.
        .text
main:   li      $s0, 5
        MIGRATE TARGET
        SNAPSHOT moved.snap
        SNAPSHOT ../moved_up.snap
        addiu   $a0, $s0, 1
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
