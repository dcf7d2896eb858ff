//! `--trace`: one line on stderr per retired instruction, with what it
//! changed, in a form two runs (or two engines) can be diffed by:
//!
//! ```text
//! vm1 #3 0x00400008: sw      $t0,0($sp) (fact.s:4:9: sw $t0, 0($sp)) [0x7fffeffc]=0x00000005
//! ```
//!
//! VM, instructions retired with this one, pc, disassembly, source, then
//! every change: general registers (`$t0=0x…`), `hi`, `lo`, FP registers
//! (`$f2=0x…`, raw bits), `fcsr`, and the aligned words a store wrote
//! (`[0x…]=0x…`). A syscall's line shows what serving it changed. A traced
//! VM runs one instruction per engine call, whichever engine it has, so
//! every line comes from a state both engines agree on.

use crate::isa::{disasm_with, Flags, Inst, Op};
use crate::vm::{Cpu, Machine};
use std::fmt::Write as _;

/// What an instruction's line is compared against: the state before it,
/// and the words a store may write.
pub struct Mark {
    cpu: Cpu,
    pc: u32,
    inst: Option<Inst>,
    /// First aligned word and how many a store covers.
    stored: Option<(u32, u32)>,
}

impl Mark {
    /// The state before the next instruction of `m`.
    pub fn take(m: &Machine) -> Mark {
        let pc = m.cpu.pc;
        let inst = m.inst_at(pc).copied();
        let stored = inst.filter(|i| i.op.flags().contains(Flags::STORE)).map(|i| {
            let addr = m.cpu.regs[i.rs as usize].wrapping_add(i.imm);
            let width = match i.op {
                Op::Sb => 1,
                Op::Sh => 2,
                Op::Sdc1 => 8,
                _ => 4,
            };
            let first = addr & !3;
            let last = addr.wrapping_add(width - 1) & !3;
            (first, last.wrapping_sub(first) / 4 + 1)
        });
        Mark { cpu: m.cpu.clone(), pc, inst, stored }
    }

    /// Instructions retired before the mark.
    pub fn retired(&self) -> u64 {
        self.cpu.retired
    }

    /// The line for the instruction retired since the mark (no newline).
    pub fn line(&self, vm: u32, m: &Machine) -> String {
        let mut line = format!("vm{vm} #{} 0x{:08x}: ", m.cpu.retired, self.pc);
        match &self.inst {
            Some(inst) => line.push_str(&disasm_with(inst, self.pc, &m.program.para_args)),
            None => line.push('?'),
        }
        if let Some(loc) = m.program.loc_of(self.pc) {
            let source = m.program.source.line_text(loc).trim();
            let _ = write!(line, " ({}: {source})", m.program.source.describe(loc));
        } else if let Some((name, offset)) = m.program.symbol_at(self.pc) {
            let _ = write!(line, " ({name}+0x{offset:x})");
        }
        let (before, after) = (&self.cpu, &m.cpu);
        for r in 1..32 {
            if before.regs[r] != after.regs[r] {
                let _ = write!(line, " ${}=0x{:08x}", crate::isa::reg::NAMES[r], after.regs[r]);
            }
        }
        if before.hi != after.hi {
            let _ = write!(line, " hi=0x{:08x}", after.hi);
        }
        if before.lo != after.lo {
            let _ = write!(line, " lo=0x{:08x}", after.lo);
        }
        for f in 0..32 {
            if before.fpr[f] != after.fpr[f] {
                let _ = write!(line, " $f{f}=0x{:08x}", after.fpr[f]);
            }
        }
        if before.fcsr != after.fcsr {
            let _ = write!(line, " fcsr=0x{:08x}", after.fcsr);
        }
        if let Some((first, words)) = self.stored {
            for k in 0..words {
                let addr = first.wrapping_add(4 * k);
                if let Ok(word) = m.mem.load32(addr) {
                    let _ = write!(line, " [0x{addr:08x}]=0x{word:08x}");
                }
            }
        }
        line
    }
}
