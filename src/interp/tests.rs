//! Semantics of every instruction of the table at edge values. A final test
//! checks that the cases together cover every operation.

use super::run;
use crate::asm::assemble_str;
use crate::isa::{decode, Flags, Op, OPS};
use crate::vm::{Exit, Fault, Image, Machine, DEFAULT_LIMIT};
use std::collections::BTreeSet;

const INT_MIN: u32 = 0x8000_0000;
const INT_MAX: u32 = 0x7fff_ffff;

/// Register by conventional number: inputs in $t0..$t3 (8..11), results in $v0/$v1 (2, 3).
const T0: u8 = 8;
const T1: u8 = 9;
const V0: u8 = 2;
const V1: u8 = 3;

struct Case {
    src: &'static str,
    inputs: &'static [(u8, u32)],
    hilo: Option<(u32, u32)>,
    expect: Result<&'static [(u8, u32)], Fault>,
    expect_hilo: Option<(u32, u32)>,
}

fn case(src: &'static str, inputs: &'static [(u8, u32)], expect: &'static [(u8, u32)]) -> Case {
    Case { src, inputs, hilo: None, expect: Ok(expect), expect_hilo: None }
}

fn fault(src: &'static str, inputs: &'static [(u8, u32)], f: Fault) -> Case {
    Case { src, inputs, hilo: None, expect: Err(f), expect_hilo: None }
}

fn hilo(src: &'static str, inputs: &'static [(u8, u32)], before: (u32, u32), after: (u32, u32)) -> Case {
    Case { src, inputs, hilo: Some(before), expect: Ok(&[]), expect_hilo: Some(after) }
}

fn machine(src: &str) -> Machine {
    let text = format!(".data\nbuf: .word 0x11223344, 0x55667788, 0, 0\n.text\nmain:\n{src}\n");
    let program = assemble_str("case.s", &text).unwrap_or_else(|e| panic!("{src}: {e}"));
    Machine::new(&Image::new(program), DEFAULT_LIMIT).expect("machine")
}

fn check(c: &Case) {
    let mut m = machine(c.src);
    for &(r, v) in c.inputs {
        m.cpu.regs[r as usize] = v;
    }
    if let Some((hi, lo)) = c.hilo {
        m.cpu.hi = hi;
        m.cpu.lo = lo;
    }
    let (_, exit) = run(&mut m, 1000);
    match (&c.expect, exit) {
        (Ok(regs), Exit::Halt) => {
            for &(r, v) in *regs {
                assert_eq!(
                    m.cpu.regs[r as usize], v,
                    "{}: register {r} is {:#x}, expected {v:#x}",
                    c.src, m.cpu.regs[r as usize]
                );
            }
            if let Some(hl) = c.expect_hilo {
                assert_eq!((m.cpu.hi, m.cpu.lo), hl, "{}: HI/LO", c.src);
            }
            assert_eq!(m.cpu.regs[0], 0, "{}: $zero changed", c.src);
        }
        (Err(want), Exit::Fault(got)) => assert_eq!(&got, want, "{}", c.src),
        (want, got) => panic!("{}: expected {want:?}, got exit {got:?}", c.src),
    }
}

fn cases() -> Vec<Case> {
    vec![
        // Shifts: by 0 and 31, arithmetic vs logical, variable amounts use the low 5 bits.
        case("sll $v0, $t0, 0\nsll $v1, $t0, 31", &[(T0, 3)], &[(V0, 3), (V1, INT_MIN)]),
        case("srl $v0, $t0, 31\nsrl $v1, $t0, 0", &[(T0, INT_MIN)], &[(V0, 1), (V1, INT_MIN)]),
        case("sra $v0, $t0, 31\nsra $v1, $t0, 4", &[(T0, INT_MIN)], &[(V0, u32::MAX), (V1, 0xf800_0000)]),
        case(
            "rotr $v0, $t0, 4\nrotr $v1, $t0, 0",
            &[(T0, 0x1234_5678)],
            &[(V0, 0x8123_4567), (V1, 0x1234_5678)],
        ),
        case("sllv $v0, $t0, $t1", &[(T0, 1), (T1, 33)], &[(V0, 2)]),
        case("srlv $v0, $t0, $t1", &[(T0, u32::MAX), (T1, 31)], &[(V0, 1)]),
        case("srav $v0, $t0, $t1", &[(T0, 0x8000_0010), (T1, 36)], &[(V0, 0xf800_0001)]),
        case("rotrv $v0, $t0, $t1", &[(T0, 1), (T1, 1)], &[(V0, INT_MIN)]),
        // Jumps through registers; jalr links to the next instruction (no delay slot).
        case("la $t0, there\njr $t0\nli $v0, 1\nthere: li $v1, 2", &[], &[(V0, 0), (V1, 2)]),
        case("la $t0, f\njalr $t0\nb out\nf: move $v0, $ra\njr $ra\nout:", &[], &[(V0, 0x0040_000c)]),
        case("la $t0, f\njalr $t1, $t0\nb out\nf: move $v0, $t1\njr $t1\nout:", &[], &[(V0, 0x0040_000c)]),
        // Conditional moves.
        case("movz $v0, $t0, $zero\nmovz $v1, $t0, $t1", &[(T0, 5), (T1, 1)], &[(V0, 5), (V1, 0)]),
        case("movn $v0, $t0, $t1\nmovn $v1, $t0, $zero", &[(T0, 5), (T1, 1)], &[(V0, 5), (V1, 0)]),
        // syscall and break reach the hypervisor / fault.
        fault("break 7", &[], Fault::Break(7)),
        case("sync\nsync 4\npref 0, 0($sp)", &[], &[]),
        // HI/LO moves, multiply and divide at the edges.
        hilo("mthi $t0\nmtlo $t1", &[(T0, 1), (T1, 2)], (0, 0), (1, 2)),
        case("mthi $t0\nmtlo $t1\nmfhi $v0\nmflo $v1", &[(T0, 7), (T1, 9)], &[(V0, 7), (V1, 9)]),
        hilo("mult $t0, $t1", &[(T0, INT_MIN), (T1, INT_MIN)], (0, 0), (0x4000_0000, 0)),
        hilo("mult $t0, $t1", &[(T0, u32::MAX), (T1, 1)], (0, 0), (u32::MAX, u32::MAX)),
        hilo("multu $t0, $t1", &[(T0, u32::MAX), (T1, u32::MAX)], (0, 0), (0xffff_fffe, 1)),
        hilo("div $t0, $t1", &[(T0, (-7i32) as u32), (T1, 2)], (0, 0), ((-1i32) as u32, (-3i32) as u32)),
        hilo("div $t0, $t1", &[(T0, INT_MIN), (T1, u32::MAX)], (0, 0), (0, INT_MIN)),
        hilo("div $t0, $t1", &[(T0, 5), (T1, 0)], (0, 0), (5, u32::MAX)),
        hilo("divu $t0, $t1", &[(T0, u32::MAX), (T1, 2)], (0, 0), (1, INT_MAX)),
        hilo("divu $t0, $t1", &[(T0, 5), (T1, 0)], (0, 0), (5, u32::MAX)),
        hilo("madd $t0, $t1", &[(T0, u32::MAX), (T1, 1)], (0, 0), (u32::MAX, u32::MAX)),
        hilo("maddu $t0, $t1", &[(T0, u32::MAX), (T1, 2)], (0, 2), (2, 0)),
        hilo("msub $t0, $t1", &[(T0, 1), (T1, 1)], (0, 0), (u32::MAX, u32::MAX)),
        hilo("msubu $t0, $t1", &[(T0, 1), (T1, 1)], (1, 0), (0, u32::MAX)),
        case("mul $v0, $t0, $t1", &[(T0, 0x10000), (T1, 0x10001)], &[(V0, 0x10000)]),
        // Arithmetic: overflow traps on add/addi/sub only.
        case("add $v0, $t0, $t1", &[(T0, INT_MAX), (T1, INT_MIN)], &[(V0, u32::MAX)]),
        fault("add $v0, $t0, $t1", &[(T0, INT_MAX), (T1, 1)], Fault::Overflow),
        fault("add $v0, $t0, $t1", &[(T0, INT_MIN), (T1, u32::MAX)], Fault::Overflow),
        case("addu $v0, $t0, $t1", &[(T0, INT_MAX), (T1, 1)], &[(V0, INT_MIN)]),
        fault("sub $v0, $t0, $t1", &[(T0, INT_MIN), (T1, 1)], Fault::Overflow),
        case("sub $v0, $t0, $t1", &[(T0, 0), (T1, INT_MAX)], &[(V0, INT_MIN + 1)]),
        case("subu $v0, $t0, $t1", &[(T0, INT_MIN), (T1, 1)], &[(V0, INT_MAX)]),
        fault("addi $v0, $t0, 1", &[(T0, INT_MAX)], Fault::Overflow),
        fault("addi $v0, $t0, -1", &[(T0, INT_MIN)], Fault::Overflow),
        case("addi $v0, $t0, -32768", &[(T0, 0)], &[(V0, 0xffff_8000)]),
        case("addiu $v0, $t0, -1", &[(T0, 0)], &[(V0, u32::MAX)]),
        // Logic.
        case(
            "and $v0, $t0, $t1\nor $v1, $t0, $t1",
            &[(T0, 0xff00_ff00), (T1, 0x0ff0_0ff0)],
            &[(V0, 0x0f00_0f00), (V1, 0xfff0_fff0)],
        ),
        case(
            "xor $v0, $t0, $t1\nnor $v1, $t0, $t1",
            &[(T0, 0xff00_ff00), (T1, 0x0ff0_0ff0)],
            &[(V0, 0xf0f0_f0f0), (V1, 0x000f_000f)],
        ),
        case(
            "andi $v0, $t0, 0xffff\nori $v1, $zero, 0x8000",
            &[(T0, u32::MAX)],
            &[(V0, 0xffff), (V1, 0x8000)],
        ),
        case("xori $v0, $t0, 0xffff", &[(T0, u32::MAX)], &[(V0, 0xffff_0000)]),
        case("lui $v0, 0xffff\nlui $v1, 0", &[], &[(V0, 0xffff_0000), (V1, 0)]),
        // Comparisons: signed vs unsigned; sltiu sign-extends then compares unsigned.
        case("slt $v0, $t0, $t1\nsltu $v1, $t0, $t1", &[(T0, u32::MAX), (T1, 0)], &[(V0, 1), (V1, 0)]),
        case("slti $v0, $t0, -1\nsltiu $v1, $t0, -1", &[(T0, INT_MIN)], &[(V0, 1), (V1, 1)]),
        case("sltiu $v0, $t0, 0", &[(T0, 0)], &[(V0, 0)]),
        // Traps, register and immediate forms.
        fault("tge $t0, $t1", &[(T0, 0), (T1, u32::MAX)], Fault::Trap),
        case("tgeu $t0, $t1", &[(T0, 0), (T1, u32::MAX)], &[]),
        fault("tlt $t0, $t1", &[(T0, INT_MIN), (T1, 0)], Fault::Trap),
        case("tltu $t0, $t1", &[(T0, INT_MIN), (T1, 0)], &[]),
        fault("teq $t0, $t1, 7", &[(T0, 3), (T1, 3)], Fault::Trap),
        case("tne $t0, $t1", &[(T0, 3), (T1, 3)], &[]),
        fault("tgei $t0, -1", &[(T0, 0)], Fault::Trap),
        case("tgeiu $t0, -1", &[(T0, 0)], &[]),
        fault("tlti $t0, 0", &[(T0, INT_MIN)], Fault::Trap),
        fault("tltiu $t0, -1", &[(T0, 5)], Fault::Trap),
        case("teqi $t0, 0", &[(T0, 1)], &[]),
        fault("tnei $t0, 0", &[(T0, 1)], Fault::Trap),
        // Branches: taken and not taken, signed tests at INT_MIN, linking ones link always.
        case("bltz $t0, yes\nli $v0, 1\nyes:", &[(T0, INT_MIN)], &[(V0, 0)]),
        case("bgez $t0, yes\nli $v0, 1\nyes:", &[(T0, INT_MIN)], &[(V0, 1)]),
        case("bltzl $t0, yes\nli $v0, 1\nyes:", &[(T0, 0)], &[(V0, 1)]),
        case("bgezl $t0, yes\nli $v0, 1\nyes:", &[(T0, 0)], &[(V0, 0)]),
        case("bltzal $t0, yes\nyes: move $v0, $ra", &[(T0, 0)], &[(V0, 0x0040_0004)]),
        case("bgezal $t0, f\nb out\nf: move $v0, $ra\njr $ra\nout:", &[(T0, 0)], &[(V0, 0x0040_0004)]),
        case("bltzall $t0, yes\nyes: move $v0, $ra", &[(T0, u32::MAX)], &[(V0, 0x0040_0004)]),
        case("bgezall $t0, yes\nyes: move $v0, $ra", &[(T0, u32::MAX)], &[(V0, 0x0040_0004)]),
        case("j there\nli $v0, 1\nthere:", &[], &[(V0, 0)]),
        case("jal f\nb out\nf: move $v0, $ra\njr $ra\nout:", &[], &[(V0, 0x0040_0004)]),
        case("beq $t0, $t1, yes\nli $v0, 1\nyes:", &[(T0, 5), (T1, 5)], &[(V0, 0)]),
        case("bne $t0, $t1, yes\nli $v0, 1\nyes:", &[(T0, 5), (T1, 5)], &[(V0, 1)]),
        case("blez $t0, yes\nli $v0, 1\nyes:", &[(T0, 0)], &[(V0, 0)]),
        case("bgtz $t0, yes\nli $v0, 1\nyes:", &[(T0, INT_MIN)], &[(V0, 1)]),
        case("beql $t0, $t1, yes\nli $v0, 1\nyes:", &[(T0, 1), (T1, 2)], &[(V0, 1)]),
        case("bnel $t0, $t1, yes\nli $v0, 1\nyes:", &[(T0, 1), (T1, 2)], &[(V0, 0)]),
        case("blezl $t0, yes\nli $v0, 1\nyes:", &[(T0, 1)], &[(V0, 1)]),
        case("bgtzl $t0, yes\nli $v0, 1\nyes:", &[(T0, 1)], &[(V0, 0)]),
        case("back: addiu $v0, $v0, 1\nbne $v0, $t0, back", &[(T0, 3)], &[(V0, 3)]),
        // Bit operations.
        case("clz $v0, $t0\nclz $v1, $zero", &[(T0, 1)], &[(V0, 31), (V1, 32)]),
        case("clo $v0, $t0\nclo $v1, $zero", &[(T0, u32::MAX)], &[(V0, 32), (V1, 0)]),
        case(
            "ext $v0, $t0, 4, 8\next $v1, $t0, 0, 32",
            &[(T0, 0x1234_5678)],
            &[(V0, 0x67), (V1, 0x1234_5678)],
        ),
        case("ext $v0, $t0, 31, 1", &[(T0, INT_MIN)], &[(V0, 1)]),
        case("ins $t1, $t0, 8, 8\nmove $v0, $t1", &[(T0, 0xab), (T1, u32::MAX)], &[(V0, 0xffff_abff)]),
        case("ins $t1, $t0, 0, 32\nmove $v0, $t1", &[(T0, 7), (T1, u32::MAX)], &[(V0, 7)]),
        case("wsbh $v0, $t0", &[(T0, 0x1122_3344)], &[(V0, 0x2211_4433)]),
        case("seb $v0, $t0\nseh $v1, $t0", &[(T0, 0x0000_8080)], &[(V0, 0xffff_ff80), (V1, 0xffff_8080)]),
        // rdhwr $29 reads the thread pointer (0 until set_thread_area), $0 the CPU number.
        case("li $v0, 7\nrdhwr $v0, $29\nli $v1, 7\nrdhwr $v1, $0", &[], &[(V0, 0), (V1, 0)]),
        // Loads: sign and zero extension, alignment.
        case("la $t0, buf\nlb $v0, 3($t0)\nlbu $v1, 7($t0)", &[], &[(V0, 0x11), (V1, 0x55)]),
        case("la $t0, buf\nlh $v0, 6($t0)\nlhu $v1, 6($t0)", &[], &[(V0, 0x5566), (V1, 0x5566)]),
        case("la $t0, buf\nli $t1, 0x80\nsb $t1, 8($t0)\nlb $v0, 8($t0)", &[], &[(V0, 0xffff_ff80)]),
        case(
            "la $t0, buf\nli $t1, 0x8000\nsh $t1, 8($t0)\nlh $v0, 8($t0)\nlhu $v1, 8($t0)",
            &[],
            &[(V0, 0xffff_8000), (V1, 0x8000)],
        ),
        fault("la $t0, buf\nlh $v0, 1($t0)", &[], Fault::AddressErrorLoad(0x1001_0001)),
        fault("la $t0, buf\nlw $v0, 2($t0)", &[], Fault::AddressErrorLoad(0x1001_0002)),
        fault("la $t0, buf\nsw $t0, 2($t0)", &[], Fault::AddressErrorStore(0x1001_0002)),
        fault("la $t0, buf\nsh $t0, 3($t0)", &[], Fault::AddressErrorStore(0x1001_0003)),
        case("la $t0, buf\nlw $v0, 4($t0)\nll $v1, 0($t0)", &[], &[(V0, 0x5566_7788), (V1, 0x1122_3344)]),
        case("la $t0, buf\nli $v0, 9\nsc $v0, 8($t0)\nlw $v1, 8($t0)", &[], &[(V0, 1), (V1, 9)]),
        case("la $t0, buf\nli $t1, -1\nsw $t1, 12($t0)\nlw $v0, 12($t0)", &[], &[(V0, u32::MAX)]),
        // Unaligned word halves, little-endian.
        case("la $t0, buf\nli $v0, 0\nlwl $v0, 1($t0)", &[], &[(V0, 0x3344_0000)]),
        case("la $t0, buf\nli $v0, -1\nlwr $v0, 1($t0)", &[], &[(V0, 0xff11_2233)]),
        case("la $t0, buf\nlwl $v0, 3($t0)\nlwr $v1, 0($t0)", &[], &[(V0, 0x1122_3344), (V1, 0x1122_3344)]),
        case("la $t0, buf\nli $t1, 0xaabbccdd\nswl $t1, 9($t0)\nlw $v0, 8($t0)", &[], &[(V0, 0x0000_aabb)]),
        case("la $t0, buf\nli $t1, 0xaabbccdd\nswr $t1, 9($t0)\nlw $v0, 8($t0)", &[], &[(V0, 0xbbcc_dd00)]),
        // Writes to $zero are lost.
        case("addiu $zero, $zero, 5\nmove $v0, $zero", &[], &[(V0, 0)]),
    ]
}

/// A test source that lives as long as the test run.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// FP operations: inputs 1.5 and 2.0 as singles (`$f0`, `$f2`) and as
/// doubles (pairs `$f0`, `$f2`), results read back through `mfc1`/`mfhc1`
/// and FCSR through `cfc1`.
fn fp_cases() -> Vec<Case> {
    const S: &str = "li $t0, 0x3fc00000\nli $t1, 0x40000000\nmtc1 $t0, $f0\nmtc1 $t1, $f2\n";
    const D: &str = "li $t0, 0x3ff80000\nli $t1, 0x40000000\nmtc1 $zero, $f0\nmthc1 $t0, $f0\nmtc1 $zero, $f2\nmthc1 $t1, $f2\n";
    let single =
        |body: &str, v0: u32| case(leak(format!("{S}{body}\nmfc1 $v0, $f4")), &[], leak_regs(&[(V0, v0)]));
    let double = |body: &str, hi: u32, lo: u32| {
        case(leak(format!("{D}{body}\nmfhc1 $v0, $f4\nmfc1 $v1, $f4")), &[], leak_regs(&[(V0, hi), (V1, lo)]))
    };
    let mut v = vec![
        single("add.s $f4, $f0, $f2", 0x4060_0000),
        single("sub.s $f4, $f0, $f2", 0xbf00_0000),
        single("mul.s $f4, $f0, $f2", 0x4040_0000),
        single("div.s $f4, $f0, $f2", 0x3f40_0000),
        single("sqrt.s $f4, $f2", 0x3fb5_04f3),
        single("neg.s $f6, $f0\nabs.s $f4, $f6", 0x3fc0_0000),
        single("mov.s $f4, $f2", 0x4000_0000),
        single("round.w.s $f4, $f0", 2),
        single("trunc.w.s $f4, $f0", 1),
        single("ceil.w.s $f4, $f0", 2),
        single("floor.w.s $f4, $f0", 1),
        single("cvt.w.s $f4, $f0", 2),
        single("li $t2, 7\nmtc1 $t2, $f6\ncvt.s.w $f4, $f6", 0x40e0_0000),
        single("cvt.d.s $f6, $f0\ncvt.s.d $f4, $f6", 0x3fc0_0000),
        single("li $t2, -3\nmtc1 $t2, $f6\ncvt.d.w $f8, $f6\ncvt.w.d $f4, $f8", (-3i32) as u32),
        single("c.lt.s $f0, $f2\nmov.s $f4, $f0\nmovt.s $f4, $f2", 0x4000_0000),
        single("c.lt.s $f0, $f2\nmov.s $f4, $f0\nmovf.s $f4, $f2", 0x3fc0_0000),
        single("mov.s $f4, $f0\nmovz.s $f4, $f2, $zero", 0x4000_0000),
        single("mov.s $f4, $f0\nmovn.s $f4, $f2, $zero", 0x3fc0_0000),
        single("mov.s $f4, $f0\nmadd.s $f4, $f4, $f0, $f2", 0x4090_0000),
        single("mov.s $f4, $f0\nmsub.s $f4, $f4, $f0, $f2", 0x3fc0_0000),
        single("mov.s $f4, $f0\nnmadd.s $f4, $f4, $f0, $f2", 0xc090_0000),
        single("mov.s $f4, $f0\nnmsub.s $f4, $f4, $f0, $f2", 0xbfc0_0000),
        single("la $t3, buf\nswc1 $f2, 8($t3)\nlwc1 $f4, 8($t3)", 0x4000_0000),
        double("add.d $f4, $f0, $f2", 0x400c_0000, 0),
        double("sub.d $f4, $f0, $f2", 0xbfe0_0000, 0),
        double("mul.d $f4, $f0, $f2", 0x4008_0000, 0),
        double("div.d $f4, $f0, $f2", 0x3fe8_0000, 0),
        double("sqrt.d $f4, $f2", 0x3ff6_a09e, 0x667f_3bcd),
        double("neg.d $f6, $f0\nabs.d $f4, $f6", 0x3ff8_0000, 0),
        double("mov.d $f4, $f2", 0x4000_0000, 0),
        double("round.w.d $f4, $f0\nmtc1 $zero, $f5", 0, 2),
        double("trunc.w.d $f4, $f0\nmtc1 $zero, $f5", 0, 1),
        double("ceil.w.d $f4, $f0\nmtc1 $zero, $f5", 0, 2),
        double("floor.w.d $f4, $f0\nmtc1 $zero, $f5", 0, 1),
        double("c.lt.d $fcc3, $f0, $f2\nmov.d $f4, $f0\nmovt.d $f4, $f2, $fcc3", 0x4000_0000, 0),
        double("c.lt.d $f0, $f2\nmov.d $f4, $f0\nmovf.d $f4, $f2", 0x3ff8_0000, 0),
        double("mov.d $f4, $f0\nmovz.d $f4, $f2, $zero", 0x4000_0000, 0),
        double("mov.d $f4, $f0\nmovn.d $f4, $f2, $zero", 0x3ff8_0000, 0),
        double("mov.d $f4, $f0\nmadd.d $f4, $f4, $f0, $f2", 0x4012_0000, 0),
        double("mov.d $f4, $f0\nmsub.d $f4, $f4, $f0, $f2", 0x3ff8_0000, 0),
        double("mov.d $f4, $f0\nnmadd.d $f4, $f4, $f0, $f2", 0xc012_0000, 0),
        double("mov.d $f4, $f0\nnmsub.d $f4, $f4, $f0, $f2", 0xbff8_0000, 0),
        double("la $t3, buf\nsdc1 $f2, 8($t3)\nldc1 $f4, 8($t3)", 0x4000_0000, 0),
        // FCSR: cause and flags of the last operation, rounding modes, condition codes.
        case(leak(format!("{S}div.s $f4, $f2, $f0\ncfc1 $v0, $31")), &[], &[(V0, 0x1004)]),
        case(
            leak(format!("{S}li $t2, 1\nctc1 $t2, $31\ndiv.s $f4, $f2, $f0\nmfc1 $v0, $f4")),
            &[],
            &[(V0, 0x3faa_aaaa)],
        ),
        case(
            leak(format!("{S}c.eq.s 7, $f0, $f0\ncfc1 $v0, $25\ncfc1 $v1, $0")),
            &[],
            &[(V0, 0x80), (V1, 0x0073_9300)],
        ),
        case(leak(format!("{S}li $t2, 0x0040\nctc1 $t2, $26\ncfc1 $v0, $31")), &[], &[(V0, 0x40)]),
        case(leak(format!("{S}li $t2, 3\nctc1 $t2, $28\ncfc1 $v0, $31")), &[], &[(V0, 3)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f0, $f2\nmovt $v0, $zero")), &[], &[(V0, 0)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f0, $f2\nmovf $v0, $zero")), &[], &[(V0, 1)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f2, $f0\nbc1f skip\nli $v0, 2\nskip:")), &[], &[(V0, 1)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f2, $f0\nbc1t skip\nli $v0, 2\nskip:")), &[], &[(V0, 2)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f0, $f2\nbc1tl skip\nli $v0, 2\nskip:")), &[], &[(V0, 1)]),
        case(leak(format!("{S}li $v0, 1\nc.lt.s $f0, $f2\nbc1fl skip\nli $v0, 2\nskip:")), &[], &[(V0, 2)]),
        // Exceptions enabled in FCSR end the VM; unaligned doubles fault.
        fault(
            leak(format!("{S}li $t2, 0x400\nctc1 $t2, $31\nmtc1 $zero, $f6\ndiv.s $f4, $f0, $f6")),
            &[],
            Fault::FloatingPoint(8),
        ),
        fault("la $t3, buf\nldc1 $f4, 4($t3)", &[], Fault::AddressErrorLoad(0x1001_0004)),
        fault("la $t3, buf\nsdc1 $f4, 4($t3)", &[], Fault::AddressErrorStore(0x1001_0004)),
    ];
    // The 16 conditions on 1.5 ? 2.0 (less: bit 2 of the condition) and on a NaN (unordered: bit 0).
    let conds = [
        "f", "un", "eq", "ueq", "olt", "ult", "ole", "ule", "sf", "ngle", "seq", "ngl", "lt", "nge", "le",
        "ngt",
    ];
    for (n, c) in conds.iter().enumerate() {
        for fmt in ["s", "d"] {
            let pre = if fmt == "s" { S } else { D };
            let src = format!("{pre}c.{c}.{fmt} $fcc2, $f0, $f2\ncfc1 $v0, $25");
            v.push(case(leak(src), &[], leak_regs(&[(V0, u32::from(n & 4 != 0) << 2)])));
        }
        let nan =
            format!("{S}li $t2, 0x7f800001\nmtc1 $t2, $f6\nc.{c}.s $f6, $f2\ncfc1 $v0, $25\ncfc1 $v1, $26");
        let flags = if n >= 8 { 0x0001_0040 } else { 0 };
        v.push(case(leak(nan), &[], leak_regs(&[(V0, u32::from(n & 1 != 0)), (V1, flags)])));
    }
    v
}

fn leak_regs(r: &[(u8, u32)]) -> &'static [(u8, u32)] {
    Box::leak(r.to_vec().into_boxed_slice())
}

#[test]
fn every_instruction_at_edge_values() {
    for c in cases().into_iter().chain(fp_cases()) {
        check(&c);
    }
}

#[test]
fn the_cases_cover_every_operation() {
    let mut covered = BTreeSet::new();
    for c in cases().into_iter().chain(fp_cases()) {
        let m = machine(c.src);
        covered.extend(m.program.text.iter().map(|&w| decode(w).op));
    }
    covered.insert(Op::Syscall); // exercised by every program in asm/
    let missing: Vec<&str> = OPS
        .iter()
        .filter(|d| !d.flags.contains(Flags::PARA) && !covered.contains(&d.op))
        .map(|d| d.mnemonic)
        .collect();
    assert!(missing.is_empty(), "no semantics test for {missing:?}");
}

#[test]
fn halts_faults_and_budgets() {
    let mut m = machine("li $v0, 1\nli $v1, 2");
    assert_eq!(run(&mut m, 1), (1, Exit::Budget));
    assert_eq!(m.cpu.pc, 0x0040_0004);
    assert_eq!(run(&mut m, 10), (1, Exit::Halt));
    assert_eq!(m.cpu.retired, 2);
    let mut m = machine("li $v0, 1\njr $ra");
    assert_eq!(run(&mut m, 10), (2, Exit::Halt));
    let mut m = machine("lw $v0, 0($zero)");
    assert_eq!(run(&mut m, 10), (0, Exit::Fault(Fault::Unmapped { addr: 0, write: false })));
    assert_eq!(m.cpu.pc, 0x0040_0000);
    let mut m = machine("syscall\nDUMP_PROCESSOR_STATE");
    assert_eq!(run(&mut m, 10), (1, Exit::Syscall));
    assert_eq!(run(&mut m, 10), (1, Exit::Para));
    assert_eq!(m.cpu.pc, 0x0040_0008);
    let mut m = machine(".word 0xffffffff");
    assert_eq!(run(&mut m, 10), (0, Exit::Fault(Fault::ReservedInstruction(0xffff_ffff))));
}
