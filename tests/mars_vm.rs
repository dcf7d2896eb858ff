//! MARS 4.5 compatibility of the VM itself, through the real binary under
//! both engines: the memory map (data segment from 0x10000000, heap from
//! 0x10040000), console input, FP syscalls (printing, reading, random
//! numbers) and dumps with the FPU. Expected outputs in asm/mars come from
//! MARS 4.5 (scripts/gen-mars-expected.sh), except big_data.out (see there).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ENGINES: [&str; 2] = ["interp", "jit"];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myvmm starts");
    let mut pipe = child.stdin.take().unwrap();
    let _ = pipe.write_all(stdin);
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A program written into a scratch folder.
fn source(name: &str, body: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mars_vm");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn mars_programs_print_what_mars_prints_under_both_engines() {
    for stem in ["fp_print", "fp_input", "fp_input_random", "console_input", "data_segment", "big_data"] {
        let s = repo(&format!("asm/mars/{stem}.s"));
        let expected = std::fs::read_to_string(repo(&format!("asm/mars/{stem}.out"))).unwrap();
        let stdin = std::fs::read(repo(&format!("asm/mars/{stem}.stdin"))).unwrap_or_default();
        for engine in ENGINES {
            let out = run(&["--engine", engine, "-v", s.to_str().unwrap()], &stdin);
            assert_eq!(out.status.code(), Some(0), "{stem} {engine}: {}", text(&out.stderr));
            assert_eq!(text(&out.stdout), expected, "{stem} under {engine}");
        }
    }
}

const READ_FLOAT: &str = ".text\nmain: li $v0, 6\n syscall\n mov.s $f12, $f0\n li $v0, 2\n syscall\n";
const READ_DOUBLE: &str = ".text\nmain: li $v0, 7\n syscall\n mov.d $f12, $f0\n li $v0, 3\n syscall\n";

#[test]
fn a_bad_number_or_no_input_is_a_clear_vm_fault() {
    let float = source("read_float.s", READ_FLOAT);
    let double = source("read_double.s", READ_DOUBLE);
    for engine in ENGINES {
        for (program, input, message) in [
            (&float, &b"abc\n"[..], "read_float (syscall 6): `abc` is not a valid number"),
            (&float, b"1,5\n", "`1,5` is not a valid number"),
            (&float, b"inf\n", "`inf` is not a valid number"),
            (&float, b"\n", "`` is not a valid number"),
            (&float, b"", "read_float (syscall 6): end of input"),
            (&double, b"0x10\n", "read_double (syscall 7): `0x10` is not a valid number"),
            (&double, b"", "read_double (syscall 7): end of input"),
        ] {
            let out = run(&["--engine", engine, "-v", program.to_str().unwrap()], input);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{engine} {input:?}: {err}");
            assert!(err.contains(message) && err.contains("vm1 faulted"), "{engine} {input:?}: {err}");
        }
        let ok = run(&["--engine", engine, "-v", double.to_str().unwrap()], b"  -0x1.8p1d \n");
        assert_eq!(text(&ok.stdout), "-3.0");
    }
}

#[test]
fn random_floats_and_doubles_follow_the_seed_and_lie_in_the_unit_interval() {
    let program = source(
        "random_fp.s",
        ".text\nmain: li $a0, 1\n li $a1, 12345\n li $v0, 40\n syscall\n li $s0, 20\n\
         loop: li $a0, 1\n li $v0, 43\n syscall\n mov.s $f12, $f0\n li $v0, 2\n syscall\n\
         li $a0, ' '\n li $v0, 11\n syscall\n li $a0, 1\n li $v0, 44\n syscall\n mov.d $f12, $f0\n\
         li $v0, 3\n syscall\n li $a0, '\\n'\n li $v0, 11\n syscall\n addiu $s0, $s0, -1\n bgtz $s0, loop\n",
    );
    let mut outputs = Vec::new();
    for engine in ENGINES {
        for _ in 0..2 {
            let out = run(&["--engine", engine, "-v", program.to_str().unwrap()], b"");
            assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
            outputs.push(text(&out.stdout));
        }
    }
    assert!(outputs.iter().all(|o| *o == outputs[0]), "{outputs:?}");
    let values: Vec<f64> = outputs[0].split_whitespace().map(|v| v.parse().unwrap()).collect();
    assert_eq!(values.len(), 40);
    assert!(values.iter().all(|v| (0.0..1.0).contains(v)), "{values:?}");
    let distinct: std::collections::BTreeSet<String> = values.iter().map(|v| v.to_string()).collect();
    assert!(distinct.len() > 35, "{values:?}");
}

#[test]
fn dumps_show_the_fpu_once_used() {
    let integer = source("dump_int.s", ".text\nmain: li $t0, 5\n DUMP_PROCESSOR_STATE\n");
    let fp = source(
        "dump_fp.s",
        ".data\nx: .double 2.5\n.text\nmain: l.d $f2, x\n li $t0, 1\n ctc1 $t0, $31\n c.eq.d 3, $f2, $f2\n\
         DUMP_PROCESSOR_STATE\n",
    );
    for engine in ENGINES {
        let out = run(&["--engine", engine, "-v", integer.to_str().unwrap()], b"");
        let s = text(&out.stdout);
        assert!(s.contains("R8  $t0   = 0x00000005") && !s.contains("$f0"), "{s}");
        let json = run(&["--engine", engine, "--dump-format", "json", "-v", integer.to_str().unwrap()], b"");
        let zeros = vec!["0"; 32].join(",");
        assert!(text(&json.stdout).ends_with(&format!("],\"fregs\":[{zeros}],\"fcsr\":0}}\n")));
        let out = run(&["--engine", engine, "-v", fp.to_str().unwrap()], b"");
        let s = text(&out.stdout);
        assert!(
            s.contains(
                "$f2  = 0x00000000 0.0             $f3  = 0x40040000 2.0625           $f2:3    = 2.5\n"
            ),
            "{s}"
        );
        assert!(s.contains("fcsr = 0x08000001   cc0..cc7 = 0 0 0 1 0 0 0 0   rounding = toward zero"), "{s}");
        let json = run(&["--engine", engine, "--dump-format", "json", "-v", fp.to_str().unwrap()], b"");
        assert!(text(&json.stdout).contains("\"fregs\":[0,0,0,1074003968,0,"), "{}", text(&json.stdout));
        assert!(text(&json.stdout).ends_with(",\"fcsr\":134217729}\n"), "{}", text(&json.stdout));
    }
}

#[test]
fn the_fp_dump_golden_is_the_same_under_both_engines() {
    let expected = std::fs::read_to_string(repo("asm/syscalls/fp_dump.out")).unwrap();
    for engine in ENGINES {
        let out = run(&["--engine", engine, "-v", repo("asm/syscalls/fp_dump.s").to_str().unwrap()], b"");
        assert_eq!(text(&out.stdout), expected, "{engine}");
    }
}

#[test]
fn memory_outside_the_mars_map_still_faults_and_the_limit_still_caps() {
    let cases = [
        ("below.s", ".text\nmain: li $t0, 0x0ffffffc\n sw $t0, 0($t0)\n", "0x0ffffffc"),
        ("heap.s", ".text\nmain: li $t0, 0x10040000\n lw $t1, 0($t0)\n", "0x10040000"),
    ];
    for engine in ENGINES {
        for (name, body, addr) in cases {
            let out = run(&["--engine", engine, "-v", source(name, body).to_str().unwrap()], b"");
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {engine}: {err}");
            assert!(err.contains(addr), "{name} {engine}: {err}");
        }
    }
    // 1 MiB: the 256 KiB data segment and the stack fit, a heap past the rest does not.
    let program = source(
        "limit.s",
        ".text\nmain: li $a0, 0x70000\n li $v0, 9\n syscall\n li $a0, 0x20000\n li $v0, 9\n syscall\n",
    );
    let cfg = source("limit.cfg", &format!("vm_binary={}\nvm_memory_limit_mb=1\n", program.display()));
    for engine in ENGINES {
        let out = run(&["--engine", engine, "-v", cfg.to_str().unwrap()], b"");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("memory limit exceeded"), "{err}");
        assert!(err.contains("limit.s:7:"), "the second sbrk: {err}");
    }
}
