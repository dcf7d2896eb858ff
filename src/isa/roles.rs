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
        // Set bits only: a static libc's text is counted at start-up.
        let mut bits = self.0 as u32 & !1;
        std::iter::from_fn(move || {
            let r = bits.trailing_zeros();
            bits &= bits.wrapping_sub(1);
            (r < 32).then_some(r as u8)
        })
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

/// Per row of the table: which of `rd`, `rs`, `rt` and `$ra` it reads or
/// writes (bits 0–3), whether it names HI or LO (bit 4), whether it reads
/// every register (bit 5) and whether it reads or writes every one (bit 6);
/// then, in the high byte, the same for what it writes alone.
fn gpr_roles() -> &'static [u16] {
    static ROLES: std::sync::OnceLock<Vec<u16>> = std::sync::OnceLock::new();
    fn bits(fields: &[RegField]) -> u16 {
        fields.iter().fold(0, |bits, f| {
            bits | match f {
                RegField::Rd => 1,
                RegField::Rs => 2,
                RegField::Rt => 4,
                RegField::Ra => 8,
                RegField::Hi | RegField::Lo => 16,
                RegField::All => 64,
                _ => 0,
            }
        })
    }
    ROLES.get_or_init(|| {
        super::OPS
            .iter()
            .map(|d| {
                let reads_all = if d.reads.contains(&RegField::All) { 32 } else { 0 };
                (bits(d.reads) | bits(d.writes) | reads_all) | bits(d.writes) << 8
            })
            .collect()
    })
}

/// The registers of `roles` (bits as in [`gpr_roles`]'s low byte) for `i`.
fn gprs_of(i: &Inst, roles: u16) -> u32 {
    let bit = |on: u16, r: u8| if roles & on != 0 { 1u32 << (r & 31) } else { 0 };
    let every = if roles & 64 != 0 { u32::MAX } else { 0 };
    (bit(1, i.rd) | bit(2, i.rs) | bit(4, i.rt) | bit(8, 31) | every) & !1
}

impl Inst {
    /// The general registers this instruction reads or writes (bit `r` for
    /// register `r`, `$zero` never), and whether it names HI or LO: the
    /// union of [`Inst::reads`] and [`Inst::writes`], cheaply enough to
    /// count a whole static libc's text at start-up. `None` for a row
    /// whose effect depends on every register (a call into the hypervisor).
    pub fn gprs_named(&self) -> Option<(u32, bool)> {
        let roles = *gpr_roles().get(self.op as usize)?;
        if roles & 32 != 0 {
            return None;
        }
        Some((gprs_of(self, roles & 0xff), roles & 16 != 0))
    }

    /// The general registers this instruction may write (bit `r` for
    /// register `r`, `$zero` never): [`Inst::writes`]'s, without building
    /// the whole set (the JIT asks it of every instruction it translates).
    pub fn gprs_written(&self) -> u32 {
        gpr_roles().get(self.op as usize).map_or(0, |&roles| gprs_of(self, roles >> 8))
    }

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

    /// The quick union agrees with the two sets it stands for, on every
    /// row with registers in every field.
    #[test]
    fn gprs_named_is_reads_and_writes() {
        for d in OPS {
            for (rd, rs, rt) in [(1, 2, 3), (31, 0, 17), (5, 5, 0)] {
                let mut i = crate::isa::Inst::new(d.op);
                (i.rd, i.rs, i.rt) = (rd, rs, rt);
                let (r, w) = (i.reads(), i.writes());
                let all = d.reads.contains(&RegField::All);
                match i.gprs_named() {
                    None => assert!(all, "{}", d.mnemonic),
                    Some((gprs, hilo)) => {
                        let want: u32 = r.regs().chain(w.regs()).fold(0, |m, g| m | 1 << g);
                        assert_eq!(gprs, want, "{}", d.mnemonic);
                        assert_eq!(
                            hilo,
                            r.has_hi() || r.has_lo() || w.has_hi() || w.has_lo(),
                            "{}",
                            d.mnemonic
                        );
                    }
                }
                let written: u32 = w.regs().fold(0, |m, g| m | 1 << g);
                assert_eq!(i.gprs_written(), written, "{}", d.mnemonic);
            }
        }
    }

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
