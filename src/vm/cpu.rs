//! The guest CPU state, shared by both engines (the JIT addresses its fields
//! by offset, hence `#[repr(C)]`).

use crate::asm::program::{Program, GP_INIT, SP_INIT};
use crate::isa::reg;

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
}

impl Cpu {
    /// The state at program entry: MARS's `$gp` and `$sp`, and `$ra` set to
    /// the end of the text, so `jr $ra` out of the entry routine halts.
    pub fn at_entry(program: &Program) -> Cpu {
        let mut regs = [0u32; 32];
        regs[reg::GP as usize] = GP_INIT;
        regs[reg::SP as usize] = SP_INIT;
        regs[reg::RA as usize] = program.text_end();
        Cpu { regs, pc: program.entry, ..Cpu::default() }
    }
}
