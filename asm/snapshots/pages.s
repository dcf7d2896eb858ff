# Copy-on-write restore, page by page: 1 MiB of heap, each 4 KiB page
# stamped with its number; a snapshot; then page 0 read first thing, page
# 128 read half-way (after some output), page 200 never read again.
        .data
mid:    .asciiz "half-way\n"
fin:    .asciiz "end\n"
        .text
main:   li      $a0, 0x100000
        li      $v0, 9
        syscall
        move    $s0, $v0            # heap base (0x10040000)
        li      $t0, 0
stamp:  sll     $t1, $t0, 12
        addu    $t1, $t1, $s0
        addiu   $t2, $t0, 1000
        sw      $t2, 0($t1)
        addiu   $t0, $t0, 1
        blt     $t0, 256, stamp
        SNAPSHOT pages.snap
        lw      $a0, 0($s0)         # page 0 of the heap, first thing
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $v0, 4
        la      $a0, mid
        syscall
        lw      $a0, 0x80000($s0)   # page 128, half-way
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $v0, 4
        la      $a0, fin
        syscall
