# Random numbers (seeded) and a string edited in .data around a snapshot:
# the generator's state and the data travel in the snapshot.
        .data
text:   .asciiz "snapshot me"
marker: .asciiz "-- snapshot --\n"
        .text
main:   li      $a0, 1
        li      $a1, 99
        li      $v0, 40             # seed generator 1
        syscall
        la      $t0, text
        li      $t1, 'S'
        sb      $t1, 0($t0)
        li      $a0, 1
        li      $a1, 1000
        li      $v0, 42
        syscall
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $v0, 4
        la      $a0, marker
        syscall
        SNAPSHOT rng.snap
        li      $a0, 1
        li      $a1, 1000
        li      $v0, 42
        syscall
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        la      $a0, text
        li      $v0, 4
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        DUMP_PROCESSOR_STATE
