//! Matching operands against a table row: the machine instructions as
//! written, with no expansion. Anything that does not fit (a 32-bit
//! immediate, a label as a memory address) is left to the pseudo-instruction
//! expander, which falls back on this module's error when it has no form.

use super::expr::Expr;
use super::operands::{Arg, Spanned};
use crate::isa::{reg, Inst, Op, OpDef, Operand};

/// How a field is completed once an expression's value is known.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FixKind {
    /// Signed 16-bit field (immediates, memory offsets, `%lo`).
    SImm16,
    /// Unsigned 16-bit field (logical immediates, `%hi`).
    UImm16,
    /// PC-relative branch target.
    Branch,
    /// 256 MiB-region jump target.
    Jump,
}

/// One machine instruction to emit, possibly with a field to fill in later.
#[derive(Clone, Debug, PartialEq)]
pub struct Emit {
    /// The instruction, with every constant field set.
    pub inst: Inst,
    /// An expression to resolve into the immediate field after layout.
    pub fix: Option<(FixKind, Expr)>,
}

/// Evaluates expressions whose value is known while assembling (numbers,
/// `.eqv`/`.set` constants, differences of labels already placed); labels
/// are known only after layout.
pub trait ConstEval {
    /// The value, if known now.
    fn value_now(&self, e: &Expr) -> Option<i64>;
}

/// Why operands do not fit the row; `arg` indexes the offending operand.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// What is wrong.
    pub message: String,
    /// Which operand (None: the operand count).
    pub arg: Option<usize>,
}

fn mismatch(message: impl Into<String>, arg: Option<usize>) -> Mismatch {
    Mismatch { message: message.into(), arg }
}

/// Syntax of a row's operands, for error messages (`rd, rs, rt`).
pub fn syntax(def: &OpDef) -> String {
    use Operand::*;
    let parts: Vec<&str> = def
        .operands
        .iter()
        .map(|o| match o {
            Rd | RdAlsoRt => "rd",
            Rs => "rs",
            Rt => "rt",
            Sa => "shift",
            SImm16 => "imm16",
            UImm16 => "uimm16",
            Mem => "offset(base)",
            Branch | Jump => "label",
            Code20 | TrapCode => "[code]",
            BreakCode => "[code[,code]]",
            SyncType => "[stype]",
            Hint => "hint",
            BitPos => "pos",
            ExtSize | InsSize => "size",
            ParaArg => "argument",
            Fd => "fd",
            Fs => "fs",
            Ft => "ft",
            Fr => "fr",
            Dd => "fd (even)",
            Ds => "fs (even)",
            Dt => "ft (even)",
            Dr => "fr (even)",
            FpCtl => "fcr",
            CcHigh | CcLow => "[cc]",
        })
        .collect();
    format!("{} {}", def.mnemonic, parts.join(", "))
}

/// Assembles a machine instruction exactly as written.
pub fn assemble(def: &OpDef, args: &[Spanned], k: &dyn ConstEval) -> Result<Emit, Mismatch> {
    let mut inst = Inst::new(def.op);
    let mut fix = None;
    // `jalr rs` links through $ra.
    if def.op == Op::Jalr && args.len() == 1 {
        inst.rd = reg::RA;
        inst.rs = want_reg(args, 0)?;
        return Ok(Emit { inst, fix });
    }
    let required = def.operands.iter().filter(|o| !o.optional()).count();
    let most = def.operands.len() + usize::from(def.operands.contains(&Operand::BreakCode));
    if args.len() < required || args.len() > most {
        return Err(mismatch(format!("expected `{}`", syntax(def)), None));
    }
    let mut i = 0;
    for operand in def.operands {
        use Operand::*;
        // A condition code may be left out wherever it stands (`c.eq.s $f0,$f2`).
        if matches!(operand, CcHigh | CcLow) && args.len() < def.operands.len() {
            continue;
        }
        match operand {
            Rd => inst.rd = want_reg(args, i)?,
            Rs => inst.rs = want_reg(args, i)?,
            Rt => inst.rt = want_reg(args, i)?,
            RdAlsoRt => {
                inst.rd = want_reg(args, i)?;
                inst.rt = inst.rd;
            }
            Sa | BitPos => inst.sa = want_const(args, i, k, 0, 31)? as u8,
            Hint => inst.rt = want_const(args, i, k, 0, 31)? as u8,
            SyncType | Code20 | TrapCode if i >= args.len() => {}
            SyncType => inst.sa = want_const(args, i, k, 0, 31)? as u8,
            Code20 => inst.imm = want_const(args, i, k, 0, 0xf_ffff)? as u32,
            TrapCode => inst.imm = want_const(args, i, k, 0, 0x3ff)? as u32,
            BreakCode => {
                if i < args.len() {
                    let hi = want_const(args, i, k, 0, 0x3ff)? as u32;
                    let lo = if i + 1 < args.len() {
                        i += 1;
                        want_const(args, i, k, 0, 0x3ff)? as u32
                    } else {
                        0
                    };
                    inst.imm = hi << 10 | lo;
                }
            }
            ExtSize | InsSize => {
                let pos = inst.sa as i64;
                let size = want_const(args, i, k, 1, 32 - pos)?;
                inst.rd = if *operand == ExtSize { size - 1 } else { pos + size - 1 } as u8;
            }
            SImm16 | UImm16 => {
                let e = want_expr(args, i)?;
                let (lo, hi, kind) = if *operand == SImm16 {
                    (-0x8000, 0x7fff, FixKind::SImm16)
                } else {
                    (0, 0xffff, FixKind::UImm16)
                };
                imm16(e, i, k, lo, hi, kind, &mut inst, &mut fix)?;
            }
            Mem => {
                let Arg::Mem(offset, base) = &args[i].arg else {
                    return Err(mismatch("expected `offset(base)`", Some(i)));
                };
                inst.rs = *base;
                if let Some(e) = offset {
                    imm16(e, i, k, -0x8000, 0x7fff, FixKind::SImm16, &mut inst, &mut fix)?;
                }
            }
            Branch | Jump => {
                let e = want_expr(args, i)?;
                let kind = if *operand == Branch { FixKind::Branch } else { FixKind::Jump };
                fix = Some((kind, e.clone()));
            }
            ParaArg => return Err(mismatch("para-instruction operands are raw text", Some(i))),
            Fd | Dd => inst.sa = want_fpr(args, i, operand.is_double())?,
            Fs | Ds => inst.rd = want_fpr(args, i, operand.is_double())?,
            Ft | Dt => inst.rt = want_fpr(args, i, operand.is_double())?,
            Fr | Dr => inst.rs = want_fpr(args, i, operand.is_double())?,
            FpCtl => inst.rd = want_fp_control(args, i)?,
            CcHigh => inst.rt = want_cc(args, i, k)?,
            CcLow => inst.sa = want_cc(args, i, k)?,
        }
        i += 1;
    }
    if i < args.len() {
        return Err(mismatch(format!("too many operands: expected `{}`", syntax(def)), Some(i)));
    }
    Ok(Emit { inst, fix })
}

#[allow(clippy::too_many_arguments)]
fn imm16(
    e: &Expr,
    i: usize,
    k: &dyn ConstEval,
    lo: i64,
    hi: i64,
    kind: FixKind,
    inst: &mut Inst,
    fix: &mut Option<(FixKind, Expr)>,
) -> Result<(), Mismatch> {
    if e.is_reloc() {
        *fix = Some((kind, e.clone()));
        return Ok(());
    }
    match k.value_now(e) {
        Some(v) if (lo..=hi).contains(&v) => {
            inst.imm = v as u32;
            Ok(())
        }
        Some(v) => Err(mismatch(format!("immediate {v} does not fit in {lo}..={hi}"), Some(i))),
        None => Err(mismatch("expected a constant that fits in 16 bits", Some(i))),
    }
}

fn want_reg(args: &[Spanned], i: usize) -> Result<u8, Mismatch> {
    match args.get(i).map(|a| &a.arg) {
        Some(Arg::Reg(r)) => Ok(*r),
        _ => Err(mismatch("expected a register", Some(i))),
    }
}

fn want_fpr(args: &[Spanned], i: usize, double: bool) -> Result<u8, Mismatch> {
    match args.get(i).map(|a| &a.arg) {
        Some(Arg::FReg(f)) if double && f % 2 == 1 => Err(mismatch(
            format!("`$f{f}` is odd: a double names the even register of its pair (`$f{}`)", f - 1),
            Some(i),
        )),
        Some(Arg::FReg(f)) => Ok(*f),
        _ => Err(mismatch("expected an FP register (`$f0`..`$f31`)", Some(i))),
    }
}

fn want_fp_control(args: &[Spanned], i: usize) -> Result<u8, Mismatch> {
    match args.get(i).map(|a| &a.arg) {
        Some(Arg::Reg(n) | Arg::FReg(n)) if matches!(n, 0 | 25 | 26 | 28 | 31) => Ok(*n),
        _ => Err(mismatch(
            "expected an FP control register: `$31` (FCSR), `$0` (FIR), `$25`, `$26` or `$28`",
            Some(i),
        )),
    }
}

fn want_cc(args: &[Spanned], i: usize, k: &dyn ConstEval) -> Result<u8, Mismatch> {
    match args.get(i).map(|a| &a.arg) {
        Some(Arg::Fcc(c)) => Ok(*c),
        _ => want_const(args, i, k, 0, 7).map(|c| c as u8),
    }
}

fn want_expr(args: &[Spanned], i: usize) -> Result<&Expr, Mismatch> {
    match args.get(i).map(|a| &a.arg) {
        Some(Arg::Expr(e)) => Ok(e),
        _ => Err(mismatch("expected an immediate or label", Some(i))),
    }
}

fn want_const(args: &[Spanned], i: usize, k: &dyn ConstEval, lo: i64, hi: i64) -> Result<i64, Mismatch> {
    let e = want_expr(args, i)?;
    match k.value_now(e) {
        Some(v) if (lo..=hi).contains(&v) => Ok(v),
        Some(v) => Err(mismatch(format!("{v} is out of range {lo}..={hi}"), Some(i))),
        None => Err(mismatch("expected a constant", Some(i))),
    }
}
