//! Macros and text substitution: MARS's `.macro name (%a, %b)` …
//! `.end_macro` (also GAS's `\\a` and `.endm`), expanded in place with each
//! body label made unique per expansion, and `.eqv` names replaced by their
//! text before a line is assembled.

use super::assembler::Assembler;
use super::limits::{MAX_EXPANDED_BYTES, MAX_EXPANDED_LINE};
use super::source::{is_ident, MAX_DEPTH};
use crate::program::Loc;
use std::collections::HashMap;
use std::rc::Rc;

/// Most definitions (one per arity) a macro name may have.
const MAX_MACRO_DEFINITIONS: usize = 16;

/// Macro definitions and `.eqv` names, and the macro being captured or
/// expanded.
#[derive(Default)]
pub(super) struct Macros {
    /// Definitions by name, one per arity.
    pub defs: HashMap<String, Vec<Rc<MacroDef>>>,
    /// The macro being defined (between `.macro` and `.end_macro`).
    pub capture: Option<MacroCapture>,
    /// The outermost invocation being expanded (errors point at it).
    pub expansion: Option<Expansion>,
    /// Expansions so far: labels in a body get this as a suffix.
    pub serial: u32,
    /// `.eqv` names and their text.
    pub eqvs: HashMap<String, String>,
}

/// A macro definition.
#[derive(Clone, Debug)]
pub struct MacroDef {
    /// Parameter names without their `%` or `\`.
    pub params: Vec<String>,
    /// Body lines.
    pub body: Vec<String>,
    /// Labels defined in the body: renamed per expansion so each is unique.
    pub labels: Vec<String>,
}

/// A macro being defined.
#[derive(Debug)]
pub struct MacroCapture {
    /// Its name.
    pub name: String,
    /// Where `.macro` stands.
    pub loc: Loc,
    /// What has been collected.
    pub def: MacroDef,
}

/// The macro invocation being expanded (errors point at it).
#[derive(Clone, Debug)]
pub struct Expansion {
    /// Macro name.
    pub name: String,
    /// Where the invocation stands.
    pub loc: Loc,
    /// Length of the invocation's name, for the caret.
    pub len: usize,
}

/// A substitution would produce a line longer than [`MAX_EXPANDED_LINE`].
#[derive(Debug, PartialEq, Eq)]
pub(super) struct TooLong;

/// Rewrites identifiers (outside strings and comments) through `map`;
/// `sigils` are characters that introduce a parameter reference (`%`, `\`).
/// `Ok(None)` when nothing was replaced; the result never exceeds
/// [`MAX_EXPANDED_LINE`] bytes (checked before each piece is appended).
pub(super) fn substitute(
    line: &str,
    sigils: &[u8],
    map: &dyn Fn(Option<u8>, &str) -> Option<String>,
) -> Result<Option<String>, TooLong> {
    let bytes = line.as_bytes();
    let mut out = String::new();
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    let mut quote = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            None if c == b'"' || c == b'\'' => {
                quote = Some(c);
                i += 1;
                continue;
            }
            None if c == b'#' => break,
            None => {}
        }
        let sigil = sigils.contains(&c).then_some(c);
        let start = i + usize::from(sigil.is_some());
        let word_start = i == 0 || !is_ident(bytes[i - 1]) || sigil.is_some();
        if word_start && start < bytes.len() && is_ident(bytes[start]) && (sigil.is_some() || is_ident(c)) {
            let mut end = start;
            while end < bytes.len() && is_ident(bytes[end]) {
                end += 1;
            }
            if let Some(replacement) = map(sigil, &line[start..end]) {
                if out.len() + (i - copied) + replacement.len() > MAX_EXPANDED_LINE {
                    return Err(TooLong);
                }
                out.push_str(&line[copied..i]);
                out.push_str(&replacement);
                copied = end;
                changed = true;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    if !changed {
        return Ok(None);
    }
    if out.len() + (line.len() - copied) > MAX_EXPANDED_LINE {
        return Err(TooLong);
    }
    out.push_str(&line[copied..]);
    Ok(Some(out))
}

/// Splits macro arguments at top-level commas.
fn split_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    let bytes = text.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        match (c, quote) {
            (b'"' | b'\'', None) => quote = Some(c),
            (_, Some(q)) if c == q && (i == 0 || bytes[i - 1] != b'\\') => quote = None,
            (b'(', None) => depth += 1,
            (b')', None) => depth -= 1,
            (b',', None) if depth == 0 => {
                args.push(text[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = text[start..].trim();
    if !last.is_empty() || !args.is_empty() {
        args.push(last.to_string());
    }
    args
}

impl Assembler {
    /// A line inside `.macro` … `.end_macro`: kept for the body, or the end.
    pub(super) fn capture_line(&mut self, line: &str, word: &str, loc: Loc) {
        let Some(capture) = &mut self.macros.capture else { return };
        if word.eq_ignore_ascii_case(".end_macro") || word.eq_ignore_ascii_case(".endm") {
            let c = self.macros.capture.take().expect("capturing");
            let defs = self.macros.defs.entry(c.name.clone()).or_default();
            // Each call scans its name's definitions for the arity.
            if defs.len() >= MAX_MACRO_DEFINITIONS {
                let message =
                    format!("macro `{}` is defined more than {MAX_MACRO_DEFINITIONS} times", c.name);
                return self.error(c.loc, 0, 6, message, None);
            }
            defs.push(Rc::new(c.def));
        } else if word.eq_ignore_ascii_case(".macro") {
            let at = line.len() - line.trim_start().len();
            self.error(loc, at, word.len(), "a macro cannot be defined inside another", None);
        } else {
            if let Some(label) = line
                .trim_start()
                .split(':')
                .next()
                // Numeric labels (`1:`) are not renamed: each expansion
                // defines a new instance anyway.
                .filter(|l| {
                    line.contains(':')
                        && !l.is_empty()
                        && l.bytes().all(is_ident)
                        && !l.as_bytes()[0].is_ascii_digit()
                })
            {
                capture.def.labels.push(label.to_string());
            }
            capture.def.body.push(line.to_string());
        }
    }

    /// `line` with `.eqv` names replaced: `None` when there is nothing to
    /// replace, `Some(None)` when replacing failed (reported).
    pub(super) fn substitute_eqvs(&mut self, line: &str, loc: Loc) -> Option<Option<String>> {
        if self.macros.eqvs.is_empty() {
            return None;
        }
        let eqvs = &self.macros.eqvs;
        match substitute(line, &[], &|_, w| eqvs.get(w).cloned()) {
            Ok(Some(text)) => Some(self.charge_bytes(text.len(), loc, 0, 1).then_some(text)),
            Ok(None) => None,
            Err(TooLong) => {
                self.too_long(loc, "`.eqv` substitution");
                Some(None)
            }
        }
    }

    /// Counts `bytes` of substituted text against [`MAX_EXPANDED_BYTES`].
    pub(super) fn charge_bytes(&mut self, bytes: usize, loc: Loc, at: usize, len: usize) -> bool {
        self.budget.expanded_bytes += bytes as u64;
        if self.budget.expanded_bytes > MAX_EXPANDED_BYTES {
            let message = format!(
                "`.eqv` and macro substitution produce more than {} MiB of text (runaway expansion?)",
                MAX_EXPANDED_BYTES >> 20
            );
            self.error(loc, at, len, message, None);
            self.report.truncated = true;
            return false;
        }
        true
    }

    /// Reports a substitution whose line outgrew [`MAX_EXPANDED_LINE`].
    pub(super) fn too_long(&mut self, loc: Loc, what: &str) {
        let message =
            format!("{what} makes a line longer than {} KiB (runaway expansion?)", MAX_EXPANDED_LINE >> 10);
        self.error(loc, 0, 1, message, None);
    }

    pub(super) fn eqv(&mut self, line: &str, loc: Loc) {
        let body = line.trim_start()[4..].trim_start();
        let body = body.split('#').next().unwrap_or("").trim_end();
        let at = line.len() - line.trim_start().len() + 4;
        let name_len = body.bytes().position(|c| !is_ident(c)).unwrap_or(body.len());
        let (name, value) = body.split_at(name_len);
        let value = value.trim_start().strip_prefix(',').unwrap_or(value).trim();
        if name.is_empty() || value.is_empty() {
            return self.error(loc, at.min(line.len()), 1, "expected `.eqv NAME value`", None);
        }
        // Earlier .eqv names inside the value are substituted now.
        let eqvs = &self.macros.eqvs;
        let value = match substitute(value, &[], &|_, w| eqvs.get(w).cloned()) {
            Ok(v) => v.unwrap_or_else(|| value.to_string()),
            Err(TooLong) => return self.too_long(loc, "this `.eqv` value"),
        };
        if !self.charge_bytes(value.len(), loc, at, name.len()) {
            return;
        }
        self.macros.eqvs.insert(name.to_string(), value);
    }

    pub(super) fn begin_macro(&mut self, line: &str, loc: Loc) {
        let at = line.len() - line.trim_start().len();
        let header = line.trim_start()[6..].split('#').next().unwrap_or("").trim();
        let name_len = header.bytes().position(|c| !is_ident(c)).unwrap_or(header.len());
        let (name, params) = header.split_at(name_len);
        if name.is_empty() {
            return self.error(loc, at, 6, "expected a macro name after `.macro`", None);
        }
        let params = params.trim();
        let params = params.strip_prefix('(').and_then(|p| p.strip_suffix(')')).unwrap_or(params);
        let params: Vec<String> = params
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(|p| p.trim_start_matches(['%', '\\']).to_string())
            .collect();
        self.macros.capture = Some(MacroCapture {
            name: name.to_string(),
            loc,
            def: MacroDef { params, body: Vec::new(), labels: Vec::new() },
        });
    }

    /// Expands a macro invocation `name args` in place.
    pub(super) fn invoke_macro(&mut self, name: &str, start: usize, rest: &str, rest_start: usize, loc: Loc) {
        let inner = rest.trim();
        let inner = inner.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(inner);
        let args = split_args(inner);
        let Some(def) = self
            .macros
            .defs
            .get(name)
            .and_then(|defs| defs.iter().find(|d| d.params.len() == args.len()))
            .cloned()
        else {
            let arities: Vec<String> =
                self.macros.defs[name].iter().map(|d| d.params.len().to_string()).collect();
            let message =
                format!("macro `{name}` takes {} argument(s), not {}", arities.join(" or "), args.len());
            return self.error(loc, rest_start, rest.len().max(1), message, None);
        };
        if self.budget.depth >= MAX_DEPTH {
            return self.error(
                loc,
                start,
                name.len(),
                "macro expansion nests too deeply (is it recursive?)",
                None,
            );
        }
        if !self.charge_lines(def.body.len(), loc, start, name.len()) {
            return;
        }
        let serial = self.macros.serial;
        self.macros.serial += 1;
        let outer = self.macros.expansion.clone();
        if outer.is_none() {
            self.macros.expansion = Some(Expansion {
                name: name.to_string(),
                loc: Loc { col: start as u32 + 1, ..loc },
                len: name.len(),
            });
        }
        self.budget.depth += 1;
        for line in &def.body {
            if self.stopped() {
                break;
            }
            let map = |sigil: Option<u8>, word: &str| match sigil {
                Some(_) => def.params.iter().position(|p| p == word).map(|i| args[i].clone()),
                None => def.labels.iter().any(|l| l == word).then(|| format!("{word}_M{serial}")),
            };
            // Every expanded line counts, substituted or not: a long body
            // line called a million times is as costly as a long argument.
            let text = match substitute(line, b"%\\", &map) {
                Ok(Some(text)) => text,
                Ok(None) => line.clone(),
                Err(TooLong) => {
                    self.too_long(loc, "macro argument substitution");
                    break;
                }
            };
            if !self.charge_bytes(text.len(), loc, start, name.len()) {
                break;
            }
            self.source_line(&text, loc);
        }
        self.budget.depth -= 1;
        self.macros.expansion = outer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_respects_words_and_strings() {
        let map = |_: Option<u8>, w: &str| (w == "N").then(|| "10".to_string());
        assert_eq!(substitute("li $t0, N # N", &[], &map), Ok(Some("li $t0, 10 # N".into())));
        assert_eq!(substitute("li $t0, NN", &[], &map), Ok(None));
        assert_eq!(substitute(".asciiz \"N\"", &[], &map), Ok(None));
        let params = |s: Option<u8>, w: &str| (s.is_some() && w == "x").then(|| "$t1".to_string());
        assert_eq!(substitute("add %x, %x, \\x", b"%\\", &params), Ok(Some("add $t1, $t1, $t1".into())));
        let big = |_: Option<u8>, w: &str| (w == "N").then(|| "x".repeat(MAX_EXPANDED_LINE / 2));
        assert_eq!(substitute("N N N", &[], &big), Err(TooLong));
    }

    #[test]
    fn macro_arguments() {
        assert_eq!(split_args("$t0, (4+4), \"a,b\""), vec!["$t0", "(4+4)", "\"a,b\""]);
        assert!(split_args("").is_empty());
    }
}
