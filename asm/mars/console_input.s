# Console input as MARS reads it: read_char takes the first character of a
# line and drops the rest; read_string keeps at most length-1 characters and
# drops the rest of an over-long line (the newline is kept when it fits);
# read_int reads a whole line, spaces around the number allowed.
# Expected output made by MARS 4.5 (scripts/gen-mars-expected.sh).
.data
buf:    .space 16
bar:    .asciiz "|"
.text
main:   li $v0, 12          # 'a' of "abc"
        syscall
        move $a0, $v0
        li $v0, 1
        syscall
        jal sep
        li $v0, 12          # 'x' of "xyz"
        syscall
        move $a0, $v0
        li $v0, 1
        syscall
        jal sep
        li $v0, 8           # "abc" of "abcdefg"
        la $a0, buf
        li $a1, 4
        syscall
        li $v0, 4
        syscall
        jal sep
        li $v0, 8           # "xy\n"
        la $a0, buf
        li $a1, 8
        syscall
        li $v0, 4
        syscall
        jal sep
        li $v0, 5           # " 42 "
        syscall
        move $a0, $v0
        li $v0, 1
        syscall
        li $v0, 10
        syscall
sep:    li $v0, 4
        la $a0, bar
        syscall
        jr $ra
