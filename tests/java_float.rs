//! `myvmm::vm::java_float` reproduces Java 17's `Double.toString` and
//! `Float.toString` on every line of the golden files, which
//! `scripts/gen-java-float-golden.sh` regenerates with a real Java 17.

use myvmm::vm::java_float::{double_to_string, float_to_string};

/// Checks each `hex_bits string` line of a golden file with `format`.
fn check(path: &str, format: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut wrong = Vec::new();
    let mut lines = 0;
    for line in text.lines() {
        let (hex, want) = line.split_once(' ').unwrap_or_else(|| panic!("{path}: bad line {line:?}"));
        let got = format(hex);
        if got != want {
            wrong.push(format!("{hex}: got {got}, Java {want}"));
        }
        lines += 1;
    }
    assert!(lines >= 1000, "{path} has only {lines} lines");
    assert!(wrong.is_empty(), "{path}: {} of {lines} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn doubles_match_java_17() {
    check("tests/golden/java_float/double.txt", |hex| {
        double_to_string(f64::from_bits(u64::from_str_radix(hex, 16).expect("hex bits")))
    });
}

#[test]
fn floats_match_java_17() {
    check("tests/golden/java_float/float.txt", |hex| {
        float_to_string(f32::from_bits(u32::from_str_radix(hex, 16).expect("hex bits")))
    });
}
