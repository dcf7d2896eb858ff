//! Snapshots taken anywhere — between a branch and its delay slot, in a
//! Linux program with anonymous memory and a thread pointer — resume
//! exactly, through the library API (ELF programs have no SNAPSHOT
//! instruction; the control socket will start theirs). For each cut the
//! output before the snapshot plus the restored VM's output must equal the
//! uninterrupted run's, and so must the final CPU state, under both engines.

#[path = "support/cross.rs"]
mod cross;

use myvmm::asm::{assemble_str, Program};
use myvmm::engine::EngineKind;
use myvmm::sched::{Outcome, Turn, Vm, VmConfig};
use myvmm::snapshot::{self, Snapshot, VmState};
use myvmm::vm::{Console, Cpu, Image};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

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

fn config(engine: EngineKind, slice: u64) -> VmConfig {
    VmConfig { engine, slice, ..VmConfig::default() }
}

/// Runs `vm` to its end; returns how it ended and its final CPU.
fn finish(vm: &mut Vm, console: &Console) -> (Outcome, Cpu) {
    loop {
        match vm.run_turn(console) {
            Turn::Yield => {}
            Turn::Finished(outcome) => return (outcome, vm.machine.cpu.clone()),
            other => panic!("unexpected turn {other:?}"),
        }
    }
}

/// Runs `program` uninterrupted, then cut after each of `cuts` turns
/// (snapshot, restore from the snapshot's own program, go on); all must
/// agree. Returns how many cuts fell between a branch and its slot.
fn resumes_exactly(program: Program, engine: EngineKind, slice: u64, cuts: &[u64]) -> usize {
    let image = Image::new(program);
    let whole_out = Captured::default();
    let console = Console::new(false, Box::new(whole_out.clone()));
    let mut vm = Vm::new(1, &image, config(engine, slice)).unwrap();
    let (whole_outcome, whole_cpu) = finish(&mut vm, &console);
    let mut in_slot = 0;
    for &cut in cuts {
        let out = Captured::default();
        let console = Console::new(false, Box::new(out.clone()));
        let mut vm = Vm::new(1, &image, config(engine, slice)).unwrap();
        let mut ended = None;
        for _ in 0..cut {
            match vm.run_turn(&console) {
                Turn::Yield => {}
                Turn::Finished(outcome) => {
                    ended = Some(outcome);
                    break;
                }
                other => panic!("unexpected turn {other:?}"),
            }
        }
        if ended.is_some() {
            continue; // the program ended before this cut
        }
        in_slot += usize::from(vm.machine.cpu.delay_pending != 0);
        vm.flush_output(&console);
        let state = VmState { machine: &vm.machine, slice, rngs: vm.os_rngs() };
        let mut payload = Vec::new();
        let header = snapshot::stream(&state, &mut payload).unwrap();
        drop(vm);
        let mut file = header.to_bytes().to_vec();
        file.extend_from_slice(&payload);
        let snap = Snapshot::from_bytes(&file).unwrap();
        let restored_image = Image::new(snap.program().unwrap());
        let mut vm = Vm::from_snapshot(1, &restored_image, &snap, config(engine, slice)).unwrap();
        let (outcome, cpu) = finish(&mut vm, &console);
        assert_eq!(outcome, whole_outcome, "cut after {cut} turns");
        assert_eq!(cpu, whole_cpu, "cut after {cut} turns");
        assert_eq!(out.text(), whole_out.text(), "cut after {cut} turns");
    }
    in_slot
}

#[test]
fn assembly_with_delay_slots_resumes_between_a_branch_and_its_slot() {
    // Every other instruction a branch or its slot; with slices of 2 and 5
    // turns end in slots again and again.
    // 150 passes: the loop gets hot (translated on its 8th entry, or up
    // to `MYVMM_JIT_HOT`'s 255th) within the cuts.
    let text = "main: .set noreorder\nli $t0, 0\nli $t1, 150\nloop: addiu $t0, $t0, 3\n\
                bnel $t1, $zero, loop\naddiu $t1, $t1, -1\njal f\nmove $a0, $t0\n\
                li $v0, 1\nsyscall\nli $v0, 10\nsyscall\nf: jr $ra\naddiu $t0, $t0, 1000\n";
    let program = assemble_str("slots.s", text).unwrap();
    assert!(program.delay_slots);
    for engine in [EngineKind::Interp, EngineKind::Jit] {
        for slice in [2, 5] {
            let cuts: Vec<u64> = (1..240).collect();
            let in_slot = resumes_exactly(program.clone(), engine, slice, &cuts);
            assert!(in_slot >= 5, "{engine:?}, slice {slice}: only {in_slot} cuts fell in a delay slot");
            if engine == EngineKind::Jit {
                // The cuts fell in translated code too, not only interpreted.
                let image = Image::new(program.clone());
                let mut vm = Vm::new(1, &image, config(engine, slice)).unwrap();
                let console = Console::new(false, Box::new(Captured::default()));
                let mut turns = 0;
                while turns < 240 && matches!(vm.run_turn(&console), Turn::Yield) {
                    turns += 1;
                }
                let stats = vm.engine_stats().unwrap_or_default();
                assert!(!stats.starts_with("0 blocks"), "slice {slice}: nothing translated: {stats}");
            }
        }
    }
}

fn build(source: &str, dir: &Path) -> PathBuf {
    cross::ensure_tools();
    let out = dir.join(Path::new(source).file_stem().unwrap());
    let built = cross::run(
        Command::new("mipsel-linux-gnu-gcc")
            .args(["-static", "-O2", "-o"])
            .arg(&out)
            .arg(Path::new("asm/elf").join(source))
            .arg("-lm"),
    );
    assert!(built.status.success(), "gcc: {}", String::from_utf8_lossy(&built.stderr));
    out
}

#[test]
fn a_linux_program_with_anonymous_memory_resumes_exactly() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("resume-elf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = build("libc_mix.c", &dir);
    let exe = myvmm::elf::parse(&std::fs::read(&path).unwrap()).unwrap();
    let program = myvmm::elf::program(&exe, vec!["libc_mix".into()], Vec::new(), 1 << 30).unwrap();
    for engine in [EngineKind::Interp, EngineKind::Jit] {
        // Slices of 100k instructions: cuts before, inside and after the
        // 50 MiB mapping and the growing reallocations.
        let cuts = [1, 9, 40, 100, 250];
        resumes_exactly(program.clone(), engine, 100_000, &cuts);
    }
}

#[path = "support/mod.rs"]
mod support;

#[test]
fn a_linux_program_migrates_to_a_real_receiver_and_finishes_there() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("migrate-elf");
    std::fs::create_dir_all(&dir).unwrap();
    let path = build("libc_mix.c", &dir);
    let exe = myvmm::elf::parse(&std::fs::read(&path).unwrap()).unwrap();
    let program = myvmm::elf::program(&exe, vec!["libc_mix".into()], Vec::new(), 1 << 30).unwrap();
    let image = Image::new(program);
    // The whole run at home, for reference.
    let whole = Captured::default();
    let mut vm = Vm::new(1, &image, config(EngineKind::Jit, 100_000)).unwrap();
    let (outcome, _) = finish(&mut vm, &Console::new(false, Box::new(whole.clone())));
    assert_eq!(outcome, Outcome::Halted);
    // Run part of it, then send it to a receiver process, which finishes it.
    let port = support::free_port();
    let receiver = support::Receiver::start(port, &["--exit-after", "1"]);
    let before = Captured::default();
    let console = Console::new(false, Box::new(before.clone()));
    let mut vm = Vm::new(1, &image, config(EngineKind::Jit, 100_000)).unwrap();
    for _ in 0..60 {
        assert!(matches!(vm.run_turn(&console), Turn::Yield), "still running after 60 turns");
    }
    assert!(vm.machine.mem.layout().anon_bytes > 0 || vm.machine.cpu.user_local != 0);
    vm.flush_output(&console);
    let config = myvmm::migrate::MigrateConfig::default();
    myvmm::migrate::send(&vm, &format!("127.0.0.1:{port}"), &config).expect("the receiver takes the VM");
    drop(vm);
    let (stdout, status) = receiver.finish(std::time::Duration::from_secs(60));
    assert_eq!(status, Some(0));
    assert_eq!(before.text() + &stdout, whole.text());
}
