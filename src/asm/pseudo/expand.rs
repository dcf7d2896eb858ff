//! The expansions: one arm per [`Pseudo`] variant. The table's shapes have
//! been checked by then, so the operands are read by position.

use super::table::{ImmediateTwin, Pseudo, Relation, SetCond, Turn, Unaligned};
use crate::asm::expr::{Expr, Reloc};
use crate::asm::native::{ConstEval, Emit, FixKind, Mismatch};
use crate::asm::operands::Arg;
use crate::isa::{reg::AT, Inst, Op};

fn r(op: Op, rd: u8, rs: u8, rt: u8) -> Emit {
    Emit { inst: Inst { rd, rs, rt, ..Inst::new(op) }, fix: None }
}

fn shift(op: Op, rd: u8, rt: u8, sa: i64) -> Emit {
    Emit { inst: Inst { rd, rt, sa: (sa & 31) as u8, ..Inst::new(op) }, fix: None }
}

fn imm(op: Op, rt: u8, rs: u8, value: i64) -> Emit {
    Emit { inst: Inst { rt, rs, imm: value as u32, ..Inst::new(op) }, fix: None }
}

fn imm_fix(op: Op, rt: u8, rs: u8, kind: FixKind, reloc: Reloc, e: &Expr) -> Emit {
    Emit {
        inst: Inst { rt, rs, ..Inst::new(op) },
        fix: Some((kind, Expr::Reloc(reloc, Box::new(e.clone())))),
    }
}

fn branch(op: Op, rs: u8, rt: u8, target: &Expr) -> Emit {
    Emit { inst: Inst { rs, rt, ..Inst::new(op) }, fix: Some((FixKind::Branch, target.clone())) }
}

/// A branch over the next `words` instructions of the same expansion: no
/// fixup, and never last (the assembler relies on both, see the module docs).
fn skip(op: Op, rs: u8, rt: u8, words: i64) -> Emit {
    imm(op, rt, rs, words)
}

fn fits_i16(v: i64) -> bool {
    (-0x8000..0x8000).contains(&v)
}

fn fits_u16(v: i64) -> bool {
    (0..0x1_0000).contains(&v)
}

/// The operands, whose shapes the table has checked: reading one as another
/// kind is a bug in the table's row, not a user error.
struct Operands<'a>(&'a [&'a Arg]);

impl<'a> Operands<'a> {
    fn arg(&self, i: usize) -> &'a Arg {
        self.0[i]
    }

    fn reg(&self, i: usize) -> u8 {
        match self.0[i] {
            Arg::Reg(r) => *r,
            other => unreachable!("operand {i} fits `Reg` but is {other:?}"),
        }
    }

    /// A general-purpose or FP register (loads and stores of either).
    fn any_reg(&self, i: usize) -> u8 {
        match self.0[i] {
            Arg::Reg(r) | Arg::FReg(r) => *r,
            other => unreachable!("operand {i} fits a register shape but is {other:?}"),
        }
    }

    fn expr(&self, i: usize) -> &'a Expr {
        match self.0[i] {
            Arg::Expr(e) => e,
            other => unreachable!("operand {i} fits `Expr` but is {other:?}"),
        }
    }
}

/// Expands one pseudo-instruction: what it needs is the values of the
/// constants known at this point of the pass (labels are not, yet).
struct Expander<'a> {
    consts: &'a dyn ConstEval,
}

/// Expands `pseudo` with operands `a`, which fit one of its row's forms.
pub(super) fn expand(pseudo: Pseudo, a: &[&Arg], k: &dyn ConstEval) -> Result<Vec<Emit>, Mismatch> {
    let x = Expander { consts: k };
    let o = Operands(a);
    let one = |e: Emit| Ok(vec![e]);
    match pseudo {
        Pseudo::Li => x.load(o.reg(0), o.expr(1), 1),
        Pseudo::La => match o.arg(1) {
            Arg::Mem(None, base) => one(imm(Op::Addiu, o.reg(0), *base, 0)),
            Arg::Mem(Some(e), base) => x.reg_or_imm(Op::Addu, Some((Op::Addiu, true)), o.reg(0), *base, e, 1),
            _ => x.load(o.reg(0), o.expr(1), 1),
        },
        Pseudo::FromZero(op) => one(r(op, o.reg(0), 0, o.reg(1))),
        Pseudo::Not => one(r(Op::Nor, o.reg(0), o.reg(1), 0)),
        Pseudo::Abs => {
            let (d, s) = (o.reg(0), o.reg(1));
            Ok(vec![shift(Op::Sra, AT, s, 31), r(Op::Xor, d, AT, s), r(Op::Subu, d, d, AT)])
        }
        Pseudo::Nop => one(r(Op::Sll, 0, 0, 0)),
        Pseudo::BranchAlways(op) => one(branch(op, 0, 0, o.expr(0))),
        Pseudo::BranchZero(op) => one(branch(op, o.reg(0), 0, o.expr(1))),
        Pseudo::CompareBranch(relation, unsigned) => {
            x.compare_branch(relation, unsigned, o.reg(0), o.arg(1), o.expr(2))
        }
        Pseudo::Mulu => hilo(&x, Op::Multu, Op::Mflo, o.reg(0), o.reg(1), o.arg(2), false),
        Pseudo::Mulo => {
            let (d, s, t) = (o.reg(0), o.reg(1), o.reg(2));
            Ok(vec![
                r(Op::Mult, 0, s, t),
                r(Op::Mfhi, AT, 0, 0),
                r(Op::Mflo, d, 0, 0),
                shift(Op::Sra, d, d, 31),
                skip(Op::Beq, AT, d, 1),
                r(Op::Break, 0, 0, 0),
                r(Op::Mflo, d, 0, 0),
            ])
        }
        Pseudo::Mulou => {
            let (d, s, t) = (o.reg(0), o.reg(1), o.reg(2));
            Ok(vec![
                r(Op::Multu, 0, s, t),
                r(Op::Mfhi, AT, 0, 0),
                skip(Op::Beq, AT, 0, 1),
                r(Op::Break, 0, 0, 0),
                r(Op::Mflo, d, 0, 0),
            ])
        }
        Pseudo::Rem(op) => hilo(&x, op, Op::Mfhi, o.reg(0), o.reg(1), o.arg(2), true),
        Pseudo::Set(cond) => {
            let (d, s) = (o.reg(0), o.reg(1));
            match o.arg(2) {
                Arg::Reg(t) => Ok(set(cond, d, s, *t)),
                _ => x.load(AT, o.expr(2), 2).map(|mut out| {
                    out.extend(set(cond, d, s, AT));
                    out
                }),
            }
        }
        Pseudo::Rotate(turn) => x.rotate(turn, o.reg(0), o.reg(1), o.arg(2)),
        Pseudo::Unaligned(kind) => {
            let t = o.reg(0);
            let (mut out, base, off) = x.address(o.arg(1))?;
            out.extend(match kind {
                Unaligned::Word(high, low) => vec![imm(high, t, base, off + 3), imm(low, t, base, off)],
                Unaligned::Half(high) => vec![
                    imm(high, t, base, off + 1),
                    imm(Op::Lbu, AT, base, off),
                    shift(Op::Sll, t, t, 8),
                    r(Op::Or, t, t, AT),
                ],
            });
            Ok(out)
        }
        Pseudo::Ush => {
            let t = o.reg(0);
            let (mut out, base, off) = x.address(o.arg(1))?;
            // The high byte is shifted into $at, so the address cannot use it.
            if base == AT {
                return Err(Mismatch {
                    message: "`ush` needs an `offset(base)` address".into(),
                    arg: Some(1),
                });
            }
            out.extend([imm(Op::Sb, t, base, off), shift(Op::Srl, AT, t, 8), imm(Op::Sb, AT, base, off + 1)]);
            Ok(out)
        }
        Pseudo::SubImmediate(op) => x.reg_or_imm(op, None, o.reg(0), o.reg(1), o.expr(2), 2),
        Pseudo::MoveDouble(op) => {
            let (t, f) = (o.reg(0), o.any_reg(1));
            if f % 2 == 1 {
                return Err(Mismatch {
                    message: format!("`$f{f}` is odd: a double names the even register of its pair"),
                    arg: Some(1),
                });
            }
            if t == 31 {
                return Err(Mismatch {
                    message: "needs a register pair: `$31` has no next".into(),
                    arg: Some(0),
                });
            }
            let mv = |t: u8, f: u8| Emit { inst: Inst { rt: t, rd: f, ..Inst::new(op) }, fix: None };
            Ok(vec![mv(t, f), mv(t + 1, f + 1)])
        }
        Pseudo::FpSingle(op)
        | Pseudo::FpDouble(op)
        | Pseudo::Memory(op)
        | Pseudo::MemorySingle(op)
        | Pseudo::MemoryDouble(op) => {
            let t = o.any_reg(0);
            match o.arg(1) {
                Arg::Mem(Some(e), base) => x.memory(op, t, e, *base, 1),
                // `(base)` reaches here only for MARS's FP mnemonics: the
                // machine ones take it as written.
                Arg::Mem(None, base) => x.memory(op, t, &Expr::Num(0), *base, 1),
                _ => x.memory(op, t, o.expr(1), 0, 1),
            }
        }
        Pseudo::BranchImmediate(op) => x.load(AT, o.expr(1), 1).map(|mut out| {
            out.push(branch(op, o.reg(0), AT, o.expr(2)));
            out
        }),
        Pseudo::JumpReg => one(r(Op::Jr, 0, o.reg(0), 0)),
        Pseudo::JalReg => one(r(Op::Jalr, 31, o.reg(0), 0)),
        Pseudo::Div(op) => match (o.reg(0), o.arg(2)) {
            // `div $0, rs, rt` is the machine instruction (GNU as's spelling).
            (0, Arg::Reg(t)) => one(r(op, 0, o.reg(1), *t)),
            (d, rhs) => hilo(&x, op, Op::Mflo, d, o.reg(1), rhs, true),
        },
        Pseudo::ShiftReg(op) => one(r(op, o.reg(0), o.reg(2), o.reg(1))),
        Pseudo::LogicalImmediate(reg_op, imm_op) => {
            let t = o.reg(0);
            x.reg_or_imm(reg_op, Some((imm_op, false)), t, t, o.expr(1), 1)
        }
        Pseudo::LogicalShort(reg_op, imm_op) => {
            let t = o.reg(0);
            match x.consts.value_now(o.expr(1)) {
                Some(v) if fits_u16(v) => one(imm(imm_op, t, t, v)),
                _ => Err(Mismatch {
                    message: format!(
                        "`{} rt, imm` takes a 16-bit unsigned constant (as in MARS); \
                         for a larger one write `{} rt, imm`",
                        reg_op.mnemonic(),
                        imm_op.mnemonic()
                    ),
                    arg: Some(1),
                }),
            }
        }
        Pseudo::Immediate(reg_op, twin) => x.reg_or_imm(reg_op, twin, o.reg(0), o.reg(1), o.expr(2), 2),
    }
}

impl Expander<'_> {
    fn value32(&self, e: &Expr, at: usize) -> Result<Option<i64>, Mismatch> {
        match self.consts.value_now(e) {
            Some(v) if (-(1i64 << 31)..(1i64 << 32)).contains(&v) => Ok(Some(v)),
            Some(v) => Err(Mismatch { message: format!("{v} does not fit in 32 bits"), arg: Some(at) }),
            None => Ok(None),
        }
    }

    /// Loads a 32-bit value into `dst` (through `$at` when it needs two instructions).
    fn load(&self, dst: u8, e: &Expr, at: usize) -> Result<Vec<Emit>, Mismatch> {
        Ok(match self.value32(e, at)? {
            Some(v) if fits_i16(v) => vec![imm(Op::Addiu, dst, 0, v)],
            Some(v) if fits_u16(v) => vec![imm(Op::Ori, dst, 0, v)],
            Some(v) => vec![imm(Op::Lui, AT, 0, (v >> 16) & 0xffff), imm(Op::Ori, dst, AT, v & 0xffff)],
            None => vec![
                imm_fix(Op::Lui, AT, 0, FixKind::UImm16, Reloc::HiRaw, e),
                imm_fix(Op::Ori, dst, AT, FixKind::UImm16, Reloc::LoRaw, e),
            ],
        })
    }

    /// `op rd, rs, e` where `op` has an immediate twin taking a 16-bit value of
    /// the given signedness; otherwise loads `e` into `$at`.
    fn reg_or_imm(
        &self,
        reg_op: Op,
        imm_op: ImmediateTwin,
        rd: u8,
        rs: u8,
        e: &Expr,
        at: usize,
    ) -> Result<Vec<Emit>, Mismatch> {
        if let (Some((op, signed)), Some(v)) = (imm_op, self.value32(e, at)?) {
            if (signed && fits_i16(v)) || (!signed && fits_u16(v)) {
                return Ok(vec![imm(op, rd, rs, v)]);
            }
        }
        let mut out = self.load(AT, e, at)?;
        out.push(r(reg_op, rd, rs, AT));
        Ok(out)
    }

    /// A load or store whose address is a label, an absolute address or a
    /// large offset: `lui $at, %hi(a); [addu $at, $at, base;] op rt, %lo(a)($at)`.
    fn memory(&self, op: Op, rt: u8, offset: &Expr, base: u8, at: usize) -> Result<Vec<Emit>, Mismatch> {
        if let Some(v) = self.value32(offset, at)? {
            if fits_i16(v) {
                return Ok(vec![imm(op, rt, base, v)]);
            }
        }
        let mut out = vec![imm_fix(Op::Lui, AT, 0, FixKind::UImm16, Reloc::Hi, offset)];
        if base != 0 {
            out.push(r(Op::Addu, AT, AT, base));
        }
        out.push(imm_fix(op, rt, AT, FixKind::SImm16, Reloc::Lo, offset));
        Ok(out)
    }

    /// `slt`-based compare-and-branch: `set $at; beq/bne $at, $0, target`.
    fn compare_branch(
        &self,
        relation: Relation,
        unsigned: bool,
        rs: u8,
        rhs: &Arg,
        target: &Expr,
    ) -> Result<Vec<Emit>, Mismatch> {
        let (slt, slti) = if unsigned { (Op::Sltu, Op::Sltiu) } else { (Op::Slt, Op::Slti) };
        // blt: rs < rt; bge: !(rs < rt); bgt: rt < rs; ble: !(rt < rs).
        let (swap, taken_when_set) = match relation {
            Relation::Lt => (false, true),
            Relation::Ge => (false, false),
            Relation::Gt => (true, true),
            Relation::Le => (true, false),
        };
        let mut out = Vec::new();
        match rhs {
            Arg::Reg(rt) => out.push(if swap { r(slt, AT, *rt, rs) } else { r(slt, AT, rs, *rt) }),
            Arg::Expr(e) => match self.value32(e, 1)? {
                Some(v) if !swap && fits_i16(v) => out.push(imm(slti, AT, rs, v)),
                _ => {
                    out.extend(self.load(AT, e, 1)?);
                    out.push(if swap { r(slt, AT, AT, rs) } else { r(slt, AT, rs, AT) });
                }
            },
            Arg::Mem(..) | Arg::FReg(_) | Arg::Fcc(_) => {
                return Err(Mismatch { message: "expected a register or immediate".into(), arg: Some(1) })
            }
        }
        out.push(branch(if taken_when_set { Op::Bne } else { Op::Beq }, AT, 0, target));
        Ok(out)
    }

    /// `rol`/`ror rd, rt, rs|imm`, by a register through `$at`, or by a constant.
    fn rotate(&self, turn: Turn, d: u8, t: u8, amount: &Arg) -> Result<Vec<Emit>, Mismatch> {
        let left = turn == Turn::Left;
        let e = match amount {
            Arg::Reg(s) => {
                let (first, second) = if left { (Op::Srlv, Op::Sllv) } else { (Op::Sllv, Op::Srlv) };
                let s = *s;
                return Ok(vec![
                    r(Op::Subu, AT, 0, s),
                    r(first, AT, AT, t),
                    r(second, d, s, t),
                    r(Op::Or, d, d, AT),
                ]);
            }
            Arg::Expr(e) => e,
            other => unreachable!("a rotate amount fits `RegImm` but is {other:?}"),
        };
        let sa = match self.consts.value_now(e) {
            Some(v) if (0..32).contains(&v) => v,
            _ => return Err(Mismatch { message: "expected a rotate amount 0..=31".into(), arg: Some(2) }),
        };
        let (first, second) = if left { (Op::Srl, Op::Sll) } else { (Op::Sll, Op::Srl) };
        Ok(vec![shift(first, AT, t, (32 - sa) & 31), shift(second, d, t, sa), r(Op::Or, d, d, AT)])
    }

    /// An unaligned access's address as (instructions computing it, base,
    /// constant offset): labels and offsets too large for the four bytes
    /// go through `$at`.
    fn address(&self, addr: &Arg) -> Result<(Vec<Emit>, u8, i64), Mismatch> {
        let mut out = Vec::new();
        let (base, off) = match addr {
            Arg::Mem(None, b) => (*b, 0),
            Arg::Mem(Some(e), b) => match self.consts.value_now(e) {
                Some(v) if fits_i16(v) && fits_i16(v + 3) => (*b, v),
                _ => {
                    out.extend(self.load(AT, e, 1)?);
                    out.push(r(Op::Addu, AT, AT, *b));
                    (AT, 0)
                }
            },
            Arg::Expr(e) => {
                out.extend(self.load(AT, e, 1)?);
                (AT, 0)
            }
            Arg::Reg(_) | Arg::FReg(_) | Arg::Fcc(_) => {
                return Err(Mismatch { message: "expected an address".into(), arg: Some(1) })
            }
        };
        Ok((out, base, off))
    }
}

/// `seq sne sge sgt sle` and unsigned forms with a register right-hand side.
fn set(cond: SetCond, rd: u8, rs: u8, rt: u8) -> Vec<Emit> {
    match cond {
        SetCond::Eq => vec![r(Op::Subu, rd, rs, rt), imm(Op::Ori, AT, 0, 1), r(Op::Sltu, rd, rd, AT)],
        SetCond::Ne => vec![r(Op::Subu, rd, rs, rt), r(Op::Sltu, rd, 0, rd)],
        SetCond::Ge(slt) => vec![r(slt, rd, rs, rt), imm(Op::Ori, AT, 0, 1), r(Op::Subu, rd, AT, rd)],
        SetCond::Gt(slt) => vec![r(slt, rd, rt, rs)],
        SetCond::Le(slt) => vec![r(slt, rd, rt, rs), imm(Op::Ori, AT, 0, 1), r(Op::Subu, rd, AT, rd)],
    }
}

/// `mulu`/`div`/`rem` with three operands: the HI/LO operation, then the move.
/// Division by a register checks for zero first (`break`), as MARS does.
fn hilo(
    x: &Expander,
    op: Op,
    take: Op,
    d: u8,
    s: u8,
    rhs: &Arg,
    check_zero: bool,
) -> Result<Vec<Emit>, Mismatch> {
    let mut out = Vec::new();
    let divisor = match rhs {
        Arg::Reg(t) => {
            if check_zero {
                out.push(skip(Op::Bne, *t, 0, 1));
                out.push(r(Op::Break, 0, 0, 0));
            }
            *t
        }
        Arg::Expr(e) => {
            out.extend(x.load(AT, e, 2)?);
            AT
        }
        Arg::Mem(..) | Arg::FReg(_) | Arg::Fcc(_) => {
            return Err(Mismatch { message: "expected a register or immediate".into(), arg: Some(2) })
        }
    };
    out.push(r(op, 0, s, divisor));
    out.push(r(take, d, 0, 0));
    Ok(out)
}
