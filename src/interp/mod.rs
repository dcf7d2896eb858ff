//! The interpreter: the reference semantics of every instruction, and a tight
//! dispatch loop over the pre-decoded text.
//!
//! [`execute`] is the one definition of what an instruction does; the JIT
//! calls it for anything it does not translate itself.

use crate::engine::Engine;
use crate::isa::{Inst, Op};
use crate::vm::{Cpu, Exit, Fault, GuestMemory, Machine};

/// What an instruction does to control flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Go on with the next instruction.
    Seq,
    /// Continue at this address.
    Jump(u32),
    /// A `syscall`: retire it and hand over to the hypervisor.
    Syscall,
    /// A para-instruction: retire it and hand over to the hypervisor.
    Para,
}

#[inline(always)]
fn set(cpu: &mut Cpu, r: u8, v: u32) {
    // Register fields are 5 bits: the mask spares a bounds check.
    cpu.regs[(r & 31) as usize] = v;
    cpu.regs[0] = 0;
}

#[inline(always)]
fn branch(cond: bool, i: &Inst, pc: u32) -> Next {
    if cond {
        Next::Jump(i.branch_target(pc))
    } else {
        Next::Seq
    }
}

/// `madd`, `maddu`, `msub`, `msubu`. Out of line: sharing the product with
/// `mult`'s arm let the compiler compute it for every instruction.
#[inline(never)]
fn multiply_accumulate(cpu: &mut Cpu, op: Op, rs: u32, rt: u32) {
    let acc = ((cpu.hi as u64) << 32) | cpu.lo as u64;
    let product = if matches!(op, Op::Madd | Op::Msub) {
        (rs as i32 as i64).wrapping_mul(rt as i32 as i64) as u64
    } else {
        rs as u64 * rt as u64
    };
    let v = if matches!(op, Op::Madd | Op::Maddu) {
        acc.wrapping_add(product)
    } else {
        acc.wrapping_sub(product)
    };
    cpu.hi = (v >> 32) as u32;
    cpu.lo = v as u32;
}

fn mask(bits: u32) -> u32 {
    if bits >= 32 {
        u32::MAX
    } else {
        (1 << bits) - 1
    }
}

/// The value of `$e`, or the fault it ended in, left through `$fault!`.
macro_rules! or_fault {
    ($e:expr, $fault:ident) => {
        match $e {
            Ok(v) => v,
            Err(fault) => $fault!(fault),
        }
    };
}

/// An instruction whose whole effect is `$v` in register `$r`, then on to
/// the next.
macro_rules! result {
    ($cpu:expr, $r:expr, $v:expr, $seq:expr) => {{
        set($cpu, $r, $v);
        $seq
    }};
}

/// A conditional trap: `Fault::Trap` when `$c` holds, else on to the next.
macro_rules! trap_if {
    ($c:expr, $seq:expr, $fault:ident) => {
        if $c {
            $fault!(Fault::Trap)
        } else {
            $seq
        }
    };
}

/// The semantics of every instruction, once, for two callers: [`execute`]
/// (one instruction, its outcome as a value: the JIT's fall-back) and the
/// interpreter's loop in [`run`], where an instruction that goes on to the
/// next (`seq:`) continues the loop at once instead of returning an outcome
/// to be dispatched a second time (about a sixth of the loop's host
/// instructions). `fault:` names a macro that leaves with a fault; anything
/// else evaluates to a [`Next`]. On a fault nothing has changed.
macro_rules! semantics {
    ($cpu:expr, $mem:expr, $i:expr, $pc:expr, seq: $seq:expr, fault: $fault:ident) => {{
        let rs = $cpu.regs[($i.rs & 31) as usize];
        let rt = $cpu.regs[($i.rt & 31) as usize];
        let imm = $i.imm;
        // Computed in the arms that use them: evaluated up front, the
        // compiler did so for every instruction.
        let addr = || rs.wrapping_add(imm);
        // With delay slots the return address is past the slot.
        let link = |cpu: &Cpu| $pc.wrapping_add(4 + 4 * (cpu.delay_mode != 0) as u32);
        #[allow(unused_imports)]
        use Next::*;
        match $i.op {
            crate::fpu_ops!() => match fpu::execute($cpu, $mem, $i, $pc) {
                Ok(next) => next,
                Err(fault) => $fault!(fault),
            },
            Op::Sll => result!($cpu, $i.rd, rt << $i.sa, $seq),
            Op::Srl => result!($cpu, $i.rd, rt >> $i.sa, $seq),
            Op::Rotr => result!($cpu, $i.rd, rt.rotate_right($i.sa as u32), $seq),
            Op::Sra => result!($cpu, $i.rd, ((rt as i32) >> $i.sa) as u32, $seq),
            Op::Sllv => result!($cpu, $i.rd, rt << (rs & 31), $seq),
            Op::Srlv => result!($cpu, $i.rd, rt >> (rs & 31), $seq),
            Op::Rotrv => result!($cpu, $i.rd, rt.rotate_right(rs & 31), $seq),
            Op::Srav => result!($cpu, $i.rd, ((rt as i32) >> (rs & 31)) as u32, $seq),
            Op::Jr => Jump(rs),
            Op::Jalr => {
                let link = link(&$cpu);
                set($cpu, $i.rd, link);
                Jump(rs)
            }
            Op::Movz => {
                if rt == 0 {
                    set($cpu, $i.rd, rs);
                }
                $seq
            }
            Op::Movn => {
                if rt != 0 {
                    set($cpu, $i.rd, rs);
                }
                $seq
            }
            Op::Syscall => Syscall,
            Op::Break => $fault!(Fault::Break($i.imm >> 10)),
            Op::Sync | Op::Pref => $seq,
            Op::Mfhi => result!($cpu, $i.rd, $cpu.hi, $seq),
            Op::Mthi => {
                $cpu.hi = rs;
                $seq
            }
            Op::Mflo => result!($cpu, $i.rd, $cpu.lo, $seq),
            Op::Mtlo => {
                $cpu.lo = rs;
                $seq
            }
            Op::Mult => {
                let p = (rs as i32 as i64).wrapping_mul(rt as i32 as i64) as u64;
                $cpu.hi = (p >> 32) as u32;
                $cpu.lo = p as u32;
                $seq
            }
            Op::Multu => {
                let p = rs as u64 * rt as u64;
                $cpu.hi = (p >> 32) as u32;
                $cpu.lo = p as u32;
                $seq
            }
            Op::Div => {
                let (n, d) = (rs as i32, rt as i32);
                ($cpu.lo, $cpu.hi) = match d {
                    0 => (u32::MAX, rs),
                    -1 if n == i32::MIN => (rs, 0),
                    _ => ((n / d) as u32, (n % d) as u32),
                };
                $seq
            }
            Op::Divu => {
                ($cpu.lo, $cpu.hi) = match (rs.checked_div(rt), rs.checked_rem(rt)) {
                    (Some(q), Some(r)) => (q, r),
                    _ => (u32::MAX, rs),
                };
                $seq
            }
            Op::Add => {
                let Some(v) = (rs as i32).checked_add(rt as i32) else { $fault!(Fault::Overflow) };
                set($cpu, $i.rd, v as u32);
                $seq
            }
            Op::Addu => result!($cpu, $i.rd, rs.wrapping_add(rt), $seq),
            Op::Sub => {
                let Some(v) = (rs as i32).checked_sub(rt as i32) else { $fault!(Fault::Overflow) };
                set($cpu, $i.rd, v as u32);
                $seq
            }
            Op::Subu => result!($cpu, $i.rd, rs.wrapping_sub(rt), $seq),
            Op::And => result!($cpu, $i.rd, rs & rt, $seq),
            Op::Or => result!($cpu, $i.rd, rs | rt, $seq),
            Op::Xor => result!($cpu, $i.rd, rs ^ rt, $seq),
            Op::Nor => result!($cpu, $i.rd, !(rs | rt), $seq),
            Op::Slt => result!($cpu, $i.rd, ((rs as i32) < (rt as i32)) as u32, $seq),
            Op::Sltu => result!($cpu, $i.rd, (rs < rt) as u32, $seq),
            Op::Tge => trap_if!(rs as i32 >= rt as i32, $seq, $fault),
            Op::Tgeu => trap_if!(rs >= rt, $seq, $fault),
            Op::Tlt => trap_if!((rs as i32) < rt as i32, $seq, $fault),
            Op::Tltu => trap_if!(rs < rt, $seq, $fault),
            Op::Teq => trap_if!(rs == rt, $seq, $fault),
            Op::Tne => trap_if!(rs != rt, $seq, $fault),
            Op::Tgei => trap_if!(rs as i32 >= imm as i32, $seq, $fault),
            Op::Tgeiu => trap_if!(rs >= imm, $seq, $fault),
            Op::Tlti => trap_if!((rs as i32) < imm as i32, $seq, $fault),
            Op::Tltiu => trap_if!(rs < imm, $seq, $fault),
            Op::Teqi => trap_if!(rs == imm, $seq, $fault),
            Op::Tnei => trap_if!(rs != imm, $seq, $fault),
            Op::Bltz | Op::Bltzl => branch((rs as i32) < 0, $i, $pc),
            Op::Bgez | Op::Bgezl => branch(rs as i32 >= 0, $i, $pc),
            Op::Bltzal | Op::Bltzall => {
                // Real MIPS32 links whether or not the branch is taken.
                let taken = (rs as i32) < 0;
                let link = link(&$cpu);
                set($cpu, 31, link);
                branch(taken, $i, $pc)
            }
            Op::Bgezal | Op::Bgezall => {
                let taken = rs as i32 >= 0;
                let link = link(&$cpu);
                set($cpu, 31, link);
                branch(taken, $i, $pc)
            }
            Op::J => Jump($i.jump_target($pc)),
            Op::Jal => {
                let link = link(&$cpu);
                set($cpu, 31, link);
                Jump($i.jump_target($pc))
            }
            Op::Beq | Op::Beql => branch(rs == rt, $i, $pc),
            Op::Bne | Op::Bnel => branch(rs != rt, $i, $pc),
            Op::Blez | Op::Blezl => branch(rs as i32 <= 0, $i, $pc),
            Op::Bgtz | Op::Bgtzl => branch(rs as i32 > 0, $i, $pc),
            Op::Addi => {
                let Some(v) = (rs as i32).checked_add(imm as i32) else { $fault!(Fault::Overflow) };
                set($cpu, $i.rt, v as u32);
                $seq
            }
            Op::Addiu => result!($cpu, $i.rt, rs.wrapping_add(imm), $seq),
            Op::Slti => result!($cpu, $i.rt, ((rs as i32) < imm as i32) as u32, $seq),
            Op::Sltiu => result!($cpu, $i.rt, (rs < imm) as u32, $seq),
            Op::Andi => result!($cpu, $i.rt, rs & imm, $seq),
            Op::Ori => result!($cpu, $i.rt, rs | imm, $seq),
            Op::Xori => result!($cpu, $i.rt, rs ^ imm, $seq),
            Op::Lui => result!($cpu, $i.rt, imm << 16, $seq),
            Op::Madd | Op::Maddu | Op::Msub | Op::Msubu => {
                multiply_accumulate($cpu, $i.op, rs, rt);
                $seq
            }
            Op::Mul => result!($cpu, $i.rd, rs.wrapping_mul(rt), $seq),
            Op::Clz => result!($cpu, $i.rd, rs.leading_zeros(), $seq),
            Op::Clo => result!($cpu, $i.rd, rs.leading_ones(), $seq),
            Op::Ext => result!($cpu, $i.rt, (rs >> $i.sa) & mask($i.rd as u32 + 1), $seq),
            Op::Ins => {
                let field = mask($i.rd as u32 - $i.sa as u32 + 1) << $i.sa;
                set($cpu, $i.rt, (rt & !field) | ((rs << $i.sa) & field));
                $seq
            }
            Op::Wsbh => result!($cpu, $i.rd, ((rt & 0x00ff_00ff) << 8) | ((rt >> 8) & 0x00ff_00ff), $seq),
            Op::Seb => result!($cpu, $i.rd, rt as u8 as i8 as i32 as u32, $seq),
            Op::Rdhwr => match $i.rd {
                // UserLocal, which Linux gives user mode (the kernel emulates
                // the instruction on cores without it).
                29 => {
                    set($cpu, $i.rt, $cpu.user_local);
                    $seq
                }
                // CPUNum: one CPU.
                0 => {
                    set($cpu, $i.rt, 0);
                    $seq
                }
                _ => $fault!(Fault::ReservedInstruction(crate::isa::encode($i))),
            },
            Op::Seh => result!($cpu, $i.rd, rt as u16 as i16 as i32 as u32, $seq),
            Op::Lb => result!($cpu, $i.rt, or_fault!($mem.load8(addr()), $fault) as i8 as i32 as u32, $seq),
            Op::Lbu => result!($cpu, $i.rt, or_fault!($mem.load8(addr()), $fault) as u32, $seq),
            Op::Lh => result!($cpu, $i.rt, or_fault!($mem.load16(addr()), $fault) as i16 as i32 as u32, $seq),
            Op::Lhu => result!($cpu, $i.rt, or_fault!($mem.load16(addr()), $fault) as u32, $seq),
            Op::Lw | Op::Ll => result!($cpu, $i.rt, or_fault!($mem.load32(addr()), $fault), $seq),
            Op::Lwl => {
                // Little-endian: the addressed byte and those below it fill rt from the top.
                let word = or_fault!($mem.load32(addr() & !3), $fault);
                let shift = 8 * (3 - (addr() & 3));
                set($cpu, $i.rt, (word << shift) | (rt & mask(shift)));
                $seq
            }
            Op::Lwr => {
                // Little-endian: the addressed byte and those above it fill rt from the bottom.
                let word = or_fault!($mem.load32(addr() & !3), $fault);
                let shift = 8 * (addr() & 3);
                set($cpu, $i.rt, (word >> shift) | (rt & !(u32::MAX >> shift)));
                $seq
            }
            Op::Sb => {
                or_fault!($mem.store8(addr(), rt as u8), $fault);
                $seq
            }
            Op::Sh => {
                or_fault!($mem.store16(addr(), rt as u16), $fault);
                $seq
            }
            Op::Sw => {
                or_fault!($mem.store32(addr(), rt), $fault);
                $seq
            }
            Op::Sc => {
                // One guest thread: a store-conditional always succeeds.
                or_fault!($mem.store32(addr(), rt), $fault);
                set($cpu, $i.rt, 1);
                $seq
            }
            Op::Swl => {
                let at = addr() & !3;
                // The word is read to be merged: an unreadable one is the
                // store's fault.
                let word = or_fault!(
                    $mem.load32(at).map_err(|_| Fault::Unmapped { addr: addr(), write: true }),
                    $fault
                );
                let shift = 8 * (3 - (addr() & 3));
                or_fault!($mem.store32(at, (word & !(u32::MAX >> shift)) | (rt >> shift)), $fault);
                $seq
            }
            Op::Swr => {
                let at = addr() & !3;
                // The word is read to be merged: an unreadable one is the
                // store's fault.
                let word = or_fault!(
                    $mem.load32(at).map_err(|_| Fault::Unmapped { addr: addr(), write: true }),
                    $fault
                );
                let shift = 8 * (addr() & 3);
                or_fault!($mem.store32(at, (word & mask(shift)) | (rt << shift)), $fault);
                $seq
            }
            Op::DumpState | Op::Snapshot | Op::Migrate => Para,
            Op::Invalid => $fault!(Fault::ReservedInstruction($mem.load32($pc).unwrap_or(u32::MAX))),
        }
    }};
}

/// Executes one instruction at `pc`. On a fault nothing has changed.
///
/// Division by zero does not trap: `LO` = all ones and `HI` = the dividend
/// (the RISC-V convention, for `div` and `divu`); `INT_MIN / -1` gives
/// `LO = INT_MIN`, `HI = 0`.
#[inline(always)]
pub fn execute(cpu: &mut Cpu, mem: &mut GuestMemory, i: &Inst, pc: u32) -> Result<Next, Fault> {
    macro_rules! leave {
        ($f:expr) => {
            return Err($f)
        };
    }
    Ok(semantics!(cpu, mem, i, pc, seq: Next::Seq, fault: leave))
}

/// The index into the decoded text of `pc` (text of `len` words at
/// `text_base`): just past the end halts, anywhere else outside faults.
fn locate(pc: u32, text_base: u32, len: usize) -> Result<usize, Exit> {
    let offset = pc.wrapping_sub(text_base);
    let index = (offset / 4) as usize;
    if offset & 3 == 0 && index < len {
        Ok(index)
    } else if offset & 3 == 0 && index == len {
        Err(Exit::Halt)
    } else {
        Err(Exit::Fault(Fault::BadPc(pc)))
    }
}

/// Runs at most `budget` instructions; returns how many retired and why it stopped.
pub fn run(m: &mut Machine, budget: u64) -> (u64, Exit) {
    if m.cpu.delay_mode != 0 {
        return delay::run(m, budget);
    }
    let Machine { cpu, mem, code, text_base, .. } = m;
    let text_base = *text_base;
    // The decoded text as a local slice: its address and length stay in
    // registers instead of being read again from the machine after every
    // register write (which the compiler cannot tell apart from them).
    let code: &[Inst] = code;
    // Where the pc is as an index into the decoded text; checked on every jump.
    let locate = |pc: u32| locate(pc, text_base, code.len());
    let mut index = match locate(cpu.pc) {
        Ok(i) => i,
        Err(exit) => return (0, exit),
    };
    let mut left = budget;
    let at = |index: usize| text_base.wrapping_add(4 * index as u32);
    let exit = loop {
        if left == 0 {
            cpu.pc = at(index);
            break Exit::Budget;
        }
        let Some(inst) = code.get(index) else {
            // Ran past the last instruction.
            cpu.pc = at(index);
            break Exit::Halt;
        };
        left -= 1;
        macro_rules! fault {
            ($f:expr) => {{
                left += 1; // a faulting instruction does not retire
                cpu.pc = at(index);
                break Exit::Fault($f);
            }};
        }
        // The pc is worked out only by the instructions that read it.
        let next = semantics!(cpu, mem, inst, at(index), seq: {
            index += 1;
            continue;
        }, fault: fault);
        match next {
            Next::Seq => index += 1,
            Next::Jump(target) => match locate(target) {
                Ok(i) => index = i,
                Err(Exit::Halt) => {
                    cpu.pc = target;
                    break Exit::Halt;
                }
                Err(exit) => {
                    // A jump out of the program is the jump's fault: it does not retire.
                    left += 1;
                    cpu.pc = at(index);
                    break exit;
                }
            },
            Next::Syscall => {
                cpu.pc = at(index + 1);
                break Exit::Syscall;
            }
            Next::Para => {
                cpu.pc = at(index + 1);
                break Exit::Para;
            }
        }
    };
    let done = budget - left;
    cpu.retired += done;
    (done, exit)
}

/// The interpreter as an [`Engine`].
#[derive(Default)]
pub struct Interpreter;

impl Engine for Interpreter {
    fn name(&self) -> &'static str {
        "interp"
    }

    fn run(&mut self, machine: &mut Machine, budget: u64) -> (u64, Exit) {
        run(machine, budget)
    }
}

mod delay;
pub use delay::fits_delay_slot;
pub mod fpu;
#[cfg(test)]
mod roles_check;
#[cfg(test)]
mod tests;
