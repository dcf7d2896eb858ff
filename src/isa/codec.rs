//! Encoder and decoder, both driven by the operand kinds of the table.

use super::{Inst, Op, Operand, OPS};
use std::sync::OnceLock;

/// Encodes an instruction. [`Op::Invalid`] encodes to `0xffff_ffff`, which
/// decodes back to it.
pub fn encode(inst: &Inst) -> u32 {
    let Some(def) = inst.op.def() else {
        return u32::MAX;
    };
    let mut word = def.base;
    for operand in def.operands {
        word |= place(*operand, inst);
    }
    word
}

fn place(operand: Operand, i: &Inst) -> u32 {
    use Operand::*;
    let reg = |r: u8| (r & 0x1f) as u32;
    match operand {
        Rd | ExtSize | InsSize => reg(i.rd) << 11,
        Rs => reg(i.rs) << 21,
        Rt | Hint => reg(i.rt) << 16,
        RdAlsoRt => reg(i.rd) << 11 | reg(i.rd) << 16,
        Sa | SyncType | BitPos => reg(i.sa) << 6,
        SImm16 | UImm16 | Branch | ParaArg => i.imm & 0xffff,
        Mem => (i.imm & 0xffff) | reg(i.rs) << 21,
        Jump => i.imm & 0x03ff_ffff,
        Code20 | BreakCode => (i.imm & 0x000f_ffff) << 6,
        TrapCode => (i.imm & 0x3ff) << 6,
        Fd | Dd => reg(i.sa) << 6,
        Fs | Ds | FpCtl => reg(i.rd) << 11,
        Ft | Dt => reg(i.rt) << 16,
        Fr | Dr => reg(i.rs) << 21,
        CcHigh => ((i.rt & 7) as u32) << 18,
        CcLow => ((i.sa & 7) as u32) << 8,
    }
}

/// The rows a word may decode as, by its primary opcode and its low six
/// bits (`funct` in most classes): each row's fixed bits and base, in the
/// table's order (the first that matches wins). A word meets a handful of
/// rows at most, where a scan by opcode alone met over a hundred (COP1's):
/// decoding a static libc's text was most of an ELF program's start-up.
struct Buckets {
    /// Bucket `k` (opcode << 6 | low bits) is `rows[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    /// (fixed-bit mask, base, op index)
    rows: Vec<(u32, u32, u8)>,
}

fn buckets() -> &'static Buckets {
    static BUCKETS: OnceLock<Buckets> = OnceLock::new();
    BUCKETS.get_or_init(|| {
        let mut by_key: Vec<Vec<(u32, u32, u8)>> = vec![Vec::new(); 64 * 64];
        for def in OPS {
            let fixed = !def.free_mask();
            let opcode = def.base >> 26;
            for low in (0..64u32).filter(|low| (low ^ def.base) & fixed & 0x3f == 0) {
                by_key[(opcode << 6 | low) as usize].push((fixed, def.base, def.op as u8));
            }
        }
        let mut starts = Vec::with_capacity(64 * 64 + 1);
        let mut rows = Vec::new();
        for bucket in by_key {
            starts.push(rows.len() as u32);
            rows.extend(bucket);
        }
        starts.push(rows.len() as u32);
        Buckets { starts, rows }
    })
}

/// Decodes any 32-bit word; words that are not an instruction of the table,
/// or break one of its field rules, become [`Inst::INVALID`].
pub fn decode(word: u32) -> Inst {
    let table = buckets();
    let key = (word >> 26) << 6 | (word & 0x3f);
    let bucket = &table.rows[table.starts[key as usize] as usize..table.starts[key as usize + 1] as usize];
    for &(fixed, base, index) in bucket {
        if word & fixed != base {
            continue;
        }
        let def = &OPS[index as usize];
        let mut inst = Inst::new(def.op);
        for operand in def.operands {
            extract(*operand, word, &mut inst);
        }
        return if fields_valid(&inst, word) { inst } else { Inst::INVALID };
    }
    Inst::INVALID
}

fn extract(operand: Operand, w: u32, i: &mut Inst) {
    use Operand::*;
    let field = |shift: u32| ((w >> shift) & 0x1f) as u8;
    match operand {
        Rd | ExtSize | InsSize => i.rd = field(11),
        Rs => i.rs = field(21),
        Rt | Hint => i.rt = field(16),
        RdAlsoRt => {
            i.rd = field(11);
            i.rt = field(11);
        }
        Sa | SyncType | BitPos => i.sa = field(6),
        SImm16 | Branch => i.imm = w as u16 as i16 as i32 as u32,
        UImm16 | ParaArg => i.imm = w & 0xffff,
        Mem => {
            i.imm = w as u16 as i16 as i32 as u32;
            i.rs = field(21);
        }
        Jump => i.imm = w & 0x03ff_ffff,
        Code20 | BreakCode => i.imm = (w >> 6) & 0x000f_ffff,
        TrapCode => i.imm = (w >> 6) & 0x3ff,
        Fd | Dd => i.sa = field(6),
        Fs | Ds | FpCtl => i.rd = field(11),
        Ft | Dt => i.rt = field(16),
        Fr | Dr => i.rs = field(21),
        CcHigh => i.rt = ((w >> 18) & 7) as u8,
        CcLow => i.sa = ((w >> 8) & 7) as u8,
    }
}

/// Rules a field layout alone cannot express.
fn fields_valid(i: &Inst, word: u32) -> bool {
    match i.op {
        // MIPS32 requires clz/clo to name the destination in both rd and rt.
        Op::Clz | Op::Clo => (word >> 16) & 0x1f == (word >> 11) & 0x1f,
        // ext: lsb + size must not pass bit 31.
        Op::Ext => (i.sa as u32 + i.rd as u32) < 32,
        // ins: msb at or above lsb.
        Op::Ins => i.rd >= i.sa,
        // cfc1/ctc1 name one of the MIPS32r2 FP control registers.
        Op::Cfc1 | Op::Ctc1 => matches!(i.rd, 0 | 25 | 26 | 28 | 31),
        // FR=0: a double lives in an even/odd pair; an odd number is a
        // reserved instruction, as on a real MIPS32 (and in qemu).
        _ => i.op.def().is_none_or(|d| {
            d.operands.iter().filter(|o| o.is_double()).all(|o| double_field(*o, i) & 1 == 0)
        }),
    }
}

fn double_field(operand: Operand, i: &Inst) -> u8 {
    match operand {
        Operand::Dd => i.sa,
        Operand::Ds => i.rd,
        Operand::Dt => i.rt,
        _ => i.rs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words() {
        // Words taken from GNU objdump output.
        let cases: &[(u32, Op)] = &[
            (0x0000_0000, Op::Sll),
            (0x0085_001a, Op::Div),
            (0x0007_00cd, Op::Break),
            (0x0080_f809, Op::Jalr),
            (0x7062_1020, Op::Clz),
            (0x7c62_20c0, Op::Ext),
            (0x7c62_38c4, Op::Ins),
            (0x0023_1102, Op::Rotr),
            (0x7c03_10a0, Op::Wsbh),
            (0x0492_ffe7, Op::Bltzall),
            (0x7064_1002, Op::Mul),
            (0x4600_1080, Op::AddS),    // add.s $f2,$f2,$f0
            (0x4622_0001, Op::SubD),    // sub.d $f0,$f0,$f2
            (0x44c2_f800, Op::Ctc1),    // ctc1 $2,$31
            (0x4444_f800, Op::Cfc1),    // cfc1 $4,$31
            (0x4500_0003, Op::Bc1f),    // bc1f 0x10
            (0x4505_0003, Op::Bc1t),    // bc1t $fcc1,0x10
            (0x4602_003c, Op::CLtS),    // c.lt.s $f0,$f2
            (0x4622_0132, Op::CEqD),    // c.eq.d $fcc1,$f0,$f2
            (0x4c82_0020, Op::MaddS),   // madd.s $f0,$f4,$f0,$f2
            (0xc7a0_0010, Op::Lwc1),    // lwc1 $f0,16($sp)
            (0xd7a2_0018, Op::Ldc1),    // ldc1 $f2,24($sp)
            (0x4480_1000, Op::Mtc1),    // mtc1 $0,$f2
            (0x44e2_0000, Op::Mthc1),   // mthc1 $2,$f0 (pair $f0)
            (0x4680_0021, Op::CvtDW),   // cvt.d.w $f0,$f0
            (0x4620_000d, Op::TruncWD), // trunc.w.d $f0,$f0
            (0x0085_1001, Op::Movt),    // movt $2,$4,$fcc1
            (0x4600_0006, Op::MovS),    // mov.s $f0,$f0
        ];
        for &(word, op) in cases {
            let inst = decode(word);
            assert_eq!(inst.op, op, "{word:#010x}");
            assert_eq!(encode(&inst), word, "{op:?}");
        }
    }

    #[test]
    fn reserved_and_broken_words_are_invalid() {
        assert_eq!(decode(0xffff_ffff).op, Op::Invalid);
        assert_eq!(decode(0x0000_0005).op, Op::Invalid); // SPECIAL funct 5 is reserved
        assert_eq!(decode(0x4620_0841).op, Op::Invalid); // sub.d $f1,$f1,$f0: odd double
        assert_eq!(decode(0x4442_0800).op, Op::Invalid); // cfc1 from control register 1
        assert_eq!(decode(0x7063_1020 | 1 << 16).op, Op::Invalid); // clz with rt != rd
        assert_eq!(decode(0x0000_0021 | 1 << 6).op, Op::Invalid); // addu with sa != 0
        assert_eq!(encode(&Inst::INVALID), 0xffff_ffff);
    }

    #[test]
    fn branch_offsets_sign_extend() {
        let inst = decode(0x1085_ffeb);
        assert_eq!(inst.op, Op::Beq);
        assert_eq!(inst.imm as i32, -21);
        assert_eq!(inst.branch_target(0x0040_0050), 0x0040_0000);
    }
}
