//! Random floating-point programs that run identically on `qemu-mipsel` and
//! under myvmm, for the differential test (`tests/fp_differential.rs`).
//!
//! A *case* is one independent program: it loads all 32 FPRs, twelve GPRs
//! and FCSR from its own data, runs a random sequence of FP instructions
//! over every FP row of [`myvmm::isa::OPS`] (branch-likely forms aside) and
//! dumps its state with `write(1, …)` (o32 syscall 4004): a record of
//! [`RECORD_BYTES`] bytes (case number, `$f0`–`$f31`, FCSR, the GPRs of
//! [`POOL`]) followed by its 64-byte data buffer. Several cases make one
//! assembly file (one `gcc` and one `qemu-mipsel` start for many cases);
//! each case starts from a fully reset state, so a case's record depends on
//! its own seed only, and a disagreeing case can be written out alone.
//!
//! The whole file is `.set noreorder`: every `bc1t`/`bc1f` has a `nop` in
//! its delay slot, so delay-slot and sequential semantics agree. `main` and
//! `__start` label the same place (myvmm enters at `main`, the linker at
//! `__start`).
#![allow(dead_code)] // the test binary uses a subset in each test

use myvmm::isa::{Flags, OpDef, Operand, OPS};

/// The general registers random instructions read and write (and the dump
/// reports). `$s7` holds the case's data buffer, `$s6` the dump area;
/// `$v0`, `$a0`–`$a3` belong to the syscalls.
pub const POOL: [&str; 12] =
    ["$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$s0", "$s1", "$s2", "$s3"];

/// Words of a case's record: case number, 32 FPRs, FCSR, the pool GPRs.
pub const RECORD_WORDS: usize = 1 + 32 + 1 + POOL.len();
/// Bytes of a record.
pub const RECORD_BYTES: usize = RECORD_WORDS * 4;
/// Bytes of a case's data buffer (dumped after its record).
pub const BUF_BYTES: usize = 64;
/// Bytes a case writes to stdout.
pub const CASE_BYTES: usize = RECORD_BYTES + BUF_BYTES;

/// What the random FCSR values may hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Enables clear, FS clear: nothing ever traps; everything else random.
    Plain,
    /// As `Plain`, with flush-to-zero (FS, bit 24) set by every FCSR write.
    FlushToZero,
    /// Exceptions enabled: the case prints a marker byte before each body
    /// instruction, and probably dies of a floating-point exception.
    Trapping,
}

/// splitmix64: small, fast and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u32) -> bool {
        self.below(100) < p as usize
    }
    /// One element of a slice.
    pub fn pick<'a, T>(&mut self, of: &'a [T]) -> &'a T {
        &of[self.below(of.len())]
    }
}

/// The seed of case `index` of a run seeded with `seed`.
pub fn case_seed(seed: u64, index: u64) -> u64 {
    let mut r = Rng::new(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f));
    r.next_u64()
}

/// Every FP row the generator draws from: the FPU rows of the ISA table but
/// the branch-likely forms (their annulled delay slot needs more structure).
/// New rows are covered without a change here, provided their operand
/// kinds are known to [`operand`].
pub fn rows() -> Vec<&'static OpDef> {
    OPS.iter()
        .filter(|d| d.flags.contains(Flags::FPU))
        .filter(|d| !(d.flags.contains(Flags::BRANCH) && d.mnemonic.ends_with('l')))
        .collect()
}

/// Single-precision special values (legacy NaNs: quiet = bit 22 clear).
pub fn special_singles() -> Vec<u32> {
    let mut v = vec![
        0x0000_0000, // +0
        0x0000_0001, // min subnormal
        0x007f_ffff, // max subnormal
        0x0040_0000, // a middle subnormal
        0x0080_0000, // min normal
        0x0080_0001,
        0x0100_0000,
        0x7f7f_ffff, // max
        0x7f00_0000,
        0x3f80_0000, // 1
        0x4000_0000, // 2
        0x4040_0000, // 3
        0x3eaa_aaab, // 1/3
        0x7f80_0000, // inf
        0x7f80_0001, // quiet NaN (legacy)
        0x7fbf_ffff, // default NaN
        0x7f80_dead, // quiet NaN with a payload
        0x7fc0_0000, // signaling NaN (legacy)
        0x7fff_ffff, // signaling NaN
        0x7fc0_beef,
        0x4f00_0000, // 2^31
        0x4eff_ffff, // largest single below 2^31
        0x4f00_0001,
        0x3f00_0000, // 0.5
        0x3fc0_0000, // 1.5
        0x4020_0000, // 2.5
        0x3f7f_ffff, // just below 1
        0x4b80_0000, // 2^24
        0x4b00_0000, // 2^23
        0x4b7f_ffff,
        0x3400_0000, // 2^-23
        0x1f80_0000, // 2^-64 (its square is subnormal)
        0x5f80_0000, // 2^64 (its square overflows)
    ];
    let negative: Vec<u32> = v.iter().map(|x| x ^ 0x8000_0000).collect();
    v.extend(negative);
    v
}

/// Double-precision special values.
pub fn special_doubles() -> Vec<u64> {
    let mut v: Vec<u64> = vec![
        0,
        1,                     // min subnormal
        0x000f_ffff_ffff_ffff, // max subnormal
        0x0008_0000_0000_0000, // a middle subnormal
        0x0010_0000_0000_0000, // min normal
        0x0010_0000_0000_0001,
        0x7fef_ffff_ffff_ffff, // max
        0x7ff0_0000_0000_0000, // inf
        0x7ff0_0000_0000_0001, // quiet NaN (legacy)
        0x7ff7_ffff_ffff_ffff, // default NaN
        0x7ff0_dead_beef_0000, // quiet NaN with a payload
        0x7ff8_0000_0000_0000, // signaling NaN (legacy)
        0x7fff_ffff_ffff_ffff, // signaling NaN
        0x7ff8_0000_0000_beef,
    ];
    let numbers = [
        1.0f64,
        2.0,
        3.0,
        1.0 / 3.0,
        0.5,
        1.5,
        2.5,
        3.5,
        2147483647.5,
        2147483647.0,
        2147483646.5,
        2147483648.0, // 2^31
        2147483648.5,
        -2147483648.5,
        -2147483649.0,
        -2147483647.5,
        4294967296.0,
        16777217.0,             // not a single: cvt.s.d rounds
        3.4028234663852886e38,  // single max
        3.4028235677973366e38,  // rounds to single max or inf by the mode
        3.402823669209385e38,   // 2^128
        1.1754943508222875e-38, // single min normal
        1.401298464324817e-45,  // single min subnormal
        7.006492321624085e-46,  // half of it: rounds to 0 or min subnormal
        1e300,
        1e-300,
        0.1,
        1e16,
        9007199254740993.0,
        f64::EPSILON,
        1.0 - f64::EPSILON / 2.0,
    ];
    v.extend(numbers.iter().map(|x| x.to_bits()));
    let negative: Vec<u64> = v.iter().map(|x| x ^ (1 << 63)).collect();
    v.extend(negative);
    v
}

/// Words at the edges of `cvt.s.w`/`cvt.d.w` and of the integer moves.
pub fn special_words() -> Vec<u32> {
    vec![
        0,
        1,
        u32::MAX,
        0x7fff_ffff,
        0x8000_0000,
        0x8000_0001,
        16_777_216,
        16_777_217,
        0x0100_0001,
        (-16_777_217i32) as u32,
        0x7fff_ff80,
        0x7fff_ffc0,
        3,
        (-3i32) as u32,
    ]
}

/// A single: a special value, a word, a number near 1 (rounding happens
/// there), or random bits.
fn single(r: &mut Rng) -> u32 {
    match r.below(10) {
        0..=4 => *r.pick(&special_singles()),
        5 => *r.pick(&special_words()),
        6 | 7 => {
            // sign random, exponent within 2^-8 .. 2^8, mantissa random
            let exp = 127 - 8 + r.below(17) as u32;
            (r.next_u32() & 0x8000_0000) | exp << 23 | (r.next_u32() & 0x007f_ffff)
        }
        _ => r.next_u32(),
    }
}

/// A double, as for [`single`].
fn double(r: &mut Rng) -> u64 {
    match r.below(10) {
        0..=4 => *r.pick(&special_doubles()),
        5 => (r.below(2) as u64) << 63 | (1023 - 40 + r.below(81) as u64) << 52 | r.next_u64() >> 12,
        6 | 7 => {
            let exp = 1023 - 8 + r.below(17) as u64;
            (r.next_u64() & 1 << 63) | exp << 52 | (r.next_u64() & 0x000f_ffff_ffff_ffff)
        }
        _ => r.next_u64(),
    }
}

/// A general register's value: zero often (for `movz`/`movn`), a word edge,
/// the bits of a special single, or random.
fn word(r: &mut Rng) -> u32 {
    match r.below(8) {
        0 | 1 => 0,
        2 | 3 => *r.pick(&special_words()),
        4 | 5 => single(r),
        _ => r.next_u32(),
    }
}

/// The FCSR enable bits a trapping case turns on (never empty; Inexact
/// rarely, since almost every operation raises it).
fn enables(r: &mut Rng) -> u32 {
    loop {
        let mut e = r.next_u32() & 0x1e;
        if r.percent(10) {
            e |= 1;
        }
        if e != 0 {
            return e << 7;
        }
    }
}

/// A value for `ctc1 $fc` under `mode` (`enable`: the trapping case's
/// enables, else 0). No value sets an enable bit in plain modes, nor cause
/// bit 17 (Unimplemented, always enabled).
pub fn control_value(r: &mut Rng, fc: u32, mode: Mode, enable: u32) -> u32 {
    let fs = if mode == Mode::FlushToZero { 1u32 << 24 } else { 0 };
    // Now and then bits outside the register's fields too: all random (a
    // 24Kf, and qemu, ignore the write when bits 18..22 are set), or with
    // bits 18..22 clear (qemu writes the fields and drops the rest).
    // `FP_DIFF_NO_PARTIAL_RESERVED` set gives every such value bit 22, so
    // both sides ignore the write (finding F1 of
    // docs/fp-differential-findings.md); the draws stay the same.
    let full = match r.below(8) {
        0 => Some(r.next_u32()),
        1 => Some(r.next_u32() & !0x007c_0000),
        _ => None,
    };
    let full = match full {
        Some(v) if std::env::var_os("FP_DIFF_NO_PARTIAL_RESERVED").is_some() => Some(v | 0x0040_0000),
        other => other,
    };
    match fc {
        25 => full.unwrap_or(r.next_u32() & 0xff),
        26 => {
            let v = full.unwrap_or(r.next_u32() & 0x0003_f07c);
            let v = v & !(1 << 17);
            if mode == Mode::Trapping {
                v & !((enable >> 7) << 12) // no enabled cause, so the write itself does not trap
            } else {
                v
            }
        }
        28 => {
            let v = full.unwrap_or(r.next_u32() & 0x0000_0f83);
            (v & !0x0000_0f84) | enable | fs >> 22
        }
        _ => {
            let mut v = r.next_u32() & !(0x1f << 7) & !(1 << 17) & !(1 << 24);
            if mode == Mode::Trapping {
                v &= !((enable >> 7) << 12);
            }
            v | enable | fs
        }
    }
}

/// One generated case.
#[derive(Clone, Debug)]
pub struct Case {
    /// The seed it was made from.
    pub seed: u64,
    /// Initial `$f0`–`$f31`.
    pub fpr: [u32; 32],
    /// Initial values of [`POOL`].
    pub gpr: [u32; 12],
    /// Initial FCSR (written with `ctc1 $31`).
    pub fcsr: u32,
    /// Initial data buffer.
    pub buf: [u32; 16],
    /// The random instructions, one piece (a line or a few) each.
    pub body: Vec<String>,
    /// The mnemonic of each row used (coverage).
    pub used: Vec<&'static str>,
}

/// An FP register of a kind: any for singles and words, even for doubles.
fn freg(r: &mut Rng, double: bool) -> String {
    if double {
        format!("$f{}", 2 * r.below(16))
    } else {
        format!("$f{}", r.below(32))
    }
}

/// A general register: the pool, `$zero` now and then.
fn greg(r: &mut Rng) -> &'static str {
    if r.percent(6) {
        "$zero"
    } else {
        POOL[r.below(POOL.len())]
    }
}

/// Assembly for one operand of `def`, or `None` for an operand kind the
/// generator does not know (the row is then left out and the coverage
/// check of the test names it).
fn operand(r: &mut Rng, def: &OpDef, o: Operand, label: &str) -> Option<String> {
    use Operand::*;
    Some(match o {
        Fd | Fs | Ft | Fr => freg(r, false),
        Dd | Ds | Dt | Dr => freg(r, true),
        Rd | Rs | Rt => greg(r).to_string(),
        CcHigh | CcLow => format!("$fcc{}", r.below(8)),
        FpCtl => {
            if def.mnemonic == "cfc1" {
                r.pick(&["$31", "$25", "$26", "$28", "$0"]).to_string()
            } else {
                r.pick(&["$31", "$25", "$26", "$28"]).to_string()
            }
        }
        Mem => {
            let wide = def.mnemonic.starts_with("ldc1") || def.mnemonic.starts_with("sdc1");
            if wide {
                format!("{}($s7)", 8 * r.below(BUF_BYTES / 8))
            } else {
                format!("{}($s7)", 4 * r.below(BUF_BYTES / 4))
            }
        }
        Branch => label.to_string(),
        _ => return None,
    })
}

/// One instruction of `def` with random operands; `ctc1` is preceded by the
/// `li` of its value, a branch by nothing (see [`piece`]).
fn instruction(r: &mut Rng, def: &'static OpDef, mode: Mode, enable: u32, label: &str) -> Option<String> {
    let mut args = Vec::new();
    for &o in def.operands {
        args.push(operand(r, def, o, label)?);
    }
    if def.mnemonic == "ctc1" {
        let fc: u32 = args[1][1..].parse().unwrap_or(31);
        let value = control_value(r, fc, mode, enable);
        let reg = POOL[r.below(POOL.len())];
        return Some(format!("li {reg}, 0x{value:08x}\n\tctc1 {reg}, {}", args[1]));
    }
    Some(format!("{} {}", def.mnemonic, args.join(", ")))
}

/// Generates case `seed` in `mode` with `ops` body pieces.
pub fn case(seed: u64, mode: Mode, ops: usize) -> Case {
    let mut r = Rng::new(seed);
    let rows = rows();
    let mut fpr = [0u32; 32];
    for k in 0..16 {
        match r.below(10) {
            0..=3 => {
                let d = double(&mut r);
                fpr[2 * k] = d as u32;
                fpr[2 * k + 1] = (d >> 32) as u32;
            }
            4..=7 => {
                fpr[2 * k] = single(&mut r);
                fpr[2 * k + 1] = single(&mut r);
            }
            _ => {
                fpr[2 * k] = r.next_u32();
                fpr[2 * k + 1] = r.next_u32();
            }
        }
    }
    let mut gpr = [0u32; 12];
    for g in gpr.iter_mut() {
        *g = word(&mut r);
    }
    let mut buf = [0u32; 16];
    for k in 0..8 {
        if r.percent(50) {
            let d = double(&mut r);
            buf[2 * k] = d as u32;
            buf[2 * k + 1] = (d >> 32) as u32;
        } else {
            buf[2 * k] = single(&mut r);
            buf[2 * k + 1] = word(&mut r);
        }
    }
    let enable = if mode == Mode::Trapping { enables(&mut r) } else { 0 };
    let fcsr = control_value(&mut r, 31, mode, enable);
    let mut body = Vec::new();
    let mut used = Vec::new();
    while body.len() < ops {
        // Fresh special values now and then (mtc1/mthc1 of a constant).
        if r.percent(12) {
            let reg = POOL[r.below(POOL.len())];
            if r.percent(50) {
                let f = freg(&mut r, false);
                body.push(format!("li {reg}, 0x{:08x}\n\tmtc1 {reg}, {f}", single(&mut r)));
            } else {
                let f = freg(&mut r, true);
                let d = double(&mut r);
                body.push(format!(
                    "li {reg}, 0x{:08x}\n\tmtc1 {reg}, {f}\n\tli {reg}, 0x{:08x}\n\tmthc1 {reg}, {f}",
                    d as u32,
                    (d >> 32) as u32
                ));
            }
            continue;
        }
        let def = *r.pick(&rows);
        if def.flags.contains(Flags::BRANCH) {
            // bc1t/bc1f over one instruction, nop in the delay slot.
            let label = format!("L{:x}_{}", seed, body.len());
            let Some(branch) = instruction(&mut r, def, mode, enable, &label) else { continue };
            let inner = loop {
                let d = *r.pick(&rows);
                if d.flags.contains(Flags::BRANCH) {
                    continue;
                }
                if let Some(i) = instruction(&mut r, d, mode, enable, "") {
                    used.push(d.mnemonic);
                    break i;
                }
            };
            used.push(def.mnemonic);
            body.push(format!("{branch}\n\tnop\n\t{inner}\n{label}:"));
        } else if let Some(i) = instruction(&mut r, def, mode, enable, "") {
            used.push(def.mnemonic);
            body.push(i);
        }
    }
    Case { seed, fpr, gpr, fcsr, buf, body, used }
}

fn words(out: &mut String, ws: &[u32]) {
    for chunk in ws.chunks(8) {
        let list: Vec<String> = chunk.iter().map(|w| format!("0x{w:08x}")).collect();
        out.push_str(&format!("\t.word {}\n", list.join(", ")));
    }
}

/// One assembly file running `cases` in order (case `k` dumps number `k`),
/// then `exit(0)`. In [`Mode::Trapping`] each body piece is preceded by
/// writing one marker byte (its index), so the output tells how far a
/// case got before it died.
pub fn program(cases: &[Case], mode: Mode) -> String {
    let mut data = String::from("\t.data\n\t.align 3\ndump:\t.space 256\n");
    let mut text = String::from(
        "# Generated by tests/support/fpgen.rs: a differential test program for\n\
         # qemu-mipsel and myvmm (see docs/fp-differential.md).\n\
         \t.set noreorder\n\t.text\n\t.globl main\n\t.globl __start\nmain:\n__start:\n\tla $s6, dump\n",
    );
    for (k, c) in cases.iter().enumerate() {
        data.push_str(&format!("\t.align 3\nc{k}_init:\n"));
        let mut init: Vec<u32> = c.fpr.to_vec();
        init.extend_from_slice(&c.gpr);
        init.push(c.fcsr);
        words(&mut data, &init);
        data.push_str(&format!("\t.align 3\nc{k}_buf:\n"));
        words(&mut data, &c.buf);

        text.push_str(&format!("# case {k}, seed 0x{:016x}\n\tla $s7, c{k}_init\n", c.seed));
        for f in 0..32 {
            text.push_str(&format!("\tlwc1 $f{f}, {}($s7)\n", 4 * f));
        }
        for (g, name) in POOL.iter().enumerate() {
            text.push_str(&format!("\tlw {name}, {}($s7)\n", 128 + 4 * g));
        }
        text.push_str(&format!("\tlw $v1, {}($s7)\n\tctc1 $v1, $31\n", 128 + 4 * POOL.len()));
        text.push_str(&format!("\tla $s7, c{k}_buf\n"));
        for (i, piece) in c.body.iter().enumerate() {
            if mode == Mode::Trapping {
                text.push_str(&format!(
                    "\tli $v0, {}\n\tsb $v0, 0($s6)\n\tli $a0, 1\n\tmove $a1, $s6\n\tli $a2, 1\n\tli $v0, 4004\n\tsyscall\n",
                    i % 256
                ));
            }
            text.push('\t');
            text.push_str(piece);
            text.push('\n');
        }
        // The dump: record, then the data buffer.
        text.push_str(&format!("\tli $v1, {k}\n\tsw $v1, 0($s6)\n"));
        for f in 0..32 {
            text.push_str(&format!("\tswc1 $f{f}, {}($s6)\n", 4 + 4 * f));
        }
        text.push_str("\tcfc1 $v1, $31\n\tsw $v1, 132($s6)\n");
        for (g, name) in POOL.iter().enumerate() {
            text.push_str(&format!("\tsw {name}, {}($s6)\n", 136 + 4 * g));
        }
        text.push_str(&format!(
            "\tli $a0, 1\n\tmove $a1, $s6\n\tli $a2, {RECORD_BYTES}\n\tli $v0, 4004\n\tsyscall\n\
             \tli $a0, 1\n\tmove $a1, $s7\n\tli $a2, {BUF_BYTES}\n\tli $v0, 4004\n\tsyscall\n"
        ));
    }
    text.push_str("\tli $a0, 0\n\tli $v0, 4001\n\tsyscall\n\tnop\n");
    text + &data
}

/// A readable account of how two dumps of the same cases differ: per case,
/// each differing field with both values (`a` and `b` name the two sides).
pub fn describe(a: &[u8], b: &[u8], a_name: &str, b_name: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let cases = a.len().max(b.len()).div_ceil(CASE_BYTES);
    let word = |s: &[u8], at: usize| -> Option<u32> {
        s.get(at..at + 4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
    };
    for k in 0..cases {
        let base = k * CASE_BYTES;
        let (ca, cb) =
            (a.get(base..(base + CASE_BYTES).min(a.len())), b.get(base..(base + CASE_BYTES).min(b.len())));
        if ca == cb {
            continue;
        }
        let mut lines = Vec::new();
        for w in 0..CASE_BYTES / 4 {
            let (x, y) = (word(a, base + 4 * w), word(b, base + 4 * w));
            if x == y {
                continue;
            }
            let field = match w {
                0 => "case".to_string(),
                1..=32 => format!("$f{}", w - 1),
                33 => "FCSR".to_string(),
                w if w < RECORD_WORDS => POOL[w - 34].to_string(),
                w => format!("buf+{}", 4 * (w - RECORD_WORDS)),
            };
            let show = |v: Option<u32>| v.map_or("(missing)".to_string(), |v| format!("0x{v:08x}"));
            lines.push(format!("{field}: {a_name} {} {b_name} {}", show(x), show(y)));
        }
        out.push((k, lines.join("; ")));
    }
    out
}
