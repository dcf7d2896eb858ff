# MARS 4.5's memory map: the whole data segment from 0x10000000 is mapped
# (the .extern area, the $gp region, .data at 0x10010000 and what follows up
# to the heap), and the first sbrk returns 0x10040000.
        .data
word:   .word 0x11111111
        .text
main:   li      $t0, 0x10000018
        li      $t1, 77
        sw      $t1, 0($t0)         # below .data: mapped in MARS
        lw      $a0, 0($t0)
        li      $v0, 1
        syscall
        jal     newline
        li      $t1, -5
        sw      $t1, 0($gp)         # at $gp = 0x10008000
        sw      $t1, -32768($gp)    # the bottom of the $gp region
        lw      $a0, 0($gp)
        li      $v0, 1
        syscall
        jal     newline
        li      $t0, 0x1003fffc     # the last word before the heap
        sw      $gp, 0($t0)
        lw      $a0, 0($t0)
        li      $v0, 34
        syscall
        jal     newline
        la      $t0, word
        lw      $a0, 0($t0)
        li      $v0, 34
        syscall
        jal     newline
        li      $a0, 4              # the heap
        li      $v0, 9
        syscall
        move    $a0, $v0
        li      $v0, 34
        syscall
        jal     newline
        li      $a0, 100
        li      $v0, 9
        syscall
        move    $a0, $v0
        li      $v0, 34
        syscall
        jal     newline
        li      $v0, 10
        syscall
newline: li     $a0, '\n'
        li      $v0, 11
        syscall
        jr      $ra
