//! The workloads in `asm/workloads` (large: about a billion instructions
//! each) print exactly what qemu-mipsel printed for them (the `.expected`
//! files, made by running the same programs under qemu-mipsel), under both
//! engines. `scripts/compare-qemu.sh` re-checks them against a live qemu.

use std::path::PathBuf;
use std::process::Command;

fn workloads() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("asm/workloads")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "s"))
        .collect();
    v.sort();
    v
}

fn check(engine: &str) {
    let list = workloads();
    assert!(list.len() >= 6, "{list:?}");
    for s in list {
        let expected = std::fs::read_to_string(s.with_extension("expected")).expect("expected output");
        let out = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .args(["--engine", engine, "-v"])
            .arg(&s)
            .output()
            .expect("myvmm runs");
        assert_eq!(out.status.code(), Some(0), "{}: {}", s.display(), String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{} under {engine}", s.display());
    }
}

#[test]
fn workloads_match_qemu_under_the_jit() {
    check("jit");
}

#[test]
fn workloads_match_qemu_under_the_interpreter() {
    check("interp");
}
