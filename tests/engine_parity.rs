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
    run_cli_hot(args, extra, stdin, None)
}

/// As [`run_cli`], with the JIT translating a block on its `hot`-th entry.
fn run_cli_hot(
    args: &[String],
    extra: &[&str],
    stdin: Option<PathBuf>,
    hot: Option<&str>,
) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_myvmm"));
    if let Some(hot) = hot {
        cmd.env("MYVMM_JIT_HOT", hot);
    }
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
                // Every block translated on first entry, and the default tiering.
                for hot in [Some("1"), None] {
                    let jit =
                        run_cli_hot(&args, &[&extra[..], &["--engine", "jit"]].concat(), stdin.clone(), hot);
                    assert_eq!(
                        (String::from_utf8_lossy(&interp.0), String::from_utf8_lossy(&interp.1), interp.2),
                        (String::from_utf8_lossy(&jit.0), String::from_utf8_lossy(&jit.1), jit.2),
                        "{args:?} {extra:?} MYVMM_JIT_HOT={hot:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50);
}

/// Registers random instructions read and write. `$s5`–`$s7` start as
/// memory bases (see [`BASES`]) and are written now and then too, so checks
/// that trust a base register are exercised; `$s4` counts the outer loop and
/// `$ra` belongs to the call structure, so neither is in the pool.
const POOL: [&str; 12] =
    ["$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$s5", "$s6", "$s7", "$zero"];

/// Starting values of the base registers `$s5`, `$s6`, `$s7`: the start of
/// the data page, its last words (accesses run into the unmapped page after
/// it), and the last words of the 32-bit space (every access faults, and a
/// JIT that forgot a check would run off the reservation into its guard).
const BASES: [&str; 3] = ["buf", "buf+4088", "0xfffffff8"];

/// A random program over the whole instruction table: every row that does
/// not end the program or need the surrounding structure (`syscall`,
/// `break`, region and register jumps, para-instructions) appears with
/// random operands; memory operands use base registers near region and page
/// edges; branches skip forward; an outer loop and a call give blocks that
/// run more than once.
fn random_program() -> impl Strategy<Value = String> {
    use myvmm::isa::{Flags, Operand, OPS};
    // Rows that can end the program (traps, overflow) are drawn rarely, so
    // most programs run long enough for the rows after them to matter.
    let rows = |trapping: bool| -> Vec<usize> {
        OPS.iter()
            .enumerate()
            .filter(|(_, d)| {
                !d.flags.contains(Flags::PARA)
                    && !d.flags.contains(Flags::SYSTEM)
                    && !d.flags.contains(Flags::JUMP)
            })
            // FP arithmetic traps only once `ctc1` enables an exception.
            .filter(|(_, d)| {
                let traps = d.flags.contains(Flags::MAY_TRAP) && !d.flags.contains(Flags::FPU)
                    || d.mnemonic == "ctc1";
                traps == trapping
            })
            .map(|(k, _)| k)
            .collect()
    };
    let row =
        prop_oneof![20 => proptest::sample::select(rows(false)), 1 => proptest::sample::select(rows(true))];
    let piece = (row, any::<[u16; 6]>()).prop_map(|(row, bits)| {
        let def = &OPS[row];
        let mut args = Vec::new();
        let reg = |b: u16| POOL[b as usize % POOL.len()];
        let mut pos = 0u32;
        for (k, operand) in def.operands.iter().enumerate() {
            let b = bits[k];
            args.push(match operand {
                Operand::Rd | Operand::Rs | Operand::Rt | Operand::RdAlsoRt => reg(b).to_string(),
                Operand::Sa => (b % 32).to_string(),
                Operand::SImm16 => (b as i16).to_string(),
                Operand::UImm16 => b.to_string(),
                Operand::Hint => (b % 32).to_string(),
                Operand::Branch => "FWD".to_string(),
                Operand::BitPos => {
                    pos = (b % 32) as u32;
                    pos.to_string()
                }
                Operand::ExtSize | Operand::InsSize => (1 + b as u32 % (32 - pos)).to_string(),
                Operand::Mem => {
                    // Mostly the start of the data page with small aligned
                    // offsets; now and then skewed, a page away, or off a
                    // base whose accesses fault.
                    let base = match b % 16 {
                        0 => "$s7",
                        1 | 2 => "$s6",
                        _ => "$s5",
                    };
                    let off: i32 = match (b >> 4) % 16 {
                        0 => 4096,
                        1 => -4,
                        2 => ((b >> 8) % 16) as i32 - 8,
                        _ => ((b >> 8) % 16) as i32 * 4,
                    };
                    format!("{off}({base})")
                }
                Operand::Fd | Operand::Fs | Operand::Ft | Operand::Fr => format!("$f{}", b % 8),
                Operand::Dd | Operand::Ds | Operand::Dt | Operand::Dr => format!("$f{}", 2 * (b % 4)),
                Operand::FpCtl => ["$31", "$25", "$26", "$28", "$0"][b as usize % 5].to_string(),
                Operand::CcHigh | Operand::CcLow => (b % 8).to_string(),
                Operand::Jump
                | Operand::Code20
                | Operand::BreakCode
                | Operand::TrapCode
                | Operand::SyncType
                | Operand::ParaArg => continue,
            });
        }
        // A quarter of the loads and stores name their base as the data
        // register too: `lw $s5, 4($s5)`, `sc $s5, 0($s5)` rewrite the base.
        let mem = def.operands.iter().position(|o| *o == Operand::Mem);
        if let (Some(k), true) = (mem, bits[5] % 4 == 0 && def.operands[0] == Operand::Rt) {
            if let Some(base) = args[k].split(['(', ')']).nth(1).map(str::to_string) {
                args[0] = base;
            }
        }
        format!("{} {}", def.mnemonic, args.join(", "))
    });
    // Calls and jumps through registers: `jal`, `jalr` to the function, and
    // `jr` forward over an instruction (computed targets through the JIT's
    // table of block addresses).
    let call = prop_oneof![
        Just("jal FUNC".to_string()),
        Just("la $t9, FUNC\njalr $t9".to_string()),
        Just("la $t9, FUNC\njalr $ra, $t9".to_string()),
        Just("la $t8, FWD\njr $t8".to_string()),
    ];
    let pieces = proptest::collection::vec(prop_oneof![30 => piece, 2 => call], 4..48);
    (pieces, 1..5u32, any::<[u32; 8]>()).prop_map(|(pieces, loops, seeds)| {
        let mut text = String::from(".data\nbuf: .word 0x11223344, -1, 0x80000000, 7\n.space 4080\n.text\nmain:\n");
        for (base, value) in ["$s5", "$s6", "$s7"].iter().zip(BASES) {
            let how = if value.starts_with("0x") { "li" } else { "la" };
            text.push_str(&format!("{how} {base}, {value}\n"));
        }
        for (i, seed) in seeds.iter().enumerate() {
            text.push_str(&format!("li $t{i}, {}\n", *seed as i32));
        }
        text.push_str(&format!("li $s4, {loops}\nLOOP:\n"));
        for (fwd, p) in pieces.iter().enumerate() {
            if p.contains("FWD") {
                text.push_str(&p.replace("FWD", &format!("F{fwd}")));
                text.push_str(&format!("\naddiu $t0, $t0, 1\nF{fwd}:\n"));
            } else {
                text.push_str(p);
                text.push('\n');
            }
        }
        text.push_str("addiu $s4, $s4, -1\nbgtz $s4, LOOP\nli $v0, 10\nsyscall\nFUNC:\naddu $t1, $t1, $t2\nxor $t3, $t3, $ra\njr $ra\n");
        text
    })
}

/// Every mapped page's permission and every page the program wrote.
fn memory_of(m: &Machine) -> (Vec<myvmm::vm::PermRun>, Vec<(u32, Vec<u8>)>) {
    let pages = m.mem.data_runs().into_iter().map(|(first, bytes)| (first, bytes.to_vec())).collect();
    (m.mem.perm_runs(), pages)
}

/// Runs a machine to its end with `engine` and `slice`; returns the final
/// state, the exit, and the exits seen along the way.
/// A small VM: its whole memory is compared after every random program.
const SMALL_LIMIT: u64 = 1 << 20;

fn run_to_end(image: &Image, kind: EngineKind, slice: u64) -> (Machine, Exit, Vec<(u64, Exit)>) {
    run_with(image, build_engine(kind).unwrap(), slice)
}

/// The JIT translating every block on its first entry: translated code
/// runs from the first instruction, so the translator is what is tested.
fn eager_jit() -> Box<dyn myvmm::engine::Engine> {
    Box::new(myvmm::jit::Jit::new().with_hot_threshold(1))
}

fn run_with(
    image: &Image,
    mut engine: Box<dyn myvmm::engine::Engine>,
    slice: u64,
) -> (Machine, Exit, Vec<(u64, Exit)>) {
    let mut m = Machine::new(image, SMALL_LIMIT).unwrap();
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

/// The interpreter, the JIT translating every block at once and the JIT
/// as it tiers agree at every slice in `slices`: exits, every turn's
/// exit, registers and memory.
fn engines_agree(image: &Image, slices: &[u64], text: &str) -> Result<(), TestCaseError> {
    for &slice in slices {
        let (a, exit_a, trace_a) = run_to_end(image, EngineKind::Interp, slice);
        for (b, exit_b, trace_b) in
            [run_with(image, eager_jit(), slice), run_to_end(image, EngineKind::Jit, slice)]
        {
            prop_assert_eq!(&exit_a, &exit_b, "slice {}\n{}", slice, text);
            prop_assert_eq!(&trace_a, &trace_b, "slice {}\n{}", slice, text);
            prop_assert_eq!(&a.cpu, &b.cpu, "slice {}\n{}", slice, text);
            prop_assert!(memory_of(&a) == memory_of(&b), "memory differs, slice {}\n{}", slice, text);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_programs_are_identical_under_both_engines(text in random_program()) {
        let image = Image::new(assemble_str("random.s", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?);
        engines_agree(&image, &[1, 7, 1000], &text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The same random programs as `.set noreorder` code: every branch's
    /// next instruction is its delay slot (a random instruction, sometimes
    /// another branch, which faults), likely branches annul theirs, and
    /// slices stop between branches and slots.
    #[test]
    fn random_delay_slot_programs_are_identical_under_both_engines(text in random_program()) {
        let text = text.replacen("main:\n", "main:\n.set noreorder\n", 1) + "nop\n";
        let program = assemble_str("random.s", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert!(program.delay_slots);
        let image = Image::new(program);
        engines_agree(&image, &[1, 2, 7, 1000], &text)?;
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
    let mut jit = Jit::with_code_capacity(128 << 10).with_hot_threshold(1);
    assert_eq!(finish(&mut jit), reference);
    assert!(jit.stats().flushes > 0, "the cache should have filled up: {:?}", jit.stats());
}

/// Loads grouped under one check whose span reaches an unmapped page: the
/// fault is still reported at the exact instruction, with the same state.
#[test]
fn a_grouped_access_faults_exactly_where_the_interpreter_does() {
    // x on the last page of the data segment (mapped from 0x10000000 to
    // the heap at 0x10040000, as MARS maps it): x + 4100 is unmapped.
    let text = ".data\n.space 0x2fff0\nx: .word 1, 2, 3\n.text\nmain: la $t0, x\nlw $t1, 8($t0)\nlw $t2, 4($t0)\naddiu $t3, $t1, 1\nlw $t4, 4100($t0)\nli $t5, 9\n";
    let image = Image::new(assemble_str("span.s", text).unwrap());
    for slice in [1u64, 7, 1000] {
        let (a, exit_a, trace_a) = run_to_end(&image, EngineKind::Interp, slice);
        let (b, exit_b, trace_b) = run_with(&image, eager_jit(), slice);
        assert!(matches!(exit_a, Exit::Fault(_)), "{exit_a:?}");
        assert_eq!(exit_a, exit_b);
        assert_eq!(trace_a, trace_b);
        assert_eq!(a.cpu, b.cpu);
        assert_eq!(a.cpu.regs[11], 4, "the instructions before the fault ran");
    }
}

/// A page that may be written but not read can only come from a forged
/// snapshot, and restore refuses it; were one let through, a group of loads
/// and stores still checks every kind of access it makes, so the first load
/// faults under both engines though a store in the same group is allowed.
#[test]
fn a_mixed_group_checks_read_and_write_permission() {
    use myvmm::vm::{GuestMemory, PermRun, PERM_W};
    let text = ".data\nx: .word 0x1234, 0\n.text\nmain: la $t0, x\nli $t2, 3\nloop: lw $t1, 0($t0)\nsw $t1, 4($t0)\naddiu $t2, $t2, -1\nbgtz $t2, loop\nli $v0, 10\nsyscall\n";
    let image = Image::new(assemble_str("wonly.s", text).unwrap());
    let run = |engine: Box<dyn myvmm::engine::Engine>| {
        let mut m = Machine::new(&image, SMALL_LIMIT).unwrap();
        // The page of x made write-only (a later run overrides: the data
        // segment is one run from 0x10000000).
        let mut perms: Vec<PermRun> = m.mem.perm_runs();
        perms.push(PermRun { first: 0x1001_0000 >> 12, count: 1, perm: PERM_W });
        let pages: Vec<(u32, Vec<u8>)> =
            m.mem.data_runs().into_iter().map(|(p, b)| (p, b.to_vec())).collect();
        match GuestMemory::restore(
            &image.program,
            m.mem.layout(),
            perms,
            pages.iter().map(|(p, b)| (*p, &b[..])),
        ) {
            Ok(mem) => m.mem = mem,
            Err(e) => return Err(e.to_string()), // restore refuses such pages: nothing to run
        }
        let mut engine = engine;
        let exit = loop {
            match engine.run(&mut m, 1000).1 {
                Exit::Budget => continue,
                other => break other,
            }
        };
        Ok((exit, m.cpu.clone()))
    };
    let reference = run(build_engine(EngineKind::Interp).unwrap());
    match &reference {
        Ok((exit, _)) => {
            assert!(matches!(exit, Exit::Fault(_)), "the interpreter refuses the load: {exit:?}")
        }
        Err(e) => assert!(e.contains("page permissions"), "restore refuses write-only pages: {e}"),
    }
    assert_eq!(run(eager_jit()), reference);
}

/// Every row of the table that neither jumps nor calls the hypervisor, as
/// the one instruction of a translated block, on random register files
/// (with loads and stores aimed at a data buffer): the JIT changes exactly
/// what the interpreter changes, so the def roles the JIT's check grouping
/// trusts (checked against the interpreter in `interp::roles_check`) hold
/// for the translation too.
#[test]
fn every_row_alone_in_a_block_matches_the_interpreter() {
    use myvmm::isa::{decode, Flags, OPS};
    let mut seed = 0x5eed_u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 32) as u32
    };
    let mut checked = 0;
    for def in OPS.iter().filter(|d| !d.flags.contains(Flags::PARA) && !d.flags.ends_block()) {
        for _ in 0..100 {
            let inst = decode(def.base | (next() & def.free_mask()));
            if inst.op != def.op {
                continue;
            }
            let mut program =
                assemble_str("one.s", ".data\nbuf: .space 64\n.text\nmain: nop\nli $v0, 10\nsyscall\n")
                    .unwrap();
            program.text[0] = myvmm::isa::encode(&inst);
            let image = Image::new(program);
            let mut regs = [0u32; 32];
            for r in regs.iter_mut().skip(1) {
                *r = match next() % 4 {
                    0 => 0,
                    1 => u32::MAX,
                    2 => 0x8000_0000,
                    _ => next(),
                };
            }
            if def.flags.contains(Flags::LOAD) || def.flags.contains(Flags::STORE) {
                regs[inst.rs as usize] = 0x1001_0020u32.wrapping_sub(inst.imm).wrapping_add(next() % 4);
                regs[0] = 0;
            }
            let run = |engine: Box<dyn myvmm::engine::Engine>| {
                let mut m = Machine::new(&image, SMALL_LIMIT).unwrap();
                m.cpu.regs = regs;
                (m.cpu.hi, m.cpu.lo) = (regs[8], regs[9]);
                let mut engine = engine;
                let exit = engine.run(&mut m, 10).1;
                let memory = m.mem.read_bytes(0x1001_0000, 64).unwrap();
                (exit, m.cpu.clone(), memory)
            };
            let reference = run(build_engine(EngineKind::Interp).unwrap());
            assert_eq!(run(eager_jit()), reference, "{} {inst:?}", def.mnemonic);
            checked += 1;
        }
    }
    assert!(checked > 5000, "{checked}");
}

/// A taken branch or jump to just past the last instruction halts at once,
/// even when it spends the last of the budget (the interpreter's exit);
/// running off the end in sequence meets the budget first. The JIT once
/// reported the budget and then, on the next turn, the halt. (Found by the
/// differential fuzzer.)
#[test]
fn a_jump_to_the_end_of_the_text_halts_in_the_same_turn() {
    for text in [
        "main: li $t0, 1\nbgez $t0, end\nnop\nend:\n",
        "main: li $t0, 1\nj end\nnop\nend:\n",
        "main: la $t0, end\njr $t0\nnop\nend:\n",
        "main: la $t0, end\njalr $t0\nnop\nend:\n",
        "main: li $t0, 1\nnop\nnop\n",
    ] {
        let image = Image::new(assemble_str("end.s", text).unwrap());
        for slice in [1u64, 2, 3, 1000] {
            let (a, exit_a, trace_a) = run_to_end(&image, EngineKind::Interp, slice);
            for (b, exit_b, trace_b) in
                [run_with(&image, eager_jit(), slice), run_to_end(&image, EngineKind::Jit, slice)]
            {
                assert_eq!((&exit_a, &trace_a), (&exit_b, &trace_b), "slice {slice}\n{text}");
                assert_eq!(a.cpu, b.cpu, "slice {slice}\n{text}");
            }
        }
    }
}
