//! Reads hex bit patterns (one a line) from stdin and prints each as
//! `hex_bits string`, the string from `myvmm::vm::java_float`: the Rust half
//! of `scripts/check-java-float.sh`, which diffs it against Java 17.
//!
//! Usage: `java_float_check double|float < bits.txt`

use myvmm::vm::java_float::{double_to_string, float_to_string};
use std::io::{BufRead, BufWriter, Write};

fn main() {
    let double = match std::env::args().nth(1).as_deref() {
        Some("double") => true,
        Some("float") => false,
        _ => {
            eprintln!("usage: java_float_check double|float < hex-bits");
            std::process::exit(2);
        }
    };
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in stdin.lines() {
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
