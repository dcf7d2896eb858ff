//! If-conversion: a forward conditional branch over a few ALU instructions
//! that all write one register (`if (x & 1) crc = (crc ^ poly) & 0xffff;`;
//! the operations `arm_register` lists, comparisons and `ext` included)
//! becomes straight code that computes the arm and keeps its result with
//! `cmov` when the branch is not taken, refunding the arm's instructions to
//! the budget (also with `cmov`) when it is. A branch on data (a CRC's bit,
//! a compression model's) mispredicts half the time, and each miss costs
//! more than the few instructions the arm always runs here; taken, it also
//! skipped to another translation through a side exit. CoreMark's CRC
//! loops are this shape.
//!
//! Exactness: the arm cannot fault or leave translated code (no memory, no
//! trapping arithmetic), writes only its register, and the superblock
//! charged it on entry, so every path retires what the interpreter's would:
//! its fall-backs further on refund by position, as after any branch.

// dynasm!'s dynamic registers (`Rd(n)`) expand to `n.into()`.
#![allow(clippy::useless_conversion)]

use super::alu::Source;
use super::{Cond, Translator, EAX, ECX, EDX};
use crate::isa::{Inst, Op};
use dynasmrt::{dynasm, DynasmApi};

/// The longest arm converted: it runs on both paths.
const MAX_ARM: u32 = 3;

/// The register every instruction of `arm` writes, when each is an ALU
/// operation the conversion emits (writes to `$zero` are no-ops and pass).
fn arm_register(arm: &[Inst]) -> Option<u8> {
    use Op::*;
    let mut register = None;
    for i in arm {
        let dest = match i.op {
            Addu | Subu | And | Or | Xor | Nor | Sll | Srl | Sra | Slt | Sltu | Seb | Seh => i.rd,
            Addiu | Andi | Ori | Xori | Lui | Slti | Sltiu | Ext => i.rt,
            _ => return None,
        };
        if dest == 0 {
            continue;
        }
        if register.is_some_and(|r| r != dest) {
            return None;
        }
        register = Some(dest);
    }
    register
}

impl Translator<'_> {
    /// Translates conditional branch `k`, its slot and the arm it skips as
    /// a select, when they have the shape described in the module docs;
    /// returns how many instructions that took (none emitted otherwise).
    pub(super) fn select(&mut self, k: u32) -> Option<u32> {
        let i = self.code[k as usize];
        let cond = match i.op {
            Op::Beq if i.rs != i.rt => Cond::Equal,
            Op::Bne if i.rs != i.rt => Cond::NotEqual,
            Op::Blez | Op::Bgtz | Op::Bltz | Op::Bgez => Self::one_register_cond(i.op),
            _ => return None,
        };
        let pc = self.text_base.wrapping_add(4 * (self.start + k));
        let arm_start = k + 1 + u32::from(self.delay);
        let join = self.text_index(i.branch_target(pc))?.checked_sub(self.start)?;
        if join <= arm_start || join - arm_start > MAX_ARM || join > self.len {
            return None;
        }
        let arm = &self.code[arm_start as usize..join as usize];
        let register = arm_register(arm)?;
        // The slot runs first, on both paths; one that cannot (it writes
        // what the branch tests, or may leave translated code) keeps the
        // branch.
        self.hoist_slot(&i, k, pc);
        if self.delay && !self.hoisted {
            return None;
        }
        self.hoisted = false;
        self.ld(EDX, register);
        for a in arm {
            self.arm_op(a, register);
        }
        self.compare_regs(i.rs, i.rt);
        let skipped = (join - arm_start) as i32;
        dynasm!(self.ops ; .arch x64 ; lea rcx, [r12 + skipped]);
        self.cmov_budget(cond);
        match self.pinned(register) {
            Some(h) => self.cmov32(cond.inverse(), h, EDX),
            None => {
                let at = super::reg_offset(register);
                dynasm!(self.ops ; .arch x64 ; mov ecx, DWORD [r15 + at]);
                self.cmov32(cond.inverse(), ECX, EDX);
                dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + at], ecx);
            }
        }
        Some(join - k)
    }

    /// Where `g` is read from by an arm computing `register` in `edx`:
    /// `edx` itself for `register`, else where any ALU operation reads it.
    fn arm_operand(&mut self, g: u8, register: u8) -> Source {
        if g == register {
            Source::Reg(EDX)
        } else {
            self.source(g)
        }
    }

    /// `edx` = guest register `g`'s value in an arm computing `register`.
    fn arm_load(&mut self, g: u8, register: u8) {
        let from = self.arm_operand(g, register);
        self.load_edx(from);
    }

    /// `edx` = the operand's value (nothing when `edx` already holds it).
    fn load_edx(&mut self, from: Source) {
        match from {
            Source::Reg(EDX) => {}
            Source::Reg(h) => dynasm!(self.ops ; .arch x64 ; mov edx, Rd(h)),
            Source::Cpu(at) => dynasm!(self.ops ; .arch x64 ; mov edx, DWORD [r15 + at]),
        }
    }

    /// One arm instruction, on `edx` (the arm's register) with `eax` and
    /// `ecx` spare: its first operand into `edx`, then the ALU's own
    /// two-address form (see [`Translator::apply_two_address`]).
    fn arm_op(&mut self, i: &Inst, register: u8) {
        use Op::*;
        match i.op {
            _ if arm_register(std::slice::from_ref(i)).is_none() => {} // into `$zero`
            Lui => dynasm!(self.ops ; .arch x64 ; mov edx, (i.imm << 16) as i32),
            Seb | Seh => {
                self.arm_load(i.rt, register);
                if i.op == Seb {
                    dynasm!(self.ops ; .arch x64 ; movsx edx, dl);
                } else {
                    dynasm!(self.ops ; .arch x64 ; movsx edx, dx);
                }
            }
            Ext => {
                self.arm_load(i.rs, register);
                let size = u32::from(i.rd) + 1;
                if i.sa != 0 {
                    dynasm!(self.ops ; .arch x64 ; shr edx, i.sa as i8);
                }
                if size < 32 - u32::from(i.sa) {
                    dynasm!(self.ops ; .arch x64 ; and edx, ((1u32 << size) - 1) as i32);
                }
            }
            Slt | Sltu | Slti | Sltiu => self.arm_set_on_less(i, register),
            Addiu | Andi | Ori | Xori => {
                self.arm_load(i.rs, register);
                self.apply_two_address(i, EDX, Source::Reg(EDX));
            }
            Sll | Srl | Sra => {
                self.arm_load(i.rt, register);
                self.apply_two_address(i, EDX, Source::Reg(EDX));
            }
            _ => {
                let (a, mut b) = (self.arm_operand(i.rs, register), self.arm_operand(i.rt, register));
                if matches!(b, Source::Reg(EDX)) && !matches!(a, Source::Reg(EDX)) {
                    // `edx` is about to take the first operand: keep the second.
                    dynasm!(self.ops ; .arch x64 ; mov eax, edx);
                    b = Source::Reg(EAX);
                }
                self.load_edx(a);
                let second = b;
                self.apply_two_address(i, EDX, second);
            }
        }
    }

    /// `slt`/`sltu`/`slti`/`sltiu` into `edx`: compared where the first
    /// operand is (in `eax` when it is in memory), then set.
    fn arm_set_on_less(&mut self, i: &Inst, register: u8) {
        let a = match self.arm_operand(i.rs, register) {
            Source::Reg(h) => h,
            Source::Cpu(at) => {
                dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + at]);
                EAX
            }
        };
        match i.op {
            Op::Slti | Op::Sltiu => dynasm!(self.ops ; .arch x64 ; cmp Rd(a), i.imm as i32),
            _ => match self.arm_operand(i.rt, register) {
                Source::Reg(h) => dynasm!(self.ops ; .arch x64 ; cmp Rd(a), Rd(h)),
                Source::Cpu(at) => dynasm!(self.ops ; .arch x64 ; cmp Rd(a), DWORD [r15 + at]),
            },
        }
        if matches!(i.op, Op::Slt | Op::Slti) {
            dynasm!(self.ops ; .arch x64 ; setl al ; movzx edx, al);
        } else {
            dynasm!(self.ops ; .arch x64 ; setb al ; movzx edx, al);
        }
    }

    /// `cmov` on `cond`: the refund in `rcx` into the budget.
    fn cmov_budget(&mut self, cond: Cond) {
        match cond {
            Cond::Less => dynasm!(self.ops ; .arch x64 ; cmovl r12, rcx),
            Cond::Below => dynasm!(self.ops ; .arch x64 ; cmovb r12, rcx),
            Cond::GreaterEqual => dynasm!(self.ops ; .arch x64 ; cmovge r12, rcx),
            Cond::AboveEqual => dynasm!(self.ops ; .arch x64 ; cmovae r12, rcx),
            Cond::Equal => dynasm!(self.ops ; .arch x64 ; cmove r12, rcx),
            Cond::NotEqual => dynasm!(self.ops ; .arch x64 ; cmovne r12, rcx),
            Cond::LessEqual => dynasm!(self.ops ; .arch x64 ; cmovle r12, rcx),
            Cond::Greater => dynasm!(self.ops ; .arch x64 ; cmovg r12, rcx),
            Cond::Sign => dynasm!(self.ops ; .arch x64 ; cmovs r12, rcx),
            Cond::NotSign => dynasm!(self.ops ; .arch x64 ; cmovns r12, rcx),
        }
    }

    /// `cmov` on `cond`, 32-bit, `src` into `dst` (which x86 zero-extends
    /// either way, as pinned registers are kept).
    fn cmov32(&mut self, cond: Cond, dst: u8, src: u8) {
        match cond {
            Cond::Less => dynasm!(self.ops ; .arch x64 ; cmovl Rd(dst), Rd(src)),
            Cond::Below => dynasm!(self.ops ; .arch x64 ; cmovb Rd(dst), Rd(src)),
            Cond::GreaterEqual => dynasm!(self.ops ; .arch x64 ; cmovge Rd(dst), Rd(src)),
            Cond::AboveEqual => dynasm!(self.ops ; .arch x64 ; cmovae Rd(dst), Rd(src)),
            Cond::Equal => dynasm!(self.ops ; .arch x64 ; cmove Rd(dst), Rd(src)),
            Cond::NotEqual => dynasm!(self.ops ; .arch x64 ; cmovne Rd(dst), Rd(src)),
            Cond::LessEqual => dynasm!(self.ops ; .arch x64 ; cmovle Rd(dst), Rd(src)),
            Cond::Greater => dynasm!(self.ops ; .arch x64 ; cmovg Rd(dst), Rd(src)),
            Cond::Sign => dynasm!(self.ops ; .arch x64 ; cmovs Rd(dst), Rd(src)),
            Cond::NotSign => dynasm!(self.ops ; .arch x64 ; cmovns Rd(dst), Rd(src)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(op: Op, rd: u8, rs: u8, rt: u8) -> Inst {
        Inst { op, rd, rs, rt, sa: 0, imm: 0 }
    }

    #[test]
    fn an_arm_converts_only_when_every_write_goes_to_one_register() {
        let xor = r(Op::Xor, 2, 2, 7);
        let andi = Inst { op: Op::Andi, rt: 2, rs: 2, imm: 0xffff, ..Inst::new(Op::Andi) };
        assert_eq!(arm_register(&[xor, andi]), Some(2));
        assert_eq!(arm_register(&[xor, Inst::new(Op::Sll)]), Some(2), "a nop passes");
        assert_eq!(arm_register(&[xor, r(Op::Addu, 3, 2, 2)]), None, "two registers");
        assert_eq!(arm_register(&[r(Op::Add, 2, 2, 3)]), None, "add traps on overflow");
        let lw = Inst { op: Op::Lw, rt: 2, rs: 29, ..Inst::new(Op::Lw) };
        assert_eq!(arm_register(&[lw]), None, "memory may fault");
        assert_eq!(arm_register(&[Inst::new(Op::Sll)]), None, "nothing written: nothing to select");
    }
}
