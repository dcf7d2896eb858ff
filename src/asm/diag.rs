//! Assembler diagnostics: every error names `file:line:column`, shows the
//! line with a caret under the offending text and, for typos, the nearest
//! valid spelling.

use super::program::{Loc, SourceFile};
use std::fmt;

/// One error found in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where it starts.
    pub loc: Loc,
    /// How many columns the caret underlines (at least 1).
    pub len: u32,
    /// What is wrong.
    pub message: String,
    /// A hint, such as ``did you mean `addiu`?``.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic without a hint.
    pub fn new(loc: Loc, len: usize, message: impl Into<String>) -> Self {
        Diagnostic { loc, len: len.max(1) as u32, message: message.into(), help: None }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// All errors of one assembly, with the sources needed to show them.
#[derive(Clone, Debug, thiserror::Error)]
pub struct AsmErrors {
    /// The errors, in source order (capped at [`MAX_ERRORS`]).
    pub diagnostics: Vec<Diagnostic>,
    /// The files they point into.
    pub files: Vec<SourceFile>,
    /// True when more errors were found than are listed.
    pub truncated: bool,
}

/// Assembly stops collecting errors after this many.
pub const MAX_ERRORS: usize = 50;

impl fmt::Display for AsmErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f, "\n")?;
            }
            render(f, d, &self.files)?;
        }
        let n = self.diagnostics.len();
        if self.truncated {
            write!(f, "\n\nerror: stopped after {n} errors")?;
        } else if n > 1 {
            write!(f, "\n\nerror: {n} errors")?;
        }
        Ok(())
    }
}

fn render(f: &mut fmt::Formatter<'_>, d: &Diagnostic, files: &[SourceFile]) -> fmt::Result {
    let file = files.get(d.loc.file as usize);
    let path = file.map_or("<input>", |s| s.path.as_str());
    writeln!(f, "error: {}", d.message)?;
    if d.loc.line == 0 {
        // Not about a line: the file as a whole (unreadable, too large).
        return write!(f, "  --> {path}");
    }
    writeln!(f, "  --> {path}:{}:{}", d.loc.line, d.loc.col)?;
    if let Some(file) = file {
        let line = file.line(d.loc.line);
        let number = d.loc.line.to_string();
        let gutter = " ".repeat(number.len());
        // Tabs stay tabs so the caret lines up under the text in any terminal.
        let pad: String = line
            .chars()
            .take(d.loc.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {line}")?;
        write!(f, "{gutter} | {pad}{}", "^".repeat(d.len as usize))?;
    }
    if let Some(help) = &d.help {
        write!(f, " {help}")?;
    }
    Ok(())
}

/// The candidate closest to `word` by edit distance (case-insensitive), if
/// close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.len() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}

/// ``did you mean `x`?`` for the closest candidate, if any is close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("add", "add"), 0);
        assert_eq!(edit_distance("ad", "add"), 1);
        assert_eq!(edit_distance("addiu", "adiu"), 1);
        assert_eq!(edit_distance("lw", "wl"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions() {
        let words = ["add", "addi", "addiu", "sub", "lw"];
        assert_eq!(suggest("adiu", words).as_deref(), Some("did you mean `addiu`?"));
        assert_eq!(suggest("ADD", words).as_deref(), Some("did you mean `add`?"));
        assert_eq!(suggest("xyzzy", words), None);
    }

    #[test]
    fn renders_with_caret() {
        let files = vec![SourceFile { path: "p.s".into(), text: "main:\n  ad $t0, $t1\n".into() }];
        let d = Diagnostic::new(Loc { file: 0, line: 2, col: 3 }, 2, "unknown instruction `ad`")
            .with_help(Some("did you mean `add`?".into()));
        let e = AsmErrors { diagnostics: vec![d], files, truncated: false };
        let text = e.to_string();
        assert!(text.contains("p.s:2:3"), "{text}");
        assert!(text.contains("2 |   ad $t0, $t1"), "{text}");
        assert!(text.contains("  |   ^^ did you mean `add`?"), "{text}");
    }
}
