//! Hostile source and input files end in a refusal, never in a crash, a
//! hang or an exhausted host (issue 9, finding 4). Each reproducer runs the
//! real `myvmm` binary and checks: exit status 2, a message naming the file
//! (and line and column where there is one), no panic or abort, a quick end,
//! and the child's peak resident memory (from `wait4`) under 64 MiB plus
//! what the VM's memory limit allows.

use std::ffi::CString;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Host memory any run may use beyond its VM's guest memory.
const BASE_RSS: u64 = 64 << 20;
/// A refusal must come well within this.
const DEADLINE: Duration = Duration::from_secs(20);

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
    /// Peak resident set of the child, in bytes.
    max_rss: u64,
    took: Duration,
}

/// Runs `myvmm args` in `dir`, killing it at [`DEADLINE`]; measures the
/// child's own peak RSS through `wait4` (per child, unlike
/// `getrusage(RUSAGE_CHILDREN)`, which mixes in every other test's children).
#[allow(clippy::zombie_processes, reason = "reaped by wait4, which also reports its rusage")]
fn myvmm(dir: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myvmm starts");
    let pid = child.id() as libc::pid_t;
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped (std never waits for
        // it: `child` is only dropped); both pointers are valid for the call.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        if start.elapsed() > DEADLINE {
            // SAFETY: signalling our own unreaped child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("myvmm {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = start.elapsed();
    assert!(libc::WIFEXITED(status), "myvmm {args:?} died of signal {}", libc::WTERMSIG(status));
    Run {
        status: libc::WEXITSTATUS(status),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        max_rss: usage.ru_maxrss as u64 * 1024,
        took,
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("limits").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Expects a refusal (exit 2) whose stderr holds every needle, quickly and
/// within `allowed` bytes of guest memory plus [`BASE_RSS`].
fn refused(dir: &Path, args: &[&str], needles: &[&str], allowed: u64) -> Run {
    let run = myvmm(dir, args);
    let err = &run.stderr;
    assert_eq!(run.status, 2, "myvmm {args:?}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "myvmm {args:?}: stderr lacks {needle:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(run.stdout.is_empty(), "nothing may run: {}", run.stdout);
    assert!(run.took < Duration::from_secs(10), "myvmm {args:?} took {:?}", run.took);
    assert!(run.max_rss < BASE_RSS + allowed, "myvmm {args:?} peaked at {} MiB resident", run.max_rss >> 20);
    run
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write reproducer");
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).expect("no NUL in path");
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let r = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(r, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

#[test]
fn deeply_nested_expressions_are_refused_not_a_stack_overflow() {
    let dir = scratch("nesting");
    let parens = format!("main: li $t0, {}1{}\n", "(".repeat(20_000), ")".repeat(20_000));
    write(&dir, "parens.s", &parens);
    refused(&dir, &["-v", "parens.s"], &["parens.s:1:", "nests too deeply", "^"], 0);
    write(&dir, "minus.s", &format!("main:\n  li $t0, {}1\n", "-".repeat(50_000)));
    refused(&dir, &["-v", "minus.s"], &["minus.s:2:", "nests too deeply"], 0);
    // A flat chain recurses only when evaluated: bounded by its length.
    let chain = format!("main: li $t0, {}\n", vec!["x"; 50_000].join("+"));
    write(&dir, "chain.s", &chain);
    refused(&dir, &["-v", "chain.s"], &["chain.s:1:", "expression is too long"], 0);
}

#[test]
fn doubling_eqvs_and_macro_arguments_are_refused_before_they_grow() {
    let dir = scratch("expansion");
    let mut eqv = String::from(".eqv A0 x\n");
    for i in 1..40 {
        eqv.push_str(&format!(".eqv A{i} A{} A{}\n", i - 1, i - 1));
    }
    eqv.push_str("main: nop\n");
    write(&dir, "eqv.s", &eqv);
    refused(&dir, &["-v", "eqv.s"], &["eqv.s:19:", "`.eqv`", "longer than 256 KiB"], 0);
    let mut mac = String::from(".macro m0(%a)\n  nop\n.end_macro\n");
    for i in 1..=32 {
        mac.push_str(&format!(".macro m{i}(%a)\n  m{}(%a%a)\n.end_macro\n", i - 1));
    }
    mac.push_str("main: m32(x)\n");
    write(&dir, "macro.s", &mac);
    refused(&dir, &["-v", "macro.s"], &["macro.s:100:7", "macro argument substitution"], 0);
    // Many lines each expanding a large (allowed) value: the total is bounded.
    let mut many = format!(".eqv BIG 1{}+1\nmain: nop\n.data\n", " ".repeat(120_000));
    many.push_str(&".word BIG\n".repeat(3000));
    write(&dir, "many.s", &many);
    refused(&dir, &["-v", "many.s"], &["many.s:", "more than 128 MiB of text"], 0);
    // Every call scans its name's definitions: their number is bounded.
    let mut overloads = String::new();
    for _ in 0..20_000 {
        overloads.push_str(".macro m(%a)\n  nop\n.end_macro\n");
    }
    overloads.push_str("main: m($t0)\n");
    write(&dir, "overloads.s", &overloads);
    refused(&dir, &["-v", "overloads.s"], &["overloads.s:49:1", "defined more than 16 times"], 0);
    // A long body line without parameters counts as much as a long argument.
    let mut body = format!(".macro long\n  .word 1{}+1\n.end_macro\nmain: nop\n.data\n", " ".repeat(200_000));
    body.push_str(&"long\n".repeat(3000));
    write(&dir, "body.s", &body);
    refused(&dir, &["-v", "body.s"], &["body.s:", "more than 128 MiB of text"], 0);
}

#[test]
fn typo_hints_stay_cheap_with_many_symbols() {
    // Each "did you mean" costs an edit distance per defined name; 50 errors
    // against 50,000 names took tens of seconds before hints were bounded.
    let dir = scratch("hints");
    let mut text = String::from("main: nop\n");
    for i in 0..60 {
        text.push_str(&format!("  j undefined_label_number_{i:06}\n"));
    }
    for i in 0..50_000 {
        text.push_str(&format!("defined_label_number_{i:010}: nop\n"));
    }
    write(&dir, "hints.s", &text);
    refused(
        &dir,
        &["-v", "hints.s"],
        &["hints.s:2:5", "undefined symbol `undefined_label_number_000000`"],
        0,
    );
}

#[test]
fn huge_static_data_is_refused_before_it_is_allocated() {
    let dir = scratch("static_data");
    let three = ".data\n.space 0x40000000\n.space 0x40000000\n.space 0x40000000\n.text\nmain: nop\n";
    write(&dir, "space.s", three);
    refused(&dir, &["-v", "space.s"], &["space.s:2:7", "static data would take", "vm_memory_limit_mb"], 0);
    write(&dir, "skip.s", "main: nop\n.skip 0x40000000\n");
    refused(&dir, &["-v", "skip.s"], &["skip.s:2:6", "the text segment would take"], 0);
    // The VM's own limit is the cap, named at the line that crosses it.
    write(&dir, "small.s", ".data\nbuf: .space 0x800000\nmore: .word 1:0x200000\n.text\nmain: nop\n");
    write(&dir, "small.cfg", "vm_binary=small.s\nvm_memory_limit_mb=16\n");
    refused(
        &dir,
        &["-v", "small.cfg"],
        &["small.s:3:", "static data would take", "at most 12 MiB"],
        16 << 20,
    );
    // Repeated symbolic values share one expression; their count is bounded.
    let repeats =
        ".data\n.word lbl:400000\n.word lbl:400000\n.word lbl:400000\nlbl: .word 0\n.text\nmain: nop\n";
    write(&dir, "repeats.s", repeats);
    let run = refused(&dir, &["-v", "repeats.s"], &["repeats.s:4:7", "too many values to resolve"], 0);
    assert!(!run.stderr.contains("undefined symbol"), "no errors after stopping: {}", run.stderr);
    write(&dir, "comm.s", ".comm a, 0x3f000000\n.comm b, 0x3f000000\nmain: nop\n");
    refused(&dir, &["-v", "comm.s"], &["comm.s:2:", "static data would take"], 0);
}

#[test]
fn large_zeroed_data_within_the_limit_is_not_written_by_the_assembler() {
    let dir = scratch("zeroed");
    let text = ".data\nfirst: .word 7\nbuf: .space 0x10000000\n.bss\nmore: .space 0x8000000\n\
                .text\nmain: la $t0, first\nlw $a0, 0($t0)\nli $v0, 1\nsyscall\n";
    write(&dir, "zeroed.s", text);
    let run = myvmm(&dir, &["-v", "zeroed.s"]);
    assert_eq!((run.status, run.stdout.as_str()), (0, "7"), "{}", run.stderr);
    // 384 MiB of zeros: the guest's copy may be resident, the assembler's may not.
    assert!(run.max_rss < BASE_RSS + (384 << 20), "peaked at {} MiB", run.max_rss >> 20);
}

#[test]
fn devices_fifos_and_huge_files_are_refused_without_reading_them() {
    let dir = scratch("inputs");
    refused(&dir, &["-v", "/dev/zero"], &["cannot read `/dev/zero`", "character device"], 0);
    write(&dir, "zero.cfg", "vm_exec_slice_in_instructions=5\nvm_binary=/dev/zero\n");
    refused(&dir, &["-v", "zero.cfg"], &["zero.cfg:2", "`/dev/zero`", "character device"], 0);
    write(&dir, "inc.s", "main: nop\n.include \"/dev/zero\"\n");
    refused(&dir, &["-v", "inc.s"], &["inc.s:2:10", "`/dev/zero`", "character device"], 0);
    refused(&dir, &["--listing", "/dev/zero"], &["`/dev/zero`", "character device"], 0);

    mkfifo(&dir.join("fifo"));
    refused(&dir, &["-v", "fifo"], &["cannot read `fifo`", "a FIFO"], 0);
    write(&dir, "fifo.cfg", "vm_binary=fifo\n");
    refused(&dir, &["-v", "fifo.cfg"], &["fifo.cfg:1", "a FIFO"], 0);
    write(&dir, "fifo.s", ".include \"fifo\"\nmain: nop\n");
    refused(&dir, &["-v", "fifo.s"], &["fifo.s:1:10", "a FIFO"], 0);
    refused(&dir, &["-v", "."], &["a folder"], 0);

    // A sparse 65 MiB file: refused by its size, never read.
    let big = std::fs::File::create(dir.join("big.s")).expect("create");
    big.set_len(65 << 20).expect("sparse file");
    refused(&dir, &["-v", "big.s"], &["cannot read `big.s`", "at most 67108864 bytes"], 0);
    write(&dir, "big.cfg", "vm_binary=big.s\n");
    refused(&dir, &["-v", "big.cfg"], &["big.cfg:1", "at most 67108864 bytes"], 0);
    write(&dir, "incbig.s", "main: nop\n.include \"big.s\"\n");
    refused(&dir, &["-v", "incbig.s"], &["incbig.s:2:10", "would exceed 64 MiB"], 0);
}
