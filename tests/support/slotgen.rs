//! Random integer programs with branch delay slots that run identically on
//! `qemu-mipsel` and under myvmm, for `tests/delay_differential.rs`.
//!
//! A program is `.set noreorder` throughout, without libc (`-nostdlib`),
//! and holds several independent *cases*. Each case loads twelve registers
//! and HI/LO from its own data, runs a random body — ALU and memory
//! instructions, forward branches of every kind (branch-likely included)
//! whose delay slots hold random instructions, counted loops whose back
//! branch fills its slot, calls through `jal`/`jalr`/`bal` — and writes its
//! registers, HI, LO and its 64-byte buffer to stdout (o32 `write`).
//! Division is left out (its result for a zero divisor is unpredictable),
//! and so are the trapping `add`/`addi`/`sub`.
#![allow(dead_code)] // the test binary uses a subset

#[path = "fpgen.rs"]
mod fpgen;
pub use fpgen::Rng;

/// The registers a case reads, writes and dumps (`$s7` holds the buffer,
/// `$s6` the dump area, `$s5` a loop counter).
pub const POOL: [&str; 12] =
    ["$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$s0", "$s1", "$s2", "$s3"];
/// Bytes a case writes: 12 registers, `$ra`, HI, LO, then the buffer.
pub const CASE_BYTES: usize = 4 * 15 + 64;

fn reg(r: &mut Rng) -> &'static str {
    POOL[r.below(POOL.len())]
}

/// A random instruction that may sit anywhere, delay slots included.
fn plain(r: &mut Rng) -> String {
    let (d, s, t) = (reg(r), reg(r), reg(r));
    let imm = |r: &mut Rng| -> i32 {
        match r.below(4) {
            0 => (r.next_u32() as i32) >> 16,
            1 => r.below(16) as i32 - 8,
            2 => [0, -1, 32767, -32768][r.below(4)],
            _ => (r.next_u32() & 0xffff) as i32 - 0x8000,
        }
    };
    match r.below(24) {
        0 => format!("addu {d}, {s}, {t}"),
        1 => format!("subu {d}, {s}, {t}"),
        2 => format!("{} {d}, {s}, {t}", ["and", "or", "xor", "nor"][r.below(4)]),
        3 => format!("{} {d}, {s}, {t}", ["slt", "sltu"][r.below(2)]),
        4 => format!("{} {d}, {s}, {}", ["sll", "srl", "sra", "rotr"][r.below(4)], r.below(32)),
        5 => format!("{} {d}, {s}, {t}", ["sllv", "srlv", "srav", "rotrv"][r.below(4)]),
        6 => format!("addiu {d}, {s}, {}", imm(r)),
        7 => format!("{} {d}, {s}, {}", ["slti", "sltiu"][r.below(2)], imm(r)),
        8 => format!("{} {d}, {s}, {}", ["andi", "ori", "xori"][r.below(3)], r.next_u32() & 0xffff),
        9 => format!("lui {d}, {}", r.next_u32() & 0xffff),
        10 => format!("mul {d}, {s}, {t}"),
        11 => format!("{} {s}, {t}", ["mult", "multu", "madd", "maddu", "msub", "msubu"][r.below(6)]),
        12 => format!("{} {d}", ["mfhi", "mflo"][r.below(2)]),
        13 => format!("{} {s}", ["mthi", "mtlo"][r.below(2)]),
        14 => format!("{} {d}, {s}", ["clz", "clo", "seb", "seh", "wsbh"][r.below(5)]),
        15 => format!("{} {d}, {s}, {t}", ["movz", "movn"][r.below(2)]),
        16 => {
            let pos = r.below(32);
            let size = 1 + r.below(32 - pos);
            format!("{} {d}, {s}, {pos}, {size}", ["ext", "ins"][r.below(2)])
        }
        17 | 18 => {
            let (op, width) = [("lw", 4), ("lh", 2), ("lhu", 2), ("lb", 1), ("lbu", 1)][r.below(5)];
            format!("{op} {d}, {}($s7)", r.below(64 / width) * width)
        }
        19 | 20 => {
            let (op, width) = [("sw", 4), ("sh", 2), ("sb", 1)][r.below(3)];
            format!("{op} {t}, {}($s7)", r.below(64 / width) * width)
        }
        21 => format!("{} {d}, {}($s7)", ["lwl", "lwr"][r.below(2)], r.below(61)),
        22 => format!("{} {t}, {}($s7)", ["swl", "swr"][r.below(2)], r.below(61)),
        _ => "nop".to_string(),
    }
}

/// A random branch to `label` (conditions over the pool).
fn branch(r: &mut Rng, label: &str) -> String {
    let (s, t) = (reg(r), reg(r));
    match r.below(14) {
        0 => format!("beq {s}, {t}, {label}"),
        1 => format!("bne {s}, {t}, {label}"),
        2 => format!("beql {s}, {t}, {label}"),
        3 => format!("bnel {s}, {t}, {label}"),
        4 => format!("{} {s}, {label}", ["blez", "bgtz", "bltz", "bgez"][r.below(4)]),
        5 => format!("{} {s}, {label}", ["blezl", "bgtzl", "bltzl", "bgezl"][r.below(4)]),
        6 => format!("{} {s}, {label}", ["bltzal", "bgezal"][r.below(2)]),
        7 => format!("{} {s}, {label}", ["bltzall", "bgezall"][r.below(2)]),
        8 => format!("b {label}"),
        9 => format!("beq $zero, $zero, {label}"),
        _ => format!("{} {s}, {t}, {label}", ["beq", "bne"][r.below(2)]),
    }
}

/// One case: its assembly (labels prefixed by `c{index}_`) and its data.
pub fn case(seed: u64, index: usize, pieces: usize) -> String {
    let mut r = Rng::new(seed);
    let p = format!("c{index}_");
    let mut out = String::new();
    out.push_str(&format!("{p}start:\n  la $s7, {p}buf\n  la $t9, {p}init\n"));
    for (k, reg) in POOL.iter().enumerate() {
        out.push_str(&format!("  lw {reg}, {}($t9)\n", 4 * k));
    }
    out.push_str("  lw $t8, 48($t9)\n  mthi $t8\n  lw $t8, 52($t9)\n  mtlo $t8\n");
    for k in 0..pieces {
        match r.below(10) {
            0..=4 => out.push_str(&format!("  {}\n", plain(&mut r))),
            5..=7 => {
                // A forward branch with a random slot and a few skipped instructions.
                let label = format!("{p}f{k}");
                out.push_str(&format!("  {}\n  {}\n", branch(&mut r, &label), plain(&mut r)));
                for _ in 0..r.below(3) {
                    out.push_str(&format!("  {}\n", plain(&mut r)));
                }
                out.push_str(&format!("{label}:\n"));
            }
            8 => {
                // A counted loop whose back branch fills its slot.
                let label = format!("{p}l{k}");
                let likely = if r.percent(30) { "l" } else { "" };
                out.push_str(&format!("  li $s5, {}\n{label}:\n", 1 + r.below(5)));
                for _ in 0..1 + r.below(3) {
                    out.push_str(&format!("  {}\n", plain(&mut r)));
                }
                out.push_str(&format!(
                    "  addiu $s5, $s5, -1\n  bgtz{likely} $s5, {label}\n  {}\n",
                    plain(&mut r)
                ));
            }
            _ => {
                // A call: jal, jalr or bal, with a filled slot; the callee returns with a filled slot.
                let (callee, back) = (format!("{p}fn{k}"), format!("{p}r{k}"));
                match r.below(3) {
                    0 => out.push_str(&format!("  jal {callee}\n  {}\n", plain(&mut r))),
                    1 => out.push_str(&format!("  la $t9, {callee}\n  jalr $t9\n  {}\n", plain(&mut r))),
                    _ => out.push_str(&format!("  bal {callee}\n  {}\n", plain(&mut r))),
                }
                out.push_str(&format!(
                    "  b {back}\n  nop\n{callee}:\n  {}\n  jr $ra\n  {}\n{back}:\n",
                    plain(&mut r),
                    plain(&mut r)
                ));
            }
        }
    }
    // Dump: the pool, $ra, HI, LO, then the buffer.
    out.push_str("  la $s6, dump\n");
    for (k, reg) in POOL.iter().enumerate() {
        out.push_str(&format!("  sw {reg}, {}($s6)\n", 4 * k));
    }
    out.push_str("  sw $ra, 48($s6)\n  mfhi $t8\n  sw $t8, 52($s6)\n  mflo $t8\n  sw $t8, 56($s6)\n");
    for w in 0..16 {
        out.push_str(&format!("  lw $t8, {}($s7)\n  sw $t8, {}($s6)\n", 4 * w, 60 + 4 * w));
    }
    out.push_str(&format!(
        "  li $a0, 1\n  move $a1, $s6\n  li $a2, {CASE_BYTES}\n  li $v0, 4004\n  syscall\n"
    ));
    // Data: initial registers and HI/LO, and the buffer.
    out.push_str(&format!("  .data\n  .align 2\n{p}init:\n"));
    for _ in 0..14 {
        let v = match r.below(4) {
            0 => [0u32, 1, u32::MAX, 0x8000_0000, 0x7fff_ffff][r.below(5)],
            1 => r.below(64) as u32,
            _ => r.next_u32(),
        };
        out.push_str(&format!("  .word {v}\n"));
    }
    out.push_str(&format!("{p}buf:\n"));
    for _ in 0..16 {
        out.push_str(&format!("  .word {}\n", r.next_u32()));
    }
    out.push_str("  .text\n");
    out
}

/// A whole program of cases (`seeds`), ending with `exit(0)`.
pub fn program(cases: &[(u64, usize)]) -> String {
    let mut out = String::from("  .set noreorder\n  .set noat\n  .text\n  .globl __start\n__start:\nmain:\n");
    for (index, &(seed, pieces)) in cases.iter().enumerate() {
        out.push_str(&case(seed, index, pieces));
    }
    out.push_str("  li $a0, 0\n  li $v0, 4001\n  syscall\n  nop\n  .data\n  .align 2\ndump:\n  .space 256\n");
    out
}
