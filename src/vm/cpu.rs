//! The guest CPU state, shared by both engines (the JIT addresses its fields
//! by offset, hence `#[repr(C)]`).

use crate::isa::reg;
use crate::program::{Program, GP_INIT, SP_INIT};

/// MIPS32 integer CPU state.
#[repr(C)]
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cpu {
    /// General-purpose registers; `regs[0]` is always zero.
    pub regs: [u32; 32],
    /// Address of the next instruction to execute.
    pub pc: u32,
    /// HI register (multiply high word, division remainder).
    pub hi: u32,
    /// LO register (multiply low word, division quotient).
    pub lo: u32,
    /// Explicit padding so the layout has no hidden bytes.
    pub _pad: u32,
    /// Instructions retired since the VM started (snapshots carry it on).
    pub retired: u64,
    /// FP registers `$f0`..`$f31` as raw bits; a double lives in an even/odd
    /// pair, low word in the even register (FR=0, as MARS and o32 use it).
    pub fpr: [u32; 32],
    /// FP control and status register (FCSR, `cfc1 $31`).
    pub fcsr: u32,
    /// Nonzero once the VM has run an FPU instruction (dumps show the FP
    /// registers from then on).
    pub fpu_used: u32,
    /// Nonzero when branches have delay slots (SPEC §5: ELF programs and
    /// `.set noreorder` assembly): the instruction after a branch or jump
    /// runs before control transfers, and links point past it.
    pub delay_mode: u32,
    /// Nonzero while `pc` is a delay slot whose branch has retired: after
    /// the slot, execution continues at `delay_target`. A VM can stop here
    /// (slice end, snapshot, migration) and resume exactly.
    pub delay_pending: u32,
    /// Where control goes after the pending delay slot (the branch target,
    /// or the instruction after the slot when the branch was not taken).
    pub delay_target: u32,
    /// The thread pointer (MIPS32's UserLocal register): what `rdhwr $29`
    /// reads, set by Linux's `set_thread_area`.
    pub user_local: u32,
}

impl Cpu {
    /// The state at program entry: MARS's `$gp` and `$sp`, and `$ra` set to
    /// the end of the text, so `jr $ra` out of the entry routine halts.
    pub fn at_entry(program: &Program) -> Cpu {
        let mut regs = [0u32; 32];
        regs[reg::GP as usize] = GP_INIT;
        regs[reg::SP as usize] = SP_INIT;
        regs[reg::RA as usize] = program.text_end();
        Cpu { regs, pc: program.entry, delay_mode: program.delay_slots as u32, ..Cpu::default() }
    }

    /// The address of the branch whose delay slot `pc` is, while one is pending.
    pub fn pending_branch(&self) -> Option<u32> {
        (self.delay_pending != 0).then(|| self.pc.wrapping_sub(4))
    }
}
