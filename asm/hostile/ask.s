# Prompts without a newline, then reads an integer (syscall 5) and prints
# it: two of these under --workers 1 must not share a line (SPEC §5).
        .data
prompt: .asciiz "n? "
        .text
main:   la $a0, prompt
        li $v0, 4
        syscall
        li $v0, 5
        syscall
        move $a0, $v0
        li $v0, 1
        syscall
        li $a0, '\n'
        li $v0, 11
        syscall
