//! Runs every program in `asm/` that has an expected output through the real
//! `myvmm` binary and compares stdout, exit status and (where given) stderr.
//!
//! A case is a file with a sibling `<stem>.out`: `<stem>.args` (the command
//! line, when the case needs more than `-v`), else `<stem>.cfg`, else the
//! assembly file itself. Optional siblings: `<stem>.stdin` (standard input),
//! `<stem>.status` (exit status, default 0), `<stem>.err` (exact stderr).
//! `UPDATE_GOLDEN=1 cargo test --test programs` rewrites the expected files.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Case {
    stem: PathBuf,
    args: Vec<String>,
}

fn cases() -> Vec<Case> {
    let mut stems: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![PathBuf::from("asm")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("asm folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "out") {
                stems.push(path.with_extension(""));
            }
        }
    }
    stems.sort();
    stems
        .into_iter()
        .map(|stem| {
            let with = |ext: &str| PathBuf::from(format!("{}.{ext}", stem.display()));
            let args = if with("args").exists() {
                let text = std::fs::read_to_string(with("args")).expect("args");
                text.split_whitespace().map(String::from).collect()
            } else {
                let vm =
                    ["cfg", "s"].iter().map(|e| with(e)).find(|p| p.exists()).unwrap_or_else(|| stem.clone());
                vec!["-v".to_string(), vm.display().to_string()]
            };
            Case { stem, args }
        })
        .collect()
}

fn run(case: &Case, extra: &[&str]) -> (Vec<u8>, Vec<u8>, i32) {
    run_with(case, extra, None)
}

/// [`run`] with `MYVMM_RESIDENT_VMS` set to `resident`, if given.
fn run_with(case: &Case, extra: &[&str], resident: Option<usize>) -> (Vec<u8>, Vec<u8>, i32) {
    let stdin_file = PathBuf::from(format!("{}.stdin", case.stem.display()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_myvmm"));
    if let Some(n) = resident {
        command.env("MYVMM_RESIDENT_VMS", n.to_string());
    }
    let mut child = command
        .args(&case.args)
        .args(extra)
        .stdin(if stdin_file.exists() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myvmm starts");
    if stdin_file.exists() {
        use std::io::Write;
        let input = std::fs::read(&stdin_file).expect("stdin file");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(&input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("myvmm runs");
    (out.stdout, out.stderr, out.status.code().unwrap_or(-1))
}

fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

#[test]
fn every_program_matches_its_expected_output() {
    check_every_program(None);
}

/// With one memory resident at a time, every VM of a multi-VM case parks
/// each time it leaves a worker and comes back for its next turn: outputs,
/// statuses and messages must not change.
#[test]
fn every_program_matches_its_expected_output_when_vms_park_at_every_turn() {
    check_every_program(Some(1));
}

fn check_every_program(resident: Option<usize>) {
    let cases = cases();
    assert!(cases.len() >= 15, "expected at least 15 programs with expected output, found {}", cases.len());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some() && resident.is_none();
    let mut failures = Vec::new();
    for case in &cases {
        let (stdout, stderr, status) = run_with(case, &[], resident);
        let path = |ext: &str| PathBuf::from(format!("{}.{ext}", case.stem.display()));
        if update {
            std::fs::write(path("out"), &stdout).expect("write .out");
            if status != 0 {
                std::fs::write(path("status"), format!("{status}\n")).expect("write .status");
            }
            if !stderr.is_empty() {
                std::fs::write(path("err"), &stderr).expect("write .err");
            }
            continue;
        }
        let name = case.stem.display();
        let want_status: i32 = read(&path("status"))
            .map(|s| String::from_utf8_lossy(&s).trim().parse().expect("status number"))
            .unwrap_or(0);
        if status != want_status {
            failures.push(format!(
                "{name}: exit status {status}, expected {want_status}\n{}",
                String::from_utf8_lossy(&stderr)
            ));
        }
        if Some(&stdout) != read(&path("out")).as_ref() {
            failures.push(format!("{name}: stdout differs:\n{}", String::from_utf8_lossy(&stdout)));
        }
        let want_err = read(&path("err")).unwrap_or_default();
        if stderr != want_err {
            failures.push(format!("{name}: stderr differs:\n{}", String::from_utf8_lossy(&stderr)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn single_vm_output_does_not_depend_on_workers() {
    for case in cases().iter().filter(|c| c.args.len() == 2) {
        let (base, _, status) = run(case, &["--workers", "1"]);
        let (two, _, status2) = run(case, &["--workers", "2"]);
        assert_eq!((&base, status), (&two, status2), "{}", case.stem.display());
    }
}
