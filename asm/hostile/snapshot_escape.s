# SNAPSHOT paths that try to leave the snapshot folder: each must fail
# with a warning while the VM goes on; only ok.snap and victim.snap (a
# symbolic link to a file outside, replaced rather than written through)
# are written, inside the folder. tests/files_and_console.rs lays out the
# links (dirlink -> ../outside, abslink -> /abs/outside, victim.snap).
        .data
done:   .asciiz "still running\n"
        .text
main:   li      $s0, 41
        SNAPSHOT /myvmm-escape-test.snap
        SNAPSHOT ../up.snap
        SNAPSHOT sub/../../up2.snap
        SNAPSHOT dirlink/x.snap
        SNAPSHOT abslink/y.snap
        SNAPSHOT victim.snap
        SNAPSHOT ok.snap
        addiu   $s0, $s0, 1
        move    $a0, $s0
        li      $v0, 1
        syscall
        li      $a0, '\n'
        li      $v0, 11
        syscall
        la      $a0, done
        li      $v0, 4
        syscall
