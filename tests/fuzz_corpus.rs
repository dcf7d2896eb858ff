//! CI's regression check for fuzzing: every saved input in `fuzz/corpus/`
//! (seeds, minimised finds and the inputs of every crash, hang or
//! disagreement fixed so far) goes through its target again. The targets
//! are the fuzzers' own code (`fuzz/src/targets.rs`); a panic fails the
//! test and names the file. Fuzzing itself is `scripts/fuzz.sh`.

#[path = "../fuzz/src/targets.rs"]
mod targets;

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
