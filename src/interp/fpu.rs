//! The floating-point coprocessor (CP1), the reference both engines follow.
//!
//! The model is a MIPS32 Release 2 FPU with a 32-bit register file (FR=0,
//! a double in an even/odd pair) and the legacy NaN encoding, as a 24Kf
//! computes (and `qemu-mipsel`, the oracle of the differential tests):
//!
//! * Arithmetic on ordinary values is IEEE 754, computed by the host's SSE
//!   unit under FCSR's rounding mode, with its exception flags read back
//!   ([`host`]): x86 and MIPS agree bit for bit on every non-NaN result.
//! * NaNs are MIPS's own: the quiet bit set means *signaling* (the reverse
//!   of x86), the default NaN is `0x7fbf_ffff` / `0x7ff7_ffff_ffff_ffff`.
//!   Any NaN operand gives the default NaN (no payload propagates), and a
//!   signaling one raises Invalid; an invalid operation on numbers (∞ − ∞,
//!   0 × ∞, √−1) gives the default NaN too. This is decided in software
//!   before the host computes.
//! * Conversions to a word that are out of range, or of a NaN, give
//!   `0x7fff_ffff` and raise Invalid.
//! * `madd`/`msub`/`nmadd`/`nmsub` are not fused (MIPS32r2: a product
//!   rounded, then a sum rounded); the `n` forms negate the result, NaN
//!   included. `abs`, `neg` and `mov` only move bits and leave FCSR alone.
//! * Every arithmetic operation, conversion and compare sets FCSR's cause
//!   field to what it raised and ORs that into the flags; an exception whose
//!   enable bit is set ends the VM with [`Fault::FloatingPoint`] before
//!   anything is written.

use super::Next;
use crate::isa::{Inst, Op};
use crate::vm::{Cpu, Fault, GuestMemory};

/// FCSR's rounding-mode field (bits 0..2): 0 nearest, 1 zero, 2 +∞, 3 −∞.
pub const FCSR_RM: u32 = 0x3;
/// Shift of the sticky flags field (bits 2..7: I U O Z V).
pub const FLAGS_SHIFT: u32 = 2;
/// Shift of the enables field (bits 7..12).
pub const ENABLES_SHIFT: u32 = 7;
/// Shift of the cause field (bits 12..18: I U O Z V E).
pub const CAUSE_SHIFT: u32 = 12;
/// Flush-to-zero (FS, bit 24).
pub const FCSR_FS: u32 = 1 << 24;
/// The bits `ctc1 $31` can change on a 24Kf (the rest read as zero).
pub const FCSR_WRITABLE: u32 = 0xff83_ffff;
/// FIR (`cfc1 $0`) of a 24Kf: 64-bit FPU, W, L, S and D formats, PRId 0x93.
pub const FIR: u32 = 0x0073_9300;

/// Exception bits as they sit in each FCSR field (flags, enables, cause).
pub mod exc {
    /// Inexact.
    pub const I: u32 = 1;
    /// Underflow.
    pub const U: u32 = 2;
    /// Overflow.
    pub const O: u32 = 4;
    /// Division by zero.
    pub const Z: u32 = 8;
    /// Invalid operation.
    pub const V: u32 = 16;
}

/// The default NaN of single precision (legacy MIPS encoding).
pub const DEFAULT_NAN_S: u32 = 0x7fbf_ffff;
/// The default NaN of double precision (legacy MIPS encoding).
pub const DEFAULT_NAN_D: u64 = 0x7ff7_ffff_ffff_ffff;
/// What an out-of-range or NaN conversion to a word gives.
pub const WORD_OVERFLOW: u32 = 0x7fff_ffff;

/// Condition code `cc` of FCSR (bit 23 for 0, bits 25..32 for 1..7).
pub fn fcc(fcsr: u32, cc: u8) -> bool {
    fcsr & fcc_bit(cc) != 0
}

fn fcc_bit(cc: u8) -> u32 {
    if cc == 0 {
        1 << 23
    } else {
        1 << (24 + (cc & 7) as u32)
    }
}

/// A double from an even/odd pair (low word in the even register).
pub fn get_d(cpu: &Cpu, f: u8) -> u64 {
    let f = (f & 30) as usize;
    (cpu.fpr[f + 1] as u64) << 32 | cpu.fpr[f] as u64
}

/// Writes a double into an even/odd pair.
pub fn set_d(cpu: &mut Cpu, f: u8, v: u64) {
    let f = (f & 30) as usize;
    cpu.fpr[f] = v as u32;
    cpu.fpr[f + 1] = (v >> 32) as u32;
}

/// Reads FP control register `fs` (`cfc1`).
pub fn read_control(fcsr: u32, fs: u8) -> u32 {
    match fs {
        0 => FIR,
        25 => ((fcsr >> 24) & 0xfe) | ((fcsr >> 23) & 1),
        26 => fcsr & 0x0003_f07c,
        28 => (fcsr & 0x0000_0f83) | ((fcsr >> 22) & 0x4),
        _ => fcsr,
    }
}

/// FCSR after `ctc1 value` into control register `fs` (FIR is read-only;
/// an FCCR write with bits 8..32 set is ignored, an FEXR or FENR write with
/// any of bits 18..23 set is ignored and otherwise writes the register's
/// fields only, as qemu-mipsel's 24Kf does).
pub fn write_control(fcsr: u32, fs: u8, value: u32) -> u32 {
    match fs {
        25 if value & 0xffff_ff00 == 0 => (fcsr & 0x017f_ffff) | ((value & 0xfe) << 24) | ((value & 1) << 23),
        26 if value & 0x007c_0000 == 0 => (fcsr & 0xfffc_0f83) | (value & 0x0003_f07c),
        28 if value & 0x007c_0000 == 0 => {
            (fcsr & 0xfeff_f07c) | (value & 0x0000_0f83) | ((value & 0x4) << 22)
        }
        31 => (value & FCSR_WRITABLE) | (fcsr & !FCSR_WRITABLE),
        _ => fcsr,
    }
}

/// The enabled exceptions among `cause` (Unimplemented, bit 5 of the cause,
/// is always enabled).
fn trapping(fcsr: u32, cause: u32) -> u32 {
    cause & (((fcsr >> ENABLES_SHIFT) & 0x1f) | 0x20)
}

/// FCSR after an operation that raised `raised`: cause replaced, flags ORed.
pub fn with_cause(fcsr: u32, raised: u32) -> u32 {
    (fcsr & !(0x3f << CAUSE_SHIFT)) | raised << CAUSE_SHIFT | raised << FLAGS_SHIFT
}

/// Commits an operation's result: FCSR's cause and flags, or a fault when
/// one of the raised exceptions is enabled (then nothing changes).
fn commit(cpu: &mut Cpu, raised: u32) -> Result<(), Fault> {
    let trap = trapping(cpu.fcsr, raised);
    if trap != 0 {
        return Err(Fault::FloatingPoint(trap));
    }
    cpu.fcsr = with_cause(cpu.fcsr, raised);
    Ok(())
}

/// IEEE operations on the host, under an explicit MXCSR.
pub mod host {
    use std::arch::asm;

    /// MXCSR for a MIPS rounding mode: every exception masked, flags clear.
    pub fn mxcsr(mips_rm: u32) -> u32 {
        // MIPS: 0 nearest, 1 zero, 2 +inf, 3 -inf. x86 RC: 0 nearest, 1 -inf, 2 +inf, 3 zero.
        const RC: [u32; 4] = [0, 3, 2, 1];
        0x1f80 | RC[(mips_rm & 3) as usize] << 13
    }

    /// MIPS exception bits for MXCSR's flags (DE, denormal operand, has no
    /// MIPS counterpart).
    pub fn mips_flags(mxcsr: u32) -> u32 {
        use super::exc::*;
        let mut f = 0;
        if mxcsr & 0x01 != 0 {
            f |= V;
        }
        if mxcsr & 0x04 != 0 {
            f |= Z;
        }
        if mxcsr & 0x08 != 0 {
            f |= O;
        }
        if mxcsr & 0x10 != 0 {
            f |= U;
        }
        if mxcsr & 0x20 != 0 {
            f |= I;
        }
        f
    }

    macro_rules! sse {
        ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $out:ty, $reg:ident, $insn:literal) => {
            $(#[$doc])*
            pub fn $name($($arg: $ty,)* rm: u32) -> ($out, u32) {
                let mut csr = mxcsr(rm);
                let mut saved = 0u32;
                let out: $out;
                // SAFETY: the block saves MXCSR, runs one SSE instruction
                // under the requested control word and restores MXCSR before
                // it ends; it touches only the two locals it is given.
                unsafe {
                    asm!(
                        "stmxcsr [{saved}]",
                        "ldmxcsr [{csr}]",
                        $insn,
                        "stmxcsr [{csr}]",
                        "ldmxcsr [{saved}]",
                        saved = in(reg) &mut saved,
                        csr = in(reg) &mut csr,
                        $($arg = in(xmm_reg) $arg,)*
                        out = out($reg) out,
                        options(nostack),
                    );
                }
                (out, mips_flags(csr))
            }
        };
    }

    sse!(/// `a + b`.
        add_s(a: f32, b: f32) -> f32, xmm_reg, "movss {out}, {a}\naddss {out}, {b}");
    sse!(/// `a - b`.
        sub_s(a: f32, b: f32) -> f32, xmm_reg, "movss {out}, {a}\nsubss {out}, {b}");
    sse!(/// `a * b`.
        mul_s(a: f32, b: f32) -> f32, xmm_reg, "movss {out}, {a}\nmulss {out}, {b}");
    sse!(/// `a / b`.
        div_s(a: f32, b: f32) -> f32, xmm_reg, "movss {out}, {a}\ndivss {out}, {b}");
    sse!(/// `√a`.
        sqrt_s(a: f32) -> f32, xmm_reg, "sqrtss {out}, {a}");
    sse!(/// `a + b`.
        add_d(a: f64, b: f64) -> f64, xmm_reg, "movsd {out}, {a}\naddsd {out}, {b}");
    sse!(/// `a - b`.
        sub_d(a: f64, b: f64) -> f64, xmm_reg, "movsd {out}, {a}\nsubsd {out}, {b}");
    sse!(/// `a * b`.
        mul_d(a: f64, b: f64) -> f64, xmm_reg, "movsd {out}, {a}\nmulsd {out}, {b}");
    sse!(/// `a / b`.
        div_d(a: f64, b: f64) -> f64, xmm_reg, "movsd {out}, {a}\ndivsd {out}, {b}");
    sse!(/// `√a`.
        sqrt_d(a: f64) -> f64, xmm_reg, "sqrtsd {out}, {a}");
    sse!(/// Double to single, rounded.
        d_to_s(a: f64) -> f32, xmm_reg, "cvtsd2ss {out}, {a}");
    sse!(/// Single to double (exact).
        s_to_d(a: f32) -> f64, xmm_reg, "cvtss2sd {out}, {a}");
    sse!(/// Single to word, rounded by the mode (0x8000_0000 and Invalid when out of range).
        s_to_w(a: f32) -> i32, reg, "cvtss2si {out:e}, {a}");
    sse!(/// Double to word, rounded by the mode.
        d_to_w(a: f64) -> i32, reg, "cvtsd2si {out:e}, {a}");

    /// ORs MIPS exceptions `raised` into MXCSR's flags (as IE, ZE, OE, UE,
    /// PE): the JIT's slow path hands its exceptions to the region's lazy
    /// accounting this way.
    pub fn raise(raised: u32) {
        use super::exc::*;
        let mut x86 = 0u32;
        for (mips, bit) in [(V, 0x01), (Z, 0x04), (O, 0x08), (U, 0x10), (I, 0x20)] {
            if raised & mips != 0 {
                x86 |= bit;
            }
        }
        let mut csr = 0u32;
        // SAFETY: reads MXCSR into a local, sets flag bits (which never
        // unmask an exception) and writes it back.
        unsafe {
            asm!("stmxcsr [{p}]", p = in(reg) &mut csr, options(nostack));
            csr |= x86;
            asm!("ldmxcsr [{p}]", p = in(reg) &csr, options(nostack));
        }
    }

    /// Word to single, rounded.
    pub fn w_to_s(a: i32, rm: u32) -> (f32, u32) {
        let mut csr = mxcsr(rm);
        let mut saved = 0u32;
        let out: f32;
        // SAFETY: as in the `sse!` functions: MXCSR saved, one conversion
        // under the requested control word, MXCSR restored.
        unsafe {
            asm!(
                "stmxcsr [{saved}]",
                "ldmxcsr [{csr}]",
                "cvtsi2ss {out}, {a:e}",
                "stmxcsr [{csr}]",
                "ldmxcsr [{saved}]",
                saved = in(reg) &mut saved,
                csr = in(reg) &mut csr,
                a = in(reg) a,
                out = out(xmm_reg) out,
                options(nostack),
            );
        }
        (out, mips_flags(csr))
    }
}

/// Single-precision classes under the legacy encoding.
pub mod single {
    /// NaN of either kind.
    pub fn is_nan(x: u32) -> bool {
        x & 0x7fff_ffff > 0x7f80_0000
    }
    /// Signaling NaN: the quiet bit (22) *set*, as legacy MIPS reads it.
    pub fn is_snan(x: u32) -> bool {
        is_nan(x) && x & 0x0040_0000 != 0
    }
}

/// Double-precision classes under the legacy encoding.
pub mod double {
    /// NaN of either kind.
    pub fn is_nan(x: u64) -> bool {
        x & 0x7fff_ffff_ffff_ffff > 0x7ff0_0000_0000_0000
    }
    /// Signaling NaN: bit 51 set.
    pub fn is_snan(x: u64) -> bool {
        is_nan(x) && x & 0x0008_0000_0000_0000 != 0
    }
}

/// The NaN an operation on `ops` returns, with the exceptions it raises;
/// `None` when no operand is a NaN. A legacy-NaN MIPS FPU (and qemu's model
/// of it) propagates no payload: any NaN operand gives the default NaN.
fn nan_result_s(ops: &[u32]) -> Option<(u32, u32)> {
    if ops.iter().any(|&x| single::is_snan(x)) {
        return Some((DEFAULT_NAN_S, exc::V));
    }
    ops.iter().any(|&x| single::is_nan(x)).then_some((DEFAULT_NAN_S, 0))
}

fn nan_result_d(ops: &[u64]) -> Option<(u64, u32)> {
    if ops.iter().any(|&x| double::is_snan(x)) {
        return Some((DEFAULT_NAN_D, exc::V));
    }
    ops.iter().any(|&x| double::is_nan(x)).then_some((DEFAULT_NAN_D, 0))
}

/// A host result made MIPS's: a NaN out of ordinary operands is the default
/// NaN; flush-to-zero (FCSR.FS) turns a subnormal result into a zero (the
/// operations whose exact result can be tiny flush before, see
/// [`flushed_s`]).
fn finish_s(bits: u32, raised: u32, fcsr: u32) -> (u32, u32) {
    if single::is_nan(bits) {
        return (DEFAULT_NAN_S, raised);
    }
    if fcsr & FCSR_FS != 0 && bits & 0x7f80_0000 == 0 && bits & 0x007f_ffff != 0 {
        return (bits & 0x8000_0000, raised & !(exc::U | exc::I));
    }
    (bits, raised)
}

fn finish_d(bits: u64, raised: u32, fcsr: u32) -> (u64, u32) {
    if double::is_nan(bits) {
        return (DEFAULT_NAN_D, raised);
    }
    let exp = bits & 0x7ff0_0000_0000_0000;
    if fcsr & FCSR_FS != 0 && exp == 0 && bits & 0x000f_ffff_ffff_ffff != 0 {
        return (bits & 0x8000_0000_0000_0000, raised & !(exc::U | exc::I));
    }
    (bits, raised)
}

/// Flush-to-zero (FCSR.FS) as qemu-mipsel applies it: a result whose exact
/// value is nonzero and below the smallest normal (tiny *before* rounding)
/// becomes a zero of its sign, and the operation raises nothing (neither
/// Underflow nor Inexact). Given the operation rounded toward zero: its
/// magnitude is below the smallest normal exactly when the exact result's
/// is, and it is zero but inexact when the exact result lies below the
/// smallest subnormal.
fn flushed_s((r, raised): (f32, u32)) -> Option<(u32, u32)> {
    let bits = r.to_bits();
    let tiny = bits & 0x7f80_0000 == 0 && (bits & 0x007f_ffff != 0 || raised & exc::I != 0);
    tiny.then_some((bits & 0x8000_0000, 0))
}

fn flushed_d((r, raised): (f64, u32)) -> Option<(u64, u32)> {
    let bits = r.to_bits();
    let tiny =
        bits & 0x7ff0_0000_0000_0000 == 0 && (bits & 0x000f_ffff_ffff_ffff != 0 || raised & exc::I != 0);
    tiny.then_some((bits & 0x8000_0000_0000_0000, 0))
}

/// A binary single operation: NaN rules, then the host.
pub fn binary_s(op: fn(f32, f32, u32) -> (f32, u32), a: u32, b: u32, fcsr: u32) -> (u32, u32) {
    if let Some(r) = nan_result_s(&[a, b]) {
        return r;
    }
    if fcsr & FCSR_FS != 0 {
        if let Some(r) = flushed_s(op(f32::from_bits(a), f32::from_bits(b), 1)) {
            return r;
        }
    }
    let (r, raised) = op(f32::from_bits(a), f32::from_bits(b), fcsr & FCSR_RM);
    finish_s(r.to_bits(), raised, fcsr)
}

/// A binary double operation: NaN rules, then the host.
pub fn binary_d(op: fn(f64, f64, u32) -> (f64, u32), a: u64, b: u64, fcsr: u32) -> (u64, u32) {
    if let Some(r) = nan_result_d(&[a, b]) {
        return r;
    }
    if fcsr & FCSR_FS != 0 {
        if let Some(r) = flushed_d(op(f64::from_bits(a), f64::from_bits(b), 1)) {
            return r;
        }
    }
    let (r, raised) = op(f64::from_bits(a), f64::from_bits(b), fcsr & FCSR_RM);
    finish_d(r.to_bits(), raised, fcsr)
}

/// `√a` in single precision.
pub fn sqrt_s(a: u32, fcsr: u32) -> (u32, u32) {
    if let Some(r) = nan_result_s(&[a]) {
        return r;
    }
    let (r, raised) = host::sqrt_s(f32::from_bits(a), fcsr & FCSR_RM);
    finish_s(r.to_bits(), raised, fcsr)
}

/// `√a` in double precision.
pub fn sqrt_d(a: u64, fcsr: u32) -> (u64, u32) {
    if let Some(r) = nan_result_d(&[a]) {
        return r;
    }
    let (r, raised) = host::sqrt_d(f64::from_bits(a), fcsr & FCSR_RM);
    finish_d(r.to_bits(), raised, fcsr)
}

/// Which multiply-add: `fs*ft ± fr`, negated or not.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MulAdd {
    /// `fs*ft + fr`.
    Madd,
    /// `fs*ft - fr`.
    Msub,
    /// `-(fs*ft + fr)`.
    Nmadd,
    /// `-(fs*ft - fr)`.
    Nmsub,
}

/// A multiply-add in single precision: the product rounded, then the sum.
pub fn muladd_s(kind: MulAdd, fr: u32, fs: u32, ft: u32, fcsr: u32) -> (u32, u32) {
    let (p, f1) = binary_s(host::mul_s, fs, ft, fcsr);
    let add = if matches!(kind, MulAdd::Madd | MulAdd::Nmadd) { host::add_s } else { host::sub_s };
    let (r, f2) = binary_s(add, p, fr, fcsr);
    let r = if matches!(kind, MulAdd::Nmadd | MulAdd::Nmsub) { r ^ 0x8000_0000 } else { r };
    (r, f1 | f2)
}

/// A multiply-add in double precision.
pub fn muladd_d(kind: MulAdd, fr: u64, fs: u64, ft: u64, fcsr: u32) -> (u64, u32) {
    let (p, f1) = binary_d(host::mul_d, fs, ft, fcsr);
    let add = if matches!(kind, MulAdd::Madd | MulAdd::Nmadd) { host::add_d } else { host::sub_d };
    let (r, f2) = binary_d(add, p, fr, fcsr);
    let r = if matches!(kind, MulAdd::Nmadd | MulAdd::Nmsub) { r ^ (1 << 63) } else { r };
    (r, f1 | f2)
}

/// How a conversion to a word rounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ToWord {
    /// By FCSR's mode (`cvt.w`).
    Current,
    /// To nearest, ties to even (`round.w`).
    Nearest,
    /// Toward zero (`trunc.w`).
    Zero,
    /// Toward +∞ (`ceil.w`).
    Up,
    /// Toward −∞ (`floor.w`).
    Down,
}

impl ToWord {
    fn mode(self, fcsr: u32) -> u32 {
        match self {
            ToWord::Current => fcsr & FCSR_RM,
            ToWord::Nearest => 0,
            ToWord::Zero => 1,
            ToWord::Up => 2,
            ToWord::Down => 3,
        }
    }
}

/// Single to word. Out of range and NaN: `0x7fff_ffff`, Invalid.
pub fn s_to_w(a: u32, how: ToWord, fcsr: u32) -> (u32, u32) {
    if single::is_nan(a) {
        return (WORD_OVERFLOW, exc::V);
    }
    let (w, raised) = host::s_to_w(f32::from_bits(a), how.mode(fcsr));
    if raised & exc::V != 0 {
        return (WORD_OVERFLOW, exc::V);
    }
    (w as u32, raised)
}

/// Double to word. Out of range and NaN: `0x7fff_ffff`, Invalid.
pub fn d_to_w(a: u64, how: ToWord, fcsr: u32) -> (u32, u32) {
    if double::is_nan(a) {
        return (WORD_OVERFLOW, exc::V);
    }
    let (w, raised) = host::d_to_w(f64::from_bits(a), how.mode(fcsr));
    if raised & exc::V != 0 {
        return (WORD_OVERFLOW, exc::V);
    }
    (w as u32, raised)
}

/// Double to single.
pub fn d_to_s(a: u64, fcsr: u32) -> (u32, u32) {
    if double::is_nan(a) {
        return (DEFAULT_NAN_S, if double::is_snan(a) { exc::V } else { 0 });
    }
    if fcsr & FCSR_FS != 0 {
        if let Some(r) = flushed_s(host::d_to_s(f64::from_bits(a), 1)) {
            return r;
        }
    }
    let (r, raised) = host::d_to_s(f64::from_bits(a), fcsr & FCSR_RM);
    finish_s(r.to_bits(), raised, fcsr)
}

/// Single to double (exact but for NaNs).
pub fn s_to_d(a: u32, fcsr: u32) -> (u64, u32) {
    if single::is_nan(a) {
        return (DEFAULT_NAN_D, if single::is_snan(a) { exc::V } else { 0 });
    }
    let (r, raised) = host::s_to_d(f32::from_bits(a), fcsr & FCSR_RM);
    finish_d(r.to_bits(), raised, fcsr)
}

/// Word to single (rounded by the mode).
pub fn w_to_s(a: u32, fcsr: u32) -> (u32, u32) {
    let (r, raised) = host::w_to_s(a as i32, fcsr & FCSR_RM);
    (r.to_bits(), raised)
}

/// Word to double (exact).
pub fn w_to_d(a: u32) -> u64 {
    (a as i32 as f64).to_bits()
}

/// `c.cond`: whether condition `cond` (0..16) holds, and the exceptions
/// raised. Conditions 8..16 signal Invalid on any NaN, 0..8 only on a
/// signaling one.
fn compare(cond: u32, unordered: bool, less: bool, equal: bool, snan: bool) -> (bool, u32) {
    let holds = (unordered && cond & 1 != 0) || (equal && cond & 2 != 0) || (less && cond & 4 != 0);
    let invalid = snan || (unordered && cond & 8 != 0);
    (holds, if invalid { exc::V } else { 0 })
}

/// `c.cond.s a, b`.
pub fn compare_s(cond: u32, a: u32, b: u32) -> (bool, u32) {
    let unordered = single::is_nan(a) || single::is_nan(b);
    let snan = single::is_snan(a) || single::is_snan(b);
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    compare(cond, unordered, !unordered && x < y, !unordered && x == y, snan)
}

/// `c.cond.d a, b`.
pub fn compare_d(cond: u32, a: u64, b: u64) -> (bool, u32) {
    let unordered = double::is_nan(a) || double::is_nan(b);
    let snan = double::is_snan(a) || double::is_snan(b);
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    compare(cond, unordered, !unordered && x < y, !unordered && x == y, snan)
}

/// Where the result of an arithmetic FP operation goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dest {
    /// A single (or word) into FP register `n`.
    Single(u8, u32),
    /// A double into the pair starting at `n`.
    Double(u8, u64),
    /// A condition code (`c.cond`).
    Cc(u8, bool),
}

/// The result and raised exceptions of an FP operation that sets FCSR's
/// cause (arithmetic, conversions, compares); `None` for every other
/// instruction. Nothing is written: [`execute`] commits FCSR first, the
/// JIT's slow path folds the exceptions into its own accounting.
pub fn arith(cpu: &Cpu, i: &Inst) -> Option<(Dest, u32)> {
    use Op::*;
    let fcsr = cpu.fcsr;
    let fs = cpu.fpr[i.rd as usize & 31];
    let ft = cpu.fpr[i.rt as usize & 31];
    let (ds, dt) = (get_d(cpu, i.rd), get_d(cpu, i.rt));
    let fd = i.sa;
    let s = |(r, raised): (u32, u32)| Some((Dest::Single(fd, r), raised));
    let d = |(r, raised): (u64, u32)| Some((Dest::Double(fd, r), raised));
    match i.op {
        AddS => s(binary_s(host::add_s, fs, ft, fcsr)),
        SubS => s(binary_s(host::sub_s, fs, ft, fcsr)),
        MulS => s(binary_s(host::mul_s, fs, ft, fcsr)),
        DivS => s(binary_s(host::div_s, fs, ft, fcsr)),
        SqrtS => s(sqrt_s(fs, fcsr)),
        AddD => d(binary_d(host::add_d, ds, dt, fcsr)),
        SubD => d(binary_d(host::sub_d, ds, dt, fcsr)),
        MulD => d(binary_d(host::mul_d, ds, dt, fcsr)),
        DivD => d(binary_d(host::div_d, ds, dt, fcsr)),
        SqrtD => d(sqrt_d(ds, fcsr)),
        RoundWS => s(s_to_w(fs, ToWord::Nearest, fcsr)),
        TruncWS => s(s_to_w(fs, ToWord::Zero, fcsr)),
        CeilWS => s(s_to_w(fs, ToWord::Up, fcsr)),
        FloorWS => s(s_to_w(fs, ToWord::Down, fcsr)),
        CvtWS => s(s_to_w(fs, ToWord::Current, fcsr)),
        RoundWD => s(d_to_w(ds, ToWord::Nearest, fcsr)),
        TruncWD => s(d_to_w(ds, ToWord::Zero, fcsr)),
        CeilWD => s(d_to_w(ds, ToWord::Up, fcsr)),
        FloorWD => s(d_to_w(ds, ToWord::Down, fcsr)),
        CvtWD => s(d_to_w(ds, ToWord::Current, fcsr)),
        CvtSD => s(d_to_s(ds, fcsr)),
        CvtSW => s(w_to_s(fs, fcsr)),
        CvtDS => d(s_to_d(fs, fcsr)),
        CvtDW => d((w_to_d(fs), 0)),
        MaddS | MsubS | NmaddS | NmsubS => {
            s(muladd_s(muladd_kind(i.op), cpu.fpr[i.rs as usize & 31], fs, ft, fcsr))
        }
        MaddD | MsubD | NmaddD | NmsubD => d(muladd_d(muladd_kind(i.op), get_d(cpu, i.rs), ds, dt, fcsr)),
        op => {
            let (cond, double) = condition_of(op)?;
            let (holds, raised) = if double { compare_d(cond, ds, dt) } else { compare_s(cond, fs, ft) };
            Some((Dest::Cc(i.sa, holds), raised))
        }
    }
}

/// Writes an arithmetic result.
pub fn apply(cpu: &mut Cpu, dest: Dest) {
    match dest {
        Dest::Single(f, v) => cpu.fpr[f as usize & 31] = v,
        Dest::Double(f, v) => set_d(cpu, f, v),
        Dest::Cc(cc, holds) => {
            let bit = fcc_bit(cc);
            cpu.fcsr = if holds { cpu.fcsr | bit } else { cpu.fcsr & !bit };
        }
    }
}

/// Executes one CP1 (or COP1X, or `movf`/`movt`) instruction. On a fault
/// nothing has changed.
pub fn execute(cpu: &mut Cpu, mem: &mut GuestMemory, i: &Inst, pc: u32) -> Result<Next, Fault> {
    use Op::*;
    if let Some((dest, raised)) = arith(cpu, i) {
        commit(cpu, raised)?;
        apply(cpu, dest);
        cpu.fpu_used = 1;
        return Ok(Next::Seq);
    }
    let fcsr = cpu.fcsr;
    let fs = cpu.fpr[i.rd as usize & 31];
    let ft = cpu.fpr[i.rt as usize & 31];
    let (ds, dt) = (get_d(cpu, i.rd), get_d(cpu, i.rt));
    let addr = cpu.regs[i.rs as usize & 31].wrapping_add(i.imm);
    let fd = i.sa;
    match i.op {
        Mfc1 => set_gpr(cpu, i.rt, fs),
        Mfhc1 => set_gpr(cpu, i.rt, (ds >> 32) as u32),
        Cfc1 => set_gpr(cpu, i.rt, read_control(fcsr, i.rd)),
        Mtc1 => cpu.fpr[i.rd as usize & 31] = cpu.regs[i.rt as usize & 31],
        Mthc1 => cpu.fpr[(i.rd as usize & 30) + 1] = cpu.regs[i.rt as usize & 31],
        Ctc1 => {
            let new = write_control(fcsr, i.rd, cpu.regs[i.rt as usize & 31]);
            let trap = trapping(new, (new >> CAUSE_SHIFT) & 0x3f);
            if trap != 0 {
                return Err(Fault::FloatingPoint(trap));
            }
            cpu.fcsr = new;
        }
        Bc1f | Bc1t | Bc1fl | Bc1tl => {
            let want = matches!(i.op, Bc1t | Bc1tl);
            if fcc(fcsr, i.rt) == want {
                cpu.fpu_used = 1;
                return Ok(Next::Jump(i.branch_target(pc)));
            }
        }
        AbsS => cpu.fpr[fd as usize & 31] = fs & 0x7fff_ffff,
        NegS => cpu.fpr[fd as usize & 31] = fs ^ 0x8000_0000,
        MovS => cpu.fpr[fd as usize & 31] = fs,
        AbsD => set_d(cpu, fd, ds & !(1 << 63)),
        NegD => set_d(cpu, fd, ds ^ (1 << 63)),
        MovD => set_d(cpu, fd, ds),
        MovfS | MovtS => {
            if fcc(fcsr, i.rt) == (i.op == MovtS) {
                cpu.fpr[fd as usize & 31] = fs;
            }
        }
        MovzS | MovnS => {
            if (cpu.regs[i.rt as usize & 31] == 0) == (i.op == MovzS) {
                cpu.fpr[fd as usize & 31] = fs;
            }
        }
        MovfD | MovtD => {
            if fcc(fcsr, i.rt) == (i.op == MovtD) {
                set_d(cpu, fd, ds);
            }
        }
        MovzD | MovnD => {
            if (cpu.regs[i.rt as usize & 31] == 0) == (i.op == MovzD) {
                set_d(cpu, fd, ds);
            }
        }
        Movf | Movt => {
            if fcc(fcsr, i.rt) == (i.op == Movt) {
                set_gpr(cpu, i.rd, cpu.regs[i.rs as usize & 31]);
            }
        }
        Lwc1 => cpu.fpr[i.rt as usize & 31] = mem.load32(addr)?,
        Swc1 => mem.store32(addr, ft)?,
        Ldc1 => {
            if addr & 7 != 0 {
                return Err(Fault::AddressErrorLoad(addr));
            }
            let lo = mem.load32(addr)?;
            let hi = mem.load32(addr.wrapping_add(4))?;
            set_d(cpu, i.rt, (hi as u64) << 32 | lo as u64);
        }
        Sdc1 => {
            if addr & 7 != 0 {
                return Err(Fault::AddressErrorStore(addr));
            }
            // Both words lie in one page (8-byte aligned): the second store
            // cannot fault once the first has succeeded.
            mem.store32(addr, dt as u32)?;
            mem.store32(addr.wrapping_add(4), (dt >> 32) as u32)?;
        }
        other => return Err(Fault::ReservedInstruction(crate::isa::encode(&Inst { op: other, ..*i }))),
    }
    cpu.fpu_used = 1;
    Ok(Next::Seq)
}

fn set_gpr(cpu: &mut Cpu, r: u8, v: u32) {
    if r != 0 {
        cpu.regs[r as usize & 31] = v;
    }
}

/// The multiply-add kind of a COP1X operation.
pub fn muladd_kind(op: Op) -> MulAdd {
    match op {
        Op::MaddS | Op::MaddD => MulAdd::Madd,
        Op::MsubS | Op::MsubD => MulAdd::Msub,
        Op::NmaddS | Op::NmaddD => MulAdd::Nmadd,
        _ => MulAdd::Nmsub,
    }
}

/// The condition (0..16) and format (true: double) of a `c.cond`
/// operation, read off its encoding in the table: CP1 function codes
/// 0x30..0x3f are the compares, their low four bits the condition.
pub fn condition_of(op: Op) -> Option<(u32, bool)> {
    let base = op.def()?.base;
    let compare = base >> 26 == 0x11 && base & 0x3f >= 0x30;
    compare.then_some((base & 0xf, (base >> 21) & 0x1f == 0x11))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_rules_are_legacy_mips() {
        let one = 1.0f32.to_bits();
        let qnan = 0x7f80_0001; // quiet under the legacy encoding
        let snan = 0x7fc0_0000; // x86's default NaN is signaling here
        assert_eq!(binary_s(host::add_s, one, qnan, 0), (DEFAULT_NAN_S, 0));
        assert_eq!(binary_s(host::add_s, snan, qnan, 0), (DEFAULT_NAN_S, exc::V));
        let inf = f32::INFINITY.to_bits();
        assert_eq!(binary_s(host::sub_s, inf, inf, 0), (DEFAULT_NAN_S, exc::V));
        assert_eq!(sqrt_d((-1.0f64).to_bits(), 0), (DEFAULT_NAN_D, exc::V));
    }

    #[test]
    fn rounding_modes_and_flags() {
        let (a, b) = (1.0f32.to_bits(), 3.0f32.to_bits());
        let near = binary_s(host::div_s, a, b, 0);
        let zero = binary_s(host::div_s, a, b, 1);
        assert_eq!(near.1, exc::I);
        assert_eq!(zero.0 + 1, near.0);
        let (_, raised) = binary_s(host::div_s, a, 0, 0);
        assert_eq!(raised, exc::Z);
        let (r, raised) = binary_d(host::mul_d, f64::MAX.to_bits(), 2.0f64.to_bits(), 1);
        assert_eq!((r, raised), (f64::MAX.to_bits(), exc::O | exc::I));
    }

    #[test]
    fn conversions_to_word() {
        assert_eq!(s_to_w(2.5f32.to_bits(), ToWord::Nearest, 0), (2, exc::I));
        assert_eq!(s_to_w(2.5f32.to_bits(), ToWord::Up, 0), (3, exc::I));
        assert_eq!(s_to_w((-2.5f32).to_bits(), ToWord::Zero, 0), (-2i32 as u32, exc::I));
        assert_eq!(d_to_w(3e9f64.to_bits(), ToWord::Current, 0), (WORD_OVERFLOW, exc::V));
        assert_eq!(d_to_w((-3e9f64).to_bits(), ToWord::Current, 0), (WORD_OVERFLOW, exc::V));
        assert_eq!(s_to_w(0x7f80_0001, ToWord::Current, 0), (WORD_OVERFLOW, exc::V));
        assert_eq!(w_to_s(16_777_217, 0), (16_777_216f32.to_bits(), exc::I));
    }

    #[test]
    fn compares() {
        let (one, two, qnan) = (1.0f32.to_bits(), 2.0f32.to_bits(), 0x7f80_0001);
        assert_eq!(compare_s(12, one, two), (true, 0)); // c.lt
        assert_eq!(compare_s(4, two, one), (false, 0)); // c.olt
        assert_eq!(compare_s(5, one, qnan), (true, 0)); // c.ult, quiet
        assert_eq!(compare_s(12, one, qnan), (false, exc::V)); // c.lt signals
        assert_eq!(compare_s(2, 0x7fc0_0000, one), (false, exc::V)); // sNaN always signals
    }

    #[test]
    fn conditions_come_from_the_encoding() {
        assert_eq!(condition_of(Op::CFS), Some((0, false)));
        assert_eq!(condition_of(Op::CUltD), Some((5, true)));
        assert_eq!(condition_of(Op::CNgtS), Some((15, false)));
        assert_eq!(condition_of(Op::MovfS), None);
        assert_eq!(condition_of(Op::AddD), None);
    }

    #[test]
    fn control_registers() {
        let fcsr = write_control(0, 31, 0xffff_ffff);
        assert_eq!(fcsr, FCSR_WRITABLE);
        assert_eq!(read_control(1 << 23 | 1 << 25, 25), 0b11);
        assert_eq!(write_control(0, 25, 0x81), 1 << 31 | 1 << 23);
        assert_eq!(read_control(0, 0), FIR);
        assert_eq!(trapping(with_cause(0, exc::V), exc::V), 0);
        assert_eq!(trapping(exc::V << ENABLES_SHIFT, exc::V), exc::V);
    }
}
