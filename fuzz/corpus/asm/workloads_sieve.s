	.file	1 "sieve.c"
	.section .mdebug.abi32
	.previous
	.nan	legacy
	.module	fp=xx
	.module	nooddspreg
	.module	arch=mips32r2
	.text
	.section	.rodata.str1.4,"aMS",@progbits,1
	.align	2
$LC0:
	.ascii	"primes below 2000001: \000"
	.section	.text.startup,"ax",@progbits
	.align	2
	.globl	main
	.set	nomips16
	.set	nomicromips
	.ent	main
	.type	main, @function
main:
	.frame	$sp,32,$31		# vars= 24, regs= 1/0, args= 0, gp= 0
	.mask	0x00010000,-4
	.fmask	0x00000000,0
	addiu	$sp,$sp,-32
	lui	$15,%hi(composite+2)
	lui	$14,%hi(composite+4)
	lui	$13,%hi(composite)
	sw	$16,28($sp)
	lui	$10,%hi(composite+2000001)
	li	$8,1966080			# 0x1e0000
	li	$12,24			# 0x18
	addiu	$15,$15,%lo(composite+2)
	addiu	$14,$14,%lo(composite+4)
	addiu	$13,$13,%lo(composite)
	addiu	$10,$10,%lo(composite+2000001)
	li	$11,1			# 0x1
	ori	$8,$8,0x8481
$L2:
	move	$2,$13
$L3:
	sb	$0,0($2)
	addiu	$2,$2,1
	bne	$2,$10,$L3
	li	$6,4			# 0x4
	move	$16,$0
	li	$2,2			# 0x2
	move	$3,$15
	move	$7,$14
	b	$L7
$L4:
	addiu	$2,$2,1
	addiu	$3,$3,1
	addiu	$6,$6,2
	addiu	$7,$7,2
	beq	$2,$8,$L18
$L7:
	lbu	$4,0($3)
	bne	$4,$0,$L4
	sltu	$5,$6,$8
	addiu	$16,$16,1
	move	$4,$6
	beq	$5,$0,$L4
	move	$5,$7
$L6:
	addu	$4,$4,$2
	sb	$11,0($5)
	addu	$5,$5,$2
	slt	$9,$4,$8
	bne	$9,$0,$L6
	addiu	$2,$2,1
	addiu	$3,$3,1
	addiu	$6,$6,2
	addiu	$7,$7,2
	bne	$2,$8,$L7
$L18:
	addiu	$12,$12,-1
	bne	$12,$0,$L2
	lui	$5,%hi($LC0)
	addiu	$5,$5,%lo($LC0)
	move	$2,$5
$L9:
	move	$6,$2
	addiu	$2,$2,1
	lb	$3,0($2)
	bne	$3,$0,$L9
	subu	$6,$6,$5
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addiu	$6,$6,1
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$5,-859045888			# 0xffffffffcccc0000
	sw	$sp,16($sp)
	ori	$5,$5,0xcccd
$L10:
	multu	$16,$5
	lw	$3,16($sp)
	sltu	$6,$16,10
	addiu	$2,$3,-1
	mfhi	$4
	sw	$2,16($sp)
	srl	$4,$4,3
	sll	$2,$4,2
	addu	$2,$2,$4
	sll	$2,$2,1
	subu	$2,$16,$2
	move	$16,$4
	lw	$4,16($sp)
	addiu	$2,$2,48
	sb	$2,12($4)
	beq	$6,$0,$L10
	subu	$3,$3,$sp
	li	$6,12			# 0xc
	addiu	$3,$3,11
	li	$2,4004			# 0xfa4
	li	$4,1			# 0x1
	addu	$5,$sp,$3
	subu	$6,$6,$3
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	li	$3,10			# 0xa
	li	$2,4004			# 0xfa4
	li	$6,1			# 0x1
	sb	$3,0($sp)
	move	$5,$sp
#APP
 # 14 "workloads/../gcc/rt.h" 1
	syscall
 # 0 "" 2
#NO_APP
	move	$2,$0
	lw	$16,28($sp)
	addiu	$sp,$sp,32
	jr	$31
	.end	main
	.size	main, .-main
	.local	composite
	.comm	composite,2000001,4
	.ident	"GCC: (Debian 12.2.0-14) 12.2.0"
	.section	.note.GNU-stack,"",@progbits
