//! Many VMs in one process: thousands given with `--vm-list`, most of them
//! parked at any moment (`MYVMM_RESIDENT_VMS` makes the process crowded at
//! a few dozen), still scheduled in strict order and exactly.

mod support;

use std::process::{Command, Output, Stdio};
use support::{scratch, text};

/// Prints one line per turn of 8 instructions, four times: the first turn
/// is `li` and the first 7 instructions of the loop, each later one the
/// branch and the next 7, so every turn ends just after a newline.
const TICKER: &str = "main:   li      $t0, 4
loop:   li      $v0, 11
        li      $a0, 42
        syscall
        li      $v0, 11
        li      $a0, 10
        syscall
        addiu   $t0, $t0, -1
        bgtz    $t0, loop
        li      $v0, 10
        syscall
";

fn run_list(dir: &std::path::Path, vms: usize, resident: usize, extra: &[&str]) -> Output {
    std::fs::write(dir.join("list.txt"), "ticker.s\n".repeat(vms)).unwrap();
    Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .args(["--vm-list", dir.join("list.txt").to_str().unwrap()])
        .args(extra)
        .env("MYVMM_RESIDENT_VMS", resident.to_string())
        .stdin(Stdio::null())
        .output()
        .expect("myvmm runs")
}

#[test]
fn thousands_of_parked_vms_take_their_turns_in_order() {
    let dir = scratch("many_vms_order");
    std::fs::write(dir.join("ticker.s"), TICKER).unwrap();
    const VMS: usize = 3000;
    let mut expected = String::new();
    for _ in 0..4 {
        for vm in 1..=VMS {
            expected.push_str(&format!("[vm{vm}] *\n"));
        }
    }
    for engine in ["interp", "jit"] {
        let out = run_list(&dir, VMS, 40, &["--workers", "1", "--slice", "8", "--engine", engine]);
        assert_eq!(out.status.code(), Some(0), "{engine}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        if stdout != expected {
            let first = stdout.lines().zip(expected.lines()).position(|(a, b)| a != b);
            panic!(
                "{engine}: turns out of order; first difference at line {first:?}: {:?}",
                first.map(|i| (stdout.lines().nth(i), expected.lines().nth(i)))
            );
        }
    }
}

#[test]
fn parked_vms_report_what_they_keep_and_finish_like_resident_ones() {
    let dir = scratch("many_vms_stats");
    std::fs::write(dir.join("ticker.s"), TICKER).unwrap();
    let crowded = run_list(&dir, 50, 3, &["--workers", "2", "--slice", "8", "--stats"]);
    let roomy = run_list(&dir, 50, 1000, &["--workers", "2", "--slice", "8", "--stats"]);
    assert_eq!(crowded.status.code(), Some(0), "{}", text(&crowded.stderr));
    let sorted = |o: &Output| {
        let mut lines: Vec<String> = text(&o.stdout).lines().map(String::from).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&crowded), sorted(&roomy), "the same lines, however the VMs were held");
    for (name, out) in [("crowded", &crowded), ("roomy", &roomy)] {
        let stats = text(&out.stderr);
        for vm in 1..=50 {
            let line = stats
                .lines()
                .find(|l| l.starts_with(&format!("vm{vm}: ")) && l.contains("instructions"))
                .unwrap_or_else(|| panic!("{name}: no figures for vm{vm}:\n{stats}"));
            assert!(line.contains(" 35 instructions") && line.contains("5 turns of 8"), "{name}: {line}");
            // The text's page: the program touches neither data nor stack.
            assert!(line.contains(", 4 KiB of guest memory resident"), "{name}: {line}");
        }
    }
}
