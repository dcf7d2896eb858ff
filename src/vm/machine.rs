//! The machine an engine runs: CPU state, guest memory and the pre-decoded text.

use super::{Cpu, GuestMemory, MemoryError};
use crate::asm::Program;
use crate::isa::{decode, Inst};
use std::sync::Arc;

/// What an engine needs to run guest code.
pub struct Machine {
    /// Registers, pc, HI/LO, instructions retired.
    pub cpu: Cpu,
    /// Guest memory.
    pub mem: GuestMemory,
    /// The text segment decoded once, one entry per word.
    pub code: Arc<[Inst]>,
    /// Address of `code[0]`.
    pub text_base: u32,
    /// The program (for messages and para-instruction operands).
    pub program: Arc<Program>,
}

/// A program ready to load into any number of machines: decoded once.
#[derive(Clone)]
pub struct Image {
    /// The program.
    pub program: Arc<Program>,
    /// Its text, decoded.
    pub code: Arc<[Inst]>,
}

impl Image {
    /// Decodes a program's text.
    pub fn new(program: Program) -> Image {
        let code: Arc<[Inst]> = program.text.iter().map(|&w| decode(w)).collect();
        Image { program: Arc::new(program), code }
    }
}

impl Machine {
    /// A machine at the program's entry point.
    pub fn new(image: &Image, memory_limit: u64) -> Result<Machine, MemoryError> {
        let program = Arc::clone(&image.program);
        let mem = GuestMemory::new(&program, memory_limit)?;
        let code = Arc::clone(&image.code);
        Ok(Machine { cpu: Cpu::at_entry(&program), mem, code, text_base: program.text_base, program })
    }

    /// The decoded instruction at `pc`, if it is in the text.
    pub fn inst_at(&self, pc: u32) -> Option<&Inst> {
        let offset = pc.wrapping_sub(self.text_base);
        if offset & 3 != 0 {
            return None;
        }
        self.code.get((offset / 4) as usize)
    }
}
