//! The assembler's state and its statement-level work: labels, instructions
//! and emission. One pass over the source emits every byte, with fixups for
//! values not known yet; after layout the fixups are resolved. Instruction
//! sizes are decided in that pass from what is known there (see `pseudo`).

use super::diag::{suggest, Diagnostic, MAX_ERRORS};
use super::directives::{self, OpenList};
use super::expr::{EvalError, Expr, ExprParser, SymRef, Value};
use super::lexer::{Lexer, Tok, Token};
use super::limits::{DEFAULT_STATIC_DATA, MAX_HINTS, MAX_HINT_CANDIDATES, MAX_HINT_WORD};
use super::link::{data_bytes, FixTarget, Fixup, Fixups};
use super::macros::Macros;
use super::native::{self, ConstEval, Emit, Mismatch};
use super::operands::{parse_args, Spanned};
use super::pseudo;
use super::sections::SectionId;
use super::source::Budget;
use super::symbols::{PassOne, SymDef, SymValue, Symbols};
use super::writer::SectionWriter;
use crate::isa::{encode, Inst, Op, OpDef, OPS};
use crate::program::Loc;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// Assembler state for one program: the parts below, each with its own
/// job, and the statement-level work that drives them.
pub struct Assembler {
    /// Every file read (program files, includes, built-ins): path and text,
    /// indexed by [`Loc::file`].
    pub(super) paths: Vec<String>,
    pub(super) texts: Vec<Rc<str>>,
    /// The file being assembled: its labels are looked up first.
    pub(super) scope: u32,
    /// Where bytes go.
    pub(super) out: SectionWriter,
    /// Labels and constants.
    pub(super) symbols: Symbols,
    /// Values resolved after layout.
    pub(super) fixups: Fixups,
    /// Operands of para-instructions, indexed by their immediate.
    pub(super) para_args: Vec<String>,
    /// Errors and warnings so far.
    pub(super) report: Report,
    /// Macro definitions, the one being captured or expanded, and `.eqv`s.
    pub(super) macros: Macros,
    /// What includes and expansions have cost so far.
    pub(super) budget: Budget,
    /// The data directive whose list following lines may continue (MARS).
    pub(super) open_list: Option<OpenList>,
    /// `.set noreorder` code: where delay slots are the programmer's.
    pub(super) delay: DelaySlots,
}

/// Who fills delay slots, and whether they exist (SPEC §5). With
/// [`DelaySlots::fill`] on, the VM runs branches with delay slots: in
/// `.set reorder` code (the default) the assembler puts a `nop` after every
/// branch and jump, as GNU as does, so hand-written code keeps its meaning;
/// in `.set noreorder` code the slots are the programmer's. With it off (no
/// delay slots), `.set noreorder` is only recorded, so that `auto` can
/// assemble the program again with delay slots.
#[derive(Default)]
pub(super) struct DelaySlots {
    /// The program is assembled for delay-slot execution.
    pub fill: bool,
    /// Inside `.set noreorder` (until `.set reorder` or the end of the file).
    pub noreorder: bool,
    /// Some file of the program has `.set noreorder` code.
    pub saw_noreorder: bool,
}

impl DelaySlots {
    /// Back to `.set reorder` (at `.set reorder` and at each new file).
    pub fn reorder(&mut self) {
        self.noreorder = false;
    }
}

/// Errors and warnings collected so far.
#[derive(Default)]
pub(super) struct Report {
    pub diags: Vec<Diagnostic>,
    /// Assembly stopped early (too many errors, a runaway expansion).
    pub truncated: bool,
    /// "Did you mean" hints computed so far (see [`MAX_HINTS`]).
    pub hints: usize,
    /// Warnings (MARS warns and goes on), each with its `--> file:line:col`.
    pub warnings: Vec<String>,
}

/// Constants as known at this point of the pass (labels are section offsets,
/// not addresses, until layout).
struct KnownNow<'a>(&'a Symbols);

impl ConstEval for KnownNow<'_> {
    fn value_now(&self, e: &Expr) -> Option<i64> {
        e.eval_abs(&PassOne(self.0)).ok()
    }
}

/// Lower-case mnemonic → table row.
fn mnemonics() -> &'static HashMap<String, &'static OpDef> {
    static TABLE: OnceLock<HashMap<String, &'static OpDef>> = OnceLock::new();
    TABLE.get_or_init(|| OPS.iter().map(|d| (d.mnemonic.to_ascii_lowercase(), d)).collect())
}

/// Every instruction name a user may write, for hints.
fn known_mnemonics() -> impl Iterator<Item = &'static str> {
    OPS.iter()
        .filter(|d| !d.flags.contains(crate::isa::Flags::PARA))
        .map(|d| d.mnemonic)
        .chain(pseudo::pseudo_mnemonics())
        .chain(["DUMP_PROCESSOR_STATE", "SNAPSHOT", "MIGRATE"])
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    /// An empty assembler.
    pub fn new() -> Self {
        Self::with_static_data_limit(DEFAULT_STATIC_DATA)
    }

    /// An assembler whose program may have at most `bytes` of static data
    /// (`.data`, `.rdata`, `.bss`, small data): what the VM's memory limit
    /// leaves after its stack. Larger programs are refused at the directive
    /// that crosses the line, before the memory for it is allocated.
    pub fn with_static_data_limit(bytes: u64) -> Self {
        Assembler {
            paths: Vec::new(),
            texts: Vec::new(),
            scope: 0,
            out: SectionWriter::new(bytes),
            symbols: Symbols::default(),
            fixups: Fixups::default(),
            para_args: Vec::new(),
            report: Report::default(),
            macros: Macros::default(),
            budget: Budget::default(),
            open_list: None,
            delay: DelaySlots::default(),
        }
    }

    /// Assembles for delay-slot execution (see `DelaySlots`); set before
    /// the first file.
    pub fn set_delay_slots(&mut self, on: bool) {
        self.delay.fill = on;
    }

    /// True once some file had `.set noreorder` code.
    pub fn saw_noreorder(&self) -> bool {
        self.delay.saw_noreorder
    }

    /// True when `extra` more bytes fit the current section's limit;
    /// otherwise records an error at `span` of the line at `loc`.
    pub(super) fn room(&mut self, extra: u64, loc: Loc, span: (usize, usize)) -> bool {
        match self.out.room(extra) {
            Ok(()) => true,
            Err(overflow) => {
                self.error(loc, span.0, span.1, overflow.message, Some(overflow.help));
                false
            }
        }
    }

    /// True once enough errors were collected to stop.
    pub fn stopped(&self) -> bool {
        self.report.truncated
    }

    /// True when a "did you mean" hint may be computed for a word of `len`
    /// bytes: hints cost an edit distance per candidate, so only the first
    /// [`MAX_HINTS`], for words of at most [`MAX_HINT_WORD`] bytes, are.
    pub(super) fn take_hint(&mut self, len: usize) -> bool {
        if self.report.hints >= MAX_HINTS || len > MAX_HINT_WORD {
            return false;
        }
        self.report.hints += 1;
        true
    }

    /// Records an error at byte `start` (length `len`) of the line at `loc`.
    /// Inside a macro expansion the error points at the invocation instead.
    pub(super) fn error(
        &mut self,
        loc: Loc,
        start: usize,
        len: usize,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        if self.report.diags.len() >= MAX_ERRORS {
            self.report.truncated = true;
            return;
        }
        let mut message = message.into();
        let (loc, len) = match &self.macros.expansion {
            Some(x) => {
                message = format!("{message} (in expansion of macro `{}`)", x.name);
                (x.loc, x.len)
            }
            None => (Loc { col: start as u32 + 1, ..loc }, len),
        };
        self.report.diags.push(Diagnostic::new(loc, len, message).with_help(help));
    }

    /// Records a warning at byte `start` of the line at `loc`: assembly goes
    /// on (MARS warns about what it ignores, e.g. unknown directives).
    pub(super) fn warn(&mut self, loc: Loc, start: usize, message: impl Into<String>) {
        let loc = self.macros.expansion.as_ref().map_or(Loc { col: start as u32 + 1, ..loc }, |x| x.loc);
        let path = self.paths.get(loc.file as usize).map_or("?", |p| p.as_str());
        if self.report.warnings.len() < MAX_ERRORS {
            self.report.warnings.push(format!(
                "warning: {}\n  --> {path}:{}:{}",
                message.into(),
                loc.line,
                loc.col
            ));
        }
    }

    /// The warnings so far, each `warning: what` and a `--> file:line:col` line.
    pub fn warnings(&self) -> &[String] {
        &self.report.warnings
    }

    pub(super) fn sym(&mut self, name: &str) -> SymRef {
        SymRef { scope: self.scope, name: self.symbols.intern(name) }
    }

    pub(super) fn here(&self) -> (u8, i64) {
        self.out.here()
    }

    pub(super) fn value_now(&self, e: &Expr) -> Option<i64> {
        KnownNow(&self.symbols).value_now(e)
    }

    /// Evaluates with what is known now.
    pub(super) fn eval_now(&self, e: &Expr) -> Result<Value, EvalError> {
        e.eval(&PassOne(&self.symbols))
    }

    /// Defines a symbol, reporting duplicates.
    pub(super) fn define(&mut self, name: &str, value: SymValue, loc: Loc, start: usize) {
        let sym = self.sym(name);
        let def = SymDef { value, loc: Loc { col: start as u32 + 1, ..loc } };
        if let Err(first) = self.symbols.define(sym, def) {
            let at =
                format!("{}:{}", self.paths.get(first.loc.file as usize).map_or("?", |p| p), first.loc.line);
            self.error(loc, start, name.len(), format!("`{name}` is already defined (at {at})"), None);
        } else if matches!(value, SymValue::Label { .. }) {
            self.out.label_here(sym);
        }
    }

    /// Pads the current section to `align` bytes (a power of two), moving
    /// labels that stand right before the padded position onto it.
    pub(super) fn align(&mut self, align: u32) {
        self.out.align(align, &mut self.symbols);
    }

    /// True when `extra` more bytes may be written; reports the first size
    /// limit crossed (once: after it nothing more is written).
    pub(super) fn may_write(&mut self, extra: u64, loc: Loc) -> bool {
        if !self.out.over_limit() && !self.room(extra, loc, (0, 1)) {
            self.out.stop_at_limit();
        }
        !self.out.over_limit()
    }

    /// Where text words written now come from: the statement, or the macro
    /// invocation being expanded.
    pub(super) fn text_loc(&self, loc: Loc) -> Loc {
        self.macros.expansion.as_ref().map_or(loc, |x| x.loc)
    }

    /// Appends bytes to the current section.
    /// Past a size limit nothing is added (the error is reported once).
    pub(super) fn emit_bytes(&mut self, bytes: &[u8], loc: Loc) {
        if self.may_write(bytes.len() as u64, loc) {
            self.out.append(bytes, self.text_loc(loc));
        } else {
            self.out.fill(0, 0, loc);
        }
    }

    /// Emits a data value of `width` bytes: now if known, else as a fixup.
    pub(super) fn emit_value(&mut self, width: u8, e: Rc<Expr>, loc: Loc, span: (usize, usize)) {
        if self.out.auto_align() {
            self.align(width as u32);
        }
        let offset = self.out.here().1 as usize;
        let value = if e.is_reloc() { None } else { self.value_now(&e) };
        match value {
            Some(v) => match data_bytes(v, width) {
                Ok(bytes) => self.emit_bytes(&bytes[..width as usize], loc),
                Err(m) => {
                    self.error(loc, span.0, span.1, m, None);
                    self.emit_bytes(&[0; 8][..width as usize], loc);
                }
            },
            None => {
                self.emit_bytes(&[0; 8][..width as usize], loc);
                let loc = Loc { col: span.0 as u32 + 1, ..loc };
                let (loc, len) =
                    self.macros.expansion.as_ref().map_or((loc, span.1 as u32), |x| (x.loc, x.len as u32));
                self.push_fixup(Fixup {
                    section: self.out.current(),
                    offset,
                    target: FixTarget::Data(width),
                    expr: e,
                    loc,
                    len,
                });
            }
        }
    }

    /// Emits one machine instruction; with delay slots on, a `nop` after a
    /// branch or jump whose slot the assembler owns (in `.set reorder` code,
    /// or `internal` to an expansion).
    fn emit_inst(&mut self, e: Emit, loc: Loc, span: (usize, usize), internal: bool) {
        if !self.out.in_text() {
            self.error(
                loc,
                span.0,
                span.1,
                "instructions belong in `.text` (put `.text` before this line)",
                None,
            );
            return;
        }
        let transfers = e.inst.op.flags().transfers();
        self.align(4);
        let offset = self.out.here().1 as usize;
        self.emit_bytes(&encode(&e.inst).to_le_bytes(), loc);
        if let Some((kind, expr)) = e.fix {
            let loc = Loc { col: span.0 as u32 + 1, ..loc };
            let (loc, len) =
                self.macros.expansion.as_ref().map_or((loc, span.1 as u32), |x| (x.loc, x.len as u32));
            self.push_fixup(Fixup {
                section: SectionId::Text,
                offset,
                target: FixTarget::Field(kind),
                expr: Rc::new(expr),
                loc,
                len,
            });
        }
        if transfers && self.delay.fill && (internal || !self.delay.noreorder) {
            // `.set reorder`: the assembler owns the slot (GNU as fills it
            // with a `nop` when it cannot move an instruction there).
            self.emit_bytes(&0u32.to_le_bytes(), loc);
        }
    }

    /// Assembles one line (after macro and `.eqv` processing): labels, then a
    /// directive, an assignment, an instruction, or more values for the data
    /// directive before it (MARS continues a list until the next label,
    /// directive or instruction: `.word 1, 2,` / `3, 4`, `a: 2`).
    pub(super) fn statement(&mut self, text: &str, loc: Loc) {
        let mut lx = Lexer::new(text);
        loop {
            let token = match lx.next_token() {
                Ok(Some(t)) => t,
                Ok(None) => return,
                Err(e) => return self.error(loc, e.start, e.len, e.message, None),
            };
            let mut peek = lx.clone();
            let colon = matches!(peek.next_token(), Ok(Some(Token { tok: Tok::Punct(b':'), .. })));
            let word = &text[token.start..token.end];
            match (&token.tok, colon) {
                // `.data:` (MARS accepts a colon after its own directive names;
                // `.zero:` is a label there).
                (Tok::Ident(name), true) if directives::is_mars_directive(name) => {
                    return self.directive(name, token.start, &mut peek, text, loc);
                }
                (Tok::Ident(name), true) => {
                    let (section, offset) = self.here();
                    self.define(name, SymValue::Label { section, offset }, loc, token.start);
                    lx = peek;
                }
                (Tok::Dollar(name), true) => {
                    let (section, offset) = self.here();
                    self.define(&format!("${name}"), SymValue::Label { section, offset }, loc, token.start);
                    lx = peek;
                }
                // GNU as numeric local label: `1:`, referred to as `1b`/`1f`.
                (Tok::Int(n), true) if word.bytes().all(|c| c.is_ascii_digit()) => {
                    let name = self.symbols.next_numeric(self.scope, *n as u64);
                    let (section, offset) = self.here();
                    self.define(&name, SymValue::Label { section, offset }, loc, token.start);
                    lx = peek;
                }
                (Tok::Ident(name), false) if name.starts_with('.') && name.len() > 1 => {
                    return self.directive(name, token.start, &mut lx, text, loc);
                }
                (Tok::Ident(name), false) => {
                    let mut peek = lx.clone();
                    if matches!(peek.next_token(), Ok(Some(Token { tok: Tok::Punct(b'='), .. }))) {
                        self.open_list = None;
                        let rest = peek.pos();
                        return self.assignment(name, token.start, text, rest, loc);
                    }
                    if self.open_list.is_some() && !self.is_instruction(name) {
                        return self.continue_list(text, token.start, loc);
                    }
                    self.open_list = None;
                    return self.instruction(name, token.start, &mut lx, text, loc);
                }
                _ if self.open_list.is_some() => return self.continue_list(text, token.start, loc),
                _ => {
                    return self.error(
                        loc,
                        token.start,
                        token.end - token.start,
                        "expected an instruction, directive or label",
                        None,
                    )
                }
            }
        }
    }

    /// True when `name` starts an instruction: a machine or pseudo mnemonic,
    /// a para-instruction or a macro.
    fn is_instruction(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.macros.defs.contains_key(name) || mnemonics().contains_key(&lower) || pseudo::is_mnemonic(&lower)
    }

    /// `name = expr` (also `.set name, expr` and `.equ`).
    pub(super) fn assignment(&mut self, name: &str, start: usize, text: &str, from: usize, loc: Loc) {
        let Some(e) = self.parse_expr_at(text, from, loc) else { return };
        match self.eval_now(&e) {
            Ok(Value::Abs(v)) => self.define(name, SymValue::Const(v), loc, start),
            Ok(Value::Rel { section, offset }) => {
                self.define(name, SymValue::Label { section, offset }, loc, start)
            }
            Err(_) => self.error(
                loc,
                from,
                text.len().saturating_sub(from),
                "needs a value known at this point",
                None,
            ),
        }
    }

    /// Lexes `text[from..]` into tokens, reporting a lexing error.
    pub(super) fn tokens<'t>(&mut self, text: &'t str, from: usize, loc: Loc) -> Option<Vec<Token<'t>>> {
        let mut lx = Lexer::new(&text[from..]);
        let mut toks = Vec::with_capacity(8);
        loop {
            match lx.next_token() {
                Ok(Some(mut t)) => {
                    t.start += from;
                    t.end += from;
                    toks.push(t);
                }
                Ok(None) => return Some(toks),
                Err(e) => {
                    self.error(loc, e.start + from, e.len, e.message, None);
                    return None;
                }
            }
        }
    }

    /// Parses one expression filling `text[from..]`.
    pub(super) fn parse_expr_at(&mut self, text: &str, from: usize, loc: Loc) -> Option<Expr> {
        let toks = self.tokens(text, from, loc)?;
        let here = self.here();
        let scope = self.scope;
        let symbols = &mut self.symbols;
        let mut p = ExprParser::new(&toks, 0, |n: &str| symbols.reference(scope, n), here);
        match p.parse() {
            Ok(e) if p.pos == toks.len() => Some(e),
            Ok(_) => {
                let t = &toks[p.pos];
                self.error(loc, t.start, t.end - t.start, "unexpected text after expression", None);
                None
            }
            Err(e) => {
                let (s, l) = toks.get(e.at).map_or((text.len(), 1), |t| (t.start, t.end - t.start));
                self.error(loc, s, l, e.message, None);
                None
            }
        }
    }

    fn instruction(&mut self, name: &str, start: usize, lx: &mut Lexer<'_>, text: &str, loc: Loc) {
        if self.macros.defs.contains_key(name) {
            let (rest_start, rest) = lx.rest();
            return self.invoke_macro(name, start, rest, rest_start, loc);
        }
        let lower = name.to_ascii_lowercase();
        let span = (start, name.len());
        match lower.as_str() {
            "dump_processor_state" | "snapshot" | "migrate" => return self.para(&lower, span, lx, loc),
            _ => {}
        }
        let from = lx.pos();
        let Some(toks) = self.tokens(text, from, loc) else { return };
        let here = self.here();
        let scope = self.scope;
        let symbols = &mut self.symbols;
        let mut intern = |n: &str| symbols.reference(scope, n);
        let args = match parse_args(&toks, text.len(), here, &mut intern) {
            Ok(a) => a,
            Err(e) => return self.error(loc, e.start, e.len.max(1), e.message, e.help),
        };
        let known = KnownNow(&self.symbols);
        let def = mnemonics().get(&lower).copied().filter(|d| !d.flags.contains(crate::isa::Flags::PARA));
        let native_result = def.map(|d| native::assemble(d, &args, &known));
        let result = match native_result {
            Some(Ok(e)) => Ok(vec![e]),
            _ => match pseudo::expand(&lower, &args, &known) {
                Some(r) => r,
                None => match native_result {
                    Some(Err(m)) => Err(m),
                    None if pseudo::is_mnemonic(&lower) => {
                        let form = pseudo::syntax(&lower).unwrap_or_default();
                        Err(Mismatch { message: format!("wrong operands: expected `{form}`"), arg: None })
                    }
                    _ => {
                        let help = self.take_hint(name.len()).then(|| {
                            let mut names: Vec<&str> = known_mnemonics().collect();
                            names.extend(
                                self.macros.defs.keys().map(String::as_str).take(MAX_HINT_CANDIDATES),
                            );
                            suggest(name, near(name, names.into_iter()))
                        });
                        return self.error(
                            loc,
                            start,
                            name.len(),
                            format!("unknown instruction `{name}`"),
                            help.flatten(),
                        );
                    }
                },
            },
        };
        match result {
            Ok(emits) => {
                // Values resolved later come from the last non-register operand.
                let operand_span = args
                    .iter()
                    .rev()
                    .find(|a| !matches!(a.arg, super::operands::Arg::Reg(_)))
                    .map_or(span, |a| (a.start, a.end - a.start));
                let last = emits.len().saturating_sub(1);
                for (j, mut e) in emits.into_iter().enumerate() {
                    // A branch inside an expansion (the divide-by-zero check
                    // of `div $d, $s, $t`) skips a fixed number of the
                    // expansion's words; its slot is always the
                    // assembler's, even in `.set noreorder` code, and the
                    // `nop` put there is one more word to skip.
                    let internal = j < last && e.fix.is_none() && e.inst.op.flags().transfers();
                    if internal && self.delay.fill {
                        e.inst.imm = e.inst.imm.wrapping_add(1);
                    }
                    self.emit_inst(e, loc, operand_span, internal);
                }
            }
            Err(m) => self.mismatch(m, &args, span, loc),
        }
    }

    fn mismatch(&mut self, m: Mismatch, args: &[Spanned], mnemonic: (usize, usize), loc: Loc) {
        let (s, l) = match m.arg.and_then(|i| args.get(i)) {
            Some(a) => (a.start, a.end - a.start),
            None => mnemonic,
        };
        self.error(loc, s, l, m.message, None);
    }

    fn para(&mut self, lower: &str, span: (usize, usize), lx: &mut Lexer<'_>, loc: Loc) {
        let (rest_start, rest) = lx.rest();
        let op = match lower {
            "dump_processor_state" => Op::DumpState,
            "snapshot" => Op::Snapshot,
            _ => Op::Migrate,
        };
        let mut inst = Inst::new(op);
        if op == Op::DumpState {
            if !rest.is_empty() {
                return self.error(
                    loc,
                    rest_start,
                    rest.len(),
                    "DUMP_PROCESSOR_STATE takes no operands",
                    None,
                );
            }
        } else {
            let arg = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(rest);
            if arg.is_empty() {
                let what = if op == Op::Snapshot { "a file path" } else { "a host[:port]" };
                return self.error(
                    loc,
                    span.0,
                    span.1,
                    format!("{} needs {what}", lower.to_ascii_uppercase()),
                    None,
                );
            }
            if self.para_args.len() > 0xffff {
                return self.error(
                    loc,
                    span.0,
                    span.1,
                    "too many para-instruction operands (at most 65536)",
                    None,
                );
            }
            inst.imm = self.para_args.len() as u32;
            self.para_args.push(arg.to_string());
        }
        self.emit_inst(Emit { inst, fix: None }, loc, span, false);
    }
}

/// The candidates whose length is close enough to `word`'s to be within a
/// plausible typo's edit distance (a cheap filter before the distance).
pub(super) fn near<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> impl Iterator<Item = &'a str> {
    let (len, slack) = (word.len(), word.len() / 3 + 1);
    candidates.filter(move |c| c.len().abs_diff(len) <= slack)
}
