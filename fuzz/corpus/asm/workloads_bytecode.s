	.file	1 "bytecode.c"
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
	.ent	run.constprop.0
	.type	run.constprop.0, @function
run.constprop.0:
	.frame	$sp,272,$31		# vars= 272, regs= 0/0, args= 0, gp= 0
	.mask	0x00000000,0
	.fmask	0x00000000,0
	.set	noreorder
	.set	nomacro
	addiu	$sp,$sp,-272
	lui	$7,%hi($L5)
	move	$2,$0
	move	$5,$0
	sw	$0,256($sp)
	move	$6,$0
	sw	$0,260($sp)
	addiu	$7,$7,%lo($L5)
	sw	$0,264($sp)
	sw	$0,268($sp)
$L2:
	sltu	$3,$2,12
	addiu	$4,$5,1
	beq	$3,$0,$L19
	nop

	sll	$2,$2,2
	addu	$2,$7,$2
	lw	$2,0($2)
	jr	$2
	nop

	.rdata
	.align	2
	.align	2
$L5:
	.word	$L16
	.word	$L15
	.word	$L14
	.word	$L13
	.word	$L12
	.word	$L11
	.word	$L10
	.word	$L9
	.word	$L8
	.word	$L7
	.word	$L6
	.word	$L4
	.text
$L8:
	addiu	$6,$6,-1
	sll	$2,$6,2
	addu	$2,$sp,$2
	lw	$2,0($2)
	beq	$2,$0,$L18
	nop

$L7:
	lui	$2,%hi(program)
	sll	$3,$4,2
	addiu	$2,$2,%lo(program)
	addu	$3,$2,$3
	lw	$5,0($3)
$L17:
	sll	$3,$5,2
	addu	$2,$2,$3
	lw	$2,0($2)
	b	$L2
	nop

$L9:
	addiu	$2,$6,-1
	sll	$3,$6,2
	sll	$2,$2,2
	addu	$3,$sp,$3
	addu	$2,$sp,$2
	addiu	$6,$6,1
	move	$5,$4
	lw	$8,0($2)
	lui	$2,%hi(program)
	addiu	$2,$2,%lo(program)
	sw	$8,0($3)
	b	$L17
	nop

$L10:
	addiu	$8,$6,-1
	addiu	$3,$6,-2
	sll	$2,$8,2
	sll	$3,$3,2
	addu	$2,$sp,$2
	addu	$3,$sp,$3
	move	$5,$4
	lw	$9,0($2)
	lui	$2,%hi(program)
	lw	$4,0($3)
	move	$6,$8
	addiu	$2,$2,%lo(program)
	xor	$4,$4,$9
	sw	$4,0($3)
	b	$L17
	nop

$L11:
	addiu	$8,$6,-1
	addiu	$3,$6,-2
	sll	$2,$8,2
	sll	$3,$3,2
	addu	$2,$sp,$2
	addu	$3,$sp,$3
	move	$5,$4
	lw	$9,0($2)
	lui	$2,%hi(program)
	lw	$4,0($3)
	move	$6,$8
	addiu	$2,$2,%lo(program)
	mul	$4,$4,$9
	sw	$4,0($3)
	b	$L17
	nop

$L12:
	addiu	$8,$6,-1
	addiu	$3,$6,-2
	sll	$2,$8,2
	sll	$3,$3,2
	addu	$2,$sp,$2
	addu	$3,$sp,$3
	move	$5,$4
	lw	$9,0($2)
	lui	$2,%hi(program)
	lw	$4,0($3)
	move	$6,$8
	addiu	$2,$2,%lo(program)
	subu	$4,$4,$9
	sw	$4,0($3)
	b	$L17
	nop

$L13:
	addiu	$8,$6,-1
	addiu	$3,$6,-2
	sll	$2,$8,2
	sll	$3,$3,2
	addu	$2,$sp,$2
	addu	$3,$sp,$3
	move	$5,$4
	lw	$9,0($2)
	lui	$2,%hi(program)
	lw	$4,0($3)
	move	$6,$8
	addiu	$2,$2,%lo(program)
	addu	$4,$4,$9
	sw	$4,0($3)
	b	$L17
	nop

$L14:
	lui	$2,%hi(program)
	sll	$3,$4,2
	addiu	$2,$2,%lo(program)
	addiu	$6,$6,-1
	addu	$3,$2,$3
	sll	$4,$6,2
	addiu	$5,$5,2
	lw	$3,0($3)
	addu	$4,$sp,$4
	sll	$3,$3,2
	lw	$4,0($4)
	addu	$3,$sp,$3
	sw	$4,256($3)
	b	$L17
	nop

$L15:
	lui	$2,%hi(program)
	sll	$3,$4,2
	addiu	$2,$2,%lo(program)
	sll	$8,$6,2
	addu	$3,$2,$3
	addu	$8,$sp,$8
	addiu	$5,$5,2
	lw	$3,0($3)
	addiu	$6,$6,1
	sll	$3,$3,2
	addu	$3,$sp,$3
	lw	$3,256($3)
	sw	$3,0($8)
	b	$L17
	nop

$L16:
	lui	$2,%hi(program)
	sll	$3,$4,2
	addiu	$2,$2,%lo(program)
	sll	$8,$6,2
	addu	$3,$2,$3
	addu	$8,$sp,$8
	addiu	$5,$5,2
	lw	$3,0($3)
	addiu	$6,$6,1
	sw	$3,0($8)
	b	$L17
	nop

$L4:
	addiu	$8,$6,-1
	addiu	$3,$6,-2
	sll	$2,$8,2
	sll	$3,$3,2
	addu	$2,$sp,$2
	addu	$3,$sp,$3
	move	$5,$4
	lw	$9,0($2)
	lui	$2,%hi(program)
	lw	$4,0($3)
	move	$6,$8
	addiu	$2,$2,%lo(program)
	and	$4,$4,$9
	sw	$4,0($3)
	b	$L17
	nop

$L6:
	lw	$2,260($sp)
$L1:
	addiu	$sp,$sp,272
	jr	$31
	nop

$L18:
	lui	$2,%hi(program)
	addiu	$5,$5,2
	addiu	$2,$2,%lo(program)
	b	$L17
	nop

$L19:
	li	$2,-1			# 0xffffffffffffffff
	b	$L1
	nop

	.set	macro
	.set	reorder
	.end	run.constprop.0
	.size	run.constprop.0, .-run.constprop.0
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"bytecode result: \000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,40,$31		# vars= 16, regs= 2/0, args= 16, gp= 0
	.mask	0x80010000,-4
	.fmask	0x00000000,0
	lui	$5,%hi($LC0)
	addiu	$sp,$sp,-40
	addiu	$5,$5,%lo($LC0)
	sw	$31,36($sp)
	move	$2,$5
	sw	$16,32($sp)
$L23:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L23
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	addiu	$6,$6,1
	li	$4,1			# 0x1
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	jal	run.constprop.0
	bltz	$2,$L33
	move	$5,$2
$L25:
	li	$9,-859045888			# 0xffffffffcccc0000
	addiu	$8,$sp,27
	li	$6,12			# 0xc
	ori	$9,$9,0xcccd
$L26:
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
	beq	$7,$0,$L26
	bltz	$2,$L31
	addiu	$16,$sp,16
$L27:
	li	$3,12			# 0xc
	addu	$5,$16,$6
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	subu	$6,$3,$6
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
	lw	$31,36($sp)
	move	$2,$0
	lw	$16,32($sp)
	addiu	$sp,$sp,40
	jr	$31
$L33:
	subu	$5,$0,$2
	b	$L25
$L31:
	addiu	$6,$10,-2
	addiu	$16,$sp,16
	li	$3,45			# 0x2d
	addu	$2,$16,$6
	sb	$3,0($2)
	b	$L27
	.end	main
	.size	main, .-main
	.rdata
	.align	2
	.type	program, @object
	.size	program, 128
program:
	.word	0
	.word	3000000
	.word	2
	.word	0
	.word	0
	.word	1
	.word	2
	.word	1
	.word	1
	.word	1
	.word	0
	.word	33
	.word	5
	.word	1
	.word	0
	.word	6
	.word	0
	.word	16777215
	.word	11
	.word	2
	.word	1
	.word	1
	.word	0
	.word	0
	.word	1
	.word	4
	.word	7
	.word	2
	.word	0
	.word	8
	.word	8
	.word	10
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
