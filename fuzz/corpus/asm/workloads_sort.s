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
	.ent	put_str
	.type	put_str, @function
put_str:
	.frame	$sp,0,$31		# vars= 0, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	lb	$2,0($4)
	move	$6,$0
	move	$5,$4
	beq	$2,$0,$L2
$L3:
	addiu	$6,$6,1
	addu	$2,$5,$6
	lb	$2,0($2)
	bne	$2,$0,$L3
$L2:
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	jr	$31
	.end	put_str
	.size	put_str, .-put_str
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"NOT SORTED\012\000"
	.align	2
$LC1:
	.ascii	"sorted; medians sum to \000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,80,$31		# vars= 24, regs= 10/0, args= 16, gp= 0
	.mask	0xc0ff0000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-80
	lui	$2,%hi(values+4)
	lui	$24,%hi(values+800000)
	sw	$31,76($sp)
	li	$31,175898624			# 0xa7c0000
	sw	$fp,72($sp)
	lui	$fp,%hi(values)
	sw	$22,64($sp)
	lui	$22,%hi(gaps.0)
	sw	$19,52($sp)
	lui	$19,%hi(gaps.0+44)
	sw	$17,44($sp)
	li	$17,196608			# 0x30000
	sw	$16,40($sp)
	li	$16,1103495168			# 0x41c60000
	addiu	$2,$2,%lo(values+4)
	sw	$23,68($sp)
	li	$25,65536			# 0x10000
	sw	$21,60($sp)
	sw	$20,56($sp)
	li	$23,10			# 0xa
	move	$21,$0
	sw	$18,48($sp)
	li	$13,2024			# 0x7e8
	sw	$2,32($sp)
	addiu	$22,$22,%lo(gaps.0)
	addiu	$19,$19,%lo(gaps.0+44)
	addiu	$20,$fp,%lo(values)
	addiu	$24,$24,%lo(values+800000)
	addiu	$16,$16,20077
	addiu	$31,$31,23237
	addiu	$17,$17,3392
	ori	$25,$25,0x86a0
$L8:
	move	$3,$20
$L9:
	mul	$13,$13,$16
	addiu	$3,$3,4
	addiu	$13,$13,12345
	srl	$2,$13,13
	srl	$4,$13,8
	multu	$2,$31
	mfhi	$2
	srl	$2,$2,7
	mul	$5,$2,$25
	subu	$4,$4,$5
	sw	$4,-4($3)
	bne	$3,$24,$L9
	move	$18,$22
$L11:
	lw	$6,0($18)
	slt	$2,$6,$17
	beq	$2,$0,$L18
	sll	$8,$6,2
	move	$15,$6
	addu	$14,$20,$8
$L19:
	slt	$2,$15,$6
	lw	$11,0($14)
	bne	$2,$0,$L36
	subu	$2,$14,$8
	move	$4,$14
	move	$3,$15
	b	$L15
$L17:
	sw	$5,0($4)
	subu	$2,$2,$8
	subu	$4,$7,$8
	bne	$10,$0,$L27
$L15:
	lw	$5,0($2)
	subu	$3,$3,$6
	move	$12,$2
	slt	$10,$3,$6
	slt	$9,$11,$5
	move	$7,$4
	bne	$9,$0,$L17
	addiu	$15,$15,1
	sw	$11,0($7)
	addiu	$14,$14,4
	bne	$15,$17,$L19
$L18:
	addiu	$18,$18,4
	bne	$18,$19,$L11
	lw	$4,%lo(values)($fp)
	lw	$2,32($sp)
	b	$L22
$L20:
	beq	$2,$24,$L37
$L22:
	move	$3,$4
	lw	$4,0($2)
	addiu	$2,$2,4
	slt	$3,$4,$3
	beq	$3,$0,$L20
	lui	$4,%hi($LC0)
	addiu	$4,$4,%lo($LC0)
	jal	put_str
	li	$2,1			# 0x1
$L7:
	lw	$31,76($sp)
	lw	$fp,72($sp)
	lw	$23,68($sp)
	lw	$22,64($sp)
	lw	$21,60($sp)
	lw	$20,56($sp)
	lw	$19,52($sp)
	lw	$18,48($sp)
	lw	$17,44($sp)
	lw	$16,40($sp)
	addiu	$sp,$sp,80
	jr	$31
$L27:
	move	$7,$12
	addiu	$15,$15,1
	addiu	$14,$14,4
	sw	$11,0($7)
	bne	$15,$17,$L19
	b	$L18
$L36:
	addiu	$15,$15,1
	addiu	$14,$14,4
	b	$L19
$L37:
	li	$2,393216			# 0x60000
	addiu	$23,$23,-1
	addu	$2,$2,$20
	lw	$18,6784($2)
	addu	$18,$21,$18
	move	$21,$18
	bne	$23,$0,$L8
	lui	$4,%hi($LC1)
	addiu	$4,$4,%lo($LC1)
	jal	put_str
	bgez	$18,$L24
	subu	$21,$0,$18
$L24:
	li	$5,-859045888			# 0xffffffffcccc0000
	addiu	$6,$sp,27
	li	$3,12			# 0xc
	ori	$5,$5,0xcccd
$L25:
	multu	$21,$5
	addiu	$6,$6,-1
	sltu	$7,$21,10
	move	$8,$3
	mfhi	$4
	addiu	$3,$3,-1
	srl	$4,$4,3
	sll	$2,$4,2
	addu	$2,$2,$4
	sll	$2,$2,1
	subu	$2,$21,$2
	move	$21,$4
	addiu	$2,$2,48
	sb	$2,1($6)
	beq	$7,$0,$L25
	bltz	$18,$L34
	addiu	$16,$sp,16
$L26:
	li	$6,12			# 0xc
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addu	$5,$16,$3
	subu	$6,$6,$3
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,16($sp)
	move	$5,$16
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$2,$0
	b	$L7
$L34:
	addiu	$3,$8,-2
	addiu	$16,$sp,16
	li	$4,45			# 0x2d
	addu	$2,$16,$3
	sb	$4,0($2)
	b	$L26
	.end	main
	.size	main, .-main
	.rdata
	.align	2
	.type	gaps.0, @object
	.size	gaps.0, 44
gaps.0:
	.word	68491
	.word	22861
	.word	7621
	.word	2537
	.word	841
	.word	281
	.word	93
	.word	31
	.word	10
	.word	4
	.word	1
	.local	values
	.comm	values,800000,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
