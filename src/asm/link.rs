//! After the last line: built-ins are linked in, sections are placed, the
//! values left for later (fixups) are resolved, the entry point is chosen and
//! the [`Program`] is built.

use super::assembler::Assembler;
use super::diag::{suggest, AsmErrors, Diagnostic};
use super::expr::{EvalError, Expr, SymRef};
use super::limits::{MAX_FIXUP_COST, MAX_HINT_CANDIDATES};
use super::native::FixKind;
use super::sections::{Layout, Section, SectionId, SECTION_COUNT};
use super::symbols::{Final, SymValue, NUMERIC_MARK};
use crate::program::{DataSegment, Loc, Program, SourceFile, SourceMap, Symbol, DATA_BASE, SMALL_DATA_BASE};
use std::rc::Rc;

/// What a fixup writes once its expression has a value.
#[derive(Clone, Copy, Debug)]
pub(super) enum FixTarget {
    /// An instruction field.
    Field(FixKind),
    /// A little-endian data value of this many bytes.
    Data(u8),
}

/// A value to fill in after layout: where, what, and the source it came from.
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

/// The fixups of a program and what keeping them costs.
#[derive(Default)]
pub(super) struct Fixups {
    pub list: Vec<Fixup>,
    /// Fixups plus the expression nodes they keep (see [`MAX_FIXUP_COST`]).
    pub cost: u64,
}

impl Assembler {
    /// Counts `cost` against [`MAX_FIXUP_COST`]; past it, reports once at
    /// `loc` and stops the assembly.
    pub(super) fn charge_fixups(&mut self, cost: u64, loc: Loc, len: u32) -> bool {
        self.fixups.cost += cost;
        if self.fixups.cost <= MAX_FIXUP_COST {
            return true;
        }
        if !self.report.truncated {
            let message = format!(
                "too many values to resolve after layout (symbol references and their expressions \
                 cost more than {MAX_FIXUP_COST})"
            );
            self.report.diags.push(Diagnostic::new(loc, len as usize, message));
            self.report.truncated = true;
        }
        false
    }

    pub(super) fn push_fixup(&mut self, fixup: Fixup) {
        // A shared expression's nodes were charged by whoever shares it.
        let nodes = if Rc::strong_count(&fixup.expr) == 1 { fixup.expr.nodes() } else { 0 };
        if self.charge_fixups(1 + nodes, fixup.loc, fixup.len) {
            self.fixups.list.push(fixup);
        }
    }

    /// Places the sections, resolves fixups and builds the program.
    pub fn finish(mut self) -> Result<Program, AsmErrors> {
        if let Some(c) = self.macros.capture.take() {
            self.error(c.loc, 0, 6, format!("macro `{}` has no `.end_macro`", c.name), None);
        }
        if !self.report.truncated {
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
        if self.out.over_limit() || self.report.truncated {
            // Bytes were dropped past a limit (fixups may point beyond them),
            // or assembly stopped early (later labels were never seen).
            return Err(self.into_errors());
        }
        let layout = match Layout::compute(self.out.sections()) {
            Ok(l) => l,
            Err(m) => {
                self.error(Loc { file: 0, line: 0, col: 1 }, 0, 1, m, None);
                return Err(self.into_errors());
            }
        };
        self.resolve_fixups(&layout);
        let entry = self.entry(&layout);
        if !self.report.diags.is_empty() {
            return Err(self.into_errors());
        }
        Ok(self.into_program(&layout, entry))
    }

    fn resolve_fixups(&mut self, layout: &Layout) {
        let fixups = std::mem::take(&mut self.fixups.list);
        // A pseudo-instruction's words share its operand (`lw $t0, label`
        // is a `lui` and a `lw`): one error per place and message.
        let mut reported = std::collections::HashSet::new();
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
                    if !reported.insert((f.loc.file, f.loc.line, f.loc.col, message.clone())) {
                        continue;
                    }
                    let help = match e {
                        EvalError::Undefined(s) if self.take_hint(self.symbols.name(s.name).len()) => {
                            let name = self.symbols.name(s.name);
                            let defined = self
                                .symbols
                                .definitions()
                                .take(MAX_HINT_CANDIDATES)
                                .map(|(_, n, _)| self.symbols.name(n));
                            suggest(name, super::assembler::near(name, defined))
                        }
                        _ => None,
                    };
                    self.error(f.loc, f.loc.col as usize - 1, f.len as usize, message, help);
                    continue;
                }
            };
            let address = resolver.address(f.section as u8, f.offset as i64);
            let bytes = self.out.bytes_mut(f.section, f.offset);
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
        AsmErrors { diagnostics: self.report.diags, files, truncated: self.report.truncated }
    }

    fn source_files(&self) -> Vec<SourceFile> {
        self.paths
            .iter()
            .zip(&self.texts)
            .map(|(p, t)| SourceFile { path: p.clone(), text: t.to_string() })
            .collect()
    }

    fn into_program(mut self, layout: &Layout, entry: u32) -> Program {
        let (text, locs) = self.out.take_text();
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
            DataSegment { base, bytes, writable: true }
        };
        let mut data = Vec::new();
        let small = segment(&[SectionId::SData, SectionId::SBss], SMALL_DATA_BASE, self.out.sections());
        if !small.bytes.is_empty() {
            data.push(small);
        }
        let main =
            segment(&[SectionId::Data, SectionId::RData, SectionId::Bss], DATA_BASE, self.out.sections());
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
            delay_slots: self.delay.fill,
            linux: None,
        }
    }
}

/// Little-endian bytes of `v` as a `width`-byte value, which must fit
/// (signed or unsigned).
pub(super) fn data_bytes(v: i64, width: u8) -> Result<[u8; 8], String> {
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
