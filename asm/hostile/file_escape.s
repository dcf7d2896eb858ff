# Guest file paths that try to leave the --allow-files folder, each through
# a different door; every open must fail (-1) and nothing outside may be
# read, created or emptied. tests/files_and_console.rs lays out the folder:
# abs -> /abs/outside/secret, rel -> ../outside/secret, dirlink -> ../outside,
# fifo (a FIFO nobody writes), sub (a folder). Then a file inside works.
        .data
paths:  .asciiz "abs"           # read through an absolute link
        .asciiz "rel"           # read through a relative link
        .asciiz "dirlink/secret"
        .asciiz "../outside/secret"
        .asciiz "/etc/passwd"
        .asciiz "fifo"          # would block forever if opened blocking
        .asciiz "sub"           # a folder, not a file
flags:  .word 0, 0, 0, 0, 0, 0, 0
wpaths: .asciiz "abs"           # create: would empty the outside file
        .asciiz "dirlink/new.txt"
        .asciiz "dirlink/app.txt"
        .asciiz "../new.txt"
wflags: .word 1, 1, 9, 1
inside: .asciiz "inside.txt"
text:   .ascii  "ok\n"
buf:    .space  16
        .text
main:   la      $s0, paths
        la      $s1, flags
        li      $s2, 11             # 7 reads, then 4 writes
loop:   move    $a0, $s0
        lw      $a1, 0($s1)
        li      $v0, 13
        syscall
        move    $a0, $v0
        li      $v0, 1
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
next:   lbu     $t0, 0($s0)         # to the next string
        addiu   $s0, $s0, 1
        bnez    $t0, next
        addiu   $s1, $s1, 4
        addiu   $s2, $s2, -1
        bne     $s2, 4, same
        la      $s0, wpaths
        la      $s1, wflags
same:   bnez    $s2, loop
        la      $a0, inside         # a file inside the folder works
        li      $a1, 1
        li      $v0, 13
        syscall
        move    $s3, $v0
        move    $a0, $s3
        la      $a1, text
        li      $a2, 3
        li      $v0, 15
        syscall
        move    $a0, $s3
        li      $v0, 16
        syscall
        la      $a0, inside
        li      $a1, 0
        li      $v0, 13
        syscall
        move    $a0, $v0
        la      $a1, buf
        li      $a2, 16
        li      $v0, 14
        syscall
        la      $a0, buf
        li      $v0, 4
        syscall
