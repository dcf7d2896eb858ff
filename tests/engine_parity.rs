//! The JIT is indistinguishable from the interpreter: every program in `asm/`
//! and 1,000 random programs give identical output, registers, memory and
//! exit status under both engines, with slices 1, 7 and 1000 and 1 or 2
//! workers.

use myvmm::asm::assemble_str;
use myvmm::engine::EngineKind;
use myvmm::sched::build_engine;
use myvmm::vm::{Exit, Image, Machine, DEFAULT_LIMIT};
use proptest::prelude::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Every runnable program in `asm/` (those with expected output), as `-v` arguments.
fn programs() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut dirs = vec![PathBuf::from("asm")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "out") {
                let stem = path.with_extension("");
                let with = |ext: &str| PathBuf::from(format!("{}.{ext}", stem.display()));
                if with("args").exists() {
                    let text = std::fs::read_to_string(with("args")).unwrap();
                    out.push(text.split_whitespace().map(String::from).collect());
                } else if let Some(vm) = ["cfg", "s"].iter().map(|e| with(e)).find(|p| p.exists()) {
                    out.push(vec!["-v".into(), vm.display().to_string()]);
                }
            }
        }
    }
    out.sort();
    out
}

fn run_cli(args: &[String], extra: &[&str], stdin: Option<PathBuf>) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_myvmm"));
    cmd.args(args).args(extra).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).unwrap()),
        None => Stdio::null(),
    });
    let out = cmd.output().unwrap();
    (out.stdout, out.stderr, out.status.code())
}

/// `args` without any `--workers N` (the test sets its own).
fn strip_workers(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if a == "--workers" {
            skip = true;
            continue;
        }
        out.push(a.clone());
    }
    out
}

#[test]
fn every_program_in_asm_is_identical_under_both_engines() {
    let programs = programs();
    assert!(programs.len() >= 15);
    let mut checked = 0;
    for args in &programs {
        // `.args` files already name their own worker count; drop it for the matrix.
        let args: Vec<String> = strip_workers(args);
        let stdin = args
            .iter()
            .find(|a| a.ends_with(".s") || a.ends_with(".cfg"))
            .map(|vm| PathBuf::from(vm).with_extension("stdin"))
            .filter(|p| p.exists());
        for workers in ["1", "2"] {
            for slice in ["1", "7", "1000"] {
                let multi = args.iter().filter(|a| *a == "-v").count() > 1;
                if multi && workers == "2" {
                    continue; // several VMs on two workers interleave freely; one worker is the deterministic order
                }
                let extra = ["--workers", workers, "--slice", slice];
                let interp = run_cli(&args, &[&extra[..], &["--engine", "interp"]].concat(), stdin.clone());
                let jit = run_cli(&args, &[&extra[..], &["--engine", "jit"]].concat(), stdin.clone());
                assert_eq!(
                    (String::from_utf8_lossy(&interp.0), String::from_utf8_lossy(&interp.1), interp.2),
                    (String::from_utf8_lossy(&jit.0), String::from_utf8_lossy(&jit.1), jit.2),
                    "{args:?} {extra:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50);
}

/// A random program: ALU, HI/LO, loads and stores of every width (aligned
/// and not), forward branches, counted backward loops, calls and returns.
fn random_program() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => (0..12usize, 0..8u8, 0..8u8, 0..8u8).prop_map(|(op, d, s, t)| {
            let ops = ["addu", "subu", "and", "or", "xor", "nor", "slt", "sltu", "sllv", "srav", "mul", "add"];
            format!("{} $t{d}, $t{s}, $t{t}", ops[op])
        }),
        3 => (0..8usize, 0..8u8, 0..8u8, any::<i16>()).prop_map(|(op, d, s, imm)| {
            let ops = ["addiu", "slti", "sltiu", "andi", "ori", "xori", "addi", "lui"];
            match ops[op] {
                "lui" => format!("lui $t{d}, {}", imm as u16),
                "andi" | "ori" | "xori" => format!("{} $t{d}, $t{s}, {}", ops[op], imm as u16),
                _ => format!("{} $t{d}, $t{s}, {imm}", ops[op]),
            }
        }),
        2 => (0..5usize, 0..8u8, 0..32u8).prop_map(|(op, d, sa)| {
            let ops = ["sll", "srl", "sra", "rotr", "sll"];
            format!("{} $t{d}, $t{}, {sa}", ops[op], (d + 3) % 8)
        }),
        2 => (0..9usize, 0..8u8, 0..8u8).prop_map(|(op, s, t)| {
            let ops = ["mult", "multu", "div", "divu", "madd", "msubu", "mthi", "mfhi", "mflo"];
            match ops[op] {
                "mthi" => format!("mthi $t{s}"),
                "mfhi" | "mflo" => format!("{} $t{s}", ops[op]),
                o => format!("{o} $t{s}, $t{t}"),
            }
        }),
        3 => (0..12usize, 0..8u8, 0..60i32, 0..16u8).prop_map(|(op, t, off, skew)| {
            let ops = ["lw", "lh", "lhu", "lb", "lbu", "sw", "sh", "sb", "lwl", "lwr", "swl", "swr"];
            let width = match ops[op] { "lw" | "sw" => 4, "lh" | "lhu" | "sh" => 2, _ => 1 };
            // Mostly aligned; now and then not (an address error in both engines).
            let off = if skew == 0 { off } else { off / width * width };
            format!("{} $t{t}, {off}($s7)", ops[op])
        }),
        1 => (0..8u8, 0..8u8, 0..4usize).prop_map(|(s, t, k)| {
            let b = ["beq", "bne", "blez", "bgtz"][k];
            if k < 2 { format!("{b} $t{s}, $t{t}, FWD") } else { format!("{b} $t{s}, FWD") }
        }),
        1 => (0..8u8, 0..4usize).prop_map(|(s, k)| format!("{} $t{s}, FWD", ["bltz", "bgez", "bltzal", "bgezal"][k])),
        1 => Just("jal FUNC".to_string()),
        1 => (0..8u8, 0..8u8).prop_map(|(d, s)| format!("movz $t{d}, $t{s}, $t{}\nmovn $t{s}, $t{d}, $t{}", (d + 1) % 8, (s + 2) % 8)),
        1 => (0..8u8, 0..8u8).prop_map(|(d, s)| format!("clz $t{d}, $t{s}\nseb $t{s}, $t{d}\nwsbh $t{d}, $t{s}\next $t{s}, $t{d}, 3, 9\nins $t{d}, $t{s}, 5, 7")),
        1 => (0..8u8, 0..8u8, 0..4u8).prop_map(|(d, s, sh)| format!("clo $t{d}, $t{s}\nseh $t{s}, $t{d}\next $t{d}, $t{s}, {sh}, {}\nins $t{s}, $t{d}, 0, 32\nsrlv $t{d}, $t{s}, $t{d}\nrotrv $t{s}, $t{d}, $t{s}", 32 - sh)),
        1 => (0..6usize, 0..8u8, 0..8u8, -3..3i16).prop_map(|(op, s, t, imm)| match op {
            0 => format!("teq $t{s}, $t{t}"),
            1 => format!("tltu $t{s}, $t{t}"),
            2 => format!("tgei $t{s}, {imm}"),
            3 => format!("tnei $t{s}, {imm}"),
            4 => format!("ll $t{s}, 8($s7)\nsc $t{t}, 12($s7)"),
            _ => format!("msub $t{s}, $t{t}\nmaddu $t{t}, $t{s}\nmflo $t{s}"),
        }),
    ];
    (proptest::collection::vec(piece, 4..40), 1..5u32, any::<[u32; 8]>()).prop_map(|(pieces, loops, seeds)| {
        let mut text = String::from(".data\nbuf: .word 0x11223344, -1, 0x80000000, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0\n.text\nmain:\nla $s7, buf\n");
        for (i, seed) in seeds.iter().enumerate() {
            text.push_str(&format!("li $t{i}, {}\n", *seed as i32));
        }
        text.push_str(&format!("li $s6, {loops}\nLOOP:\n"));
        let mut fwd = 0;
        for p in &pieces {
            if p.contains("FWD") {
                text.push_str(&p.replace("FWD", &format!("F{fwd}")));
                text.push_str(&format!("\naddiu $t0, $t0, 1\nF{fwd}:\n"));
                fwd += 1;
            } else {
                text.push_str(p);
                text.push('\n');
            }
        }
        text.push_str("addiu $s6, $s6, -1\nbgtz $s6, LOOP\nli $v0, 10\nsyscall\nFUNC:\naddu $t1, $t1, $t2\nxor $t3, $t3, $ra\njr $ra\n");
        text
    })
}

/// Runs a machine to its end with `engine` and `slice`; returns the final
/// state, the exit, and the exits seen along the way.
fn run_to_end(image: &Image, kind: EngineKind, slice: u64) -> (Machine, Exit, Vec<(u64, Exit)>) {
    let mut m = Machine::new(image, DEFAULT_LIMIT).unwrap();
    let mut engine = build_engine(kind).unwrap();
    let mut trace = Vec::new();
    for _ in 0..100_000 {
        let (done, exit) = engine.run(&mut m, slice);
        trace.push((done, exit.clone()));
        match exit {
            Exit::Budget | Exit::Para => continue,
            other => return (m, other, trace),
        }
    }
    (m, Exit::Budget, trace)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_programs_are_identical_under_both_engines(text in random_program()) {
        let image = Image::new(assemble_str("random.s", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?);
        for slice in [1u64, 7, 1000] {
            let (a, exit_a, trace_a) = run_to_end(&image, EngineKind::Interp, slice);
            let (b, exit_b, trace_b) = run_to_end(&image, EngineKind::Jit, slice);
            prop_assert_eq!(&exit_a, &exit_b, "slice {}\n{}", slice, text);
            prop_assert_eq!(&trace_a, &trace_b, "slice {}\n{}", slice, text);
            prop_assert_eq!(&a.cpu, &b.cpu, "slice {}\n{}", slice, text);
            let data_a = a.mem.read_bytes(0x1001_0000, 72).unwrap();
            let data_b = b.mem.read_bytes(0x1001_0000, 72).unwrap();
            prop_assert_eq!(data_a, data_b, "slice {}\n{}", slice, text);
        }
    }
}

/// A code cache too small for the program is flushed again and again, and
/// the results do not change.
#[test]
fn a_full_code_cache_is_flushed_without_changing_anything() {
    use myvmm::engine::Engine;
    use myvmm::jit::Jit;
    // Thousands of small blocks, run through three times: more code than fits.
    let mut text = String::from("main: li $s0, 3\nround:\n");
    for b in 0..3000 {
        text.push_str(&format!(
            "B{b}: addiu $t0, $t0, {b}\nxor $t1, $t1, $t0\nbeq $zero, $zero, N{b}\nN{b}:\n"
        ));
    }
    text.push_str("addiu $s0, $s0, -1\nbgtz $s0, round\n");
    let image = Image::new(assemble_str("many_blocks.s", &text).unwrap());
    // Syscalls are passed over (both engines alike): only the CPU matters here.
    let finish = |engine: &mut dyn Engine| {
        let mut m = Machine::new(&image, DEFAULT_LIMIT).unwrap();
        loop {
            match engine.run(&mut m, 1000).1 {
                Exit::Budget | Exit::Para | Exit::Syscall => continue,
                other => return (m.cpu.clone(), other),
            }
        }
    };
    let reference = finish(&mut *build_engine(EngineKind::Interp).unwrap());
    let mut jit = Jit::with_code_capacity(128 << 10);
    assert_eq!(finish(&mut jit), reference);
    assert!(jit.stats().flushes > 0, "the cache should have filled up: {:?}", jit.stats());
}

/// Loads grouped under one check whose span reaches an unmapped page: the
/// fault is still reported at the exact instruction, with the same state.
#[test]
fn a_grouped_access_faults_exactly_where_the_interpreter_does() {
    let text = ".data\nx: .word 1, 2, 3\n.text\nmain: la $t0, x\nlw $t1, 8($t0)\nlw $t2, 4($t0)\naddiu $t3, $t1, 1\nlw $t4, 4100($t0)\nli $t5, 9\n";
    let image = Image::new(assemble_str("span.s", text).unwrap());
    for slice in [1u64, 7, 1000] {
        let (a, exit_a, trace_a) = run_to_end(&image, EngineKind::Interp, slice);
        let (b, exit_b, trace_b) = run_to_end(&image, EngineKind::Jit, slice);
        assert!(matches!(exit_a, Exit::Fault(_)), "{exit_a:?}");
        assert_eq!(exit_a, exit_b);
        assert_eq!(trace_a, trace_b);
        assert_eq!(a.cpu, b.cpu);
        assert_eq!(a.cpu.regs[11], 4, "the instructions before the fault ran");
    }
}
