//! `--trace` and `--trace-vm` on the real binary: the trace of a sample
//! program is a golden file (`asm/trace/sample.trace`), the same under both
//! engines and any slice; `--trace-vm N` traces VM N alone.
//! `UPDATE_GOLDEN=1 cargo test --release --test trace` rewrites it.

use std::process::{Command, Output, Stdio};

fn myvmm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm")).args(args).stdin(Stdio::null()).output().expect("myvmm runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_trace_of_a_sample_is_its_golden_file_under_both_engines() {
    let golden = "asm/trace/sample.trace";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let out = myvmm(&["--trace", "asm/trace/sample.s"]);
        std::fs::write(golden, &out.stderr).unwrap();
    }
    let want = std::fs::read_to_string(golden).unwrap();
    assert!(want.lines().count() > 20, "a trace of every instruction");
    for engine in ["interp", "jit"] {
        for slice in ["1", "3", "1000"] {
            let out = myvmm(&["--trace", "--engine", engine, "--slice", slice, "asm/trace/sample.s"]);
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            assert_eq!(text(&out.stdout), "216", "{engine} {slice}");
            assert_eq!(text(&out.stderr), want, "--engine {engine} --slice {slice}");
        }
    }
}

#[test]
fn trace_vm_traces_only_the_vms_named() {
    let sample = "asm/trace/sample.s";
    let out = myvmm(&["--workers", "1", "--trace-vm", "2", "-v", sample, "-v", sample, "-v", sample]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    let golden = std::fs::read_to_string("asm/trace/sample.trace").unwrap();
    assert_eq!(err, golden.replace("vm1 #", "vm2 #"), "VM 2's trace alone");
    let out = myvmm(&["--trace-vm", "1", "--trace-vm", "3", "-v", sample, "-v", sample, "-v", sample]);
    let err = text(&out.stderr);
    let lines = golden.lines().count();
    assert_eq!(err.lines().filter(|l| l.starts_with("vm1 #")).count(), lines, "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("vm3 #")).count(), lines, "{err}");
    assert_eq!(err.lines().count(), 2 * lines, "{err}");
}
