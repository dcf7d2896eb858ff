//! MARS's lexical rules, GNU as numeric labels, GCC FP output and the
//! built-in mem* routines, through the real `myvmm` binary (the MARS-dialect
//! samples with MARS's own expected output run in `tests/programs.rs`).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::{myvmm, scratch, text};

fn write(dir: &Path, name: &str, source: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path
}

fn run(path: &Path, engine: &str) -> (String, String, i32) {
    let out = myvmm(&["--engine", engine, "-v", path.to_str().unwrap()]);
    (text(&out.stdout), text(&out.stderr), out.status.code().unwrap_or(-1))
}

#[test]
fn numeric_local_labels_run() {
    let dir = scratch("mars_syntax_numeric");
    // Counts 1..5 with a backward `1b` loop and skips a line with `1f`.
    let program = write(
        &dir,
        "numeric.s",
        "main:   li $t0, 0\n\
         1:      addiu $t0, $t0, 1\n\
                 move $a0, $t0\n\
                 li $v0, 1\n\
                 syscall\n\
                 blt $t0, 5, 1b\n\
                 b 1f\n\
                 li $a0, 99\n\
                 syscall\n\
         1:      li $v0, 10\n\
                 syscall\n",
    );
    for engine in ["interp", "jit"] {
        assert_eq!(run(&program, engine), ("12345".into(), String::new(), 0), "{engine}");
    }
}

#[test]
fn unknown_directive_is_a_warning_naming_file_and_line() {
    let dir = scratch("mars_syntax_warning");
    let program = write(&dir, "warn.s", ".data\n.word 1\n  .foo 7\n.text\nli $a0, 3\nli $v0, 1\nsyscall\n");
    let (stdout, stderr, status) = run(&program, "interp");
    assert_eq!((stdout.as_str(), status), ("3", 0));
    assert!(stderr.contains("warning: unknown directive `.foo` ignored"), "{stderr}");
    assert!(stderr.contains("warn.s:3:3"), "{stderr}");
}

#[test]
fn two_operand_forms_mars_rejects_are_clear_errors() {
    let dir = scratch("mars_syntax_reject");
    let program = write(&dir, "reject.s", "main: addi $t0, 5\n");
    let (_, stderr, status) = run(&program, "interp");
    assert_eq!(status, 2);
    assert!(stderr.contains("reject.s:1:7") && stderr.contains("expected `addi"), "{stderr}");
    let program = write(&dir, "reject2.s", "main: or $t0, 0x12345\n");
    let (_, stderr, status) = run(&program, "interp");
    assert_eq!(status, 2);
    assert!(stderr.contains("reject2.s:1:") && stderr.contains("write `ori rt, imm`"), "{stderr}");
}

#[test]
fn builtins_under_both_engines() {
    for engine in ["interp", "jit"] {
        let (stdout, stderr, status) = run(Path::new("asm/gcc/builtins.s"), engine);
        assert_eq!((stdout.as_str(), status), ("11132 checks, 0 failures\n", 0), "{engine}: {stderr}");
    }
}

/// GCC -O2 FP code in both FP modes assembles and runs (skipped when the
/// cross compiler is not installed; `scripts/gen-gcc-asm.sh` installs it).
#[test]
fn gcc_fp_output_in_both_fp_modes() {
    if Command::new("mipsel-linux-gnu-gcc").arg("--version").output().is_err() {
        eprintln!("mipsel-linux-gnu-gcc not installed: skipped");
        return;
    }
    let dir = scratch("mars_syntax_gcc_fp");
    let c = write(
        &dir,
        "fp.c",
        "float x = 1.5f; double y = 0.1;\n\
         static const double t[3] = {2.0, 0.5, -4.0};\n\
         __attribute__((noinline)) double f(double a, int i) { return a * t[i % 3] + y + x; }\n\
         int main(void) { double s = 0; for (int i = 0; i < 30; i++) s += f(i, i); return (int)s; }\n",
    );
    // -mfpxx is GCC's default (it moves doubles' high halves with mthc1/mfhc1).
    for mode in ["-mfp32", "-mfpxx"] {
        let s = dir.join(format!("fp{mode}.s"));
        let status = Command::new("mipsel-linux-gnu-gcc")
            .args(["-O2", "-S", "-mno-abicalls", "-fno-pic", "-fno-delayed-branch", mode, "-o"])
            .arg(&s)
            .arg(&c)
            .status()
            .unwrap();
        assert!(status.success());
        for engine in ["interp", "jit"] {
            let (_, stderr, status) = run(&s, engine);
            assert_eq!(status, 0, "{mode} {engine}: {stderr}");
        }
    }
}
