# Workload (hand-written): a tight ALU loop, printed with the Linux write
# call and ended with the Linux exit call so GNU as + qemu-mipsel run it too.
        .data
hex:    .ascii  "alu checksum: 0x00000000\n"
digits: .ascii  "0123456789abcdef"
        .text
        .globl  main
main:
        li      $t0, 200000000      # iterations
        li      $t1, 0
        li      $t2, 1
loop:
        addu    $t1, $t1, $t2
        xor     $t3, $t1, $t0
        sll     $t4, $t3, 3
        subu    $t2, $t4, $t0
        addiu   $t0, $t0, -1
        bne     $t0, $zero, loop
        # Write $t1 as 8 hex digits into the message.
        la      $t5, hex
        addiu   $t5, $t5, 23        # last digit
        la      $t6, digits
        li      $t7, 8
digit:
        andi    $t8, $t1, 15
        addu    $t8, $t8, $t6
        lbu     $t8, 0($t8)
        sb      $t8, 0($t5)
        srl     $t1, $t1, 4
        addiu   $t5, $t5, -1
        addiu   $t7, $t7, -1
        bne     $t7, $zero, digit
        li      $v0, 4004           # write(1, hex, 25)
        li      $a0, 1
        la      $a1, hex
        li      $a2, 25
        syscall
        li      $v0, 4001           # exit(0)
        li      $a0, 0
        syscall
