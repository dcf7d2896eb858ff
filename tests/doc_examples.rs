//! Every ```console example in README.md and docs/*.md, run: each `$ `
//! line is a shell command run with the real `myvmm` first on `PATH`, in a
//! fresh folder that holds a link to the project's `asm/`; the lines after
//! it (to the next `$ ` line or the block's end) are what it prints on
//! standard output and standard error together. A line `...` stands for any lines
//! (none included), and `[..]` inside a line for any text, for what differs
//! between runs (timings). Examples that need another terminal or tool are
//! in other fences and have tests of their own (docs/gdb.md: tests/gdb.rs;
//! docs/control.md: tests/control_docs.rs). The cross GCC and qemu-mipsel
//! that docs/elf.md's example uses are installed when absent.

#[path = "support/cross.rs"]
mod cross;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ command` and what it must print.
struct Example {
    file: PathBuf,
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples() -> Vec<Example> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir("docs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut examples = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut in_console = false;
        for (index, line) in text.lines().enumerate() {
            if line.starts_with("```") {
                in_console = !in_console && line.trim_end() == "```console";
                continue;
            }
            if !in_console {
                continue;
            }
            if let Some(command) = line.strip_prefix("$ ") {
                examples.push(Example {
                    file: file.clone(),
                    line: index + 1,
                    command: command.to_string(),
                    expected: Vec::new(),
                });
            } else if let Some(example) = examples.last_mut().filter(|e| e.file == file) {
                example.expected.push(line.to_string());
            } else {
                panic!("{}:{}: a console block must start with a `$ ` command", file.display(), index + 1);
            }
        }
    }
    examples
}

/// True when `line` matches `pattern`, where `[..]` matches any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !line.starts_with(first) || !line[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &line[first.len()..line.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// True when `lines` match `patterns`, where a `...` pattern matches any
/// run of lines.
fn lines_match(patterns: &[String], lines: &[&str]) -> bool {
    match patterns.split_first() {
        None => lines.is_empty(),
        Some((p, rest)) if p == "..." => (0..=lines.len()).any(|skip| lines_match(rest, &lines[skip..])),
        Some((p, rest)) => {
            lines.split_first().is_some_and(|(l, more)| line_matches(p, l) && lines_match(rest, more))
        }
    }
}

#[test]
fn wildcards_match_what_they_say() {
    assert!(line_matches("a [..] c", "a bb c"));
    assert!(!line_matches("a [..] c", "a bb d"));
    assert!(line_matches("x[..]", "xyz"));
    let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(lines_match(&p(&["a", "...", "z"]), &["a", "b", "c", "z"]));
    assert!(lines_match(&p(&["a", "...", "z"]), &["a", "z"]));
    assert!(!lines_match(&p(&["a", "...", "z"]), &["a", "b"]));
    assert!(!lines_match(&p(&["a"]), &["a", "b"]));
}

#[test]
fn every_console_example_in_the_docs_prints_what_it_shows() {
    let examples = examples();
    // docs/elf.md builds and runs a C program with the cross GCC and
    // qemu-mipsel: installed when absent (as root), else a clear failure.
    if examples
        .iter()
        .any(|e| e.command.contains("mipsel-linux-gnu-gcc") || e.command.contains("qemu-mipsel"))
    {
        cross::ensure_tools();
    }
    assert!(examples.len() >= 10, "the docs have their examples ({} found)", examples.len());
    let bin = Path::new(env!("CARGO_BIN_EXE_myvmm")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("doc_examples");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    let mut last_file = PathBuf::new();
    let mut dir = root.clone();
    for (n, example) in examples.iter().enumerate() {
        // A folder per file: later examples of a file may use what earlier
        // ones wrote (a snapshot, then its restore).
        if example.file != last_file {
            last_file = example.file.clone();
            dir = root.join(format!("{n}"));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            std::os::unix::fs::symlink(project.join("asm"), dir.join("asm")).unwrap();
        }
        let out = Command::new("sh")
            // One stream for both, as a terminal shows them.
            .args(["-c", &format!("{{ {}\n}} 2>&1", example.command)])
            .current_dir(&dir)
            .env("PATH", &path)
            .env_remove("MYVMM_RESIDENT_VMS")
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        let lines: Vec<&str> = printed.lines().collect();
        if !lines_match(&example.expected, &lines) {
            failures.push(format!(
                "{}:{}: `{}` printed:\n{}\n--- the docs show:\n{}\n",
                example.file.display(),
                example.line,
                example.command,
                printed,
                example.expected.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{} example(s) are stale:\n{}", failures.len(), failures.join("\n"));
}
