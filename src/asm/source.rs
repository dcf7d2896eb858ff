//! Source lines before assembly: files and `.include`, the budget that
//! bounds what reading and expanding may cost, and each line's routing:
//! macro definitions and `.eqv` (see `macros.rs`), includes, then assembly.

use super::assembler::Assembler;
use super::limits::{read_input, InputError, MAX_SOURCE_BYTES};
use crate::program::Loc;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Includes and macro expansions nest at most this deep (a cycle stops here).
pub(super) const MAX_DEPTH: u32 = 32;

/// Most lines all macro expansions and includes of one program may add, so a
/// macro that invokes itself twice cannot run for ever.
const MAX_GENERATED_LINES: u64 = 4_000_000;

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

pub(super) fn is_ident(c: u8) -> bool {
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
        // A data list never continues into another file; `.set noreorder`
        // holds to the end of its file.
        self.open_list = None;
        self.delay.reorder();
        self.process(file);
    }

    /// Reads a source file within what is left of the program's source
    /// budget ([`MAX_SOURCE_BYTES`] for all files and includes together).
    fn read_source(&mut self, path: &Path) -> Result<String, String> {
        let left = MAX_SOURCE_BYTES.saturating_sub(self.budget.source_bytes);
        match read_input(path, left) {
            // An executable is never read as assembly (`.include` of one, a
            // listing of one): it is told by its magic.
            Ok(bytes) if crate::elf::is_elf(&bytes) => {
                Err("an ELF executable, not assembly: run it as a VM (`myvmm prog -- ARGS`); \
                 only assembly has a listing"
                    .into())
            }
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
        if self.macros.capture.is_some() {
            return self.capture_line(line, word, loc);
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
        if let Some(text) = self.substitute_eqvs(line, loc) {
            if let Some(text) = text {
                self.statement(&text, loc);
            }
            return;
        }
        self.statement(line, loc);
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
    pub(super) fn charge_lines(&mut self, lines: usize, loc: Loc, at: usize, len: usize) -> bool {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_prefixes() {
        assert_eq!(label_prefix("main: .eqv N 3"), 5);
        assert_eq!(label_prefix(" a: b:\t.macro m"), 6);
        assert_eq!(label_prefix(".eqv N 3"), 0);
        assert_eq!(label_prefix("li $t0, 'a:'"), 0);
    }
}
