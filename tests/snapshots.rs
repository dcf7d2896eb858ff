//! Snapshots end to end: resuming prints exactly the rest of the
//! uninterrupted run and ends in the same state, for all four writer/reader
//! engine pairs; snapshot bytes do not depend on the engine; every damaged,
//! foreign or mismatched snapshot is refused with a clear message.
//!
//! Every `myvmm` started here has `MYVMM_JIT_HOT=1`: under `--engine jit`
//! its blocks are translated on their first entry, since these programs
//! are too short to get hot at the default threshold (the JIT runs would
//! otherwise interpret throughout).

use myvmm::snapshot::{Snapshot, FORMAT_VERSION};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const MARKER: &str = "-- snapshot --\n";
/// Programs in asm/snapshots and the snapshot file each writes.
const PROGRAMS: &[(&str, &str)] = &[
    ("counter.s", "counter.snap"),
    ("bigheap.s", "bigheap.snap"),
    ("rng_strings.s", "rng.snap"),
    ("fp_state.s", "fp_state.snap"),
];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn myvmm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .env("MYVMM_JIT_HOT", "1")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("myvmm runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn resumed_runs_print_the_rest_and_end_identically_for_every_engine_pair() {
    for (program, snap) in PROGRAMS {
        let source = repo(&format!("asm/snapshots/{program}"));
        let source = source.to_str().unwrap();
        let mut written = Vec::new();
        for writer in ["interp", "jit"] {
            let dir = scratch(&format!("resume_{program}_{writer}"));
            let full = myvmm(&dir, &["--engine", writer, "--dump-format", "json", "-v", source]);
            assert_eq!(full.status.code(), Some(0), "{program}: {}", text(&full.stderr));
            let full = text(&full.stdout);
            let at =
                full.find(MARKER).unwrap_or_else(|| panic!("{program}: no marker in {full}")) + MARKER.len();
            let rest = &full[at..];
            assert!(rest.contains("\"retired\":"), "{program}: the rest must end with a dump");
            let snap_path = dir.join(snap);
            written.push(std::fs::read(&snap_path).expect("snapshot written"));
            for reader in ["interp", "jit"] {
                let resumed =
                    myvmm(&dir, &["--engine", reader, "--dump-format", "json", "-v", source, "-s", snap]);
                assert_eq!(
                    resumed.status.code(),
                    Some(0),
                    "{program} {writer}->{reader}: {}",
                    text(&resumed.stderr)
                );
                assert_eq!(
                    text(&resumed.stdout),
                    rest,
                    "{program}: written by {writer}, resumed by {reader}"
                );
                let alone = myvmm(&dir, &["--engine", reader, "--dump-format", "json", "-s", snap]);
                assert_eq!(text(&alone.stdout), rest, "{program}: -s alone, {writer}->{reader}");
            }
        }
        assert_eq!(written[0], written[1], "{program}: snapshot bytes differ between engines");
    }
}

fn counter_snapshot(dir: &Path) -> PathBuf {
    let source = repo("asm/snapshots/counter.s");
    let out = myvmm(dir, &["-v", source.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    dir.join("counter.snap")
}

#[test]
fn a_snapshot_of_another_program_is_refused() {
    let dir = scratch("mismatch");
    counter_snapshot(&dir);
    let hello = repo("asm/mars/hello.s");
    let out = myvmm(&dir, &["-v", hello.to_str().unwrap(), "-s", "counter.snap"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("was taken of a different program"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_snapshot_binds_to_the_vm_before_it_only() {
    let dir = scratch("binding");
    counter_snapshot(&dir);
    let counter = repo("asm/snapshots/counter.s");
    let hello = repo("asm/mars/hello.s");
    let out = myvmm(
        &dir,
        &[
            "--workers",
            "1",
            "-v",
            counter.to_str().unwrap(),
            "-s",
            "counter.snap",
            "-v",
            hello.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("[vm1] count 21\n"), "VM 1 resumes after the snapshot:\n{stdout}");
    assert!(!stdout.contains("[vm1] count 1\n"), "VM 1 must not start over:\n{stdout}");
    assert!(stdout.contains("[vm2] Hello, world!\n"), "VM 2 starts from the beginning:\n{stdout}");
}

#[test]
fn damaged_foreign_and_newer_snapshots_exit_2_naming_the_file() {
    let dir = scratch("refusals");
    let good = std::fs::read(counter_snapshot(&dir)).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.snap", Vec::new(), "empty"),
        ("truncated.snap", good[..good.len() / 2].to_vec(), "truncated"),
        ("header_only.snap", good[..40].to_vec(), "truncated"),
        ("foreign.snap", b"#!/bin/sh\necho not a snapshot\n".to_vec(), "not a myvmm snapshot"),
        (
            "corrupted.snap",
            {
                // A bit of the stored source text (in the archive, before
                // the page area): structurally still a
                // valid archive (ASCII stays UTF-8), so the checksum must
                // catch it.
                let mut b = good.clone();
                let at = b.windows(5).position(|w| w == b"count").expect("the source is stored");
                b[at] ^= 1;
                b
            },
            "checksum",
        ),
        (
            "newer.snap",
            {
                let mut b = good.clone();
                b[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
                // The header's own checksum: every byte but its own eight.
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                h.update(&b[..40]);
                h.update(&b[48..64]);
                b[40..48].copy_from_slice(&h.digest().to_le_bytes());
                b
            },
            "newer",
        ),
    ];
    for (name, bytes, why) in cases {
        std::fs::write(dir.join(name), &bytes).unwrap();
        let out = myvmm(&dir, &["-s", name]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(name) && err.contains(why), "{name}: expected `{why}` in: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = myvmm(&dir, &["-s", "missing.snap"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.snap"));
}

/// The file's page area (format 4): from the header's archive length and
/// page bytes.
fn page_area(bytes: &[u8]) -> std::ops::Range<usize> {
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let start = (64 + word(16)).next_multiple_of(4096);
    start..start + word(48)
}

/// A damaged byte is refused where it lies: in the header or the archive
/// when the snapshot is opened; in a guest page when that page is restored
/// from bytes in memory (checked eagerly; from a file, on first touch).
fn refused(bytes: &[u8], i: usize) -> bool {
    match Snapshot::from_bytes(bytes) {
        Err(_) => !page_area(bytes).contains(&i),
        Ok(snap) => {
            page_area(bytes).contains(&i)
                && snap.restore(&myvmm::vm::Image::new(snap.program().unwrap())).is_err()
        }
    }
}

#[test]
fn every_byte_of_a_small_snapshot_matters() {
    let dir = scratch("tamper_small");
    std::fs::write(dir.join("tiny.s"), "main: li $t0, 1\nSNAPSHOT tiny.snap\nli $t0, 2\n").unwrap();
    let out = myvmm(&dir, &["-v", "tiny.s"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.join("tiny.snap")).unwrap();
    assert!(Snapshot::from_bytes(&bytes).is_ok());
    assert!(!page_area(&bytes).is_empty(), "the snapshot keeps its pages in a page area");
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x01;
        assert!(refused(&bad, i), "flipping byte {i} of {} was accepted", bytes.len());
    }
}

#[test]
fn spread_bytes_of_a_large_snapshot_matter() {
    let dir = scratch("tamper_large");
    let source = repo("asm/snapshots/bigheap.s");
    let out = myvmm(&dir, &["-v", source.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(dir.join("bigheap.snap")).unwrap();
    assert!(bytes.len() > 1 << 20, "the large snapshot holds the heap: {} bytes", bytes.len());
    let positions = 300;
    for k in 0..positions {
        let i = k * (bytes.len() - 1) / (positions - 1);
        let mut bad = bytes.clone();
        bad[i] ^= 0x80;
        assert!(refused(&bad, i), "flipping byte {i} was accepted");
    }
}

#[test]
fn a_snapshot_that_cannot_be_written_warns_and_the_vm_goes_on() {
    let dir = scratch("unwritable");
    std::fs::write(dir.join("p.s"), "main: li $a0, 7\nSNAPSHOT no/such/folder/p.snap\nli $v0, 1\nsyscall\n")
        .unwrap();
    let out = myvmm(&dir, &["-v", "p.s"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "7");
    assert!(text(&out.stderr).contains("SNAPSHOT no/such/folder/p.snap failed"), "{}", text(&out.stderr));
}

/// `-s` of a FIFO, a device or a folder is refused at once (exit 2, naming
/// the kind of file), never opened for reading: a FIFO would block forever.
#[test]
fn a_snapshot_that_is_not_a_regular_file_is_refused_without_waiting() {
    let dir = std::env::temp_dir().join(format!("myvmm-snap-kind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("fifo");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    for (path, kind) in
        [(fifo.as_path(), "FIFO"), (std::path::Path::new("/dev/zero"), "device"), (dir.as_path(), "folder")]
    {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .env("MYVMM_JIT_HOT", "1")
            .arg("-s")
            .arg(path)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("myvmm starts");
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if start.elapsed() > std::time::Duration::from_secs(10) {
                let _ = child.kill();
                panic!("myvmm -s {} hung", path.display());
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(2), "{}: {err}", path.display());
        assert!(err.contains(kind), "{}: {err}", path.display());
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A snapshot written by format 1 (myvmm before per-component versions,
/// kept in tests/fixtures with its program) still loads, alone and with its
/// program, under both engines, and the rest of the run is what it was.
#[test]
fn a_format_1_snapshot_still_loads_under_both_engines() {
    let fixtures = repo("tests/fixtures");
    let expected = std::fs::read_to_string(fixtures.join("snapshot_v1.expected")).unwrap();
    let bytes = std::fs::read(fixtures.join("snapshot_v1.snap")).unwrap();
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 1, "the fixture is format 1");
    let snap = Snapshot::from_bytes(&bytes).unwrap();
    assert_eq!(snap.format_version(), 1);
    assert_eq!(snap.parts().unwrap().cpu.fpu_used, 0);
    let source = fixtures.join("snapshot_v1.s");
    for engine in ["interp", "jit"] {
        let alone = myvmm(&fixtures, &["--engine", engine, "-s", "snapshot_v1.snap"]);
        assert_eq!(alone.status.code(), Some(0), "{engine}: {}", text(&alone.stderr));
        assert_eq!(text(&alone.stdout), expected, "{engine}: -s alone");
        let with =
            myvmm(&fixtures, &["--engine", engine, "-v", source.to_str().unwrap(), "-s", "snapshot_v1.snap"]);
        assert_eq!(with.status.code(), Some(0), "{engine}: {}", text(&with.stderr));
        assert_eq!(text(&with.stdout), expected, "{engine}: with its program");
    }
}

/// A VM restored from a format-1 snapshot keeps its memory layout (memory
/// component version 1) and snapshots again in the current format.
#[test]
fn a_vm_from_a_format_1_snapshot_snapshots_again_with_its_old_layout() {
    let dir = scratch("v1_again");
    let fixtures = repo("tests/fixtures");
    let snap = Snapshot::open(&fixtures.join("snapshot_v1.snap")).unwrap();
    let program = snap.program().unwrap();
    let machine = snap.restore(&myvmm::vm::Image::new(program)).unwrap();
    assert_eq!(machine.mem.layout().data_map, myvmm::vm::DataMap::Static);
    let state = myvmm::snapshot::VmState { machine: &machine, slice: 7, rngs: snap.rngs().unwrap() };
    let path = dir.join("again.snap");
    myvmm::snapshot::write(&path, &state).unwrap();
    let again = Snapshot::open(&path).unwrap();
    assert_eq!(again.format_version(), FORMAT_VERSION);
    assert_eq!(again.parts().unwrap().layout, machine.mem.layout());
    assert_eq!(again.slice().unwrap(), 7);
    let out = myvmm(&dir, &["-s", "again.snap"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let expected = std::fs::read_to_string(fixtures.join("snapshot_v1.expected")).unwrap();
    assert_eq!(text(&out.stdout), expected);
}

/// FP registers, FCSR and whether the FPU was used travel in a snapshot
/// (format 2) under every writer/reader engine pair.
#[test]
fn fp_state_travels_in_snapshots() {
    for writer in ["interp", "jit"] {
        let dir = scratch(&format!("fp_state_{writer}"));
        let source = repo("asm/snapshots/fp_state.s");
        let full =
            myvmm(&dir, &["--engine", writer, "--dump-format", "json", "-v", source.to_str().unwrap()]);
        assert_eq!(full.status.code(), Some(0), "{}", text(&full.stderr));
        let full = text(&full.stdout);
        let rest = &full[full.find(MARKER).unwrap() + MARKER.len()..];
        assert!(rest.starts_with("0x3fc00000 0x7ff00000 0x"), "{rest}");
        assert!(rest.contains("\"fregs\":[0,1069547520,"), "{rest}");
        let snap = Snapshot::open(&dir.join("fp_state.snap")).unwrap();
        let cpu = snap.parts().unwrap().cpu;
        assert_eq!(cpu.fpu_used, 1);
        assert_eq!(cpu.fpr[1], 0x3fc0_0000);
        assert_eq!(cpu.fcsr & 3, 3);
        for reader in ["interp", "jit"] {
            let resumed = myvmm(&dir, &["--engine", reader, "--dump-format", "json", "-s", "fp_state.snap"]);
            assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stderr));
            assert_eq!(text(&resumed.stdout), rest, "{writer} -> {reader}");
        }
    }
}

/// `--check-snapshot FILE` checks a snapshot through without running it:
/// exit 0 and what it holds for a sound one; exit 2, naming the file and
/// what is wrong, for a damaged one — wherever the damage is.
#[test]
fn check_snapshot_finds_damage_anywhere_without_running_the_vm() {
    let dir = scratch("check_snapshot");
    let snap = counter_snapshot(&dir);
    let out = myvmm(&dir, &["--check-snapshot", "counter.snap"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.starts_with("counter.snap: a sound snapshot (format 4): "), "{said}");
    assert!(!said.contains("count "), "the VM does not run: {said}");
    let bytes = std::fs::read(&snap).unwrap();
    for k in 0..40 {
        let i = k * (bytes.len() - 1) / 39;
        let mut bad = bytes.clone();
        bad[i] ^= 0x10;
        std::fs::write(dir.join("bad.snap"), &bad).unwrap();
        let out = myvmm(&dir, &["--check-snapshot", "bad.snap"]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "byte {i}: {err}");
        assert!(err.contains("snapshot `bad.snap`"), "byte {i}: {err}");
    }
}
