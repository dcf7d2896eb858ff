//! The table's def/use roles (`w[…] r[…]`) checked against what
//! [`execute`](super::execute) really does, row by row, on random operands
//! and register files: an instruction changes no register, HI/LO or memory
//! its row does not declare, its effect does not depend on registers it
//! does not declare as read, and every declared written field is written.
//! The JIT's check grouping trusts these roles, so an error here would be a
//! way out of the guest.

use super::fpu::FCSR_WRITABLE;
use super::{execute, Next};
use crate::asm::assemble_str;
use crate::isa::{decode, Flags, Inst, RegField, OPS};
use crate::vm::{Cpu, Fault, Image, Machine};

const TRIALS: usize = 400;
/// Where loads and stores land: the middle of a 64-byte data buffer.
const TARGET: u32 = 0x1001_0020;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) as u32
    }

    /// Values that make conditions go both ways: zero, one, all ones, or anything.
    fn value(&mut self) -> u32 {
        match self.next() % 4 {
            0 => 0,
            1 => 1,
            2 => u32::MAX,
            _ => self.next(),
        }
    }
}

fn run(m: &mut Machine, cpu: &Cpu, memory: &[u8], i: &Inst) -> (Result<Next, Fault>, Cpu, Vec<u8>) {
    m.cpu = cpu.clone();
    m.mem.write_bytes(0x1001_0000, memory).expect("buffer is mapped");
    let pc = m.cpu.pc;
    let result = execute(&mut m.cpu, &mut m.mem, i, pc);
    (result, m.cpu.clone(), m.mem.read_bytes(0x1001_0000, 64).expect("buffer is mapped"))
}

#[test]
fn every_row_does_what_its_roles_say() {
    let program = assemble_str("roles.s", ".data\n.space 64\n.text\nmain: nop\n").expect("assembles");
    let mut m = Machine::new(&Image::new(program), 1 << 20).expect("machine");
    let mut rng = Rng(9);
    for def in OPS {
        let opaque = def.writes.contains(&RegField::All) || def.reads.contains(&RegField::All);
        if opaque || def.flags.contains(Flags::PARA) {
            continue; // syscalls and para-instructions act through the hypervisor
        }
        let mut seen_written = [false; 3]; // rd, rt, ra
        for _ in 0..TRIALS {
            let inst = decode(def.base | (rng.next() & def.free_mask()));
            if inst.op != def.op {
                continue; // an operand combination the row does not accept
            }
            let mut cpu = m.cpu.clone();
            for r in 1..32 {
                cpu.regs[r] = rng.value();
            }
            (cpu.hi, cpu.lo) = (rng.value(), rng.value());
            for f in cpu.fpr.iter_mut() {
                *f = rng.value();
            }
            cpu.fcsr = rng.value() & FCSR_WRITABLE;
            if rng.next() % 2 == 0 {
                cpu.fcsr &= !(0x1f << 7); // no exception enabled: results get written
            }
            if def.flags.contains(Flags::LOAD) || def.flags.contains(Flags::STORE) {
                cpu.regs[inst.rs as usize] = TARGET.wrapping_sub(inst.imm).wrapping_add(rng.next() % 4);
                cpu.regs[0] = 0;
            }
            let memory: Vec<u8> = (0..64).map(|_| rng.next() as u8).collect();
            let (first, after, mem_after) = run(&mut m, &cpu, &memory, &inst);
            let (writes, reads) = (inst.writes(), inst.reads());
            for r in 1..32u8 {
                if after.regs[r as usize] != cpu.regs[r as usize] {
                    assert!(writes.has(r), "{}: wrote ${r}, not in its w[] roles ({inst:?})", def.mnemonic);
                    seen_written[0] |= r == inst.rd;
                    seen_written[1] |= r == inst.rt;
                    seen_written[2] |= r == 31;
                }
            }
            for f in 0..32u8 {
                if after.fpr[f as usize] != cpu.fpr[f as usize] {
                    assert!(writes.has_fpr(f), "{}: wrote $f{f}, not in w[] ({inst:?})", def.mnemonic);
                }
            }
            assert!(after.fcsr == cpu.fcsr || writes.has_fcsr(), "{}: wrote FCSR, not in w[]", def.mnemonic);
            assert!(after.hi == cpu.hi || writes.has_hi(), "{}: wrote HI, not in w[]", def.mnemonic);
            assert!(after.lo == cpu.lo || writes.has_lo(), "{}: wrote LO, not in w[]", def.mnemonic);
            if mem_after != memory {
                assert!(def.flags.contains(Flags::STORE), "{}: wrote memory without STORE", def.mnemonic);
            }
            // Everything the instruction does not read, changed: same outcome.
            let mut other = cpu.clone();
            for r in 1..32u8 {
                if !reads.has(r) {
                    other.regs[r as usize] = rng.next();
                }
            }
            if !reads.has_hi() {
                other.hi = rng.next();
            }
            if !reads.has_lo() {
                other.lo = rng.next();
            }
            for f in 0..32u8 {
                if !reads.has_fpr(f) {
                    other.fpr[f as usize] = rng.next();
                }
            }
            if !reads.has_fcsr() {
                other.fcsr = rng.next() & FCSR_WRITABLE;
            }
            let (second, after2, mem_after2) = run(&mut m, &other, &memory, &inst);
            assert_eq!(
                first, second,
                "{}: outcome depends on a register not in r[] ({inst:?})",
                def.mnemonic
            );
            if first.is_err() {
                continue; // a fault changes nothing: there are no results to compare
            }
            for r in writes.regs() {
                assert_eq!(
                    after.regs[r as usize], after2.regs[r as usize],
                    "{}: ${r} depends on a register not in r[] ({inst:?})",
                    def.mnemonic
                );
            }
            if writes.has_hi() {
                assert_eq!(after.hi, after2.hi, "{}: HI depends on a register not in r[]", def.mnemonic);
            }
            if writes.has_lo() {
                assert_eq!(after.lo, after2.lo, "{}: LO depends on a register not in r[]", def.mnemonic);
            }
            for f in writes.fprs() {
                assert_eq!(
                    after.fpr[f as usize], after2.fpr[f as usize],
                    "{}: $f{f} depends on a register not in r[] ({inst:?})",
                    def.mnemonic
                );
            }
            if writes.has_fcsr() {
                assert_eq!(
                    after.fcsr, after2.fcsr,
                    "{}: FCSR depends on a register not in r[]",
                    def.mnemonic
                );
            }
            assert_eq!(mem_after, mem_after2, "{}: memory depends on a register not in r[]", def.mnemonic);
        }
        for (field, seen) in [
            (RegField::Rd, seen_written[0]),
            (RegField::Rt, seen_written[1]),
            (RegField::Ra, seen_written[2]),
        ] {
            if def.writes.contains(&field) {
                assert!(seen, "{}: declares {field:?} written but never wrote it", def.mnemonic);
            }
        }
    }
}
