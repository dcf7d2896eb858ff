//! DUMP_PROCESSOR_STATE: the text block and the one-line JSON form (SPEC §5).

use super::Cpu;
use crate::isa::reg;
use std::fmt::Write;

/// How DUMP_PROCESSOR_STATE prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DumpFormat {
    /// An aligned, readable block.
    #[default]
    Text,
    /// One JSON object on one line.
    Json,
}

/// Formats a dump of `cpu` for VM `vm`; `pc` is the DUMP instruction's address.
pub fn format(format: DumpFormat, vm: u32, pc: u32, cpu: &Cpu) -> String {
    match format {
        DumpFormat::Json => json(vm, pc, cpu),
        DumpFormat::Text => text(vm, pc, cpu),
    }
}

fn json(vm: u32, pc: u32, cpu: &Cpu) -> String {
    let mut s = format!(
        "{{\"vm\":{vm},\"pc\":{pc},\"hi\":{},\"lo\":{},\"retired\":{},\"regs\":[",
        cpu.hi, cpu.lo, cpu.retired
    );
    for (i, r) in cpu.regs.iter().enumerate() {
        let _ = write!(s, "{}{r}", if i == 0 { "" } else { "," });
    }
    s.push_str("]}\n");
    s
}

fn text(vm: u32, pc: u32, cpu: &Cpu) -> String {
    let mut s = String::with_capacity(1400);
    let _ = writeln!(s, "VM {vm} processor state");
    let _ = writeln!(
        s,
        "  pc = 0x{pc:08x}   hi = 0x{:08x} {:>11}   lo = 0x{:08x} {:>11}   retired = {}",
        cpu.hi, cpu.hi as i32, cpu.lo, cpu.lo as i32, cpu.retired
    );
    for row in 0..16 {
        s.push(' ');
        for r in [row, row + 16] {
            let v = cpu.regs[r];
            let _ = write!(s, " R{r:<2} {:<5} = 0x{v:08x} {:>11}  ", reg::name(r as u8), v as i32);
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu() -> Cpu {
        let mut regs = [0u32; 32];
        regs[1] = 6;
        regs[5] = u32::MAX;
        Cpu { regs, pc: 0x0040_0034, hi: 0, lo: 7, retired: 14, ..Cpu::default() }
    }

    #[test]
    fn json_is_one_line_of_unsigned_values() {
        let s = format(DumpFormat::Json, 1, 0x0040_0034, &cpu());
        assert!(s.starts_with(
            "{\"vm\":1,\"pc\":4194356,\"hi\":0,\"lo\":7,\"retired\":14,\"regs\":[0,6,0,0,0,4294967295,"
        ));
        assert!(s.ends_with("0]}\n"));
        assert_eq!(s.lines().count(), 1);
    }

    #[test]
    fn text_names_every_register() {
        let s = format(DumpFormat::Text, 2, 0x0040_0034, &cpu());
        assert!(s.starts_with("VM 2 processor state\n  pc = 0x00400034"), "{s}");
        assert!(s.contains(" R1  $at   = 0x00000006           6"), "{s}");
        assert!(s.contains(" R5  $a1   = 0xffffffff          -1"), "{s}");
        assert!(s.contains(" R31 $ra   = 0x00000000           0"), "{s}");
        assert_eq!(s.lines().count(), 18);
    }
}
