//! Property tests of the ISA views and the assembler's robustness.

use myvmm::asm::assemble_str;
use myvmm::isa::{decode, disasm_with, encode, Inst, Op, OPS};
use proptest::prelude::*;

/// A valid instruction: a table row with random operand bits.
fn any_inst() -> impl Strategy<Value = Inst> {
    (0..OPS.len(), any::<u32>()).prop_filter_map("field rules", |(row, bits)| {
        let def = &OPS[row];
        let inst = decode(def.base | (bits & def.free_mask()));
        (inst.op != Op::Invalid).then_some(inst)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn decode_inverts_encode(inst in any_inst()) {
        prop_assert_eq!(decode(encode(&inst)), inst);
    }

    #[test]
    fn every_word_decodes_and_valid_words_reencode(word in any::<u32>()) {
        let inst = decode(word);
        if inst.op != Op::Invalid {
            prop_assert_eq!(encode(&inst), word);
        }
    }

    #[test]
    fn disassembly_assembles_back(inst in any_inst()) {
        let mut inst = inst;
        let args = vec!["snapshot.bin".to_string()];
        if matches!(inst.op, Op::Snapshot | Op::Migrate) {
            inst.imm = 0;
        }
        let text = disasm_with(&inst, 0x0040_0000, &args);
        let program = assemble_str("roundtrip.s", &text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(program.text.len(), 1, "{}", text);
        prop_assert_eq!(program.text[0], encode(&inst), "{}", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = assemble_str("bytes.s", &text);
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(token(), 0..60)) {
        let text: String = tokens.concat();
        let _ = assemble_str("soup.s", &text);
    }
}

/// Pieces of real assembly, glued at random.
fn token() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "add",
        "addi",
        "lw",
        "sw",
        "li",
        "la",
        "beq",
        "bne",
        "blt",
        "j",
        "jal",
        "jr",
        "jalr",
        "mul",
        "div",
        "rem",
        "sll",
        "rol",
        "ulw",
        "usw",
        "ush",
        "ext",
        "ins",
        "syscall",
        "break",
        "teq",
        "nop",
        "move",
        "seq",
        "sge",
        "b",
        "lui",
        "ori",
        "clz",
        "DUMP_PROCESSOR_STATE",
        "SNAPSHOT",
        "MIGRATE",
        ".text",
        ".data",
        ".word",
        ".half",
        ".byte",
        ".ascii",
        ".asciiz",
        ".space",
        ".align",
        ".globl",
        ".eqv",
        ".macro",
        ".end_macro",
        ".include",
        ".section",
        ".previous",
        ".set",
        ".comm",
        ".extern",
        ".float",
        "$t0",
        "$0",
        "$31",
        "$sp",
        "$ra",
        "$L1",
        "%hi",
        "%lo",
        "%gp_rel",
        "%x",
        "main",
        "loop",
        "x",
        ".",
        "0",
        "1",
        "-1",
        "31",
        "32",
        "0x7fffffff",
        "0xffffffff",
        "65536",
        "'a'",
        "\"s\"",
        "\"",
        "'",
        ",",
        ":",
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        "%",
        "<<",
        ">>",
        "~",
        "=",
        "#",
        "\n",
        "\n",
        "\n",
        " ",
        " ",
        "\t",
        "\\",
        "@",
        "\u{e9}",
    ];
    proptest::sample::select(PIECES).prop_map(|s| format!("{s} "))
}
