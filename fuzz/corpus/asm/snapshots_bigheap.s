# Fills 2 MiB of heap with a pattern (leaving every other 64 KiB zero),
# snapshots, then checks and sums it.
        .data
marker: .asciiz "-- snapshot --\n"
        .text
main:   li      $a0, 0x200000
        li      $v0, 9
        syscall
        move    $s0, $v0            # base
        li      $s1, 0              # offset
fill:   srl     $t0, $s1, 16
        andi    $t0, $t0, 1
        bnez    $t0, next           # odd 64 KiB blocks stay zero
        xor     $t1, $s1, 0x5a5a5a5a
        addu    $t2, $s0, $s1
        sw      $t1, 0($t2)
next:   addiu   $s1, $s1, 4
        blt     $s1, 0x200000, fill
        li      $v0, 4
        la      $a0, marker
        syscall
        SNAPSHOT bigheap.snap
        li      $s1, 0
        li      $s2, 0              # sum
sum:    addu    $t2, $s0, $s1
        lw      $t1, 0($t2)
        addu    $s2, $s2, $t1
        addiu   $s1, $s1, 4
        blt     $s1, 0x200000, sum
        move    $a0, $s2
        li      $v0, 34
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        DUMP_PROCESSOR_STATE
