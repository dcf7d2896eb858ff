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
    s.push_str("],\"fregs\":[");
    for (i, r) in cpu.fpr.iter().enumerate() {
        let _ = write!(s, "{}{r}", if i == 0 { "" } else { "," });
    }
    let _ = writeln!(s, "],\"fcsr\":{}}}", cpu.fcsr);
    s
}

/// Condition code `n` (0..8) of an FCSR value: bit 23 for cc0, bits 25..31
/// for cc1..cc7.
pub fn condition_code(fcsr: u32, n: u32) -> bool {
    let bit = if n == 0 { 23 } else { 24 + n };
    fcsr >> bit & 1 != 0
}

/// The FP registers and FCSR, once the VM has used the FPU: each pair of
/// registers on a line, hex and as float, then the pair as a double; then
/// FCSR with its condition codes, rounding mode and flags.
fn fpu_text(s: &mut String, cpu: &Cpu) {
    use super::java_float::{double_to_string, float_to_string};
    for row in 0..16 {
        let (even, odd) = (cpu.fpr[2 * row], cpu.fpr[2 * row + 1]);
        let _ = write!(s, " ");
        for (r, v) in [(2 * row, even), (2 * row + 1, odd)] {
            let name = format!("$f{r}");
            let _ = write!(s, " {name:<4} = 0x{v:08x} {:<15}", float_to_string(f32::from_bits(v)));
        }
        let double = f64::from_bits((odd as u64) << 32 | even as u64);
        let pair = format!("$f{}:{}", 2 * row, 2 * row + 1);
        let _ = writeln!(s, "  {pair:<8} = {}", double_to_string(double));
    }
    let fcsr = cpu.fcsr;
    let cc: Vec<&str> = (0..8).map(|n| if condition_code(fcsr, n) { "1" } else { "0" }).collect();
    let rounding = ["nearest", "toward zero", "toward +inf", "toward -inf"][(fcsr & 3) as usize];
    let names = ["I", "U", "O", "Z", "V"];
    let flags: String = (0..5).map(|i| if fcsr >> (2 + i) & 1 != 0 { names[i] } else { "-" }).collect();
    let _ = writeln!(
        s,
        "  fcsr = 0x{fcsr:08x}   cc0..cc7 = {}   rounding = {rounding}   flags (VZOUI) = {}",
        cc.join(" "),
        flags.chars().rev().collect::<String>()
    );
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
    if cpu.fpu_used != 0 {
        fpu_text(&mut s, cpu);
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
        assert!(s.ends_with("0],\"fregs\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"fcsr\":0}\n"), "{s}");
        assert_eq!(s.lines().count(), 1);
        let mut fp = cpu();
        fp.fpr[0] = 0x3f80_0000;
        fp.fpr[31] = u32::MAX;
        fp.fcsr = 0x0100_0003;
        let s = format(DumpFormat::Json, 1, 0, &fp);
        assert!(s.contains("\"fregs\":[1065353216,0,"), "{s}");
        assert!(s.ends_with(",4294967295],\"fcsr\":16777219}\n"), "{s}");
    }

    #[test]
    fn text_shows_the_fpu_once_used() {
        let mut fp = cpu();
        assert!(!format(DumpFormat::Text, 1, 0, &fp).contains("$f0"));
        fp.fpu_used = 1;
        fp.fpr[1] = 0x3fc0_0000; // 1.5
        fp.fpr[2] = 0;
        fp.fpr[3] = 0x3ff0_0000; // the pair is 1.0
        fp.fpr[4] = 0x0000_0001; // smallest subnormal float
        fp.fpr[6] = 0x7fbf_ffff; // MIPS's default NaN
        fp.fcsr = 0x2080_0013; // cc0, cc5, flag O, toward -inf
        let s = format(DumpFormat::Text, 1, 0, &fp);
        assert!(
            s.contains(
                "  $f0  = 0x00000000 0.0             $f1  = 0x3fc00000 1.5              $f0:1    = 0.125\n"
            ),
            "{s}"
        );
        assert!(s.contains("$f2:3    = 1.0\n"), "{s}");
        assert!(s.contains("$f4  = 0x00000001 1.4E-45"), "{s}");
        assert!(s.contains("$f6  = 0x7fbfffff NaN"), "{s}");
        assert!(s.contains("fcsr = 0x20800013   cc0..cc7 = 1 0 0 0 0 1 0 0   rounding = toward -inf"), "{s}");
        assert!(s.contains("flags (VZOUI) = --O--"), "{s}");
        assert_eq!(s.lines().count(), 18 + 17);
        // Every FP row has the same width up to the double.
        let widths: Vec<usize> =
            s.lines().filter(|l| l.starts_with("  $f")).map(|l| l.rfind('=').unwrap_or(0)).collect();
        assert_eq!(widths.len(), 16);
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{s}");
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
