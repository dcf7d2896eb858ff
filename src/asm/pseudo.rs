//! Pseudo-instructions and extended operand forms, expanded as MARS expands
//! them (using `$at` as the scratch register). Constant operands known while
//! assembling pick the shortest form; labels always take the full form, so an
//! instruction's size never depends on where labels land.

use super::expr::{Expr, Reloc};
use super::native::{ConstEval, Emit, FixKind, Mismatch};
use super::operands::{Arg, Spanned};
use crate::isa::{reg::AT, Flags, Inst, Op};

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

/// A branch over the next `words` instructions.
fn skip(op: Op, rs: u8, rt: u8, words: i64) -> Emit {
    imm(op, rt, rs, words)
}

fn fits_i16(v: i64) -> bool {
    (-0x8000..0x8000).contains(&v)
}

fn fits_u16(v: i64) -> bool {
    (0..0x1_0000).contains(&v)
}

/// Expands one pseudo-instruction: what it needs is the values of the
/// constants known at this point of the pass (labels are not, yet).
struct Expander<'a> {
    consts: &'a dyn ConstEval,
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
        imm_op: Option<(Op, bool)>,
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
    fn compare_branch(&self, name: &str, rs: u8, rhs: &Arg, target: &Expr) -> Result<Vec<Emit>, Mismatch> {
        let unsigned = name.ends_with('u');
        let (slt, slti) = if unsigned { (Op::Sltu, Op::Sltiu) } else { (Op::Slt, Op::Slti) };
        let base = name.trim_end_matches('u');
        // blt: rs < rt; bge: !(rs < rt); bgt: rt < rs; ble: !(rt < rs).
        let (swap, taken_when_set) = match base {
            "blt" => (false, true),
            "bge" => (false, false),
            "bgt" => (true, true),
            _ => (true, false),
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

    /// `seq sne sge sgt sle` and unsigned forms with a register right-hand side.
    fn set(&self, name: &str, rd: u8, rs: u8, rt: u8) -> Vec<Emit> {
        let slt = if name.ends_with('u') && name != "sne" { Op::Sltu } else { Op::Slt };
        match name.trim_end_matches('u') {
            "seq" => vec![r(Op::Subu, rd, rs, rt), imm(Op::Ori, AT, 0, 1), r(Op::Sltu, rd, rd, AT)],
            "sne" => vec![r(Op::Subu, rd, rs, rt), r(Op::Sltu, rd, 0, rd)],
            "sge" => vec![r(slt, rd, rs, rt), imm(Op::Ori, AT, 0, 1), r(Op::Subu, rd, AT, rd)],
            "sgt" => vec![r(slt, rd, rt, rs)],
            _ => vec![r(slt, rd, rt, rs), imm(Op::Ori, AT, 0, 1), r(Op::Subu, rd, AT, rd)],
        }
    }
}

/// The register-form and immediate-form twins of R-type mnemonics, for
/// `op rd, rs, imm`: (mnemonic, register op, immediate op and its signedness).
/// An immediate twin: the op and whether its immediate is signed.
type ImmediateTwin = Option<(Op, bool)>;

const IMMEDIATE_FORMS: &[(&str, Op, ImmediateTwin)] = &[
    ("add", Op::Add, Some((Op::Addi, true))),
    ("addi", Op::Add, Some((Op::Addi, true))),
    ("addu", Op::Addu, Some((Op::Addiu, true))),
    ("addiu", Op::Addu, Some((Op::Addiu, true))),
    ("and", Op::And, Some((Op::Andi, false))),
    ("andi", Op::And, Some((Op::Andi, false))),
    ("or", Op::Or, Some((Op::Ori, false))),
    ("ori", Op::Or, Some((Op::Ori, false))),
    ("xor", Op::Xor, Some((Op::Xori, false))),
    ("xori", Op::Xor, Some((Op::Xori, false))),
    ("slt", Op::Slt, Some((Op::Slti, true))),
    ("slti", Op::Slt, Some((Op::Slti, true))),
    ("sltu", Op::Sltu, Some((Op::Sltiu, true))),
    ("sltiu", Op::Sltu, Some((Op::Sltiu, true))),
    ("sub", Op::Sub, None),
    ("subi", Op::Sub, None),
    ("subu", Op::Subu, None),
    ("subiu", Op::Subu, None),
    ("nor", Op::Nor, None),
    ("mul", Op::Mul, None),
    ("movn", Op::Movn, None),
    ("movz", Op::Movz, None),
];

/// Forms the expander knows beyond the table: (mnemonic, syntax), for
/// hints and for errors on operands that fit no form.
pub const PSEUDO_FORMS: &[(&str, &str)] = &[
    ("li", "li rt, imm32"),
    ("la", "la rt, label | la rt, offset(base)"),
    ("move", "move rd, rs"),
    ("neg", "neg rd, rs"),
    ("negu", "negu rd, rs"),
    ("not", "not rd, rs"),
    ("abs", "abs rd, rs"),
    ("nop", "nop"),
    ("b", "b label"),
    ("bal", "bal label"),
    ("beqz", "beqz rs, label"),
    ("bnez", "bnez rs, label"),
    ("blt", "blt rs, rt|imm, label"),
    ("bltu", "bltu rs, rt|imm, label"),
    ("bgt", "bgt rs, rt|imm, label"),
    ("bgtu", "bgtu rs, rt|imm, label"),
    ("ble", "ble rs, rt|imm, label"),
    ("bleu", "bleu rs, rt|imm, label"),
    ("bge", "bge rs, rt|imm, label"),
    ("bgeu", "bgeu rs, rt|imm, label"),
    ("mulu", "mulu rd, rs, rt|imm"),
    ("mulo", "mulo rd, rs, rt"),
    ("mulou", "mulou rd, rs, rt"),
    ("rem", "rem rd, rs, rt|imm"),
    ("remu", "remu rd, rs, rt|imm"),
    ("seq", "seq rd, rs, rt|imm"),
    ("sne", "sne rd, rs, rt|imm"),
    ("sge", "sge rd, rs, rt|imm"),
    ("sgeu", "sgeu rd, rs, rt|imm"),
    ("sgt", "sgt rd, rs, rt|imm"),
    ("sgtu", "sgtu rd, rs, rt|imm"),
    ("sle", "sle rd, rs, rt|imm"),
    ("sleu", "sleu rd, rs, rt|imm"),
    ("rol", "rol rd, rt, rs|imm"),
    ("ror", "ror rd, rt, rs|imm"),
    ("ulw", "ulw rt, address"),
    ("usw", "usw rt, address"),
    ("ulh", "ulh rt, address"),
    ("ulhu", "ulhu rt, address"),
    ("ush", "ush rt, offset(base)"),
    ("subi", "subi rd, rs, imm"),
    ("subiu", "subiu rd, rs, imm"),
    ("mfc1.d", "mfc1.d rt, fs (even)"),
    ("mtc1.d", "mtc1.d rt, fs (even)"),
    ("l.s", "l.s ft, address"),
    ("s.s", "s.s ft, address"),
    ("l.d", "l.d ft (even), address"),
    ("s.d", "s.d ft (even), address"),
];

/// Expands `name args` (name in lower case). `None` when the mnemonic has no
/// pseudo form for these operand shapes.
pub fn expand(name: &str, args: &[Spanned], k: &dyn ConstEval) -> Option<Result<Vec<Emit>, Mismatch>> {
    let a: Vec<&Arg> = args.iter().map(|s| &s.arg).collect();
    let x = Expander { consts: k };
    let one = |e: Emit| Some(Ok(vec![e]));
    let many = |v: Vec<Emit>| Some(Ok(v));
    use Arg::{Expr as E, Mem as M, Reg as R};
    match (name, a.as_slice()) {
        ("nop", []) => one(r(Op::Sll, 0, 0, 0)),
        ("li", [R(d), E(e)]) => Some(x.load(*d, e, 1)),
        ("la", [R(d), E(e)]) => Some(x.load(*d, e, 1)),
        ("la", [R(d), M(None, base)]) => one(imm(Op::Addiu, *d, *base, 0)),
        ("la", [R(d), M(Some(e), base)]) => {
            Some(x.reg_or_imm(Op::Addu, Some((Op::Addiu, true)), *d, *base, e, 1))
        }
        ("move", [R(d), R(s)]) => one(r(Op::Addu, *d, 0, *s)),
        ("neg", [R(d), R(s)]) => one(r(Op::Sub, *d, 0, *s)),
        ("negu", [R(d), R(s)]) => one(r(Op::Subu, *d, 0, *s)),
        ("not", [R(d), R(s)]) => one(r(Op::Nor, *d, *s, 0)),
        ("abs", [R(d), R(s)]) => {
            many(vec![shift(Op::Sra, AT, *s, 31), r(Op::Xor, *d, AT, *s), r(Op::Subu, *d, *d, AT)])
        }
        // Branches.
        ("b", [E(t)]) => one(branch(Op::Beq, 0, 0, t)),
        ("bal", [E(t)]) => one(branch(Op::Bgezal, 0, 0, t)),
        ("beqz", [R(s), E(t)]) => one(branch(Op::Beq, *s, 0, t)),
        ("bnez", [R(s), E(t)]) => one(branch(Op::Bne, *s, 0, t)),
        ("beq" | "bne", [R(s), E(v), E(t)]) => {
            let op = if name == "beq" { Op::Beq } else { Op::Bne };
            Some(x.load(AT, v, 1).map(|mut out| {
                out.push(branch(op, *s, AT, t));
                out
            }))
        }
        ("blt" | "bltu" | "bge" | "bgeu" | "bgt" | "bgtu" | "ble" | "bleu", [R(s), rhs, E(t)]) => {
            Some(x.compare_branch(name, *s, rhs, t))
        }
        ("j", [R(s)]) => one(r(Op::Jr, 0, *s, 0)),
        ("jal", [R(s)]) => one(r(Op::Jalr, 31, *s, 0)),
        // Multiply and divide.
        ("mulu", [R(d), R(s), rhs]) => Some(hilo(&x, Op::Multu, Op::Mflo, *d, *s, rhs, false)),
        ("div" | "divu" | "rem" | "remu", [R(0), R(s), R(t)]) if name.starts_with("div") => {
            one(r(if name == "div" { Op::Div } else { Op::Divu }, 0, *s, *t))
        }
        ("div" | "divu" | "rem" | "remu", [R(d), R(s), rhs]) => {
            let op = if name.ends_with('u') { Op::Divu } else { Op::Div };
            let take = if name.starts_with("div") { Op::Mflo } else { Op::Mfhi };
            Some(hilo(&x, op, take, *d, *s, rhs, true))
        }
        ("mulo" | "mulou", [R(d), R(s), R(t)]) => many(if name == "mulou" {
            vec![
                r(Op::Multu, 0, *s, *t),
                r(Op::Mfhi, AT, 0, 0),
                skip(Op::Beq, AT, 0, 1),
                r(Op::Break, 0, 0, 0),
                r(Op::Mflo, *d, 0, 0),
            ]
        } else {
            vec![
                r(Op::Mult, 0, *s, *t),
                r(Op::Mfhi, AT, 0, 0),
                r(Op::Mflo, *d, 0, 0),
                shift(Op::Sra, *d, *d, 31),
                skip(Op::Beq, AT, *d, 1),
                r(Op::Break, 0, 0, 0),
                r(Op::Mflo, *d, 0, 0),
            ]
        }),
        // Set on condition.
        ("seq" | "sne" | "sge" | "sgeu" | "sgt" | "sgtu" | "sle" | "sleu", [R(d), R(s), rhs]) => match rhs {
            R(t) => many(x.set(name, *d, *s, *t)),
            E(e) => Some(x.load(AT, e, 2).map(|mut out| {
                out.extend(x.set(name, *d, *s, AT));
                out
            })),
            _ => None,
        },
        // Rotates (MARS expands these even though MIPS32r2 has rotr).
        ("rol" | "ror", [R(d), R(t), rhs]) => {
            let (first, second) = if name == "rol" { (Op::Srlv, Op::Sllv) } else { (Op::Sllv, Op::Srlv) };
            match rhs {
                R(s) => many(vec![
                    r(Op::Subu, AT, 0, *s),
                    r(first, AT, AT, *t),
                    r(second, *d, *s, *t),
                    r(Op::Or, *d, *d, AT),
                ]),
                E(e) => {
                    let sa = match x.consts.value_now(e) {
                        Some(v) if (0..32).contains(&v) => v,
                        _ => {
                            return Some(Err(Mismatch {
                                message: "expected a rotate amount 0..=31".into(),
                                arg: Some(2),
                            }))
                        }
                    };
                    let (f, s) = if name == "rol" { (Op::Srl, Op::Sll) } else { (Op::Sll, Op::Srl) };
                    many(vec![shift(f, AT, *t, (32 - sa) & 31), shift(s, *d, *t, sa), r(Op::Or, *d, *d, AT)])
                }
                _ => None,
            }
        }
        // Shifts by a register written with the immediate mnemonic.
        ("sll" | "srl" | "sra" | "rotr", [R(d), R(t), R(s)]) => {
            let op = match name {
                "sll" => Op::Sllv,
                "srl" => Op::Srlv,
                "sra" => Op::Srav,
                _ => Op::Rotrv,
            };
            one(r(op, *d, *s, *t))
        }
        // MARS's two-operand logical forms: `andi $t0, 0xff` is
        // `andi $t0, $t0, 0xff` (any 32-bit value); `and $t0, 0xff` too, but
        // MARS takes only a 16-bit unsigned value there.
        ("andi" | "ori" | "xori", [R(t), E(e)]) => {
            let (reg_op, imm_op) = logical(name);
            Some(x.reg_or_imm(reg_op, Some((imm_op, false)), *t, *t, e, 1))
        }
        ("and" | "or" | "xor", [R(t), E(e)]) => {
            let (_, imm_op) = logical(name);
            match x.consts.value_now(e) {
                Some(v) if fits_u16(v) => one(imm(imm_op, *t, *t, v)),
                _ => Some(Err(Mismatch {
                    message: format!(
                        "`{name} rt, imm` takes a 16-bit unsigned constant (as in MARS); \
                         for a larger one write `{name}i rt, imm`"
                    ),
                    arg: Some(1),
                })),
            }
        }
        // MARS's `mfc1.d $t0, $f2`: two moves, of the pair into `$t0`, `$t1`.
        ("mfc1.d" | "mtc1.d", [R(t), Arg::FReg(f)]) => {
            if f % 2 == 1 {
                return Some(Err(Mismatch {
                    message: format!("`$f{f}` is odd: a double names the even register of its pair"),
                    arg: Some(1),
                }));
            }
            if *t == 31 {
                return Some(Err(Mismatch {
                    message: "needs a register pair: `$31` has no next".into(),
                    arg: Some(0),
                }));
            }
            let op = if name == "mfc1.d" { Op::Mfc1 } else { Op::Mtc1 };
            let mv = |t: u8, f: u8| Emit { inst: Inst { rt: t, rd: f, ..Inst::new(op) }, fix: None };
            many(vec![mv(*t, *f), mv(*t + 1, *f + 1)])
        }
        // Unaligned loads and stores.
        ("ulw" | "usw" | "ulh" | "ulhu" | "ush", [R(t), addr]) => Some(unaligned(&x, name, *t, addr)),
        _ => {
            if let Some(&(_, reg_op, imm_op)) = IMMEDIATE_FORMS.iter().find(|f| f.0 == name) {
                return match a.as_slice() {
                    [R(d), R(s), E(e)] => Some(x.reg_or_imm(reg_op, imm_op, *d, *s, e, 2)),
                    _ => None,
                };
            }
            memory_form(&x, name, &a)
        }
    }
}

/// The register and immediate ops of `and`/`or`/`xor` (and their `i` forms).
fn logical(name: &str) -> (Op, Op) {
    match name.trim_end_matches('i') {
        "and" => (Op::And, Op::Andi),
        "or" => (Op::Or, Op::Ori),
        _ => (Op::Xor, Op::Xori),
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

/// A load/store (or `pref`) whose address is not `offset16(base)`.
/// MARS's FP load/store mnemonics are the CP1 loads and stores, with every
/// addressing mode.
fn memory_form(x: &Expander, name: &str, a: &[&Arg]) -> Option<Result<Vec<Emit>, Mismatch>> {
    let machine = match name {
        "l.s" => "lwc1",
        "s.s" => "swc1",
        "l.d" => "ldc1",
        "s.d" => "sdc1",
        other => other,
    };
    let op = crate::isa::OPS.iter().find(|d| d.mnemonic == machine)?;
    if !op.flags.contains(Flags::LOAD) && !op.flags.contains(Flags::STORE) {
        return None;
    }
    let fp = op.flags.contains(Flags::FPU);
    let double = op.operands.first().is_some_and(|o| o.is_double());
    let t = match a.first() {
        Some(Arg::Reg(t)) if !fp => *t,
        Some(Arg::FReg(t)) if fp && double && t % 2 == 1 => {
            return Some(Err(Mismatch {
                message: format!("`$f{t}` is odd: a double names the even register of its pair"),
                arg: Some(0),
            }))
        }
        Some(Arg::FReg(t)) if fp => *t,
        _ => return None,
    };
    match a.get(1..) {
        Some([Arg::Expr(e)]) => Some(x.memory(op.op, t, e, 0, 1)),
        Some([Arg::Mem(Some(e), base)]) => Some(x.memory(op.op, t, e, *base, 1)),
        Some([Arg::Mem(None, base)]) if machine != name => Some(x.memory(op.op, t, &Expr::Num(0), *base, 1)),
        _ => None,
    }
}

fn unaligned(x: &Expander, name: &str, t: u8, addr: &Arg) -> Result<Vec<Emit>, Mismatch> {
    // Resolve the address to (base, constant offset), going through $at for labels.
    let mut out = Vec::new();
    let (base, off) = match addr {
        Arg::Mem(None, b) => (*b, 0),
        Arg::Mem(Some(e), b) => match x.consts.value_now(e) {
            Some(v) if fits_i16(v) && fits_i16(v + 3) => (*b, v),
            _ => {
                out.extend(x.load(AT, e, 1)?);
                out.push(r(Op::Addu, AT, AT, *b));
                (AT, 0)
            }
        },
        Arg::Expr(e) => {
            out.extend(x.load(AT, e, 1)?);
            (AT, 0)
        }
        Arg::Reg(_) | Arg::FReg(_) | Arg::Fcc(_) => {
            return Err(Mismatch { message: "expected an address".into(), arg: Some(1) })
        }
    };
    if name == "ush" && base == AT {
        return Err(Mismatch { message: "`ush` needs an `offset(base)` address".into(), arg: Some(1) });
    }
    out.extend(match name {
        "ulw" => vec![imm(Op::Lwl, t, base, off + 3), imm(Op::Lwr, t, base, off)],
        "usw" => vec![imm(Op::Swl, t, base, off + 3), imm(Op::Swr, t, base, off)],
        "ush" => vec![imm(Op::Sb, t, base, off), shift(Op::Srl, AT, t, 8), imm(Op::Sb, AT, base, off + 1)],
        _ => {
            let high = if name == "ulh" { Op::Lb } else { Op::Lbu };
            vec![
                imm(high, t, base, off + 1),
                imm(Op::Lbu, AT, base, off),
                shift(Op::Sll, t, t, 8),
                r(Op::Or, t, t, AT),
            ]
        }
    });
    Ok(out)
}
