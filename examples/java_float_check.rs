//! The Rust half of `scripts/check-java-float.sh`, which diffs it against
//! Java 17.
//!
//! - `java_float_check double|float < bits.txt`: reads hex bit patterns (one
//!   a line) and prints each as `hex_bits string`, the string from
//!   `myvmm::vm::java_float`.
//! - `java_float_check hash-float FIRST LAST`: for each chunk FIRST..=LAST
//!   (0..=255) of 2^24 float bit patterns (chunk = bits >> 24), prints
//!   `chunk fnv1a64` over all its strings, each followed by a newline: the
//!   same hash `JavaFloatGolden.java hash float` computes.

use myvmm::vm::java_float::{double_to_string, float_to_string};
use std::io::{BufRead, BufWriter, Write};

fn usage() -> ! {
    eprintln!("usage: java_float_check double|float < hex-bits | java_float_check hash-float FIRST LAST");
    std::process::exit(2);
}

/// 64-bit FNV-1a of `s` and a newline, continuing from `h`.
fn fnv(h: u64, s: &str) -> u64 {
    s.bytes().chain([b'\n']).fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let double = match args.first().map(String::as_str) {
        Some("double") => true,
        Some("float") => false,
        Some("hash-float") => {
            let chunk =
                |i: usize| -> u32 { args.get(i).and_then(|a| a.parse().ok()).unwrap_or_else(|| usage()) };
            for c in chunk(1)..=chunk(2) {
                let h = (0..1u32 << 24).fold(0xcbf2_9ce4_8422_2325, |h, low| {
                    fnv(h, &float_to_string(f32::from_bits(c << 24 | low)))
                });
                writeln!(out, "{c} {h:x}").and_then(|()| out.flush()).expect("write stdout");
            }
            return;
        }
        _ => usage(),
    };
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read stdin");
        let hex = line.trim();
        if hex.is_empty() {
            continue;
        }
        let written = if double {
            let bits = u64::from_str_radix(hex, 16).expect("hex bits");
            writeln!(out, "{bits:016x} {}", double_to_string(f64::from_bits(bits)))
        } else {
            let bits = u32::from_str_radix(hex, 16).expect("hex bits");
            writeln!(out, "{bits:08x} {}", float_to_string(f32::from_bits(bits)))
        };
        written.expect("write stdout");
    }
    out.flush().expect("write stdout");
}
