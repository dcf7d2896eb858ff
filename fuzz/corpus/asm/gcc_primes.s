	.file	1 "primes.c"
	.section .mdebug.abi32
	.previous
	.nan	legacy
	.module	fp=xx
	.module	nooddspreg
	.module	arch=mips32r2
	.text
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	put_int
	.type	put_int, @function
put_int:
	.frame	$sp,16,$31		# vars= 16, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	addiu	$sp,$sp,-16
	bltz	$4,$L11
	move	$5,$4
$L2:
	li	$9,-859045888			# 0xffffffffcccc0000
	addiu	$8,$sp,11
	li	$6,12			# 0xc
	ori	$9,$9,0xcccd
$L3:
	multu	$5,$9
	addiu	$8,$8,-1
	sltu	$7,$5,10
	move	$10,$6
	mfhi	$3
	addiu	$6,$6,-1
	srl	$3,$3,3
	sll	$2,$3,2
	addu	$2,$2,$3
	sll	$2,$2,1
	subu	$2,$5,$2
	move	$5,$3
	addiu	$2,$2,48
	sb	$2,1($8)
	beq	$7,$0,$L3
	bltz	$4,$L7
	li	$3,12			# 0xc
	addu	$5,$sp,$6
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	subu	$6,$3,$6
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
$L11:
	subu	$5,$0,$4
	b	$L2
$L7:
	addiu	$6,$10,-2
	li	$2,45			# 0x2d
	addu	$5,$sp,$6
	li	$3,12			# 0xc
	li	$4,1			# 0x1
	sb	$2,0($5)
	subu	$6,$3,$6
	li	$2,4004			# 0xfa4
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
	.end	put_int
	.size	put_int, .-put_int
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"primes: \000"
	.align	2
$LC1:
	.ascii	") = \000"
	.align	2
$LC2:
	.ascii	"gcd(\000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,64,$31		# vars= 8, regs= 10/0, args= 16, gp= 0
	.mask	0xc0ff0000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-64
	sw	$20,40($sp)
	li	$20,-859045888			# 0xffffffffcccc0000
	sw	$19,36($sp)
	li	$19,429457408			# 0x19990000
	sw	$18,32($sp)
	move	$18,$0
	sw	$17,28($sp)
	li	$17,200			# 0xc8
	sw	$16,24($sp)
	move	$16,$0
	sw	$31,60($sp)
	ori	$20,$20,0xcccd
	sw	$fp,56($sp)
	ori	$19,$19,0x999a
	sw	$23,52($sp)
	sw	$22,48($sp)
	sw	$21,44($sp)
$L21:
	slt	$2,$16,2
	bne	$2,$0,$L42
	slt	$2,$16,4
	bne	$2,$0,$L15
	andi	$2,$16,0x1
	beq	$2,$0,$L16
	li	$2,2			# 0x2
	b	$L17
$L18:
	teq	$2,$0,7
	div	$0,$16,$2
	mfhi	$3
	beq	$3,$0,$L16
$L17:
	addiu	$2,$2,1
	mul	$3,$2,$2
	slt	$3,$16,$3
	beq	$3,$0,$L18
$L15:
	addiu	$18,$18,1
	move	$4,$16
	jal	put_int
	mul	$3,$18,$20
	li	$8,10			# 0xa
	li	$7,32			# 0x20
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
	ror	$3,$3,1
	sltu	$3,$3,$19
	movn	$7,$8,$3
	sb	$7,16($sp)
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
$L16:
	addiu	$16,$16,1
	bne	$16,$17,$L21
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	sb	$3,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	move	$2,$5
$L22:
	move	$4,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L22
	li	$20,1			# 0x1
	li	$2,4004			# 0xfa4
	subu	$6,$20,$5
	addu	$6,$6,$4
	li	$4,1			# 0x1
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$4,$18
	jal	put_int
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$3,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lui	$18,%hi($LC1)
	lui	$19,%hi($LC2)
	lui	$17,%hi(pairs.0)
	addiu	$18,$18,%lo($LC1)
	addiu	$19,$19,%lo($LC2)
	addiu	$17,$17,%lo(pairs.0)
	subu	$23,$20,$19
	addiu	$fp,$17,40
	li	$22,44			# 0x2c
	subu	$20,$20,$18
	li	$21,10			# 0xa
$L23:
	move	$2,$19
$L24:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L24
	addu	$6,$23,$6
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	move	$5,$19
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$4,0($17)
	jal	put_int
	li	$2,4004			# 0xfa4
	sb	$22,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$16,4($17)
	move	$4,$16
	jal	put_int
	move	$2,$18
$L25:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L25
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addu	$6,$20,$6
	move	$5,$18
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$2,0($17)
	beq	$16,$0,$L30
$L27:
	teq	$16,$0,7
	div	$0,$2,$16
	move	$4,$16
	move	$2,$4
	mfhi	$16
	bne	$16,$0,$L27
$L26:
	jal	put_int
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$21,17($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,17
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$17,$17,8
	bne	$fp,$17,$L23
	lw	$31,60($sp)
	move	$2,$0
	lw	$fp,56($sp)
	lw	$23,52($sp)
	lw	$22,48($sp)
	lw	$21,44($sp)
	lw	$20,40($sp)
	lw	$19,36($sp)
	lw	$18,32($sp)
	lw	$17,28($sp)
	lw	$16,24($sp)
	addiu	$sp,$sp,64
	jr	$31
$L42:
	addiu	$16,$16,1
	b	$L21
$L30:
	move	$4,$2
	b	$L26
	.end	main
	.size	main, .-main
	.rdata
	.align	2
	.type	pairs.0, @object
	.size	pairs.0, 40
pairs.0:
	.word	1071
	.word	462
	.word	270
	.word	192
	.word	17
	.word	5
	.word	-48
	.word	18
	.word	0
	.word	9
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
