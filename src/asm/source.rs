//! Source lines before assembly: files and `.include`, MARS macros
//! (`.macro name (%a, %b)` … `.end_macro`, also GAS's `\a` and `.endm`)
//! and `.eqv` text substitution.

use super::assembler::Assembler;
use super::limits::{read_input, InputError, MAX_EXPANDED_BYTES, MAX_EXPANDED_LINE, MAX_SOURCE_BYTES};
use super::program::Loc;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Includes and macro expansions nest at most this deep (a cycle stops here).
const MAX_DEPTH: u32 = 32;

/// Most lines all macro expansions and includes of one program may add, so a
/// macro that invokes itself twice cannot run for ever.
const MAX_GENERATED_LINES: u64 = 4_000_000;

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

/// What reading and expanding source has cost so far, against the limits
/// that stop a hostile program (see `limits.rs`).
#[derive(Default)]
pub(super) struct Budget {
    /// Current nesting of includes and macro expansions.
    pub depth: u32,
    /// Lines added by includes and expansions.
    pub generated_lines: u64,
    /// Bytes of source read from files (all files and includes).
    pub source_bytes: u64,
    /// Bytes produced by `.eqv` and macro substitution.
    pub expanded_bytes: u64,
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

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$'
}

/// The first word of a line (after blanks), lower-cased if it is a directive.
fn first_word(line: &str) -> &str {
    let t = line.trim_start();
    let end = t.bytes().position(|c| !is_ident(c)).unwrap_or(t.len());
    &t[..end]
}

/// Length of the labels (`name:` …) a line starts with, blanks included.
fn label_prefix(line: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &line[at..];
        let t = rest.trim_start();
        let end = t.bytes().position(|c| !is_ident(c)).unwrap_or(t.len());
        if end == 0 || t.as_bytes().get(end) != Some(&b':') {
            return at;
        }
        at += rest.len() - t.len() + end + 1;
    }
}

/// A substitution would produce a line longer than [`MAX_EXPANDED_LINE`].
#[derive(Debug, PartialEq, Eq)]
struct TooLong;

/// Rewrites identifiers (outside strings and comments) through `map`;
/// `sigils` are characters that introduce a parameter reference (`%`, `\`).
/// `Ok(None)` when nothing was replaced; the result never exceeds
/// [`MAX_EXPANDED_LINE`] bytes (checked before each piece is appended).
fn substitute(
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
    /// Reads a file and assembles it as its own scope (a file of the program).
    /// Returns false when the file cannot be read (the error is recorded).
    /// Devices, FIFOs and files beyond the source budget are refused.
    pub fn add_file(&mut self, path: &Path) -> bool {
        match self.read_source(path) {
            Ok(text) => {
                self.add_source(&path.display().to_string(), &text);
                true
            }
            Err(e) => {
                let file = self.push_file(path.display().to_string(), "");
                self.error(
                    Loc { file, line: 0, col: 1 },
                    0,
                    1,
                    format!("cannot read `{}`: {e}", path.display()),
                    None,
                );
                false
            }
        }
    }

    /// Assembles in-memory text as a file of the program.
    pub fn add_source(&mut self, name: &str, text: &str) {
        let file = self.push_file(name.to_string(), text);
        self.scope = file;
        // A data list never continues into another file.
        self.open_list = None;
        self.process(file);
    }

    /// Reads a source file within what is left of the program's source
    /// budget ([`MAX_SOURCE_BYTES`] for all files and includes together).
    fn read_source(&mut self, path: &Path) -> Result<String, String> {
        let left = MAX_SOURCE_BYTES.saturating_sub(self.budget.source_bytes);
        match read_input(path, left) {
            Ok(bytes) => {
                self.budget.source_bytes += bytes.len() as u64;
                // Valid UTF-8 (the usual case) is taken over without a copy.
                Ok(String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
            }
            Err(InputError::TooLarge { .. }) if left < MAX_SOURCE_BYTES => Err(format!(
                "the program's source (all its files and includes) would exceed {} MiB",
                MAX_SOURCE_BYTES >> 20
            )),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Counts `bytes` of substituted text against [`MAX_EXPANDED_BYTES`].
    fn charge_bytes(&mut self, bytes: usize, loc: Loc, at: usize, len: usize) -> bool {
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
    fn too_long(&mut self, loc: Loc, what: &str) {
        let message =
            format!("{what} makes a line longer than {} KiB (runaway expansion?)", MAX_EXPANDED_LINE >> 10);
        self.error(loc, 0, 1, message, None);
    }

    fn push_file(&mut self, path: String, text: &str) -> u32 {
        self.paths.push(path);
        self.texts.push(Rc::from(text));
        (self.texts.len() - 1) as u32
    }

    fn process(&mut self, file: u32) {
        let text = Rc::clone(&self.texts[file as usize]);
        for (index, raw) in text.split('\n').enumerate() {
            if self.stopped() {
                return;
            }
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            self.source_line(line, Loc { file, line: index as u32 + 1, col: 1 });
        }
    }

    /// One line of source: macro bookkeeping, includes, `.eqv`, then assembly.
    pub(super) fn source_line(&mut self, line: &str, loc: Loc) {
        let mut word = first_word(line);
        let mut line = std::borrow::Cow::Borrowed(line);
        // MARS allows a label before `.eqv` and `.macro` (`main: .eqv N 3`):
        // the label is defined here, the rest is handled as its own line
        // (the label blanked out, so columns stay right).
        if self.macros.capture.is_none() {
            let labels = label_prefix(&line);
            let after = first_word(&line[labels..]);
            let special = [".eqv", ".macro", ".include", ".end_macro", ".endm"];
            if labels > 0 && special.iter().any(|d| after.eq_ignore_ascii_case(d)) {
                self.statement(&line[..labels], loc);
                let blanked = format!("{}{}", " ".repeat(labels), &line[labels..]);
                line = std::borrow::Cow::Owned(blanked);
                word = first_word(&line);
            }
        }
        let line: &str = &line;
        if let Some(capture) = &mut self.macros.capture {
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
            return;
        }
        if [".macro", ".include", ".eqv"].iter().any(|d| word.eq_ignore_ascii_case(d)) {
            // A directive: it ends the open data list, if any.
            self.open_list = None;
        }
        if word.eq_ignore_ascii_case(".macro") {
            return self.begin_macro(line, loc);
        }
        if word.eq_ignore_ascii_case(".end_macro") || word.eq_ignore_ascii_case(".endm") {
            let at = line.len() - line.trim_start().len();
            return self.error(loc, at, word.len(), format!("`{word}` without `.macro`"), None);
        }
        if word.eq_ignore_ascii_case(".include") {
            return self.include(line, loc);
        }
        if word.eq_ignore_ascii_case(".eqv") {
            return self.eqv(line, loc);
        }
        if !self.macros.eqvs.is_empty() {
            let eqvs = &self.macros.eqvs;
            match substitute(line, &[], &|_, w| eqvs.get(w).cloned()) {
                Ok(Some(text)) => {
                    if self.charge_bytes(text.len(), loc, 0, 1) {
                        self.statement(&text, loc);
                    }
                    return;
                }
                Ok(None) => {}
                Err(TooLong) => return self.too_long(loc, "`.eqv` substitution"),
            }
        }
        self.statement(line, loc);
    }

    fn eqv(&mut self, line: &str, loc: Loc) {
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

    fn include(&mut self, line: &str, loc: Loc) {
        let rest = line.trim_start()[8..].split('#').next().unwrap_or("").trim();
        let at = line.find(rest).unwrap_or(0);
        let Some(name) = rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
            return self.error(loc, at, rest.len(), "expected `.include \"file\"`", None);
        };
        if self.budget.depth >= MAX_DEPTH {
            return self.error(
                loc,
                at,
                rest.len(),
                "includes nest too deeply (does a file include itself?)",
                None,
            );
        }
        let including = Path::new(&self.paths[loc.file as usize]);
        let path: PathBuf = including.parent().map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
        let text = match self.read_source(&path) {
            Ok(text) => text,
            Err(e) => {
                return self.error(
                    loc,
                    at,
                    rest.len(),
                    format!("cannot read `{}`: {e}", path.display()),
                    None,
                )
            }
        };
        if !self.charge_lines(text.lines().count(), loc, at, rest.len()) {
            return;
        }
        let file = self.push_file(path.display().to_string(), &text);
        self.budget.depth += 1;
        self.process(file);
        self.budget.depth -= 1;
    }

    /// Counts lines added by an include or expansion against the budget.
    fn charge_lines(&mut self, lines: usize, loc: Loc, at: usize, len: usize) -> bool {
        self.budget.generated_lines += lines as u64;
        if self.budget.generated_lines > MAX_GENERATED_LINES {
            let message =
                format!("macros and includes add more than {MAX_GENERATED_LINES} lines (runaway expansion?)");
            self.error(loc, at, len, message, None);
            self.report.truncated = true;
            return false;
        }
        true
    }

    fn begin_macro(&mut self, line: &str, loc: Loc) {
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
            let arities: Vec<String> = self.macros.defs[name].iter().map(|d| d.params.len().to_string()).collect();
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
    fn label_prefixes() {
        assert_eq!(label_prefix("main: .eqv N 3"), 5);
        assert_eq!(label_prefix(" a: b:\t.macro m"), 6);
        assert_eq!(label_prefix(".eqv N 3"), 0);
        assert_eq!(label_prefix("li $t0, 'a:'"), 0);
    }

    #[test]
    fn macro_arguments() {
        assert_eq!(split_args("$t0, (4+4), \"a,b\""), vec!["$t0", "(4+4)", "\"a,b\""]);
        assert!(split_args("").is_empty());
    }
}
