//! Assembler throughput in source lines per second, on a generated program
//! that mixes labels, ALU instructions, pseudo-instructions, loads, stores,
//! branches and data directives. Target: 1,000,000 lines in under 1 s.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myvmm::asm::assemble_str;
use std::fmt::Write;
use std::time::Instant;

/// A program of `lines` lines (text first, then data).
pub fn generate(lines: usize) -> String {
    let mut s = String::with_capacity(lines * 28);
    s.push_str("        .text\nmain:\n");
    let blocks = lines / 10;
    for i in 0..blocks {
        let _ = write!(
            s,
            "L{i}:     addiu   $t0, $t0, {}\n        lw      $t1, {}($sp)\n        add     $t2, $t1, $t0\n        \
             li      $t3, {}\n        sw      $t2, 8($sp)\n        beq     $t2, $t3, L{}\n        \
             sll     $t4, $t2, 3\n        or      $t5, $t4, 0x{:x}\n        bne     $t5, $zero, L{}    # loop\n        \
             la      $a0, D{}\n",
            i % 1000,
            (i % 64) * 4,
            (i * 7919) % 100_000,
            (i + 1).min(blocks - 1),
            i % 0xffff,
            i.saturating_sub(1),
            i % 64,
        );
    }
    s.push_str("        .data\n");
    for i in 0..64 {
        let _ = writeln!(s, "D{i}:    .word {i}, {}, D{i}", i * 3);
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("assembler");
    group.sample_size(10);
    for lines in [10_000usize, 1_000_000] {
        let source = generate(lines);
        let count = source.lines().count();
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(BenchmarkId::new("lines", count), &source, |b, src| {
            b.iter(|| assemble_str("generated.s", src).expect("assembles"))
        });
    }
    group.finish();

    // The target, reported plainly.
    let source = generate(1_000_000);
    let start = Instant::now();
    let program = assemble_str("generated.s", &source).expect("assembles");
    let elapsed = start.elapsed();
    println!(
        "assembled {} lines into {} words in {:.3} s ({:.1} M lines/s; target: under 1 s)",
        source.lines().count(),
        program.text.len(),
        elapsed.as_secs_f64(),
        source.lines().count() as f64 / elapsed.as_secs_f64() / 1e6
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
