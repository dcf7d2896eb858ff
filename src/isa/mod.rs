//! The MIPS32 ISA: one table ([`for_each_op!`](crate::for_each_op)) and the
//! views generated from it — [`Op`], [`OPS`], [`encode`], [`decode`] and
//! [`disassemble`].
//!
//! The bottom layer of the crate: it depends on nothing else in it.

mod codec;
mod disasm;
pub mod reg;
mod roles;
#[macro_use]
mod table;

pub use codec::{decode, encode};
pub use disasm::{disassemble, disassemble_with as disasm_with};
pub use roles::{RegField, RegSet};

/// Instruction properties the engines and the assembler care about.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Flags(u16);

impl Flags {
    /// No special behaviour: a register-to-register operation.
    pub const NONE: Flags = Flags(0);
    /// Conditional PC-relative branch.
    pub const BRANCH: Flags = Flags(1 << 0);
    /// Unconditional jump (region or register).
    pub const JUMP: Flags = Flags(1 << 1);
    /// Target comes from a register.
    pub const INDIRECT: Flags = Flags(1 << 2);
    /// Writes the return address (`$ra` or `rd`).
    pub const LINK: Flags = Flags(1 << 3);
    /// Reads guest memory.
    pub const LOAD: Flags = Flags(1 << 4);
    /// Writes guest memory.
    pub const STORE: Flags = Flags(1 << 5);
    /// Can raise a guest exception (overflow, trap, break).
    pub const MAY_TRAP: Flags = Flags(1 << 6);
    /// A branch-likely: with delay slots on, its slot is annulled (not run)
    /// when the branch is not taken.
    pub const LIKELY: Flags = Flags(1 << 7);
    /// Leaves the guest for the hypervisor (`syscall`, `break`).
    pub const SYSTEM: Flags = Flags(1 << 9);
    /// A para-instruction: a call into the hypervisor.
    pub const PARA: Flags = Flags(1 << 10);
    /// Uses the floating-point coprocessor (CP1): its registers or FCSR.
    pub const FPU: Flags = Flags(1 << 11);

    /// Both sets of flags.
    pub const fn union(self, other: Flags) -> Flags {
        Flags(self.0 | other.0)
    }

    /// True when every flag of `other` is set.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// True for a branch or jump: the instruction after it is its delay slot
    /// when delay slots are on.
    pub const fn transfers(self) -> bool {
        self.0 & (Self::BRANCH.0 | Self::JUMP.0) != 0
    }

    /// True when the instruction ends a basic block: it may change the pc
    /// other than to the next word, or hand control to the hypervisor.
    pub const fn ends_block(self) -> bool {
        self.0 & (Self::BRANCH.0 | Self::JUMP.0 | Self::SYSTEM.0 | Self::PARA.0) != 0
    }
}

/// What an operand means in assembly syntax, and which bits it occupies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Operand {
    /// General register in bits 11..16.
    Rd,
    /// General register in bits 21..26.
    Rs,
    /// General register in bits 16..21.
    Rt,
    /// `clz`/`clo` destination: written to both `rd` and `rt`, as MIPS32 requires.
    RdAlsoRt,
    /// Shift amount 0..=31 in bits 6..11.
    Sa,
    /// Signed 16-bit immediate.
    SImm16,
    /// Unsigned 16-bit immediate.
    UImm16,
    /// `offset(base)`: signed 16-bit offset, base register in `rs`.
    Mem,
    /// PC-relative branch target: signed word offset from the next instruction.
    Branch,
    /// 26-bit region jump target (word index within the 256 MiB region).
    Jump,
    /// `syscall` code in bits 6..26 (optional in assembly).
    Code20,
    /// `break` code(s) in bits 6..26: `break hi[,lo]` (optional in assembly).
    BreakCode,
    /// Conditional trap code in bits 6..16 (optional in assembly).
    TrapCode,
    /// `sync` type in bits 6..11 (optional in assembly).
    SyncType,
    /// `pref` hint in the `rt` field.
    Hint,
    /// `ext`/`ins` least significant bit position, in the `sa` field.
    BitPos,
    /// `ext` field size; stored as size-1 in the `rd` field.
    ExtSize,
    /// `ins` field size; stored as pos+size-1 in the `rd` field.
    InsSize,
    /// Index of a para-instruction's operand in the program's side table.
    ParaArg,
    /// Single-precision (or word) FP register `fd`, bits 6..11, kept in `sa`.
    Fd,
    /// FP register `fs`, bits 11..16, kept in `rd`.
    Fs,
    /// FP register `ft`, bits 16..21, kept in `rt`.
    Ft,
    /// FP register `fr` of the multiply-add forms, bits 21..26, kept in `rs`.
    Fr,
    /// Double `fd`: an even register naming an even/odd pair (FR=0).
    Dd,
    /// Double `fs` (even), kept in `rd`.
    Ds,
    /// Double `ft` (even), kept in `rt`.
    Dt,
    /// Double `fr` (even), kept in `rs`.
    Dr,
    /// FP control register number (`cfc1`/`ctc1`: 0, 25, 26, 28 or 31), kept in `rd`.
    FpCtl,
    /// FP condition code 0..=7 in bits 18..21 (`bc1t`, `movf`), kept in `rt`;
    /// optional in assembly (0).
    CcHigh,
    /// FP condition code 0..=7 in bits 8..11 (`c.cond`), kept in `sa`;
    /// optional in assembly (0).
    CcLow,
}

impl Operand {
    /// The instruction bits this operand occupies.
    pub const fn field_mask(self) -> u32 {
        use Operand::*;
        match self {
            Rd | ExtSize | InsSize => 0x1f << 11,
            Rs => 0x1f << 21,
            Rt | Hint => 0x1f << 16,
            RdAlsoRt => (0x1f << 11) | (0x1f << 16),
            Sa | SyncType | BitPos => 0x1f << 6,
            SImm16 | UImm16 | Branch | ParaArg => 0xffff,
            Mem => 0xffff | (0x1f << 21),
            Jump => 0x03ff_ffff,
            Code20 | BreakCode => 0x000f_ffff << 6,
            TrapCode => 0x3ff << 6,
            Fd | Dd => 0x1f << 6,
            Fs | Ds | FpCtl => 0x1f << 11,
            Ft | Dt => 0x1f << 16,
            Fr | Dr => 0x1f << 21,
            CcHigh => 0x7 << 18,
            CcLow => 0x7 << 8,
        }
    }

    /// True for the operands naming a double: an even FP register.
    pub const fn is_double(self) -> bool {
        matches!(self, Operand::Dd | Operand::Ds | Operand::Dt | Operand::Dr)
    }

    /// True for the operands naming an FP register (single or double).
    pub const fn is_fpr(self) -> bool {
        matches!(
            self,
            Operand::Fd
                | Operand::Fs
                | Operand::Ft
                | Operand::Fr
                | Operand::Dd
                | Operand::Ds
                | Operand::Dt
                | Operand::Dr
        )
    }

    /// True when the operand may be left out in assembly (it then encodes as 0).
    pub const fn optional(self) -> bool {
        matches!(
            self,
            Operand::Code20
                | Operand::BreakCode
                | Operand::TrapCode
                | Operand::SyncType
                | Operand::CcHigh
                | Operand::CcLow
        )
    }
}

/// One row of the instruction table.
#[derive(Debug)]
pub struct OpDef {
    /// The operation.
    pub op: Op,
    /// Assembly mnemonic (lower case, except the upper-case para-instructions).
    pub mnemonic: &'static str,
    /// Fixed bits of the encoding.
    pub base: u32,
    /// Operands in assembly order.
    pub operands: &'static [Operand],
    /// Behaviour flags.
    pub flags: Flags,
    /// Registers written (see [`RegField`]).
    pub writes: &'static [RegField],
    /// Registers whose values the effect depends on.
    pub reads: &'static [RegField],
}

impl OpDef {
    /// Bits that operands may change; every other bit must equal `base`.
    pub fn free_mask(&self) -> u32 {
        self.operands.iter().fold(0, |m, o| m | o.field_mask())
    }
}

/// Encoding helpers used by the table: fixed bits for each instruction class.
mod enc {
    pub const fn primary(op: u32) -> u32 {
        op << 26
    }
    pub const fn special(funct: u32) -> u32 {
        funct
    }
    pub const fn regimm(rt: u32) -> u32 {
        primary(0x01) | rt << 16
    }
    pub const fn special2(funct: u32) -> u32 {
        primary(0x1c) | funct
    }
    pub const fn special3(funct: u32) -> u32 {
        primary(0x1f) | funct
    }
    pub const fn bshfl(sa: u32) -> u32 {
        special3(0x20) | sa << 6
    }
    pub const fn rs(v: u32) -> u32 {
        v << 21
    }
    pub const fn sa(v: u32) -> u32 {
        v << 6
    }
    pub const fn rt(v: u32) -> u32 {
        v << 16
    }
    /// `fmt` field values of CP1 arithmetic.
    pub const FMT_S: u32 = 0x10;
    pub const FMT_D: u32 = 0x11;
    pub const FMT_W: u32 = 0x14;
    /// CP1 (opcode 0x11) with its `rs` sub-opcode: moves and branches.
    pub const fn cop1_rs(sub: u32) -> u32 {
        primary(0x11) | sub << 21
    }
    /// CP1 arithmetic of format `fmt` and function `funct`.
    pub const fn cop1(fmt: u32, funct: u32) -> u32 {
        cop1_rs(fmt) | funct
    }
    /// `bc1f/bc1t` (`tf`) and their likely forms (`nd`).
    pub const fn bc1(nd: u32, tf: u32) -> u32 {
        cop1_rs(0x08) | nd << 17 | tf << 16
    }
    /// COP1X (opcode 0x13): the multiply-add forms.
    pub const fn cop1x(funct: u32) -> u32 {
        primary(0x13) | funct
    }
    /// Para-instructions: the reserved primary opcode 0x3b with the kind in bits 16..26.
    pub const fn para(kind: u32) -> u32 {
        primary(0x3b) | kind << 16
    }
}

macro_rules! define_ops {
    ($($name:ident $mnemonic:literal $enc:expr, [$($operand:ident),*], $flags:expr,
       w[$($w:ident),*] r[$($r:ident),*];)*) => {
        /// Every operation of the table, plus [`Op::Invalid`] for words that
        /// decode to nothing.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Op {
            $(
                #[doc = concat!("`", $mnemonic, "`")]
                $name,
            )*
            /// A word that is not an instruction of the table.
            Invalid,
        }

        /// The instruction table, indexed by `Op as usize`.
        pub static OPS: &[OpDef] = {
            #[allow(unused_imports)]
            use {enc::*, Flags as F};
            #[allow(dead_code)]
            const NONE: Flags = F::NONE;
            #[allow(dead_code)] const BRANCH: Flags = F::BRANCH;
            #[allow(dead_code)] const JUMP: Flags = F::JUMP;
            #[allow(dead_code)] const INDIRECT: Flags = F::INDIRECT;
            #[allow(dead_code)] const LINK: Flags = F::LINK;
            #[allow(dead_code)] const LOAD: Flags = F::LOAD;
            #[allow(dead_code)] const STORE: Flags = F::STORE;
            #[allow(dead_code)] const MAY_TRAP: Flags = F::MAY_TRAP;
            #[allow(dead_code)] const SYSTEM: Flags = F::SYSTEM;
            #[allow(dead_code)] const LIKELY: Flags = F::LIKELY;
            #[allow(dead_code)] const PARA: Flags = F::PARA;
            #[allow(dead_code)] const FPU: Flags = F::FPU;
            &[$(OpDef {
                op: Op::$name,
                mnemonic: $mnemonic,
                base: $enc,
                operands: &[$(Operand::$operand),*],
                flags: $flags,
                writes: &[$(RegField::$w),*],
                reads: &[$(RegField::$r),*],
            },)*]
        };
    };
}

for_each_op!(define_ops);

/// Every FPU row of the table as one pattern (`Flags::FPU`): the engines'
/// instruction matches hand these to their FPU code through it, so the list
/// is written once; a unit test checks it against the table's flags.
#[macro_export]
macro_rules! fpu_ops {
    () => {
        $crate::isa::Op::Mfc1
            | $crate::isa::Op::Cfc1
            | $crate::isa::Op::Mfhc1
            | $crate::isa::Op::Mtc1
            | $crate::isa::Op::Ctc1
            | $crate::isa::Op::Mthc1
            | $crate::isa::Op::Bc1f
            | $crate::isa::Op::Bc1t
            | $crate::isa::Op::Bc1fl
            | $crate::isa::Op::Bc1tl
            | $crate::isa::Op::AddS
            | $crate::isa::Op::SubS
            | $crate::isa::Op::MulS
            | $crate::isa::Op::DivS
            | $crate::isa::Op::SqrtS
            | $crate::isa::Op::AbsS
            | $crate::isa::Op::MovS
            | $crate::isa::Op::NegS
            | $crate::isa::Op::RoundWS
            | $crate::isa::Op::TruncWS
            | $crate::isa::Op::CeilWS
            | $crate::isa::Op::FloorWS
            | $crate::isa::Op::MovfS
            | $crate::isa::Op::MovtS
            | $crate::isa::Op::MovzS
            | $crate::isa::Op::MovnS
            | $crate::isa::Op::AddD
            | $crate::isa::Op::SubD
            | $crate::isa::Op::MulD
            | $crate::isa::Op::DivD
            | $crate::isa::Op::SqrtD
            | $crate::isa::Op::AbsD
            | $crate::isa::Op::MovD
            | $crate::isa::Op::NegD
            | $crate::isa::Op::RoundWD
            | $crate::isa::Op::TruncWD
            | $crate::isa::Op::CeilWD
            | $crate::isa::Op::FloorWD
            | $crate::isa::Op::MovfD
            | $crate::isa::Op::MovtD
            | $crate::isa::Op::MovzD
            | $crate::isa::Op::MovnD
            | $crate::isa::Op::CvtSD
            | $crate::isa::Op::CvtSW
            | $crate::isa::Op::CvtDS
            | $crate::isa::Op::CvtDW
            | $crate::isa::Op::CvtWS
            | $crate::isa::Op::CvtWD
            | $crate::isa::Op::CFS
            | $crate::isa::Op::CUnS
            | $crate::isa::Op::CEqS
            | $crate::isa::Op::CUeqS
            | $crate::isa::Op::COltS
            | $crate::isa::Op::CUltS
            | $crate::isa::Op::COleS
            | $crate::isa::Op::CUleS
            | $crate::isa::Op::CSfS
            | $crate::isa::Op::CNgleS
            | $crate::isa::Op::CSeqS
            | $crate::isa::Op::CNglS
            | $crate::isa::Op::CLtS
            | $crate::isa::Op::CNgeS
            | $crate::isa::Op::CLeS
            | $crate::isa::Op::CNgtS
            | $crate::isa::Op::CFD
            | $crate::isa::Op::CUnD
            | $crate::isa::Op::CEqD
            | $crate::isa::Op::CUeqD
            | $crate::isa::Op::COltD
            | $crate::isa::Op::CUltD
            | $crate::isa::Op::COleD
            | $crate::isa::Op::CUleD
            | $crate::isa::Op::CSfD
            | $crate::isa::Op::CNgleD
            | $crate::isa::Op::CSeqD
            | $crate::isa::Op::CNglD
            | $crate::isa::Op::CLtD
            | $crate::isa::Op::CNgeD
            | $crate::isa::Op::CLeD
            | $crate::isa::Op::CNgtD
            | $crate::isa::Op::MaddS
            | $crate::isa::Op::MaddD
            | $crate::isa::Op::MsubS
            | $crate::isa::Op::MsubD
            | $crate::isa::Op::NmaddS
            | $crate::isa::Op::NmaddD
            | $crate::isa::Op::NmsubS
            | $crate::isa::Op::NmsubD
            | $crate::isa::Op::Lwc1
            | $crate::isa::Op::Ldc1
            | $crate::isa::Op::Swc1
            | $crate::isa::Op::Sdc1
            | $crate::isa::Op::Movf
            | $crate::isa::Op::Movt
    };
}

impl Op {
    /// Every valid operation, in table order.
    pub fn all() -> impl Iterator<Item = Op> {
        OPS.iter().map(|d| d.op)
    }

    /// The table row, or `None` for [`Op::Invalid`].
    pub fn def(self) -> Option<&'static OpDef> {
        OPS.get(self as usize)
    }

    /// The assembly mnemonic (`"invalid"` for [`Op::Invalid`]).
    pub fn mnemonic(self) -> &'static str {
        self.def().map_or("invalid", |d| d.mnemonic)
    }

    /// The behaviour flags (none for [`Op::Invalid`]).
    pub fn flags(self) -> Flags {
        self.def().map_or(Flags::NONE, |d| d.flags)
    }
}

/// A decoded instruction. Fields an operation does not use are zero, so two
/// `Inst`s are equal exactly when they encode to the same word.
///
/// `imm` is ready to use: sign-extended for signed immediates, memory offsets
/// and branch offsets (in words), zero-extended for unsigned immediates, the
/// 26-bit index for jumps, the raw code for `syscall`/`break`/traps and the
/// side-table index for para-instructions.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Inst {
    /// The operation.
    pub op: Op,
    /// `rd` field (also `ext`/`ins` msb field, FP `fs` and control register).
    pub rd: u8,
    /// `rs` field (also the base register of memory operands, FP `fr`).
    pub rs: u8,
    /// `rt` field (also the `pref` hint, FP `ft`, the condition code of
    /// `bc1t`/`movf`).
    pub rt: u8,
    /// `sa` field (shift amount, `ext`/`ins` position, `sync` type, FP `fd`,
    /// `c.cond`'s condition code).
    pub sa: u8,
    /// Immediate, offset, target or code; see the type's docs.
    pub imm: u32,
}

impl Inst {
    /// An instruction with every operand field zero.
    pub const fn new(op: Op) -> Inst {
        Inst { op, rd: 0, rs: 0, rt: 0, sa: 0, imm: 0 }
    }

    /// The invalid instruction (what undecodable words become).
    pub const INVALID: Inst = Inst::new(Op::Invalid);

    /// Absolute target of a branch at `pc`.
    pub fn branch_target(&self, pc: u32) -> u32 {
        pc.wrapping_add(4).wrapping_add(self.imm << 2)
    }

    /// Absolute target of a region jump at `pc`.
    pub fn jump_target(&self, pc: u32) -> u32 {
        (pc.wrapping_add(4) & 0xf000_0000) | (self.imm << 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_indexes_match_ops() {
        for (i, def) in OPS.iter().enumerate() {
            assert_eq!(def.op as usize, i, "{}", def.mnemonic);
        }
        assert_eq!(Op::Invalid as usize, OPS.len());
    }

    #[test]
    fn no_two_rows_share_a_word() {
        for (i, a) in OPS.iter().enumerate() {
            assert_eq!(a.base & a.free_mask(), 0, "{} fixes bits an operand uses", a.mnemonic);
            for b in &OPS[i + 1..] {
                let fixed_in_both = !a.free_mask() & !b.free_mask();
                assert_ne!(
                    a.base & fixed_in_both,
                    b.base & fixed_in_both,
                    "{} and {} overlap",
                    a.mnemonic,
                    b.mnemonic
                );
            }
        }
    }

    #[test]
    fn operands_never_share_bits() {
        for def in OPS {
            let mut seen = 0u32;
            for o in def.operands {
                assert_eq!(seen & o.field_mask(), 0, "{}", def.mnemonic);
                seen |= o.field_mask();
            }
        }
    }

    #[test]
    fn fpu_ops_lists_exactly_the_fpu_rows() {
        for def in OPS {
            let listed = matches!(def.op, crate::fpu_ops!());
            assert_eq!(listed, def.flags.contains(Flags::FPU), "{}", def.mnemonic);
        }
    }

    #[test]
    fn mnemonics_are_unique() {
        let mut names: Vec<_> = OPS.iter().map(|d| d.mnemonic.to_ascii_lowercase()).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }
}
