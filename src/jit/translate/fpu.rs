//! FP translation: CP1 instructions as SSE2 scalar code with MIPS's fix-ups.
//!
//! Results come straight from SSE: on ordinary operands x86 and MIPS round
//! identically. What differs is handled around it:
//!
//! * **NaNs and Invalid.** A NaN result — from a NaN operand or an invalid
//!   operation (∞ − ∞, 0 × ∞) — an unordered compare, or a conversion out of
//!   range sends the instruction to the slow path, the interpreter's
//!   semantics ([`fp_slow`]), before anything is stored. Every case of
//!   MIPS's Invalid passes there, so FCSR's V comes from the slow path, never
//!   from MXCSR's invalid flag (x86 raises it for MIPS's quiet NaNs, which
//!   are signaling to x86, and not for its signaling ones); ordinary operands
//!   pay one `ucomisd` on the result.
//! * **FCSR's flags and cause, lazily.** SSE gathers IEEE flags in MXCSR
//!   on its own. The entry stub loads MXCSR with FCSR's rounding mode and
//!   clear flags; while translated code runs, FCSR's flags and cause are
//!   stale, and only its condition codes are live. On the way out (every
//!   exit passes the exit stub) the stub leaves MXCSR's flags and the *FP
//!   record* for [`settle_fp`], which ORs the flags into FCSR and recomputes
//!   the cause — the exceptions of the last cause-setting operation — from
//!   the record: that operation and its inputs, stored before it ran. Only
//!   operations that can be the last before an exit store a record (the
//!   last of a block, and any followed by an instruction that may leave the
//!   block before the next one), so straight FP code pays a few stores per
//!   block and no MXCSR round trip.
//! * **Rare modes.** With an exception enabled or flush-to-zero set in FCSR
//!   the engine interprets instead (see [`rare_fp_mode`]); `ctc1` and `cfc1`
//!   always leave translated code, so FCSR's mode cannot change inside it.
//!
//! The slow path writes the exact result, folds the exceptions the
//! operation raised into MXCSR's flags and records them as the cause, so it
//! takes part in the same accounting. The exit stub restores the host's MXCSR.

use super::{fallback_free, Cond, Translator, EAX, ECX, EDX};
use crate::interp::fpu;
use crate::isa::{Flags, Inst, Op, Operand};
use crate::vm::Cpu;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};
use std::mem::offset_of;

const FPR: i32 = offset_of!(Cpu, fpr) as i32;
const FCSR: i32 = offset_of!(Cpu, fcsr) as i32;
const FPU_USED: i32 = offset_of!(Cpu, fpu_used) as i32;
/// Where the FP record lives: in the run's context.
const RECORD_SLOT: i32 = super::CTX_RECORD;
const LAST_SLOT: i32 = RECORD_SLOT + 4;
const INPUT_SLOT: i32 = RECORD_SLOT + 8;
/// `FpRecord::last` for a cause the slow path computed (in `inputs[0]`).
const KNOWN_CAUSE: u32 = u32::MAX;
/// FCSR bits translated code does not model: enables and FS.
const RARE_MODES: u32 = 0x1f << fpu::ENABLES_SHIFT | fpu::FCSR_FS;

/// What translated code leaves behind about FCSR (see the module docs).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FpRecord {
    /// MXCSR at the exit (its flags: everything raised since the entry).
    pub mxcsr: u32,
    /// 1 + text index of the last recorded cause-setting operation; 0 for
    /// none, [`KNOWN_CAUSE`] when `inputs[0]` holds the cause itself.
    pub last: u32,
    /// Its inputs, in the order fs, ft, fr (raw bits; doubles whole).
    pub inputs: [u64; 3],
    /// Invalid (FCSR's V bit) as the slow path found it: MXCSR's own
    /// invalid flag is not used, since x86 raises it for quiet MIPS NaNs
    /// (which are signaling to x86) and not for signaling ones.
    pub invalid: u32,
    /// Padding to a whole number of words.
    pub _pad: u32,
}

/// True when FCSR enables an exception or sets flush-to-zero: translated
/// code assumes neither, so the engine interprets meanwhile.
pub fn rare_fp_mode(fcsr: u32) -> bool {
    fcsr & RARE_MODES != 0
}

/// MXCSR for translated code under `fcsr`: its rounding mode, flags clear.
pub fn mxcsr_for(fcsr: u32) -> u32 {
    fpu::host::mxcsr(fcsr & 3)
}

/// Brings FCSR up to date after translated code ran: the flags it raised
/// ORed in, and the cause recomputed from the record.
pub fn settle_fp(cpu: &mut Cpu, code: &[Inst], record: &FpRecord) {
    let raised = fpu::host::mips_flags(record.mxcsr) & !fpu::exc::V | record.invalid;
    cpu.fcsr |= raised << fpu::FLAGS_SHIFT;
    let cause = match record.last {
        0 => return,
        KNOWN_CAUSE => record.inputs[0] as u32,
        n => match code.get(n as usize - 1) {
            Some(inst) => {
                let mut before = cpu.clone();
                place_inputs(&mut before, inst, &record.inputs);
                fpu::arith(&before, inst).map_or(0, |(_, raised)| raised)
            }
            None => return,
        },
    };
    cpu.fcsr = fpu::with_cause(cpu.fcsr, cause);
}

/// The source operands of `inst`, in record order: (operand, field value).
fn sources(inst: &Inst) -> impl Iterator<Item = (Operand, u8)> + '_ {
    let ops = inst.op.def().map_or(&[][..], |d| d.operands);
    [
        (Operand::Fs, Operand::Ds, inst.rd),
        (Operand::Ft, Operand::Dt, inst.rt),
        (Operand::Fr, Operand::Dr, inst.rs),
    ]
    .into_iter()
    .filter_map(move |(single, double, f)| {
        if ops.contains(&double) {
            Some((double, f))
        } else if ops.contains(&single) {
            Some((single, f))
        } else {
            None
        }
    })
}

fn place_inputs(cpu: &mut Cpu, inst: &Inst, inputs: &[u64; 3]) {
    for ((operand, f), &value) in sources(inst).zip(inputs) {
        if operand.is_double() {
            fpu::set_d(cpu, f, value);
        } else {
            cpu.fpr[f as usize & 31] = value as u32;
        }
    }
}

/// True for the FP operations that set FCSR's cause.
pub(super) fn sets_cause(op: Op) -> bool {
    use Op::*;
    op.flags().contains(Flags::FPU)
        && !matches!(
            op,
            Mfc1 | Mtc1
                | Mfhc1
                | Mthc1
                | Cfc1
                | Ctc1
                | Bc1f
                | Bc1t
                | Bc1fl
                | Bc1tl
                | AbsS
                | AbsD
                | NegS
                | NegD
                | MovS
                | MovD
                | MovfS
                | MovtS
                | MovzS
                | MovnS
                | MovfD
                | MovtD
                | MovzD
                | MovnD
                | Movf
                | Movt
                | Lwc1
                | Swc1
                | Ldc1
                | Sdc1
        )
}

/// Which instructions of a block store an FP record before they run.
pub(super) struct FpPlan {
    /// Per instruction.
    pub record: Vec<bool>,
}

/// A record before each cause-setting operation that may be the last one
/// before translated code is left: the block's last, and any followed by
/// an instruction that may leave the block before the next one.
pub(super) fn plan(code: &[Inst]) -> FpPlan {
    let mut record = vec![false; code.len()];
    let mut pending: Option<usize> = None;
    for (k, inst) in code.iter().enumerate() {
        if sets_cause(inst.op) {
            pending = Some(k);
        } else if !fallback_free(inst) {
            if let Some(j) = pending.take() {
                record[j] = true;
            }
        }
    }
    if let Some(j) = pending {
        record[j] = true;
    }
    FpPlan { record }
}

fn fpr(f: u8) -> i32 {
    FPR + 4 * (f & 31) as i32
}

/// Byte offset in the `Cpu` of FP register pair `pair` (its even register).
pub(super) fn pair_offset(pair: u8) -> i32 {
    fpr((pair & 15) << 1)
}

/// The FP registers `inst` names in its operand fields: (register, whether
/// the field names a double).
pub fn fp_fields(inst: &Inst) -> impl Iterator<Item = (u8, bool)> + '_ {
    let ops = inst.op.def().map_or(&[][..], |d| d.operands);
    ops.iter().filter(|o| o.is_fpr()).map(move |&o| {
        let f = match o {
            Operand::Fd | Operand::Dd => inst.sa,
            Operand::Fs | Operand::Ds => inst.rd,
            Operand::Ft | Operand::Dt => inst.rt,
            _ => inst.rs,
        };
        (f & 31, o.is_double())
    })
}

fn fcc_bit(cc: u8) -> i32 {
    (if cc == 0 { 1u32 << 23 } else { 1u32 << (24 + (cc & 7)) }) as i32
}

/// The slow path: the interpreter's result for FP instruction `index`,
/// with the exceptions it raised folded into MXCSR's flags and recorded as
/// the cause (in the context's FP record).
extern "sysv64" fn fp_slow(ctx: *mut super::Context, index: u32) {
    // SAFETY: generated code passes the `Context` built in `Jit::enter`,
    // alive for the whole call, whose machine nothing else touches
    // meanwhile; `index` is in the text. The CPU is outside the context.
    let (cpu, inst, record) = unsafe {
        let ctx = &mut *ctx;
        (&mut *ctx.cpu, &*ctx.code.add(index as usize), &mut ctx.fp_record)
    };
    // This runs under the guest's MXCSR: `fpu::arith` computes only through
    // `fpu::host`, which sets its own MXCSR per operation (plain Rust float
    // arithmetic here would round in the guest's mode).
    if let Some((dest, raised)) = fpu::arith(cpu, inst) {
        fpu::apply(cpu, dest);
        fpu::host::raise(raised & !fpu::exc::V);
        record.invalid |= raised & fpu::exc::V;
        record.last = KNOWN_CAUSE;
        record.inputs[0] = raised as u64;
    }
}

/// Emits a block's FP slow paths (label, where to continue, text index):
/// the interpreter's semantics with every pinned register in the `Cpu`.
pub(super) fn emit_slow_paths(
    ops: &mut super::Ops,
    pins: &super::Pins,
    slows: &[(DynamicLabel, DynamicLabel, u32)],
) {
    for &(label, done, index) in slows {
        dynasm!(ops ; .arch x64 ; =>label);
        super::store_pinned(ops, pins);
        dynasm!(ops
            ; .arch x64
            ; lea rdi, [r15 - super::CPU_IN_FRAME]
            ; mov esi, index as i32
            ; mov rax, QWORD fp_slow as *const () as i64
            ; call rax
        );
        super::load_pinned(ops, pins);
        dynasm!(ops ; .arch x64 ; jmp =>done);
    }
}

impl Translator<'_> {
    /// Stores the FP record for cause-setting instruction `inst` (text index
    /// `index`): its index and inputs, before it runs.
    pub(super) fn fp_record(&mut self, inst: &Inst, index: u32) {
        for (slot, (operand, f)) in sources(inst).enumerate() {
            let at = INPUT_SLOT + 8 * slot as i32;
            let pinned = self.pins.fpr[(f >> 1) as usize & 15];
            match (pinned, operand.is_double()) {
                (Some(x), true) if f & 1 == 0 => dynasm!(self.ops ; .arch x64 ; movq rax, Rx(x)),
                (Some(x), false) if f & 1 == 0 => dynasm!(self.ops ; .arch x64 ; movd eax, Rx(x)),
                // The odd half of a pinned pair: the high word of its xmm.
                (Some(x), false) => dynasm!(self.ops ; .arch x64 ; movq rax, Rx(x) ; shr rax, 32),
                // An odd double reads across pairs: from memory, written back first.
                (_, true) => {
                    for p in [f >> 1, (f + 1) >> 1] {
                        if let Some(x) = self.pins.fpr[p as usize & 15] {
                            dynasm!(self.ops ; .arch x64 ; movsd QWORD [r15 + pair_offset(p)], Rx(x));
                        }
                    }
                    dynasm!(self.ops ; .arch x64 ; mov rax, QWORD [r15 + fpr(f)]);
                }
                (None, false) => dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + fpr(f)]),
            }
            dynasm!(self.ops ; .arch x64 ; mov [r15 + at], rax);
        }
        dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + LAST_SLOT], (index + 1) as i32);
    }

    /// Marks the VM as an FPU user (dumps show FP registers from then on).
    pub(super) fn fp_mark_used(&mut self) {
        dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + FPU_USED], 1);
    }

    /// A label that runs the slow path for instruction `index` and then
    /// continues at `done`.
    fn fp_slow_label(&mut self, index: u32, done: DynamicLabel) -> DynamicLabel {
        let label = self.ops.new_dynamic_label();
        self.fp_slows.push((label, done, index));
        label
    }

    /// The xmm register holding FP register `f` in its low bits (a single
    /// in the low 32, a double in the low 64): `f` even and its pair pinned,
    /// and the instruction not running from memory.
    fn xmm(&self, f: u8) -> Option<u8> {
        if self.fp_in_memory || f & 1 != 0 {
            return None;
        }
        self.pins.fpr[(f >> 1) as usize & 15]
    }

    /// `xmm(dst)` = FP register `f` (its low 32 or 64 bits; the rest undefined).
    fn fget(&mut self, dst: u8, f: u8, double: bool) {
        match (self.xmm(f), double) {
            (Some(x), _) => dynasm!(self.ops ; .arch x64 ; movaps Rx(dst), Rx(x)),
            (None, true) => dynasm!(self.ops ; .arch x64 ; movsd Rx(dst), QWORD [r15 + fpr(f)]),
            (None, false) => dynasm!(self.ops ; .arch x64 ; movss Rx(dst), DWORD [r15 + fpr(f)]),
        }
    }

    /// FP register `f` = the low 32 or 64 bits of `xmm(src)`; a single
    /// leaves the other half of its pair alone.
    fn fput(&mut self, f: u8, src: u8, double: bool) {
        match (self.xmm(f), double) {
            (Some(x), true) => dynasm!(self.ops ; .arch x64 ; movaps Rx(x), Rx(src)),
            (Some(x), false) => dynasm!(self.ops ; .arch x64 ; movss Rx(x), Rx(src)),
            (None, true) => dynasm!(self.ops ; .arch x64 ; movsd QWORD [r15 + fpr(f)], Rx(src)),
            (None, false) => dynasm!(self.ops ; .arch x64 ; movss DWORD [r15 + fpr(f)], Rx(src)),
        }
    }

    /// `xmm0 = xmm0 op f` for the four arithmetic operations, and `ucomis*`
    /// of `xmm0` with `f`.
    fn farith(&mut self, op: Arith, f: u8, double: bool) {
        macro_rules! both {
            ($sd:ident, $ss:ident) => {
                match (self.xmm(f), double) {
                    (Some(x), true) => dynasm!(self.ops ; .arch x64 ; $sd xmm0, Rx(x)),
                    (Some(x), false) => dynasm!(self.ops ; .arch x64 ; $ss xmm0, Rx(x)),
                    (None, true) => dynasm!(self.ops ; .arch x64 ; $sd xmm0, QWORD [r15 + fpr(f)]),
                    (None, false) => dynasm!(self.ops ; .arch x64 ; $ss xmm0, DWORD [r15 + fpr(f)]),
                }
            };
        }
        match op {
            Arith::Add => both!(addsd, addss),
            Arith::Sub => both!(subsd, subss),
            Arith::Mul => both!(mulsd, mulss),
            Arith::Div => both!(divsd, divss),
            Arith::Compare => both!(ucomisd, ucomiss),
        }
    }

    /// Host GPR `gpr` (32-bit) = FP register `f` as a word.
    fn fword_get(&mut self, gpr: u8, f: u8) {
        match self.xmm(f) {
            Some(x) => dynasm!(self.ops ; .arch x64 ; movd Rd(gpr), Rx(x)),
            None => dynasm!(self.ops ; .arch x64 ; mov Rd(gpr), DWORD [r15 + fpr(f)]),
        }
    }

    /// FP register `f` = host GPR `gpr` as a word (`xmm1` scratch).
    fn fword_put(&mut self, f: u8, gpr: u8) {
        match self.xmm(f) {
            Some(x) => dynasm!(self.ops ; .arch x64 ; movd xmm1, Rd(gpr) ; movss Rx(x), xmm1),
            None => dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + fpr(f)], Rd(gpr)),
        }
    }

    /// Host GPR `gpr` (64-bit) = the double in FP register pair `f`.
    fn fquad_get(&mut self, gpr: u8, f: u8) {
        match self.xmm(f) {
            Some(x) => dynasm!(self.ops ; .arch x64 ; movq Rq(gpr), Rx(x)),
            None => dynasm!(self.ops ; .arch x64 ; mov Rq(gpr), QWORD [r15 + fpr(f)]),
        }
    }

    /// The double in FP register pair `f` = host GPR `gpr` (64-bit).
    fn fquad_put(&mut self, f: u8, gpr: u8) {
        match self.xmm(f) {
            Some(x) => dynasm!(self.ops ; .arch x64 ; movq Rx(x), Rq(gpr)),
            None => dynasm!(self.ops ; .arch x64 ; mov QWORD [r15 + fpr(f)], Rq(gpr)),
        }
    }

    /// Translates FP instruction `i` (text index `index`, `k`-th of the
    /// block at `pc`); returns false when it ended the block.
    ///
    /// Pinned pairs are used in place for singles and doubles in even
    /// registers. An instruction naming the odd half of a pinned pair (a
    /// single in `$f1`, `mfhc1`), or a double in an odd register, runs with
    /// its pairs written back before and read again after, from memory as
    /// any unpinned register is.
    pub(super) fn fp(&mut self, i: &Inst, index: u32, k: u32, pc: u32) -> bool {
        let mut touched = [false; 16];
        let mut odd = matches!(i.op, Op::Mfhc1 | Op::Mthc1);
        for (f, double) in fp_fields(i) {
            touched[(f >> 1) as usize & 15] = true;
            if f & 1 != 0 {
                odd |= double || self.pins.fpr[(f >> 1) as usize & 15].is_some();
                if double {
                    touched[((f + 1) >> 1) as usize & 15] = true;
                }
            }
        }
        if !odd {
            return self.fp_op(i, index, k, pc);
        }
        let pinned: Vec<(u8, u8)> = (0..16u8)
            .filter(|&p| touched[p as usize])
            .filter_map(|p| self.pins.fpr[p as usize].map(|x| (p, x)))
            .collect();
        for &(p, x) in &pinned {
            dynasm!(self.ops ; .arch x64 ; movsd QWORD [r15 + pair_offset(p)], Rx(x));
        }
        self.fp_in_memory = true;
        let open = self.fp_op(i, index, k, pc);
        self.fp_in_memory = false;
        for &(p, x) in &pinned {
            dynasm!(self.ops ; .arch x64 ; movsd Rx(x), QWORD [r15 + pair_offset(p)]);
        }
        open
    }

    fn fp_op(&mut self, i: &Inst, index: u32, k: u32, pc: u32) -> bool {
        use Op::*;
        let next = pc.wrapping_add(4);
        let done = self.ops.new_dynamic_label();
        let (fd, fs, ft, fr) = (i.sa, i.rd, i.rt, i.rs);
        match i.op {
            AddS | SubS | MulS | DivS | AddD | SubD | MulD | DivD => {
                let double = matches!(i.op, AddD | SubD | MulD | DivD);
                let op = match i.op {
                    AddS | AddD => Arith::Add,
                    SubS | SubD => Arith::Sub,
                    MulS | MulD => Arith::Mul,
                    _ => Arith::Div,
                };
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, double);
                self.farith(op, ft, double);
                self.nan_result(slow, double);
                self.fput(fd, 0, double);
            }
            SqrtS | SqrtD => {
                let double = i.op == SqrtD;
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, double);
                if double {
                    dynasm!(self.ops ; .arch x64 ; sqrtsd xmm0, xmm0);
                } else {
                    dynasm!(self.ops ; .arch x64 ; sqrtss xmm0, xmm0);
                }
                self.nan_result(slow, double);
                self.fput(fd, 0, double);
            }
            MaddS | MsubS | NmaddS | NmsubS | MaddD | MsubD | NmaddD | NmsubD => {
                // Not fused: the product rounded, then the sum.
                let double = matches!(i.op, MaddD | MsubD | NmaddD | NmsubD);
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, double);
                self.farith(Arith::Mul, ft, double);
                let add = matches!(i.op, MaddS | NmaddS | MaddD | NmaddD);
                self.farith(if add { Arith::Add } else { Arith::Sub }, fr, double);
                self.nan_result(slow, double);
                match i.op {
                    NmaddS | NmsubS => {
                        dynasm!(self.ops ; .arch x64 ; movd eax, xmm0 ; xor eax, i32::MIN ; movd xmm0, eax)
                    }
                    NmaddD | NmsubD => {
                        dynasm!(self.ops ; .arch x64 ; movq rax, xmm0 ; btc rax, 63 ; movq xmm0, rax)
                    }
                    _ => {}
                }
                self.fput(fd, 0, double);
            }
            CvtDS => {
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, false);
                dynasm!(self.ops ; .arch x64 ; cvtss2sd xmm0, xmm0);
                self.nan_result(slow, true);
                self.fput(fd, 0, true);
            }
            CvtSD => {
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, true);
                dynasm!(self.ops ; .arch x64 ; cvtsd2ss xmm0, xmm0);
                self.nan_result(slow, false);
                self.fput(fd, 0, false);
            }
            CvtSW | CvtDW => {
                self.fword_get(EAX, fs);
                let double = i.op == CvtDW;
                if double {
                    dynasm!(self.ops ; .arch x64 ; cvtsi2sd xmm0, eax);
                } else {
                    dynasm!(self.ops ; .arch x64 ; cvtsi2ss xmm0, eax);
                }
                self.fput(fd, 0, double);
            }
            CvtWS | TruncWS | CvtWD | TruncWD => {
                // x86's out-of-range answer (0x8000_0000) is also a real
                // one: the slow path tells them apart and writes MIPS's.
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, matches!(i.op, CvtWD | TruncWD));
                match i.op {
                    CvtWS => dynasm!(self.ops ; .arch x64 ; cvtss2si eax, xmm0),
                    TruncWS => dynasm!(self.ops ; .arch x64 ; cvttss2si eax, xmm0),
                    CvtWD => dynasm!(self.ops ; .arch x64 ; cvtsd2si eax, xmm0),
                    _ => dynasm!(self.ops ; .arch x64 ; cvttsd2si eax, xmm0),
                }
                dynasm!(self.ops ; .arch x64 ; cmp eax, i32::MIN ; je =>slow);
                self.fword_put(fd, EAX);
            }
            RoundWS | CeilWS | FloorWS | RoundWD | CeilWD | FloorWD => {
                // A fixed rounding mode: the interpreter's semantics, in place.
                let slow = self.fp_slow_label(index, done);
                dynasm!(self.ops ; .arch x64 ; jmp =>slow);
            }
            op if fpu::condition_of(op).is_some() => {
                let (cond, double) = fpu::condition_of(op).unwrap_or((0, false));
                let slow = self.fp_slow_label(index, done);
                self.fget(0, fs, double);
                self.farith(Arith::Compare, ft, double);
                dynasm!(self.ops ; .arch x64 ; jp =>slow);
                // Ordered operands: less is CF, equal is ZF.
                match cond & 6 {
                    0 => dynasm!(self.ops ; .arch x64 ; xor eax, eax),
                    2 => dynasm!(self.ops ; .arch x64 ; sete al ; movzx eax, al),
                    4 => dynasm!(self.ops ; .arch x64 ; setb al ; movzx eax, al),
                    _ => dynasm!(self.ops ; .arch x64 ; setbe al ; movzx eax, al),
                }
                let bit = fcc_bit(i.sa);
                dynasm!(self.ops
                    ; .arch x64
                    ; mov ecx, DWORD [r15 + FCSR]
                    ; and ecx, !bit
                    ; neg eax
                    ; and eax, bit
                    ; or ecx, eax
                    ; mov DWORD [r15 + FCSR], ecx
                );
            }
            AbsS | NegS | MovS => {
                self.fword_get(EAX, fs);
                match i.op {
                    AbsS => dynasm!(self.ops ; .arch x64 ; and eax, 0x7fff_ffff),
                    NegS => dynasm!(self.ops ; .arch x64 ; xor eax, i32::MIN),
                    _ => {}
                }
                self.fword_put(fd, EAX);
            }
            AbsD | NegD | MovD => {
                self.fquad_get(EAX, fs);
                match i.op {
                    AbsD => dynasm!(self.ops ; .arch x64 ; btr rax, 63),
                    NegD => dynasm!(self.ops ; .arch x64 ; btc rax, 63),
                    _ => {}
                }
                self.fquad_put(fd, EAX);
            }
            Mfc1 => {
                self.fword_get(EAX, fs);
                self.st(i.rt, EAX);
            }
            Mfhc1 => {
                // Always from memory (see `fp`).
                dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + fpr((fs & 30) + 1)]);
                self.st(i.rt, EAX);
            }
            Mtc1 => {
                self.ld(EAX, i.rt);
                self.fword_put(fs, EAX);
            }
            Mthc1 => {
                self.ld(EAX, i.rt);
                dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + fpr((fs & 30) + 1)], eax);
            }
            MovfS | MovtS | MovfD | MovtD => {
                let bit = fcc_bit(i.rt);
                dynasm!(self.ops ; .arch x64 ; test DWORD [r15 + FCSR], bit);
                if matches!(i.op, MovtS | MovtD) {
                    dynasm!(self.ops ; .arch x64 ; jz >skip);
                } else {
                    dynasm!(self.ops ; .arch x64 ; jnz >skip);
                }
                self.fp_move(fd, fs, matches!(i.op, MovfD | MovtD));
                dynasm!(self.ops ; .arch x64 ; skip:);
            }
            MovzS | MovnS | MovzD | MovnD => {
                self.ld(ECX, i.rt);
                dynasm!(self.ops ; .arch x64 ; test ecx, ecx);
                if matches!(i.op, MovzS | MovzD) {
                    dynasm!(self.ops ; .arch x64 ; jnz >skip);
                } else {
                    dynasm!(self.ops ; .arch x64 ; jz >skip);
                }
                self.fp_move(fd, fs, matches!(i.op, MovzD | MovnD));
                dynasm!(self.ops ; .arch x64 ; skip:);
            }
            Movf | Movt => {
                self.ld(EAX, i.rd);
                self.ld(EDX, i.rs);
                dynasm!(self.ops ; .arch x64 ; test DWORD [r15 + FCSR], fcc_bit(i.rt));
                if i.op == Movt {
                    dynasm!(self.ops ; .arch x64 ; cmovnz eax, edx);
                } else {
                    dynasm!(self.ops ; .arch x64 ; cmovz eax, edx);
                }
                self.st(i.rd, EAX);
            }
            Lwc1 | Ldc1 => {
                let width = if i.op == Lwc1 { 4 } else { 8 };
                let (at, offset) = self.address(i, width, k, pc);
                self.guest_access(k, pc);
                if width == 4 {
                    dynasm!(self.ops ; .arch x64 ; mov ecx, DWORD [r14 + Rq(at) + offset]);
                    self.fword_put(ft, ECX);
                } else {
                    dynasm!(self.ops ; .arch x64 ; mov rcx, QWORD [r14 + Rq(at) + offset]);
                    self.fquad_put(ft, ECX);
                }
            }
            Swc1 | Sdc1 => {
                let width = if i.op == Swc1 { 4 } else { 8 };
                let (at, offset) = self.address(i, width, k, pc);
                if width == 4 {
                    self.fword_get(ECX, ft);
                    self.guest_access(k, pc);
                    dynasm!(self.ops ; .arch x64 ; mov DWORD [r14 + Rq(at) + offset], ecx);
                } else {
                    self.fquad_get(ECX, ft);
                    self.guest_access(k, pc);
                    dynasm!(self.ops ; .arch x64 ; mov QWORD [r14 + Rq(at) + offset], rcx);
                }
            }
            Bc1f | Bc1t | Bc1fl | Bc1tl => {
                // The slot runs after the test, on both paths.
                self.hoisted = false;
                dynasm!(self.ops ; .arch x64 ; test DWORD [r15 + FCSR], fcc_bit(i.rt));
                let taken = self.taken_label(i.branch_target(pc), k, pc);
                // After `test`, ZF clear is "not equal".
                let set = if matches!(i.op, Bc1t | Bc1tl) { Cond::NotEqual } else { Cond::Equal };
                self.branch_on(set, &taken);
                self.after_conditional(taken, i.op, next, k, pc);
                return false;
            }
            // FCSR's readers and writers: the interpreter, outside the block,
            // after the region's flags are merged (rare in hot code).
            _ => {
                let f = self.fallback(k, pc);
                dynasm!(self.ops ; .arch x64 ; jmp =>f);
            }
        }
        dynasm!(self.ops ; .arch x64 ; =>done);
        true
    }

    fn fp_move(&mut self, fd: u8, fs: u8, double: bool) {
        if double {
            self.fquad_get(EAX, fs);
            self.fquad_put(fd, EAX);
        } else {
            self.fword_get(EAX, fs);
            self.fword_put(fd, EAX);
        }
    }

    /// Jumps to `slow` when xmm0 holds a NaN (its operand was one, or the
    /// operation was invalid): `ucomis*` of a quiet x86 NaN raises nothing.
    fn nan_result(&mut self, slow: DynamicLabel, double: bool) {
        if double {
            dynasm!(self.ops ; .arch x64 ; ucomisd xmm0, xmm0 ; jp =>slow);
        } else {
            dynasm!(self.ops ; .arch x64 ; ucomiss xmm0, xmm0 ; jp =>slow);
        }
    }
}

/// The four arithmetic operations and the compare, for [`Translator::farith`].
#[derive(Clone, Copy)]
enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Compare,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_modes_match_the_interpreter() {
        for rm in 0..4 {
            assert_eq!(mxcsr_for(rm), fpu::host::mxcsr(rm));
        }
        // MIPS nearest, zero, +inf, -inf are x86's RC 0, 3, 2, 1; flags clear,
        // exceptions masked; FCSR's other bits do not matter.
        assert_eq!(mxcsr_for(1 | 0x0080_1000), 0x7f80);
        assert_eq!(mxcsr_for(2), 0x5f80);
        assert_eq!(mxcsr_for(3), 0x3f80);
    }

    #[test]
    fn the_cause_is_recomputed_from_the_record() {
        // div.s $f4, $f0, $f2 with 1.0 / 3.0 recorded: inexact.
        let inst = crate::isa::decode(0x4602_0103);
        assert_eq!(inst.op, Op::DivS);
        let mut cpu = Cpu::default();
        let record = FpRecord {
            mxcsr: 0x1f80 | 0x20,
            last: 1,
            inputs: [1.0f32.to_bits() as u64, 3.0f32.to_bits() as u64, 0],
            ..FpRecord::default()
        };
        settle_fp(&mut cpu, &[inst], &record);
        assert_eq!(cpu.fcsr, fpu::with_cause(0, fpu::exc::I));
        let exact = FpRecord { inputs: [1.0f32.to_bits() as u64, 2.0f32.to_bits() as u64, 0], ..record };
        settle_fp(&mut cpu, &[inst], &exact);
        assert_eq!(cpu.fcsr, fpu::exc::I << fpu::FLAGS_SHIFT, "cause 0, flags kept");
        // MXCSR's invalid flag is not MIPS's: only the slow path's counts.
        let mut cpu = Cpu::default();
        settle_fp(&mut cpu, &[inst], &FpRecord { mxcsr: 0x1f81, ..FpRecord::default() });
        assert_eq!(cpu.fcsr, 0);
        settle_fp(&mut cpu, &[inst], &FpRecord { invalid: fpu::exc::V, ..FpRecord::default() });
        assert_eq!(cpu.fcsr, fpu::exc::V << fpu::FLAGS_SHIFT);
    }

    #[test]
    fn every_fp_row_is_classified() {
        // Rows that set cause are those `interp::fpu::arith` computes.
        let cpu = Cpu::default();
        for def in crate::isa::OPS.iter().filter(|d| d.flags.contains(Flags::FPU)) {
            let inst = crate::isa::decode(def.base);
            assert_eq!(inst.op, def.op, "{}", def.mnemonic);
            assert_eq!(sets_cause(def.op), fpu::arith(&cpu, &inst).is_some(), "{}", def.mnemonic);
        }
    }
}
