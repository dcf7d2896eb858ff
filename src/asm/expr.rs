//! Constant expressions in operands and directives: C-like integer
//! arithmetic over numbers, symbols, `.` (the location counter) and the
//! relocation operators `%hi`, `%lo` and `%gp_rel`.

use super::lexer::{Tok, Token};
use super::limits::{MAX_EXPR_DEPTH, MAX_EXPR_NODES};
use crate::isa::reg;

/// A symbol as referenced from some file: its interned name and the scope
/// (the file) that refers to it, for file-local label lookup.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct SymRef {
    /// The file whose local labels are searched first.
    pub scope: u32,
    /// Interned name.
    pub name: u32,
}

/// Relocation operators: how a 16-bit field takes part of an address.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reloc {
    /// `%hi(x)`: upper half, adjusted for the sign of the lower half (pairs with `%lo`).
    Hi,
    /// `%lo(x)`: lower half, sign-extended.
    Lo,
    /// `%gp_rel(x)`: offset from the initial `$gp`.
    GpRel,
    /// Upper half without adjustment (pairs with a zero-extending `ori`).
    HiRaw,
    /// Lower half, zero-extended.
    LoRaw,
}

/// A section-relative or absolute value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Value {
    /// A plain number (or, after layout, an address).
    Abs(i64),
    /// An offset into a section whose address is not fixed yet.
    Rel {
        /// The section.
        section: u8,
        /// Byte offset into it.
        offset: i64,
    },
}

/// An expression tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A number.
    Num(i64),
    /// A symbol.
    Sym(SymRef),
    /// A position in a section (what `.` means at the statement).
    Here {
        /// The section.
        section: u8,
        /// Byte offset into it.
        offset: i64,
    },
    /// `-x`, `~x`, `!x`.
    Unary(u8, Box<Expr>),
    /// `a op b`; `op` is the operator's first character, or `<`/`>` for shifts.
    Binary(u8, Box<Expr>, Box<Expr>),
    /// A relocation operator applied to an address.
    Reloc(Reloc, Box<Expr>),
}

/// Why an expression has no value (yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// Depends on something not known yet; try again after layout.
    Deferred,
    /// A symbol that is defined nowhere.
    Undefined(SymRef),
    /// Anything else, with a message.
    Invalid(String),
}

/// What evaluation needs from the assembler.
pub trait Resolver {
    /// The value of a symbol (`Err(Deferred)` while unknown).
    fn symbol(&self, sym: SymRef) -> Result<Value, EvalError>;
    /// The value of a section position (absolute once sections are placed).
    fn here(&self, section: u8, offset: i64) -> Value;
    /// The initial `$gp`, for `%gp_rel`.
    fn gp(&self) -> i64;
}

impl Expr {
    /// True when the expression is a relocation operator at the top: its
    /// value always fits a 16-bit field.
    pub fn is_reloc(&self) -> bool {
        matches!(self, Expr::Reloc(..))
    }

    /// Number of nodes in the tree (what keeping it costs).
    pub fn nodes(&self) -> u64 {
        match self {
            Expr::Num(_) | Expr::Sym(_) | Expr::Here { .. } => 1,
            Expr::Unary(_, e) | Expr::Reloc(_, e) => 1 + e.nodes(),
            Expr::Binary(_, a, b) => 1 + a.nodes() + b.nodes(),
        }
    }

    /// True when the expression refers to the symbol named `name` (interned).
    pub fn mentions(&self, name: u32) -> bool {
        match self {
            Expr::Sym(s) => s.name == name,
            Expr::Num(_) | Expr::Here { .. } => false,
            Expr::Unary(_, e) | Expr::Reloc(_, e) => e.mentions(name),
            Expr::Binary(_, a, b) => a.mentions(name) || b.mentions(name),
        }
    }

    /// Evaluates to a value.
    pub fn eval(&self, r: &dyn Resolver) -> Result<Value, EvalError> {
        use Value::*;
        Ok(match self {
            Expr::Num(n) => Abs(*n),
            Expr::Sym(s) => r.symbol(*s)?,
            Expr::Here { section, offset } => r.here(*section, *offset),
            Expr::Unary(op, e) => {
                let v = abs(e.eval(r)?, "an address cannot be negated")?;
                Abs(match op {
                    b'-' => v.wrapping_neg(),
                    b'~' => !v,
                    _ => i64::from(v == 0),
                })
            }
            Expr::Binary(op, a, b) => binary(*op, a.eval(r)?, b.eval(r)?)?,
            Expr::Reloc(kind, e) => {
                let v = abs(e.eval(r)?, "")?;
                Abs(apply_reloc(*kind, v, r.gp())?)
            }
        })
    }

    /// Evaluates to a number, treating section-relative values as not known yet.
    pub fn eval_abs(&self, r: &dyn Resolver) -> Result<i64, EvalError> {
        match self.eval(r)? {
            Value::Abs(v) => Ok(v),
            Value::Rel { .. } => Err(EvalError::Deferred),
        }
    }
}

fn abs(v: Value, _why: &str) -> Result<i64, EvalError> {
    match v {
        Value::Abs(v) => Ok(v),
        Value::Rel { .. } => Err(EvalError::Deferred),
    }
}

fn binary(op: u8, a: Value, b: Value) -> Result<Value, EvalError> {
    use Value::*;
    match (op, a, b) {
        (b'+', Rel { section, offset }, Abs(n)) | (b'+', Abs(n), Rel { section, offset }) => {
            Ok(Rel { section, offset: offset.wrapping_add(n) })
        }
        (b'-', Rel { section, offset }, Abs(n)) => Ok(Rel { section, offset: offset.wrapping_sub(n) }),
        (b'-', Rel { section: s1, offset: o1 }, Rel { section: s2, offset: o2 }) if s1 == s2 => {
            Ok(Abs(o1.wrapping_sub(o2)))
        }
        (_, Rel { .. }, _) | (_, _, Rel { .. }) => Err(EvalError::Deferred),
        (_, Abs(a), Abs(b)) => Ok(Abs(match op {
            b'+' => a.wrapping_add(b),
            b'-' => a.wrapping_sub(b),
            b'*' => a.wrapping_mul(b),
            b'/' | b'%' if b == 0 => return Err(EvalError::Invalid("division by zero in expression".into())),
            b'/' => a.wrapping_div(b),
            b'%' => a.wrapping_rem(b),
            b'&' => a & b,
            b'|' => a | b,
            b'^' => a ^ b,
            b'<' => a.wrapping_shl((b & 63) as u32),
            b'>' => a.wrapping_shr((b & 63) as u32),
            _ => return Err(EvalError::Invalid(format!("unknown operator `{}`", op as char))),
        })),
    }
}

/// The 16-bit field value a relocation operator gives for address `v`.
pub fn apply_reloc(kind: Reloc, v: i64, gp: i64) -> Result<i64, EvalError> {
    let v32 = v as u32;
    Ok(match kind {
        Reloc::Hi => (v32.wrapping_add(0x8000) >> 16) as i64,
        Reloc::Lo => v32 as u16 as i16 as i64,
        Reloc::HiRaw => (v32 >> 16) as i64,
        Reloc::LoRaw => (v32 & 0xffff) as i64,
        Reloc::GpRel => {
            let off = v - gp;
            if !(-0x8000..0x8000).contains(&off) {
                return Err(EvalError::Invalid(format!(
                    "%gp_rel offset {off} is out of reach of $gp (more than 32 KiB away)"
                )));
            }
            off
        }
    })
}

/// Parser over a slice of tokens; `pos` is left at the first unused token.
pub struct ExprParser<'t, 'a, F: FnMut(&str) -> SymRef> {
    /// The tokens.
    pub toks: &'t [Token<'a>],
    /// Next token index.
    pub pos: usize,
    /// Interns a symbol name.
    pub intern: F,
    /// Where `.` is.
    pub here: (u8, i64),
    /// Current nesting (parentheses, unary operators), bounded so a
    /// hostile line cannot overflow the stack.
    depth: u32,
    /// Tree nodes built so far, bounded so evaluating (recursively) and
    /// dropping the tree stay shallow too.
    nodes: u32,
}

/// A parse error at a token index.
#[derive(Debug)]
pub struct ParseError {
    /// Index of the offending token (may equal the token count: end of line).
    pub at: usize,
    /// What was expected.
    pub message: String,
}

impl<'t, 'a, F: FnMut(&str) -> SymRef> ExprParser<'t, 'a, F> {
    /// A parser at token `pos` of `toks`.
    pub fn new(toks: &'t [Token<'a>], pos: usize, intern: F, here: (u8, i64)) -> Self {
        ExprParser { toks, pos, intern, here, depth: 0, nodes: 0 }
    }

    /// Counts one more tree node and one more level of nesting (`nest`).
    fn enter(&mut self, nest: bool) -> Result<(), ParseError> {
        self.nodes += 1;
        if self.nodes > MAX_EXPR_NODES {
            let message =
                format!("expression is too long (more than {MAX_EXPR_NODES} operators and operands)");
            return Err(ParseError { at: self.pos, message });
        }
        if nest {
            self.depth += 1;
            if self.depth > MAX_EXPR_DEPTH {
                let message = format!("expression nests too deeply (more than {MAX_EXPR_DEPTH} levels)");
                return Err(ParseError { at: self.pos, message });
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<&Tok<'_>> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    /// True when the next tokens are `( $reg )`: a memory operand's base, not
    /// a parenthesised expression.
    pub fn at_base_register(&self) -> bool {
        matches!(self.peek(), Some(Tok::Punct(b'(')))
            && matches!(self.toks.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Dollar(n)) if reg::parse(n).is_some())
    }

    /// Parses one expression.
    pub fn parse(&mut self) -> Result<Expr, ParseError> {
        self.binary(1)
    }

    fn binary(&mut self, min_prec: u8) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Punct(b'|')) => (b'|', 1),
                Some(Tok::Punct(b'^')) => (b'^', 2),
                Some(Tok::Punct(b'&')) => (b'&', 3),
                Some(Tok::Shl) => (b'<', 4),
                Some(Tok::Shr) => (b'>', 4),
                Some(Tok::Punct(c @ (b'+' | b'-'))) => (*c, 5),
                Some(Tok::Punct(c @ (b'*' | b'/' | b'%'))) => (*c, 6),
                _ => return Ok(lhs),
            };
            if prec < min_prec {
                return Ok(lhs);
            }
            self.enter(false)?;
            self.pos += 1;
            let rhs = self.binary(prec + 1)?;
            lhs = match (lhs, rhs) {
                (Expr::Num(a), Expr::Num(b)) if !matches!(op, b'/' | b'%') || b != 0 => {
                    let v = binary(op, Value::Abs(a), Value::Abs(b));
                    match v {
                        Ok(Value::Abs(v)) => Expr::Num(v),
                        _ => Expr::Binary(op, Box::new(Expr::Num(a)), Box::new(Expr::Num(b))),
                    }
                }
                (a, b) => Expr::Binary(op, Box::new(a), Box::new(b)),
            };
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            Some(Tok::Punct(op @ (b'-' | b'~' | b'!'))) => {
                let op = *op;
                self.enter(true)?;
                self.pos += 1;
                let e = self.unary()?;
                self.depth -= 1;
                Ok(match e {
                    Expr::Num(n) => Expr::Num(match op {
                        b'-' => n.wrapping_neg(),
                        b'~' => !n,
                        _ => i64::from(n == 0),
                    }),
                    e => Expr::Unary(op, Box::new(e)),
                })
            }
            Some(Tok::Punct(b'+')) => {
                self.enter(true)?;
                self.pos += 1;
                let e = self.unary();
                self.depth -= 1;
                e
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        self.enter(false)?;
        let at = self.pos;
        let expected = || ParseError { at, message: "expected a number, symbol or expression".into() };
        let toks = self.toks;
        let Some(tok) = toks.get(at).map(|t| &t.tok) else {
            return Err(expected());
        };
        let e = match tok {
            Tok::Int(n) => Expr::Num(*n),
            Tok::Ident(".") => Expr::Here { section: self.here.0, offset: self.here.1 },
            Tok::Ident(name) => Expr::Sym((self.intern)(name)),
            Tok::Dollar(name) if reg::parse(name).is_none() => {
                let name = format!("${name}");
                Expr::Sym((self.intern)(&name))
            }
            Tok::Percent(op) => {
                let kind = match op.to_ascii_lowercase().as_str() {
                    "hi" => Reloc::Hi,
                    "lo" => Reloc::Lo,
                    "gp_rel" => Reloc::GpRel,
                    _ => {
                        return Err(ParseError {
                            at,
                            message: format!(
                                "unknown relocation operator `%{op}` (expected %hi, %lo or %gp_rel)"
                            ),
                        })
                    }
                };
                self.pos += 1;
                if !matches!(self.peek(), Some(Tok::Punct(b'('))) {
                    return Err(ParseError {
                        at: self.pos,
                        message: "expected `(` after relocation operator".into(),
                    });
                }
                self.pos += 1;
                self.enter(true)?;
                let inner = self.parse()?;
                self.depth -= 1;
                self.close_paren()?;
                return Ok(Expr::Reloc(kind, Box::new(inner)));
            }
            Tok::Punct(b'(') if !self.at_base_register() => {
                self.enter(true)?;
                self.pos += 1;
                let inner = self.parse()?;
                self.depth -= 1;
                self.close_paren()?;
                return Ok(inner);
            }
            _ => return Err(expected()),
        };
        self.pos += 1;
        Ok(e)
    }

    fn close_paren(&mut self) -> Result<(), ParseError> {
        if matches!(self.peek(), Some(Tok::Punct(b')'))) {
            self.pos += 1;
            Ok(())
        } else {
            Err(ParseError { at: self.pos, message: "expected `)`".into() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::Lexer;
    use super::*;

    struct NoSyms;
    impl Resolver for NoSyms {
        fn symbol(&self, s: SymRef) -> Result<Value, EvalError> {
            Ok(Value::Abs(s.name as i64 * 0x1_0000 + 0x8000))
        }
        fn here(&self, _: u8, offset: i64) -> Value {
            Value::Abs(0x400000 + offset)
        }
        fn gp(&self) -> i64 {
            0x1000_8000
        }
    }

    fn eval(text: &str) -> i64 {
        let mut lx = Lexer::new(text);
        let mut toks = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            toks.push(t);
        }
        let mut p = ExprParser::new(&toks, 0, |_: &str| SymRef { scope: 0, name: 1 }, (0, 8));
        let e = p.parse().unwrap();
        assert_eq!(p.pos, toks.len(), "{text}: unparsed tokens");
        e.eval_abs(&NoSyms).unwrap()
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(eval("1 + 2 * 3"), 7);
        assert_eq!(eval("(1 + 2) * 3"), 9);
        assert_eq!(eval("0x100 - 4"), 252);
        assert_eq!(eval("1 << 4 | 1"), 17);
        assert_eq!(eval("-8 >> 1"), -4);
        assert_eq!(eval("~0 & 0xff"), 255);
        assert_eq!(eval("7 % 4 - -1"), 4);
        assert_eq!(eval(". + 4"), 0x40000c);
    }

    #[test]
    fn relocations_pair_up() {
        // sym = 0x18000: %hi carries because %lo is negative.
        assert_eq!(eval("%hi(x)"), 2);
        assert_eq!(eval("%lo(x)"), -0x8000);
        assert_eq!((eval("%hi(x)") << 16) + eval("%lo(x)"), 0x18000);
        assert_eq!(eval("%hi(x+4)"), 2);
    }

    fn parse_error(text: &str) -> String {
        let mut lx = Lexer::new(text);
        let mut toks = Vec::new();
        while let Some(t) = lx.next_token().unwrap() {
            toks.push(t);
        }
        let mut p = ExprParser::new(&toks, 0, |_: &str| SymRef { scope: 0, name: 1 }, (0, 8));
        p.parse().unwrap_err().message
    }

    #[test]
    fn nesting_and_length_are_bounded() {
        let deep = format!("{}1{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(parse_error(&deep).contains("nests too deeply"));
        assert!(parse_error(&format!("{}1", "-".repeat(50_000))).contains("nests too deeply"));
        assert!(parse_error(&format!("{}1", "+".repeat(50_000))).contains("nests too deeply"));
        // A long flat chain builds a deep tree without recursing: bounded by length.
        assert!(parse_error("x+".repeat(50_000).trim_end_matches('+')).contains("too long"));
        let ok = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(eval(&ok), 1);
        assert_eq!(eval(&format!("{}1", "-".repeat(200))), 1);
    }
}
