	.file	1 "builtins.c"
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
 # 14 "rt.h" 1
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
	li	$3,12			# 0xc
	addu	$5,$sp,$6
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
$L16:
	subu	$5,$0,$4
	b	$L8
$L13:
	addiu	$6,$10,-2
	li	$2,45			# 0x2d
	addu	$5,$sp,$6
	li	$3,12			# 0xc
	li	$4,1			# 0x1
	sb	$2,0($5)
	subu	$6,$3,$6
	li	$2,4004			# 0xfa4
#APP
 # 14 "rt.h" 1
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
	.ascii	" failed: n=\000"
	.align	2
$LC1:
	.ascii	" dst=\000"
	.align	2
$LC2:
	.ascii	" src=\000"
	.text
	.align	2
	.set	nomips16
	.set	nomicromips
	.ent	check.part.0
	.type	check.part.0, @function
check.part.0:
	.frame	$sp,40,$31		# vars= 8, regs= 3/0, args= 16, gp= 0
	.mask	0x80030000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-40
	move	$3,$4
	sw	$31,36($sp)
	move	$31,$5
	sw	$17,32($sp)
	move	$17,$6
	sw	$16,28($sp)
	move	$6,$0
	lb	$2,0($4)
	move	$16,$7
	beq	$2,$0,$L18
$L19:
	addiu	$6,$6,1
	addu	$2,$3,$6
	lb	$2,0($2)
	bne	$2,$0,$L19
$L18:
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	move	$5,$3
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	move	$2,$5
$L20:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L20
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	addiu	$6,$6,1
	li	$4,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$4,$31
	jal	put_int
	lui	$5,%hi($LC1)
	addiu	$5,$5,%lo($LC1)
	move	$2,$5
$L21:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L21
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	addiu	$6,$6,1
	li	$4,1			# 0x1
#APP
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$4,$17
	jal	put_int
	lui	$5,%hi($LC2)
	addiu	$5,$5,%lo($LC2)
	move	$2,$5
$L22:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L22
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	addiu	$6,$6,1
	li	$4,1			# 0x1
#APP
 # 14 "rt.h" 1
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
 # 14 "rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	lw	$31,36($sp)
	lw	$17,32($sp)
	lw	$16,28($sp)
	addiu	$sp,$sp,40
	jr	$31
	.end	check.part.0
	.size	check.part.0, .-check.part.0
	.section	.rodata.str1.4
	.align	2
$LC3:
	.ascii	"memcpy\000"
	.align	2
$LC4:
	.ascii	"memset\000"
	.align	2
$LC5:
	.ascii	"memmove\000"
	.align	2
$LC6:
	.ascii	"memcmp equal\000"
	.align	2
$LC7:
	.ascii	"memcmp differ\000"
	.align	2
$LC8:
	.ascii	" checks, \000"
	.align	2
$LC9:
	.ascii	" failures\012\000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,160,$31		# vars= 104, regs= 10/0, args= 16, gp= 0
	.mask	0xc0ff0000,-4
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	lui	$2,%hi(tmp)
	addiu	$sp,$sp,-160
	addiu	$3,$2,%lo(tmp)
	lui	$2,%hi(seed)
	lui	$8,%hi(ref+160)
	sw	$17,124($sp)
	sw	$2,32($sp)
	lui	$2,%hi(failures)
	lui	$17,%hi(buf)
	sw	$16,120($sp)
	sw	$2,44($sp)
	lui	$2,%hi(buf+40)
	lui	$16,%hi(ref)
	sw	$20,136($sp)
	addiu	$2,$2,%lo(buf+40)
	sw	$fp,152($sp)
	lui	$9,%hi(buf+160)
	sw	$18,128($sp)
	sw	$2,72($sp)
	lui	$2,%hi(buf+84)
	move	$20,$0
	sw	$23,148($sp)
	addiu	$2,$2,%lo(buf+84)
	sw	$22,144($sp)
	lui	$fp,%hi(checks)
	sw	$31,156($sp)
	sw	$2,76($sp)
	lui	$2,%hi(buf+8)
	addiu	$17,$17,%lo(buf)
	sw	$21,140($sp)
	addiu	$2,$2,%lo(buf+8)
	sw	$19,132($sp)
	addiu	$18,$8,%lo(ref+160)
	sw	$3,40($sp)
	sw	$2,80($sp)
	lui	$2,%hi($LC3)
	addiu	$16,$16,%lo(ref)
	addiu	$2,$2,%lo($LC3)
	addiu	$23,$9,%lo(buf+160)
	sw	$2,92($sp)
	lui	$2,%hi($LC4)
	move	$9,$3
	addiu	$2,$2,%lo($LC4)
	move	$22,$20
	sw	$2,96($sp)
	lui	$2,%hi($LC5)
	sw	$2,100($sp)
	lui	$2,%hi($LC6)
	addiu	$2,$2,%lo($LC6)
	sw	$2,104($sp)
	lui	$2,%hi($LC7)
	sw	$2,108($sp)
$L30:
	lw	$4,80($sp)
	move	$21,$0
	addu	$3,$16,$22
	sw	$22,36($sp)
	move	$19,$21
	sw	$4,60($sp)
$L84:
	addu	$20,$3,$19
	sw	$16,52($sp)
	li	$21,1103495168			# 0x41c60000
	sw	$16,64($sp)
	li	$22,84			# 0x54
	sw	$4,48($sp)
	move	$2,$20
	sw	$9,68($sp)
	addiu	$21,$21,20077
	sw	$3,84($sp)
	move	$20,$22
	move	$22,$19
	move	$19,$2
$L50:
	lw	$2,32($sp)
	addiu	$7,$20,-84
	move	$4,$17
	move	$3,$16
	lw	$2,%lo(seed)($2)
$L31:
	mul	$2,$2,$21
	addiu	$3,$3,1
	addiu	$4,$4,1
	addiu	$2,$2,12345
	ext	$5,$2,16,8
	sb	$5,-1($3)
	sb	$5,-1($4)
	bne	$3,$18,$L31
	nop

	lw	$3,32($sp)
	addu	$5,$17,$20
	lw	$6,36($sp)
	lw	$4,48($sp)
	sw	$7,56($sp)
	sw	$2,%lo(seed)($3)
	jal	memcpy
	nop

	lw	$3,36($sp)
	lw	$7,56($sp)
	beq	$3,$0,$L35
	nop

	lw	$3,52($sp)
	lw	$4,36($sp)
	addu	$6,$3,$4
$L34:
	subu	$4,$3,$7
	lbu	$5,84($3)
	addiu	$3,$3,1
	addu	$4,$4,$22
	sb	$5,8($4)
	bne	$3,$6,$L34
	nop

$L35:
	move	$4,$16
	move	$3,$17
	b	$L33
	nop

$L124:
	beq	$3,$23,$L123
	nop

$L33:
	lbu	$6,0($3)
	addiu	$4,$4,1
	lbu	$5,-1($4)
	addiu	$3,$3,1
	beq	$6,$5,$L124
	nop

	lw	$3,%lo(checks)($fp)
	addiu	$3,$3,1
$L90:
	lw	$4,44($sp)
	sw	$3,%lo(checks)($fp)
	lw	$2,%lo(failures)($4)
	addiu	$2,$2,1
	slt	$3,$2,11
	sw	$2,%lo(failures)($4)
	beq	$3,$0,$L38
	nop

	lw	$5,36($sp)
	move	$6,$22
	lw	$4,92($sp)
	sw	$7,56($sp)
	jal	check.part.0
	nop

	lw	$7,56($sp)
$L38:
	lw	$2,32($sp)
	move	$4,$17
	move	$3,$16
	lw	$2,%lo(seed)($2)
$L39:
	mul	$2,$2,$21
	addiu	$3,$3,1
	addiu	$4,$4,1
	addiu	$2,$2,12345
	ext	$5,$2,16,8
	sb	$5,-1($3)
	sb	$5,-1($4)
	bne	$3,$18,$L39
	nop

	lw	$3,32($sp)
	addiu	$5,$20,337
	lw	$6,36($sp)
	lw	$4,48($sp)
	sw	$7,56($sp)
	sw	$2,%lo(seed)($3)
	jal	memset
	nop

	lw	$3,36($sp)
	lw	$7,56($sp)
	beq	$3,$0,$L43
	nop

	addiu	$4,$20,81
	addu	$3,$16,$22
	andi	$4,$4,0x00ff
$L42:
	sb	$4,8($3)
	addiu	$3,$3,1
	bne	$3,$19,$L42
	nop

$L43:
	move	$4,$16
	move	$3,$17
	b	$L41
	nop

$L126:
	beq	$3,$23,$L125
	nop

$L41:
	lbu	$6,0($3)
	addiu	$4,$4,1
	lbu	$5,-1($4)
	addiu	$3,$3,1
	beq	$6,$5,$L126
	nop

	lw	$3,%lo(checks)($fp)
	addiu	$3,$3,1
$L88:
	lw	$4,44($sp)
	sw	$3,%lo(checks)($fp)
	lw	$2,%lo(failures)($4)
	addiu	$2,$2,1
	slt	$3,$2,11
	sw	$2,%lo(failures)($4)
	beq	$3,$0,$L46
	nop

	lw	$5,36($sp)
	move	$6,$22
	lw	$4,96($sp)
	jal	check.part.0
	nop

$L46:
	lw	$2,52($sp)
	addiu	$20,$20,1
	addiu	$2,$2,1
	sw	$2,52($sp)
	li	$2,88			# 0x58
	bne	$20,$2,$L50
	nop

	lw	$4,48($sp)
	addiu	$19,$22,1
	li	$2,4			# 0x4
	lw	$5,64($sp)
	lw	$9,68($sp)
	lw	$3,84($sp)
	addiu	$4,$4,1
	bne	$19,$2,$L84
	nop

	lw	$2,100($sp)
	li	$8,1103495168			# 0x41c60000
	lw	$19,60($sp)
	move	$10,$0
	lw	$22,36($sp)
	addiu	$21,$8,20077
	addiu	$2,$2,%lo($LC5)
	move	$6,$10
	sw	$19,68($sp)
	sw	$2,64($sp)
	move	$20,$9
$L49:
	addiu	$2,$6,40
	sw	$6,56($sp)
	addiu	$19,$6,31
	sw	$5,84($sp)
	sw	$2,60($sp)
	lw	$2,72($sp)
	addu	$2,$2,$6
	sw	$2,48($sp)
	addiu	$2,$6,50
	sw	$2,52($sp)
$L61:
	lw	$2,32($sp)
	move	$4,$17
	move	$3,$16
	lw	$2,%lo(seed)($2)
$L51:
	mul	$2,$2,$21
	addiu	$3,$3,1
	addiu	$4,$4,1
	addiu	$2,$2,12345
	ext	$5,$2,16,8
	sb	$5,-1($3)
	sb	$5,-1($4)
	bne	$3,$18,$L51
	nop

	lw	$3,32($sp)
	sw	$2,%lo(seed)($3)
	beq	$22,$0,$L56
	nop

	lw	$2,56($sp)
	addu	$3,$2,$16
	lw	$2,40($sp)
$L54:
	lbu	$4,40($3)
	addiu	$2,$2,1
	addiu	$3,$3,1
	sb	$4,-1($2)
	bne	$2,$20,$L54
	nop

	lw	$2,40($sp)
	addu	$3,$19,$16
$L55:
	lbu	$4,0($2)
	addiu	$2,$2,1
	addiu	$3,$3,1
	sb	$4,-1($3)
	bne	$2,$20,$L55
	nop

$L56:
	lw	$5,48($sp)
	addu	$4,$17,$19
	move	$6,$22
	sw	$4,36($sp)
	jal	memmove
	nop

	move	$5,$16
	lw	$4,36($sp)
	move	$3,$17
	b	$L53
	nop

$L128:
	beq	$3,$23,$L127
	nop

$L53:
	lbu	$7,0($3)
	addiu	$5,$5,1
	lbu	$6,-1($5)
	addiu	$3,$3,1
	beq	$7,$6,$L128
	nop

	lw	$3,%lo(checks)($fp)
	addiu	$3,$3,1
$L86:
	lw	$4,44($sp)
	sw	$3,%lo(checks)($fp)
	lw	$2,%lo(failures)($4)
	addiu	$2,$2,1
	slt	$3,$2,11
	sw	$2,%lo(failures)($4)
	beq	$3,$0,$L59
	nop

	lw	$7,60($sp)
	move	$6,$19
	lw	$4,64($sp)
	move	$5,$22
	jal	check.part.0
	nop

$L59:
	lw	$2,52($sp)
	addiu	$19,$19,1
	bne	$2,$19,$L61
	nop

	lw	$6,56($sp)
	li	$2,4			# 0x4
	lw	$5,84($sp)
	addiu	$6,$6,1
	bne	$6,$2,$L49
	nop

	lw	$2,32($sp)
	li	$6,1103495168			# 0x41c60000
	lw	$19,68($sp)
	move	$9,$20
	addiu	$6,$6,20077
	move	$3,$17
	lw	$2,%lo(seed)($2)
$L63:
	mul	$2,$2,$6
	addiu	$5,$5,1
	addiu	$3,$3,1
	addiu	$2,$2,12345
	ext	$4,$2,16,8
	sb	$4,-1($5)
	sb	$4,-1($3)
	bne	$5,$18,$L63
	nop

	sra	$3,$22,1
	move	$5,$0
	sw	$3,68($sp)
	lw	$3,32($sp)
	sw	$2,%lo(seed)($3)
	addiu	$2,$22,-1
	sw	$2,84($sp)
	lw	$2,108($sp)
	addiu	$2,$2,%lo($LC7)
	sw	$2,88($sp)
$L64:
	lw	$20,76($sp)
	move	$7,$0
	sw	$19,36($sp)
	sw	$5,56($sp)
	addu	$21,$20,$22
	sw	$9,112($sp)
	move	$19,$20
	move	$20,$21
	move	$21,$7
$L71:
	beq	$22,$0,$L68
	nop

	lw	$3,36($sp)
	move	$2,$19
$L65:
	lbu	$4,0($3)
	addiu	$2,$2,1
	addiu	$3,$3,1
	sb	$4,-1($2)
	bne	$20,$2,$L65
	nop

$L68:
	lw	$4,36($sp)
	move	$6,$22
	move	$5,$19
	jal	memcmp
	nop

	lw	$3,%lo(checks)($fp)
	addiu	$3,$3,1
	sw	$3,%lo(checks)($fp)
	beq	$2,$0,$L69
	nop

	lw	$4,44($sp)
	lw	$2,%lo(failures)($4)
	addiu	$2,$2,1
	slt	$3,$2,11
	sw	$2,%lo(failures)($4)
	beq	$3,$0,$L69
	nop

	lw	$6,56($sp)
	move	$7,$21
	lw	$4,104($sp)
	move	$5,$22
	jal	check.part.0
	nop

$L69:
	bne	$22,$0,$L70
	nop

$L81:
	addiu	$21,$21,1
	li	$2,4			# 0x4
	addiu	$19,$19,1
	addiu	$20,$20,1
	bne	$21,$2,$L71
	nop

	lw	$5,56($sp)
	lw	$19,36($sp)
	lw	$9,112($sp)
	addiu	$5,$5,1
	addiu	$19,$19,1
	bne	$5,$21,$L64
	nop

	addiu	$22,$22,1
	li	$2,65			# 0x41
	addiu	$9,$9,1
	bne	$22,$2,$L30
	nop

	lw	$4,%lo(checks)($fp)
	jal	put_int
	nop

	lui	$4,%hi($LC8)
	addiu	$4,$4,%lo($LC8)
	jal	put_str
	nop

	lw	$2,44($sp)
	lw	$16,%lo(failures)($2)
	move	$4,$16
	jal	put_int
	nop

	lui	$4,%hi($LC9)
	addiu	$4,$4,%lo($LC9)
	jal	put_str
	nop

	sltu	$2,$0,$16
	lw	$31,156($sp)
	lw	$fp,152($sp)
	lw	$23,148($sp)
	lw	$22,144($sp)
	lw	$21,140($sp)
	lw	$20,136($sp)
	lw	$19,132($sp)
	lw	$18,128($sp)
	lw	$17,124($sp)
	lw	$16,120($sp)
	addiu	$sp,$sp,160
	jr	$31
	nop

$L127:
	lw	$3,%lo(checks)($fp)
	addiu	$3,$3,1
	bne	$4,$2,$L86
	nop

	sw	$3,%lo(checks)($fp)
	b	$L59
	nop

$L123:
	lw	$3,%lo(checks)($fp)
	lw	$4,48($sp)
	addiu	$3,$3,1
	bne	$2,$4,$L90
	nop

	sw	$3,%lo(checks)($fp)
	b	$L38
	nop

$L125:
	lw	$3,%lo(checks)($fp)
	lw	$4,48($sp)
	addiu	$3,$3,1
	bne	$2,$4,$L88
	nop

	sw	$3,%lo(checks)($fp)
	b	$L46
	nop

$L70:
	lw	$2,68($sp)
	addiu	$11,$sp,16
	li	$8,1			# 0x1
	sw	$21,64($sp)
	sw	$20,116($sp)
	move	$21,$11
	sw	$2,20($sp)
	move	$20,$8
	sw	$0,16($sp)
	sw	$22,48($sp)
	lw	$2,84($sp)
	sw	$2,24($sp)
$L80:
	lw	$3,0($21)
	move	$5,$19
	lw	$2,36($sp)
	lw	$6,48($sp)
	addu	$22,$19,$3
	addu	$7,$2,$3
	move	$4,$2
	lbu	$3,0($22)
	lbu	$2,0($7)
	sw	$3,52($sp)
	addu	$2,$20,$2
	andi	$2,$2,0x00ff
	sb	$2,0($22)
	lbu	$9,0($7)
	subu	$9,$9,$2
	sw	$9,60($sp)
	jal	memcmp
	nop

	lw	$9,60($sp)
	beq	$2,$9,$L129
	nop

$L73:
	lw	$3,44($sp)
	lw	$2,%lo(checks)($fp)
	lw	$4,%lo(failures)($3)
	addiu	$2,$2,1
	sw	$2,%lo(checks)($fp)
	addiu	$2,$4,1
	slt	$4,$2,11
	sw	$2,%lo(failures)($3)
	beq	$4,$0,$L79
	nop

	lw	$7,64($sp)
	lw	$6,56($sp)
	lw	$5,48($sp)
	lw	$4,88($sp)
	jal	check.part.0
	nop

$L79:
	lw	$2,52($sp)
	addiu	$8,$20,100
	addiu	$21,$21,4
	andi	$20,$8,0x00ff
	sb	$2,0($22)
	li	$2,45			# 0x2d
	bne	$20,$2,$L80
	nop

	lw	$22,48($sp)
	lw	$21,64($sp)
	lw	$20,116($sp)
	b	$L81
	nop

$L129:
	lw	$6,48($sp)
	move	$4,$19
	lw	$5,36($sp)
	sw	$2,60($sp)
	jal	memcmp
	nop

	lw	$7,60($sp)
	blez	$2,$L130
	nop

	bgez	$7,$L73
	nop

	lw	$2,%lo(checks)($fp)
	addiu	$2,$2,1
	sw	$2,%lo(checks)($fp)
	b	$L79
	nop

$L130:
	bne	$2,$0,$L75
	nop

	bne	$7,$0,$L73
	nop

	lw	$2,%lo(checks)($fp)
	addiu	$2,$2,1
	sw	$2,%lo(checks)($fp)
	b	$L79
	nop

$L75:
	blez	$7,$L73
	nop

	lw	$2,%lo(checks)($fp)
	addiu	$2,$2,1
	sw	$2,%lo(checks)($fp)
	b	$L79
	nop

	.set	macro
	.set	reorder
	.end	main
	.size	main, .-main
	.local	failures
	.comm	failures,4,4
	.local	checks
	.comm	checks,4,4
	.data
	.align	2
	.type	seed, @object
	.size	seed, 4
seed:
	.word	12345
	.local	tmp
	.comm	tmp,160,4
	.local	ref
	.comm	ref,160,4
	.local	buf
	.comm	buf,160,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
