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

#[inline(always)]
fn trap(cond: bool) -> Result<Next, Fault> {
    if cond {
        Err(Fault::Trap)
    } else {
        Ok(Next::Seq)
    }
}

fn mask(bits: u32) -> u32 {
    if bits >= 32 {
        u32::MAX
    } else {
        (1 << bits) - 1
    }
}

/// Executes one instruction at `pc`. On a fault nothing has changed.
///
/// Division by zero does not trap: `LO` = all ones and `HI` = the dividend
/// (the RISC-V convention, for `div` and `divu`); `INT_MIN / -1` gives
/// `LO = INT_MIN`, `HI = 0`.
#[inline(always)]
pub fn execute(cpu: &mut Cpu, mem: &mut GuestMemory, i: &Inst, pc: u32) -> Result<Next, Fault> {
    let r = |cpu: &Cpu, n: u8| cpu.regs[(n & 31) as usize];
    let rs = r(cpu, i.rs);
    let rt = r(cpu, i.rt);
    let addr = rs.wrapping_add(i.imm);
    let imm = i.imm;
    // With delay slots the return address is past the slot (computed in
    // the arms that link: evaluated up here for every instruction, it cost
    // the interpreter's hot loop a few instructions each).
    let link = |cpu: &Cpu| pc.wrapping_add(4 + 4 * (cpu.delay_mode != 0) as u32);
    use Next::*;
    Ok(match i.op {
        crate::fpu_ops!() => return fpu::execute(cpu, mem, i, pc),
        Op::Sll => {
            set(cpu, i.rd, rt << i.sa);
            Seq
        }
        Op::Srl => {
            set(cpu, i.rd, rt >> i.sa);
            Seq
        }
        Op::Rotr => {
            set(cpu, i.rd, rt.rotate_right(i.sa as u32));
            Seq
        }
        Op::Sra => {
            set(cpu, i.rd, ((rt as i32) >> i.sa) as u32);
            Seq
        }
        Op::Sllv => {
            set(cpu, i.rd, rt << (rs & 31));
            Seq
        }
        Op::Srlv => {
            set(cpu, i.rd, rt >> (rs & 31));
            Seq
        }
        Op::Rotrv => {
            set(cpu, i.rd, rt.rotate_right(rs & 31));
            Seq
        }
        Op::Srav => {
            set(cpu, i.rd, ((rt as i32) >> (rs & 31)) as u32);
            Seq
        }
        Op::Jr => Jump(rs),
        Op::Jalr => {
            let link = link(cpu);
            set(cpu, i.rd, link);
            Jump(rs)
        }
        Op::Movz => {
            if rt == 0 {
                set(cpu, i.rd, rs);
            }
            Seq
        }
        Op::Movn => {
            if rt != 0 {
                set(cpu, i.rd, rs);
            }
            Seq
        }
        Op::Syscall => Syscall,
        Op::Break => return Err(Fault::Break(i.imm >> 10)),
        Op::Sync | Op::Pref => Seq,
        Op::Mfhi => {
            set(cpu, i.rd, cpu.hi);
            Seq
        }
        Op::Mthi => {
            cpu.hi = rs;
            Seq
        }
        Op::Mflo => {
            set(cpu, i.rd, cpu.lo);
            Seq
        }
        Op::Mtlo => {
            cpu.lo = rs;
            Seq
        }
        Op::Mult => {
            let p = (rs as i32 as i64).wrapping_mul(rt as i32 as i64) as u64;
            cpu.hi = (p >> 32) as u32;
            cpu.lo = p as u32;
            Seq
        }
        Op::Multu => {
            let p = rs as u64 * rt as u64;
            cpu.hi = (p >> 32) as u32;
            cpu.lo = p as u32;
            Seq
        }
        Op::Div => {
            let (n, d) = (rs as i32, rt as i32);
            (cpu.lo, cpu.hi) = match d {
                0 => (u32::MAX, rs),
                -1 if n == i32::MIN => (rs, 0),
                _ => ((n / d) as u32, (n % d) as u32),
            };
            Seq
        }
        Op::Divu => {
            (cpu.lo, cpu.hi) = match (rs.checked_div(rt), rs.checked_rem(rt)) {
                (Some(q), Some(r)) => (q, r),
                _ => (u32::MAX, rs),
            };
            Seq
        }
        Op::Add => {
            let v = (rs as i32).checked_add(rt as i32).ok_or(Fault::Overflow)?;
            set(cpu, i.rd, v as u32);
            Seq
        }
        Op::Addu => {
            set(cpu, i.rd, rs.wrapping_add(rt));
            Seq
        }
        Op::Sub => {
            let v = (rs as i32).checked_sub(rt as i32).ok_or(Fault::Overflow)?;
            set(cpu, i.rd, v as u32);
            Seq
        }
        Op::Subu => {
            set(cpu, i.rd, rs.wrapping_sub(rt));
            Seq
        }
        Op::And => {
            set(cpu, i.rd, rs & rt);
            Seq
        }
        Op::Or => {
            set(cpu, i.rd, rs | rt);
            Seq
        }
        Op::Xor => {
            set(cpu, i.rd, rs ^ rt);
            Seq
        }
        Op::Nor => {
            set(cpu, i.rd, !(rs | rt));
            Seq
        }
        Op::Slt => {
            set(cpu, i.rd, ((rs as i32) < (rt as i32)) as u32);
            Seq
        }
        Op::Sltu => {
            set(cpu, i.rd, (rs < rt) as u32);
            Seq
        }
        Op::Tge => return trap(rs as i32 >= rt as i32),
        Op::Tgeu => return trap(rs >= rt),
        Op::Tlt => return trap((rs as i32) < rt as i32),
        Op::Tltu => return trap(rs < rt),
        Op::Teq => return trap(rs == rt),
        Op::Tne => return trap(rs != rt),
        Op::Tgei => return trap(rs as i32 >= imm as i32),
        Op::Tgeiu => return trap(rs >= imm),
        Op::Tlti => return trap((rs as i32) < imm as i32),
        Op::Tltiu => return trap(rs < imm),
        Op::Teqi => return trap(rs == imm),
        Op::Tnei => return trap(rs != imm),
        Op::Bltz | Op::Bltzl => branch((rs as i32) < 0, i, pc),
        Op::Bgez | Op::Bgezl => branch(rs as i32 >= 0, i, pc),
        Op::Bltzal | Op::Bltzall => {
            // Real MIPS32 links whether or not the branch is taken.
            let taken = (rs as i32) < 0;
            let link = link(cpu);
            set(cpu, 31, link);
            branch(taken, i, pc)
        }
        Op::Bgezal | Op::Bgezall => {
            let taken = rs as i32 >= 0;
            let link = link(cpu);
            set(cpu, 31, link);
            branch(taken, i, pc)
        }
        Op::J => Jump(i.jump_target(pc)),
        Op::Jal => {
            let link = link(cpu);
            set(cpu, 31, link);
            Jump(i.jump_target(pc))
        }
        Op::Beq | Op::Beql => branch(rs == rt, i, pc),
        Op::Bne | Op::Bnel => branch(rs != rt, i, pc),
        Op::Blez | Op::Blezl => branch(rs as i32 <= 0, i, pc),
        Op::Bgtz | Op::Bgtzl => branch(rs as i32 > 0, i, pc),
        Op::Addi => {
            let v = (rs as i32).checked_add(imm as i32).ok_or(Fault::Overflow)?;
            set(cpu, i.rt, v as u32);
            Seq
        }
        Op::Addiu => {
            set(cpu, i.rt, rs.wrapping_add(imm));
            Seq
        }
        Op::Slti => {
            set(cpu, i.rt, ((rs as i32) < imm as i32) as u32);
            Seq
        }
        Op::Sltiu => {
            set(cpu, i.rt, (rs < imm) as u32);
            Seq
        }
        Op::Andi => {
            set(cpu, i.rt, rs & imm);
            Seq
        }
        Op::Ori => {
            set(cpu, i.rt, rs | imm);
            Seq
        }
        Op::Xori => {
            set(cpu, i.rt, rs ^ imm);
            Seq
        }
        Op::Lui => {
            set(cpu, i.rt, imm << 16);
            Seq
        }
        Op::Madd | Op::Maddu | Op::Msub | Op::Msubu => {
            multiply_accumulate(cpu, i.op, rs, rt);
            Seq
        }
        Op::Mul => {
            set(cpu, i.rd, rs.wrapping_mul(rt));
            Seq
        }
        Op::Clz => {
            set(cpu, i.rd, rs.leading_zeros());
            Seq
        }
        Op::Clo => {
            set(cpu, i.rd, rs.leading_ones());
            Seq
        }
        Op::Ext => {
            set(cpu, i.rt, (rs >> i.sa) & mask(i.rd as u32 + 1));
            Seq
        }
        Op::Ins => {
            let field = mask(i.rd as u32 - i.sa as u32 + 1) << i.sa;
            set(cpu, i.rt, (rt & !field) | ((rs << i.sa) & field));
            Seq
        }
        Op::Wsbh => {
            set(cpu, i.rd, ((rt & 0x00ff_00ff) << 8) | ((rt >> 8) & 0x00ff_00ff));
            Seq
        }
        Op::Seb => {
            set(cpu, i.rd, rt as u8 as i8 as i32 as u32);
            Seq
        }
        Op::Rdhwr => match i.rd {
            // UserLocal, which Linux gives user mode (the kernel emulates
            // the instruction on cores without it).
            29 => {
                set(cpu, i.rt, cpu.user_local);
                Seq
            }
            // CPUNum: one CPU.
            0 => {
                set(cpu, i.rt, 0);
                Seq
            }
            _ => return Err(Fault::ReservedInstruction(crate::isa::encode(i))),
        },
        Op::Seh => {
            set(cpu, i.rd, rt as u16 as i16 as i32 as u32);
            Seq
        }
        Op::Lb => {
            set(cpu, i.rt, mem.load8(addr)? as i8 as i32 as u32);
            Seq
        }
        Op::Lbu => {
            set(cpu, i.rt, mem.load8(addr)? as u32);
            Seq
        }
        Op::Lh => {
            set(cpu, i.rt, mem.load16(addr)? as i16 as i32 as u32);
            Seq
        }
        Op::Lhu => {
            set(cpu, i.rt, mem.load16(addr)? as u32);
            Seq
        }
        Op::Lw | Op::Ll => {
            set(cpu, i.rt, mem.load32(addr)?);
            Seq
        }
        Op::Lwl => {
            // Little-endian: the addressed byte and those below it fill rt from the top.
            let word = mem.load32(addr & !3)?;
            let shift = 8 * (3 - (addr & 3));
            set(cpu, i.rt, (word << shift) | (rt & mask(shift)));
            Seq
        }
        Op::Lwr => {
            // Little-endian: the addressed byte and those above it fill rt from the bottom.
            let word = mem.load32(addr & !3)?;
            let shift = 8 * (addr & 3);
            set(cpu, i.rt, (word >> shift) | (rt & !(u32::MAX >> shift)));
            Seq
        }
        Op::Sb => {
            mem.store8(addr, rt as u8)?;
            Seq
        }
        Op::Sh => {
            mem.store16(addr, rt as u16)?;
            Seq
        }
        Op::Sw => {
            mem.store32(addr, rt)?;
            Seq
        }
        Op::Sc => {
            // One guest thread: a store-conditional always succeeds.
            mem.store32(addr, rt)?;
            set(cpu, i.rt, 1);
            Seq
        }
        Op::Swl => {
            let at = addr & !3;
            let word = mem.load32(at).map_err(|_| Fault::Unmapped { addr, write: true })?;
            let shift = 8 * (3 - (addr & 3));
            mem.store32(at, (word & !(u32::MAX >> shift)) | (rt >> shift))?;
            Seq
        }
        Op::Swr => {
            let at = addr & !3;
            let word = mem.load32(at).map_err(|_| Fault::Unmapped { addr, write: true })?;
            let shift = 8 * (addr & 3);
            mem.store32(at, (word & mask(shift)) | (rt << shift))?;
            Seq
        }
        Op::DumpState | Op::Snapshot | Op::Migrate => Para,
        Op::Invalid => return Err(Fault::ReservedInstruction(mem.load32(pc).unwrap_or(u32::MAX))),
    })
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
        let pc = at(index);
        let Some(inst) = code.get(index) else {
            // Ran past the last instruction.
            cpu.pc = pc;
            break Exit::Halt;
        };
        left -= 1;
        match execute(cpu, mem, inst, pc) {
            Ok(Next::Seq) => index += 1,
            Ok(Next::Jump(target)) => match locate(target) {
                Ok(i) => index = i,
                Err(Exit::Halt) => {
                    cpu.pc = target;
                    break Exit::Halt;
                }
                Err(exit) => {
                    // A jump out of the program is the jump's fault: it does not retire.
                    left += 1;
                    cpu.pc = pc;
                    break exit;
                }
            },
            Ok(Next::Syscall) => {
                cpu.pc = at(index + 1);
                break Exit::Syscall;
            }
            Ok(Next::Para) => {
                cpu.pc = at(index + 1);
                break Exit::Para;
            }
            Err(fault) => {
                left += 1; // a faulting instruction does not retire
                cpu.pc = pc;
                break Exit::Fault(fault);
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
