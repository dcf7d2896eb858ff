	.file	1 "sort.c"
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
	.ent	quicksort.constprop.0
	.type	quicksort.constprop.0, @function
quicksort.constprop.0:
	.frame	$sp,40,$31		# vars= 0, regs= 6/0, args= 16, gp= 0
	.mask	0x801f0000,-4
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	slt	$2,$4,$5
	beq	$2,$0,$L23
	nop

	addiu	$sp,$sp,-40
	sw	$18,24($sp)
	lui	$18,%hi(values)
	sw	$20,32($sp)
	move	$20,$5
	addiu	$18,$18,%lo(values)
	sw	$19,28($sp)
	sw	$31,36($sp)
	move	$19,$4
	sw	$17,20($sp)
	sw	$16,16($sp)
$L2:
	addu	$3,$19,$20
	move	$16,$20
	srl	$2,$3,31
	move	$17,$19
	addu	$2,$2,$3
	sra	$2,$2,1
	sll	$2,$2,2
	addu	$2,$18,$2
	lw	$5,0($2)
$L7:
	slt	$2,$16,$17
	bne	$2,$0,$L8
	nop

$L28:
	sll	$3,$17,2
	sll	$2,$16,2
	addu	$8,$18,$3
	addu	$9,$18,$2
	lw	$4,0($8)
	lw	$6,0($9)
	slt	$7,$4,$5
	beq	$7,$0,$L27
	nop

	addiu	$3,$3,4
	addu	$3,$18,$3
$L4:
	lw	$4,0($3)
	move	$8,$3
	addiu	$17,$17,1
	addiu	$3,$3,4
	slt	$7,$4,$5
	bne	$7,$0,$L4
	nop

	slt	$3,$5,$6
	beq	$3,$0,$L5
	nop

$L14:
	addiu	$2,$2,-4
	addu	$2,$18,$2
$L6:
	lw	$6,0($2)
	move	$7,$2
	addiu	$16,$16,-1
	addiu	$2,$2,-4
	slt	$3,$5,$6
	bne	$3,$0,$L6
	nop

	move	$9,$7
$L5:
	slt	$2,$16,$17
	bne	$2,$0,$L7
	nop

	addiu	$17,$17,1
	sw	$6,0($8)
	addiu	$16,$16,-1
	sw	$4,0($9)
$L29:
	slt	$2,$16,$17
	beq	$2,$0,$L28
	nop

$L8:
	subu	$2,$16,$19
	subu	$3,$20,$17
	slt	$2,$2,$3
	beq	$2,$0,$L11
	nop

	move	$4,$19
	move	$5,$16
	jal	quicksort.constprop.0
	nop

	move	$19,$17
$L12:
	slt	$2,$19,$20
	bne	$2,$0,$L2
	nop

	lw	$31,36($sp)
	lw	$20,32($sp)
	lw	$19,28($sp)
	lw	$18,24($sp)
	lw	$17,20($sp)
	lw	$16,16($sp)
	addiu	$sp,$sp,40
	jr	$31
	nop

$L27:
	slt	$3,$5,$6
	bne	$3,$0,$L14
	nop

	sw	$6,0($8)
	addiu	$17,$17,1
	addiu	$16,$16,-1
	sw	$4,0($9)
	b	$L29
	nop

$L11:
	move	$5,$20
	move	$4,$17
	jal	quicksort.constprop.0
	nop

	move	$20,$16
	b	$L12
	nop

$L23:
	jr	$31
	nop

	.set	macro
	.set	reorder
	.end	quicksort.constprop.0
	.size	quicksort.constprop.0, .-quicksort.constprop.0
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"NOT SORTED\012\000"
	.align	2
$LC1:
	.ascii	"sorted\012\000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,72,$31		# vars= 16, regs= 10/0, args= 16, gp= 0
	.mask	0xc0ff0000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-72
	li	$7,1103495168			# 0x41c60000
	li	$6,274857984			# 0x10620000
	sw	$17,36($sp)
	lui	$17,%hi(values)
	li	$3,12345			# 0x3039
	sw	$31,68($sp)
	addiu	$17,$17,%lo(values)
	sw	$fp,64($sp)
	addiu	$7,$7,20077
	sw	$23,60($sp)
	addiu	$9,$17,256
	sw	$22,56($sp)
	addiu	$6,$6,19923
	sw	$21,52($sp)
	li	$8,1000			# 0x3e8
	sw	$20,48($sp)
	sw	$19,44($sp)
	move	$4,$17
	sw	$18,40($sp)
	sw	$16,32($sp)
$L31:
	mul	$3,$3,$7
	addiu	$4,$4,4
	addiu	$3,$3,12345
	srl	$2,$3,16
	multu	$2,$6
	mfhi	$5
	srl	$5,$5,6
	mul	$10,$5,$8
	subu	$2,$2,$10
	addiu	$2,$2,-500
	sw	$2,-4($4)
	bne	$4,$9,$L31
	li	$5,63			# 0x3f
	move	$4,$0
	li	$16,-859045888			# 0xffffffffcccc0000
	move	$18,$0
	jal	quicksort.constprop.0
	li	$19,1			# 0x1
	li	$fp,45			# 0x2d
	li	$21,12			# 0xc
	li	$20,15			# 0xf
	li	$23,64			# 0x40
	li	$22,32			# 0x20
	ori	$16,$16,0xcccd
$L40:
	lw	$9,0($17)
	move	$4,$9
	bltz	$9,$L51
$L32:
	li	$6,12			# 0xc
	addiu	$7,$sp,27
$L33:
	multu	$4,$16
	addiu	$7,$7,-1
	sltu	$5,$4,10
	move	$8,$6
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
	beq	$5,$0,$L33
	bgez	$9,$L34
	addiu	$6,$8,-2
	addiu	$2,$sp,16
	addu	$2,$2,$6
	sb	$fp,0($2)
$L34:
	addiu	$3,$sp,16
	li	$2,4004			# 0xfa4
	addu	$5,$3,$6
	li	$4,1			# 0x1
	subu	$6,$21,$6
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	andi	$2,$18,0xf
	beq	$2,$20,$L52
	li	$2,4004			# 0xfa4
	sb	$22,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	bne	$18,$0,$L36
	lw	$9,4($17)
	addiu	$17,$17,4
	li	$18,1			# 0x1
	move	$4,$9
	bgez	$9,$L32
$L51:
	subu	$4,$0,$9
	b	$L32
$L52:
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	sb	$3,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
$L36:
	lw	$2,-4($17)
	addiu	$18,$18,1
	lw	$3,0($17)
	addiu	$17,$17,4
	slt	$2,$3,$2
	movn	$19,$0,$2
	bne	$18,$23,$L40
	beq	$19,$0,$L44
	lui	$5,%hi($LC1)
	addiu	$5,$5,%lo($LC1)
$L41:
	move	$6,$0
$L42:
	addiu	$6,$6,1
	addu	$2,$5,$6
	lb	$2,0($2)
	bne	$2,$0,$L42
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,68($sp)
	move	$2,$0
	lw	$fp,64($sp)
	lw	$23,60($sp)
	lw	$22,56($sp)
	lw	$21,52($sp)
	lw	$20,48($sp)
	lw	$19,44($sp)
	lw	$18,40($sp)
	lw	$17,36($sp)
	lw	$16,32($sp)
	addiu	$sp,$sp,72
	jr	$31
$L44:
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	b	$L41
	.end	main
	.size	main, .-main
	.local	values
	.comm	values,256,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
