//! myvmm's FPU against `qemu-mipsel` (7.2, a 24Kf with the legacy NaN
//! encoding): random FP programs over every FP row of the ISA table (see
//! `tests/support/fpgen.rs`), built with `mipsel-linux-gnu-gcc` for qemu and
//! run from the same assembly under both engines (the JIT translating every
//! block on first entry). Registers, FCSR and memory must agree byte for
//! byte. A fixed-seed subset runs here; `scripts/fp-differential.sh` runs
//! the full count (the `#[ignore]`d `full_run`). Details and figures:
//! `docs/fp-differential.md`.
//!
//! qemu-mipsel and the cross gcc are installed from Debian's packages when
//! absent and the test runs as root; otherwise the test fails saying so.

#[path = "support/cross.rs"]
mod cross;
#[path = "support/fpgen.rs"]
mod fpgen;

use cross::{ensure_tools, ran, run, Ran};
use fpgen::{Case, Mode};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Disagreements minimized in a report (each costs a few dozen runs).
const MINIMIZED: usize = 6;
/// Cases per assembly file (one gcc and one qemu start for all of them).
const BATCH: usize = 25;
/// Body pieces per case.
const OPS: std::ops::Range<usize> = 8..40;

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds `s` for qemu and runs it there.
fn qemu(s: &Path) -> Ran {
    let elf = s.with_extension("elf");
    let gcc = run(Command::new("mipsel-linux-gnu-gcc")
        .args(["-mfp32", "-mno-abicalls", "-fno-pic", "-nostdlib", "-static", "-o"])
        .arg(&elf)
        .arg(s));
    assert!(gcc.status.success(), "gcc refused {}: {}", s.display(), String::from_utf8_lossy(&gcc.stderr));
    ran(run(Command::new("qemu-mipsel").arg(&elf)))
}

/// Runs `s` under myvmm with `engine` (the JIT translating every block on
/// its first entry: most of these blocks run once). `FP_DIFF_MYVMM` names
/// another binary to test (a candidate fix built elsewhere).
fn myvmm(s: &Path, engine: &str) -> Ran {
    let binary = std::env::var_os("FP_DIFF_MYVMM").unwrap_or_else(|| env!("CARGO_BIN_EXE_myvmm").into());
    ran(run(Command::new(binary).env("MYVMM_JIT_HOT", "1").args(["--engine", engine, "-v"]).arg(s)))
}

const ENGINES: [&str; 2] = ["interp", "jit"];

/// A disagreement, explained.
#[derive(Debug)]
struct Disagreement {
    /// The program (alone) that disagrees.
    program: String,
    /// What differs.
    what: String,
    /// The disagreeing case and engine, when one case is to blame.
    case: Option<(Case, Mode, &'static str)>,
}

/// Runs `cases` as one program in `dir`; returns the disagreeing cases,
/// each as a standalone program with an account of the difference.
fn check_batch(dir: &Path, name: &str, cases: &[Case], mode: Mode) -> Vec<Disagreement> {
    let text = fpgen::program(cases, mode);
    let s = dir.join(format!("{name}.s"));
    std::fs::write(&s, &text).unwrap();
    let reference = qemu(&s);
    let mut found = Vec::new();
    for engine in ENGINES {
        let got = myvmm(&s, engine);
        let agree = match mode {
            Mode::Trapping => trapping_agree(&reference, &got),
            _ => reference.status == 0 && got.status == 0 && reference.stdout == got.stdout,
        };
        if agree {
            continue;
        }
        if mode == Mode::Trapping || reference.status != 0 || got.status != 0 {
            let first = reference.stdout.iter().zip(&got.stdout).position(|(a, b)| a != b);
            found.push(Disagreement {
                program: text.clone(),
                what: format!(
                    "{name} ({engine}): output differs from byte {}; \
                     qemu status {} after {} bytes ({}), myvmm status {} after {} bytes ({})",
                    first.unwrap_or(reference.stdout.len().min(got.stdout.len())),
                    reference.status,
                    reference.stdout.len(),
                    reference.stderr.trim(),
                    got.status,
                    got.stdout.len(),
                    got.stderr.trim()
                ),
                case: (cases.len() == 1).then(|| (cases[0].clone(), mode, engine)),
            });
            continue;
        }
        for (k, what) in fpgen::describe(&reference.stdout, &got.stdout, "qemu", "myvmm") {
            let case = &cases[k.min(cases.len() - 1)];
            found.push(Disagreement {
                program: fpgen::program(std::slice::from_ref(case), mode),
                what: format!("{name} case {k} seed 0x{:016x} ({engine}): {what}", case.seed),
                case: Some((case.clone(), mode, engine)),
            });
        }
    }
    found
}

/// Same failure point: both printed the same markers, and either both ran
/// to the end with the same output or qemu died of SIGFPE where myvmm
/// ended with a floating-point fault.
fn trapping_agree(qemu: &Ran, myvmm: &Ran) -> bool {
    if qemu.stdout != myvmm.stdout {
        return false;
    }
    match (qemu.status, myvmm.status) {
        (0, 0) => true,
        (136, 1) => myvmm.stderr.contains("floating-point exception"),
        _ => false,
    }
}

/// Whether `case` alone disagrees under `engine` (in `dir`).
fn disagrees(dir: &Path, case: &Case, mode: Mode, engine: &str) -> bool {
    let s = dir.join(format!("min-{engine}.s"));
    std::fs::write(&s, fpgen::program(std::slice::from_ref(case), mode)).unwrap();
    let (reference, got) = (qemu(&s), myvmm(&s, engine));
    match mode {
        Mode::Trapping => !trapping_agree(&reference, &got),
        _ => reference.stdout != got.stdout || reference.status != got.status,
    }
}

/// `case` with as few body pieces as still disagree (greedy: drop each
/// piece in turn, keep the drop when the disagreement stays).
fn minimize(dir: &Path, case: &Case, mode: Mode, engine: &str) -> Case {
    let mut best = case.clone();
    if !disagrees(dir, &best, mode, engine) {
        return best;
    }
    let mut k = best.body.len();
    while k > 0 {
        k -= 1;
        let mut trial = best.clone();
        trial.body.remove(k);
        if disagrees(dir, &trial, mode, engine) {
            best = trial;
        }
    }
    best
}

/// Figures of a run.
struct Figures {
    programs: usize,
    disagreements: Vec<Disagreement>,
    seconds: f64,
}

/// Runs `count` cases from `seed` in `mode`, `per_file` to a file, on
/// `threads` threads.
fn differential(name: &str, seed: u64, count: usize, mode: Mode, per_file: usize) -> Figures {
    ensure_tools();
    let dir = scratch(name);
    let started = Instant::now();
    let files = count.div_ceil(per_file);
    let next = AtomicUsize::new(0);
    let found = Mutex::new(Vec::new());
    let threads = std::env::var("FP_DIFF_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get() + 1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let f = next.fetch_add(1, Ordering::Relaxed);
                if f >= files {
                    break;
                }
                let cases: Vec<Case> = (f * per_file..((f + 1) * per_file).min(count))
                    .map(|i| {
                        let cs = fpgen::case_seed(seed, i as u64);
                        let ops = OPS.start + (cs % (OPS.end - OPS.start) as u64) as usize;
                        fpgen::case(cs, mode, ops)
                    })
                    .collect();
                let d = check_batch(&dir, &format!("p{f}"), &cases, mode);
                found.lock().unwrap().extend(d);
            });
        }
    });
    Figures {
        programs: count,
        disagreements: found.into_inner().unwrap(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Saves disagreeing programs under `target/fp-diff-failures/` and returns
/// a report.
fn report(figures: &Figures, label: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fp-diff-failures");
    let programs: std::collections::BTreeSet<String> = figures
        .disagreements
        .iter()
        .map(|d| d.case.as_ref().map_or_else(|| d.program.clone(), |(c, _, _)| format!("{:x}", c.seed)))
        .collect();
    let mut text = format!(
        "{label}: {} programs in {:.1} s ({:.0} programs/s), {} disagreements ({} programs, engine by engine)\n",
        figures.programs,
        figures.seconds,
        figures.programs as f64 / figures.seconds,
        figures.disagreements.len(),
        programs.len()
    );
    if !figures.disagreements.is_empty() {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (k, d) in figures.disagreements.iter().enumerate() {
        let path = dir.join(format!("{label}-{k}.s"));
        std::fs::write(&path, format!("# {}\n{}", d.what, d.program)).unwrap();
        text.push_str(&format!("  {} -> {}\n", d.what, path.display()));
        // The first few, minimized: the fewest body pieces that still disagree.
        if let (Some((case, mode, engine)), true) = (&d.case, k < MINIMIZED) {
            let small = minimize(&scratch(&format!("fpdiff-min-{label}")), case, *mode, engine);
            let program = fpgen::program(std::slice::from_ref(&small), *mode);
            let path = dir.join(format!("{label}-{k}.min.s"));
            std::fs::write(&path, format!("# minimized from {label}-{k}.s ({engine})\n{program}")).unwrap();
            text.push_str(&format!(
                "    minimized to {} piece(s): {}\n",
                small.body.len(),
                small.body.join(" | ")
            ));
            text.push_str(&format!("    -> {}\n", path.display()));
        }
    }
    text
}

/// The fixed-seed subset CI runs: 300 programs, both engines.
#[test]
fn random_fp_programs_agree_with_qemu() {
    let figures = differential("fpdiff-ci", 0xf9d1_ff00, 300, Mode::Plain, BATCH);
    let text = report(&figures, "ci");
    eprintln!("{text}");
    // Fails today on finding F1 of docs/fp-differential-findings.md (ctc1
    // to FEXR/FENR with bits outside their fields: myvmm ignores the write,
    // qemu writes the fields); the fix proposed there makes it pass.
    assert!(figures.disagreements.is_empty(), "{text}(finding F1? see docs/fp-differential-findings.md)");
}

/// Every FP row of the ISA table (branch-likely aside) is generated by the
/// subset above: new rows cannot go untested.
#[test]
fn the_generator_covers_every_fp_row() {
    let mut used = std::collections::BTreeSet::new();
    for i in 0..300 {
        let cs = fpgen::case_seed(0xf9d1_ff00, i);
        let ops = OPS.start + (cs % (OPS.end - OPS.start) as u64) as usize;
        used.extend(fpgen::case(cs, Mode::Plain, ops).used);
    }
    let rows = fpgen::rows();
    assert!(rows.len() >= 90, "{} FP rows", rows.len());
    let missing: Vec<&str> = rows.iter().map(|d| d.mnemonic).filter(|m| !used.contains(m)).collect();
    assert!(
        missing.is_empty(),
        "rows the generator never drew (operand kinds it does not know?): {missing:?}"
    );
}

/// Exceptions enabled: qemu dies of SIGFPE, myvmm ends the VM with a
/// floating-point fault, after the same marker.
#[test]
fn enabled_exceptions_trap_at_the_same_instruction() {
    let figures = differential("fpdiff-traps", 0x7a9_5eed, 40, Mode::Trapping, 1);
    let text = report(&figures, "traps");
    eprintln!("{text}");
    assert!(figures.disagreements.is_empty(), "{text}");
}

/// Flush-to-zero (FCSR.FS = 1) in every FCSR write.
#[test]
fn flush_to_zero_agrees_with_qemu() {
    let figures = differential("fpdiff-fs", 0xf5_f5f5, 100, Mode::FlushToZero, BATCH);
    let text = report(&figures, "fs");
    eprintln!("{text}");
    // Fails today on findings F2 (a result tiny before rounding: qemu
    // flushes it to zero and raises nothing, myvmm keeps it or raises
    // Underflow and Inexact) and F1 (FENR.FS written by `ctc1 $28`) of
    // docs/fp-differential-findings.md; the fixes proposed there make it pass.
    assert!(figures.disagreements.is_empty(), "{text}(findings F1/F2? see docs/fp-differential-findings.md)");
}

/// The full run of `scripts/fp-differential.sh`: `FP_DIFF_COUNT` programs
/// (default 5000) from `FP_DIFF_SEED` (default 1) in `FP_DIFF_MODE`
/// (`plain`, `fs` or `traps`).
#[test]
#[ignore = "the full run: scripts/fp-differential.sh"]
fn full_run() {
    let count = std::env::var("FP_DIFF_COUNT").ok().and_then(|c| c.parse().ok()).unwrap_or(5000);
    let seed = std::env::var("FP_DIFF_SEED")
        .ok()
        .and_then(|s| {
            s.strip_prefix("0x").map_or_else(|| s.parse().ok(), |h| u64::from_str_radix(h, 16).ok())
        })
        .unwrap_or(1);
    let mode = std::env::var("FP_DIFF_MODE").unwrap_or_else(|_| "plain".into());
    let (m, per_file) = match mode.as_str() {
        "fs" => (Mode::FlushToZero, BATCH),
        "traps" => (Mode::Trapping, 1),
        _ => (Mode::Plain, BATCH),
    };
    let figures = differential(&format!("fpdiff-full-{mode}"), seed, count, m, per_file);
    let text = report(&figures, &format!("{mode}-seed{seed}"));
    println!("mode {mode}, seed {seed}, engines {}", ENGINES.join(" and "));
    println!("{text}");
    assert!(figures.disagreements.is_empty());
}
