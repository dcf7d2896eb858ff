//! Static Linux ELF executables (SPEC §9) against `qemu-mipsel`: every C
//! program in `asm/elf/` (and the hand-written delay-slot program
//! `delay.S`) is built with `mipsel-linux-gnu-gcc -static`, run under
//! qemu-mipsel and under myvmm — both engines, several slices, the JIT also
//! translating every block at once — and stdout and exit status must
//! match; so must what the guest itself writes to stderr. The cross tools
//! are installed from Debian's packages when absent.

#[path = "support/cross.rs"]
mod cross;

use cross::{ensure_tools, ran, run, run_with, Ran};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A folder under the test's target dir, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds `asm/elf/<source>` into `dir` and returns the executable.
fn build(source: &str, dir: &Path) -> PathBuf {
    ensure_tools();
    let src = Path::new("asm/elf").join(source);
    let out = dir.join(Path::new(source).file_stem().unwrap());
    let mut gcc = Command::new("mipsel-linux-gnu-gcc");
    gcc.args(["-static", "-O2", "-o"]).arg(&out).arg(&src);
    if source.ends_with(".S") {
        gcc.args(["-nostdlib", "-mno-abicalls", "-fno-pic"]);
    } else {
        gcc.arg("-lm");
    }
    let built = run(&mut gcc);
    assert!(built.status.success(), "gcc: {}", String::from_utf8_lossy(&built.stderr));
    out
}

/// The environment every program here runs with (qemu-mipsel and myvmm
/// both pass their own on to the guest).
fn environment(cmd: &mut Command) -> &mut Command {
    cmd.env_clear().env("GREETING", "hello there").env("PATH", "/usr/bin:/bin")
}

/// Runs `program` with `args` in `dir` under qemu-mipsel.
fn qemu(program: &Path, args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Ran {
    ran(run_with(environment(Command::new("qemu-mipsel").current_dir(dir).arg(program).args(args)), stdin))
}

/// Runs `program` with `args` in `dir` under myvmm (`extra` options first).
fn myvmm(program: &Path, args: &[&str], dir: &Path, stdin: Option<&[u8]>, extra: &[&str], hot: &str) -> Ran {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_myvmm"));
    environment(&mut cmd)
        .current_dir(dir)
        .env("MYVMM_JIT_HOT", hot)
        .args(extra)
        .arg(program)
        .arg("--")
        .args(args);
    ran(run_with(&mut cmd, stdin))
}

/// The guest's own stderr lines: myvmm's messages (`error: vm1 …`) and
/// qemu's (`qemu: uncaught target signal …`) are not the program's.
fn guest_stderr(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| !l.starts_with("error: vm") && !l.starts_with("qemu:")).collect()
}

/// One program against qemu under every engine and slice in `slices`.
fn agrees(source: &str, args: &[&str], stdin: Option<&str>, slices: &[&str], status: i32) {
    let dir = scratch(&format!("elf-{source}"));
    let program = build(source, &dir);
    let stdin = stdin.map(|s| std::fs::read(Path::new("asm/elf").join(s)).unwrap());
    let reference = qemu(&program, args, &dir, stdin.as_deref());
    assert_eq!(reference.status, status, "qemu-mipsel: {}", reference.stderr);
    for engine in ["interp", "jit"] {
        for slice in slices {
            for hot in if engine == "jit" { &["1", "2"][..] } else { &["2"][..] } {
                let extra = ["--engine", engine, "--slice", slice, "--allow-files", "."];
                let got = myvmm(&program, args, &dir, stdin.as_deref(), &extra, hot);
                let context = format!("{source} --engine {engine} --slice {slice} MYVMM_JIT_HOT={hot}");
                assert_eq!(
                    String::from_utf8_lossy(&got.stdout),
                    String::from_utf8_lossy(&reference.stdout),
                    "stdout of {context}\nstderr: {}",
                    got.stderr
                );
                assert_eq!(got.status, reference.status, "status of {context}\nstderr: {}", got.stderr);
                assert_eq!(guest_stderr(&got.stderr), guest_stderr(&reference.stderr), "stderr of {context}");
                assert!(!got.stderr.contains("not supported"), "{context}: {}", got.stderr);
            }
        }
    }
}

#[test]
fn arguments_and_exit_status() {
    agrees("hello.c", &["one", "two words", "3"], None, &["1000", "7"], 5);
}

#[test]
fn reads_into_unwritable_memory_fail_with_efault() {
    agrees("efault.c", &[], Some("efault.stdin"), &["1000"], 0);
}

#[test]
fn memory_calls_at_their_edges() {
    agrees("mem_edges.c", &[], None, &["1000", "3"], 0);
}

#[test]
fn the_environment_passes_through() {
    agrees("env.c", &["x"], None, &["1000"], 2);
}

#[test]
fn libc_sorting_math_setjmp_and_large_allocations() {
    agrees("libc_mix.c", &[], None, &["1000"], 0);
}

#[test]
fn files_inside_the_allowed_folder_and_standard_input() {
    agrees("files.c", &[], Some("files.stdin"), &["1000", "13"], 0);
}

#[test]
fn descriptors_duplicated_their_flags_and_the_errno_of_a_failed_open() {
    agrees("descriptors.c", &[], None, &["1000", "3"], 0);
}

#[test]
fn thread_local_storage_and_errno() {
    agrees("tls.c", &[], None, &["1000", "1"], 0);
}

#[test]
fn abort_dies_of_sigabrt() {
    agrees("abort.c", &[], None, &["1000"], 134);
}

#[test]
fn a_null_store_dies_of_sigsegv() {
    agrees("segv.c", &[], None, &["1000"], 139);
}

#[test]
fn delay_slots_and_branch_likely_as_on_a_mips() {
    agrees("delay.S", &[], None, &["1000", "1", "2", "3"], 0);
}

#[test]
fn files_outside_the_allowed_folder_stay_out_of_reach() {
    let dir = scratch("elf-escape");
    let program = build("escape.c", &dir);
    let inside = dir.join("inside");
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::write(inside.join("inside.txt"), "x").unwrap();
    let got = myvmm(&program, &[], &inside, None, &["--allow-files", "."], "2");
    assert_eq!(got.status, 0, "{}", got.stderr);
    let want = std::fs::read_to_string("asm/elf/escape.want").unwrap();
    assert_eq!(String::from_utf8_lossy(&got.stdout), want);
}

#[test]
fn a_lone_program_runs_without_v_and_vm_args_come_from_its_config() {
    let dir = scratch("elf-config");
    build("hello.c", &dir);
    std::fs::write(dir.join("vm.cfg"), "vm_binary = hello\nvm_args = x y\n").unwrap();
    let got = ran(run(Command::new(env!("CARGO_BIN_EXE_myvmm")).current_dir(&dir).args(["-v", "vm.cfg"])));
    let want = "hello from 3 argument(s)\nargv[1] = x\nargv[2] = y\n";
    assert_eq!(String::from_utf8_lossy(&got.stdout), want, "{}", got.stderr);
    assert_eq!(got.status, 4);
    // And a lone program takes `--` arguments.
    let got =
        ran(run(Command::new(env!("CARGO_BIN_EXE_myvmm")).current_dir(&dir).args(["hello", "--", "z"])));
    assert_eq!(String::from_utf8_lossy(&got.stdout), "hello from 2 argument(s)\nargv[1] = z\n");
    assert_eq!(got.status, 3);
    // `--` with several VMs is refused: the arguments would be ambiguous.
    let got = ran(run(Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(&dir)
        .args(["-v", "hello", "-v", "hello", "--", "a"])));
    assert_eq!(got.status, 2);
    assert!(got.stderr.contains("single VM"), "{}", got.stderr);
}

#[test]
fn dump_at_exit_shows_where_an_elf_program_ended() {
    let dir = scratch("elf-dump");
    let program = build("hello.c", &dir);
    let got = myvmm(&program, &[], &dir, None, &["--dump-at-exit", "--dump-format", "json"], "2");
    let text = String::from_utf8_lossy(&got.stdout);
    let dump =
        text.lines().find(|l| l.starts_with("{\"vm\":1")).unwrap_or_else(|| panic!("no dump in {text}"));
    // exit_group(2): $v0 holds the call number, $a0 the status.
    assert!(dump.contains("\"regs\":[0,"), "{dump}");
    let regs: Vec<u64> = dump
        .split("\"regs\":[")
        .nth(1)
        .and_then(|r| r.split(']').next())
        .map(|r| r.split(',').map(|v| v.parse().unwrap()).collect())
        .unwrap();
    assert_eq!(regs[2], 4246, "{dump}");
    assert_eq!(regs[4], 2, "{dump}");
}

/// Three copies of a program in one process with a single memory resident
/// at a time: each copy parks at every turn (its pages, inaccessible ones
/// included, saved and restored; the JIT's code dropped and its memory
/// sealed again) and must still print what qemu-mipsel prints for one.
#[test]
fn parked_at_every_turn_elf_vms_match_qemu() {
    for source in ["mem_edges.c", "tls.c"] {
        let dir = scratch(&format!("elf-parked-{source}"));
        let program = build(source, &dir);
        let reference = qemu(&program, &[], &dir, None);
        let want: String = String::from_utf8_lossy(&reference.stdout)
            .lines()
            .map(|line| line.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        for engine in ["interp", "jit"] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_myvmm"));
            environment(&mut cmd)
                .current_dir(&dir)
                .env("MYVMM_RESIDENT_VMS", "1")
                .env("MYVMM_JIT_HOT", "1")
                .args(["--workers", "1", "--slice", "300", "--engine", engine]);
            for _ in 0..3 {
                cmd.arg("-v").arg(&program);
            }
            let got = ran(run(&mut cmd));
            assert_eq!(got.status, reference.status, "{source} {engine}: {}", got.stderr);
            let stdout = String::from_utf8_lossy(&got.stdout);
            for vm in 1..=3 {
                let prefix = format!("[vm{vm}] ");
                let own: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix(&prefix)).collect();
                assert_eq!(own.join("\n"), want, "{source} --engine {engine}: vm{vm}");
            }
        }
    }
}
