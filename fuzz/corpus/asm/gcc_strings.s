	.file	1 "strings.c"
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
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	jr	$31
	.end	put_str
	.size	put_str, .-put_str
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
	bltz	$4,$L16
	move	$5,$4
$L8:
	li	$9,-859045888			# 0xffffffffcccc0000
	addiu	$8,$sp,11
	li	$6,12			# 0xc
	ori	$9,$9,0xcccd
$L9:
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
	beq	$7,$0,$L9
	bltz	$4,$L13
	addu	$5,$sp,$6
$L10:
	li	$3,12			# 0xc
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
$L16:
	subu	$5,$0,$4
	b	$L8
$L13:
	addiu	$6,$10,-2
	li	$2,45			# 0x2d
	addu	$5,$sp,$6
	sb	$2,0($5)
	b	$L10
	.end	put_int
	.size	put_int, .-put_int
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"length \000"
	.align	2
$LC1:
	.ascii	", words \000"
	.align	2
$LC2:
	.ascii	", vowels \000"
	.align	2
$LC3:
	.ascii	"rare\000"
	.align	2
$LC4:
	.ascii	"sometimes\000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,48,$31		# vars= 8, regs= 6/0, args= 16, gp= 0
	.mask	0x801f0000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-48
	sw	$17,28($sp)
	lui	$17,%hi(text)
	sw	$31,44($sp)
	sw	$20,40($sp)
	sw	$19,36($sp)
	sw	$18,32($sp)
	sw	$16,24($sp)
	lb	$2,%lo(text)($17)
	beq	$2,$0,$L33
	lui	$2,%hi(text+1)
	move	$16,$0
	addiu	$2,$2,%lo(text+1)
$L19:
	lb	$3,0($2)
	move	$18,$16
	addiu	$2,$2,1
	addiu	$16,$16,1
	bne	$3,$0,$L19
$L18:
	addiu	$4,$17,%lo(text)
	jal	put_str
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
	beq	$16,$0,$L34
	lb	$2,%lo(text)($17)
	li	$3,32			# 0x20
	addiu	$4,$17,%lo(text)
	beq	$2,$3,$L44
	move	$19,$0
	move	$5,$0
	move	$20,$0
$L21:
	addiu	$19,$19,1
$L23:
	addiu	$2,$2,-97
	andi	$2,$2,0x00ff
	sltu	$3,$2,21
	beq	$3,$0,$L25
	li	$3,1048576			# 0x100000
	addiu	$3,$3,16657
	srl	$2,$3,$2
	andi	$2,$2,0x1
	beq	$2,$0,$L25
	addiu	$20,$20,1
$L25:
	addiu	$5,$5,1
	li	$3,32			# 0x20
	addiu	$4,$4,1
	beq	$16,$5,$L20
	lb	$2,0($4)
	beq	$2,$3,$L25
	lb	$6,-1($4)
	bne	$6,$3,$L23
	b	$L21
$L34:
	move	$20,$0
	move	$19,$0
$L20:
	lui	$4,%hi($LC0)
	addiu	$4,$4,%lo($LC0)
	jal	put_str
	move	$4,$16
	jal	put_int
	lui	$4,%hi($LC1)
	addiu	$4,$4,%lo($LC1)
	jal	put_str
	move	$4,$19
	jal	put_int
	lui	$4,%hi($LC2)
	addiu	$4,$4,%lo($LC2)
	jal	put_str
	move	$4,$20
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
	blez	$18,$L30
	addiu	$2,$17,%lo(text)
	move	$4,$0
	addu	$3,$2,$18
$L29:
	addiu	$4,$4,1
	lb	$6,0($2)
	lb	$7,0($3)
	addiu	$3,$3,-1
	subu	$5,$18,$4
	addiu	$2,$2,1
	slt	$5,$4,$5
	sb	$7,-1($2)
	sb	$6,1($3)
	bne	$5,$0,$L29
$L30:
	addiu	$4,$17,%lo(text)
	jal	put_str
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
	beq	$16,$0,$L28
	addiu	$2,$17,%lo(text)
	addu	$16,$16,$2
$L32:
	lbu	$3,0($2)
	addiu	$4,$3,-97
	addiu	$3,$3,-32
	sltu	$4,$4,26
	beq	$4,$0,$L31
	sb	$3,0($2)
$L31:
	addiu	$2,$2,1
	bne	$16,$2,$L32
$L28:
	addiu	$4,$17,%lo(text)
	li	$16,10			# 0xa
	jal	put_str
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$16,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lui	$4,%hi($LC3)
	addiu	$4,$4,%lo($LC3)
	jal	put_str
	li	$3,32			# 0x20
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
	lui	$4,%hi($LC4)
	addiu	$4,$4,%lo($LC4)
	jal	put_str
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	sb	$16,16($sp)
	li	$6,1			# 0x1
	addiu	$5,$sp,16
#APP
 # 14 "gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,44($sp)
	move	$2,$0
	lw	$20,40($sp)
	lw	$19,36($sp)
	lw	$18,32($sp)
	lw	$17,28($sp)
	lw	$16,24($sp)
	addiu	$sp,$sp,48
	jr	$31
$L44:
	move	$5,$0
	move	$19,$0
	move	$20,$0
	b	$L25
$L33:
	li	$18,-1			# 0xffffffffffffffff
	move	$16,$0
	b	$L18
	.end	main
	.size	main, .-main
	.data
	.align	2
	.type	text, @object
	.size	text, 44
text:
	.ascii	"the quick brown fox jumps over the lazy dog\000"
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
