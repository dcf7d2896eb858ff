# A VM with 32 MiB of heap in use that keeps writing a 4 MiB working set,
# for live (pre-copy) migration: a test puts MIGRATE TARGET in place of the
# marked nop; the checksum it prints at the end covers every word, so a
# page lost or stale on the way shows. Run as is, it never migrates.
        .data
done_msg: .asciiz "passes done, checksum "
        .text
main:   li      $a0, 33554432           # 32 MiB of heap
        li      $v0, 9
        syscall
        move    $s0, $v0                # base
        li      $s2, 8388608            # words
        li      $t0, 0
fill:   sll     $t2, $t0, 2
        addu    $t2, $t2, $s0
        li      $t3, 0x9e3779b1
        mul     $t3, $t3, $t0
        sw      $t3, 0($t2)
        addiu   $t0, $t0, 1
        bne     $t0, $s2, fill
        li      $s1, 0                  # pass
pass:   # the working set: 1 Mi words from (pass % 8) MiB on
        andi    $t4, $s1, 7
        sll     $t4, $t4, 20
        addu    $t4, $t4, $s0
        li      $t0, 0
        li      $t5, 1048576
touch:  sll     $t2, $t0, 2
        addu    $t2, $t2, $t4
        lw      $t3, 0($t2)
        addu    $t3, $t3, $s1
        xor     $t3, $t3, $t0
        sw      $t3, 0($t2)
        addiu   $t0, $t0, 1
        bne     $t0, $t5, touch
        bne     $s1, 2, next
        nop                             # tests: MIGRATE here
next:   addiu   $s1, $s1, 1
        blt     $s1, 60, pass
        # checksum: sum of word[i] * (i | 1)
        li      $t0, 0
        li      $s3, 0
sum:    sll     $t2, $t0, 2
        addu    $t2, $t2, $s0
        lw      $t3, 0($t2)
        ori     $t6, $t0, 1
        mul     $t3, $t3, $t6
        addu    $s3, $s3, $t3
        addiu   $t0, $t0, 1
        bne     $t0, $s2, sum
        move    $a0, $s1
        li      $v0, 1
        syscall
        li      $a0, ' '
        li      $v0, 11
        syscall
        la      $a0, done_msg
        li      $v0, 4
        syscall
        move    $a0, $s3
        li      $v0, 34                 # print_hex
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
