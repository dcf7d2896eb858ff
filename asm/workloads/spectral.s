	.file	1 "spectral.c"
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
	.ent	mul_atv.constprop.0
	.type	mul_atv.constprop.0, @function
mul_atv.constprop.0:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi($LC0)
	lui	$10,%hi(t)
	ldc1	$f6,%lo($LC0)($2)
	move	$6,$0
	addiu	$10,$10,%lo(t)
	li	$8,400			# 0x190
	move	$9,$4
$L2:
	mtc1	$0,$f2
	move	$3,$0
	addiu	$7,$6,1
	move	$4,$10
	mthc1	$0,$f2
$L3:
	addu	$2,$7,$3
	ldc1	$f4,0($4)
	addu	$5,$6,$3
	addiu	$4,$4,8
	mul	$2,$2,$5
	sra	$2,$2,1
	addu	$2,$2,$3
	addiu	$3,$3,1
	addiu	$2,$2,1
	mtc1	$2,$f0
	cvt.d.w	$f0,$f0
	div.d	$f0,$f6,$f0
	mul.d	$f0,$f0,$f4
	add.d	$f2,$f2,$f0
	bne	$3,$8,$L3
	nop

	sdc1	$f2,0($9)
	move	$6,$7
	addiu	$9,$9,8
	bne	$7,$3,$L2
	nop

	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	mul_atv.constprop.0
	.size	mul_atv.constprop.0, .-mul_atv.constprop.0
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	mul_av.constprop.0
	.type	mul_av.constprop.0, @function
mul_av.constprop.0:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi($LC0)
	lui	$7,%hi(t)
	ldc1	$f6,%lo($LC0)($2)
	li	$6,400			# 0x190
	addiu	$7,$7,%lo(t)
	move	$5,$0
	li	$9,400			# 0x190
	move	$8,$4
$L8:
	mtc1	$0,$f2
	move	$3,$5
	move	$4,$8
	mthc1	$0,$f2
$L9:
	move	$2,$3
	ldc1	$f4,0($4)
	addiu	$3,$3,1
	addiu	$4,$4,8
	mul	$2,$3,$2
	sra	$2,$2,1
	addu	$2,$2,$5
	addiu	$2,$2,1
	mtc1	$2,$f0
	cvt.d.w	$f0,$f0
	div.d	$f0,$f6,$f0
	mul.d	$f0,$f0,$f4
	add.d	$f2,$f2,$f0
	bne	$6,$3,$L9
	nop

	addiu	$5,$5,1
	sdc1	$f2,0($7)
	addiu	$6,$6,1
	addiu	$7,$7,8
	bne	$5,$9,$L8
	nop

	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	mul_av.constprop.0
	.size	mul_av.constprop.0, .-mul_av.constprop.0
	.align	2
	.globl	fp_main
	.set	nomips16
	.set	nomicromips
	.ent	fp_main
	.type	fp_main, @function
fp_main:
	.frame	$sp,40,$31		# vars= 16, regs= 2/0, args= 16, gp= 0
	.mask	0x80010000,-4
	.fmask	0x00000000,0
	lui	$15,%hi(u)
	addiu	$sp,$sp,-40
	addiu	$11,$15,%lo(u)
	lui	$2,%hi($LC0)
	addiu	$13,$11,3200
	sw	$31,36($sp)
	ldc1	$f0,%lo($LC0)($2)
	move	$2,$11
	sw	$16,32($sp)
$L13:
	sdc1	$f0,0($2)
	addiu	$2,$2,8
	bne	$13,$2,$L13
	lui	$12,%hi(v)
	li	$14,10			# 0xa
	addiu	$15,$15,%lo(u)
	addiu	$24,$12,%lo(v)
$L14:
	move	$4,$15
	jal	mul_av.constprop.0
	move	$4,$24
	jal	mul_atv.constprop.0
	addiu	$14,$14,-1
	move	$4,$24
	jal	mul_av.constprop.0
	move	$4,$15
	jal	mul_atv.constprop.0
	bne	$14,$0,$L14
	mtc1	$0,$f4
	addiu	$2,$12,%lo(v)
	mthc1	$0,$f4
	mov.d	$f2,$f4
$L15:
	ldc1	$f0,0($2)
	addiu	$11,$11,8
	addiu	$2,$2,8
	ldc1	$f8,-8($11)
	mul.d	$f6,$f0,$f0
	mul.d	$f0,$f0,$f8
	add.d	$f4,$f4,$f6
	add.d	$f2,$f2,$f0
	bne	$13,$11,$L15
	div.d	$f2,$f2,$f4
	lui	$2,%hi($LC1)
	ldc1	$f0,%lo($LC1)($2)
	sqrt.d	$f2,$f2
	mul.d	$f2,$f2,$f0
	trunc.w.d $f0,$f2
	mfc1	$2,$f0
	move	$5,$2
	bgez	$2,$L16
	subu	$5,$0,$2
$L16:
	li	$9,-859045888			# 0xffffffffcccc0000
	addiu	$8,$sp,27
	li	$6,12			# 0xc
	ori	$9,$9,0xcccd
$L17:
	multu	$5,$9
	addiu	$8,$8,-1
	sltu	$7,$5,10
	move	$10,$6
	mfhi	$4
	addiu	$6,$6,-1
	srl	$4,$4,3
	sll	$3,$4,2
	addu	$3,$3,$4
	sll	$3,$3,1
	subu	$3,$5,$3
	move	$5,$4
	addiu	$3,$3,48
	sb	$3,1($8)
	beq	$7,$0,$L17
	bltz	$2,$L24
	addiu	$16,$sp,16
$L18:
	li	$3,12			# 0xc
	addu	$5,$16,$6
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	subu	$6,$3,$6
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,16($sp)
	move	$5,$16
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,36($sp)
	move	$2,$0
	lw	$16,32($sp)
	addiu	$sp,$sp,40
	jr	$31
$L24:
	addiu	$6,$10,-2
	addiu	$16,$sp,16
	li	$3,45			# 0x2d
	addu	$2,$16,$6
	sb	$3,0($2)
	b	$L18
	.end	fp_main
	.size	fp_main, .-fp_main
	.local	t
	.comm	t,3200,8
	.local	v
	.comm	v,3200,8
	.local	u
	.comm	u,3200,8
	.section	.rodata.cst8,"aM",@progbits,8
	.align	3
$LC0:
	.word	0
	.word	1072693248
	.align	3
$LC1:
	.word	0
	.word	1104006501
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
