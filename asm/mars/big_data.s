# When static data reaches past 0x10040000, myvmm starts the heap on the
# first page after it (here .data ends at 0x10050008: the heap starts at
# 0x10051000).
# MARS 4.5 itself returns 0x10040000 here, a heap over its own static data:
# a deliberate difference (docs/syscalls.md); this .out is myvmm's, not MARS's.
        .data
first:  .word 1
        .space 0x40000
last:   .word 2
        .text
main:   li      $a0, 8
        li      $v0, 9
        syscall
        move    $a0, $v0
        li      $v0, 34
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        lw      $a0, last
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        li      $v0, 10
        syscall
