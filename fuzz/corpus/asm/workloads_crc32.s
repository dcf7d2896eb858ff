	.file	1 "crc32.c"
	.section .mdebug.abi32
	.previous
	.nan	legacy
	.module	fp=xx
	.module	nooddspreg
	.module	arch=mips32r2
	.text
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"crc32: \000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,24,$31		# vars= 16, regs= 2/0, args= 0, gp= 0
	.mask	0x00030000,-4
	.fmask	0x00000000,0
	lui	$5,%hi(table)
	addiu	$sp,$sp,-24
	addiu	$5,$5,%lo(table)
	li	$4,-306708480			# 0xffffffffedb80000
	move	$6,$0
	sw	$17,20($sp)
	li	$8,256			# 0x100
	sw	$16,16($sp)
	move	$7,$5
	ori	$4,$4,0x8320
$L4:
	li	$17,8			# 0x8
	move	$2,$6
$L3:
	andi	$3,$2,0x1
	addiu	$17,$17,-1
	srl	$2,$2,1
	beq	$3,$0,$L2
	xor	$2,$2,$4
$L2:
	bne	$17,$0,$L3
	addiu	$6,$6,1
	sw	$2,0($7)
	addiu	$7,$7,4
	bne	$6,$8,$L4
	lui	$8,%hi(data)
	move	$3,$0
	addiu	$8,$8,%lo(data)
	move	$2,$0
	li	$9,65536			# 0x10000
	move	$4,$8
$L5:
	srl	$7,$3,7
	addiu	$6,$2,-125
	addiu	$3,$3,1
	addu	$2,$2,$7
	addiu	$4,$4,1
	sb	$2,-1($4)
	andi	$2,$6,0x00ff
	bne	$3,$9,$L5
	li	$6,65536			# 0x10000
	li	$7,2000			# 0x7d0
	addu	$6,$8,$6
$L7:
	nor	$16,$0,$17
	move	$3,$8
$L6:
	lbu	$2,0($3)
	srl	$4,$16,8
	addiu	$3,$3,1
	xor	$2,$2,$16
	andi	$2,$2,0xff
	sll	$2,$2,2
	addu	$2,$5,$2
	lw	$16,0($2)
	xor	$16,$16,$4
	bne	$6,$3,$L6
	addiu	$7,$7,-1
	nor	$17,$0,$16
	bne	$7,$0,$L7
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	move	$2,$5
$L8:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L8
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addiu	$6,$6,1
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$9,$17
	bgez	$17,$L9
	addiu	$17,$16,1
$L9:
	li	$5,-859045888			# 0xffffffffcccc0000
	addiu	$6,$sp,11
	li	$3,12			# 0xc
	ori	$5,$5,0xcccd
$L10:
	multu	$17,$5
	addiu	$6,$6,-1
	sltu	$7,$17,10
	move	$8,$3
	mfhi	$4
	addiu	$3,$3,-1
	srl	$4,$4,3
	sll	$2,$4,2
	addu	$2,$2,$4
	sll	$2,$2,1
	subu	$2,$17,$2
	move	$17,$4
	addiu	$2,$2,48
	sb	$2,1($6)
	beq	$7,$0,$L10
	bltz	$9,$L23
	addu	$5,$sp,$3
$L11:
	li	$6,12			# 0xc
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	subu	$6,$6,$3
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,0($sp)
	move	$5,$sp
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$2,$0
	lw	$17,20($sp)
	lw	$16,16($sp)
	addiu	$sp,$sp,24
	jr	$31
$L23:
	addiu	$3,$8,-2
	li	$2,45			# 0x2d
	addu	$5,$sp,$3
	sb	$2,0($5)
	b	$L11
	.end	main
	.size	main, .-main
	.local	data
	.comm	data,65536,4
	.local	table
	.comm	table,1024,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
