//! The pseudo-instructions and the extra operand forms of machine
//! mnemonics, written down once.
//!
//! [`for_each_pseudo!`] hands a macro one row per [`Pseudo`] variant:
//!
//! ```text
//! /// doc
//! Variant(Payload) { "mnemonic" => (payload), … } [Shape, …] | [Shape, …] => "syntax" | "syntax";
//! ```
//!
//! * the mnemonics (lower case) that expand this way, each with the
//!   payload that tells the expansion what differs between them (the
//!   machine op it ends in, the comparison…); rows without a payload type
//!   have one mnemonic and no payload.
//! * the operand shapes (see [`Shape`]) the row accepts, one list per form,
//!   tried in order: the first row and form that fits the operands wins.
//! * the syntax users are shown (without the mnemonic), one or more
//!   alternatives, as users think of the forms rather than one per shape
//!   list (`l.s` takes a label and `(base)` but shows `ft, address`):
//!   "wrong operands: expected `blt rs, rt|imm, label`" quotes it.
//!
//! From it come the [`Pseudo`] enum, [`ROWS`] (the lookup by mnemonic, the
//! syntax in errors and the names offered as hints all read it) and, by an
//! exhaustive match on the enum, the expansion: a row added here fails to
//! compile until `expand` handles its variant.
//!
//! The pure pseudo-instructions come first, in the order hints list them;
//! the machine mnemonics' extra forms follow.

use crate::isa::Op;

/// One operand position of a form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// A general-purpose register.
    Reg,
    /// An expression: an immediate or a label.
    Expr,
    /// A memory operand, `(base)` or `offset(base)`.
    Mem,
    /// A memory operand with an offset, `offset(base)` (the machine form
    /// takes `(base)` itself).
    Off,
    /// An FP register.
    FReg,
    /// An FP register naming a double: an odd one is an error right away,
    /// whatever follows, since no form of these mnemonics takes it.
    Even,
    /// A register or an expression (anything else fits no form).
    RegImm,
    /// Any operand; the expansion wants a register or an immediate and
    /// says so ("expected a register or immediate") when it gets neither.
    Rhs,
    /// Any operand; the expansion wants an address and says so.
    Addr,
}

/// An `slt`-based compare-and-branch: the relation for which it branches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Relation {
    /// `rs < rt`.
    Lt,
    /// `rs > rt`.
    Gt,
    /// `rs <= rt`.
    Le,
    /// `rs >= rt`.
    Ge,
}

/// A set-on-condition's condition; the order relations carry the `slt`
/// flavour (signed or unsigned) they compare with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SetCond {
    /// `rs == rt`.
    Eq,
    /// `rs != rt`.
    Ne,
    /// `rs >= rt`.
    Ge(Op),
    /// `rs > rt`.
    Gt(Op),
    /// `rs <= rt`.
    Le(Op),
}

/// Which way a rotate turns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Turn {
    /// `rol`.
    Left,
    /// `ror`.
    Right,
}

/// An unaligned load or store: the pair of partial-word ops for words, the
/// high byte's load for halves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unaligned {
    /// `lwl`/`lwr` or `swl`/`swr`.
    Word(Op, Op),
    /// `lb` (signed) or `lbu` for the high byte of a half.
    Half(Op),
}

/// The immediate twin of an R-type op: the op and whether its 16-bit
/// immediate is signed (`None`: no twin, a constant goes through `$at`).
pub type ImmediateTwin = Option<(Op, bool)>;

/// Invokes `$m!` with the full pseudo-instruction table. See the module docs.
macro_rules! for_each_pseudo {
    ($m:ident) => {
        $m! {
            /// `li rt, imm32`: the shortest load of a constant.
            Li { "li" } [Reg, Expr] => "rt, imm32";
            /// `la rt, label` and `la rt, offset(base)`.
            La { "la" } [Reg, Expr] | [Reg, Mem] => "rt, label" | "rt, offset(base)";
            /// `rd = $0 op rs` (`move`, `neg`, `negu`).
            FromZero(Op) { "move" => (Op::Addu), "neg" => (Op::Sub), "negu" => (Op::Subu) } [Reg, Reg] => "rd, rs";
            /// `not rd, rs`: `nor rd, rs, $0`.
            Not { "not" } [Reg, Reg] => "rd, rs";
            /// `abs rd, rs`, through `$at`.
            Abs { "abs" } [Reg, Reg] => "rd, rs";
            /// `nop`: `sll $0, $0, 0`.
            Nop { "nop" } [] => "";
            /// An unconditional branch written as a compare of `$0` (`b`, `bal`).
            BranchAlways(Op) { "b" => (Op::Beq), "bal" => (Op::Bgezal) } [Expr] => "label";
            /// A compare with `$0` (`beqz`, `bnez`).
            BranchZero(Op) { "beqz" => (Op::Beq), "bnez" => (Op::Bne) } [Reg, Expr] => "rs, label";
            /// `slt`-based compare-and-branch; the payload's flag: unsigned.
            CompareBranch(Relation, bool) {
                "blt" => (Relation::Lt, false), "bltu" => (Relation::Lt, true),
                "bgt" => (Relation::Gt, false), "bgtu" => (Relation::Gt, true),
                "ble" => (Relation::Le, false), "bleu" => (Relation::Le, true),
                "bge" => (Relation::Ge, false), "bgeu" => (Relation::Ge, true)
            } [Reg, Rhs, Expr] => "rs, rt|imm, label";
            /// `mulu rd, rs, rt|imm`: `multu` then `mflo`.
            Mulu { "mulu" } [Reg, Reg, Rhs] => "rd, rs, rt|imm";
            /// `mulo`: `mult`, trapping (`break`) when the product overflows.
            Mulo { "mulo" } [Reg, Reg, Reg] => "rd, rs, rt";
            /// `mulou`: `multu`, trapping when HI is not zero.
            Mulou { "mulou" } [Reg, Reg, Reg] => "rd, rs, rt";
            /// The remainder of a division (`rem`, `remu`), zero check included.
            Rem(Op) { "rem" => (Op::Div), "remu" => (Op::Divu) } [Reg, Reg, Rhs] => "rd, rs, rt|imm";
            /// Set on condition.
            Set(SetCond) {
                "seq" => (SetCond::Eq), "sne" => (SetCond::Ne),
                "sge" => (SetCond::Ge(Op::Slt)), "sgeu" => (SetCond::Ge(Op::Sltu)),
                "sgt" => (SetCond::Gt(Op::Slt)), "sgtu" => (SetCond::Gt(Op::Sltu)),
                "sle" => (SetCond::Le(Op::Slt)), "sleu" => (SetCond::Le(Op::Sltu))
            } [Reg, Reg, RegImm] => "rd, rs, rt|imm";
            /// Rotates (MARS expands these even though MIPS32r2 has `rotr`).
            Rotate(Turn) { "rol" => (Turn::Left), "ror" => (Turn::Right) } [Reg, Reg, RegImm] => "rd, rt, rs|imm";
            /// Unaligned loads and stores at any address.
            Unaligned(Unaligned) {
                "ulw" => (Unaligned::Word(Op::Lwl, Op::Lwr)), "usw" => (Unaligned::Word(Op::Swl, Op::Swr)),
                "ulh" => (Unaligned::Half(Op::Lb)), "ulhu" => (Unaligned::Half(Op::Lbu))
            } [Reg, Addr] => "rt, address";
            /// `ush`: two `sb`, so its address must leave `$at` free.
            Ush { "ush" } [Reg, Addr] => "rt, offset(base)";
            /// Subtract an immediate: the constant always goes through `$at`.
            SubImmediate(Op) { "subi" => (Op::Sub), "subiu" => (Op::Subu) } [Reg, Reg, Expr] => "rd, rs, imm";
            /// MARS's `mfc1.d $t0, $f2`: two moves, of the pair into `$t0`, `$t1`.
            MoveDouble(Op) { "mfc1.d" => (Op::Mfc1), "mtc1.d" => (Op::Mtc1) } [Reg, FReg] => "rt, fs (even)";
            /// MARS's single-precision loads and stores (the CP1 ones), with
            /// every addressing mode.
            FpSingle(Op) { "l.s" => (Op::Lwc1), "s.s" => (Op::Swc1) } [FReg, Expr] | [FReg, Mem] => "ft, address";
            /// MARS's double-precision loads and stores.
            FpDouble(Op) { "l.d" => (Op::Ldc1), "s.d" => (Op::Sdc1) } [Even, Expr] | [Even, Mem] => "ft (even), address";

            // ---- extra forms of machine mnemonics ----
            /// `beq`/`bne` with an immediate: the constant goes through `$at`.
            BranchImmediate(Op) { "beq" => (Op::Beq), "bne" => (Op::Bne) } [Reg, Expr, Expr] => "rs, imm, label";
            /// `j rs`: `jr rs`.
            JumpReg { "j" } [Reg] => "rs";
            /// `jal rs`: `jalr $ra, rs`.
            JalReg { "jal" } [Reg] => "rs";
            /// Three-operand `div`/`divu`: the quotient, zero check included
            /// (`div $0, rs, rt` is the machine instruction).
            Div(Op) { "div" => (Op::Div), "divu" => (Op::Divu) } [Reg, Reg, Rhs] => "rd, rs, rt|imm";
            /// Shifts by a register written with the immediate mnemonic.
            ShiftReg(Op) { "sll" => (Op::Sllv), "srl" => (Op::Srlv), "sra" => (Op::Srav), "rotr" => (Op::Rotrv) }
                [Reg, Reg, Reg] => "rd, rt, rs";
            /// MARS's two-operand immediate logic: `andi $t0, 0xff` is
            /// `andi $t0, $t0, 0xff`, any 32-bit value (payload: register
            /// op, immediate op).
            LogicalImmediate(Op, Op) {
                "andi" => (Op::And, Op::Andi), "ori" => (Op::Or, Op::Ori), "xori" => (Op::Xor, Op::Xori)
            } [Reg, Expr] => "rt, imm32";
            /// `and $t0, 0xff` too, but MARS takes only a 16-bit unsigned
            /// value there (payload: the register op, its immediate twin).
            LogicalShort(Op, Op) {
                "and" => (Op::And, Op::Andi), "or" => (Op::Or, Op::Ori), "xor" => (Op::Xor, Op::Xori)
            } [Reg, Expr] => "rt, uimm16";
            /// `op rd, rs, imm` on R-type mnemonics (and their `i` forms):
            /// the immediate twin when the constant fits, else through `$at`.
            Immediate(Op, ImmediateTwin) {
                "add" => (Op::Add, Some((Op::Addi, true))), "addi" => (Op::Add, Some((Op::Addi, true))),
                "addu" => (Op::Addu, Some((Op::Addiu, true))), "addiu" => (Op::Addu, Some((Op::Addiu, true))),
                "and" => (Op::And, Some((Op::Andi, false))), "andi" => (Op::And, Some((Op::Andi, false))),
                "or" => (Op::Or, Some((Op::Ori, false))), "ori" => (Op::Or, Some((Op::Ori, false))),
                "xor" => (Op::Xor, Some((Op::Xori, false))), "xori" => (Op::Xor, Some((Op::Xori, false))),
                "slt" => (Op::Slt, Some((Op::Slti, true))), "slti" => (Op::Slt, Some((Op::Slti, true))),
                "sltu" => (Op::Sltu, Some((Op::Sltiu, true))), "sltiu" => (Op::Sltu, Some((Op::Sltiu, true))),
                "sub" => (Op::Sub, None), "subu" => (Op::Subu, None), "nor" => (Op::Nor, None),
                "mul" => (Op::Mul, None), "movn" => (Op::Movn, None), "movz" => (Op::Movz, None)
            } [Reg, Reg, Expr] => "rd, rs, imm";
            /// Integer loads and stores at a label, an absolute address or a
            /// large offset (every load and store of the ISA table; a unit
            /// test checks the list against its flags).
            Memory(Op) {
                "lb" => (Op::Lb), "lh" => (Op::Lh), "lwl" => (Op::Lwl), "lw" => (Op::Lw), "lbu" => (Op::Lbu),
                "lhu" => (Op::Lhu), "lwr" => (Op::Lwr), "sb" => (Op::Sb), "sh" => (Op::Sh), "swl" => (Op::Swl),
                "sw" => (Op::Sw), "swr" => (Op::Swr), "ll" => (Op::Ll), "sc" => (Op::Sc)
            } [Reg, Expr] | [Reg, Off] => "rt, address";
            /// The CP1 single loads and stores at any address.
            MemorySingle(Op) { "lwc1" => (Op::Lwc1), "swc1" => (Op::Swc1) } [FReg, Expr] | [FReg, Off] => "ft, address";
            /// The CP1 double loads and stores at any address.
            MemoryDouble(Op) { "ldc1" => (Op::Ldc1), "sdc1" => (Op::Sdc1) } [Even, Expr] | [Even, Off]
                => "ft (even), address";
        }
    };
}

/// Generates [`Pseudo`] and [`ROWS`] from the table.
macro_rules! define_pseudos {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $(($($payload_ty:ty),+))? { $($mnemonic:literal $(=> ($($payload:expr),+))?),+ }
        $([$($shape:ident),*])|+ => $($syntax:literal)|+;
    )*) => {
        /// One row of the table: how a family of mnemonics expands, with what
        /// differs between its mnemonics as payload.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum Pseudo {
            $($(#[doc = $doc])* $variant $(($($payload_ty),+))?,)*
        }

        /// Every row of the table, in table order.
        pub static ROWS: &[Row] = &[$(
            Row {
                mnemonics: &[$(($mnemonic, Pseudo::$variant $(($($payload),+))?)),+],
                forms: &[$(&[$(Shape::$shape),*]),+],
                syntax: &[$($syntax),+],
            },
        )*];
    };
}

/// A row of the table (see the module docs).
#[derive(Debug)]
pub struct Row {
    /// Each mnemonic of the row with the variant, payload included, it expands as.
    pub mnemonics: &'static [(&'static str, Pseudo)],
    /// The operand shapes accepted, one list per form, tried in order.
    pub forms: &'static [&'static [Shape]],
    /// The syntax alternatives users are shown, without the mnemonic.
    pub syntax: &'static [&'static str],
}

for_each_pseudo!(define_pseudos);
