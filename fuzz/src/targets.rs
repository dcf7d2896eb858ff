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
        data: vec![DataSegment { base: DATA_BASE, bytes: data_bytes, writable: true }],
        entry: TEXT_BASE,
        heap_start: HEAP_START,
        symbols: Vec::new(),
        para_args: Vec::new(),
        source: SourceMap::default(),
        // Half the inputs run with branch delay slots (one seed bit).
        delay_slots: hilo[1] & 0x80 != 0,
        linux: None,
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
/// behind the handshake (frames, the state machine) is the
/// [`migration_frames`] target's.
pub fn migration(data: &[u8]) {
    use std::io::{Read, Write};
    use std::net::{Shutdown, SocketAddr, TcpStream};
    use std::sync::OnceLock;
    use std::time::Duration;
    static RECEIVER: OnceLock<SocketAddr> = OnceLock::new();
    let addr = *RECEIVER.get_or_init(|| start_receiver(None, myvmm::sched::VmConfig::default()));
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

/// VMs the fuzz receivers' scheduler has seen finish (received VMs that
/// committed, ran and ended).
static RECEIVED_FINISHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Starts a receiver with short timeouts in a background scheduler (with
/// `key`, and `vm` for the VMs it receives); returns its address.
fn start_receiver(key: Option<myvmm::migrate::Psk>, vm: myvmm::sched::VmConfig) -> std::net::SocketAddr {
    use myvmm::migrate::{listen, ListenOptions, MigrateConfig};
    use myvmm::sched::{run_all, Env};
    use myvmm::vm::Console;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;
    let listener = listen("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    let options = ListenOptions {
        config: MigrateConfig {
            key,
            timeout: Duration::from_secs(1),
            deadline: Duration::from_secs(2),
            max_payload: 64 << 20,
            ..MigrateConfig::default()
        },
        vm,
        exit_after: None,
        stop: Arc::new(AtomicBool::new(false)),
        finished: Arc::new(AtomicUsize::new(0)),
        stats: false,
    };
    std::thread::spawn(move || {
        let console: &'static Console = Box::leak(Box::new(Console::new(true, Box::new(std::io::sink()))));
        let env = Env {
            console,
            input: Box::new(myvmm::sched::Ready(std::io::empty())),
            on_finish: &|_| {
                RECEIVED_FINISHED.fetch_add(1, Ordering::AcqRel);
            },
            migrate: None,
            services: vec![Box::new(move |spawner| listener.serve(options, spawner))],
            first_new_id: 0,
            stop: Arc::new(AtomicBool::new(false)),
            control: None,
        };
        run_all(Vec::new(), 1, env);
    });
    addr
}

/// Flag of a `migration_frames` input's first byte: sender and receiver
/// share a `--migration-key` (Noise `NNpsk0`); without it, both run the
/// open `NN` handshake. Both are modes the product supports.
pub const FRAMES_PSK: u8 = 1;
/// Flag of a `migration_frames` input's first byte: HELLO announces the
/// sizes in bytes 1..17 of the input (archive bytes, then page bytes, each
/// a little-endian `u64`) instead of those the chunks add up to.
pub const FRAMES_SIZES: u8 = 2;
/// Bytes before the first chunk: the flags, then the two sizes.
pub const FRAMES_HEAD: usize = 17;
/// Chunk tag bit: send the body as it is, with no frame head (so the
/// fuzzer can write heads that lie, split frames, or glue them).
pub const CHUNK_RAW: u8 = 0x80;
/// Chunk tag bit: send an ARCHIVE chunk's checksum as it is. Without it,
/// the harness writes the real checksum of an ARCHIVE chunk's archive over
/// the body's first 8 bytes (the body being checksum, fingerprint, archive),
/// so that mutated archives get past the checksum to the validation behind
/// it (as the `snapshot` target rebuilds its header); with it, the checksum
/// check itself is fuzzed.
pub const CHUNK_AS_IS: u8 = 0x40;
/// Chunk tag bits: the frame type byte sent in the head (unknown types too).
pub const CHUNK_TYPE: u8 = 0x3f;
/// The key both sides hold in [`FRAMES_PSK`] mode.
const FRAMES_SECRET: &[u8] = b"myvmm fuzz harness migration key";
/// Instructions a received VM may run in the fuzz receivers (so one that
/// commits ends quickly and the next input meets an idle scheduler).
const FRAMES_VM_INSTRUCTIONS: u64 = 100_000;

/// The chunks of a `migration_frames` input: (tag, body) pairs after the
/// head, each a tag byte, a little-endian `u16` length and that many bytes
/// (fewer if the input ends first; a trailing byte or two is ignored).
pub fn frames_chunks(data: &[u8]) -> Vec<(u8, &[u8])> {
    let mut rest = data.get(FRAMES_HEAD..).unwrap_or(&[]);
    let mut chunks = Vec::new();
    while let [tag, a, b, tail @ ..] = rest {
        let len = (u16::from_le_bytes([*a, *b]) as usize).min(tail.len());
        chunks.push((*tag, &tail[..len]));
        rest = &tail[len..];
    }
    chunks
}

/// Encodes a `migration_frames` input (the inverse of [`frames_chunks`];
/// bodies longer than 65,535 bytes are cut). For seed generators.
pub fn frames_input(flags: u8, sizes: (u64, u64), chunks: &[(u8, &[u8])]) -> Vec<u8> {
    let mut out = vec![flags];
    out.extend_from_slice(&sizes.0.to_le_bytes());
    out.extend_from_slice(&sizes.1.to_le_bytes());
    for (tag, body) in chunks {
        let body = &body[..body.len().min(u16::MAX as usize)];
        out.push(*tag);
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(body);
    }
    out
}

/// What the receiver made of one `migration_frames` input.
#[derive(Debug, Default)]
pub struct FramesOutcome {
    /// The receiver refused the HELLO in its handshake answer (why).
    pub refused_at_hello: Option<String>,
    /// The frames it sent back over the session, in order.
    pub answer: Vec<(myvmm::migrate::Frame, Vec<u8>)>,
}

/// The receiver behind the handshake (frames, snapshot and program
/// validation, the memory budget, ACK or refusal), fed through the same
/// code path `myvmm --listen` runs: two real receivers (`listen` + `serve`
/// in a real scheduler on loopback, one with a `--migration-key`, one
/// without), started once per process. The harness is an honest sender up
/// to the end of the Noise handshake (`migrate::Session::connect`, the
/// sender's own code), and the input is the plaintext it then sends.
///
/// Input: a flags byte ([`FRAMES_PSK`], [`FRAMES_SIZES`]), two
/// little-endian `u64` sizes for HELLO, then chunks ([`frames_chunks`]):
/// a tag byte, a `u16` length, a body. Each chunk becomes one frame — a
/// head with the tag's type ([`CHUNK_TYPE`]) and the body's length, then
/// the body — unless the tag says [`CHUNK_RAW`] (the body alone). An
/// ARCHIVE chunk's checksum is the real one unless the tag says
/// [`CHUNK_AS_IS`]. Each chunk is flushed as its own sealed record(s).
/// Without [`FRAMES_SIZES`], HELLO announces the first ARCHIVE chunk's
/// archive bytes and the page bytes of all PAGE chunks, so that mutations
/// of what is inside the frames are not all refused at admission. Every
/// input gets a fresh migration id.
///
/// After the last chunk the harness ends its writing and reads until the
/// receiver closes. Checks: the honest handshake succeeds or is refused by
/// name; the receiver closes within its timeouts; what it sends back is a
/// well-formed sequence of frames — nothing, REFUSE, ACCEPT, ACCEPT then
/// REFUSE, or ACCEPT then DONE — every REFUSE saying why; a VM whose DONE
/// went out runs (its end is awaited briefly, so the next input meets an
/// idle scheduler).
///
/// A target of its own rather than a mode of [`migration`]: the two take
/// different inputs (raw connection bytes there, a structured plaintext
/// stream here), so one queue would mix inputs each harness mostly wastes,
/// and AFL++'s figures would not say which layer was covered.
pub fn migration_frames(data: &[u8]) {
    let _ = migration_frames_outcome(data);
}

/// [`migration_frames`], returning what the receiver did (for tests).
pub fn migration_frames_outcome(data: &[u8]) -> FramesOutcome {
    use myvmm::migrate::wire::{read_frame, Hello, Purpose};
    use myvmm::migrate::{Frame, MigrateConfig, MigrateError, Psk, Session};
    use myvmm::snapshot::Header;
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};
    static RECEIVERS: OnceLock<(SocketAddr, SocketAddr)> = OnceLock::new();
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let (open, keyed) = *RECEIVERS.get_or_init(|| {
        let snapshots = std::env::temp_dir().join("myvmm-fuzz-received-snapshots");
        std::fs::create_dir_all(&snapshots).expect("a folder for received VMs' snapshots");
        let vm = myvmm::sched::VmConfig {
            engine: myvmm::engine::EngineKind::Interp,
            max_instructions: Some(FRAMES_VM_INSTRUCTIONS),
            snapshot_dir: myvmm::vm::Folder::open(&snapshots).expect("open the snapshot folder"),
            ..myvmm::sched::VmConfig::default()
        };
        (start_receiver(None, vm.clone()), start_receiver(Some(Psk::from_secret(FRAMES_SECRET)), vm))
    });
    let flags = data.first().copied().unwrap_or(0);
    let chunks = frames_chunks(data);
    let (archive_len, page_bytes) = if flags & FRAMES_SIZES != 0 {
        let mut head = [0u8; FRAMES_HEAD];
        let n = data.len().min(FRAMES_HEAD);
        head[..n].copy_from_slice(&data[..n]);
        let word = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or_default());
        (word(1), word(9))
    } else {
        let typed = |t: Frame| {
            chunks.iter().filter(move |(tag, _)| tag & CHUNK_RAW == 0 && tag & CHUNK_TYPE == t as u8)
        };
        let archive = typed(Frame::Archive).next().map_or(0, |(_, b)| b.len().saturating_sub(16));
        let pages: usize = typed(Frame::Page).map(|(_, b)| b.len().saturating_sub(4)).sum();
        (archive as u64, pages as u64)
    };
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&NEXT_ID.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    id[8..].copy_from_slice(&std::process::id().to_le_bytes().repeat(2));
    let hello = Hello { purpose: Purpose::Migrate, id, archive_len, page_bytes };
    let keyed_mode = flags & FRAMES_PSK != 0;
    let config = MigrateConfig {
        key: keyed_mode.then(|| Psk::from_secret(FRAMES_SECRET)),
        timeout: Duration::from_secs(5),
        deadline: Duration::from_secs(10),
        ..MigrateConfig::default()
    };
    let target = if keyed_mode { keyed } else { open }.to_string();
    let mut outcome = FramesOutcome::default();
    let mut session = match Session::connect(&target, &config, &hello) {
        Ok(s) => s,
        Err(MigrateError::Refused(why)) => {
            assert!(!why.is_empty(), "a refusal at HELLO says why");
            outcome.refused_at_hello = Some(why);
            return outcome;
        }
        Err(e @ (MigrateError::Auth(_) | MigrateError::Protocol(_))) => {
            panic!("an honest handshake failed: {e}")
        }
        Err(_) => return outcome,
    };
    let finished_before = RECEIVED_FINISHED.load(Ordering::Acquire);
    for (tag, body) in &chunks {
        let sealed;
        let archive = tag & (CHUNK_RAW | CHUNK_AS_IS) == 0 && tag & CHUNK_TYPE == Frame::Archive as u8;
        let body: &[u8] = if archive && body.len() >= 16 {
            let fingerprint = u64::from_le_bytes(body[8..16].try_into().unwrap_or_default());
            let mut b = Header::new(&body[16..], fingerprint).checksum.to_le_bytes().to_vec();
            b.extend_from_slice(&body[8..]);
            sealed = b;
            &sealed
        } else {
            body
        };
        let mut head = [0u8; 9];
        head[0] = tag & CHUNK_TYPE;
        head[1..].copy_from_slice(&(body.len() as u64).to_le_bytes());
        let sent = if tag & CHUNK_RAW != 0 {
            session.write(body)
        } else {
            session.write(&head).and_then(|_| session.write(body))
        };
        if sent.and_then(|_| session.flush()).is_err() {
            break; // the receiver has stopped reading (a refusal is waiting)
        }
    }
    let _ = session.close_write();
    let mut answer = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match session.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                assert!(answer.len() <= 1 << 20, "the receiver sends more than 1 MiB of answers");
            }
            Err(MigrateError::Io(e)) => {
                let stuck = matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut);
                assert!(!stuck, "the receiver neither answered nor closed within 5 s: {e}");
                assert!(e.kind() != std::io::ErrorKind::InvalidData, "the receiver's records: {e}");
                break; // reset: the receiver closed on bytes it did not read
            }
            Err(e) => panic!("reading the receiver's answer: {e}"),
        }
    }
    let mut rest = answer.as_slice();
    while !rest.is_empty() {
        let (kind, body) = read_frame(&mut rest, 4096).unwrap_or_else(|e| panic!("a malformed answer: {e}"));
        outcome.answer.push((kind, body));
    }
    let kinds: Vec<Frame> = outcome.answer.iter().map(|(k, _)| *k).collect();
    use Frame::{Accept, Done, Refuse};
    assert!(
        matches!(kinds.as_slice(), [] | [Refuse] | [Accept] | [Accept, Refuse] | [Accept, Done]),
        "an answer out of protocol: {kinds:?}"
    );
    for (kind, body) in &outcome.answer {
        match kind {
            Refuse => assert!(!body.is_empty(), "a REFUSE without a reason"),
            _ => assert!(body.is_empty(), "{kind:?} with a body"),
        }
    }
    if kinds.last() == Some(&Done) {
        // The VM runs now; let it end (it may sleep: not a finding).
        let until = Instant::now() + Duration::from_secs(1);
        while RECEIVED_FINISHED.load(Ordering::Acquire) == finished_before && Instant::now() < until {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    outcome
}
