# SNAPSHOT is not built yet: the VM stops with a clear message.
main:   li      $t0, 1
        SNAPSHOT snap_after_li.bin
        li      $t0, 2
