//! The same workloads under both engines, throughput in guest instructions
//! per second. Each measurement runs the first PREFIX instructions of a
//! workload in `asm/workloads` (or all of it), in turns of 2^20 instructions
//! as the scheduler gives a VM that runs alone. Target (issue 4): the JIT at least 10× the
//! interpreter on the geometric mean.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myvmm::asm::assemble_files;
use myvmm::engine::EngineKind;
use myvmm::sched::build_engine;
use myvmm::vm::{Exit, Image, Machine, DEFAULT_LIMIT};
use std::time::{Duration, Instant};

const PREFIX: u64 = 100_000_000;
/// Instructions per engine call: what the scheduler gives a VM running alone.
const SLICE: u64 = 1 << 20;

fn workloads() -> Vec<(String, Image)> {
    let mut files: Vec<_> = std::fs::read_dir("asm/workloads")
        .expect("asm/workloads")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, Image::new(assemble_files(&[&p]).expect("assembles")))
        })
        .collect()
}

/// Runs up to PREFIX instructions; returns instructions and time (syscalls
/// are skipped over: they only print).
fn run(image: &Image, kind: EngineKind) -> (u64, Duration) {
    let mut m = Machine::new(image, DEFAULT_LIMIT).unwrap();
    let mut engine = build_engine(kind).unwrap();
    let start = Instant::now();
    while m.cpu.retired < PREFIX {
        match engine.run(&mut m, SLICE).1 {
            Exit::Budget | Exit::Syscall | Exit::Para => {}
            _ => break,
        }
    }
    (m.cpu.retired, start.elapsed())
}

fn bench(c: &mut Criterion) {
    let workloads = workloads();
    let mut group = c.benchmark_group("engines");
    group.sample_size(10);
    for (name, image) in &workloads {
        for (kind, label) in [(EngineKind::Jit, "jit"), (EngineKind::Interp, "interp")] {
            group.throughput(Throughput::Elements(run(image, kind).0));
            group.bench_with_input(BenchmarkId::new(label, name), image, |b, image| {
                b.iter_custom(|iters| (0..iters).map(|_| run(image, kind).1).sum())
            });
        }
    }
    group.finish();

    // The figure, measured in one run.
    let mut logs = Vec::new();
    for (name, image) in &workloads {
        let rate = |kind| {
            let (n, t) = run(image, kind);
            n as f64 / t.as_secs_f64()
        };
        let (jit, interp) = (rate(EngineKind::Jit), rate(EngineKind::Interp));
        println!(
            "{name:>10}: jit {:7.0} M/s, interp {:5.0} M/s, {:5.1}x",
            jit / 1e6,
            interp / 1e6,
            jit / interp
        );
        logs.push((jit / interp).ln());
    }
    let mean = (logs.iter().sum::<f64>() / logs.len() as f64).exp();
    println!("JIT over interpreter, geometric mean: {mean:.1}x (target at least 10x)");
}

criterion_group!(benches, bench);
criterion_main!(benches);
