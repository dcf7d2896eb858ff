//! The dispatch loop with branch delay slots (SPEC §5): the instruction
//! after a branch or jump runs before control transfers.
//!
//! The state between a branch and its slot lives in the CPU
//! ([`Cpu::delay_pending`](crate::vm::Cpu::delay_pending), `delay_target`),
//! not in this loop, so a VM can stop there — at the end of a slice, for a
//! snapshot or a migration — and resume exactly, under either engine.
//! Every branch, taken or not, makes the next instruction its slot (so a
//! branch in the slot of a not-taken branch is caught too, as qemu-mipsel
//! does); a branch-likely that is not taken annuls its slot, which then
//! neither runs nor counts. A transfer to an address outside the program is
//! the fault of the fetch there: `pc` is the target and nothing more
//! retires.

use super::{branch, fpu, mask, multiply_accumulate, set, Next};
use crate::isa::{Flags, Op};
use crate::vm::Cpu;
use crate::vm::{Exit, Fault, Machine};

/// Runs at most `budget` instructions with delay slots; returns how many
/// retired and why it stopped.
pub fn run(m: &mut Machine, budget: u64) -> (u64, Exit) {
    let Machine { cpu, mem, code, text_base, .. } = m;
    let text_base = *text_base;
    // The decoded text as a local slice: its address and length stay in
    // registers instead of being read again from the machine after every
    // register write (which the compiler cannot tell apart from them).
    let code: &[crate::isa::Inst] = code;
    let locate = |pc: u32| super::locate(pc, text_base, code.len());
    let at = |index: usize| text_base.wrapping_add(4 * index as u32);
    let mut index = match locate(cpu.pc) {
        Ok(i) => i,
        Err(exit) => return (0, exit),
    };
    let mut left = budget;
    let exit = loop {
        let pc = at(index);
        if left == 0 {
            cpu.pc = pc;
            break Exit::Budget;
        }
        let Some(inst) = code.get(index) else {
            cpu.pc = pc;
            break Exit::Halt;
        };
        let in_slot = cpu.delay_pending != 0;
        let flags = inst.op.flags();
        if in_slot && !fits_delay_slot(inst.op) {
            // Nothing has changed: the fault is the slot's.
            cpu.pc = pc;
            break Exit::Fault(slot_fault(inst.op));
        }
        left -= 1;
        macro_rules! fault {
            ($f:expr) => {{
                left += 1;
                cpu.pc = pc;
                break Exit::Fault($f);
            }};
        }
        // As in the loop without slots, an ordinary instruction outside a
        // slot continues at once; everything else is dispatched below.
        let next = semantics!(cpu, mem, inst, pc, seq: {
            if !in_slot && !flags.transfers() {
                index += 1;
                continue;
            }
            Next::Seq
        }, fault: fault);
        match next {
            Next::Syscall => {
                cpu.pc = pc.wrapping_add(4);
                break Exit::Syscall;
            }
            Next::Para => {
                cpu.pc = pc.wrapping_add(4);
                break Exit::Para;
            }
            Next::Seq if !flags.transfers() => {
                if !in_slot {
                    index += 1;
                    continue;
                }
                // Cleared with the pending flag: the target means something
                // only while a slot is pending (state compares exactly).
                cpu.delay_pending = 0;
                let target = std::mem::take(&mut cpu.delay_target);
                match locate(target) {
                    Ok(i) => index = i,
                    Err(exit) => {
                        cpu.pc = target;
                        break exit;
                    }
                }
            }
            Next::Seq if flags.contains(Flags::LIKELY) => index += 2,
            Next::Seq => {
                cpu.delay_pending = 1;
                cpu.delay_target = pc.wrapping_add(8);
                index += 1;
            }
            Next::Jump(target) => {
                cpu.delay_pending = 1;
                cpu.delay_target = target;
                index += 1;
            }
        }
    };
    let done = budget - left;
    cpu.retired += done;
    (done, exit)
}

/// True for an instruction that may run in a delay slot.
pub fn fits_delay_slot(op: Op) -> bool {
    let flags = op.flags();
    !flags.transfers() && op != Op::Syscall && !flags.contains(Flags::PARA)
}

/// Why an instruction cannot run in a delay slot: a branch or jump there is
/// a reserved instruction on MIPS32 (as qemu-mipsel treats it); a `syscall`
/// or para-instruction there is not supported (no compiler puts one there).
pub fn slot_fault(op: Op) -> Fault {
    if op.flags().transfers() {
        Fault::BranchInDelaySlot
    } else {
        let name = op.def().map_or("?", |d| d.mnemonic);
        Fault::Unsupported(format!("`{name}` in a branch delay slot is not supported"))
    }
}
