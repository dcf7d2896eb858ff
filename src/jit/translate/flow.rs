//! Control flow in translated code: chaining to other blocks, conditional
//! branches with their delay slots, calls with return entries, and the
//! flags a compare leaves for the branch after it.

// dynasm!'s dynamic registers (`Rd(n)`) expand to `n.into()`.
#![allow(clippy::useless_conversion)]

use super::{exit_code, Translator, CTX_RETURN_LIMIT};
use crate::isa::{Flags, Inst, Op};
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// Where control goes after a delay slot, for the interpreter when the
/// slot leaves translated code: a fixed address; the value of a guest
/// register the slot does not write (`jr`, `jalr`: its fall-back stores
/// it, so the common path pays nothing); or one translated code has
/// already stored in `Cpu::delay_target` (a slot that overwrites the
/// jump's register).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum SlotTarget {
    Fixed(u32),
    Reg(u8),
    Stored,
}

/// The taken side of a conditional branch: the label its `jcc` jumps to,
/// and the text index to chain to when that `jcc` is itself a chain slot.
/// With delay slots the label is the *not-taken* path's and the `jcc` is
/// inverted (see [`Translator::after_conditional`]).
pub(super) struct Taken {
    pub(super) label: DynamicLabel,
    chain: Option<u32>,
    target: u32,
    inverted: bool,
}

/// An x86 condition a branch jumps on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Cond {
    Less,
    Below,
    GreaterEqual,
    AboveEqual,
    Equal,
    NotEqual,
    LessEqual,
    Greater,
    Sign,
    NotSign,
}

impl Cond {
    pub(super) fn inverse(self) -> Cond {
        use Cond::*;
        match self {
            Less => GreaterEqual,
            GreaterEqual => Less,
            Below => AboveEqual,
            AboveEqual => Below,
            Equal => NotEqual,
            NotEqual => Equal,
            LessEqual => Greater,
            Greater => LessEqual,
            Sign => NotSign,
            NotSign => Sign,
        }
    }
}

impl Taken {
    /// True when a linking branch may write `$ra` before its `jcc`: both
    /// sides then stay in translated code past the branch.
    pub(super) fn links_first(&self, delay: bool) -> bool {
        delay || self.chain.is_some()
    }
}

/// How control reaches a target: a jump or branch (to the end of the text:
/// a halt at once), or falling through to the next instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Flow {
    Jump,
    Fall,
}

impl Translator<'_> {
    /// Ends a path of the block with a jump to guest `target`: a chain slot,
    /// or a fall-back to the interpreter when the target is outside the program.
    pub(super) fn goto(&mut self, target: u32, k: u32, pc: u32, flow: Flow) {
        let (label, slot) = self.jump_label(target, k, pc, flow);
        dynasm!(self.ops ; .arch x64 ; jmp =>label);
        if let Some(index) = slot {
            let at = self.ops.offset();
            self.slots.push((at, index));
        }
    }

    /// When an `slt`/`sltu` (or their immediate forms) earlier in the
    /// block computes the register branch `i` compares with `$zero`, with
    /// only register copies and constants in between (which translate as
    /// `mov`s: see [`Translator::copy_or_constant`]) and none of them
    /// writing that register, the host flags still hold its comparison
    /// (`setcc`, `movzx` and the stores leave them), so the branch can test
    /// them directly: whether the comparison was unsigned. Not for a
    /// block's first instruction (the budget charge on entry sets the
    /// flags).
    pub(super) fn compare_before(&self, k: u32, i: &Inst) -> Option<bool> {
        // The register the branch compares with `$zero`.
        let tested = match (i.rs, i.rt) {
            (r, 0) | (0, r) if r != 0 => r,
            _ => return None,
        };
        for j in (self.straight as usize..k as usize).rev() {
            let prev = &self.code[j];
            let dst = match prev.op {
                Op::Slt | Op::Sltu => prev.rd,
                Op::Slti | Op::Sltiu => prev.rt,
                _ if keeps_flags(prev) && !prev.writes().has(tested) => continue,
                _ => return None,
            };
            // Not an `slt` in an earlier branch's delay slot: that slot
            // may have run before its branch's own test (see
            // `Translator::hoist_slot`), whose flags are the ones left.
            let in_slot = self.delay && j > 0 && self.code[j - 1].op.flags().transfers();
            return (dst == tested && !in_slot).then_some(matches!(prev.op, Op::Sltu | Op::Sltiu));
        }
        None
    }

    /// The condition of the one-register branch `op` after `test rs, rs`.
    pub(super) fn one_register_cond(op: Op) -> Cond {
        match op {
            Op::Blez | Op::Blezl => Cond::LessEqual,
            Op::Bgtz | Op::Bgtzl => Cond::Greater,
            Op::Bltz | Op::Bltzl | Op::Bltzal | Op::Bltzall => Cond::Sign,
            _ => Cond::NotSign,
        }
    }

    /// The branch's `jcc`: to the taken side on `cond`, or (inverted) to
    /// the not-taken side on its inverse.
    pub(super) fn branch_on(&mut self, cond: Cond, taken: &Taken) {
        let (cond, label) = if taken.inverted { (cond.inverse(), taken.label) } else { (cond, taken.label) };
        match cond {
            Cond::Less => dynasm!(self.ops ; .arch x64 ; jl =>label),
            Cond::Below => dynasm!(self.ops ; .arch x64 ; jb =>label),
            Cond::GreaterEqual => dynasm!(self.ops ; .arch x64 ; jge =>label),
            Cond::AboveEqual => dynasm!(self.ops ; .arch x64 ; jae =>label),
            Cond::Equal => dynasm!(self.ops ; .arch x64 ; je =>label),
            Cond::NotEqual => dynasm!(self.ops ; .arch x64 ; jne =>label),
            Cond::LessEqual => dynasm!(self.ops ; .arch x64 ; jle =>label),
            Cond::Greater => dynasm!(self.ops ; .arch x64 ; jg =>label),
            Cond::Sign => dynasm!(self.ops ; .arch x64 ; js =>label),
            Cond::NotSign => dynasm!(self.ops ; .arch x64 ; jns =>label),
        }
    }

    /// Jumps to `f` when the trap condition of `op` holds after `cmp rs, rt|imm`.
    pub(super) fn trap_jump(&mut self, op: Op, f: DynamicLabel) {
        match op {
            Op::Teq | Op::Teqi => dynasm!(self.ops ; .arch x64 ; je =>f),
            Op::Tne | Op::Tnei => dynasm!(self.ops ; .arch x64 ; jne =>f),
            Op::Tge | Op::Tgei => dynasm!(self.ops ; .arch x64 ; jge =>f),
            Op::Tgeu | Op::Tgeiu => dynasm!(self.ops ; .arch x64 ; jae =>f),
            Op::Tlt | Op::Tlti => dynasm!(self.ops ; .arch x64 ; jl =>f),
            _ => dynasm!(self.ops ; .arch x64 ; jb =>f),
        }
    }

    /// The label a jump to guest `target` goes to: the exit stub of a chain
    /// slot (and the text index to chain to), a halt when a jump lands just
    /// past the last instruction (the interpreter halts there at once, even
    /// with no budget left; running off the end sequentially meets the
    /// budget first), or the fall-back to the interpreter when the target is
    /// outside the program.
    pub(super) fn jump_label(
        &mut self,
        target: u32,
        k: u32,
        pc: u32,
        flow: Flow,
    ) -> (DynamicLabel, Option<u32>) {
        // Back to the start of a block that checks alignments on entry:
        // past the checks, which hold for every pass.
        if let Some(head) = self.head.filter(|_| self.text_index(target) == Some(self.start)) {
            return (head, None);
        }
        match self.text_index(target) {
            Some(index) if index == self.text_len && flow == Flow::Jump => {
                let stub = self.ops.new_dynamic_label();
                self.halts.push((stub, target));
                (stub, None)
            }
            Some(index) => {
                let stub = self.ops.new_dynamic_label();
                self.stubs.push((stub, target));
                (stub, Some(index))
            }
            None => (self.fallback(k, pc), None),
        }
    }

    /// Where conditional branch `k` at `pc` jumps when taken: straight to
    /// the target's chain slot, or with delay slots to a path in the block
    /// that runs the slot first.
    pub(super) fn taken_label(&mut self, target: u32, k: u32, pc: u32) -> Taken {
        if self.inner(k) {
            // Inside a superblock: a side exit, after the superblock's end.
            Taken { label: self.ops.new_dynamic_label(), chain: None, target, inverted: false }
        } else if self.delay && !self.hoisted {
            Taken { label: self.ops.new_dynamic_label(), chain: None, target, inverted: true }
        } else {
            let (label, chain) = self.jump_label(target, k, pc, Flow::Jump);
            Taken { label, chain, target, inverted: false }
        }
    }

    /// After the conditional jump of branch `op` (the `jcc`), the not-taken
    /// path continues at `next`; with delay slots both paths first run the
    /// slot (the not-taken path of a branch-likely annuls it: it neither
    /// runs nor counts).
    pub(super) fn after_conditional(&mut self, taken: Taken, op: Op, next: u32, k: u32, pc: u32) {
        if self.inner(k) {
            // The path not taken goes on in line, its slot first.
            self.side_exits.push((taken.label, k, taken.target, self.hoisted));
            if self.delay && !self.hoisted {
                self.delay_slot(k, SlotTarget::Fixed(next.wrapping_add(4)));
            }
            return;
        }
        if !self.delay || self.hoisted {
            if let Some(index) = taken.chain {
                // The `jcc rel32` just emitted is the taken path's chain slot.
                let at = self.ops.offset();
                self.slots.push((at, index));
            }
            if self.hoisted {
                // The slot ran before the branch: on past it.
                self.goto_after_slot(next.wrapping_add(4), Flow::Fall);
            } else {
                self.goto(next, k, pc, Flow::Fall);
            }
            return;
        }
        // The `jcc` went to the not-taken path: the taken one runs on in
        // line (a loop's back edge takes one jump, not two), and the
        // not-taken one comes last, so that its target can follow the
        // block with no jump at all.
        let past = next.wrapping_add(4);
        self.delay_slot(k, SlotTarget::Fixed(taken.target));
        self.goto_after_slot(taken.target, Flow::Jump);
        dynasm!(self.ops ; .arch x64 ; =>taken.label);
        if op.flags().contains(Flags::LIKELY) {
            dynasm!(self.ops ; .arch x64 ; add r12, 1);
        } else {
            self.delay_slot(k, SlotTarget::Fixed(past));
        }
        self.goto_after_slot(past, Flow::Fall);
    }

    /// True when branch `k` is not the block's last transfer: a superblock
    /// goes on past it (see [`super::extent`]).
    pub(super) fn inner(&self, k: u32) -> bool {
        k + 1 + u32::from(self.delay) < self.len
    }

    /// Translates the delay slot of transfer `k` (instruction `k + 1`, which
    /// [`block_len`] put in the block only if it may run there). Should it
    /// leave translated code, its fall-back records the pending branch, so
    /// the interpreter completes the transfer.
    pub(super) fn delay_slot(&mut self, k: u32, target: SlotTarget) {
        let s = k + 1;
        let inst = self.code[s as usize];
        let index = self.start + s;
        self.in_slot = Some(target);
        if self.fp_record[s as usize] {
            self.fp_record(&inst, index);
        }
        self.inst(&inst, index, s);
        if inst.op.flags().contains(Flags::FPU) {
            self.fp_mark_used();
        }
        self.in_slot = None;
    }

    /// Ends a path with a jump to guest `target` (after the delay slot,
    /// when there are delay slots).
    pub(super) fn jump_to(&mut self, target: u32, k: u32, pc: u32) {
        if self.delay {
            self.goto_after_slot(target, Flow::Jump);
        } else {
            self.goto(target, k, pc, Flow::Jump);
        }
    }

    /// A call (`jal`) to guest `target` returning to `link`: with room on
    /// the host stack, a return entry (the guest return address, and by
    /// the host `call` the code that goes on at `link`) so that `jr $ra`
    /// can return with the host's `ret`, which the processor predicts; every
    /// exit from generated code drops the entries (`rsp` back to the
    /// context's level). Without room, a plain jump.
    pub(super) fn call(&mut self, target: u32, link: u32, k: u32, pc: u32) {
        let (callee, plain) = (self.ops.new_dynamic_label(), self.ops.new_dynamic_label());
        dynasm!(self.ops
            ; .arch x64
            ; cmp rsp, [r15 + CTX_RETURN_LIMIT]
            ; jbe =>plain
            ; push link as i32
            ; call =>callee
        );
        // Returned to, by `ret`: the guest goes on at `link`.
        self.goto_after_slot(link, Flow::Fall);
        dynasm!(self.ops ; .arch x64 ; =>callee);
        self.jump_to(target, k, pc);
        dynasm!(self.ops ; .arch x64 ; =>plain);
        self.jump_to(target, k, pc);
    }

    /// Ends a path after a delay slot with a jump to guest `target`: a chain
    /// slot, or when the target is outside the program, an exit there (the
    /// branch and its slot have retired; the interpreter reports the fetch).
    pub(super) fn goto_after_slot(&mut self, target: u32, flow: Flow) {
        if self.text_index(target).is_some() {
            self.goto(target, 0, target, flow);
        } else {
            self.exit_with(exit_code::INTERP, target);
        }
    }
}

/// True when `i` translates as register copies or constants alone (`mov`s,
/// which leave the host flags): what [`Translator::copy_or_constant`]
/// takes, `move`, `li`, `lui` and `nop`.
fn keeps_flags(i: &Inst) -> bool {
    use Op::*;
    match i.op {
        Addu | Or | Xor => i.rt == 0 || i.rs == 0,
        Subu => i.rt == 0,
        Sll | Srl | Sra | Rotr => i.sa == 0,
        Addiu | Ori | Xori => i.imm == 0 || i.rs == 0,
        Lui => true,
        _ => false,
    }
}
