	.file	1 "float.c"
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
	addu	$5,$sp,$6
$L4:
	li	$3,12			# 0xc
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	subu	$6,$3,$6
#APP
 # 14 "rt.h" 1
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
	sb	$2,0($5)
	b	$L4
	.end	put_int
	.size	put_int, .-put_int
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"0123456789abcdef\000"
	.text
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	put_hex
	.type	put_hex, @function
put_hex:
	.frame	$sp,16,$31		# vars= 16, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	addiu	$sp,$sp,-16
	lui	$3,%hi($LC0)
	addiu	$5,$sp,-8
	addiu	$3,$3,%lo($LC0)
	sw	$sp,8($sp)
$L13:
	andi	$2,$4,0xf
	lw	$6,8($sp)
	addu	$2,$3,$2
	srl	$4,$4,4
	addiu	$6,$6,-1
	lbu	$2,0($2)
	sw	$6,8($sp)
	sb	$2,8($6)
	bne	$6,$5,$L13
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	li	$6,8			# 0x8
	move	$5,$sp
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
	.end	put_hex
	.size	put_hex, .-put_hex
	.align	2
	.globl	fmul_add
	.set	nomips16
	.set	nomicromips
	.ent	fmul_add
	.type	fmul_add, @function
fmul_add:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi(scale)
	mul.s	$f12,$f12,$f14
	lwc1	$f0,%lo(scale)($2)
	add.s	$f0,$f12,$f0
	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	fmul_add
	.size	fmul_add, .-fmul_add
	.align	2
	.globl	fdiv
	.set	nomips16
	.set	nomicromips
	.ent	fdiv
	.type	fdiv, @function
fdiv:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi(table)
	andi	$6,$6,0x3
	addiu	$2,$2,%lo(table)
	sll	$6,$6,3
	addu	$6,$6,$2
	lui	$2,%hi(bias)
	ldc1	$f2,0($6)
	ldc1	$f0,%lo(bias)($2)
	div.d	$f12,$f12,$f2
	add.d	$f0,$f12,$f0
	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	fdiv
	.size	fdiv, .-fdiv
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,48,$31		# vars= 8, regs= 5/0, args= 16, gp= 0
	.mask	0x800f0000,-4
	.fmask	0x00000000,0
	mtc1	$0,$f6
	lui	$2,%hi($LC1)
	addiu	$sp,$sp,-48
	ldc1	$f8,%lo($LC1)($2)
	lui	$2,%hi($LC2)
	mtc1	$0,$f4
	li	$3,10			# 0xa
	lwc1	$f14,%lo($LC2)($2)
	sw	$16,28($sp)
	move	$16,$0
	sw	$31,44($sp)
	sw	$19,40($sp)
	mthc1	$0,$f6
	sw	$18,36($sp)
	sw	$17,32($sp)
$L19:
	mtc1	$16,$f0
	move	$6,$16
	cvt.d.w	$f12,$f0
	mul.d	$f12,$f12,$f8
	jal	fdiv
	mtc1	$16,$f2
	addiu	$16,$16,1
	add.d	$f6,$f6,$f0
	cvt.s.w	$f12,$f2
	jal	fmul_add
	add.s	$f4,$f4,$f0
	bne	$16,$3,$L19
	trunc.w.d $f0,$f6
	lui	$18,%hi(v.1)
	lui	$19,%hi(w.0)
	li	$17,32			# 0x20
	sdc1	$f6,%lo(v.1)($18)
	swc1	$f4,%lo(w.0)($19)
	mfc1	$4,$f0
	jal	put_int
	li	$2,4004			# 0xfa4
	sb	$17,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$2,$18,%lo(v.1)
	lw	$4,4($2)
	jal	put_hex
	lw	$4,%lo(v.1)($18)
	jal	put_hex
	li	$2,4004			# 0xfa4
	sb	$17,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	trunc.w.s $f0,$f4
	mfc1	$4,$f0
	jal	put_int
	li	$2,4004			# 0xfa4
	sb	$17,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$4,%lo(w.0)($19)
	jal	put_hex
	li	$2,4004			# 0xfa4
	sb	$16,16($sp)
	li	$4,1			# 0x1
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	mtc1	$0,$f2
	lui	$3,%hi($LC3)
	li	$2,1			# 0x1
	ldc1	$f4,%lo($LC3)($3)
	li	$3,1001			# 0x3e9
	mthc1	$0,$f2
$L20:
	mtc1	$2,$f0
	addiu	$2,$2,1
	cvt.d.w	$f0,$f0
	mul.d	$f0,$f0,$f0
	div.d	$f0,$f4,$f0
	add.d	$f2,$f2,$f0
	bne	$2,$3,$L20
	lui	$2,%hi($LC4)
	ldc1	$f0,%lo($LC4)($2)
	mul.d	$f2,$f2,$f0
	trunc.w.d $f0,$f2
	mfc1	$4,$f0
	jal	put_int
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$3,16($sp)
	addiu	$5,$sp,16
	li	$6,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,44($sp)
	move	$2,$0
	lw	$19,40($sp)
	lw	$18,36($sp)
	lw	$17,32($sp)
	lw	$16,28($sp)
	addiu	$sp,$sp,48
	jr	$31
	.end	main
	.size	main, .-main
	.local	w.0
	.comm	w.0,4,4
	.local	v.1
	.comm	v.1,8,8
	.rdata
	.align	3
	.type	table, @object
	.size	table, 32
table:
	.word	0
	.word	1072693248
	.word	0
	.word	1074003968
	.word	0
	.word	-1073086464
	.word	-1023872167
	.word	27618847
	.globl	bias
	.data
	.align	3
	.type	bias, @object
	.size	bias, 8
bias:
	.word	-1717986918
	.word	1069128089
	.globl	scale
	.align	2
	.type	scale, @object
	.size	scale, 4
scale:
	.word	1069547520
	.section	.rodata.cst8,"aM",@progbits,8
	.align	3
$LC1:
	.word	0
	.word	1071644672
	.section	.rodata.cst4,"aM",@progbits,4
	.align	2
$LC2:
	.word	1073741824
	.section	.rodata.cst8
	.align	3
$LC3:
	.word	0
	.word	1072693248
	.align	3
$LC4:
	.word	0
	.word	1093567616
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
