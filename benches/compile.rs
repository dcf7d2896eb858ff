//! JIT translation cost against the interpreter on code that runs once: a
//! program of 100,000 one-shot blocks, run to its end by each engine (the
//! JIT translates every block it enters, plus the batches around them).
//! Target (issue 9): the JIT within 3× the interpreter's time. Assembling
//! the program is not measured.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use myvmm::asm::assemble_str;
use myvmm::engine::EngineKind;
use myvmm::sched::build_engine;
use myvmm::vm::{Exit, Image, Machine, DEFAULT_LIMIT};
use std::time::{Duration, Instant};

const BLOCKS: usize = 100_000;

/// `BLOCKS` blocks, each an add and a branch to the next, run straight through.
fn one_shot_blocks(blocks: usize) -> Image {
    let mut text = String::from("main:\n");
    for b in 0..blocks {
        text.push_str(&format!("addiu $t0, $t0, 1\nbeq $zero, $zero, N{b}\nN{b}:\n"));
    }
    text.push_str("li $v0, 10\nsyscall\n");
    Image::new(assemble_str("blocks.s", &text).expect("assembles"))
}

/// Builds a VM and runs it to its end; returns the time taken.
fn run(image: &Image, kind: EngineKind) -> Duration {
    let start = Instant::now();
    let mut m = Machine::new(image, DEFAULT_LIMIT).expect("machine");
    let mut engine = build_engine(kind).expect("engine");
    while let Exit::Budget | Exit::Para = engine.run(&mut m, 1 << 20).1 {}
    assert_eq!(m.cpu.regs[8], BLOCKS as u32, "every block ran");
    start.elapsed()
}

fn bench(c: &mut Criterion) {
    let image = one_shot_blocks(BLOCKS);
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    for (kind, label) in [(EngineKind::Jit, "jit"), (EngineKind::Interp, "interp")] {
        group.bench_with_input(BenchmarkId::new(label, BLOCKS), &image, |b, image| {
            b.iter_custom(|iters| (0..iters).map(|_| run(image, kind)).sum())
        });
    }
    group.finish();
    // The figure, measured in one run: best of five per engine.
    let best = |kind| (0..5).map(|_| run(&image, kind)).min().expect("five runs");
    let (jit, interp) = (best(EngineKind::Jit), best(EngineKind::Interp));
    println!(
        "{BLOCKS} one-shot blocks: jit {:.1} ms, interp {:.1} ms, jit/interp {:.2}x (target at most 3x)",
        jit.as_secs_f64() * 1e3,
        interp.as_secs_f64() * 1e3,
        jit.as_secs_f64() / interp.as_secs_f64()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
