//! gdb against real `myvmm --gdb` processes, driven by a real
//! `gdb-multiarch` in batch mode (installed from Debian's packages when
//! absent): source-level debugging of an assembly program through the
//! `--emit-elf` file (break at `main` and at `file.s:N`, list, step, next,
//! finish, conditional breakpoints, registers and memory read and written),
//! under both engines while another VM runs to its end; exact stops in JIT
//! code; Ctrl-C; a fault stopping with its signal; detach handing the VM back;
//! and a C program built with `-g`.

#[path = "support/cross.rs"]
mod cross;
mod support;

use cross::{ensure_gdb, ensure_tools, run};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{free_port, scratch, text};

const SQUARES: &str = "asm/gdb/squares.s";

/// The 1-based number of the first line of `file` containing `needle`.
fn line_of(file: &str, needle: &str) -> usize {
    let source = std::fs::read_to_string(file).unwrap();
    source.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("`{needle}` in {file}")) + 1
}

/// A `myvmm --gdb` process: its stderr collected as it comes.
struct Debuggee {
    child: Child,
    stderr: Arc<Mutex<String>>,
    port: u16,
}

impl Debuggee {
    /// Starts `myvmm --gdb PORT ARGS` in `dir` and waits until it listens.
    fn start(dir: &Path, args: &[&str]) -> Debuggee {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .current_dir(dir)
            .env("MYVMM_JIT_HOT", "1")
            .arg("--gdb")
            .arg(format!("127.0.0.1:{port}"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let start = Instant::now();
        while !stderr.lock().unwrap().contains("waiting for gdb") {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "myvmm never listened: {}",
                stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        Debuggee { child, stderr, port }
    }

    /// Waits for the process to end: its stdout, stderr and exit status.
    fn finish(mut self) -> (String, String, Option<i32>) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("myvmm did not end: {}", self.stderr.lock().unwrap());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut stdout = String::new();
        std::io::Read::read_to_string(&mut self.child.stdout.take().unwrap(), &mut stdout).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let stderr = self.stderr.lock().unwrap().clone();
        (stdout, stderr, status.code())
    }
}

/// gdb-multiarch in batch mode on `elf` (if any) with `commands`, after
/// connecting to `port`; its output (stdout and stderr together).
fn gdb(dir: &Path, elf: Option<&Path>, port: u16, commands: &[&str]) -> String {
    ensure_gdb();
    let script = dir.join("commands.gdb");
    let mut lines = vec![format!("target remote 127.0.0.1:{port}")];
    lines.extend(commands.iter().map(|c| c.to_string()));
    std::fs::write(&script, lines.join("\n") + "\n").unwrap();
    let mut cmd = Command::new("timeout");
    cmd.current_dir(dir).args(["60", "gdb-multiarch", "-nx", "-batch", "-x"]).arg(&script);
    if let Some(elf) = elf {
        cmd.arg(elf);
    }
    let out = run(&mut cmd);
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

/// `myvmm --emit-elf` of `source` (a file in `dir`) into `dir`.
fn emit(dir: &Path, source: &str) -> PathBuf {
    let elf = dir.join(Path::new(source).with_extension("elf"));
    let out = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(dir)
        .arg("--emit-elf")
        .arg(&elf)
        .arg(source)
        .output()
        .unwrap();
    assert!(out.status.success(), "--emit-elf: {}", text(&out.stderr));
    elf
}

fn copy_in(dir: &Path, source: &str) -> String {
    let name = Path::new(source).file_name().unwrap().to_str().unwrap().to_string();
    std::fs::copy(source, dir.join(&name)).unwrap();
    name
}

/// Asserts every needle occurs in `haystack`, in order.
fn assert_in_order(haystack: &str, needles: &[&str], context: &str) {
    let mut at = 0;
    for needle in needles {
        match haystack[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("`{needle}` missing (after byte {at}) in {context}:\n{haystack}"),
        }
    }
}

#[test]
fn source_level_session_under_both_engines_while_another_vm_runs() {
    let first = line_of(SQUARES, "la      $s0, values");
    let call = line_of(SQUARES, "jal     square");
    let back = line_of(SQUARES, "# back from square");
    let mul = line_of(SQUARES, "mul     $v0");
    for engine in ["interp", "jit"] {
        let dir = scratch(&format!("gdb_session_{engine}"));
        let source = copy_in(&dir, SQUARES);
        let elf = emit(&dir, &source);
        let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("asm/mars/loops.s");
        let vm = Debuggee::start(&dir, &["--engine", engine, "-v", &source, "-v", other.to_str().unwrap()]);
        let session = gdb(
            &dir,
            Some(&elf),
            vm.port,
            &[
                "info line",
                "step",
                "break main",
                &format!("break {source}:{mul}"),
                "list square",
                "continue",
                "print $a0",
                "backtrace",
                "finish",
                "next",
                "next",
                "continue",
                "print $a0",
                "delete",
                // gdb moves this onto the `jal` (it takes the line after a
                // jump for a delay slot); it stops before the call, and
                // `next` steps over the call to the line.
                &format!("break {source}:{back} if $s3 == 7"),
                "continue",
                "print $s2",
                "print $v0",
                "next",
                "print $v0",
                "next",
                "print $s2",
                "set var $s2 = 1000",
                "print (char *)&total_is",
                "set var *(char *)&total_is = 'T'",
                "x/2i $pc",
                "stepi",
                "print $s3",
                "print $f0",
                "delete",
                "continue",
            ],
        );
        let context = format!("gdb under {engine}");
        assert_in_order(
            &session,
            &[
                &format!("Line {first} of \"{source}\" starts at address 0x400000 <main>"),
                // `la` is two instructions: `step` runs both.
                &format!("{}\t        lw      $s1, count", first + 1),
                &format!("Breakpoint 1 at 0x400000: file {source}, line {first}."),
                &format!("Breakpoint 2 at 0x40006c: file {source}, line {mul}."),
                "37\tsquare:",
                &format!("Breakpoint 2, square () at {source}:{mul}"),
                "$1 = 3",
                &format!("#0  square () at {source}:{mul}"),
                &format!("#1  0x00400028 in main () at {source}:{call}"),
                &format!("main () at {source}:{call}"),
                &format!("{back}\t        addu    $s2, $s2, $v0"),
                &format!("{}\t        addiu   $s3, $s3, 1", back + 1),
                &format!("Breakpoint 2, square () at {source}:{mul}"),
                "$2 = 1",
                &format!("Breakpoint 3, main () at {source}:{call}"),
                // 9 + 1 + 16 + 1 + 25 + 81 + 4 before the last square.
                "$3 = 137",
                "$4 = 4",
                "$5 = 36",
                &format!("{back}\t        addu    $s2, $s2, $v0"),
                "$6 = 137",
                "$7 = 0x10010024 \"total = \"",
                "=> 0x400028 <main+40>:\taddu\ts2,s2,v0",
                &format!("{}\t        addiu   $s3, $s3, 1", back + 1),
                "$8 = 7",
                "$9 = 0",
                "[Inferior 1 (process 1) exited with code 03]",
            ],
            &context,
        );
        let (stdout, stderr, status) = vm.finish();
        assert_eq!(status, Some(3), "{context}: {stderr}");
        let other_out = std::fs::read_to_string("asm/mars/loops.out").unwrap();
        let other_lines: Vec<String> = other_out.lines().map(|l| format!("[vm2] {l}")).collect();
        let theirs: Vec<&str> = stdout.lines().filter(|l| l.starts_with("[vm2] ")).collect();
        assert_eq!(theirs, other_lines, "{context}: the other VM's output whole\n{stdout}");
        // $s2 = 1000 before the last addition of 36; memory written too.
        assert!(stdout.contains("[vm1] Total = 1036\n"), "{context}: registers and memory written\n{stdout}");
        // The other VM ran to its end while vm1 was held by gdb.
        let last_other = stdout.rfind("[vm2] ").unwrap();
        let first_mine = stdout.find("[vm1] ").unwrap();
        assert!(last_other < first_mine, "{context}: vm2 waited for vm1\n{stdout}");
    }
}

/// A loop of two instructions: `$t0` counts its passes.
const SPIN: &str = "main:   li    $t0, 0
loop:   addiu $t0, $t0, 1
        b     loop
";

#[test]
fn breakpoints_and_steps_stop_exactly_in_jit_code() {
    for engine in ["jit", "interp"] {
        let dir = scratch(&format!("gdb_exact_{engine}"));
        std::fs::write(dir.join("spin.s"), SPIN).unwrap();
        let elf = emit(&dir, "spin.s");
        let vm = Debuggee::start(&dir, &["--engine", engine, "spin.s"]);
        let session = gdb(
            &dir,
            Some(&elf),
            vm.port,
            &[
                // Let the loop get hot (compiled) first, then stop in it.
                "stepi 1000",
                "print $t0",
                "break *0x400004",
                "continue",
                "print $t0",
                "continue",
                "print $t0",
                "continue 100",
                "print $t0",
                "delete",
                "stepi 1001",
                "print $t0",
                "print/x $pc",
                "kill",
            ],
        );
        let context = format!("gdb under {engine}");
        // `li`, then (`addiu`, `b`) pairs: 1000 steps leave $t0 = 500 at
        // the `b`; each pass stops before the `addiu`.
        assert_in_order(
            &session,
            &["$1 = 500", "$2 = 500", "$3 = 501", "$4 = 601", "$5 = 1102", "$6 = 0x400008"],
            &context,
        );
        let (_, stderr, _) = vm.finish();
        assert!(stderr.contains("vm1: killed from gdb"), "{context}: {stderr}");
    }
}

#[test]
fn ctrl_c_interrupts_a_running_vm_and_faults_stop_with_their_signal() {
    ensure_gdb();
    let dir = scratch("gdb_interrupt");
    std::fs::write(dir.join("spin.s"), SPIN).unwrap();
    let vm = Debuggee::start(&dir, &["spin.s"]);
    let script = dir.join("interrupt.gdb");
    std::fs::write(
        &script,
        format!("target remote 127.0.0.1:{}\ncontinue\nprint/x $pc\nprint $t0 != 0\nkill\n", vm.port),
    )
    .unwrap();
    let session = Command::new("gdb-multiarch")
        .current_dir(&dir)
        .args(["-nx", "-batch", "-x"])
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once gdb is connected (and has said `continue`), the VM runs.
    let start = Instant::now();
    while !vm.stderr.lock().unwrap().contains("gdb connected") {
        assert!(start.elapsed() < Duration::from_secs(30), "gdb never connected");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(700));
    // What a Ctrl-C at gdb's terminal does: gdb sends the stub an interrupt.
    support::signal(session.id(), libc::SIGINT);
    let out = session.wait_with_output().unwrap();
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_in_order(
        &said,
        &["Program received signal SIGINT, Interrupt.", "$1 = 0x40000", "$2 = 1"],
        "Ctrl-C",
    );
    let (_, stderr, _) = vm.finish();
    assert!(stderr.contains("killed from gdb"), "{stderr}");

    let dir = scratch("gdb_fault");
    std::fs::write(
        dir.join("fault.s"),
        "main: li $t1, 0\n      li $t0, 5\n      lw $t2, 0($t1)\n      li $v0, 10\n      syscall\n",
    )
    .unwrap();
    let vm = Debuggee::start(&dir, &["fault.s"]);
    let said = gdb(&dir, None, vm.port, &["continue", "print/x $pc", "print $t0", "continue"]);
    assert_in_order(
        &said,
        &[
            "Program received signal SIGSEGV, Segmentation fault.",
            "$1 = 0x400008",
            "$2 = 5",
            "Program terminated with signal SIGSEGV, Segmentation fault.",
        ],
        "fault",
    );
    let (_, stderr, status) = vm.finish();
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("vm1 faulted: load from unmapped address 0x00000000 at pc 0x00400008"),
        "{stderr}"
    );
}

#[test]
fn detach_hands_the_vm_back_to_the_scheduler() {
    let dir = scratch("gdb_detach");
    let source = copy_in(&dir, SQUARES);
    let elf = emit(&dir, &source);
    let vm = Debuggee::start(&dir, &[&source]);
    let said =
        gdb(&dir, Some(&elf), vm.port, &["break square", "continue", "continue", "print $a0", "detach"]);
    assert_in_order(&said, &["$1 = 1", "[Inferior 1 (process 1) detached]"], "detach");
    let (stdout, stderr, status) = vm.finish();
    assert_eq!((stdout.as_str(), status), ("total = 173\n", Some(3)), "{stderr}");
}

/// The C example of docs/gdb.md: its `count.c` built with `-g`, its
/// commands run, the lines it shows printed.
#[test]
fn a_c_program_built_with_debug_information() {
    ensure_tools();
    let doc = std::fs::read_to_string("docs/gdb.md").unwrap();
    let after_c = doc.split("```c\n").nth(1).expect("the C example");
    let source = after_c.split("```").next().unwrap();
    let session = after_c.split("```text\n").nth(1).unwrap().split("```").next().unwrap();
    let commands: Vec<&str> = session.lines().filter_map(|l| l.strip_prefix("(gdb) ")).collect();
    let shown: Vec<&str> =
        session.lines().filter(|l| !l.starts_with("(gdb) ") && !l.starts_with("$ ")).collect();
    assert!(session.contains("$ myvmm --gdb 1234 count -- ten\n"), "{session}");
    let dir = scratch("gdb_c");
    std::fs::write(dir.join("count.c"), source).unwrap();
    let built = run(Command::new("mipsel-linux-gnu-gcc")
        .current_dir(&dir)
        .args(["-static", "-g", "-O0", "-o", "count", "count.c"]));
    assert!(built.status.success(), "gcc: {}", text(&built.stderr));
    let vm = Debuggee::start(&dir, &["count", "--", "ten"]);
    let said = gdb(&dir, Some(&dir.join("count")), vm.port, &commands);
    assert_in_order(&said, &shown, "the C example of docs/gdb.md");
    let (stdout, stderr, status) = vm.finish();
    assert_eq!((stdout.as_str(), status), ("sum 90 of ten\n", Some(7)), "{stderr}");
}

/// gdb steps MIPS code by breakpoints where it computes the next
/// instruction, assuming delay slots; the stub keeps single steps exact for
/// programs without them (a branch not taken stops at the next word, even
/// when that is a jump gdb takes for a delay slot) and with them.
#[test]
fn single_steps_over_branches_with_and_without_delay_slots() {
    let without = "main:   li    $t0, 1
        beq   $t0, $zero, skip
        j     over
skip:   li    $t1, 5
over:   li    $t1, 7
        li    $v0, 10
        syscall
";
    // GNU-style: the `addiu` after each branch is its delay slot.
    let with = "        .set noreorder
main:   li    $t0, 1
        beq   $t0, $zero, skip
        addiu $t2, $zero, 3
        j     over
        addiu $t2, $t2, 4
skip:   li    $t1, 5
over:   li    $t1, 7
        li    $v0, 10
        syscall
        nop
";
    for (name, source, expected) in [
        // beq not taken → the `j`; the `j` → `over`.
        ("without", without, ["$1 = 0x400008", "$2 = 0x400010", "$3 = 7"]),
        // beq and its slot → the `j`; the `j` and its slot → `over`.
        ("with", with, ["$1 = 0x40000c", "$2 = 0x400018", "$3 = 7"]),
    ] {
        let dir = scratch(&format!("gdb_branches_{name}"));
        std::fs::write(dir.join("branches.s"), source).unwrap();
        let elf = emit(&dir, "branches.s");
        let vm = Debuggee::start(&dir, &["--engine", "jit", "branches.s"]);
        let said = gdb(
            &dir,
            Some(&elf),
            vm.port,
            &["stepi", "stepi", "print/x $pc", "stepi", "print/x $pc", "stepi", "print $t1", "continue"],
        );
        let mut needles: Vec<&str> = expected.to_vec();
        needles.push("[Inferior 1 (process 1) exited normally]");
        assert_in_order(&said, &needles, name);
        let (_, stderr, status) = vm.finish();
        assert_eq!(status, Some(0), "{name}: {stderr}");
    }
}

/// The worked session in docs/gdb.md, replayed: its `(gdb)` commands run
/// against a real VM, and every output line it shows must come, in order
/// (gdb's warnings go to stderr and are left out of the comparison).
#[test]
fn the_worked_session_in_the_docs_is_true() {
    let doc = std::fs::read_to_string("docs/gdb.md").unwrap();
    let block =
        doc.split("```gdb-session\n").nth(1).expect("a gdb-session block").split("```").next().unwrap();
    let mut lines = block.lines();
    let start = lines.next().unwrap();
    assert!(start.starts_with("$ gdb-multiarch -q squares.elf -ex 'target remote :1234'"), "{start}");
    let mut commands = Vec::new();
    let mut shown = Vec::new();
    for line in lines {
        match line.strip_prefix("(gdb) ") {
            Some(command) => commands.push(command.to_string()),
            None if line.starts_with("warning: ") || line.is_empty() => {}
            None => shown.push(line.to_string()),
        }
    }
    assert!(commands.len() > 10, "the session has its commands");
    let dir = scratch("gdb_docs");
    let elf = dir.join("squares.elf");
    // As the doc does, from the project folder.
    let written = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .args(["--emit-elf", elf.to_str().unwrap(), SQUARES])
        .output()
        .unwrap();
    assert!(written.status.success(), "{}", text(&written.stderr));
    let vm = Debuggee::start(Path::new(env!("CARGO_MANIFEST_DIR")), &[SQUARES]);
    ensure_gdb();
    let script = dir.join("session.gdb");
    let mut all = vec![format!("target remote 127.0.0.1:{}", vm.port)];
    all.extend(commands);
    std::fs::write(&script, all.join("\n") + "\n").unwrap();
    let out = run(Command::new("gdb-multiarch").args(["-nx", "-batch", "-x"]).arg(&script).arg(&elf));
    let said = text(&out.stdout);
    let printed: Vec<&str> = said.lines().filter(|l| !l.is_empty()).collect();
    let mut at = 0;
    for line in &shown {
        match printed[at..].iter().position(|p| p.trim_end() == line.trim_end()) {
            Some(i) => at += i + 1,
            None => panic!("docs/gdb.md shows `{line}`, which gdb did not print (in order):\n{said}"),
        }
    }
    let (stdout, stderr, status) = vm.finish();
    assert_eq!((stdout.as_str(), status), ("total = 1000\n", Some(3)), "{stderr}");
}
