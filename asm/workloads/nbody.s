	.file	1 "nbody.c"
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
	.ent	put_fixed
	.type	put_fixed, @function
put_fixed:
	.frame	$sp,16,$31		# vars= 16, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	lui	$2,%hi($LC0)
	addiu	$sp,$sp,-16
	ldc1	$f0,%lo($LC0)($2)
	mul.d	$f12,$f12,$f0
	trunc.w.d $f0,$f12
	mfc1	$10,$f0
	bltz	$10,$L11
	move	$4,$10
$L2:
	li	$8,-859045888			# 0xffffffffcccc0000
	addiu	$7,$sp,11
	li	$6,12			# 0xc
	ori	$8,$8,0xcccd
$L3:
	multu	$4,$8
	addiu	$7,$7,-1
	sltu	$5,$4,10
	move	$9,$6
	mfhi	$3
	addiu	$6,$6,-1
	srl	$3,$3,3
	sll	$2,$3,2
	addu	$2,$2,$3
	sll	$2,$2,1
	subu	$2,$4,$2
	move	$4,$3
	addiu	$2,$2,48
	sb	$2,1($7)
	beq	$5,$0,$L3
	bltz	$10,$L7
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
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,0($sp)
	move	$5,$sp
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
$L11:
	subu	$4,$0,$10
	b	$L2
$L7:
	addiu	$6,$9,-2
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
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,0($sp)
	move	$5,$sp
#APP
 # 14 "../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
	.end	put_fixed
	.size	put_fixed, .-put_fixed
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	energy
	.type	energy, @function
energy:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi(bodies)
	lui	$3,%hi($LC1)
	addiu	$2,$2,%lo(bodies)
	ldc1	$f18,%lo($LC1)($3)
	lui	$4,%hi(bodies+280)
	lui	$3,%hi(bodies+56)
	ldc1	$f4,24($2)
	li	$5,1			# 0x1
	addiu	$3,$3,%lo(bodies+56)
	ldc1	$f0,32($2)
	addiu	$4,$4,%lo(bodies+280)
	li	$6,5			# 0x5
	ldc1	$f2,40($2)
	ldc1	$f10,48($2)
	mul.d	$f4,$f4,$f4
	mul.d	$f0,$f0,$f0
	mul.d	$f2,$f2,$f2
	mul.d	$f6,$f10,$f18
	add.d	$f0,$f0,$f4
	add.d	$f0,$f0,$f2
	mtc1	$0,$f2
	mul.d	$f0,$f0,$f6
	mthc1	$0,$f2
	add.d	$f0,$f0,$f2
$L15:
	ldc1	$f16,-56($3)
	move	$2,$3
	ldc1	$f14,-48($3)
	ldc1	$f12,-40($3)
$L13:
	addiu	$2,$2,56
	ldc1	$f2,-56($2)
	ldc1	$f6,-48($2)
	ldc1	$f4,-40($2)
	ldc1	$f8,-8($2)
	sub.d	$f2,$f16,$f2
	sub.d	$f6,$f14,$f6
	sub.d	$f4,$f12,$f4
	mul.d	$f8,$f10,$f8
	mul.d	$f2,$f2,$f2
	mul.d	$f6,$f6,$f6
	mul.d	$f4,$f4,$f4
	add.d	$f2,$f2,$f6
	add.d	$f2,$f2,$f4
	sqrt.d	$f2,$f2
	div.d	$f8,$f8,$f2
	sub.d	$f0,$f0,$f8
	bne	$4,$2,$L13
	nop

	ldc1	$f2,24($3)
	addiu	$5,$5,1
	addiu	$3,$3,56
	ldc1	$f6,-24($3)
	mul.d	$f2,$f2,$f2
	ldc1	$f4,-16($3)
	ldc1	$f10,-8($3)
	mul.d	$f6,$f6,$f6
	mul.d	$f4,$f4,$f4
	mul.d	$f8,$f10,$f18
	add.d	$f2,$f2,$f6
	add.d	$f2,$f2,$f4
	mul.d	$f2,$f2,$f8
	add.d	$f0,$f0,$f2
	bne	$5,$6,$L15
	nop

	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	energy
	.size	energy, .-energy
	.align	2
	.globl	fp_main
	.set	nomips16
	.set	nomicromips
	.ent	fp_main
	.type	fp_main, @function
fp_main:
	.frame	$sp,72,$31		# vars= 8, regs= 2/10, args= 16, gp= 0
	.mask	0x80010000,-44
	.fmask	0x3ff00000,-8
	.set	noreorder
	.set	nomacro
	addiu	$sp,$sp,-72
	lui	$2,%hi(bodies+24)
	sdc1	$f28,64($sp)
	sw	$16,24($sp)
	lui	$16,%hi(bodies)
	sw	$0,16($sp)
	addiu	$2,$2,%lo(bodies+24)
	sw	$0,20($sp)
	addiu	$16,$16,%lo(bodies)
	sw	$31,28($sp)
	lw	$4,16($sp)
	addiu	$3,$16,304
	lw	$5,20($sp)
	lw	$6,16($sp)
	lw	$7,20($sp)
	sdc1	$f26,56($sp)
	sdc1	$f24,48($sp)
	sdc1	$f22,40($sp)
	sdc1	$f20,32($sp)
$L20:
	addiu	$2,$2,56
	ldc1	$f0,-32($2)
	ldc1	$f6,-40($2)
	ldc1	$f4,-56($2)
	ldc1	$f2,-48($2)
	mul.d	$f4,$f0,$f4
	mul.d	$f2,$f0,$f2
	mul.d	$f0,$f0,$f6
	mtc1	$6,$f6
	mthc1	$7,$f6
	add.d	$f4,$f6,$f4
	mfc1	$6,$f4
	mfhc1	$7,$f4
	mtc1	$4,$f4
	mthc1	$5,$f4
	add.d	$f2,$f4,$f2
	mfc1	$4,$f2
	mfhc1	$5,$f2
	ldc1	$f2,16($sp)
	add.d	$f0,$f2,$f0
	sdc1	$f0,16($sp)
	bne	$3,$2,$L20
	nop

	mtc1	$6,$f2
	li	$12,-2147483648			# 0xffffffff80000000
	lui	$2,%hi($LC2)
	xor	$11,$7,$12
	ldc1	$f0,%lo($LC2)($2)
	move	$8,$4
	lw	$2,16($sp)
	xor	$9,$5,$12
	lw	$4,20($sp)
	mthc1	$11,$f2
	xor	$3,$4,$12
	div.d	$f4,$f2,$f0
	mtc1	$8,$f2
	sdc1	$f4,24($16)
	mtc1	$2,$f4
	mthc1	$9,$f2
	mthc1	$3,$f4
	div.d	$f2,$f2,$f0
	div.d	$f0,$f4,$f0
	sdc1	$f2,32($16)
	sdc1	$f0,40($16)
	jal	energy
	nop

	mov.d	$f12,$f0
	jal	put_fixed
	nop

	lui	$2,%hi($LC3)
	lui	$4,%hi(bodies+280)
	ldc1	$f16,%lo($LC3)($2)
	lui	$8,%hi(bodies+56)
	li	$7,262144			# 0x40000
	addiu	$4,$4,%lo(bodies+280)
	addiu	$8,$8,%lo(bodies+56)
	li	$6,5			# 0x5
	ori	$7,$7,0x93e0
$L21:
	li	$5,1			# 0x1
	move	$3,$8
$L26:
	ldc1	$f22,-56($3)
	move	$2,$3
	ldc1	$f20,-48($3)
	ldc1	$f18,-40($3)
	ldc1	$f14,-8($3)
$L23:
	addiu	$2,$2,56
	ldc1	$f0,-56($2)
	ldc1	$f2,-48($2)
	ldc1	$f6,-40($2)
	ldc1	$f4,-8($2)
	sub.d	$f0,$f22,$f0
	ldc1	$f8,-32($3)
	sub.d	$f2,$f20,$f2
	ldc1	$f10,-16($3)
	sub.d	$f6,$f18,$f6
	mul.d	$f12,$f0,$f0
	mul.d	$f24,$f2,$f2
	mul.d	$f28,$f6,$f6
	mul.d	$f26,$f0,$f4
	add.d	$f12,$f12,$f24
	mul.d	$f24,$f2,$f4
	mul.d	$f4,$f6,$f4
	add.d	$f12,$f12,$f28
	mul.d	$f0,$f0,$f14
	mul.d	$f2,$f2,$f14
	sqrt.d	$f28,$f12
	mul.d	$f6,$f6,$f14
	mul.d	$f28,$f12,$f28
	div.d	$f28,$f16,$f28
	mul.d	$f26,$f26,$f28
	mul.d	$f24,$f24,$f28
	mul.d	$f4,$f4,$f28
	sub.d	$f26,$f8,$f26
	ldc1	$f8,-24($3)
	mul.d	$f0,$f0,$f28
	sub.d	$f4,$f10,$f4
	sub.d	$f24,$f8,$f24
	sdc1	$f26,-32($3)
	mul.d	$f2,$f2,$f28
	sdc1	$f4,-16($3)
	mul.d	$f28,$f6,$f28
	sdc1	$f24,-24($3)
	ldc1	$f10,-32($2)
	ldc1	$f8,-24($2)
	ldc1	$f4,-16($2)
	add.d	$f0,$f10,$f0
	add.d	$f8,$f8,$f2
	add.d	$f4,$f4,$f28
	sdc1	$f0,-32($2)
	sdc1	$f8,-24($2)
	sdc1	$f4,-16($2)
	bne	$4,$2,$L23
	nop

	addiu	$5,$5,1
	addiu	$3,$3,56
	bne	$5,$6,$L26
	nop

	move	$2,$16
$L22:
	ldc1	$f10,24($2)
	addiu	$2,$2,56
	ldc1	$f6,-24($2)
	mul.d	$f10,$f10,$f16
	ldc1	$f4,-16($2)
	ldc1	$f8,-56($2)
	ldc1	$f2,-48($2)
	mul.d	$f6,$f6,$f16
	ldc1	$f0,-40($2)
	mul.d	$f4,$f4,$f16
	add.d	$f8,$f8,$f10
	add.d	$f2,$f2,$f6
	add.d	$f0,$f0,$f4
	sdc1	$f8,-56($2)
	sdc1	$f2,-48($2)
	sdc1	$f0,-40($2)
	bne	$4,$2,$L22
	nop

	addiu	$7,$7,-1
	bne	$7,$0,$L21
	nop

	jal	energy
	nop

	mov.d	$f12,$f0
	jal	put_fixed
	nop

	move	$2,$0
	lw	$31,28($sp)
	ldc1	$f28,64($sp)
	lw	$16,24($sp)
	ldc1	$f26,56($sp)
	ldc1	$f24,48($sp)
	ldc1	$f22,40($sp)
	ldc1	$f20,32($sp)
	addiu	$sp,$sp,72
	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	fp_main
	.size	fp_main, .-fp_main
	.data
	.align	3
	.type	bodies, @object
	.size	bodies, 280
bodies:
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	0
	.word	-910277154
	.word	1078181180
	.word	876402988
	.word	1075010976
	.word	-1071654020
	.word	-1074622293
	.word	1814424560
	.word	-1078294791
	.word	-1684812612
	.word	1071867654
	.word	-176319333
	.word	1074167538
	.word	-1705375979
	.word	-1080438057
	.word	-643091496
	.word	1067666581
	.word	-1020081561
	.word	1075883981
	.word	836633008
	.word	1074823115
	.word	-504674692
	.word	-1076243629
	.word	-1199074238
	.word	-1074779103
	.word	-1088450797
	.word	1073559017
	.word	1594958772
	.word	1065434184
	.word	218613303
	.word	1065819465
	.word	-827860529
	.word	1076480490
	.word	-702126466
	.word	-1070712600
	.word	-1104839264
	.word	-1077111465
	.word	-1450107921
	.word	1072780060
	.word	1045740485
	.word	1072417919
	.word	-84787588
	.word	-1081725077
	.word	-1661722957
	.word	1063009746
	.word	-1459267798
	.word	1076806247
	.word	868786720
	.word	-1069946024
	.word	-1817451200
	.word	1070002675
	.word	374979658
	.word	1072649398
	.word	834993059
	.word	1071843270
	.word	1484154358
	.word	-1079915640
	.word	1394055596
	.word	1063299315
	.section	.rodata.cst8,"aM",@progbits,8
	.align	3
$LC0:
	.word	0
	.word	1104006501
	.align	3
$LC1:
	.word	0
	.word	1071644672
	.align	3
$LC2:
	.word	-910277154
	.word	1078181180
	.align	3
$LC3:
	.word	1202590843
	.word	1065646817
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
