//! The `myvmm` binary end to end: bad input of every kind, many VMs,
//! multi-file programs, listings and file syscalls.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn myvmm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm")).args(args).stdin(Stdio::null()).output().expect("myvmm runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs with `args`, expects exit status `code` and `needle` in stderr.
fn refused(args: &[&str], code: i32, needles: &[&str]) {
    let out = myvmm(args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: stderr lacks {needle:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn config_errors_exit_2_naming_file_line_and_fix() {
    let dir = scratch("config_errors");
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    write("prog.s", "li $t0, 1\n");
    let typo = write("typo.cfg", "vm_binary=prog.s\nvm_exec_slice=5\n");
    refused(
        &["-v", &typo],
        2,
        &["typo.cfg:2", "unknown key `vm_exec_slice`", "did you mean `vm_exec_slice_in_instructions`"],
    );
    let zero = write("zero.cfg", "vm_binary=prog.s\nvm_exec_slice_in_instructions=0\n");
    refused(&["-v", &zero], 2, &["zero.cfg:2", "positive integer"]);
    let words = write("words.cfg", "vm_binary=prog.s\nvm_exec_slice_in_instructions=lots\n");
    refused(&["-v", &words], 2, &["words.cfg:2", "`lots`"]);
    let missing_binary = write("nobinary.cfg", "vm_exec_slice_in_instructions=5\n");
    refused(&["-v", &missing_binary], 2, &["nobinary.cfg", "missing `vm_binary`"]);
    let gone = write("gone.cfg", "vm_binary=does_not_exist.s\n");
    refused(&["-v", &gone], 2, &["does_not_exist.s", "cannot read"]);
    refused(&["-v", "no/such/file.cfg"], 2, &["cannot read `no/such/file.cfg`"]);
}

#[test]
fn usage_errors_exit_2() {
    refused(&[], 2, &["no VM given"]);
    refused(&["--workers", "0", "-v", "asm/mars/hello.s"], 2, &["--workers"]);
    refused(&["--engine", "fast", "-v", "asm/mars/hello.s"], 2, &["fast"]);
    refused(&["--bogus"], 2, &["--bogus"]);
    refused(
        &["--migration-prealloc-mb", "8", "-v", "asm/mars/hello.s"],
        2,
        &["--migration-prealloc-mb", "give --listen"],
    );
    refused(
        &["--listen", "127.0.0.1:0", "--max-migration-mb", "16", "--migration-prealloc-mb", "32"],
        2,
        &["--migration-prealloc-mb 32 is more than --max-migration-mb 16"],
    );
}

#[test]
fn assembly_errors_exit_2_before_anything_runs() {
    let dir = scratch("assembly_errors");
    let bad = dir.join("bad.s");
    std::fs::write(&bad, "main: li $v0, 1\n  addd $t0, $t1, $t2\n  lw $t0, nowhere\n").unwrap();
    let good = "asm/mars/hello.s";
    let out = myvmm(&["-v", good, "-v", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing may run: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("bad.s:2:3"), "{err}");
    assert!(err.contains("did you mean `add`?"), "{err}");
    assert!(err.contains("undefined symbol `nowhere`"), "{err}");
}

#[test]
fn random_bytes_as_assembly_are_refused_cleanly() {
    let dir = scratch("random_bytes");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for round in 0..20 {
        let bytes: Vec<u8> = (0..2000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let path = dir.join(format!("noise{round}.s"));
        std::fs::write(&path, &bytes).unwrap();
        let out = myvmm(&["-v", path.to_str().unwrap()]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("error:") && !err.contains("panicked"), "{err}");
    }
}

#[test]
fn guest_faults_exit_1_and_name_the_source() {
    refused(&["-v", "asm/faults/overflow.s"], 1, &["vm1", "arithmetic overflow", "overflow.s:10", "addi"]);
}

#[test]
fn a_thousand_vms_finish() {
    let mut args = vec!["--workers", "2"];
    for _ in 0..1000 {
        args.extend(["-v", "asm/mars/hello.s"]);
    }
    let out = myvmm(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1000);
    for n in [1, 500, 1000] {
        assert!(stdout.contains(&format!("[vm{n}] Hello, world!\n")), "vm{n} missing");
    }
}

#[test]
fn a_program_of_several_files_with_local_and_global_labels() {
    let dir = scratch("multi_file");
    std::fs::write(
        dir.join("main.s"),
        ".globl main\n.text\nmain: jal helper\nli $v0, 1\nmove $a0, $s0\nsyscall\nj done\nli $s0, 5\ndone: li $v0, 10\nsyscall\n",
    )
    .unwrap();
    // `helper` here is global and called from main.s; `done` is local to each file.
    std::fs::write(dir.join("lib.s"), ".globl helper\nhelper: li $s0, 42\nj done\ndone: jr $ra\n").unwrap();
    std::fs::write(dir.join("prog.cfg"), "vm_binary=main.s lib.s\n").unwrap();
    let out = myvmm(&["-v", dir.join("prog.cfg").to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "42", "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn listing_shows_address_word_disassembly_and_source() {
    let out = myvmm(&["--listing", "asm/coursework/instructions_vm1"]);
    assert_eq!(out.status.code(), Some(0));
    let first = text(&out.stdout).lines().next().unwrap_or_default().to_string();
    assert_eq!(first, "0x00400000  0x24010006  addiu   $at,$zero,6            ; instructions_vm1:1  li $1,6");
}

#[test]
fn file_syscalls_only_inside_the_allowed_folder() {
    let dir = scratch("files");
    let prog = dir.join("files.s");
    std::fs::write(
        &prog,
        r#"        .data
name:   .asciiz "note.txt"
escape: .asciiz "../escape.txt"
text:   .ascii  "kept\n"
buf:    .space  16
        .text
main:   la $a0, escape      # outside the folder: refused
        li $a1, 1
        li $v0, 13
        syscall
        move $a0, $v0
        li $v0, 1
        syscall
        la $a0, name        # write note.txt
        li $a1, 1
        li $v0, 13
        syscall
        move $s0, $v0
        move $a0, $s0
        la $a1, text
        li $a2, 5
        li $v0, 15
        syscall
        move $a0, $s0
        li $v0, 16
        syscall
        la $a0, name        # read it back
        li $a1, 0
        li $v0, 13
        syscall
        move $a0, $v0
        la $a1, buf
        li $a2, 16
        li $v0, 14
        syscall
        la $a0, buf
        li $v0, 4
        syscall
"#,
    )
    .unwrap();
    let allowed = dir.join("allowed");
    std::fs::create_dir_all(&allowed).unwrap();
    let out = myvmm(&["-v", prog.to_str().unwrap(), "--allow-files", allowed.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "-1kept\n", "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(allowed.join("note.txt")).unwrap(), "kept\n");
    assert!(!dir.join("escape.txt").exists());
    // Without --allow-files every open fails.
    let out = myvmm(&["-v", prog.to_str().unwrap()]);
    assert!(text(&out.stdout).starts_with("-1"), "{}", text(&out.stdout));
}

#[test]
fn a_vm_list_names_vms_after_the_v_ones_relative_to_its_folder() {
    let dir = scratch("vm_list");
    std::fs::create_dir_all(dir.join("progs")).unwrap();
    for (name, n) in [("a.s", 1), ("b.s", 2)] {
        let source = format!("main: li $a0, {n}\nli $v0, 1\nsyscall\nli $a0, 10\nli $v0, 11\nsyscall\n");
        std::fs::write(dir.join("progs").join(name), source).unwrap();
    }
    std::fs::write(dir.join("progs/list.txt"), "# two VMs\na.s\n\nb.s   # the second\na.s\n").unwrap();
    let first = dir.join("progs/b.s");
    let list = dir.join("progs/list.txt");
    let out = myvmm(&["--workers", "1", "-v", first.to_str().unwrap(), "--vm-list", list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in ["[vm1] 2", "[vm2] 1", "[vm3] 2", "[vm4] 1"] {
        assert!(stdout.contains(line), "{line} missing:\n{stdout}");
    }
    assert!(!stdout.contains("[vm5]"), "{stdout}");
    // A line that is neither `VM` nor `VM SNAPSHOT` is named.
    std::fs::write(dir.join("progs/bad.txt"), "a.s\na.s b.snap extra\n").unwrap();
    let bad = dir.join("progs/bad.txt");
    refused(&["--vm-list", bad.to_str().unwrap()], 2, &["bad.txt:2", "VM SNAPSHOT"]);
    refused(&["--vm-list", dir.join("missing.txt").to_str().unwrap()], 2, &["missing.txt"]);
}

#[test]
fn a_sleeping_vm_does_not_hold_up_the_others() {
    let dir = scratch("sleep");
    let print = |word: &str| format!(".data\nw: .asciiz \"{word}\\n\"\n.text\n");
    let sleeper = print("late") + "main: li $a0, 1500\nli $v0, 32\nsyscall\nla $a0, w\nli $v0, 4\nsyscall\n";
    let runner = print("early") + "main: la $a0, w\nli $v0, 4\nsyscall\n";
    std::fs::write(dir.join("sleeper.s"), sleeper).unwrap();
    std::fs::write(dir.join("runner.s"), runner).unwrap();
    let (a, b) = (dir.join("sleeper.s"), dir.join("runner.s"));
    let start = std::time::Instant::now();
    let out = myvmm(&["--workers", "1", "-v", a.to_str().unwrap(), "-v", b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // One worker: VM 1 sleeps first, yet VM 2 runs and ends meanwhile.
    assert_eq!(text(&out.stdout), "[vm2] early\n[vm1] late\n");
    assert!(start.elapsed() >= std::time::Duration::from_millis(1500), "the sleep happened");
}

#[test]
fn more_vms_than_the_host_can_hold_are_refused_before_anything_runs() {
    let dir = scratch("host_limits");
    // 7.6 MiB of data that is not zero: every VM holds it, even parked.
    std::fs::write(dir.join("big.s"), ".data\nbig: .word 7:2000000\n.text\nmain: li $v0, 10\nsyscall\n")
        .unwrap();
    std::fs::write(dir.join("many.txt"), "big.s\n".repeat(5000)).unwrap();
    let sh = |script: String| {
        let out = Command::new("sh").args(["-c", &script]).stdin(Stdio::null()).output().expect("sh runs");
        (out.status.code(), text(&out.stderr))
    };
    let myvmm = env!("CARGO_BIN_EXE_myvmm");
    // 5,000 of them need 38 GiB: more than `ulimit -v` leaves beside the
    // running VMs' reservations. Refused before any VM is built.
    let start = std::time::Instant::now();
    let list = dir.join("many.txt");
    let (code, err) = sh(format!("ulimit -v 40000000 && exec {myvmm} --vm-list {}", list.display()));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("5000 VMs need at least") && err.contains("ulimit -v"), "{err}");
    assert!(err.contains("run at most"), "says how many fit: {err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "refused at once, not after building VMs");
    // Not even one running VM fits 5.7 GiB of address space.
    let (code, err) = sh(format!("ulimit -v 6000000 && exec {myvmm} -v {}", dir.join("big.s").display()));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("a running VM needs") && err.contains("ulimit -v"), "{err}");
    // And far more VMs than a process could hold reservations or mappings
    // for are not refused: parked VMs hold neither (tests/many_vms.rs).
}

#[test]
fn help_documents_every_option() {
    use clap::CommandFactory;
    let out = myvmm(&["--help"]);
    let help = text(&out.stdout);
    let command = myvmm::cli::args::Args::command();
    let longs: Vec<&str> = command.get_arguments().filter_map(|a| a.get_long()).collect();
    assert!(longs.len() > 20, "the options are found: {longs:?}");
    for long in longs {
        let option = format!("--{long}");
        assert!(help.contains(&option), "--help lacks {option}");
    }
    for needle in ["--version", "myvmm ctl SOCKET", "--emit-elf <OUT> <PROGRAM>"] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

/// `--emit-elf`: a program in, an ELF with its symbols out; clear errors
/// for everything else, and nothing half-written.
#[test]
fn emit_elf_writes_an_executable_with_symbols_or_says_why_not() {
    use object::{Object, ObjectSection, ObjectSymbol};
    let dir = std::env::temp_dir().join(format!("myvmm-emit-elf-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("squares.elf");
    let out = myvmm(&["--emit-elf", out_path.to_str().unwrap(), "asm/gdb/squares.s"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bytes = std::fs::read(&out_path).unwrap();
    let file = object::File::parse(&*bytes).unwrap();
    assert_eq!(file.architecture(), object::Architecture::Mips);
    assert!(file.is_little_endian());
    assert_eq!(file.entry(), 0x0040_0000);
    let symbol = |name: &str| file.symbols().find(|s| s.name() == Ok(name)).map(|s| (s.address(), s.kind()));
    assert_eq!(symbol("main"), Some((0x0040_0000, object::SymbolKind::Text)));
    assert_eq!(symbol("square").map(|s| s.1), Some(object::SymbolKind::Text));
    assert_eq!(symbol("total_is"), Some((0x1001_0024, object::SymbolKind::Data)));
    for section in [".text", ".data", ".debug_line", ".debug_info"] {
        assert!(file.section_by_name(section).is_some(), "{section}");
    }
    // The text is the program's, word for word (as the listing shows it).
    let text_bytes = file.section_by_name(".text").unwrap().data().unwrap().to_vec();
    let listing = text(&myvmm(&["--listing", "asm/gdb/squares.s"]).stdout);
    let first_word = listing.lines().find_map(|l| l.split_whitespace().nth(1)).unwrap();
    let first_word = u32::from_str_radix(first_word.trim_start_matches("0x"), 16).unwrap();
    assert_eq!(first_word, u32::from_le_bytes(text_bytes[..4].try_into().unwrap()));

    let refused = |args: &[&str], needle: &str| {
        let out = myvmm(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    refused(&["--emit-elf", "x.elf"], "--emit-elf OUT needs exactly one program");
    refused(
        &["--emit-elf", "x.elf", "-v", "asm/mars/hello.s", "-v", "asm/mars/loops.s"],
        "exactly one program",
    );
    refused(
        &["--emit-elf", out_path.to_str().unwrap(), out_path.to_str().unwrap()],
        "is already an ELF executable",
    );
    let bad = dir.join("bad.s");
    std::fs::write(&bad, "main: addu $t0, $t1\n").unwrap();
    let kept = dir.join("kept.elf");
    std::fs::write(&kept, "old").unwrap();
    refused(&["--emit-elf", kept.to_str().unwrap(), bad.to_str().unwrap()], "bad.s:1");
    assert_eq!(std::fs::read(&kept).unwrap(), b"old", "a failed --emit-elf leaves OUT alone");
    refused(
        &["--emit-elf", "/nonexistent-folder/x.elf", "asm/gdb/squares.s"],
        "cannot write `/nonexistent-folder/x.elf`",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A loop whose alignment check on entry fails (its misaligned base is on
/// a path never taken) is translated again with the check in its body: it
/// still runs translated, not an instruction at a time in the interpreter.
#[test]
fn a_loop_whose_entry_check_fails_still_runs_translated() {
    let out = myvmm(&["-v", "asm/semantics/loop_check_fails.s", "--stats"]);
    assert_eq!(text(&out.stdout), "600000\n");
    let err = text(&out.stderr);
    let share: f64 = err
        .split(" % of instructions in translated code")
        .next()
        .and_then(|head| head.rsplit(", ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no translated share: {err}"));
    assert!(share > 99.0, "{err}");
}

#[test]
fn stats_report_instructions_and_engine() {
    let out = myvmm(&["-v", "asm/mars/loops.s", "--stats", "--engine", "interp"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("vm1: ") && err.contains(" instructions in ") && err.contains("engine interp"),
        "{err}"
    );
    let out = myvmm(&["-v", "asm/mars/loops.s", "--stats"]);
    let err = text(&out.stderr);
    assert!(err.contains("engine jit") && err.contains("blocks compiled in"), "{err}");
    assert!(err.contains("% of instructions in translated code"), "{err}");
    // Which guest registers lived in host registers: the loop's counter is one.
    let pinned = err.split("; pinned ").nth(1).unwrap_or_else(|| panic!("no pinned registers: {err}"));
    assert!(pinned.split_whitespace().any(|r| r.starts_with('$')), "{err}");
    // A lone VM is given many turns at once: the figure counts those it used.
    let out = myvmm(&["-v", "asm/mars/recursion.s", "--stats", "--slice", "7"]);
    let err = text(&out.stderr);
    let line =
        err.lines().find(|l| l.starts_with("vm1: ") && l.contains(" turns of 7")).expect("a turns figure");
    let number = |after: &str| -> u64 {
        let at = line.find(after).unwrap_or_else(|| panic!("{after} in {line}"));
        line[..at].rsplit(' ').next().unwrap().parse().unwrap()
    };
    let (instructions, turns) = (number(" instructions in "), number(" turns of 7"));
    assert_eq!(turns, instructions.div_ceil(7), "{line}");
    assert!(line.contains("KiB of guest memory resident"), "{line}");
}
