//! CI's regression check for fuzzing: every saved input in `fuzz/corpus/`
//! (seeds, minimised finds and the inputs of every crash, hang or
//! disagreement fixed so far) goes through its target again. The targets
//! are the fuzzers' own code (`fuzz/src/targets.rs`); a panic fails the
//! test and names the file. Fuzzing itself is `scripts/fuzz.sh`.

#[path = "../fuzz/src/targets.rs"]
mod targets;

use myvmm::migrate::Frame;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Replays `fuzz/corpus/<name>/*` through `target`; each input must finish
/// within `limit` (a hang under AFL++ is one that takes over 2 s there).
fn replay(name: &str, target: fn(&[u8]), limit: Duration) {
    replay_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(name), target, limit);
}

fn replay_dir(dir: &std::path::Path, target: fn(&[u8]), limit: Duration) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{}: the corpus is missing", dir.display());
    for file in &files {
        let data = std::fs::read(file).expect("corpus file");
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| target(&data));
        assert!(result.is_ok(), "{} fails its target", file.display());
        let took = start.elapsed();
        assert!(took < limit, "{} took {took:?}", file.display());
    }
}

#[test]
fn the_asm_corpus_replays_cleanly() {
    replay("asm", targets::asm, Duration::from_secs(10));
}

/// The programs of `asm/` are the `asm` target's seeds as well (read in
/// place by `scripts/fuzz.sh`, not copied into the corpus).
#[test]
fn the_asm_programs_replay_cleanly_as_seeds() {
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("asm")];
    let mut seen = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("asm folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "s") {
                let data = std::fs::read(&path).expect("program");
                let result = std::panic::catch_unwind(|| targets::asm(&data));
                assert!(result.is_ok(), "{} fails the asm target", path.display());
                seen += 1;
            }
        }
    }
    assert!(seen >= 30, "only {seen} programs in asm/");
}

#[test]
fn the_snapshot_corpus_replays_cleanly() {
    replay("snapshot", targets::snapshot, Duration::from_secs(10));
}

#[test]
fn the_differential_corpus_replays_cleanly() {
    replay("differential", targets::differential, Duration::from_secs(10));
}

#[test]
fn the_migration_corpus_replays_cleanly() {
    replay("migration", targets::migration, Duration::from_secs(10));
}

#[test]
fn the_migration_frames_corpus_replays_cleanly() {
    replay("migration_frames", targets::migration_frames, Duration::from_secs(10));
}

/// The recorded honest streams (`honest_*` seeds) get through the whole
/// receiver behind the handshake, in both modes: the harness reaches
/// ACCEPT and DONE, not just the handshake.
#[test]
fn the_recorded_migrations_commit_through_the_frames_harness() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/migration_frames");
    let mut modes = [false; 2];
    for entry in std::fs::read_dir(&dir).expect("corpus") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if !name.starts_with("honest_") {
            continue;
        }
        let data = std::fs::read(&path).expect("seed");
        let outcome = targets::migration_frames_outcome(&data);
        let kinds: Vec<_> = outcome.answer.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [Frame::Accept, Frame::Done], "{name}: {outcome:?}");
        modes[usize::from(data[0] & targets::FRAMES_PSK != 0)] = true;
    }
    assert_eq!(modes, [true, true], "honest seeds with and without a key");
}

/// Hostile streams behind an honest handshake are refused by name.
#[test]
fn the_frames_harness_sees_refusals() {
    use targets::{frames_input, migration_frames_outcome, FRAMES_SIZES};
    // Pages before the archive.
    let out = migration_frames_outcome(&frames_input(0, (0, 0), &[(Frame::Page as u8, &[0; 4100])]));
    let refused = |out: &targets::FramesOutcome, word: &str| matches!(out.answer.as_slice(), [(Frame::Refuse, why)] if String::from_utf8_lossy(why).contains(word));
    assert!(refused(&out, "PAGE frame of 4100 bytes"), "{out:?}");
    // An unknown frame type.
    let out = migration_frames_outcome(&frames_input(0, (0, 0), &[(9, b"x")]));
    assert!(refused(&out, "unknown frame type 9"), "{out:?}");
    // More than the budget, refused at HELLO.
    let out = migration_frames_outcome(&frames_input(FRAMES_SIZES | 1, (1 << 40, 0), &[]));
    assert!(out.refused_at_hello.is_some_and(|why| why.contains("exceeds")));
}

const FRAMES_PROGRAMS: [(&str, &str, u64); 3] = [
    (
        "heap",
        ".data\nmsg: .asciiz \"hello from a migrated VM\\n\"\nwords: .word 1, 2, 3, 4\n.text\n\
         main: li $a0, 8192\n li $v0, 9\n syscall\n move $s0, $v0\n li $t0, 0\n li $t1, 3000\n\
         loop: addiu $t0, $t0, 1\n andi $t2, $t0, 1023\n sll $t2, $t2, 2\n addu $t2, $t2, $s0\n\
         sw $t0, 0($t2)\n bne $t0, $t1, loop\n li $v0, 4\n la $a0, msg\n syscall\n li $v0, 10\n syscall\n",
        1,
    ),
    (
        "plain",
        ".text\nmain: li $t0, 0\nloop: addiu $t0, $t0, 1\n sw $t0, -4($sp)\n slti $t1, $t0, 2000\n\
         bnez $t1, loop\n li $v0, 1\n move $a0, $t0\n syscall\n li $v0, 10\n syscall\n",
        1,
    ),
    (
        "tiny",
        ".text\nmain: li $t0, 0\nloop: addiu $t0, $t0, 1\n slti $t1, $t0, 900\n bnez $t1, loop\n\
         li $v0, 10\n syscall\n",
        1,
    ),
];

/// Records what an honest sender sends: a real VM from `source`, run for
/// `turns` turns, goes out through `myvmm::migrate::send` (what MIGRATE
/// runs) to a recording receiver on loopback (the product's own responder
/// half of the handshake, `channel::respond`), which answers ACCEPT and
/// DONE. Returns the HELLO and the plaintext frames, in order.
fn record_migration(
    source: &str,
    turns: u64,
    key: Option<myvmm::migrate::Psk>,
) -> (myvmm::migrate::wire::Hello, Vec<(Frame, Vec<u8>)>) {
    use myvmm::migrate::channel::{respond, Timed};
    use myvmm::migrate::wire::{read_frame, write_frame, Hello};
    use myvmm::migrate::{send, MigrateConfig};
    use std::io::Write;
    let program = myvmm::asm::assemble_str("seed.s", source).expect("the seed program assembles");
    let image = myvmm::vm::Image::new(program);
    let mut vm = myvmm::sched::Vm::new(1, &image, myvmm::sched::VmConfig::default()).expect("a VM");
    let console = myvmm::vm::Console::new(true, Box::new(std::io::sink()));
    assert!(matches!(vm.run_turns(&console, turns), myvmm::sched::Turn::Yield), "the VM is still running");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let receiver_key = key.clone();
    let recorder = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("the sender connects");
        let io = Timed::new(stream, Duration::from_secs(5), Duration::from_secs(5)).expect("stream");
        let (responding, hello) = respond(io, receiver_key.as_ref()).expect("handshake");
        let hello = Hello::parse(&hello).expect("HELLO");
        let mut ch = responding.answer(&[0]).expect("ready");
        let mut frames = Vec::new();
        loop {
            let (kind, body) = read_frame(&mut ch, 1 << 24).expect("a frame");
            frames.push((kind, body));
            match kind {
                Frame::End => {
                    write_frame(&mut ch, Frame::Accept, &[]).and_then(|_| ch.flush()).expect("ACCEPT")
                }
                Frame::Commit => {
                    write_frame(&mut ch, Frame::Done, &[]).and_then(|_| ch.flush()).expect("DONE");
                    break;
                }
                _ => {}
            }
        }
        (hello, frames)
    });
    let config = MigrateConfig { key, timeout: Duration::from_secs(5), ..MigrateConfig::default() };
    send(&vm, &addr, &config).expect("the honest sender completes");
    recorder.join().expect("the recorder")
}

/// Writes the `migration_frames` seeds from recorded honest migrations
/// (run by hand: `cargo test --release --test fuzz_corpus -- --ignored
/// record_migration_frames_seeds`).
#[test]
#[ignore = "writes the migration_frames seeds into fuzz/corpus"]
fn record_migration_frames_seeds() {
    use targets::{frames_input, CHUNK_AS_IS, CHUNK_RAW, FRAMES_PSK, FRAMES_SIZES};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/migration_frames");
    std::fs::create_dir_all(&dir).expect("corpus folder");
    let write = |name: String, data: Vec<u8>| std::fs::write(dir.join(name), data).expect("seed");
    for (name, source, turns) in FRAMES_PROGRAMS {
        for (mode, key) in [
            ("open", None),
            ("psk", Some(myvmm::migrate::Psk::from_secret(b"myvmm fuzz harness migration key"))),
        ] {
            let flags = if key.is_some() { FRAMES_PSK } else { 0 };
            let (hello, frames) = record_migration(source, turns, key);
            let sizes = (hello.archive_len, hello.page_bytes);
            let chunks: Vec<(u8, &[u8])> = frames.iter().map(|(k, b)| (*k as u8, b.as_slice())).collect();
            write(format!("honest_{name}_{mode}"), frames_input(flags, (0, 0), &chunks));
            write(format!("honest_{name}_{mode}_sizes"), frames_input(flags | FRAMES_SIZES, sizes, &chunks));
            if name == "heap" {
                let mut as_is = chunks.clone();
                as_is[0].0 |= CHUNK_AS_IS;
                write(format!("honest_{name}_{mode}_as_is"), frames_input(flags, (0, 0), &as_is));
                let mut archive = chunks[0].1.to_vec();
                archive[0] ^= 1;
                let mut bad_sum = chunks.clone();
                bad_sum[0] = (Frame::Archive as u8 | CHUNK_AS_IS, &archive);
                write(format!("{name}_{mode}_bad_checksum"), frames_input(flags, (0, 0), &bad_sum));
                let without_commit = &chunks[..chunks.len() - 1];
                write(format!("{name}_{mode}_no_commit"), frames_input(flags, (0, 0), without_commit));
                let mut raw = Vec::new();
                for (k, b) in &chunks {
                    raw.push(*k);
                    raw.extend_from_slice(&(b.len() as u64).to_le_bytes());
                    raw.extend_from_slice(b);
                }
                write(
                    format!("honest_{name}_{mode}_raw"),
                    frames_input(flags | FRAMES_SIZES, sizes, &[(CHUNK_RAW, &raw)]),
                );
            }
        }
    }
}
