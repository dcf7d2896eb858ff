	.file	1 "matmul.c"
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
	.ascii	"matmul checksum: \000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,40,$31		# vars= 16, regs= 5/0, args= 0, gp= 0
	.mask	0x001f0000,-4
	.fmask	0x00000000,0
	lui	$12,%hi(a)
	li	$4,131072			# 0x20000
	lui	$8,%hi(b)
	addiu	$sp,$sp,-40
	addiu	$12,$12,%lo(a)
	addiu	$4,$4,28928
	li	$6,1638400			# 0x190000
	sw	$20,36($sp)
	addiu	$8,$8,%lo(b)
	sw	$19,32($sp)
	li	$5,1013841920			# 0x3c6e0000
	sw	$18,28($sp)
	addu	$4,$12,$4
	sw	$17,24($sp)
	li	$9,7			# 0x7
	sw	$16,20($sp)
	addiu	$6,$6,26125
	move	$7,$8
	move	$2,$12
	ori	$5,$5,0xf35f
$L2:
	addiu	$13,$2,800
	move	$10,$7
$L3:
	mul	$11,$9,$6
	addiu	$2,$2,4
	addiu	$10,$10,4
	addu	$3,$11,$5
	mul	$11,$3,$6
	srl	$3,$3,24
	addiu	$3,$3,-128
	sw	$3,-4($2)
	addu	$9,$11,$5
	srl	$11,$9,24
	addiu	$3,$11,-128
	sw	$3,-4($10)
	bne	$2,$13,$L3
	addiu	$7,$7,800
	bne	$4,$2,$L2
	li	$2,131072			# 0x20000
	lui	$15,%hi(c)
	addiu	$13,$2,29728
	addiu	$15,$15,%lo(c)
	addiu	$2,$2,28928
	lui	$25,%hi(c+800)
	lui	$24,%hi(c+160000)
	li	$9,-196608			# 0xfffffffffffd0000
	addu	$14,$8,$2
	addiu	$17,$12,19296
	addu	$8,$8,$13
	move	$16,$0
	addiu	$25,$25,%lo(c+800)
	addiu	$24,$24,%lo(c+160000)
	li	$18,800			# 0x320
	addu	$13,$15,$13
	move	$11,$12
	ori	$9,$9,0x8f00
$L4:
	move	$20,$0
	move	$19,$15
$L7:
	mul	$2,$20,$18
	move	$6,$14
	move	$7,$19
	addu	$10,$2,$12
$L9:
	mtlo	$0
	addu	$2,$6,$9
	move	$3,$10
$L5:
	lw	$5,0($3)
	addiu	$2,$2,800
	lw	$4,-800($2)
	addiu	$3,$3,4
	madd	$5,$4
	bne	$2,$6,$L5
	addiu	$6,$2,4
	mflo	$2
	addiu	$7,$7,4
	sw	$2,-4($7)
	bne	$6,$8,$L9
	addiu	$19,$19,800
	addiu	$20,$20,1
	bne	$19,$24,$L7
	move	$5,$25
$L8:
	addiu	$2,$5,-800
$L10:
	sll	$3,$16,5
	lw	$4,0($2)
	addiu	$2,$2,4
	subu	$3,$3,$16
	addu	$16,$3,$4
	bne	$5,$2,$L10
	addiu	$5,$5,800
	bne	$13,$5,$L8
	lw	$2,0($11)
	addiu	$11,$11,804
	addiu	$2,$2,1
	sw	$2,-804($11)
	bne	$11,$17,$L4
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	move	$2,$5
$L13:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L13
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addiu	$6,$6,1
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$9,$16
	bgez	$16,$L14
	subu	$16,$0,$16
$L14:
	li	$5,-859045888			# 0xffffffffcccc0000
	addiu	$6,$sp,11
	li	$3,12			# 0xc
	ori	$5,$5,0xcccd
$L15:
	multu	$16,$5
	addiu	$6,$6,-1
	sltu	$7,$16,10
	move	$8,$3
	mfhi	$4
	addiu	$3,$3,-1
	srl	$4,$4,3
	sll	$2,$4,2
	addu	$2,$2,$4
	sll	$2,$2,1
	subu	$2,$16,$2
	move	$16,$4
	addiu	$2,$2,48
	sb	$2,1($6)
	beq	$7,$0,$L15
	bltz	$9,$L25
	addu	$5,$sp,$3
$L16:
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
	lw	$20,36($sp)
	lw	$19,32($sp)
	lw	$18,28($sp)
	lw	$17,24($sp)
	lw	$16,20($sp)
	addiu	$sp,$sp,40
	jr	$31
$L25:
	addiu	$3,$8,-2
	li	$2,45			# 0x2d
	addu	$5,$sp,$3
	sb	$2,0($5)
	b	$L16
	.end	main
	.size	main, .-main
	.local	c
	.comm	c,160000,4
	.local	b
	.comm	b,160000,4
	.local	a
	.comm	a,160000,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
