# Snapshots ten times to a path of its own and ten times to a path every
# copy shares, changing 1 MiB of memory in between. tests/files_and_console.rs
# runs eight copies at once (VMID replaced by 1 to 8): no write may be lost
# or torn.
        .data
big:    .space  0x100000
msg:    .asciiz "done VMID\n"
        .text
main:   li      $s0, 10
loop:   la      $t1, big
        li      $t2, 0x4000
touch:  sw      $s0, 0($t1)
        addiu   $t1, $t1, 64
        addiu   $t2, $t2, -1
        bnez    $t2, touch
        SNAPSHOT own_VMID.snap
        SNAPSHOT shared.snap
        addiu   $s0, $s0, -1
        bnez    $s0, loop
        la      $a0, msg
        li      $v0, 4
        syscall
