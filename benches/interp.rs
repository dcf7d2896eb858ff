//! Interpreter throughput in guest instructions per second on workloads from
//! `asm/`, and the scheduler's overhead: 64 VMs at slice 100 against one VM.
//! Targets (issue 3): 300 M instructions/s on the ALU loop; 64 VMs keep at
//! least 80 % of one VM's throughput.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myvmm::asm::{assemble_files, assemble_str, Program};
use myvmm::engine::EngineKind;
use myvmm::sched::{run_all, Env, Outcome, Vm, VmConfig};
use myvmm::vm::{Console, Image};
use std::time::{Duration, Instant};

/// The ALU loop of `asm/bench/alu_loop.s` with `iterations` iterations.
fn alu_loop(iterations: u32) -> Program {
    let text = std::fs::read_to_string("asm/bench/alu_loop.s").expect("asm/bench/alu_loop.s");
    let text = text.replace("li      $t0, 100000000", &format!("li      $t0, {iterations}"));
    assemble_str("alu_loop.s", &text).expect("assembles")
}

/// `count` VMs of `program`, ready to run.
fn vms(program: &Image, count: usize, slice: u64) -> Vec<Vm> {
    let config = VmConfig { slice, engine: EngineKind::Interp, ..VmConfig::default() };
    (1..=count as u32).map(|id| Vm::new(id, program, config.clone()).unwrap()).collect()
}

/// Runs VMs to the end on `workers` threads; returns instructions retired and
/// the time the scheduler took (building and dropping VMs is not counted).
fn run_timed(vms: Vec<Vm>, workers: usize) -> (u64, Duration) {
    let console = Console::new(vms.len() > 1, Box::new(std::io::sink()));
    let start = Instant::now();
    let env = Env {
        console: &console,
        input: Box::new(myvmm::sched::Ready(std::io::empty())),
        on_finish: &|_| {},
        migrate: None,
        services: Vec::new(),
        first_new_id: 0,
        stop: Default::default(),
        control: None,
    };
    let finished = run_all(vms, workers, env);
    let elapsed = start.elapsed();
    let retired = finished
        .iter()
        .map(|f| {
            assert!(!matches!(f.outcome, Outcome::Faulted(_)), "{:?}", f.outcome);
            f.vm.machine.cpu.retired
        })
        .sum();
    (retired, elapsed)
}

fn retired(program: &Image) -> u64 {
    run_timed(vms(program, 1, 1_000_000), 1).0
}

fn workloads(c: &mut Criterion) {
    let mut group = c.benchmark_group("interp");
    group.sample_size(10);
    let mut programs = vec![("alu_loop".to_string(), Image::new(alu_loop(2_000_000)))];
    for name in ["fib", "sort", "primes", "strings"] {
        let path = format!("asm/gcc/{name}.s");
        programs.push((format!("gcc_{name}"), Image::new(assemble_files(&[path]).expect("assembles"))));
    }
    for (name, program) in &programs {
        group.throughput(Throughput::Elements(retired(program)));
        let config = VmConfig { slice: 1_000_000, ..VmConfig::default() };
        group.bench_with_input(BenchmarkId::new("workload", name), program, |b, p| {
            // Building the VM (mapping its memory) is not the interpreter's work.
            b.iter_custom(|iters| {
                (0..iters).map(|_| run_timed(vec![Vm::new(1, p, config.clone()).unwrap()], 1).1).sum()
            })
        });
    }
    group.finish();
}

fn scheduling(c: &mut Criterion) {
    // The same total work as one VM and as 64 VMs, both at slice 100 on one worker.
    let one = Image::new(alu_loop(64 * 20_000));
    let each = Image::new(alu_loop(20_000));
    let mut group = c.benchmark_group("scheduling");
    group.sample_size(10);
    for (name, program, count) in [("1_vm_slice_100", &one, 1), ("64_vms_slice_100", &each, 64)] {
        group.throughput(Throughput::Elements(run_timed(vms(program, count, 100), 1).0));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| (0..iters).map(|_| run_timed(vms(program, count, 100), 1).1).sum())
        });
    }
    group.finish();

    // The two figures, measured in one run.
    let rate = |p: &Image, n: usize, slice: u64| {
        let (count, time) = run_timed(vms(p, n, slice), 1);
        count as f64 / time.as_secs_f64()
    };
    let big = Image::new(alu_loop(50_000_000));
    let alu = rate(&big, 1, 1_000_000);
    println!("interpreter on the ALU loop: {:.0} M instructions/s (target 300)", alu / 1e6);
    let one = Image::new(alu_loop(64 * 200_000));
    let each = Image::new(alu_loop(200_000));
    let single = rate(&one, 1, 100);
    let many = rate(&each, 64, 100);
    println!(
        "64 VMs at slice 100: {:.0} M/s vs one VM {:.0} M/s: {:.0} % (target at least 80 %)",
        many / 1e6,
        single / 1e6,
        100.0 * many / single
    );
}

criterion_group!(benches, workloads, scheduling);
criterion_main!(benches);
