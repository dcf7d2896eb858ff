//! Program listings: address, word, disassembly and source for every text word.

use crate::isa::{decode, disasm_with};
use crate::program::Program;
use std::fmt::Write;

/// A listing of the text segment, one line per word:
/// `address  word  disassembly  ; file:line  source`.
/// Source is shown on the first word of each statement.
pub fn listing(program: &Program) -> String {
    let lines: Vec<Vec<&str>> = program
        .source
        .files
        .iter()
        .map(|f| f.text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect())
        .collect();
    let mut out = String::new();
    let mut previous = None;
    for (i, &word) in program.text.iter().enumerate() {
        let pc = program.text_base + 4 * i as u32;
        let text = disasm_with(&decode(word), pc, &program.para_args);
        let _ = write!(out, "0x{pc:08x}  0x{word:08x}  {text:<30}");
        if let Some(loc) = program.source.locs.get(i).copied() {
            if previous != Some(loc) {
                let source = lines
                    .get(loc.file as usize)
                    .and_then(|f| f.get(loc.line.saturating_sub(1) as usize))
                    .map_or("", |l| l.trim());
                let path = &program.source.files[loc.file as usize].path;
                let name = std::path::Path::new(path)
                    .file_name()
                    .map_or(path.clone(), |n| n.to_string_lossy().into());
                let _ = write!(out, " ; {name}:{}  {source}", loc.line);
            }
            previous = Some(loc);
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}
