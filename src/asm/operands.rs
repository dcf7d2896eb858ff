//! Instruction operands: registers, expressions and memory references.

use super::diag::{closest, edit_distance};
use super::expr::{Expr, ExprParser, SymRef};
use super::lexer::{Tok, Token};
use crate::isa::reg;

/// One parsed operand.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `$t0`, `$8`.
    Reg(u8),
    /// A number, symbol or expression (immediate, label, branch target).
    Expr(Expr),
    /// `(base)` or `offset(base)`.
    Mem(Option<Expr>, u8),
    /// `$f0`..`$f31`.
    FReg(u8),
    /// `$fcc0`..`$fcc7`, a condition code as GNU as writes it.
    Fcc(u8),
}

/// An operand and the byte span it covers in the line.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned {
    /// The operand.
    pub arg: Arg,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
}

/// A parse error: byte span in the line and message.
#[derive(Debug)]
pub struct OperandError {
    /// Byte offset.
    pub start: usize,
    /// Length in bytes.
    pub len: usize,
    /// What is wrong.
    pub message: String,
    /// A hint.
    pub help: Option<String>,
}

fn register_typo(name: &str) -> Option<String> {
    // GCC's local labels ($L4, $LC0) are symbols, not misspelt registers.
    if name.starts_with('L') || name.len() > 4 {
        return None;
    }
    let candidates = reg::NAMES.iter().copied().chain(["s8"]);
    let lower = name.to_ascii_lowercase();
    if !candidates.clone().any(|n| edit_distance(&lower, n) <= 1) {
        return None;
    }
    closest(name, candidates).map(|c| format!("did you mean `${c}`?"))
}

/// MARS treats commas as blanks: one right after the mnemonic (`li, $a0, 7`),
/// none between operands (`add $t0 $t1 $t2`) or one at the end (`la $a0, m,`)
/// are all fine, so any run of commas between operands is skipped.
fn skip_commas(toks: &[Token<'_>], pos: &mut usize) {
    while matches!(toks.get(*pos).map(|t| &t.tok), Some(Tok::Punct(b','))) {
        *pos += 1;
    }
}

/// Parses operands from `toks` (the tokens after the mnemonic), separated by
/// commas or blanks as MARS allows (see [`skip_commas`]).
pub fn parse_args(
    toks: &[Token<'_>],
    line_len: usize,
    here: (u8, i64),
    intern: &mut dyn FnMut(&str) -> SymRef,
) -> Result<Vec<Spanned>, OperandError> {
    let mut args = Vec::with_capacity(4);
    let mut pos = 0;
    skip_commas(toks, &mut pos);
    let span_at = |i: usize| toks.get(i).map_or((line_len, 1), |t| (t.start, t.end - t.start));
    while pos < toks.len() {
        let start = toks[pos].start;
        let arg = match &toks[pos].tok {
            Tok::Dollar(name) if reg::parse(name).is_some() => {
                pos += 1;
                Arg::Reg(reg::parse(name).unwrap_or(0))
            }
            Tok::Dollar(name) if reg::parse_fpr(name).is_some() => {
                pos += 1;
                Arg::FReg(reg::parse_fpr(name).unwrap_or(0))
            }
            Tok::Dollar(name) if reg::parse_fcc(name).is_some() => {
                pos += 1;
                Arg::Fcc(reg::parse_fcc(name).unwrap_or(0))
            }
            Tok::Dollar(name) if register_typo(name).is_some() => {
                let t = &toks[pos];
                return Err(OperandError {
                    start: t.start,
                    len: t.end - t.start,
                    message: format!("unknown register `${name}`"),
                    help: register_typo(name),
                });
            }
            _ => {
                let mut p = ExprParser::new(toks, pos, &mut *intern, here);
                let offset = if p.at_base_register() {
                    None
                } else {
                    Some(p.parse().map_err(|e| {
                        let (s, l) = span_at(e.at);
                        OperandError { start: s, len: l, message: e.message, help: None }
                    })?)
                };
                pos = p.pos;
                if p.at_base_register() {
                    let Tok::Dollar(name) = &toks[pos + 1].tok else { unreachable!() };
                    let base = reg::parse(name).unwrap_or(0);
                    if !matches!(toks.get(pos + 2).map(|t| &t.tok), Some(Tok::Punct(b')'))) {
                        let (s, l) = span_at(pos + 2);
                        return Err(OperandError {
                            start: s,
                            len: l,
                            message: "expected `)`".into(),
                            help: None,
                        });
                    }
                    pos += 3;
                    Arg::Mem(offset, base)
                } else {
                    match offset {
                        Some(e) => Arg::Expr(e),
                        None => unreachable!("at_base_register was false"),
                    }
                }
            }
        };
        let end = toks[pos - 1].end;
        args.push(Spanned { arg, start, end });
        skip_commas(toks, &mut pos);
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::super::lexer::Lexer;
    use super::*;

    fn args(line: &str) -> Result<Vec<Arg>, OperandError> {
        let mut lx = Lexer::new(line);
        let mut toks = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            toks.push(t);
        }
        let mut intern = |_: &str| SymRef { scope: 0, name: 7 };
        parse_args(&toks, line.len(), (0, 0), &mut intern).map(|v| v.into_iter().map(|s| s.arg).collect())
    }

    #[test]
    fn shapes() {
        assert_eq!(args("$t0, $t1, 5").unwrap(), vec![Arg::Reg(8), Arg::Reg(9), Arg::Expr(Expr::Num(5))]);
        assert_eq!(args("$t0, -4($sp)").unwrap(), vec![Arg::Reg(8), Arg::Mem(Some(Expr::Num(-4)), 29)]);
        assert_eq!(args("$t0, ($sp)").unwrap(), vec![Arg::Reg(8), Arg::Mem(None, 29)]);
        assert_eq!(args("$t0, (4+4)($a0)").unwrap(), vec![Arg::Reg(8), Arg::Mem(Some(Expr::Num(8)), 4)]);
        assert_eq!(args("$t0 $t1 $t2").unwrap(), vec![Arg::Reg(8), Arg::Reg(9), Arg::Reg(10)]);
        let sym = Expr::Sym(SymRef { scope: 0, name: 7 });
        assert_eq!(args("$2, $L4").unwrap(), vec![Arg::Reg(2), Arg::Expr(sym)]);
        assert_eq!(args("$f1, $F31, $fcc7").unwrap(), vec![Arg::FReg(1), Arg::FReg(31), Arg::Fcc(7)]);
        assert_eq!(args("$fp").unwrap(), vec![Arg::Reg(30)]);
        // MARS: commas are blanks (after the mnemonic, doubled, trailing).
        assert_eq!(args(", $t0,, 5,").unwrap(), vec![Arg::Reg(8), Arg::Expr(Expr::Num(5))]);
    }

    #[test]
    fn errors() {
        let e = args("$t0, $t10").unwrap_err();
        assert!(e.message.contains("unknown register"), "{}", e.message);
        assert_eq!(e.help.as_deref(), Some("did you mean `$t0`?"));
        assert!(args("$t0, 4($sp").is_err());
        assert!(args("$t0, 4($sp").is_err());
        assert!(args("$t0, )").is_err());
    }
}
