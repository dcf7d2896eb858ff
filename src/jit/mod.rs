//! The JIT: guest basic blocks translated to x86-64 with `dynasmrt`.
//!
//! * **State.** Generated code runs with `r15` = the [`Cpu`] (a copy in the
//!   run's `Frame`, with the run's context at negative offsets from it),
//!   `r14` = guest memory base, `r12` = the instruction budget left. Nine
//!   guest registers live in `rbx rbp rsi rdi r8 r9 r10 r11 r13` for the
//!   whole run (written back to the `Cpu` on every exit and around helper
//!   calls; which nine, see `Jit::repin`);
//!   the rest stay in memory. Up to fourteen FP register pairs live in
//!   `xmm2`–`xmm15` the same way, each as one double (see
//!   `translate::Pins`). No host register goes to page permissions: the
//!   host checks them (see *Exactness*).
//! * **Calls and returns.** `jal` (and `bal`, `jalr $ra`) pushes a return
//!   entry — the guest return address, and by a host `call` the code that
//!   goes on there — and
//!   `jr $ra` whose target matches the top entry returns with `ret`, which
//!   the processor's return predictor foresees (the table lookup's shared
//!   indirect jump mispredicts returns to many callers). At most 16 KiB of
//!   entries; every exit from generated code drops them (`rsp` back to the
//!   level the entry stub saved), so they never outlive a run or a flushed
//!   cache.
//! * **Blocks** end at a branch, jump, `syscall`, para-instruction or after
//!   [`MAX_BLOCK`] instructions; a translation runs on past forward
//!   conditional branches into the blocks that follow (a superblock: see
//!   `translate::extent`), its taken branches leaving by side exits. A
//!   translation charges its length to the budget on entry; if the budget
//!   cannot cover it, it exits and the interpreter runs exactly the
//!   instructions left, so slices are instruction-exact; a side exit or
//!   fall-back refunds what did not run.
//! * **Chaining.** A direct branch or jump ends in a patchable `jmp rel32`,
//!   first aimed at an exit stub and re-aimed at the target block once that
//!   block exists, so hot loops never return to the dispatcher.
//! * **Exactness.** Memory accesses test alignment inline (where the
//!   address may be unaligned) and leave page permissions to the host:
//!   guest memory is sealed, its host protections matching the guest's
//!   permissions, and a host fault on a guest access resumes at that
//!   access's fall-back (see `host_fault`). Anything unusual (a fault, an
//!   overflow, a jump out of the program) leaves the block with the budget
//!   refunded and the interpreter executes that one instruction, so faults
//!   and state are the interpreter's.
//!   Instructions without a translation call [`crate::interp::execute`].
//! * **Code memory** is one `dynasmrt` buffer of [`CODE_CAPACITY`] bytes,
//!   mapped writable or executable, never both; it never grows (so code never
//!   moves under chains): when full, the whole cache is flushed.

mod code;
mod host_fault;
mod translate;

use crate::engine::Engine;
use crate::interp;
use crate::isa::Inst;
use crate::vm::{Cpu, Exit, Fault, GuestMemory, Machine};
use code::CodeBuffer;
use dynasmrt::{AssemblyOffset, DynasmApi};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use translate::Ops;

/// Most instructions in one block.
pub const MAX_BLOCK: usize = 64;
/// Bytes of generated code one VM may hold before its cache is flushed.
pub const CODE_CAPACITY: usize = 16 << 20;
/// Room kept free for one more block (a block is far smaller).
const BLOCK_ROOM: usize = 64 << 10;
/// Entries into a block before it is translated, unless `MYVMM_JIT_HOT`
/// says otherwise. Code that runs a few times (initialisation, a large
/// program's rare paths) is interpreted: translating a block costs about
/// as much as interpreting it a hundred times. (At 2, SQLite's driver
/// translated 47,000 blocks, half its run. From about 20 on, the bytecode
/// workload ran at half speed with the same host instructions, the same
/// pinned registers and the same exits: its code lies differently, and a
/// dispatch loop's indirect jumps are sensitive to where. 8 keeps it.)
pub const HOT_THRESHOLD: u8 = 8;

/// `MYVMM_JIT_HOT` (1–255) when set and valid, else [`HOT_THRESHOLD`].
fn hot_threshold_from_env() -> u8 {
    std::env::var("MYVMM_JIT_HOT")
        .ok()
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(HOT_THRESHOLD)
}

/// The opcode of `jmp rel32`, the chain slot of an unconditional jump.
const JMP_REL32: u8 = 0xe9;
/// A 5-byte no-op (`nop dword [rax + rax + 0]`), the size of `jmp rel32`.
const NOP5: [u8; 5] = [0x0f, 0x1f, 0x44, 0x00, 0x00];

/// Least code translated per batch (see [`Jit::translate_batch`]).
const MIN_BATCH_BYTES: usize = 4 << 10;

/// Exit codes generated code returns to the dispatcher.
mod exit_code {
    pub const NEXT: u32 = 0;
    pub const BUDGET: u32 = 1;
    pub const SYSCALL: u32 = 2;
    pub const PARA: u32 = 3;
    pub const INTERP: u32 = 4;
    /// Generated code faulted on the host (a JIT bug; see [`super::host_fault`]).
    pub const HOST_FAULT: u32 = 5;
    /// A jump landed just past the last instruction: the VM halts.
    pub const HALT: u32 = 6;
    /// A loop's alignment check on entry failed (`Cpu::pc` is the loop's
    /// start): the loop is translated again with its checks in the body.
    pub const LOOP_CHECK: u32 = 7;
}

/// What generated code runs on: the run's context, then a copy of the
/// machine's CPU, which `r15` points at, so the context is at small negative
/// offsets from it and no host register is spent on it. (The copy goes in
/// before the run and back after it; a run is at least a turn.)
#[repr(C)]
struct Frame {
    ctx: Context,
    cpu: Cpu,
}

/// The run's context (see [`Frame`]), as helpers get it.
#[repr(C)]
struct Context {
    cpu: *mut Cpu,
    mem_base: *mut u8,
    budget: i64,
    mem: *mut GuestMemory,
    code: *const Inst,
    /// Host address of each text index's block (0: none yet), for indirect jumps.
    table: *const usize,
    text_base: u32,
    /// `rsp` inside generated code (written by the entry stub), where the
    /// host-fault handler resumes the recovery stub, and where every exit
    /// puts it back (dropping return entries).
    block_rsp: usize,
    /// `block_rsp` less the room return entries may take: a call whose
    /// `rsp` is at or below it pushes none.
    return_limit: usize,
    /// MXCSR while guest code runs: FCSR's rounding mode, flags clear.
    mxcsr_in: u32,
    /// What the exit stub leaves for [`translate::settle_fp`]: MXCSR's
    /// flags and the last FP operation's record.
    fp_record: translate::FpRecord,
}

/// Host registers that hold pinned guest registers.
const PINNED_HOSTS: [u8; 9] = [3, 5, 6, 7, 8, 9, 10, 11, 13];
/// Host xmm registers that hold pinned FP register pairs (`xmm0` and
/// `xmm1` stay scratch).
const PINNED_XMMS: [u8; 14] = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/// Figures for `--stats`.
#[derive(Default, Clone, Debug)]
pub struct JitStats {
    /// Blocks translated.
    pub blocks: u64,
    /// Time spent translating.
    pub compile_time: Duration,
    /// Guest instructions executed by translated code.
    pub translated: u64,
    /// Guest instructions executed by the interpreter (budget tails, faults).
    pub interpreted: u64,
    /// Times the code cache was flushed.
    pub flushes: u64,
    /// Times the code was dropped because the VM was parked (many VMs).
    pub parked: u64,
}

struct Block {
    entry: AssemblyOffset,
    len: u32,
}

/// A code buffer with its entry and exit stubs.
struct CodeCache {
    buffer: CodeBuffer,
    /// Bytes of the buffer in use (code is appended, never moved).
    used: usize,
    enter: AssemblyOffset,
    /// The host-fault recovery stub.
    recover: AssemblyOffset,
    /// Where blocks start (after the stubs).
    blocks_start: AssemblyOffset,
    /// The shared exit stub, which every batch's exits jump to.
    exit: AssemblyOffset,
    blocks: Vec<Option<Block>>,
    /// Host entry address of each block by text index (0: none); one extra
    /// entry for the end of the text, always 0.
    table: Vec<usize>,
    /// Where the buffer starts: it must never move (see the module docs).
    base: usize,
    /// Chain slots (offset just past a `jmp rel32`) waiting for a block at a text index.
    pending: HashMap<u32, Vec<AssemblyOffset>>,
    /// Bytes of code committed so far (sets the size of the next batch).
    committed_bytes: usize,
    /// Every guest access in the buffer: the host instruction's offset and
    /// its fall-back's, sorted (the fault handler searches it).
    accesses: Vec<(u32, u32)>,
}

/// The JIT engine of one VM.
pub struct Jit {
    cache: Option<CodeCache>,
    /// Entries into each not-yet-translated block, by text index (saturating).
    heat: Vec<u8>,
    /// Entries after which a block is translated (see [`HOT_THRESHOLD`]).
    hot_threshold: u8,
    /// Guest register → host register, for pinned ones.
    pinned: [Option<u8>; 32],
    /// The host register holding HI:LO as one 64-bit value, when pinned.
    hilo_pinned: Option<u8>,
    /// FP register pair → xmm register, for pinned ones (chosen once, from
    /// the program's counts).
    fp_pinned: Option<[Option<u8>; 16]>,
    stats: JitStats,
    /// Code bytes before a flush.
    capacity: usize,
    /// Where runs ran out of budget (text indices): a sample of where the
    /// time goes, for [`Jit::repin`].
    samples: Vec<u32>,
    /// Times the samples were looked at to choose the pinned registers again.
    repins: u32,
    /// The whole program's register counts (computed once).
    static_uses: Option<[u64; 32]>,
    /// The memory could not be sealed, so the VM runs interpreted (told in
    /// `--stats`, not on stderr, which both engines keep alike).
    unsealed: bool,
    /// Loops (text indices) whose alignment check on entry failed: they
    /// check in their bodies instead, as other code does.
    unhoisted: Vec<u32>,
}

impl Default for Jit {
    fn default() -> Self {
        Self::new()
    }
}

impl Jit {
    /// A JIT with an empty cache (built on first use).
    pub fn new() -> Jit {
        Jit::with_code_capacity(CODE_CAPACITY)
    }

    /// A JIT whose code cache holds `bytes` (at least 128 KiB) before it is flushed.
    pub fn with_code_capacity(bytes: usize) -> Jit {
        host_fault::install();
        Jit {
            cache: None,
            heat: Vec::new(),
            hot_threshold: hot_threshold_from_env(),
            pinned: [None; 32],
            hilo_pinned: None,
            fp_pinned: None,
            stats: JitStats::default(),
            capacity: bytes.max(2 * BLOCK_ROOM),
            samples: Vec::new(),
            repins: 0,
            static_uses: None,
            unsealed: false,
            unhoisted: Vec::new(),
        }
    }

    /// The same JIT translating a block on its `entries`-th entry (1: at
    /// once, as tests that exercise the translator want).
    pub fn with_hot_threshold(mut self, entries: u8) -> Jit {
        self.hot_threshold = entries.max(1);
        self
    }

    /// True when the block at `index` has been entered often enough to
    /// translate; counts this entry.
    fn is_hot(&mut self, code_len: usize, index: usize) -> bool {
        if self.heat.len() != code_len {
            self.heat = vec![0; code_len];
        }
        let heat = &mut self.heat[index];
        *heat = heat.saturating_add(1);
        *heat >= self.hot_threshold
    }

    /// Figures so far.
    pub fn stats(&self) -> &JitStats {
        &self.stats
    }

    /// Pins the guest registers the program names most often.
    fn choose_pinned(&mut self, code: &[Inst]) -> ([Option<u8>; 32], Option<u8>) {
        Self::pin_most_used(self.static_uses(code))
    }

    /// The whole program's register counts.
    fn static_uses(&mut self, code: &[Inst]) -> [u64; 32] {
        *self.static_uses.get_or_insert_with(|| {
            let mut uses = [0u64; 32];
            Self::count_uses(code, 1, &mut uses);
            uses
        })
    }

    /// Adds `weight` to `uses` for every register each instruction names
    /// (the table's def/use roles say which); HI and LO, which are pinned
    /// together, count in slot 0 (`$zero` is never pinned), twice over:
    /// kept in memory they cost a multiply-add seven instructions and a
    /// store-to-load wait, where a GPR in memory costs one load (four
    /// times over took a register CoreMark needed more: 15.5k to 14.7k
    /// iterations/s; twice, matmul 0.24 s to 0.18 s and CoreMark alike).
    fn count_uses(code: &[Inst], weight: u64, uses: &mut [u64; 32]) {
        for (mut gprs, hilo) in code.iter().filter_map(Inst::gprs_named) {
            while gprs != 0 {
                uses[gprs.trailing_zeros() as usize] += weight;
                gprs &= gprs - 1;
            }
            if hilo {
                uses[0] += 2 * weight;
            }
        }
    }

    /// Samples taken before the pinned registers are chosen again from
    /// where the time goes (then 16 and 256 times as many: a program that
    /// settles into its work is looked at again, rarely).
    const SAMPLES_TO_REPIN: usize = 256;

    /// Instructions between samples within a run, while the pinned
    /// registers may still change.
    const SAMPLE_EVERY: u64 = 1 << 16;

    /// Loops whose entry check may fail before no loop checks on entry any
    /// more (each failure drops the code cache: a program misaligning its
    /// bases on purpose must not make the JIT translate for ever).
    const MAX_UNHOISTED: usize = 16;

    /// Takes a sample of where the VM is (text index), choosing the pinned
    /// registers again when enough have gathered (see [`Jit::repin`]).
    fn sample(&mut self, m: &Machine) {
        if self.repins >= 3 {
            return;
        }
        if self.samples.len() >= Self::SAMPLES_TO_REPIN << (4 * self.repins) {
            self.repin(&m.code, m.cpu.delay_mode != 0);
        }
        let index = m.cpu.pc.wrapping_sub(m.text_base) / 4;
        if (index as usize) < m.code.len() {
            self.samples.push(index);
        }
    }

    /// Chooses the pinned registers again from where runs spend their
    /// time: the registers named in the basic block at each sampled pc,
    /// and the whole program's counts to break ties. (A sample is where a
    /// turn starts, a block's entry: the code about to run. A window of 24
    /// instructions around it gave a loop's set-up and the code after it
    /// the loop's weight: the ALU loop kept one of its five registers in
    /// memory and ran at half speed, and zlib's `longest_match` loop, two
    /// thirds of its run, kept seven.) A program's static counts are a poor
    /// guess when most of its text is a library it barely runs (static
    /// glibc); the samples are not. When the choice changes, the code cache
    /// is dropped and hot code is translated again with the new registers
    /// (three looks a run at most, so a program whose phases disagree does
    /// not keep translating).
    fn repin(&mut self, code: &[Inst], delay: bool) {
        let mut uses = self.static_uses(code);
        self.repins += 1;
        // Samples gather in hot loops: each pc's window is counted once,
        // weighted by how often it was sampled (the last look takes 65,536).
        self.samples.sort_unstable();
        for same_pc in self.samples.chunk_by(|a, b| a == b) {
            let at = same_pc[0] as usize;
            let block = &code[at.min(code.len())..];
            let window = &block[..translate::block_len(block, delay)];
            Self::count_uses(window, (same_pc.len() as u64) << 20, &mut uses);
        }
        self.samples.clear();
        let (pinned, hilo) = Self::pin_most_used(uses);
        let same =
            |a: &[Option<u8>; 32], b: &[Option<u8>; 32]| (0..32).all(|r| a[r].is_some() == b[r].is_some());
        if !same(&pinned, &self.pinned) || hilo.is_some() != self.hilo_pinned.is_some() {
            self.pinned = pinned;
            self.hilo_pinned = hilo;
            self.cache = None;
            self.stats.flushes += 1;
        }
    }

    /// Pins the FP register pairs the program names most often, pairs
    /// named at all (a program without FP code pins none, and pays nothing
    /// on entry and exit).
    fn choose_fp_pinned(code: &[Inst]) -> [Option<u8>; 16] {
        let mut uses = [0u64; 16];
        for inst in code.iter().filter(|i| i.op.flags().contains(crate::isa::Flags::FPU)) {
            for (f, _) in translate::fp_fields(inst) {
                uses[(f >> 1) as usize] += 1;
            }
        }
        let mut order: Vec<usize> = (0..16).filter(|&p| uses[p] > 0).collect();
        order.sort_by_key(|&p| (std::cmp::Reverse(uses[p]), p));
        let mut pinned = [None; 16];
        for (&pair, &xmm) in order.iter().zip(PINNED_XMMS.iter()) {
            pinned[pair] = Some(xmm);
        }
        pinned
    }

    /// The registers generated code keeps in host registers.
    fn pins(&mut self, code: &[Inst]) -> translate::Pins {
        let fpr = *self.fp_pinned.get_or_insert_with(|| Self::choose_fp_pinned(code));
        translate::Pins { gpr: self.pinned, hilo: self.hilo_pinned, fpr }
    }

    /// The nine most used of the guest registers and HI:LO (slot 0 of
    /// `uses`): the GPRs' host registers, and HI:LO's.
    fn pin_most_used(uses: [u64; 32]) -> ([Option<u8>; 32], Option<u8>) {
        let mut order: Vec<usize> = (0..32).filter(|&r| uses[r] > 0).collect();
        order.sort_by_key(|&r| (std::cmp::Reverse(uses[r]), r));
        let mut pinned = [None; 32];
        for (&guest, &host) in order.iter().zip(PINNED_HOSTS.iter()) {
            pinned[guest] = Some(host);
        }
        let hilo = pinned[0].take();
        (pinned, hilo)
    }

    fn new_cache(&mut self, code: &[Inst]) -> Result<CodeCache, String> {
        let code_len = code.len();
        let pins = self.pins(code);
        let mut buffer = CodeBuffer::new(self.capacity).map_err(|e| format!("JIT code memory: {e}"))?;
        let base = buffer.exec_addr(0);
        let mut ops = Ops::new(base);
        let exit = ops.new_dynamic_label();
        let stubs = translate::emit_stubs(&mut ops, exit, &pins);
        ops.commit().map_err(|e| format!("JIT: {e}"))?;
        let exit = ops.labels().resolve_dynamic(exit).map_err(|e| format!("JIT: {e}"))?;
        let code = ops.finalize().map_err(|e| format!("JIT: {e}"))?;
        buffer.write(0, &code).map_err(|e| format!("JIT: {e}"))?;
        let blocks_start = AssemblyOffset(code.len().next_multiple_of(16));
        Ok(CodeCache {
            buffer,
            used: blocks_start.0,
            enter: stubs.enter,
            recover: stubs.recover,
            blocks_start,
            exit,
            blocks: (0..code_len).map(|_| None).collect(),
            table: vec![0; code_len + 1],
            base,
            pending: HashMap::new(),
            committed_bytes: 0,
            accesses: Vec::new(),
        })
    }

    /// The block at text index `index`, translated now if need be.
    fn block(&mut self, m: &Machine, index: usize) -> Result<(AssemblyOffset, u32), String> {
        if self.cache.is_none() {
            if self.repins == 0 {
                (self.pinned, self.hilo_pinned) = self.choose_pinned(&m.code);
            }
            self.cache = Some(self.new_cache(&m.code)?);
        }
        if let Some(Some(b)) = self.cache.as_ref().map(|c| &c.blocks[index]) {
            return Ok((b.entry, b.len));
        }
        if self.cache.as_ref().is_some_and(|c| c.used + BLOCK_ROOM > c.buffer.capacity()) {
            // Full: start over. Safe here: no generated code is running.
            self.cache = Some(self.new_cache(&m.code)?);
            self.stats.flushes += 1;
        }
        let start = Instant::now();
        let translated = self.translate_batch(m, index)?;
        self.stats.blocks += translated;
        self.stats.compile_time += start.elapsed();
        let cache = self.cache.as_ref().expect("cache built above");
        let b = cache.blocks[index].as_ref().expect("the batch starts with the requested block");
        Ok((b.entry, b.len))
    }

    /// Translates the block at `index` and, while the batch is small next to
    /// the code already committed, the blocks its branches lead to; then
    /// copies the batch into the buffer and chains it at once.
    ///
    /// Batching dates from dynasmrt's own buffer, where every commit flipped
    /// the protection of all code (one commit per block made translation
    /// quadratic: 80k one-shot blocks took 29 s); with the dual-mapped
    /// buffer ([`code`]) a batch costs one copy, and batching still saves a
    /// dispatcher round trip per block a hot path leads to.
    fn translate_batch(&mut self, m: &Machine, index: usize) -> Result<u64, String> {
        let pins = self.pins(&m.code);
        let cache = self.cache.as_mut().expect("cache built by the caller");
        let start = cache.used.next_multiple_of(16);
        let budget = MIN_BATCH_BYTES.max(cache.committed_bytes / 4);
        // The batch is assembled for its final address, then copied in.
        // Room for the whole batch up front: grown from empty, the buffer
        // was copied over and over on its way to the batch's size. (At
        // most a MiB ahead: a batch may stop after one block.)
        let bytes_guess = budget.min(1 << 20) + 2 * BLOCK_ROOM;
        let mut ops = Ops::new_with_capacity(cache.buffer.exec_addr(start), bytes_guess, 0, 0, 1024, 0, 1024);
        let exit = ops.new_dynamic_label();
        let exit_addr = cache.buffer.exec_addr(cache.exit.0);
        translate::emit_exit_hop(&mut ops, exit, exit_addr);
        let room = cache.buffer.capacity() - start;
        let mut queue = std::collections::VecDeque::from([index as u32]);
        // A large program's batches run to thousands of blocks (the budget
        // grows with the code): grown from empty, these were copied over
        // and over. A block's hot code is some hundred bytes.
        let blocks_guess = bytes_guess / 128;
        let mut batch: Vec<(usize, translate::Compiled)> = Vec::with_capacity(blocks_guess);
        let mut queued = std::collections::HashSet::from([index as u32]);
        let mut colds: Vec<translate::Cold> = Vec::with_capacity(blocks_guess);
        let (mut cold_bytes, mut cold_guess) = (0, 0);
        while let Some(next) = queue.pop_front() {
            let next = next as usize;
            if cache.blocks[next].is_some() {
                continue;
            }
            let used = ops.offset().0;
            if !batch.is_empty() && (used + cold_guess >= budget || used + cold_bytes + BLOCK_ROOM > room) {
                break;
            }
            let checks_on_entry =
                self.unhoisted.len() < Self::MAX_UNHOISTED && !self.unhoisted.contains(&(next as u32));
            let (compiled, cold) = translate::block(&mut ops, exit, &pins, m, next, checks_on_entry);
            // Breadth first, but the target of the block's last jump next:
            // it then starts right where the block ends, and the jump
            // becomes a no-op when it is chained (below).
            let last = compiled.slots.len().saturating_sub(1);
            for (n, &(_, target)) in compiled.slots.iter().enumerate() {
                if (target as usize) < m.code.len() && queued.insert(target) {
                    if n == last {
                        queue.push_front(target);
                    } else {
                        queue.push_back(target);
                    }
                }
            }
            cold_bytes += cold.max_bytes();
            cold_guess += cold.typical_bytes();
            batch.push((next, compiled));
            colds.push(cold);
        }
        // The exits after all the batch's hot code.
        for ((_, compiled), cold) in batch.iter_mut().zip(colds) {
            compiled.accesses = cold.emit(&mut ops);
        }
        let code = ops.finalize().map_err(|e| format!("JIT: {e}"))?;
        cache.buffer.write(start, &code).map_err(|e| format!("JIT: {e}"))?;
        cache.used = start + code.len();
        cache.committed_bytes = cache.used;
        let base = cache.base;
        // Offsets in the batch count from its start.
        let at = |o: AssemblyOffset| AssemblyOffset(start + o.0);
        for (index, compiled) in &batch {
            let entry = at(compiled.entry);
            cache.blocks[*index] = Some(Block { entry, len: compiled.len });
            cache.table[*index] = base + entry.0;
            // Batches and their blocks follow one another in the buffer:
            // appending keeps the list sorted.
            let moved = compiled.accesses.iter().map(|&(a, f)| (a + start as u32, f + start as u32));
            cache.accesses.extend(moved);
        }
        // Chain every slot that was waiting for a block of the batch, and the
        // batch's own slots whose targets exist.
        let mut patches: Vec<(AssemblyOffset, AssemblyOffset)> = Vec::new();
        let translated = batch.len() as u64;
        for (index, compiled) in batch {
            let entry = at(compiled.entry);
            for slot in cache.pending.remove(&(index as u32)).unwrap_or_default() {
                patches.push((slot, entry));
            }
            for (slot, target) in compiled.slots {
                let slot = at(slot);
                match cache.blocks.get(target as usize) {
                    Some(Some(b)) => patches.push((slot, b.entry)),
                    Some(None) => cache.pending.entry(target).or_default().push(slot),
                    None => {} // the end of the text: the exit stub stays
                }
            }
        }
        for (slot, target) in patches {
            // The `rel32` ending just before `slot`, through the writable view.
            let rel = (target.0 as i64 - slot.0 as i64) as i32;
            let jmp = slot.0 >= 5 && cache.buffer.bytes(slot.0)[slot.0 - 5] == JMP_REL32;
            if rel == 0 && jmp {
                // A `jmp` to the next instruction (the block laid out right
                // after its source): no taken branch on the way.
                cache.buffer.write(slot.0 - 5, &NOP5).map_err(|e| format!("JIT: {e}"))?;
            } else {
                cache.buffer.write(slot.0 - 4, &rel.to_le_bytes()).map_err(|e| format!("JIT: {e}"))?;
            }
        }
        Ok(translated)
    }

    /// The fault to report after generated code faulted on the host: the
    /// pc is set to the start of the block that was running (the block whose
    /// code starts last before the faulting instruction), and the code cache
    /// is dropped, since the bug may lie in it. A fault in a batch's
    /// out-of-line code (which follows all its blocks, and touches only the
    /// CPU state) would name the batch's last block instead.
    fn host_fault(&mut self, m: &mut Machine) -> Fault {
        let (rip, addr) = host_fault::last_fault();
        if let Some(cache) = self.cache.take() {
            let offset = rip.wrapping_sub(cache.base);
            let running = cache
                .blocks
                .iter()
                .enumerate()
                .filter_map(|(index, b)| b.as_ref().map(|b| (b.entry.0, index)))
                .filter(|&(entry, _)| entry <= offset)
                .max();
            if let Some((_, index)) = running {
                m.cpu.pc = m.text_base.wrapping_add(4 * index as u32);
            }
        }
        Fault::HostFault { addr: addr as u64 }
    }

    /// Runs translated code from `entry` until it exits; returns the exit code.
    fn enter(&mut self, m: &mut Machine, entry: AssemblyOffset, budget: u64) -> (u32, u64) {
        let cache = self.cache.as_ref().expect("a block was just looked up");
        let mut frame = Frame {
            ctx: Context {
                cpu: std::ptr::null_mut(),
                mem_base: m.mem.base_ptr(),
                budget: budget as i64,
                mem: &mut m.mem,
                code: m.code.as_ptr(),
                table: cache.table.as_ptr(),
                text_base: m.text_base,
                block_rsp: 0,
                return_limit: 0,
                mxcsr_in: translate::mxcsr_for(m.cpu.fcsr),
                fp_record: translate::FpRecord::default(),
            },
            cpu: m.cpu.clone(),
        };
        frame.ctx.cpu = &mut frame.cpu;
        // SAFETY: `enter` is the stub emitted by `emit_stubs`, a sysv64
        // function of this signature, copied into the executable view.
        let enter: unsafe extern "sysv64" fn(*mut Frame, *const u8) -> u32 =
            unsafe { std::mem::transmute(cache.buffer.exec_addr(cache.enter.0)) };
        // A host fault in this buffer's blocks resumes at its recovery stub.
        let _active = host_fault::enter(host_fault::Region {
            start: cache.base + cache.blocks_start.0,
            end: cache.base + cache.buffer.capacity(),
            recover: cache.base + cache.recover.0,
            rsp_slot: std::ptr::addr_of!(frame.ctx.block_rsp) as usize,
            base: cache.base,
            accesses: cache.accesses.as_ptr() as usize,
            accesses_len: cache.accesses.len(),
        });
        // SAFETY: `entry` is a block translated for this machine's program;
        // `frame` holds this machine's CPU and points at its memory (base,
        // permissions) and code for the whole call, and nothing else uses
        // them meanwhile. The buffer is locked for execution, so no code is
        // changed under it.
        let code = unsafe { enter(&mut frame, cache.buffer.exec_addr(entry.0) as *const u8) };
        m.cpu = frame.cpu;
        let record = frame.ctx.fp_record;
        let used = budget - frame.ctx.budget as u64;
        translate::settle_fp(&mut m.cpu, &m.code, &record);
        (code, used)
    }

    /// The guest registers in host registers last chosen (`--stats`: why
    /// one loop is fast and another not), as `; pinned $s0 $s1 … HI:LO`.
    fn pinned_names(&self) -> String {
        if self.cache.is_none() && self.repins == 0 {
            return String::new();
        }
        let mut names: Vec<String> = (1..32)
            .filter(|&r| self.pinned[r].is_some())
            .map(|r| format!("${}", crate::isa::reg::NAMES[r]))
            .collect();
        if self.hilo_pinned.is_some() {
            names.push("HI:LO".into());
        }
        format!("; pinned {}", names.join(" "))
    }
}

impl Engine for Jit {
    fn name(&self) -> &'static str {
        "jit"
    }

    fn run(&mut self, m: &mut Machine, budget: u64) -> (u64, Exit) {
        let mut left = budget;
        // The interpreter runs what translated code does not: tails of budgets,
        // faulting instructions and anything outside the text.
        let interpret = |m: &mut Machine, n: u64, left: &mut u64, stats: &mut JitStats| {
            let (done, exit) = interp::run(m, n);
            *left -= done;
            stats.interpreted += done;
            exit
        };
        self.sample(m);
        loop {
            if left == 0 {
                return (budget, Exit::Budget);
            }
            if m.cpu.delay_pending != 0 {
                // Stopped between a branch and its slot: the interpreter
                // runs the slot and completes the transfer.
                match interpret(m, 1, &mut left, &mut self.stats) {
                    Exit::Budget => continue,
                    exit => return (budget - left, exit),
                }
            }
            let offset = m.cpu.pc.wrapping_sub(m.text_base);
            let index = (offset / 4) as usize;
            if offset & 3 != 0 || index >= m.code.len() {
                let exit = interpret(m, left, &mut left, &mut self.stats);
                return (budget - left, exit);
            }
            let compiled = self.cache.as_ref().is_some_and(|c| c.blocks[index].is_some());
            if !compiled && !self.is_hot(m.code.len(), index) {
                // Cold: interpret this one block (up to its end or the budget).
                let n = (translate::block_len(&m.code[index..], m.cpu.delay_mode != 0) as u64).min(left);
                match interpret(m, n, &mut left, &mut self.stats) {
                    Exit::Budget => continue,
                    exit => return (budget - left, exit),
                }
            }
            // Translated code leaves page permissions to the host: the
            // memory is sealed the first time it runs (a VM whose code never
            // gets hot keeps its few host mappings). A memory the host could
            // not protect runs interpreted (correct, slow).
            if !m.mem.seal() {
                self.unsealed = true;
                let exit = interpret(m, left, &mut left, &mut self.stats);
                return (budget - left, exit);
            }
            let (entry, len) = match self.block(m, index) {
                Ok(b) => b,
                Err(message) => {
                    // No code memory: carry on interpreting rather than fail the VM.
                    eprintln!("warning: {message}; interpreting");
                    let exit = interpret(m, left, &mut left, &mut self.stats);
                    return (budget - left, exit);
                }
            };
            if len as u64 > left || translate::rare_fp_mode(m.cpu.fcsr) {
                // Too short a budget for the block, or FP exceptions enabled
                // or flush-to-zero (which translated code does not model).
                let exit = interpret(m, left, &mut left, &mut self.stats);
                return (budget - left, exit);
            }
            // While the pinned registers may still change, a long run is
            // cut into pieces, each end a sample (a lone VM's turns are a
            // million instructions: its first choice would come late).
            let piece = if self.repins < 3 { left.min(Self::SAMPLE_EVERY) } else { left };
            let (code, used) = self.enter(m, entry, piece);
            m.cpu.retired += used;
            left -= used;
            self.stats.translated += used;
            match code {
                exit_code::NEXT => {}
                exit_code::BUDGET if piece < left + used => self.sample(m),
                exit_code::SYSCALL => return (budget - left, Exit::Syscall),
                exit_code::PARA => return (budget - left, Exit::Para),
                exit_code::BUDGET => {
                    let exit = interpret(m, left, &mut left, &mut self.stats);
                    return (budget - left, exit);
                }
                exit_code::HOST_FAULT => return (budget - left, Exit::Fault(self.host_fault(m))),
                exit_code::LOOP_CHECK => {
                    // Rare (a base misaligned on a path the loop may not
                    // take): the loop checks in its body from now on.
                    self.unhoisted.push(m.cpu.pc.wrapping_sub(m.text_base) / 4);
                    self.cache = None;
                    self.stats.flushes += 1;
                }
                exit_code::HALT => return (budget - left, Exit::Halt),
                _ => match interpret(m, 1, &mut left, &mut self.stats) {
                    Exit::Budget => {}
                    exit => return (budget - left, exit),
                },
            }
        }
    }

    /// Parked VMs keep no code: a code buffer is a reservation and two
    /// host mappings, which many parked VMs would exhaust (the module docs
    /// of `vm::memory::park` say why VMs park). Hot code is translated
    /// again after.
    fn park(&mut self) {
        if self.cache.take().is_some() {
            self.stats.parked += 1;
        }
    }

    fn stats(&self) -> Option<String> {
        let s = &self.stats;
        let total = (s.translated + s.interpreted).max(1);
        Some(
            format!(
                "{} blocks compiled in {:.3} ms, {:.1} % of instructions in translated code{}",
                s.blocks,
                s.compile_time.as_secs_f64() * 1e3,
                100.0 * s.translated as f64 / total as f64,
                if s.flushes > 0 { format!(", {} cache flushes", s.flushes) } else { String::new() }
            ) + &if s.parked > 0 {
                format!(", code dropped {} times while the VM was parked", s.parked)
            } else {
                String::new()
            } + &self.pinned_names()
                + if self.unsealed {
                    "; the host refused the memory's page protections (too many mappings), so it ran interpreted"
                } else {
                    ""
                },
        )
    }
}

/// Runs one instruction that has no translation; 0 on success, 1 when it
/// faults (nothing changed: the interpreter will report it).
extern "sysv64" fn exec_one(ctx: *mut Context, index: u32) -> u32 {
    // SAFETY: generated code passes the `Context` built in `Jit::enter`,
    // alive for the whole call; its pointers are the running machine's and
    // nothing else touches that machine meanwhile. `index` is in the text.
    let (cpu, mem, inst, pc) = unsafe {
        let ctx = &mut *ctx;
        (&mut *ctx.cpu, &mut *ctx.mem, &*ctx.code.add(index as usize), ctx.text_base.wrapping_add(4 * index))
    };
    match interp::execute(cpu, mem, inst, pc) {
        Ok(interp::Next::Seq) => 0,
        _ => 1,
    }
}

/// `MYVMM_JIT_DUMP=FILE` (a profiling aid, see docs/elf.md): at the end of
/// a VM, its code buffer goes to FILE and its host address to stderr, for
/// `objdump -D -b binary -mi386:x86-64 --adjust-vma=ADDR FILE` next to a
/// `perf record` of the run.
impl Drop for Jit {
    fn drop(&mut self) {
        let (Some(path), Some(cache)) = (std::env::var_os("MYVMM_JIT_DUMP"), self.cache.as_ref()) else {
            return;
        };
        let bytes = cache.buffer.bytes(cache.used);
        if std::fs::write(&path, bytes).is_ok() {
            eprintln!("JIT code: {} bytes at 0x{:x} in {}", bytes.len(), cache.base, path.to_string_lossy());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::assemble_str;
    use crate::vm::Image;
    use dynasmrt::{dynasm, DynasmLabelApi};

    /// Stands in for a translation bug: a "block" that stores through the
    /// guest base at guest address 2^32, one byte past the 32-bit space,
    /// into the guard. The VM must end with a fault naming the block, and the
    /// host must go on (this test process is the host).
    #[test]
    fn a_wild_store_into_the_guard_is_a_vm_fault_not_a_host_crash() {
        let image =
            Image::new(assemble_str("wild.s", "main: nop\nnop\nli $v0, 10\nsyscall\n").expect("assembles"));
        let mut m = Machine::new(&image, 1 << 20).expect("machine");
        let mut jit = Jit::new().with_hot_threshold(1);
        (jit.pinned, jit.hilo_pinned) = jit.choose_pinned(&m.code);
        let mut cache = jit.new_cache(&m.code).expect("code memory");
        let entry = AssemblyOffset(cache.used);
        let mut ops = Ops::new(cache.buffer.exec_addr(entry.0));
        let exit = cache.buffer.exec_addr(cache.exit.0);
        // The pushes leave `rsp` off the blocks' level, as a bug might: the
        // handler must restore it for the exit stub to return normally.
        dynasm!(ops
            ; .arch x64
            ; push rax
            ; push rax
            ; mov rax, QWORD 1 << 32
            ; mov DWORD [r14 + rax], 0x1234_5678
            ; mov eax, exit_code::NEXT as i32
            ; jmp extern exit
        );
        let code = ops.finalize().expect("assembles");
        cache.buffer.write(entry.0, &code).expect("room");
        cache.used += code.len();
        cache.blocks[1] = Some(Block { entry, len: 1 });
        jit.cache = Some(cache);
        m.cpu.pc = m.text_base + 4;
        let (_, exit) = jit.run(&mut m, 100);
        let Exit::Fault(Fault::HostFault { addr }) = exit else {
            panic!("expected a host fault, got {exit:?}")
        };
        assert_eq!(addr, m.mem.base_ptr() as u64 + (1 << 32), "the guard byte");
        assert_eq!(m.cpu.pc, m.text_base + 4, "the fault names the running block");
        assert!(jit.cache.is_none(), "the suspect code is dropped");
        // The handler leaves other faults alone and this thread can run again.
        let mut m2 = Machine::new(&image, 1 << 20).expect("machine");
        assert_eq!(jit.run(&mut m2, 100).1, Exit::Syscall);
    }
}
