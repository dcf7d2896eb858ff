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
	.frame	$sp,32,$31		# vars= 16, regs= 4/0, args= 0, gp= 0
	.mask	0x000f0000,-4
	.fmask	0x00000000,0
	lui	$11,%hi(a)
	lui	$9,%hi(b)
	addiu	$sp,$sp,-32
	addiu	$11,$11,%lo(a)
	li	$8,57600			# 0xe100
	li	$5,1638400			# 0x190000
	sw	$19,28($sp)
	addiu	$9,$9,%lo(b)
	sw	$18,24($sp)
	li	$4,1013841920			# 0x3c6e0000
	sw	$17,20($sp)
	addu	$8,$11,$8
	sw	$16,16($sp)
	li	$7,7			# 0x7
	addiu	$5,$5,26125
	move	$6,$9
	move	$2,$11
	ori	$4,$4,0xf35f
$L2:
	addiu	$13,$2,480
	move	$10,$6
$L3:
	mul	$12,$7,$5
	addiu	$2,$2,4
	addiu	$10,$10,4
	addu	$3,$12,$4
	mul	$12,$3,$5
	srl	$3,$3,24
	addiu	$3,$3,-128
	sw	$3,-4($2)
	addu	$7,$12,$4
	srl	$12,$7,24
	addiu	$3,$12,-128
	sw	$3,-4($10)
	bne	$2,$13,$L3
	addiu	$6,$6,480
	bne	$8,$2,$L2
	lui	$14,%hi(c)
	li	$13,58080			# 0xe2e0
	addiu	$14,$14,%lo(c)
	lui	$25,%hi(c+480)
	lui	$24,%hi(c+57600)
	li	$15,57600			# 0xe100
	li	$10,-65536			# 0xffffffffffff0000
	addu	$15,$9,$15
	addiu	$17,$11,2904
	addu	$9,$9,$13
	move	$16,$0
	addiu	$25,$25,%lo(c+480)
	addiu	$24,$24,%lo(c+57600)
	addiu	$10,$10,7936
	addu	$13,$14,$13
	move	$12,$11
$L4:
	move	$19,$0
	move	$18,$14
$L7:
	sll	$8,$19,4
	move	$6,$15
	subu	$8,$8,$19
	move	$7,$18
	sll	$8,$8,5
	addu	$8,$8,$11
$L9:
	mtlo	$0
	addu	$2,$6,$10
	move	$3,$8
$L5:
	lw	$5,0($3)
	addiu	$2,$2,480
	lw	$4,-480($2)
	addiu	$3,$3,4
	madd	$5,$4
	bne	$2,$6,$L5
	addiu	$6,$2,4
	mflo	$2
	addiu	$7,$7,4
	sw	$2,-4($7)
	bne	$6,$9,$L9
	addiu	$18,$18,480
	addiu	$19,$19,1
	bne	$18,$24,$L7
	move	$5,$25
$L8:
	addiu	$2,$5,-480
$L10:
	sll	$3,$16,5
	lw	$4,0($2)
	addiu	$2,$2,4
	subu	$3,$3,$16
	addu	$16,$3,$4
	bne	$5,$2,$L10
	addiu	$5,$5,480
	bne	$13,$5,$L8
	lw	$2,0($12)
	addiu	$12,$12,484
	addiu	$2,$2,1
	sw	$2,-484($12)
	bne	$12,$17,$L4
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
	lw	$19,28($sp)
	lw	$18,24($sp)
	lw	$17,20($sp)
	lw	$16,16($sp)
	addiu	$sp,$sp,32
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
	.comm	c,57600,4
	.local	b
	.comm	b,57600,4
	.local	a
	.comm	a,57600,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
