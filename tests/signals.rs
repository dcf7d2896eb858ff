//! Ctrl-C and SIGTERM against a real running `myvmm`: every VM stops at an
//! instruction boundary, its output flushed; stderr says where each stood
//! (pc, source line, instructions retired) and, with `--stats`, its
//! figures; the exit status is 130 or 143.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{scratch, signal, text};

/// Counts forever, printing every 65,536th count.
const SPIN: &str = "main:   li   $t0, 0
loop:   addiu $t0, $t0, 1
        andi $t1, $t0, 0xffff
        bnez $t1, loop
        li   $v0, 1
        move $a0, $t0
        syscall
        li   $v0, 11
        li   $a0, 10
        syscall
        b    loop
";

/// Prints a partial line, then waits for an integer that never comes.
const ASK: &str = "main: li $v0, 4
      la $a0, prompt
      syscall
      li $v0, 5
      syscall
      li $v0, 10
      syscall
.data
prompt: .asciiz \"number? \"
";

#[test]
fn sigint_and_sigterm_stop_every_vm_where_it_stands() {
    let dir = scratch("signals");
    std::fs::write(dir.join("spin.s"), SPIN).unwrap();
    std::fs::write(dir.join("ask.s"), ASK).unwrap();
    for (sig, code, name) in [(libc::SIGINT, 130, "SIGINT"), (libc::SIGTERM, 143, "SIGTERM")] {
        for engine in ["interp", "jit"] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
                .current_dir(&dir)
                .args(["--engine", engine, "--stats", "-v", "spin.s", "-v", "ask.s", "-v", "spin.s"])
                // Standard input stays open and empty: VM 2 waits for good.
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdout = child.stdout.take().unwrap();
            // Wait until both counters are under way (each printed a count).
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !(text(&seen).contains("[vm1] ") && text(&seen).contains("[vm3] ")) {
                let n = stdout.read(&mut buf).unwrap();
                assert!(n > 0, "myvmm ended early: {}", text(&seen));
                seen.extend_from_slice(&buf[..n]);
            }
            signal(child.id(), sig);
            let start = Instant::now();
            stdout.read_to_end(&mut seen).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(start.elapsed() < Duration::from_secs(5), "stopped promptly");
            let (stdout, stderr) = (text(&seen), text(&out.stderr));
            let context = format!("{name} {engine}:\n{stderr}");
            assert_eq!(out.status.code(), Some(code), "{context}");
            // VM 2's partial line was flushed, ended as a VM's last line is.
            assert!(stdout.contains("[vm2] number? \n"), "{context}\n{stdout}");
            for vm in [1, 3] {
                let line = stderr
                    .lines()
                    .find(|l| l.starts_with(&format!("vm{vm} stopped at pc 0x004000")))
                    .unwrap_or_else(|| panic!("no stop report for vm{vm}: {context}"));
                assert!(line.contains("(spin.s:") && line.ends_with("instructions retired"), "{line}");
                // The count it reports is the one its last printed line shows or past it.
                let retired: u64 =
                    line.rsplit(", ").next().unwrap().split(' ').next().unwrap().parse().unwrap();
                assert!(retired > 65_536, "{line}");
            }
            assert!(
                stderr.contains("vm2 stopped waiting for input at pc 0x00400018")
                    && stderr.contains("(ask.s:6:"),
                "{context}"
            );
            assert!(stderr.contains(&format!("myvmm: stopped by {name}")), "{context}");
            for vm in 1..=3 {
                assert!(
                    stderr.contains(&format!("vm{vm}: ")) && stderr.contains("MIPS), engine"),
                    "{context}"
                );
            }
        }
    }
}
