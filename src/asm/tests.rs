//! The assembler as a whole, on MARS's lexical rules and the FP syntax: each
//! test assembles a small program and looks at its words, data or errors.

use super::{assemble_str, Assembler, Program};
use crate::isa::{decode, disasm_with, Op};

fn asm(text: &str) -> Program {
    assemble_str("t.s", text).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    assemble_str("t.s", text).expect_err("should not assemble").to_string()
}

/// The disassembly of every text word.
fn words(p: &Program) -> Vec<String> {
    p.text
        .iter()
        .enumerate()
        .map(|(i, &w)| disasm_with(&decode(w), p.text_base + 4 * i as u32, &p.para_args))
        .collect()
}

fn data(p: &Program) -> &[u8] {
    &p.data.last().expect("data").bytes
}

fn word_at(p: &Program, i: usize) -> u32 {
    let b = data(p);
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

#[test]
fn commas_are_blanks() {
    let with = asm("li $a0, 7\nadd $t0, $t1, $t2\nla $a0, x\n.data\nx: .word 1");
    let without = asm("li, $a0, 7\nadd $t0 $t1 $t2\nla $a0, x,\n.data\nx: .word 1");
    assert_eq!(with.text, without.text);
}

#[test]
fn data_lists_without_commas_and_continued() {
    let p = asm(".data\nw: .word 1, 2,\n  3, 4\nx: .word 9 4 68\n -2 +7\n.text\nnop");
    let values: Vec<u32> = (0..9).map(|i| word_at(&p, i)).collect();
    assert_eq!(values, [1, 2, 3, 4, 9, 4, 68, (-2i32) as u32, 7]);
    // `1 - 2` is an expression; `1 -2` two values.
    let p = asm(".data\n.word 1 - 2, 10");
    assert_eq!((word_at(&p, 0), word_at(&p, 1)), ((-1i32) as u32, 10));
}

#[test]
fn strings_one_per_line_after_asciiz() {
    let p = asm(".data\nins: .asciiz\n  \"ab\"\n  \"c\"\nnext: .byte 7\n.text\nmain: nop");
    assert_eq!(&data(&p)[..6], b"ab\0c\0\x07");
    assert_eq!(p.symbol("next"), Some(0x1001_0005));
}

#[test]
fn a_bare_value_after_a_label_continues_the_directive() {
    let p = asm(".data\n.half 1\nb: 2\n.text\nnop");
    assert_eq!(&data(&p)[..4], [1, 0, 2, 0]);
    assert_eq!(p.symbol("b"), Some(0x1001_0002));
}

#[test]
fn an_instruction_ends_the_list() {
    let e = err(".data\n.word 1\n.text\nli $t0 2\n3");
    assert!(e.contains("t.s:5:1") && e.contains("expected an instruction"), "{e}");
}

#[test]
fn directive_with_a_colon() {
    let p = asm(".data:\nx: .word 5\n.text:\nmain: lw $t0, x");
    assert_eq!(p.symbol("x"), Some(0x1001_0000));
    assert_eq!(p.text.len(), 2);
}

#[test]
fn label_before_eqv_and_macro() {
    let p = asm("main: .eqv N 3\nli $t0, N\nm: .macro two\nnop\nnop\n.end_macro\ntwo\nafter: nop");
    assert_eq!(p.symbol("main"), Some(0x0040_0000));
    assert_eq!(p.symbol("m"), Some(0x0040_0004), "the label marks what follows the definition");
    assert_eq!(p.symbol("after"), Some(0x0040_000c));
    assert_eq!(words(&p)[0], "addiu   $t0,$zero,3");
}

#[test]
fn unknown_directives_warn_and_go_on() {
    let mut a = Assembler::new();
    a.add_source("w.s", ".data\n  .foo 1, 2\n.text\nnop");
    assert_eq!(a.warnings().len(), 1);
    assert!(a.warnings()[0].contains("unknown directive `.foo`"), "{:?}", a.warnings());
    assert!(a.warnings()[0].contains("w.s:2:3"), "{:?}", a.warnings());
    assert_eq!(a.finish().expect("assembles").text.len(), 1);
}

#[test]
fn two_operand_logical_immediates() {
    let p = asm("andi $t0, 0xff\nori $t1 7\nxori $t2, 1\nand $t0, 0xff\nor $t1, 7\nxor $t2, 1");
    let w = words(&p);
    assert_eq!(w[0], "andi    $t0,$t0,0xff");
    assert_eq!(w[1], "ori     $t1,$t1,0x7");
    assert_eq!(w[2], "xori    $t2,$t2,0x1");
    assert_eq!(w[3..], w[..3]);
    // A 32-bit value goes through $at for andi/ori/xori, as in MARS.
    let p = asm("ori $t0, 0x12345678");
    assert_eq!(p.text.len(), 3);
    assert_eq!(decode(p.text[2]).op, Op::Or);
}

#[test]
fn two_operand_forms_mars_rejects() {
    for line in ["addi $t0, 5", "addiu $t0, 5", "add $t0, 5", "sub $t0, 5", "slt $t0, 5", "sll $t0, 5"] {
        let e = err(line);
        assert!(e.contains("t.s:1:"), "{line}: {e}");
    }
    let e = err("and $t0, 0x10000");
    assert!(e.contains("16-bit unsigned") && e.contains("andi"), "{e}");
}

#[test]
fn numbers_with_a_leading_zero() {
    let p = asm(".data\n.word 010, 0777, 09876, 0019, 00");
    let values: Vec<u32> = (0..5).map(|i| word_at(&p, i)).collect();
    assert_eq!(values, [8, 511, 9876, 19, 0]);
}

#[test]
fn numeric_local_labels() {
    let text = "1: addiu $t0, $t0, 1\nbne $t0, $t1, 1b\nb 1f\nnop\n1: b 1b\n2: j 2b";
    let p = asm(text);
    let w = words(&p);
    assert_eq!(w[1], "bne     $t0,$t1,0x00400000");
    assert_eq!(w[2], "beq     $zero,$zero,0x00400010");
    assert_eq!(w[4], "beq     $zero,$zero,0x00400010", "1b after the second `1:` is that one");
    assert_eq!(w[5], "j       0x00400014");
    assert!(p.symbols.iter().all(|s| !s.name.contains(super::symbols::NUMERIC_MARK)));
    let e = err("b 3f\nnop");
    assert!(e.contains("t.s:1:3") && e.contains("`3f`"), "{e}");
    // Each file counts its own; macros may use them.
    let p = asm(".macro spin\n1: addiu $t0, $t0, -1\nbgtz $t0, 1b\n.end_macro\nspin\nspin");
    let w = words(&p);
    assert_eq!(w[1], "bgtz    $t0,0x00400000");
    assert_eq!(w[3], "bgtz    $t0,0x00400008");
}

#[test]
fn floats_round_to_nearest_from_their_text() {
    let p = asm(".data\n.float 1.5, -2e-3, 0.1 3\n.float 1.00000005960464477539062500001\n.float -0.0");
    let values: Vec<u32> = (0..6).map(|i| word_at(&p, i)).collect();
    // The fifth would be 0x3f800000 if rounded through f64 first.
    assert_eq!(values, [0x3fc0_0000, 0xbb03_126f, 0x3dcc_cccd, 0x4040_0000, 0x3f80_0001, 0x8000_0000]);
    let p = asm(".data\n.byte 1\n.double 0.1 -2.5e10");
    let b = data(&p);
    assert_eq!(b.len(), 24, "doubles are aligned to 8");
    assert_eq!(&b[8..16], &0.1f64.to_le_bytes());
    assert_eq!(&b[16..24], &(-2.5e10f64).to_le_bytes());
    let e = err(".data\n.float x");
    assert!(e.contains("expected a floating-point number"), "{e}");
}

#[test]
fn mars_fp_pseudo_instructions() {
    let p = asm("mfc1.d $t0, $f2\nmtc1.d $a0, $f4");
    assert_eq!(words(&p), ["mfc1    $t0,$f2", "mfc1    $t1,$f3", "mtc1    $a0,$f4", "mtc1    $a1,$f5"]);
    assert!(err("mfc1.d $t0, $f3").contains("odd"));
    let p =
        asm(".data\nx: .float 1\n.text\nl.s $f0, x\nl.s $f1, x+4($t0)\nc.eq.s 1, $f0, $f1\nbc1t 1, 0x400000");
    assert_eq!(p.text.len(), 2 + 3 + 2);
}

#[test]
fn odd_input_never_panics() {
    let lines = [
        "1:",
        "0b:",
        "1b",
        "b 0b",
        ".data:",
        ".text::",
        ":",
        "x: .asciiz",
        "\"a\"",
        ".word 1,",
        ",",
        ",,,",
        "li, ,",
        "andi $t0,",
        "mfc1.d $31, $f2",
        "mtc1.d $t0 $f30",
        ".float -",
        ".float - 1.0",
        ".double 1e999",
        ".float 1e-999",
        "a: b: .eqv",
        "a: .macro",
        "a: .end_macro",
        ".word 1 -",
        "+",
        "-1",
        "'x'",
        "l.d $f1, 4",
        "99999999999:",
        "1f: nop",
        ".half 070000000000",
        "0x:",
        "1e5",
        ".byte 1.5",
        "main: .include",
        "é: nop",
        "1: 1: 1: b 1b",
        ".word 3 : 2 5",
        ".foo",
        ".foo:",
        "2e",
        "and $t0, x",
        "xori $t0 0x123456789",
    ];
    for first in lines {
        for second in lines {
            let text = format!(".data\n{first}\n{second}\n.text\n{first}\n{second}\nnop\n");
            let _ = assemble_str("odd.s", &text).map_err(|e| e.to_string());
        }
    }
}

#[test]
fn section_directives_with_an_address() {
    let p = asm(".data 0x10010000\nx: .word 1\n.data 0x10000000\ny: .word 2\n.text 0x00400000\nmain: nop");
    assert_eq!(p.symbol("x"), Some(0x1001_0000));
    assert_eq!(p.symbol("y"), Some(0x1000_0000), "SPIM's data address is the small-data area");
    let p = asm(".data\n.word 1\n.data 0x10010004\nz: .word 3");
    assert_eq!(p.symbol("z"), Some(0x1001_0004), "where .data goes on");
    let e = err(".data 0x10020000\n.word 1");
    assert!(e.contains("not supported") && e.contains("0x10010000"), "{e}");
}

#[test]
fn noreorder_code_turns_delay_slots_on_and_reorder_code_gets_a_nop_per_slot() {
    // The delay-slot issue's reproducer: `auto` assembles it for delay slots.
    let p = asm("main: .set noreorder\nli $t0, 0\nb skip\naddiu $t0, $t0, 1\naddiu $t0, $t0, 100\nskip: .set reorder\nmove $a0, $t0\n");
    assert!(p.delay_slots);
    assert_eq!(p.text.len(), 5, "noreorder code gets nothing added");
    // Without `.set noreorder`, no delay slots and nothing added.
    let p = asm("main: beq $4, $5, out\naddiu $t0, $t0, 1\nout: jr $ra\n");
    assert!(!p.delay_slots);
    assert_eq!(p.text.len(), 3);
    // Reorder code in a program with delay slots: a nop after each branch
    // and jump (also after the one a pseudo-instruction ends with).
    let p = asm(
        ".set noreorder\nmain: nop\n.set reorder\nb out\nblt $t0, $t1, out\naddiu $t0, $t0, 1\nout: jr $ra\n",
    );
    assert!(p.delay_slots);
    let words: Vec<u32> = p.text.clone();
    assert_eq!(words.len(), 1 + 2 + 3 + 1 + 2, "{words:08x?}");
    assert_eq!(words[2], 0, "the slot of `b`");
    assert_eq!(words[5], 0, "the slot of `blt`'s `bne`");
    assert_eq!(words[8], 0, "the slot of `jr`");
}

#[test]
fn an_expansion_owns_the_slots_of_its_internal_branches() {
    // `div $d, $s, $t` checks for zero with `bne $t, $0, skip; break`: with
    // delay slots the slot gets a nop and the skip one more word, even in
    // `.set noreorder` code.
    for noreorder in [".set noreorder\n", ""] {
        let p = asm(&format!(".set noreorder\n.set reorder\n{noreorder}main: div $t0, $t1, $t2\nnop\n"));
        assert!(p.delay_slots);
        let bne = decode(p.text[0]);
        assert_eq!(bne.op, crate::isa::Op::Bne);
        assert_eq!(bne.imm, 2, "skips the nop and the break");
        assert_eq!(p.text[1], 0);
        assert_eq!(decode(p.text[2]).op, crate::isa::Op::Break);
        assert_eq!(decode(p.text[3]).op, crate::isa::Op::Div);
    }
}

#[test]
fn a_dotted_name_with_a_colon_is_a_label_unless_mars_has_that_directive() {
    // exercism's yacht solution labels code `.zero:`; GNU as's `.zero` is no MARS directive.
    let p = asm("main: j .zero\nli $a0, 1\n.zero: li $v0, 1\n.skip: syscall\n");
    assert_eq!(p.text.len(), 4);
    assert_eq!(decode(p.text[0]).imm << 2, 0x0040_0008);
    let p = asm(".data:\nw: .word 5\n.text:\nmain: lw $t0, w\n");
    assert_eq!(data(&p)[0], 5);
}
