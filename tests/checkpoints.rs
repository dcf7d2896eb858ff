//! Incremental checkpoints: a chain of 100 restores exactly, at any link,
//! under both engines; each increment holds what the VM wrote since the
//! one before (1 MiB written, about 1 MiB written out); a writer killed at
//! random points never leaves `latest` unreadable; and the fault-tolerance
//! recipe — host A checkpointing, killed, host B resuming from the shared
//! folder — gives output consistent with having run from the checkpoint.
//!
//! Every `myvmm` started here has `MYVMM_JIT_HOT=1`: under `--engine jit`
//! its blocks are translated on their first entry, since these programs
//! are too short to get hot at the default threshold (the JIT runs would
//! otherwise interpret throughout).

use myvmm::asm::assemble_str;
use myvmm::engine::EngineKind;
use myvmm::sched::{Outcome, Turn, Vm, VmConfig};
use myvmm::snapshot::checkpoint::{LATEST, MAX_LINKS};
use myvmm::snapshot::Snapshot;
use myvmm::vm::{Console, Cpu, Image};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A console whose lines land in a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 100 rounds; each writes one word at both ends of 256 pages (1 MiB) of
/// one of four 1 MiB regions, prints the round and sleeps 0 ms (where the
/// tests checkpoint); then sums the 4 MiB.
const ROUNDS: &str = "
        .text
main:   li      $a0, 0x400000
        li      $v0, 9
        syscall
        move    $s0, $v0
        li      $s1, 0
round:  andi    $t0, $s1, 3
        sll     $t0, $t0, 20
        addu    $t0, $t0, $s0
        li      $t1, 0
page:   sll     $t2, $t1, 12
        addu    $t2, $t2, $t0
        addu    $t3, $s1, $t1
        sw      $t3, 0($t2)
        sw      $t3, 4092($t2)
        addiu   $t1, $t1, 1
        blt     $t1, 256, page
        move    $a0, $s1
        li      $v0, 1
        syscall
        li      $a0, '\\n'
        li      $v0, 11
        syscall
        li      $a0, 0
        li      $v0, 32
        syscall
        addiu   $s1, $s1, 1
        blt     $s1, 100, round
        li      $t1, 0
        li      $s2, 0
sum:    sll     $t2, $t1, 12
        addu    $t2, $t2, $s0
        lw      $t3, 0($t2)
        addu    $s2, $s2, $t3
        lw      $t3, 4092($t2)
        addu    $s2, $s2, $t3
        addiu   $t1, $t1, 1
        blt     $t1, 1024, sum
        move    $a0, $s2
        li      $v0, 1
        syscall
";

fn config(engine: EngineKind) -> VmConfig {
    VmConfig { engine, memory_limit: 16 << 20, ..VmConfig::default() }
}

/// Runs `vm` to its end, calling `at_sleep` at every sleep; returns how it
/// ended and its final CPU.
fn run(vm: &mut Vm, console: &Console, mut at_sleep: impl FnMut(&mut Vm)) -> (Outcome, Cpu) {
    loop {
        match vm.run_turn(console) {
            Turn::Yield => {}
            Turn::Sleep(_) => at_sleep(vm),
            Turn::Finished(outcome) => return (outcome, vm.machine.cpu.clone()),
            other => panic!("unexpected turn {other:?}"),
        }
    }
}

fn checkpoint_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.starts_with("ckpt-") && name.ends_with(".snap")
        })
        .count()
}

#[test]
fn a_chain_of_100_incremental_checkpoints_restores_exactly_at_any_link() {
    let image = Image::new(assemble_str("rounds.s", ROUNDS).unwrap());
    for engine in [EngineKind::Interp, EngineKind::Jit] {
        let whole = Captured::default();
        let console = Console::new(false, Box::new(whole.clone()));
        let mut vm = Vm::new(1, &image, config(engine)).unwrap();
        let (whole_outcome, whole_cpu) = run(&mut vm, &console, |_| {});
        assert_eq!(whole_outcome, Outcome::Halted);

        let root = scratch(&format!("chain_{engine:?}"));
        let dir = root.join("vm1");
        let out = Captured::default();
        let console = Console::new(false, Box::new(out.clone()));
        let mut vm = Vm::new(1, &image, config(engine)).unwrap();
        let mut taken = 0;
        let mut sizes = Vec::new();
        let (outcome, cpu) = run(&mut vm, &console, |vm| {
            let written = vm.checkpoint(Some(&console), Some(&root)).unwrap();
            taken += 1;
            assert_eq!(written.incremental, taken > 1, "checkpoint {taken}");
            // Compaction runs beside the VM: a chain may pass MAX_LINKS
            // while one is under way, never 4 times it.
            assert!(written.chain < 4 * MAX_LINKS, "checkpoint {taken}: a chain of {}", written.chain);
            if written.incremental {
                sizes.push((written.page_bytes, written.bytes));
            }
            if [1, 2, 37, 64, 100].contains(&taken) {
                // Resume from `latest` as it stands: the output so far and
                // the resumed VM's make the whole run's, and so does its end.
                let snap = Snapshot::open(&dir.join(LATEST)).unwrap();
                let resumed_image = Image::new(snap.program().unwrap());
                let rest = Captured::default();
                let rest_console = Console::new(false, Box::new(rest.clone()));
                let mut resumed = Vm::from_snapshot(2, &resumed_image, &snap, config(engine)).unwrap();
                let (o, c) = run(&mut resumed, &rest_console, |_| {});
                assert_eq!((o, c), (whole_outcome.clone(), whole_cpu.clone()), "{engine:?} at {taken}");
                assert_eq!(out.text() + &rest.text(), whole.text(), "{engine:?} at {taken}");
            }
        });
        assert_eq!((outcome, cpu), (whole_outcome, whole_cpu));
        assert_eq!(taken, 100);
        drop(vm); // waits for a compaction under way
        let files = checkpoint_files(&dir);
        assert!(files <= MAX_LINKS, "{engine:?}: {files} files kept: old links are compacted");
        // Each increment holds the 1 MiB the VM wrote since the one before
        // (its 256 pages), and little else.
        for (page_bytes, bytes) in &sizes {
            assert!(
                (1 << 20..=(1 << 20) + (8 << 10)).contains(page_bytes),
                "{engine:?}: {page_bytes} page bytes"
            );
            assert!(*bytes <= page_bytes + (64 << 10), "{engine:?}: {bytes} bytes for {page_bytes} of pages");
        }
        let mean = sizes.iter().map(|s| s.1).sum::<u64>() / sizes.len() as u64;
        eprintln!(
            "{engine:?}: 1 MiB written per interval, {mean} bytes per incremental checkpoint on average"
        );
    }
}

/// The program of the process tests: prints 0..60, sleeping 10 ms after
/// each line and writing a page per line; ends with a sum and a dump.
const SLOW: &str = "
        .text
main:   li      $a0, 0x40000
        li      $v0, 9
        syscall
        move    $s0, $v0
        li      $s1, 0
step:   sll     $t0, $s1, 12
        addu    $t0, $t0, $s0
        addiu   $t1, $s1, 7
        sw      $t1, 0($t0)
        move    $a0, $s1
        li      $v0, 1
        syscall
        li      $a0, '\\n'
        li      $v0, 11
        syscall
        li      $a0, 10
        li      $v0, 32
        syscall
        addiu   $s1, $s1, 1
        blt     $s1, 60, step
        li      $s1, 0
        li      $s2, 0
sum:    sll     $t0, $s1, 12
        addu    $t0, $t0, $s0
        lw      $t1, 0($t0)
        addu    $s2, $s2, $t1
        addiu   $s1, $s1, 1
        blt     $s1, 64, sum
        move    $a0, $s2
        li      $v0, 1
        syscall
        DUMP_PROCESSOR_STATE
";

fn myvmm(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .env("MYVMM_JIT_HOT", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("myvmm runs")
}

/// Starts myvmm with stdout into `out`, lets it run `after`, kills it
/// (SIGKILL: nothing of it runs after).
fn run_then_kill(dir: &Path, args: &[&str], out: &Path, after: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .env("MYVMM_JIT_HOT", "1")
        .current_dir(dir)
        .args(args)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("myvmm starts");
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_checkpoint_writer_killed_anywhere_leaves_latest_readable() {
    let dir = scratch("killed_writer");
    std::fs::write(dir.join("slow.s"), SLOW).unwrap();
    let whole = myvmm(&dir, &["-v", "slow.s"]);
    assert_eq!(whole.status.code(), Some(0), "{}", String::from_utf8_lossy(&whole.stderr));
    let whole = String::from_utf8_lossy(&whole.stdout).into_owned();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut resumed_some = 0;
    for round in 0..16 {
        let engine = if round % 2 == 0 { "jit" } else { "interp" };
        let _ = std::fs::remove_dir_all(dir.join("ck"));
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = Duration::from_millis(20 + seed % 500);
        run_then_kill(
            &dir,
            &["--engine", engine, "--checkpoint-every", "0.002", "ck", "-v", "slow.s"],
            &dir.join("a.out"),
            after,
        );
        let latest = dir.join("ck/vm1").join(LATEST);
        if !latest.exists() {
            continue; // killed before its first checkpoint
        }
        let check = myvmm(&dir, &["--check-snapshot", "ck/vm1/latest"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "killed after {after:?}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let rest = myvmm(&dir, &["--engine", engine, "-s", "ck/vm1/latest"]);
        assert_eq!(rest.status.code(), Some(0), "{}", String::from_utf8_lossy(&rest.stderr));
        let rest = String::from_utf8_lossy(&rest.stdout).into_owned();
        assert!(whole.ends_with(&rest), "killed after {after:?}: the resumed run is not the rest:\n{rest}");
        resumed_some += 1;
    }
    assert!(resumed_some >= 8, "only {resumed_some} kills fell after a checkpoint");
}

/// The recipe of docs/snapshots.md: host A runs the VM checkpointing into
/// a shared folder; A dies (SIGKILL); host B — another process, another
/// working folder — resumes from `latest` and checkpoints on. B prints
/// exactly the rest of the run from the checkpoint, A printed everything
/// before it, and the end is the uninterrupted run's.
#[test]
fn a_vm_checkpointing_on_host_a_resumes_on_host_b_after_a_dies() {
    let root = scratch("fault_tolerance");
    let (host_a, host_b, shared) = (root.join("a"), root.join("b"), root.join("shared"));
    for d in [&host_a, &host_b, &shared] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(host_a.join("slow.s"), SLOW).unwrap();
    let whole = myvmm(&host_a, &["-v", "slow.s"]);
    let whole = String::from_utf8_lossy(&whole.stdout).into_owned();
    let shared_arg = shared.to_str().unwrap();
    run_then_kill(
        &host_a,
        &["--checkpoint-every", "0.05", shared_arg, "-v", "slow.s"],
        &root.join("a.out"),
        Duration::from_millis(300),
    );
    let a_out = std::fs::read_to_string(root.join("a.out")).unwrap();
    assert!(!a_out.contains("R31"), "host A must die before the end: {a_out}");
    let latest = shared.join("vm1").join(LATEST);
    let b = myvmm(&host_b, &["--checkpoint-every", "0.05", shared_arg, "-s", latest.to_str().unwrap()]);
    assert_eq!(b.status.code(), Some(0), "{}", String::from_utf8_lossy(&b.stderr));
    let b_out = String::from_utf8_lossy(&b.stdout).into_owned();
    assert!(whole.ends_with(&b_out), "host B prints the rest of the run:\n{b_out}");
    let resumed_at = whole.len() - b_out.len();
    assert!(a_out.len() >= resumed_at, "host A printed everything before the checkpoint");
    assert_eq!(&a_out[..resumed_at], &whole[..resumed_at]);
    assert!(resumed_at > 0 && b_out.lines().count() < whole.lines().count(), "B resumed mid-run");
}
