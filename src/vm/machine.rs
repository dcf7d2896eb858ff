//! The machine an engine runs: CPU state, guest memory and the pre-decoded text.

use super::{Cpu, DataMap, GuestMemory, MemoryError};
use crate::isa::{decode, Flags, Inst};
use crate::program::Program;
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
    /// See [`Image::least_host_bytes`] (computed once: a program's data
    /// can be large, its VMs many).
    least_host_bytes: u64,
}

/// Host bytes a VM takes besides its guest pages (CPU state, OS state,
/// buffers, its parked permission runs; measured with `scripts/many-vms.sh`).
pub const VM_HOST_OVERHEAD: u64 = 8 << 10;

impl Image {
    /// Decodes a program's text. Para-instructions exist only in assembly
    /// programs: in a Linux executable their opcode is a reserved
    /// instruction, as on a real MIPS.
    pub fn new(program: Program) -> Image {
        let linux = program.linux.is_some();
        let code: Arc<[Inst]> = program
            .text
            .iter()
            .map(|&w| {
                let inst = decode(w);
                if linux && inst.op.flags().contains(Flags::PARA) {
                    Inst::INVALID
                } else {
                    inst
                }
            })
            .collect();
        let least_host_bytes = least_host_bytes(&program);
        Image { program: Arc::new(program), code, least_host_bytes }
    }
}

impl Image {
    /// The least host memory a VM of this program holds once started, even
    /// parked: its text and the pages of static data that are not zero, a
    /// first stack page (with a Linux program's arguments and environment),
    /// and [`VM_HOST_OVERHEAD`]. Memory limits are caps, not reservations:
    /// they do not count.
    pub fn least_host_bytes(&self) -> u64 {
        self.least_host_bytes
    }
}

fn least_host_bytes(program: &Program) -> u64 {
    let page = crate::layout::PAGE_SIZE as u64;
    let text = (4 * program.text.len() as u64).div_ceil(page) * page;
    let not_zero = |chunk: &&[u8]| chunk.iter().fold(0u8, |acc, &b| acc | b) != 0;
    let data_pages =
        program.data.iter().flat_map(|d| d.bytes.chunks(page as usize)).filter(not_zero).count() as u64;
    let stack = match &program.linux {
        Some(start) => {
            let strings: u64 = start.args.iter().chain(&start.env).map(|s| s.len() as u64 + 1).sum();
            (strings + page).next_multiple_of(page)
        }
        None => page,
    };
    text + data_pages * page + stack + VM_HOST_OVERHEAD
}

impl Machine {
    /// A machine at the program's entry point.
    pub fn new(image: &Image, memory_limit: u64) -> Result<Machine, MemoryError> {
        let program = Arc::clone(&image.program);
        // A Linux program's memory is its segments and a heap after them
        // (no MARS data segment).
        let map = if program.linux.is_some() { DataMap::Static } else { DataMap::default() };
        let mem = GuestMemory::with_map(&program, memory_limit, map)?;
        let code = Arc::clone(&image.code);
        let mut m =
            Machine { cpu: Cpu::at_entry(&program), mem, code, text_base: program.text_base, program };
        if let Some(start) = m.program.linux.clone() {
            let seed = m.program.fingerprint();
            super::linux::build_stack(&mut m, &start, seed).map_err(|_| MemoryError::Arguments)?;
        }
        Ok(m)
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
