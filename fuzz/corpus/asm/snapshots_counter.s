# Writes .data and the heap, snapshots half-way, and goes on.
        .data
value:  .word 0
msg:    .asciiz "count "
marker: .asciiz "-- snapshot --\n"
        .text
main:   li      $a0, 64
        li      $v0, 9
        syscall
        move    $s1, $v0            # heap block
        li      $s0, 0
loop:   addiu   $s0, $s0, 1
        lw      $t0, value
        addu    $t0, $t0, $s0
        sw      $t0, value
        sll     $t1, $s0, 2
        addu    $t1, $t1, $s1
        sw      $s0, 0($t1)
        li      $v0, 4
        la      $a0, msg
        syscall
        lw      $a0, value
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        bne     $s0, 5, skip
        li      $v0, 4
        la      $a0, marker
        syscall
        SNAPSHOT counter.snap
skip:   blt     $s0, 10, loop
        lw      $a0, 20($s1)
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        DUMP_PROCESSOR_STATE
