//! The fuzz targets: plain functions over `&[u8]` that use only myvmm's
//! public API. Each returns normally for any input; a panic, an abort, a
//! host signal or a hang is a finding. The AFL++ binaries in `src/bin/`
//! call them, and the main crate's `tests/fuzz_corpus.rs` replays every
//! saved input through them (CI's regression check).

use myvmm::asm::listing::listing;
use myvmm::asm::{Assembler, DataSegment, Program, SourceMap};
use myvmm::engine::EngineKind;
use myvmm::isa::OPS;
use myvmm::sched::build_engine;
use myvmm::snapshot::{Header, Snapshot, HEADER_SIZE};
use myvmm::vm::{Exit, Image, Machine, DEFAULT_LIMIT};
use std::path::Path;

/// Static data the `asm` target allows (so one input cannot make every
/// execution write a gibibyte).
const FUZZ_STATIC_DATA: u64 = 16 << 20;

/// The assembler and the config parser. Input: assembly; or a config file,
/// a NUL byte, then the assembly its `vm_binary` names (assembled under the
/// config's memory limit, as the command line does).
pub fn asm(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (config, source) = match text.split_once('\0') {
        Some((c, s)) => (Some(c), s),
        None => (None, &*text),
    };
    let mut cap = FUZZ_STATIC_DATA;
    let mut name = "fuzz.s".to_string();
    if let Some(config) = config {
        let _ = myvmm::config::looks_like_config(config);
        match myvmm::config::parse(Path::new("fuzz/vm.cfg"), config) {
            Ok(file) => {
                assert!(!file.binaries.is_empty(), "a parsed config always names a binary");
                if let Some(mb) = file.memory_limit_mb {
                    cap = cap.min(mb << 20);
                }
                name = file.binaries[0].display().to_string();
            }
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        }
    } else if myvmm::config::looks_like_config(source) {
        if let Err(e) = myvmm::config::parse(Path::new("fuzz/vm.cfg"), source) {
            let _ = e.to_string();
        }
        return;
    }
    let mut asm = Assembler::with_static_data_limit(cap);
    asm.add_source(&name, source);
    match asm.finish() {
        Ok(program) => {
            assert_eq!(program.text.len(), program.source.locs.len(), "a source location per word");
            let static_bytes: u64 = program.data.iter().map(|d| d.bytes.len() as u64).sum();
            // Section alignment (at most 64 KiB each) may pad between sections.
            assert!(static_bytes <= cap + (256 << 10), "{static_bytes} bytes of data past the cap {cap}");
            let _ = listing(&program);
            let _ = program.fingerprint();
            // What the assembler accepts, a VM with the default limit loads.
            Machine::new(&Image::new(program), DEFAULT_LIMIT).expect("an assembled program loads");
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a failed assembly says why");
            let _ = e.to_string();
        }
    }
}

/// The snapshot loader. The input is tried as a whole file, and again with
/// its header rebuilt for its payload (so mutations reach the archive
/// validation and the restore behind the checksums); a snapshot that
/// loads is restored and runs a few hundred instructions.
pub fn snapshot(data: &[u8]) {
    if let Ok(snap) = Snapshot::from_bytes(data) {
        restore_and_run(&snap);
    }
    if data.len() >= HEADER_SIZE {
        let fingerprint = u64::from_le_bytes(data[32..40].try_into().unwrap_or([0; 8]));
        let payload = &data[HEADER_SIZE..];
        let mut sealed = Header::new(payload, fingerprint).to_bytes().to_vec();
        sealed.extend_from_slice(payload);
        if let Ok(snap) = Snapshot::from_bytes(&sealed) {
            restore_and_run(&snap);
        }
    }
}

fn restore_and_run(snap: &Snapshot) {
    let _ = (snap.slice(), snap.rngs(), snap.fingerprint());
    let Ok(program) = snap.program() else { return };
    let image = Image::new(program);
    let Ok(mut machine) = snap.restore(&image) else { return };
    let mut engine = build_engine(EngineKind::Interp).expect("the interpreter always builds");
    let mut left = 500u64;
    for _ in 0..1000 {
        let (done, exit) = engine.run(&mut machine, left.min(100));
        left = left.saturating_sub(done);
        if left == 0 || !matches!(exit, Exit::Budget | Exit::Syscall | Exit::Para) {
            break;
        }
    }
}

/// Text, data and heap of the `differential` programs.
const TEXT_BASE: u32 = 0x0040_0000;
const DATA_BASE: u32 = 0x1001_0000;
/// Two pages of data less one word: the last word and the next page are edges.
const DATA_LEN: usize = 0x1ffc;
const HEAP_START: u32 = 0x1001_2000;
/// A small VM: a quarter of it is stack (0x7ffc0000..0x80000000).
const DIFF_LIMIT: u64 = 1 << 20;
/// Instructions each run may retire (short programs, many executions).
const DIFF_BUDGET: u64 = 400;
/// Slice sizes a run is cut into.
const SLICES: [u64; 12] = [1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 1000];

/// Register values at region and page edges (plus a small offset each).
/// Starting values of the FP registers: the IEEE edge cases (zeros,
/// subnormals, limits, infinities, legacy quiet and signaling NaNs, values
/// at the int32 conversion limits) as single bits; pairs of them make doubles.
const FP_PRESETS: [u32; 16] = [
    0x0000_0000,
    0x8000_0000,
    0x0000_0001,
    0x007f_ffff,
    0x0080_0000,
    0x7f7f_ffff,
    0x3f80_0000,
    0xbfc0_0000,
    0x7f80_0000,
    0xff80_0000,
    0x7fbf_ffff,
    0x7fc0_0000,
    0x4f00_0000,
    0xcf00_0001,
    0x4000_0000,
    0x3f00_0000,
];

const PRESETS: [u32; 32] = [
    0,
    1,
    0xffff_ffff,
    0x8000_0000,
    0x7fff_ffff,
    TEXT_BASE,
    TEXT_BASE + 0x400, // past the end of any generated text
    0x003f_fffc,
    DATA_BASE,
    DATA_BASE - 4,
    DATA_BASE + DATA_LEN as u32 - 4,
    HEAP_START,
    HEAP_START - 2,
    DATA_BASE + 0xffe,
    0x1000_0000,
    0x1000_8000,
    0x7fff_effc,
    0x7fff_f000,
    0x7fff_fffc,
    0x7ffc_0000,
    0x7ffb_fffc,
    0xffff_fffc,
    0xffff_f000,
    0xffff_8000,
    0x0000_7ffc,
    0x0000_8000,
    0x0001_0000,
    0x8000_0004,
    0xf000_0000,
    0x0fff_fffc,
    0x1001_1000,
    0x1001_0fff,
];

/// JIT against interpreter. Input: a slice selector, 32 register presets,
/// HI and LO, then 6 bytes per instruction (a row of the ISA table and its
/// operand bits). Both engines run the same program with the same slice,
/// and the interpreter once more in one go; exits, the exits at every slice
/// boundary, registers, pc, HI/LO, retired count and all mapped non-zero
/// memory must be identical.
pub fn differential(data: &[u8]) {
    if data.len() < 1 + 32 + 8 + 6 {
        return;
    }
    let slice = SLICES[data[0] as usize % SLICES.len()];
    let regs = &data[1..33];
    let hilo = &data[33..41];
    let text: Vec<u32> = data[41..]
        .chunks_exact(6)
        .take(256)
        .map(|c| {
            let def = &OPS[u16::from_le_bytes([c[0], c[1]]) as usize % OPS.len()];
            def.base | (u32::from_le_bytes([c[2], c[3], c[4], c[5]]) & def.free_mask())
        })
        .collect();
    let data_bytes: Vec<u8> = (0..DATA_LEN).map(|i| (i as u8).wrapping_mul(37) ^ 0x5a).collect();
    let program = Program {
        text_base: TEXT_BASE,
        text,
        data: vec![DataSegment { base: DATA_BASE, bytes: data_bytes }],
        entry: TEXT_BASE,
        heap_start: HEAP_START,
        symbols: Vec::new(),
        para_args: Vec::new(),
        source: SourceMap::default(),
    };
    let image = Image::new(program);
    let prepare = || {
        let mut m = Machine::new(&image, DIFF_LIMIT).expect("a small program loads");
        for (i, &b) in regs.iter().enumerate().skip(1) {
            m.cpu.regs[i] = PRESETS[b as usize % 32].wrapping_add((b >> 5) as u32).wrapping_sub(4);
        }
        for (f, &b) in m.cpu.fpr.iter_mut().zip(regs) {
            *f = FP_PRESETS[(b >> 4) as usize % FP_PRESETS.len()];
        }
        // The rounding mode from the low bits of HI's seed byte; no
        // exception enabled (those run in the interpreter under both engines).
        m.cpu.fcsr = (hilo[0] & 3) as u32;
        m.cpu.hi = u32::from_le_bytes([hilo[0], hilo[1], hilo[2], hilo[3]]);
        m.cpu.lo = u32::from_le_bytes([hilo[4], hilo[5], hilo[6], hilo[7]]);
        m
    };
    let (interp, interp_exits) = run(EngineKind::Interp, prepare(), slice);
    let (jit, jit_exits) = run(EngineKind::Jit, prepare(), slice);
    let (whole, _) = run(EngineKind::Interp, prepare(), DIFF_BUDGET);
    let words = image.program.text.iter().map(|w| format!("{w:08x}")).collect::<Vec<_>>().join(" ");
    let context = format!("slice {slice}, text [{words}]");
    assert_eq!(interp_exits, jit_exits, "exits differ: {context}");
    assert_eq!(interp.cpu, jit.cpu, "registers differ: {context}");
    assert_eq!(interp.mem.brk(), jit.mem.brk(), "break differs: {context}");
    assert!(interp.mem.data_runs() == jit.mem.data_runs(), "memory differs: {context}");
    assert_eq!(interp.cpu, whole.cpu, "slicing changed the result: {context}");
    assert!(interp.mem.data_runs() == whole.mem.data_runs(), "slicing changed memory: {context}");
}

/// Runs `m` for [`DIFF_BUDGET`] instructions in slices of `slice`, going on
/// past syscalls and para-instructions (served by the scheduler, which is
/// not under test here); returns the machine and every run's result.
fn run(kind: EngineKind, mut m: Machine, slice: u64) -> (Machine, Vec<(u64, Exit)>) {
    let mut engine = build_engine(kind).expect("engine builds");
    let mut exits = Vec::new();
    let mut left = DIFF_BUDGET;
    while left > 0 && exits.len() < 2 * DIFF_BUDGET as usize {
        let (done, exit) = engine.run(&mut m, slice.min(left));
        left = left.saturating_sub(done);
        let go_on = matches!(exit, Exit::Budget | Exit::Syscall | Exit::Para);
        exits.push((done, exit));
        if !go_on {
            break;
        }
    }
    (m, exits)
}

/// The migration receiver, fed through its real code path: a receiver
/// (`myvmm::migrate::listen` + `serve`, as `--listen` runs it, inside a
/// real scheduler) on loopback, started once per process, gets the input as
/// the bytes of one connection. The connection is then closed for writing
/// and read until the receiver closes it; the receiver must answer or close
/// within its timeout and stay up for the next input.
///
/// Random bytes reach the greeting and the Noise handshake; what lies
/// behind the handshake (frames, the state machine) needs a harness that
/// completes the handshake and fuzzes the plaintext — the next step.
pub fn migration(data: &[u8]) {
    use std::io::{Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpStream};
    use std::sync::OnceLock;
    use std::time::Duration;
    static RECEIVER: OnceLock<SocketAddr> = OnceLock::new();
    let addr = *RECEIVER.get_or_init(start_receiver);
    let mut stream = TcpStream::connect(addr).expect("the receiver accepts connections");
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(data);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let read = (&mut stream).take(1 << 20).read_to_end(&mut answer);
    if let Err(e) = read {
        let stuck = matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut);
        assert!(!stuck, "the receiver neither answered nor closed within 5 s");
    }
}

/// Starts a receiver with short timeouts in a background scheduler; returns
/// its address.
fn start_receiver() -> std::net::SocketAddr {
    use myvmm::migrate::{listen, ListenOptions, MigrateConfig};
    use myvmm::sched::{run_all, Env, VmConfig};
    use myvmm::vm::Console;
    use std::sync::atomic::{AtomicBool, AtomicUsize};
    use std::sync::Arc;
    use std::time::Duration;
    let listener = listen("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    let options = ListenOptions {
        config: MigrateConfig {
            timeout: Duration::from_secs(1),
            deadline: Duration::from_secs(2),
            max_payload: 64 << 20,
            ..MigrateConfig::default()
        },
        vm: VmConfig::default(),
        exit_after: None,
        stop: Arc::new(AtomicBool::new(false)),
        finished: Arc::new(AtomicUsize::new(0)),
        stats: false,
    };
    std::thread::spawn(move || {
        let console: &'static Console = Box::leak(Box::new(Console::new(true, Box::new(std::io::sink()))));
        let env = Env {
            console,
            input: Box::new(std::io::empty()),
            on_finish: &|_| {},
            migrate: None,
            service: Some(Box::new(move |spawner| listener.serve(options, spawner))),
        };
        run_all(Vec::new(), 1, env);
    });
    addr
}
