# MIGRATE is not built yet: the VM stops with a clear message.
main:   li      $t0, 1
        MIGRATE 127.0.0.1:2830
        li      $t0, 2
