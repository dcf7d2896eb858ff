//! The encoder agrees with GNU as on every instruction of the table.
//! `scripts/gen-gnu-golden.sh` regenerates the golden files.

use myvmm::asm::assemble_files;
use myvmm::isa::{decode, Flags, Op, OPS};
use std::collections::BTreeSet;

const SOURCE: &str = "tests/golden/gnu/encodings.s";
const EXPECTED: &str = "tests/golden/gnu/encodings.expected";

fn expected_words() -> Vec<u32> {
    std::fs::read_to_string(EXPECTED)
        .expect("golden words")
        .lines()
        .map(|l| u32::from_str_radix(l.trim(), 16).expect("hex word"))
        .collect()
}

#[test]
fn assembler_reproduces_every_gnu_word() {
    let program = assemble_files(&[SOURCE]).unwrap_or_else(|e| panic!("{e}"));
    let expected = expected_words();
    assert!(expected.len() >= 500, "golden file covers {} lines", expected.len());
    assert_eq!(program.text.len(), expected.len(), "word count");
    let mut wrong = Vec::new();
    for (i, (&got, &want)) in program.text.iter().zip(&expected).enumerate() {
        if got != want {
            let loc = program.source.locs[i];
            wrong.push(format!(
                "{}: {}: got {got:08x}, GNU as {want:08x}",
                loc.line,
                program.source.line_text(loc).trim()
            ));
        }
    }
    assert!(wrong.is_empty(), "{} mismatches:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn golden_file_covers_the_whole_table() {
    let covered: BTreeSet<Op> = expected_words().into_iter().map(|w| decode(w).op).collect();
    assert!(!covered.contains(&Op::Invalid), "a GNU word decodes as invalid");
    let missing: Vec<&str> = OPS
        .iter()
        .filter(|d| !d.flags.contains(Flags::PARA) && !covered.contains(&d.op))
        .map(|d| d.mnemonic)
        .collect();
    assert!(missing.is_empty(), "not covered by the golden file: {missing:?}");
}
