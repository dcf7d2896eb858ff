# MIGRATE to an address that is not one: the migration fails at once and
# the VM goes on at home (a warning says so), finishing normally.
        .data
before: .asciiz "before\n"
after:  .asciiz "after, still at home\n"
        .text
main:   li      $v0, 4
        la      $a0, before
        syscall
        MIGRATE no-such-host:notaport
        li      $v0, 4
        la      $a0, after
        syscall
