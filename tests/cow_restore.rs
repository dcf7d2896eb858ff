//! Copy-on-write restore keeps integrity absolute: a damaged guest page
//! stops the VM, naming the file and the page, before anything uses it —
//! whether the VM touches it first thing, half-way, or in a hot loop of
//! translated code — and a damaged page the VM never touches changes
//! nothing in the run, while `--check-snapshot` finds it.

use myvmm::snapshot::Snapshot;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("myvmm runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `program` (from asm/snapshots) to write its snapshot `snap` in a
/// fresh folder; returns the folder and the output after the snapshot.
fn snapshot_of(name: &str, program: &str, snap: &str) -> (PathBuf, Vec<u8>) {
    let dir = scratch(name);
    let source = repo(&format!("asm/snapshots/{program}"));
    let out = myvmm(&dir, &["-v", source.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let good = std::fs::read(dir.join(snap)).unwrap();
    let resumed = myvmm(&dir, &["-s", snap]);
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stderr));
    std::fs::write(dir.join("good.snap"), &good).unwrap();
    (dir, resumed.stdout)
}

/// Writes `damaged.snap`: the snapshot with one byte of guest page `page`
/// flipped.
fn damage(dir: &Path, page: u32, byte: u64) {
    let snap = Snapshot::open(&dir.join("good.snap")).unwrap();
    let at = snap.page_offset(page).unwrap_or_else(|| panic!("page {page:#x} is in the file")) + byte;
    let mut bytes = std::fs::read(dir.join("good.snap")).unwrap();
    bytes[at as usize] ^= 0x20;
    std::fs::write(dir.join("damaged.snap"), bytes).unwrap();
}

fn assert_stopped_at(out: &Output, page: u32, printed: &str, engine: &str) {
    let err = text(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{engine}: {err}");
    assert_eq!(text(&out.stdout), printed, "{engine}: nothing after the damaged page is used");
    let named = format!("corrupted snapshot damaged.snap: page {page:#x} ");
    assert!(err.contains(&named), "{engine}: expected `{named}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_damaged_page_touched_first_thing_stops_the_vm_before_any_output() {
    let (dir, _) = snapshot_of("cow_first", "pages.s", "pages.snap");
    damage(&dir, 0x10040, 0);
    for engine in ["interp", "jit"] {
        let out = myvmm(&dir, &["--engine", engine, "-s", "damaged.snap"]);
        assert_stopped_at(&out, 0x10040, "", engine);
    }
}

#[test]
fn a_damaged_page_touched_half_way_stops_the_vm_there() {
    let (dir, _) = snapshot_of("cow_mid", "pages.s", "pages.snap");
    // A byte the program never reads, in a page it reads: the page is
    // judged whole.
    damage(&dir, 0x100c0, 2000);
    for engine in ["interp", "jit"] {
        let out = myvmm(&dir, &["--engine", engine, "-s", "damaged.snap"]);
        assert_stopped_at(&out, 0x100c0, "1000\nhalf-way\n", engine);
    }
}

#[test]
fn a_damaged_page_in_a_hot_loop_stops_translated_code_too() {
    // bigheap sums 2 MiB of heap in a loop the JIT translates.
    let (dir, _) = snapshot_of("cow_hot", "bigheap.s", "bigheap.snap");
    damage(&dir, 0x10040 + 300, 8);
    for engine in ["interp", "jit"] {
        let out = myvmm(&dir, &["--engine", engine, "-s", "damaged.snap"]);
        assert_stopped_at(&out, 0x10040 + 300, "", engine);
    }
}

#[test]
fn a_damaged_page_never_touched_changes_nothing_and_check_snapshot_finds_it() {
    let (dir, whole) = snapshot_of("cow_untouched", "pages.s", "pages.snap");
    damage(&dir, 0x100c8, 0);
    for engine in ["interp", "jit"] {
        let out = myvmm(&dir, &["--engine", engine, "-s", "damaged.snap"]);
        assert_eq!(out.status.code(), Some(0), "{engine}: {}", text(&out.stderr));
        assert_eq!(out.stdout, whole, "{engine}: the run is the undamaged one's");
    }
    let out = myvmm(&dir, &["--check-snapshot", "damaged.snap"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("page 0x100c8 "), "{err}");
    let out = myvmm(&dir, &["--check-snapshot", "good.snap"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// A snapshot of a VM restored copy-on-write, taken before the VM touched
/// a damaged page, carries the damage (with the hash the first file
/// promised) instead of laundering it under a fresh hash.
#[test]
fn a_snapshot_of_a_restored_vm_carries_untouched_damage_along() {
    let dir = scratch("cow_carry");
    std::fs::write(
        dir.join("twice.s"),
        "main: li $a0, 0x10000\nli $v0, 9\nsyscall\nmove $s0, $v0\nli $t0, 7\nsw $t0, 0x8000($s0)\n\
         SNAPSHOT one.snap\nSNAPSHOT two.snap\nlw $a0, 0x8000($s0)\nli $v0, 1\nsyscall\n",
    )
    .unwrap();
    let out = myvmm(&dir, &["-v", "twice.s"]);
    assert_eq!(text(&out.stdout), "7", "{}", text(&out.stderr));
    std::fs::rename(dir.join("one.snap"), dir.join("good.snap")).unwrap();
    damage(&dir, 0x10048, 0);
    // Restored from the damaged file, the VM writes two.snap at once,
    // before it reads the page; that snapshot must still refuse the page.
    std::fs::remove_file(dir.join("two.snap")).unwrap();
    let out = myvmm(&dir, &["-s", "damaged.snap"]);
    assert!(text(&out.stderr).contains("page 0x10048 "), "{}", text(&out.stderr));
    let out = myvmm(&dir, &["--check-snapshot", "two.snap"]);
    assert_eq!(out.status.code(), Some(2), "the damage travels: {}", text(&out.stderr));
    let out = myvmm(&dir, &["-s", "two.snap"]);
    assert!(
        text(&out.stderr).contains("corrupted snapshot two.snap: page 0x10048 "),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "");
}

/// A page, once verified, is the VM's own: the file changed in place
/// afterwards (as `cp` over it would) changes nothing the VM sees.
#[test]
fn a_verified_page_is_the_vms_own_whatever_happens_to_the_file() {
    use std::io::{BufRead, Seek, Write};
    let dir = scratch("cow_toctou");
    std::fs::write(
        dir.join("twice.s"),
        "main: li $a0, 0x10000\nli $v0, 9\nsyscall\nmove $s0, $v0\nli $t0, 1000\nsw $t0, 0x4000($s0)\n\
         SNAPSHOT t.snap\nlw $a0, 0x4000($s0)\nli $v0, 1\nsyscall\nli $a0, '\\n'\nli $v0, 11\nsyscall\n\
         li $a0, 400\nli $v0, 32\nsyscall\nlw $a0, 0x4000($s0)\nli $v0, 1\nsyscall\n",
    )
    .unwrap();
    let out = myvmm(&dir, &["-v", "twice.s"]);
    assert_eq!(text(&out.stdout), "1000\n1000", "{}", text(&out.stderr));
    let at = Snapshot::open(&dir.join("t.snap")).unwrap().page_offset(0x10044).unwrap();
    for engine in ["interp", "jit"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .current_dir(&dir)
            .args(["--engine", engine, "-s", "t.snap"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        assert_eq!(first, "1000\n");
        // The VM sleeps now, its page verified: change the file under it.
        let mut file = std::fs::OpenOptions::new().write(true).open(dir.join("t.snap")).unwrap();
        file.seek(std::io::SeekFrom::Start(at)).unwrap();
        file.write_all(&31337u32.to_le_bytes()).unwrap();
        drop(file);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut lines, &mut rest).unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(rest, "1000", "{engine}: the VM's page changed with the file");
        // Put the byte back for the next engine.
        let mut file = std::fs::OpenOptions::new().write(true).open(dir.join("t.snap")).unwrap();
        file.seek(std::io::SeekFrom::Start(at)).unwrap();
        file.write_all(&1000u32.to_le_bytes()).unwrap();
    }
}

/// A page's first touch after a restore leaves translated code in the
/// middle of a return's delay slot (the store in `jr $ra`'s slot): the
/// interpreter verifies the page, makes the store, and the VM goes on at
/// the return address, under both engines and with every block translated
/// on its first entry.
#[test]
fn a_first_touch_in_a_returns_delay_slot_goes_on_at_the_return_address() {
    let dir = scratch("cow_slot");
    let source = repo("asm/snapshots/slot_store.s");
    let whole = myvmm(&dir, &["-v", source.to_str().unwrap()]);
    assert_eq!(text(&whole.stdout), "1720\n", "{}", text(&whole.stderr));
    for engine in ["interp", "jit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .current_dir(&dir)
            .env("MYVMM_JIT_HOT", "1")
            .args(["--engine", engine, "-s", "slot_store.snap"])
            .stdin(Stdio::null())
            .output()
            .expect("myvmm runs");
        assert_eq!(text(&out.stdout), "1720\n", "{engine}: {}", text(&out.stderr));
    }
}
