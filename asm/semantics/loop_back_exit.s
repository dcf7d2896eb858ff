# A list walk whose way out of the loop is a branch back (to code before
# the loop), as GCC lays out CoreMark's: the JIT translates the loop as one
# superblock that closes on itself, the branch back a side exit. The dump's
# retired count checks the refund on the way out.
        .data
node3:  .word   0, 30
node2:  .word   node3, 20
node1:  .word   node2, 10
        .text
main:
        li      $s1, 0                  # sums
        li      $s2, 200                # walks left
        b       walk
found:  addu    $s1, $s1, $v0           # after each walk: add its last value
        addiu   $s2, $s2, -1
        beq     $s2, $zero, done
walk:   la      $v1, node1
        lw      $v0, 4($v1)
step:   lw      $v1, 0($v1)
        beq     $v1, $zero, found       # back: out of the loop
        lw      $t0, 4($v1)
        addu    $v0, $v0, $t0
        bne     $v1, $zero, step
        li      $s1, -1                 # never: the loop leaves through found
done:   li      $v0, 1
        move    $a0, $s1
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        li      $v0, 10
        syscall
