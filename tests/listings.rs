//! Every sample in `asm/` assembles, and its listing (address, word,
//! disassembly, source) matches the golden file in `tests/golden/listing/`.
//! Run with `UPDATE_GOLDEN=1` to rewrite the golden files after a deliberate change.

use myvmm::asm::{assemble_files, listing::listing};
use std::path::{Path, PathBuf};

fn samples() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["asm/mars", "asm/gcc", "asm/coursework"] {
        for entry in std::fs::read_dir(dir).expect("asm folder") {
            let path = entry.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let is_program = path.extension().is_some_and(|e| e == "s") || name.starts_with("instructions_");
            if is_program {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn listings_match_golden_files() {
    let files = samples();
    assert!(files.len() >= 10, "expected the asm/ samples, found {files:?}");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let program = assemble_files(&[file]).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let text = listing(&program);
        let dir = file.parent().and_then(|d| d.file_name()).unwrap().to_string_lossy();
        let name = format!("{dir}-{}", file.file_stem().unwrap().to_string_lossy());
        let golden = Path::new("tests/golden/listing").join(format!("{name}.lst"));
        if update {
            std::fs::write(&golden, &text).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == text => {}
            Ok(want) => {
                let line = want.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
                failures.push(format!(
                    "{}: differs from {} at line {}",
                    file.display(),
                    golden.display(),
                    line + 1
                ));
            }
            Err(e) => failures.push(format!("{}: {e}", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
