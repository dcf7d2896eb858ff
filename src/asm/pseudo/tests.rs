//! The table against the expander, the assembler's errors and the ISA.

use super::table::{Pseudo, Shape, ROWS};
use super::{expand, lookup, pseudo_mnemonics, syntax};
use crate::asm::expr::Expr;
use crate::asm::native::ConstEval;
use crate::asm::operands::{Arg, Spanned};
use crate::isa::{Flags, OPS};

/// Numbers are known, everything else is a label.
struct Numbers;

impl ConstEval for Numbers {
    fn value_now(&self, e: &Expr) -> Option<i64> {
        match e {
            Expr::Num(v) => Some(*v),
            _ => None,
        }
    }
}

/// An operand of each shape: `immediate` picks the other alternative
/// where a shape has two.
fn sample(shape: Shape, immediate: bool) -> Arg {
    let num = || Arg::Expr(Expr::Num(5));
    match shape {
        Shape::Reg => Arg::Reg(8),
        Shape::Expr => num(),
        // `ush` takes no bare address: `(base)` is the other valid one.
        Shape::Mem | Shape::Addr if immediate => Arg::Mem(None, 9),
        Shape::Mem | Shape::Off | Shape::Addr => Arg::Mem(Some(Expr::Num(4)), 9),
        Shape::FReg | Shape::Even => Arg::FReg(2),
        Shape::RegImm | Shape::Rhs if immediate => num(),
        Shape::RegImm | Shape::Rhs => Arg::Reg(9),
    }
}

/// Every (mnemonic, variant, sample operands) of the table, two samples a form.
fn samples() -> Vec<(&'static str, Pseudo, Vec<Spanned>)> {
    let mut out = Vec::new();
    for row in ROWS {
        for &(name, pseudo) in row.mnemonics {
            for form in row.forms {
                for immediate in [false, true] {
                    let args = form
                        .iter()
                        .map(|&s| Spanned { arg: sample(s, immediate), start: 0, end: 1 })
                        .collect();
                    out.push((name, pseudo, args));
                }
            }
        }
    }
    out
}

#[test]
fn every_mnemonic_of_every_row_is_reachable() {
    for (name, pseudo, args) in samples() {
        let a: Vec<&Arg> = args.iter().map(|s| &s.arg).collect();
        match lookup(name, &a) {
            Some(Ok(found)) => assert_eq!(found, pseudo, "`{name}` {a:?} is shadowed by another row"),
            other => panic!("`{name}` {a:?}: {other:?}"),
        }
    }
}

/// The compiler checks that `expand` has an arm for every variant; this
/// checks that each arm takes the operands its row accepts.
#[test]
fn every_row_expands_its_sample_operands() {
    for (name, pseudo, args) in samples() {
        match expand(name, &args, &Numbers) {
            Some(Ok(emits)) => assert!(!emits.is_empty(), "{pseudo:?}"),
            Some(Err(m)) => panic!("`{name}` {pseudo:?}: {}", m.message),
            None => panic!("`{name}` {pseudo:?}: no expansion"),
        }
    }
}

/// The assembler gives an expansion's internal branches their delay slot
/// and one more word to skip; it knows them as transfers without a fixup
/// before the last instruction. Check that every such branch lands inside
/// its expansion and every branch to a label is last.
#[test]
fn internal_branches_skip_within_their_expansion() {
    let mut internal = 0;
    for (name, _, args) in samples() {
        let Some(Ok(emits)) = expand(name, &args, &Numbers) else { continue };
        let last = emits.len() - 1;
        for (j, e) in emits.iter().enumerate() {
            if !e.inst.op.flags().transfers() || j == last {
                continue;
            }
            assert!(e.fix.is_none(), "`{name}`: a branch to a label before the end");
            let target = j + 1 + e.inst.imm as usize;
            assert!(target <= last, "`{name}`: the skip at {j} leaves the expansion");
            internal += 1;
        }
    }
    assert!(internal > 0, "div, rem, mulo and mulou have internal branches");
}

#[test]
fn errors_quote_each_rows_syntax() {
    for row in ROWS {
        for &(name, _) in row.mnemonics {
            if !pseudo_mnemonics().any(|n| n == name) {
                // A machine mnemonic's errors quote its table row.
                continue;
            }
            // No form of any row takes five operands.
            let text = format!("{name} $t0, $t0, $t0, $t0, $t0");
            let e = crate::asm::assemble_str("t.s", &text).expect_err("wrong operands").to_string();
            let quoted = syntax(name).expect("a row");
            assert!(e.contains(&format!("wrong operands: expected `{quoted}`")), "{e}");
            for s in row.syntax {
                let form = if s.is_empty() { name.to_string() } else { format!("{name} {s}") };
                assert!(quoted.split(" | ").any(|q| q == form), "`{name}`: {quoted} lacks {form}");
            }
        }
    }
    assert_eq!(syntax("blt").as_deref(), Some("blt rs, rt|imm, label"));
    assert_eq!(syntax("la").as_deref(), Some("la rt, label | la rt, offset(base)"));
    assert_eq!(syntax("nop").as_deref(), Some("nop"));
}

#[test]
fn hints_offer_the_pseudo_instructions_proper() {
    let names: Vec<&str> = pseudo_mnemonics().collect();
    for name in ["li", "la", "move", "blt", "bgeu", "subi", "l.d", "mtc1.d"] {
        assert!(names.contains(&name), "{name}");
    }
    for name in ["beq", "div", "andi", "lw", "ldc1"] {
        assert!(!names.contains(&name), "{name} is a machine mnemonic");
    }
}

/// The memory rows name every load and store of the ISA, each with its own
/// op, in the row of its register file.
#[test]
fn memory_rows_are_the_isa_loads_and_stores() {
    let mut listed = Vec::new();
    for row in ROWS {
        for &(name, pseudo) in row.mnemonics {
            let (op, fp, double, alias) = match pseudo {
                Pseudo::Memory(op) => (op, false, false, false),
                Pseudo::MemorySingle(op) => (op, true, false, false),
                Pseudo::MemoryDouble(op) => (op, true, true, false),
                Pseudo::FpSingle(op) => (op, true, false, true),
                Pseudo::FpDouble(op) => (op, true, true, true),
                _ => continue,
            };
            let def = op.def().expect("a table op");
            assert!(def.flags.contains(Flags::LOAD) || def.flags.contains(Flags::STORE), "{name}");
            assert_eq!(def.flags.contains(Flags::FPU), fp, "{name}");
            assert_eq!(def.operands[0].is_double(), double, "{name}");
            if !alias {
                assert_eq!(def.mnemonic, name);
                listed.push(name);
            }
        }
    }
    let mut isa: Vec<&str> = OPS
        .iter()
        .filter(|d| d.flags.contains(Flags::LOAD) || d.flags.contains(Flags::STORE))
        .map(|d| d.mnemonic)
        .collect();
    listed.sort_unstable();
    isa.sort_unstable();
    assert_eq!(listed, isa);
}
