//! GNU-style disassembly, generated from the operand kinds of the table.
//! The output assembles back to the same word at the same address.

use super::{reg, Inst, Op, Operand};
use std::fmt::Write;

/// Disassembles `inst` as it would sit at `pc`. Para-instruction operands
/// print as `#index` (use [`disassemble_with`] to show their text).
pub fn disassemble(inst: &Inst, pc: u32) -> String {
    disassemble_with(inst, pc, &[])
}

/// Disassembles `inst` at `pc`, showing para-instruction operands from `args`.
pub fn disassemble_with(inst: &Inst, pc: u32, args: &[String]) -> String {
    let Some(def) = inst.op.def() else {
        return format!(".word 0x{:08x}", super::encode(inst));
    };
    // The aliases GNU and MARS users read everywhere.
    if inst.op == Op::Sll && *inst == Inst::new(Op::Sll) {
        return "nop".into();
    }
    if inst.op == Op::Jalr && inst.rd == reg::RA {
        return format!("jalr    {}", reg::name(inst.rs));
    }
    let mut out = String::with_capacity(32);
    out.push_str(def.mnemonic);
    let mut first = true;
    for operand in def.operands {
        let text = operand_text(*operand, inst, pc, args);
        if text.is_empty() {
            continue;
        }
        if first {
            let pad = 8usize.saturating_sub(out.len()).max(1);
            out.extend(std::iter::repeat_n(' ', pad));
            first = false;
        } else {
            out.push(',');
        }
        out.push_str(&text);
    }
    out
}

fn operand_text(operand: Operand, i: &Inst, pc: u32, args: &[String]) -> String {
    use Operand::*;
    let mut s = String::new();
    match operand {
        Rd | RdAlsoRt => s.push_str(reg::name(i.rd)),
        Rs => s.push_str(reg::name(i.rs)),
        Rt => s.push_str(reg::name(i.rt)),
        Sa | BitPos | Hint => {
            let v = if operand == Hint { i.rt } else { i.sa };
            let _ = write!(s, "{v}");
        }
        SImm16 => {
            let _ = write!(s, "{}", i.imm as i32);
        }
        UImm16 => {
            let _ = write!(s, "0x{:x}", i.imm);
        }
        Mem => {
            let _ = write!(s, "{}({})", i.imm as i32, reg::name(i.rs));
        }
        Branch => {
            let _ = write!(s, "0x{:08x}", i.branch_target(pc));
        }
        Jump => {
            let _ = write!(s, "0x{:08x}", i.jump_target(pc));
        }
        Code20 if i.imm != 0 => {
            let _ = write!(s, "0x{:x}", i.imm);
        }
        BreakCode if i.imm != 0 => {
            let (hi, lo) = (i.imm >> 10, i.imm & 0x3ff);
            let _ = if lo == 0 { write!(s, "0x{hi:x}") } else { write!(s, "0x{hi:x},0x{lo:x}") };
        }
        TrapCode if i.imm != 0 => {
            let _ = write!(s, "0x{:x}", i.imm);
        }
        SyncType if i.sa != 0 => {
            let _ = write!(s, "{}", i.sa);
        }
        Code20 | BreakCode | TrapCode | SyncType => {}
        ExtSize => {
            let _ = write!(s, "{}", i.rd as u32 + 1);
        }
        InsSize => {
            let _ = write!(s, "{}", (i.rd as i32 - i.sa as i32 + 1));
        }
        Fd | Dd => s.push_str(reg::fpr_name(i.sa)),
        Fs | Ds => s.push_str(reg::fpr_name(i.rd)),
        Ft | Dt => s.push_str(reg::fpr_name(i.rt)),
        Fr | Dr => s.push_str(reg::fpr_name(i.rs)),
        FpCtl => {
            let _ = write!(s, "${}", i.rd);
        }
        CcHigh if i.rt != 0 => {
            let _ = write!(s, "$fcc{}", i.rt);
        }
        CcLow if i.sa != 0 => {
            let _ = write!(s, "$fcc{}", i.sa);
        }
        CcHigh | CcLow => {}
        ParaArg => match args.get(i.imm as usize) {
            Some(text) => s.push_str(text),
            None => {
                let _ = write!(s, "#{}", i.imm);
            }
        },
    }
    s
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::*;

    #[test]
    fn gnu_like_text() {
        let d = |w: u32, pc: u32| disassemble(&decode(w), pc);
        assert_eq!(d(0, 0), "nop");
        assert_eq!(d(0x0080_f809, 0), "jalr    $a0");
        assert_eq!(d(0x0080_2809, 0), "jalr    $a1,$a0");
        assert_eq!(d(0x1085_ffeb, 0x0040_0050), "beq     $a0,$a1,0x00400000");
        assert_eq!(d(0x7c62_20c0, 0), "ext     $v0,$v1,3,5");
        assert_eq!(d(0x7c62_38c4, 0), "ins     $v0,$v1,3,5");
        assert_eq!(d(0x0007_00cd, 0), "break   0x7,0x3");
        assert_eq!(d(0x0000_000c, 0), "syscall");
        assert_eq!(d(0x0085_01f4, 0), "teq     $a0,$a1,0x7");
        assert_eq!(d(0xffff_ffff, 0), ".word 0xffffffff");
        assert_eq!(d(0x8fbf_001c, 0), "lw      $ra,28($sp)");
        assert_eq!(d(0x4622_0132, 0), "c.eq.d  $fcc1,$f0,$f2");
        assert_eq!(d(0x4602_003c, 0), "c.lt.s  $f0,$f2");
        assert_eq!(d(0x4505_0003, 0x0040_0000), "bc1t    $fcc1,0x00400010");
        assert_eq!(d(0x4c82_0020, 0), "madd.s  $f0,$f4,$f0,$f2");
        assert_eq!(d(0x4444_f800, 0), "cfc1    $a0,$31");
        assert_eq!(d(0xd7a2_0018, 0), "ldc1    $f2,24($sp)");
    }
}
