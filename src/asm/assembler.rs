//! The assembler's state and its statement-level work: labels, instructions
//! and emission. One pass over the source emits every byte, with fixups for
//! values not known yet; after layout the fixups are resolved. Instruction
//! sizes are decided in that pass from what is known there (see `pseudo`).

use super::diag::{suggest, AsmErrors, Diagnostic, MAX_ERRORS};
use super::expr::{EvalError, Expr, ExprParser, SymRef, Value};
use super::lexer::{Lexer, Tok, Token};
use super::limits::{
    DEFAULT_STATIC_DATA, MAX_FIXUP_COST, MAX_HINTS, MAX_HINT_CANDIDATES, MAX_HINT_WORD, MAX_TEXT_BYTES,
};
use super::native::{self, Emit, FixKind, Konst, Mismatch};
use super::operands::{parse_args, Spanned};
use super::program::{DataSegment, Loc, Program, SourceFile, SourceMap, Symbol, DATA_BASE, SMALL_DATA_BASE};
use super::directives::{self, OpenList};
use super::pseudo;
use super::sections::{Layout, Section, SectionId, SECTION_COUNT};
use super::source::{Expansion, MacroCapture, MacroDef};
use super::symbols::{Final, PassOne, SymDef, SymValue, Symbols, NUMERIC_MARK};
use crate::isa::{encode, Inst, Op, OpDef, OPS};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// What a fixup writes once its expression has a value.
#[derive(Clone, Copy, Debug)]
pub(super) enum FixTarget {
    /// An instruction field.
    Field(FixKind),
    /// A little-endian data value of this many bytes.
    Data(u8),
}

/// A value to fill in after layout.
#[derive(Debug)]
pub(super) struct Fixup {
    pub section: SectionId,
    pub offset: usize,
    pub target: FixTarget,
    /// Shared by the copies of a repeated value (`.word label : n`).
    pub expr: Rc<Expr>,
    pub loc: Loc,
    pub len: u32,
}

/// Assembler state for one program.
pub struct Assembler {
    pub(super) texts: Vec<Rc<str>>,
    pub(super) paths: Vec<String>,
    pub(super) sections: [Section; SECTION_COUNT],
    pub(super) current: SectionId,
    pub(super) previous: SectionId,
    pub(super) symbols: Symbols,
    pub(super) fixups: Vec<Fixup>,
    pub(super) text_locs: Vec<Loc>,
    pub(super) para_args: Vec<String>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) truncated: bool,
    pub(super) scope: u32,
    pub(super) pending_labels: Vec<SymRef>,
    pub(super) auto_align: bool,
    pub(super) macros: HashMap<String, Vec<Rc<MacroDef>>>,
    pub(super) capture: Option<MacroCapture>,
    pub(super) expansion: Option<Expansion>,
    pub(super) macro_serial: u32,
    pub(super) eqvs: HashMap<String, String>,
    pub(super) depth: u32,
    pub(super) generated_lines: u64,
    /// Bytes of source read from files so far (all files and includes).
    pub(super) source_bytes: u64,
    /// Bytes produced by `.eqv` and macro substitution so far.
    pub(super) expanded_bytes: u64,
    /// Most bytes of static data (all sections but text) the program may have.
    pub(super) max_static: u64,
    /// Fixups plus the expression nodes they keep (see [`MAX_FIXUP_COST`]).
    pub(super) fixup_cost: u64,
    /// "Did you mean" hints computed so far.
    pub(super) hints: usize,
    /// A size limit was reported at a line without a span: report it once.
    pub(super) limit_reported: bool,
    /// The data directive whose list following lines may continue (MARS).
    pub(super) open_list: Option<OpenList>,
    /// Warnings (MARS warns and goes on): `file:line: message`.
    pub(super) warnings: Vec<String>,
}

struct PassOneKonst<'a>(&'a Symbols);

impl Konst for PassOneKonst<'_> {
    fn konst(&self, e: &Expr) -> Option<i64> {
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
        .chain(pseudo::PSEUDO_FORMS.iter().map(|f| f.0))
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
        Assembler {
            texts: Vec::new(),
            paths: Vec::new(),
            sections: Default::default(),
            current: SectionId::Text,
            previous: SectionId::Text,
            symbols: Symbols::default(),
            fixups: Vec::new(),
            text_locs: Vec::new(),
            para_args: Vec::new(),
            diags: Vec::new(),
            truncated: false,
            scope: 0,
            pending_labels: Vec::new(),
            auto_align: true,
            macros: HashMap::new(),
            capture: None,
            expansion: None,
            macro_serial: 0,
            eqvs: HashMap::new(),
            depth: 0,
            generated_lines: 0,
            source_bytes: 0,
            expanded_bytes: 0,
            max_static: DEFAULT_STATIC_DATA,
            limit_reported: false,
            fixup_cost: 0,
            hints: 0,
            open_list: None,
            warnings: Vec::new(),
        }
    }

    /// Counts `cost` against [`MAX_FIXUP_COST`]; past it, reports once at
    /// `loc` and stops the assembly.
    pub(super) fn charge_fixups(&mut self, cost: u64, loc: Loc, len: u32) -> bool {
        self.fixup_cost += cost;
        if self.fixup_cost <= MAX_FIXUP_COST {
            return true;
        }
        if !self.truncated {
            let message = format!(
                "too many values to resolve after layout (symbol references and their expressions \
                 cost more than {MAX_FIXUP_COST})"
            );
            self.diags.push(Diagnostic::new(loc, len as usize, message));
            self.truncated = true;
        }
        false
    }

    fn push_fixup(&mut self, fixup: Fixup) {
        // A shared expression's nodes were charged by whoever shares it.
        let nodes = if Rc::strong_count(&fixup.expr) == 1 { fixup.expr.nodes() } else { 0 };
        if self.charge_fixups(1 + nodes, fixup.loc, fixup.len) {
            self.fixups.push(fixup);
        }
    }

    /// An assembler whose program may have at most `bytes` of static data
    /// (`.data`, `.rdata`, `.bss`, small data): what the VM's memory limit
    /// leaves after its stack. Larger programs are refused at the directive
    /// that crosses the line, before the memory for it is allocated.
    pub fn with_static_data_limit(bytes: u64) -> Self {
        Assembler { max_static: bytes, ..Self::new() }
    }

    /// True when `extra` more bytes fit the current section's limit;
    /// otherwise records an error at `span` of the line at `loc`.
    pub(super) fn room(&mut self, extra: u64, loc: Loc, span: (usize, usize)) -> bool {
        let (total, max, what) = if self.current == SectionId::Text {
            let len = self.sections[SectionId::Text as usize].len() as u64;
            (len.saturating_add(extra), MAX_TEXT_BYTES, "the text segment")
        } else {
            let len: u64 = self.sections.iter().skip(1).map(|s| s.len() as u64).sum();
            (len.saturating_add(extra), self.max_static, "static data")
        };
        if total <= max {
            return true;
        }
        let help = if self.current == SectionId::Text {
            format!("(at most {} MiB of instructions)", MAX_TEXT_BYTES >> 20)
        } else {
            format!(
                "(at most {} MiB here: the VM's memory limit less its stack; see vm_memory_limit_mb)",
                max >> 20
            )
        };
        self.error(
            loc,
            span.0,
            span.1,
            format!("{what} would take {total} bytes, too much for one VM"),
            Some(help),
        );
        false
    }

    /// True once enough errors were collected to stop.
    pub fn stopped(&self) -> bool {
        self.truncated
    }

    /// True when a "did you mean" hint may be computed for a word of `len`
    /// bytes: hints cost an edit distance per candidate, so only the first
    /// [`MAX_HINTS`], for words of at most [`MAX_HINT_WORD`] bytes, are.
    fn take_hint(&mut self, len: usize) -> bool {
        if self.hints >= MAX_HINTS || len > MAX_HINT_WORD {
            return false;
        }
        self.hints += 1;
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
        if self.diags.len() >= MAX_ERRORS {
            self.truncated = true;
            return;
        }
        let mut message = message.into();
        let (loc, len) = match &self.expansion {
            Some(x) => {
                message = format!("{message} (in expansion of macro `{}`)", x.name);
                (x.loc, x.len)
            }
            None => (Loc { col: start as u32 + 1, ..loc }, len),
        };
        self.diags.push(Diagnostic::new(loc, len, message).with_help(help));
    }

    /// Records a warning at byte `start` of the line at `loc`: assembly goes
    /// on (MARS warns about what it ignores, e.g. unknown directives).
    pub(super) fn warn(&mut self, loc: Loc, start: usize, message: impl Into<String>) {
        let loc = self.expansion.as_ref().map_or(Loc { col: start as u32 + 1, ..loc }, |x| x.loc);
        let path = self.paths.get(loc.file as usize).map_or("?", |p| p.as_str());
        if self.warnings.len() < MAX_ERRORS {
            self.warnings.push(format!("warning: {}\n  --> {path}:{}:{}", message.into(), loc.line, loc.col));
        }
    }

    /// The warnings so far, each `warning: what` and a `--> file:line:col` line.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub(super) fn sym(&mut self, name: &str) -> SymRef {
        SymRef { scope: self.scope, name: self.symbols.intern(name) }
    }

    pub(super) fn here(&self) -> (u8, i64) {
        (self.current as u8, self.sections[self.current as usize].len() as i64)
    }

    pub(super) fn konst(&self, e: &Expr) -> Option<i64> {
        PassOneKonst(&self.symbols).konst(e)
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
            self.pending_labels.push(sym);
        }
    }

    /// Pads the current section to `align` bytes (a power of two), moving
    /// labels that stand right before the padded position onto it.
    pub(super) fn align(&mut self, align: u32) {
        let section = &mut self.sections[self.current as usize];
        if section.align_to(align, 0) > 0 {
            let offset = section.len() as i64;
            for sym in &self.pending_labels {
                self.symbols.relocate(*sym, offset);
            }
        }
    }

    /// Appends bytes to the current section.
    /// Past a size limit nothing is added (the error is reported once).
    pub(super) fn emit_bytes(&mut self, bytes: &[u8], loc: Loc) {
        self.pending_labels.clear();
        if !self.limit_reported && !self.room(bytes.len() as u64, loc, (0, 1)) {
            self.limit_reported = true;
        }
        if self.limit_reported {
            return;
        }
        let section = &mut self.sections[self.current as usize];
        section.materialise();
        section.bytes.extend_from_slice(bytes);
        if self.current == SectionId::Text {
            let words = section.bytes.len().div_ceil(4);
            let loc = self.expansion.as_ref().map_or(loc, |x| x.loc);
            self.text_locs.resize(words, loc);
        }
    }

    /// Emits a data value of `width` bytes: now if known, else as a fixup.
    pub(super) fn emit_value(&mut self, width: u8, e: Rc<Expr>, loc: Loc, span: (usize, usize)) {
        if self.auto_align {
            self.align(width as u32);
        }
        let offset = self.sections[self.current as usize].len();
        let value = if e.is_reloc() { None } else { self.konst(&e) };
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
                    self.expansion.as_ref().map_or((loc, span.1 as u32), |x| (x.loc, x.len as u32));
                self.push_fixup(Fixup {
                    section: self.current,
                    offset,
                    target: FixTarget::Data(width),
                    expr: e,
                    loc,
                    len,
                });
            }
        }
    }

    fn emit_inst(&mut self, e: Emit, loc: Loc, span: (usize, usize)) {
        if self.current != SectionId::Text {
            self.error(
                loc,
                span.0,
                span.1,
                "instructions belong in `.text` (put `.text` before this line)",
                None,
            );
            return;
        }
        self.align(4);
        let offset = self.sections[SectionId::Text as usize].len();
        self.emit_bytes(&encode(&e.inst).to_le_bytes(), loc);
        if let Some((kind, expr)) = e.fix {
            let loc = Loc { col: span.0 as u32 + 1, ..loc };
            let (loc, len) = self.expansion.as_ref().map_or((loc, span.1 as u32), |x| (x.loc, x.len as u32));
            self.push_fixup(Fixup {
                section: SectionId::Text,
                offset,
                target: FixTarget::Field(kind),
                expr: Rc::new(expr),
                loc,
                len,
            });
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
                // `.data:` (MARS accepts a colon after a directive name).
                (Tok::Ident(name), true) if directives::is_directive(name) => {
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
        self.macros.contains_key(name)
            || mnemonics().contains_key(&lower)
            || pseudo::PSEUDO_FORMS.iter().any(|f| f.0 == lower)
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
        if self.macros.contains_key(name) {
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
        let konst = PassOneKonst(&self.symbols);
        let def = mnemonics().get(&lower).copied().filter(|d| !d.flags.contains(crate::isa::Flags::PARA));
        let native_result = def.map(|d| native::assemble(d, &args, &konst));
        let result = match native_result {
            Some(Ok(e)) => Ok(vec![e]),
            _ => match pseudo::expand(&lower, &args, &konst) {
                Some(r) => r,
                None => match native_result {
                    Some(Err(m)) => Err(m),
                    None if pseudo::PSEUDO_FORMS.iter().any(|f| f.0 == lower) => {
                        let form = pseudo::PSEUDO_FORMS.iter().find(|f| f.0 == lower).map_or("", |f| f.1);
                        Err(Mismatch { message: format!("wrong operands: expected `{form}`"), arg: None })
                    }
                    _ => {
                        let help = self.take_hint(name.len()).then(|| {
                            let mut names: Vec<&str> = known_mnemonics().collect();
                            names.extend(self.macros.keys().map(String::as_str).take(MAX_HINT_CANDIDATES));
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
                for e in emits {
                    self.emit_inst(e, loc, operand_span);
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
        self.emit_inst(Emit { inst, fix: None }, loc, span);
    }

    /// Places the sections, resolves fixups and builds the program.
    pub fn finish(mut self) -> Result<Program, AsmErrors> {
        if let Some(c) = self.capture.take() {
            self.error(c.loc, 0, 6, format!("macro `{}` has no `.end_macro`", c.name), None);
        }
        if !self.truncated {
            self.link_builtins();
        }
        for (name, first, second) in self.symbols.export() {
            let name = self.symbols.name(name).to_string();
            let at = format!("{}:{}", self.paths[first.loc.file as usize], first.loc.line);
            self.error(
                second.loc,
                second.loc.col as usize - 1,
                name.len(),
                format!("global `{name}` is also defined at {at}"),
                None,
            );
        }
        if self.limit_reported || self.truncated {
            // Bytes were dropped past a limit (fixups may point beyond them),
            // or assembly stopped early (later labels were never seen).
            return Err(self.into_errors());
        }
        let layout = match Layout::compute(&self.sections) {
            Ok(l) => l,
            Err(m) => {
                self.error(Loc { file: 0, line: 0, col: 1 }, 0, 1, m, None);
                return Err(self.into_errors());
            }
        };
        self.resolve_fixups(&layout);
        let entry = self.entry(&layout);
        if !self.diags.is_empty() {
            return Err(self.into_errors());
        }
        Ok(self.into_program(&layout, entry))
    }

    fn resolve_fixups(&mut self, layout: &Layout) {
        let fixups = std::mem::take(&mut self.fixups);
        for f in &fixups {
            let resolver = Final { symbols: &self.symbols, layout };
            let value = match f.expr.eval_abs(&resolver) {
                Ok(v) => v,
                Err(e) => {
                    let message = match &e {
                        EvalError::Undefined(s) => {
                            let name = self.symbols.name(s.name);
                            match name.split_once(NUMERIC_MARK) {
                                Some((n, _)) => format!(
                                    "no label `{n}:` where `{n}f` (the next one) or `{n}b` (the last one) looks"
                                ),
                                None => format!("undefined symbol `{name}`"),
                            }
                        }
                        EvalError::Invalid(m) => m.clone(),
                        EvalError::Deferred => "value cannot be computed".into(),
                    };
                    let help = match e {
                        EvalError::Undefined(s) if self.take_hint(self.symbols.name(s.name).len()) => {
                            let name = self.symbols.name(s.name);
                            let defined = self
                                .symbols
                                .definitions()
                                .take(MAX_HINT_CANDIDATES)
                                .map(|(_, n, _)| self.symbols.name(n));
                            suggest(name, near(name, defined))
                        }
                        _ => None,
                    };
                    self.error(f.loc, f.loc.col as usize - 1, f.len as usize, message, help);
                    continue;
                }
            };
            let address = resolver.address(f.section as u8, f.offset as i64);
            let bytes = &mut self.sections[f.section as usize].bytes[f.offset..];
            let result = match f.target {
                FixTarget::Data(width) => data_bytes(value, width)
                    .map(|b| bytes[..width as usize].copy_from_slice(&b[..width as usize])),
                FixTarget::Field(kind) => field_bits(kind, value, address, f.expr.is_reloc()).map(|bits| {
                    let word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) | bits;
                    bytes[..4].copy_from_slice(&word.to_le_bytes());
                }),
            };
            if let Err(m) = result {
                self.error(f.loc, f.loc.col as usize - 1, f.len as usize, m, None);
            }
        }
    }

    fn entry(&mut self, layout: &Layout) -> u32 {
        let main = self.symbols.intern("main");
        let scopes = self.symbols.scopes_defining(main);
        // A scope no file has: the lookup finds only the global definition.
        let global = SymRef { scope: u32::MAX, name: main };
        let chosen = match self.symbols.lookup(global) {
            Some(def) => Some(*def),
            None if scopes.is_empty() => return layout.base[SectionId::Text as usize],
            None if scopes.len() == 1 => {
                self.symbols.lookup(SymRef { scope: scopes[0], name: main }).copied()
            }
            None => {
                let loc = self
                    .symbols
                    .lookup(SymRef { scope: scopes[1], name: main })
                    .map(|d| d.loc)
                    .unwrap_or_default();
                let message = "several files define `main`; declare the entry one `.globl main`";
                self.error(loc, loc.col.saturating_sub(1) as usize, 4, message, None);
                return 0;
            }
        };
        match chosen.map(|d| d.value) {
            Some(SymValue::Label { section, offset }) if section == SectionId::Text as u8 => {
                (layout.base[section as usize] as i64 + offset) as u32
            }
            _ => {
                let loc = chosen.map(|d| d.loc).unwrap_or_default();
                self.error(
                    loc,
                    loc.col.saturating_sub(1) as usize,
                    4,
                    "`main` must label an instruction in `.text`",
                    None,
                );
                0
            }
        }
    }

    fn into_errors(self) -> AsmErrors {
        let files = self.source_files();
        AsmErrors { diagnostics: self.diags, files, truncated: self.truncated }
    }

    fn source_files(&self) -> Vec<SourceFile> {
        self.paths
            .iter()
            .zip(&self.texts)
            .map(|(p, t)| SourceFile { path: p.clone(), text: t.to_string() })
            .collect()
    }

    fn into_program(mut self, layout: &Layout, entry: u32) -> Program {
        let text_section = &mut self.sections[SectionId::Text as usize];
        text_section.materialise();
        let text_bytes = &mut text_section.bytes;
        text_bytes.resize(text_bytes.len().next_multiple_of(4), 0);
        let text: Vec<u32> =
            text_bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let mut locs = std::mem::take(&mut self.text_locs);
        locs.resize(text.len(), Loc::default());
        // A zeroed allocation (fresh, unbacked pages for a large one) with
        // the emitted bytes copied in: zero fill is never written.
        let segment = |ids: &[SectionId], base: u32, sections: &[Section; SECTION_COUNT]| {
            let end = ids
                .iter()
                .map(|&id| (layout.base[id as usize] - base) as usize + sections[id as usize].len())
                .max()
                .unwrap_or(0);
            let mut bytes = vec![0u8; end];
            for &id in ids {
                sections[id as usize].place(&mut bytes, (layout.base[id as usize] - base) as usize);
            }
            DataSegment { base, bytes }
        };
        let mut data = Vec::new();
        let small = segment(&[SectionId::SData, SectionId::SBss], SMALL_DATA_BASE, &self.sections);
        if !small.bytes.is_empty() {
            data.push(small);
        }
        let main = segment(&[SectionId::Data, SectionId::RData, SectionId::Bss], DATA_BASE, &self.sections);
        if !main.bytes.is_empty() {
            data.push(main);
        }
        let resolver = Final { symbols: &self.symbols, layout };
        let mut symbols: Vec<Symbol> = self
            .symbols
            .definitions()
            .filter(|(_, _, d)| !matches!(d.value, SymValue::Label { section, .. } if section == SectionId::Discard as u8))
            // Numeric local labels (`1:`) are not names anyone can look up.
            .filter(|(_, name, _)| !self.symbols.name(*name).contains(NUMERIC_MARK))
            .map(|(_, name, def)| Symbol {
                name: self.symbols.name(name).to_string(),
                value: match def.value {
                    SymValue::Const(v) => v as u32,
                    SymValue::Label { section, offset } => resolver.address(section, offset) as u32,
                },
                global: self.symbols.lookup(SymRef { scope: u32::MAX, name }).is_some_and(|d| d.loc == def.loc),
            })
            .collect();
        symbols.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
        let files = self.source_files();
        Program {
            text_base: layout.base[SectionId::Text as usize],
            text,
            data,
            entry,
            heap_start: layout.heap_start,
            symbols,
            para_args: self.para_args,
            source: SourceMap { files, locs },
        }
    }
}

/// The candidates whose length is close enough to `word`'s to be within a
/// plausible typo's edit distance (a cheap filter before the distance).
fn near<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> impl Iterator<Item = &'a str> {
    let (len, slack) = (word.len(), word.len() / 3 + 1);
    candidates.filter(move |c| c.len().abs_diff(len) <= slack)
}

/// Little-endian bytes of `v` as a `width`-byte value, which must fit
/// (signed or unsigned).
fn data_bytes(v: i64, width: u8) -> Result<[u8; 8], String> {
    let bits = 8 * width as u32;
    let (lo, hi) = (-(1i64 << (bits - 1)), (1i64 << bits) - 1);
    if !(lo..=hi).contains(&v) {
        return Err(format!("{v} does not fit in {width} byte{}", if width == 1 { "" } else { "s" }));
    }
    Ok((v as u64).to_le_bytes())
}

/// The bits a resolved value contributes to an instruction at `pc`.
fn field_bits(kind: FixKind, v: i64, pc: i64, reloc: bool) -> Result<u32, String> {
    match kind {
        FixKind::SImm16 if reloc || (-0x8000..0x8000).contains(&v) => Ok(v as u32 & 0xffff),
        FixKind::UImm16 if reloc || (0..0x1_0000).contains(&v) => Ok(v as u32 & 0xffff),
        FixKind::SImm16 => Err(format!("value {v} does not fit in a signed 16-bit field")),
        FixKind::UImm16 => Err(format!("value {v} does not fit in an unsigned 16-bit field")),
        FixKind::Branch => {
            let delta = v - (pc + 4);
            if delta % 4 != 0 {
                return Err(format!("branch target 0x{v:08x} is not word-aligned"));
            }
            if !(-0x8000..0x8000).contains(&(delta / 4)) {
                return Err(format!("branch target 0x{v:08x} is out of range (more than 128 KiB away)"));
            }
            Ok((delta / 4) as u32 & 0xffff)
        }
        FixKind::Jump => {
            if v % 4 != 0 || !(0..=u32::MAX as i64).contains(&v) {
                return Err(format!("jump target 0x{v:x} is not a word-aligned address"));
            }
            if (v as u32) & 0xf000_0000 != ((pc + 4) as u32) & 0xf000_0000 {
                return Err(format!("jump target 0x{v:08x} is outside the current 256 MiB region"));
            }
            Ok((v as u32 >> 2) & 0x03ff_ffff)
        }
    }
}
