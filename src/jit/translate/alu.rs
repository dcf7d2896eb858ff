//! Register copies, constants and the common ALU operations in x86's
//! two-address form, straight into pinned host registers.

// dynasm!'s dynamic registers (`Rd(n)`) expand to `n.into()`.
#![allow(clippy::useless_conversion)]

use super::{Translator, EAX, ECX};
use crate::isa::{Inst, Op};
use dynasmrt::{dynasm, DynasmApi};

impl Translator<'_> {
    /// Copies guest register `src` into `dst` (`move`), host register to
    /// host register when both are pinned.
    pub(super) fn copy(&mut self, dst: u8, src: u8) {
        match (self.pins.gpr[dst as usize], self.pins.gpr[src as usize]) {
            _ if dst == 0 || dst == src => {}
            _ if src == 0 => self.st_imm(dst, 0),
            (Some(d), Some(s)) => dynasm!(self.ops ; .arch x64 ; mov Rd(d), Rd(s)),
            _ => {
                self.ld(EAX, src);
                self.st(dst, EAX);
            }
        }
    }

    /// The ALU forms that only copy a register or set a constant (`move`
    /// is `addu rd, rs, $0`, `li` is `addiu rt, $0, imm`), and ALU results
    /// into `$0` (`nop`): emitted as the copy or the constant, or not at
    /// all. False for anything else.
    pub(super) fn copy_or_constant(&mut self, i: &Inst) -> bool {
        use Op::*;
        let (dst, copy, constant) = match i.op {
            Addu | Or | Xor if i.rt == 0 => (i.rd, Some(i.rs), None),
            Addu | Or | Xor if i.rs == 0 => (i.rd, Some(i.rt), None),
            Subu if i.rt == 0 => (i.rd, Some(i.rs), None),
            Sll | Srl | Sra | Rotr if i.sa == 0 => (i.rd, Some(i.rt), None),
            Addiu | Ori | Xori if i.imm == 0 => (i.rt, Some(i.rs), None),
            Addiu | Ori | Xori if i.rs == 0 => (i.rt, None, Some(i.imm)),
            Sll | Srl | Sra | Rotr | Sllv | Srlv | Srav | Rotrv | Addu | Subu | And | Or | Xor | Nor
            | Slt | Sltu | Mul | Movz | Movn
                if i.rd == 0 =>
            {
                (0, None, None)
            }
            Addiu | Slti | Sltiu | Andi | Ori | Xori | Lui if i.rt == 0 => (0, None, None),
            _ => return false,
        };
        match (copy, constant) {
            (Some(src), _) => self.copy(dst, src),
            (None, Some(value)) => self.st_imm(dst, value),
            (None, None) => {}
        }
        true
    }

    /// Where an ALU operation reads guest register `g`: its host register
    /// when pinned, its slot in the `Cpu` otherwise (`$zero`: a cleared
    /// `ecx`).
    pub(super) fn source(&mut self, g: u8) -> Source {
        match self.pinned(g) {
            Some(h) => Source::Reg(h),
            None if g == 0 => Source::Reg(self.operand(0)),
            None => Source::Cpu(super::reg_offset(g)),
        }
    }

    /// A host register holding guest register `g`: its own when pinned,
    /// else `ecx`, loaded.
    pub(super) fn operand(&mut self, g: u8) -> u8 {
        self.pinned(g).unwrap_or_else(|| {
            self.ld(ECX, g);
            ECX
        })
    }

    /// The common ALU operations on a pinned destination, in x86's
    /// two-address form straight into the destination's host register
    /// (`addu $t0, $t0, $t1` is one `add`), rather than through `eax`.
    /// False when `i` is not one of them or its destination lives in
    /// memory.
    pub(super) fn two_address(&mut self, i: &Inst) -> bool {
        use Op::*;
        let (dst, src) = match i.op {
            Addu | Subu | And | Or | Xor | Nor | Mul => (i.rd, i.rs),
            Addiu | Andi | Ori | Xori => (i.rt, i.rs),
            Sll | Srl | Sra | Rotr => (i.rd, i.rt),
            _ => return false,
        };
        let Some(d) = self.pins.gpr[dst as usize].filter(|_| dst != 0) else { return false };
        let imm = i.imm as i32;
        // A sum into another register: one `lea` rather than a copy and an
        // add (the low 32 bits of the 64-bit sum are the guest's).
        match (i.op, self.pinned(src)) {
            (Addiu, Some(s)) if src != dst => {
                dynasm!(self.ops ; .arch x64 ; lea Rd(d), [Rq(s) + imm]);
                return true;
            }
            (Addu, Some(s)) if src != dst && i.rt != dst => {
                if let Some(t) = self.pinned(i.rt) {
                    dynasm!(self.ops ; .arch x64 ; lea Rd(d), [Rq(s) + Rq(t)]);
                    return true;
                }
            }
            _ => {}
        }
        let second = matches!(i.op, Addu | Subu | And | Or | Xor | Nor | Mul).then_some(i.rt);
        let t = match second {
            // `rd = rs op rd`: the destination holds the second operand;
            // commutative operations take the first instead.
            Some(rt) if rt == dst && src != dst => {
                if i.op == Subu {
                    return false;
                }
                self.source(src)
            }
            Some(rt) => {
                let t = self.source(rt);
                self.ld(d, src);
                t
            }
            None => {
                self.ld(d, src);
                Source::Reg(EAX)
            }
        };
        self.apply_two_address(i, d, t);
        true
    }

    /// `d = d op t` for `i`, one of the operations [`Translator::two_address`]
    /// takes (immediate and shift forms use `i`'s own operand), with `d`
    /// holding the first operand already.
    pub(super) fn apply_two_address(&mut self, i: &Inst, d: u8, t: Source) {
        use Op::*;
        let (imm, sa) = (i.imm as i32, i.sa as i8);
        // The second operand where it lives: a register, or the `Cpu`
        // (`add r, [r15 + x]` is one instruction where a load and an add
        // were two).
        macro_rules! with_second {
            ($op:ident) => {
                match t {
                    Source::Reg(t) => dynasm!(self.ops ; .arch x64 ; $op Rd(d), Rd(t)),
                    Source::Cpu(at) => dynasm!(self.ops ; .arch x64 ; $op Rd(d), DWORD [r15 + at]),
                }
            };
        }
        match i.op {
            Addu => with_second!(add),
            Subu => with_second!(sub),
            And => with_second!(and),
            Or => with_second!(or),
            Xor => with_second!(xor),
            Nor => {
                with_second!(or);
                dynasm!(self.ops ; .arch x64 ; not Rd(d));
            }
            Mul => with_second!(imul),
            Addiu => dynasm!(self.ops ; .arch x64 ; add Rd(d), imm),
            Andi => dynasm!(self.ops ; .arch x64 ; and Rd(d), imm),
            Ori => dynasm!(self.ops ; .arch x64 ; or Rd(d), imm),
            Xori => dynasm!(self.ops ; .arch x64 ; xor Rd(d), imm),
            Sll => dynasm!(self.ops ; .arch x64 ; shl Rd(d), sa),
            Srl => dynasm!(self.ops ; .arch x64 ; shr Rd(d), sa),
            Sra => dynasm!(self.ops ; .arch x64 ; sar Rd(d), sa),
            _ => dynasm!(self.ops ; .arch x64 ; ror Rd(d), sa),
        }
    }

    /// `sll r, y, 1..3` followed by `addu r, x, r` (or `addu r, r, x`) —
    /// how compiled code indexes an array of 2-, 4- or 8-byte elements —
    /// as one `lea r, [x + y * 2^sa]`: the shifted value lives only in `r`,
    /// which the add overwrites, and neither instruction can fault, so the
    /// pair leaves every register as the two would. One cycle instead of
    /// two on the path to the load that usually follows. False (nothing
    /// emitted) for any other pair.
    pub(super) fn scaled_add(&mut self, shift: &Inst, add: &Inst) -> bool {
        let Some((r, x)) = scaled_pair(shift, add) else { return false };
        let y = match self.pins.gpr[shift.rt as usize] {
            Some(h) if shift.rt != 0 => h,
            _ => {
                self.ld(EAX, shift.rt);
                EAX
            }
        };
        let x = match self.pins.gpr[x as usize] {
            Some(h) => h,
            None => {
                self.ld(ECX, x);
                ECX
            }
        };
        let d = self.pins.gpr[r as usize].unwrap_or(EAX);
        // 64-bit address arithmetic whose low 32 bits are the guest's sum.
        match shift.sa {
            1 => dynasm!(self.ops ; .arch x64 ; lea Rd(d), [Rq(x) + Rq(y) * 2]),
            2 => dynasm!(self.ops ; .arch x64 ; lea Rd(d), [Rq(x) + Rq(y) * 4]),
            _ => dynasm!(self.ops ; .arch x64 ; lea Rd(d), [Rq(x) + Rq(y) * 8]),
        }
        if self.pins.gpr[r as usize].is_none() {
            self.st(r, EAX);
        }
        true
    }
}

/// An ALU operation's second operand (see [`Translator::two_address`]).
#[derive(Clone, Copy)]
pub(super) enum Source {
    /// In a host register.
    Reg(u8),
    /// In the `Cpu`, at this offset from `r15`.
    Cpu(i32),
}

/// `sll r, y, 1..3` followed by `addu r, x, r` or `addu r, r, x` (`r`, `x`
/// not `$zero`, `x` not `r`): `r` and `x`.
pub(super) fn scaled_pair(shift: &Inst, add: &Inst) -> Option<(u8, u8)> {
    let r = shift.rd;
    let x = match (shift.op, add.op) {
        (Op::Sll, Op::Addu) if add.rd == r && add.rs == r && add.rt != r => add.rt,
        (Op::Sll, Op::Addu) if add.rd == r && add.rt == r && add.rs != r => add.rs,
        _ => return None,
    };
    (r != 0 && x != 0 && (1..=3).contains(&shift.sa)).then_some((r, x))
}
