	.file	1 "fib.c"
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
 # 14 "workloads/../gcc/rt.h" 1
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
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	addiu	$sp,$sp,16
	jr	$31
	.end	put_int
	.size	put_int, .-put_int
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	fib
	.type	fib, @function
fib:
	.frame	$sp,144,$31		# vars= 88, regs= 10/0, args= 16, gp= 0
	.mask	0xc0ff0000,-4
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	addiu	$sp,$sp,-144
	li	$3,1			# 0x1
	sw	$22,128($sp)
	move	$22,$4
	sw	$31,140($sp)
	sw	$fp,136($sp)
	sw	$23,132($sp)
	sw	$21,124($sp)
	sw	$20,120($sp)
	sw	$19,116($sp)
	sw	$18,112($sp)
	sw	$17,108($sp)
	sw	$16,104($sp)
	beq	$4,$3,$L13
	nop

	addiu	$3,$4,-1
	li	$4,-2			# 0xfffffffffffffffe
	move	$16,$0
	and	$4,$3,$4
	subu	$19,$22,$4
	li	$9,-2			# 0xfffffffffffffffe
	move	$20,$3
	beq	$22,$19,$L14
	nop

$L56:
	addiu	$22,$22,-2
	move	$17,$0
	and	$2,$22,$9
	subu	$18,$3,$2
	move	$21,$22
	move	$fp,$18
	move	$22,$17
$L37:
	addiu	$2,$20,-1
	beq	$20,$fp,$L15
	nop

$L55:
	addiu	$20,$20,-2
	move	$18,$0
	and	$3,$20,$9
	subu	$4,$2,$3
	move	$5,$16
	move	$17,$19
$L35:
	addiu	$3,$2,-1
	beq	$2,$4,$L16
	nop

	addiu	$2,$2,-2
	move	$23,$0
	and	$6,$2,$9
	subu	$6,$3,$6
	move	$7,$4
	move	$16,$23
	move	$4,$22
	move	$22,$18
$L33:
	addiu	$18,$3,-1
	beq	$3,$6,$L17
	nop

	addiu	$3,$3,-2
	move	$23,$0
	and	$19,$3,$9
	sw	$3,44($sp)
	subu	$19,$18,$19
	move	$15,$5
	move	$10,$19
	move	$11,$22
	move	$13,$6
	move	$22,$17
	move	$6,$7
	move	$14,$4
	move	$19,$fp
	move	$17,$16
	move	$5,$21
	move	$7,$20
	move	$12,$2
$L31:
	addiu	$8,$18,-1
	beq	$10,$18,$L18
	nop

	addiu	$18,$18,-2
	move	$20,$0
	and	$21,$18,$9
	subu	$21,$8,$21
	move	$25,$21
$L29:
	addiu	$16,$8,-1
	beq	$25,$8,$L19
	nop

	addiu	$2,$8,-2
	addiu	$4,$8,-5
	and	$21,$2,$9
	sw	$2,16($sp)
	subu	$3,$16,$21
	addiu	$24,$8,-3
	move	$8,$0
	sw	$3,36($sp)
	move	$2,$4
$L27:
	lw	$3,36($sp)
	addiu	$21,$16,-1
	beq	$3,$16,$L20
	nop

	and	$4,$24,$9
	sw	$15,28($sp)
	subu	$3,$21,$4
	sw	$10,24($sp)
	move	$4,$0
	sw	$2,32($sp)
	sw	$3,20($sp)
	move	$3,$2
	move	$15,$4
$L25:
	lw	$2,20($sp)
	beq	$21,$2,$L21
	nop

	addiu	$fp,$21,-4
	and	$2,$3,$9
	subu	$2,$fp,$2
	addiu	$21,$21,-2
	move	$10,$0
	sw	$2,40($sp)
	move	$fp,$21
$L22:
	move	$4,$fp
	sw	$12,96($sp)
	sw	$7,92($sp)
	addiu	$fp,$fp,-2
	sw	$5,88($sp)
	sw	$6,84($sp)
	sw	$13,80($sp)
	sw	$3,76($sp)
	sw	$24,72($sp)
	sw	$10,68($sp)
	sw	$15,64($sp)
	sw	$8,60($sp)
	sw	$25,56($sp)
	sw	$11,52($sp)
	sw	$14,48($sp)
	jal	fib
	nop

	li	$9,-2			# 0xfffffffffffffffe
	lw	$10,68($sp)
	lw	$14,48($sp)
	lw	$11,52($sp)
	addu	$10,$10,$2
	lw	$2,40($sp)
	lw	$25,56($sp)
	lw	$8,60($sp)
	lw	$15,64($sp)
	lw	$24,72($sp)
	lw	$3,76($sp)
	lw	$13,80($sp)
	lw	$6,84($sp)
	lw	$5,88($sp)
	lw	$7,92($sp)
	lw	$12,96($sp)
	bne	$2,$fp,$L22
	nop

	andi	$2,$3,0x1
	addu	$2,$2,$10
	slt	$4,$21,2
	addu	$15,$15,$2
	addiu	$3,$3,-2
	beq	$4,$0,$L25
	nop

	move	$4,$15
	lw	$10,24($sp)
	lw	$15,28($sp)
	lw	$2,32($sp)
$L24:
	addiu	$16,$16,-2
	addu	$4,$21,$4
	slt	$21,$16,2
	addu	$8,$8,$4
	addiu	$24,$24,-2
	addiu	$2,$2,-2
	beq	$21,$0,$L27
	nop

	lw	$2,16($sp)
$L26:
	addu	$4,$16,$8
	move	$8,$2
	slt	$2,$2,2
	addu	$20,$20,$4
	beq	$2,$0,$L29
	nop

	addu	$20,$8,$20
	slt	$2,$18,2
	addu	$23,$23,$20
	beq	$2,$0,$L31
	nop

$L53:
	lw	$3,44($sp)
	move	$16,$17
	move	$21,$5
	move	$17,$22
	move	$20,$7
	move	$4,$14
	move	$7,$6
	move	$fp,$19
	move	$22,$11
	move	$5,$15
	move	$6,$13
	move	$2,$12
$L30:
	addu	$18,$18,$23
	slt	$8,$3,2
	addu	$16,$16,$18
	beq	$8,$0,$L33
	nop

	move	$18,$22
	move	$23,$16
	move	$22,$4
	move	$4,$7
$L32:
	addu	$23,$23,$3
	slt	$3,$2,2
	addu	$18,$18,$23
	beq	$3,$0,$L35
	nop

	addu	$18,$18,$2
	slt	$2,$20,2
	addu	$22,$22,$18
	move	$16,$5
	move	$19,$17
	beq	$2,$0,$L37
	nop

$L54:
	move	$17,$22
	addu	$20,$20,$17
	move	$22,$21
	slt	$2,$22,2
	addu	$16,$16,$20
	beq	$2,$0,$L52
	nop

$L49:
	lw	$31,140($sp)
	addu	$22,$22,$16
	lw	$fp,136($sp)
	lw	$23,132($sp)
	move	$2,$22
	lw	$22,128($sp)
	lw	$21,124($sp)
	lw	$20,120($sp)
	lw	$19,116($sp)
	lw	$18,112($sp)
	lw	$17,108($sp)
	lw	$16,104($sp)
	addiu	$sp,$sp,144
	jr	$31
	nop

$L19:
	addiu	$8,$8,-2
	addu	$20,$20,$16
	slt	$2,$18,2
	addu	$20,$8,$20
	addu	$23,$23,$20
	beq	$2,$0,$L31
	nop

	b	$L53
	nop

$L20:
	lw	$2,16($sp)
	addiu	$16,$16,-2
	addu	$8,$8,$21
	b	$L26
	nop

$L21:
	addiu	$fp,$21,-1
	lw	$10,24($sp)
	move	$4,$15
	lw	$2,32($sp)
	lw	$15,28($sp)
	addiu	$21,$21,-2
	addu	$4,$4,$fp
	b	$L24
	nop

$L18:
	move	$16,$17
	lw	$3,44($sp)
	move	$17,$22
	move	$21,$5
	move	$20,$7
	addiu	$18,$18,-2
	move	$7,$6
	addu	$23,$23,$8
	move	$4,$14
	move	$fp,$19
	move	$22,$11
	move	$5,$15
	move	$6,$13
	move	$2,$12
	b	$L30
	nop

$L17:
	move	$19,$18
	addiu	$3,$3,-2
	move	$18,$22
	addu	$23,$16,$19
	move	$22,$4
	move	$4,$7
	b	$L32
	nop

$L16:
	addiu	$2,$2,-2
	addu	$18,$18,$3
	move	$16,$5
	addu	$18,$18,$2
	slt	$2,$20,2
	addu	$22,$22,$18
	move	$19,$17
	bne	$2,$0,$L54
	nop

	addiu	$2,$20,-1
	bne	$20,$fp,$L55
	nop

$L15:
	move	$17,$22
	addu	$17,$17,$2
	addiu	$20,$20,-2
	move	$22,$21
	addu	$20,$20,$17
	slt	$2,$22,2
	addu	$16,$16,$20
	bne	$2,$0,$L49
	nop

$L52:
	addiu	$3,$22,-1
	move	$20,$3
	bne	$22,$19,$L56
	nop

$L14:
	addiu	$22,$22,-2
	addu	$3,$3,$16
	addu	$22,$22,$3
$L13:
	lw	$31,140($sp)
	move	$2,$22
	lw	$fp,136($sp)
	lw	$23,132($sp)
	lw	$22,128($sp)
	lw	$21,124($sp)
	lw	$20,120($sp)
	lw	$19,116($sp)
	lw	$18,112($sp)
	lw	$17,108($sp)
	lw	$16,104($sp)
	addiu	$sp,$sp,144
	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	fib
	.size	fib, .-fib
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	") = \000"
	.align	2
$LC1:
	.ascii	"fib(\000"
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
	lui	$20,%hi($LC1)
	sw	$19,36($sp)
	lui	$19,%hi($LC0)
	addiu	$20,$20,%lo($LC1)
	sw	$21,44($sp)
	addiu	$19,$19,%lo($LC0)
	sw	$fp,56($sp)
	li	$21,1			# 0x1
	sw	$18,32($sp)
	sw	$17,28($sp)
	li	$18,35			# 0x23
	subu	$fp,$21,$20
	sw	$31,60($sp)
	li	$17,37			# 0x25
	sw	$23,52($sp)
	subu	$21,$21,$19
	sw	$22,48($sp)
	sw	$16,24($sp)
$L58:
	move	$2,$20
$L59:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L59
	addu	$6,$fp,$6
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	move	$5,$20
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$4,$17
	jal	put_int
	move	$2,$19
$L60:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L60
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	move	$5,$19
	addu	$6,$21,$6
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$2,-2			# 0xfffffffffffffffe
	addiu	$16,$17,-3
	and	$2,$18,$2
	addiu	$23,$17,-1
	subu	$16,$16,$2
	move	$22,$0
$L61:
	move	$4,$23
	addiu	$23,$23,-2
	jal	fib
	addu	$22,$22,$2
	bne	$16,$23,$L61
	andi	$4,$18,0x1
	addu	$4,$4,$22
	jal	put_int
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$3,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$2,37			# 0x25
	addiu	$18,$18,1
	bne	$17,$2,$L62
	li	$17,38			# 0x26
	b	$L58
$L62:
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
	.end	main
	.size	main, .-main
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
