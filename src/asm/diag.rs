//! Assembler diagnostics: every error names `file:line:column`, shows the
//! line with a caret under the offending text and, for typos, the nearest
//! valid spelling.

use crate::program::{Loc, SourceFile};
pub use crate::suggest::{closest, edit_distance, suggest};
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
    /// The errors, in source order (capped at `MAX_ERRORS`).
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
        if self.truncated && n >= MAX_ERRORS {
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
        let (line, col, len) =
            window(file.line(d.loc.line), d.loc.col.saturating_sub(1) as usize, d.len as usize);
        let number = d.loc.line.to_string();
        let gutter = " ".repeat(number.len());
        // Tabs stay tabs so the caret lines up under the text in any terminal.
        let pad: String = line.chars().take(col).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        writeln!(f, "{gutter} |")?;
        writeln!(f, "{number} | {line}")?;
        write!(f, "{gutter} | {pad}{}", "^".repeat(len.max(1)))?;
    }
    if let Some(help) = &d.help {
        write!(f, " {help}")?;
    }
    Ok(())
}

/// Lines longer than this are shown as an excerpt around the caret.
const SHOWN: usize = 120;

/// The part of `line` to show for a caret at byte `col` spanning `len`
/// bytes: the whole line when short, else about [`SHOWN`] characters around
/// the caret with `…` where text is left out. Returns the text and the
/// caret's column and length in characters within it.
fn window(line: &str, col: usize, len: usize) -> (String, usize, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let at = chars.iter().take_while(|(i, _)| *i < col).count();
    let span = chars.iter().skip(at).take_while(|(i, _)| *i < col + len).count();
    if chars.len() <= SHOWN {
        return (line.to_string(), at, span);
    }
    let start = at.saturating_sub(SHOWN / 3);
    let end = (start + SHOWN).min(chars.len());
    let mut text: String = chars[start..end].iter().map(|(_, c)| c).collect();
    let mut at = at - start;
    if start > 0 {
        text.insert(0, '…');
        at += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    let span = span.min(text.chars().count().saturating_sub(at));
    (text, at, span)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn long_lines_show_an_excerpt_around_the_caret() {
        let line = format!("li $t0, {}1{}", "(".repeat(5000), ")".repeat(5000));
        let (shown, col, len) = window(&line, 300, 1);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= SHOWN + 2);
        assert_eq!(shown.chars().nth(col), Some('('));
        assert_eq!(len, 1);
        assert_eq!(window("add $t0", 4, 3), ("add $t0".to_string(), 4, 3));
    }
}
