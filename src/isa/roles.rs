//! Def/use roles: which registers an instruction reads and writes, derived
//! from the `w[…] r[…]` columns of the instruction table.
//!
//! Anything that reasons about data flow (the JIT's grouping of memory
//! checks, register pinning, random program generators) asks [`Inst::writes`]
//! and [`Inst::reads`] instead of guessing from operand order, so a new row
//! with an unusual shape (`sc` writes the register it stores) cannot be
//! misread.

use super::Inst;

/// A register an instruction names, by where its number comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RegField {
    /// The `rd` field.
    Rd,
    /// The `rs` field (also a memory operand's base).
    Rs,
    /// The `rt` field.
    Rt,
    /// `$ra` (31), written by the linking branches and `jal`.
    Ra,
    /// The HI register.
    Hi,
    /// The LO register.
    Lo,
    /// Every general register: `syscall` and the para-instructions, whose
    /// effects depend on the call.
    All,
    /// FP register in the `fd` field (kept in `sa`).
    Fd,
    /// FP register in the `fs` field (kept in `rd`).
    Fs,
    /// FP register in the `ft` field (kept in `rt`).
    Ft,
    /// FP register in the `fr` field (kept in `rs`).
    Fr,
    /// The even/odd FP pair of a double in `fd`.
    Dd,
    /// The even/odd FP pair of a double in `fs`.
    Ds,
    /// The even/odd FP pair of a double in `ft`.
    Dt,
    /// The even/odd FP pair of a double in `fr`.
    Dr,
    /// The FP control and status register (rounding mode, flags, cause,
    /// enables, condition codes).
    Fcsr,
}

/// A set of general registers, HI and LO, FP registers and FCSR.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct RegSet(u128);

impl RegSet {
    /// HI's bit.
    const HI: u128 = 1 << 32;
    /// LO's bit.
    const LO: u128 = 1 << 33;
    /// FP register 0's bit; the others follow.
    const FPR0: u32 = 34;
    /// FCSR's bit.
    const FCSR: u128 = 1 << 66;

    /// The empty set.
    pub const EMPTY: RegSet = RegSet(0);

    /// True when general register `r` is in the set (`$zero` never is).
    pub fn has(self, r: u8) -> bool {
        r != 0 && r < 32 && self.0 & (1 << r) != 0
    }

    /// True when HI is in the set.
    pub fn has_hi(self) -> bool {
        self.0 & Self::HI != 0
    }

    /// True when LO is in the set.
    pub fn has_lo(self) -> bool {
        self.0 & Self::LO != 0
    }

    /// True when FP register `f` is in the set.
    pub fn has_fpr(self, f: u8) -> bool {
        f < 32 && self.0 & (1 << (Self::FPR0 + f as u32)) != 0
    }

    /// True when FCSR is in the set.
    pub fn has_fcsr(self) -> bool {
        self.0 & Self::FCSR != 0
    }

    /// The general registers in the set, ascending, `$zero` left out.
    pub fn regs(self) -> impl Iterator<Item = u8> {
        (1u8..32).filter(move |&r| self.has(r))
    }

    /// The FP registers in the set, ascending.
    pub fn fprs(self) -> impl Iterator<Item = u8> {
        (0u8..32).filter(move |&f| self.has_fpr(f))
    }

    fn with(self, r: u8) -> RegSet {
        RegSet(self.0 | 1 << r)
    }

    fn with_fpr(self, f: u8) -> RegSet {
        RegSet(self.0 | 1 << (Self::FPR0 + (f & 31) as u32))
    }

    fn with_pair(self, f: u8) -> RegSet {
        self.with_fpr(f & 30).with_fpr((f & 30) + 1)
    }
}

fn collect(i: &Inst, fields: &[RegField]) -> RegSet {
    let mut set = RegSet::EMPTY;
    for f in fields {
        set = match f {
            RegField::Rd => set.with(i.rd & 31),
            RegField::Rs => set.with(i.rs & 31),
            RegField::Rt => set.with(i.rt & 31),
            RegField::Ra => set.with(31),
            RegField::Hi => RegSet(set.0 | RegSet::HI),
            RegField::Lo => RegSet(set.0 | RegSet::LO),
            RegField::All => RegSet(set.0 | 0xffff_fffe),
            RegField::Fd => set.with_fpr(i.sa),
            RegField::Fs => set.with_fpr(i.rd),
            RegField::Ft => set.with_fpr(i.rt),
            RegField::Fr => set.with_fpr(i.rs),
            RegField::Dd => set.with_pair(i.sa),
            RegField::Ds => set.with_pair(i.rd),
            RegField::Dt => set.with_pair(i.rt),
            RegField::Dr => set.with_pair(i.rs),
            RegField::Fcsr => RegSet(set.0 | RegSet::FCSR),
        };
    }
    RegSet(set.0 & !1)
}

impl Inst {
    /// Registers (HI/LO, FP registers, FCSR) this instruction may write.
    pub fn writes(&self) -> RegSet {
        self.op.def().map_or(RegSet::EMPTY, |d| collect(self, d.writes))
    }

    /// Registers (HI/LO, FP registers, FCSR) whose values this instruction's
    /// effect depends on.
    pub fn reads(&self) -> RegSet {
        self.op.def().map_or(RegSet::EMPTY, |d| collect(self, d.reads))
    }
}

#[cfg(test)]
mod tests {
    use super::RegField;
    use crate::isa::{Flags, OPS};

    /// Rows whose effects depend on the call (`All`) or that call the
    /// hypervisor end their block, so nothing after them in a block trusts
    /// a register across them.
    #[test]
    fn opaque_rows_end_their_block() {
        for d in OPS {
            let opaque = d.writes.contains(&RegField::All) || d.reads.contains(&RegField::All);
            if opaque || d.flags.contains(Flags::PARA) {
                assert!(
                    d.flags.ends_block(),
                    "{} acts on every register but does not end a block",
                    d.mnemonic
                );
            }
        }
    }
}
