	.file	1 "mandelbrot.c"
	.section .mdebug.abi32
	.previous
	.nan	legacy
	.module	fp=xx
	.module	nooddspreg
	.module	arch=mips32r2
	.text
#APP
	.text
.globl main
main:
	li $8, -8
	and $29, $29, $8
	j fp_main

#NO_APP
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
 # 14 "../gcc/rt.h" 1
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
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
	.end	put_int
	.size	put_int, .-put_int
	.align	2
	.globl	fp_main
	.set	nomips16
	.set	nomicromips
	.ent	fp_main
	.type	fp_main, @function
fp_main:
	.frame	$sp,48,$31		# vars= 8, regs= 2/4, args= 16, gp= 0
	.mask	0x80010000,-20
	.fmask	0x00f00000,-8
	addiu	$sp,$sp,-48
	lui	$2,%hi($LC0)
	sdc1	$f22,40($sp)
	move	$8,$0
	sw	$16,24($sp)
	move	$4,$0
	lwc1	$f22,%lo($LC0)($2)
	lui	$2,%hi($LC1)
	move	$16,$0
	sw	$31,28($sp)
	sdc1	$f20,32($sp)
	li	$3,200			# 0xc8
	li	$7,600			# 0x258
	lwc1	$f20,%lo($LC1)($2)
	lui	$2,%hi($LC2)
	li	$9,400			# 0x190
	lwc1	$f18,%lo($LC2)($2)
	lui	$2,%hi($LC3)
	lwc1	$f16,%lo($LC3)($2)
	lui	$2,%hi($LC4)
	lwc1	$f12,%lo($LC4)($2)
$L17:
	mtc1	$8,$f0
	move	$5,$0
	cvt.s.w	$f14,$f0
	mul.s	$f14,$f14,$f22
	sub.s	$f14,$f14,$f20
$L16:
	move	$2,$0
	mtc1	$5,$f0
	mtc1	$0,$f2
	cvt.s.w	$f10,$f0
	mov.s	$f0,$f2
	mul.s	$f10,$f10,$f18
	sub.s	$f10,$f10,$f16
	b	$L13
$L15:
	add.s	$f0,$f0,$f0
	addiu	$2,$2,1
	sub.s	$f4,$f4,$f6
	mul.s	$f2,$f0,$f2
	add.s	$f0,$f4,$f10
	add.s	$f2,$f2,$f14
	beq	$2,$3,$L18
$L13:
	mul.s	$f4,$f0,$f0
	mul.s	$f6,$f2,$f2
	add.s	$f8,$f4,$f6
	c.le.s	$fcc0,$f8,$f12
	bc1t	$fcc0,$L15
	move	$10,$0
$L14:
	sll	$6,$16,5
	addiu	$5,$5,1
	subu	$6,$6,$16
	addu	$4,$4,$10
	addu	$16,$6,$2
	bne	$5,$7,$L16
	addiu	$8,$8,1
	bne	$8,$9,$L17
	jal	put_int
	li	$3,32			# 0x20
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$3,16($sp)
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$4,$16
	jal	put_int
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$3,16($sp)
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,28($sp)
	move	$2,$0
	ldc1	$f22,40($sp)
	lw	$16,24($sp)
	ldc1	$f20,32($sp)
	addiu	$sp,$sp,48
	jr	$31
$L18:
	li	$2,200			# 0xc8
	li	$10,1			# 0x1
	b	$L14
	.end	fp_main
	.size	fp_main, .-fp_main
	.section	.rodata.cst4,"aM",@progbits,4
	.align	2
$LC0:
	.word	1002740646
	.align	2
$LC1:
	.word	1067030938
	.align	2
$LC2:
	.word	1000593162
	.align	2
$LC3:
	.word	1074161254
	.align	2
$LC4:
	.word	1082130432
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
