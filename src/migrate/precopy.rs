//! Pre-copy: the VM's memory is sent while the VM keeps running, in rounds
//! over the pages it wrote since the round before (the memory's dirty-page
//! tracking, see `vm::memory::dirty`), and the VM pauses only for the last
//! few pages and its registers.
//!
//! This thread runs the VM itself meanwhile, a budget of instructions at a
//! time (its turns, slices and syscalls exactly as on a worker), and copies
//! pages between turns — so a page is never read while the guest writes
//! it. A writer thread encrypts and sends what it copied; a bounded queue
//! between them makes a slow link slow the VM down rather than fill memory.
//!
//! Rounds end when what is left to send fits the target downtime at the
//! rate the link has shown (`--migration-downtime-ms`), or after
//! [`MAX_ROUNDS`]. A VM that writes faster than the link carries is slowed
//! (auto-converge): each round that does not shrink the dirty set halves
//! the instructions it may run between two chunks, down to none.

use super::channel::Records;
use super::receive::MAX_ROUNDS as RECEIVER_ROUNDS;
use super::sender::{archive_of, new_id, settle, Session, Settled, CHUNK};
use super::wire::{head, id_text, Frame, Hello, Purpose, HEAD_LEN};
use super::{parse_target, MigrateConfig, MigrateError, Report};
use crate::sched::{MigrationProgress, Turn, Vm};
use crate::vm::Console;
use crossbeam::channel::{bounded, Receiver, Sender};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Rounds before the VM is paused whatever is left.
pub const MAX_ROUNDS: u32 = 30;
/// Guest instructions run between two chunks of pages, to begin with.
const START_BUDGET: u64 = 500_000;
/// Frames queued for the writer (each at most a chunk of pages).
const QUEUE: usize = 8;
/// Bytes the receiver may still have to take when a round counts as sent.
const IN_FLIGHT: u64 = 128 << 10;
/// How long a receiver that takes nothing is waited for at a round's end.
const STALLED: Duration = Duration::from_millis(100);
const _: () = assert!(MAX_ROUNDS + 2 <= RECEIVER_ROUNDS);

/// How a live migration ended.
pub enum Live {
    /// The VM runs at the receiver now.
    Migrated(Report),
    /// It did not happen; the VM (at an instruction boundary, having run
    /// on meanwhile) goes on here.
    Failed(MigrateError),
    /// The VM stopped being runnable here while its memory was sent (it
    /// ended, or waits for input; a MIGRATE in a delay slot): the migration was
    /// abandoned, and this turn is the scheduler's to handle.
    Left(Turn),
    /// COMMIT went out and nobody can say whether the receiver runs the
    /// VM: it must not run here (see the module docs of [`super`]).
    InDoubt {
        /// The migration id, as text.
        id: String,
        /// What went wrong.
        why: String,
    },
}

/// The writer thread: frames out through the session, bytes counted.
struct Writer {
    queue: Option<Sender<Records>>,
    /// Records the writer is done with, to fill again: a chunk's buffer is
    /// reused rather than allocated (and faulted in, page by page) anew.
    spare: Receiver<Records>,
    thread: Option<JoinHandle<Result<Session, MigrateError>>>,
    /// Frame bytes queued, and frame bytes the writer has sent (heads
    /// left out: what a VM's memory and state weigh).
    queued: AtomicU64,
    written: Arc<AtomicU64>,
    started: Instant,
    /// The connection's socket, to see how much of what was written the
    /// receiver has yet to take.
    socket: Option<std::net::TcpStream>,
}

impl Writer {
    fn spawn(mut session: Session) -> Writer {
        let socket = session.socket().ok();
        let (tx, rx) = bounded::<Records>(QUEUE);
        let (spare_tx, spare) = bounded::<Records>(QUEUE + 2);
        let written = Arc::new(AtomicU64::new(0));
        let count = Arc::clone(&written);
        let thread = std::thread::spawn(move || {
            for mut records in rx {
                session.records(&mut records)?;
                count.fetch_add(body_bytes(&records), Ordering::Relaxed);
                let _ = spare_tx.try_send(records);
            }
            session.flush()?;
            Ok(session)
        });
        Writer {
            queue: Some(tx),
            spare,
            thread: Some(thread),
            queued: AtomicU64::new(0),
            written,
            started: Instant::now(),
            socket,
        }
    }

    /// Bytes sent that the receiver has taken: written, less what still
    /// waits in the socket's send queue.
    fn taken(&self) -> u64 {
        let queued = self.socket.as_ref().and_then(|s| super::timed::unsent(s).ok()).unwrap_or(0);
        writer_bytes(self).saturating_sub(queued as u64)
    }

    /// Queues a frame.
    fn send(&self, kind: Frame, body: &[u8]) -> bool {
        let mut records = self.records();
        records.push(&head(kind, body.len() as u64));
        records.push(body);
        self.send_records(records)
    }

    /// Queues a PAGE frame: the pages from `first`, in records of their
    /// own so the receiver opens them straight into the VM's memory.
    fn send_pages(&self, first: u32, bytes: &[u8]) -> bool {
        let mut records = self.records();
        records.push(&head(Frame::Page, 4 + bytes.len() as u64));
        records.push(&first.to_le_bytes());
        records.cut();
        records.push(bytes);
        self.send_records(records)
    }

    /// Queues frames; false when the writer has stopped (its error comes
    /// from [`Writer::finish`]).
    fn send_records(&self, records: Records) -> bool {
        self.queued.fetch_add(body_bytes(&records), Ordering::Relaxed);
        self.queue.as_ref().is_some_and(|q| q.send(records).is_ok())
    }

    /// Empty records to fill.
    fn records(&self) -> Records {
        let mut records = self.spare.try_recv().unwrap_or_default();
        records.clear();
        records
    }

    /// True while the writer thread runs.
    fn alive(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// True once everything queued has been sent (or the writer stopped).
    fn drained(&self) -> bool {
        self.written.load(Ordering::Relaxed) >= self.queued.load(Ordering::Relaxed)
            || self.thread.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Bytes per second the link has carried so far.
    fn rate(&self) -> f64 {
        self.written.load(Ordering::Relaxed) as f64 / self.started.elapsed().as_secs_f64().max(1e-6)
    }

    /// Waits until everything queued is sent; the session back.
    fn finish(mut self) -> Result<Session, MigrateError> {
        drop(self.queue.take());
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(MigrateError::Protocol("the migration's writer failed".into())),
        }
    }
}

/// The body bytes of the one frame in `records` (its 9-byte head left out).
fn body_bytes(records: &Records) -> u64 {
    records.plain_len().saturating_sub(HEAD_LEN) as u64
}

/// Bytes the writer has sent.
fn writer_bytes(writer: &Writer) -> u64 {
    writer.written.load(Ordering::Relaxed)
}

/// The VM's archive frame body (checksum, fingerprint, archive).
fn archive_frame(vm: &Vm) -> Result<Vec<u8>, MigrateError> {
    let (header, archive) = archive_of(vm)?;
    let mut body = Vec::with_capacity(16 + archive.len());
    body.extend_from_slice(&header.checksum.to_le_bytes());
    body.extend_from_slice(&header.fingerprint.to_le_bytes());
    body.extend_from_slice(&archive);
    Ok(body)
}

/// Whether the VM may run between chunks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// It runs.
    Running,
    /// It sleeps (a sleep syscall) until then; if it travels first, it
    /// wakes on arrival.
    Asleep(Instant),
    /// It asked to migrate elsewhere: it stands before that MIGRATE, to run
    /// it where it arrives, and runs no more here.
    Held,
}

impl Pace {
    fn runs(&mut self) -> bool {
        match *self {
            Pace::Asleep(until) if Instant::now() >= until => {
                *self = Pace::Running;
                true
            }
            pace => pace == Pace::Running,
        }
    }
}

/// Why the VM could not be left running: the turn that stopped it.
struct Interrupted(Turn);

/// Runs the VM for about `budget` instructions (none if 0, nor while its
/// pace says it may not).
fn run_some(vm: &mut Vm, console: &Console, budget: u64, pace: &mut Pace) -> Result<(), Interrupted> {
    if budget == 0 || !pace.runs() {
        return Ok(());
    }
    let turns = (budget / vm.config.slice.max(1)).max(1);
    match vm.run_turns(console, turns) {
        Turn::Yield => Ok(()),
        Turn::Sleep(d) => {
            *pace = Pace::Asleep(Instant::now() + d);
            Ok(())
        }
        // Asked to go elsewhere while it travels: it stops here, before
        // that MIGRATE, and runs it where it arrives (this migration ends
        // at once: a VM that no longer runs writes no more pages).
        Turn::Migrate(_) if vm.machine.cpu.delay_pending == 0 => {
            vm.machine.cpu.pc = vm.machine.cpu.pc.wrapping_sub(4);
            vm.machine.cpu.retired -= 1;
            *pace = Pace::Held;
            Ok(())
        }
        other => Err(Interrupted(other)),
    }
}

/// Copies pages `runs` (first page, count) out of the VM a chunk at a time
/// and queues them, running the VM between chunks. Pages unmapped since
/// are skipped (the next archive's layout clears them at the receiver);
/// with `skip_zero` (the first round: the receiver's memory is all zero)
/// so are pages of zeros.
fn send_pages(
    vm: &mut Vm,
    writer: &Writer,
    console: &Console,
    (runs, skip_zero): (&[(u32, u32)], bool),
    budget: u64,
    pace: &mut Pace,
) -> Result<bool, Interrupted> {
    let per_chunk = (CHUNK / crate::program::PAGE_SIZE as usize) as u32;
    let chunks = runs.iter().flat_map(|&(first, count)| {
        (first..first + count)
            .step_by(per_chunk as usize)
            .map(move |page| (page, per_chunk.min(first + count - page)))
    });
    let mut chunks = chunks.peekable();
    let mut since_run = 0;
    while let Some((page, n)) = chunks.next() {
        if let Some(bytes) = vm.machine.mem.readable_pages(page, n) {
            since_run += bytes.len();
            let sent = if skip_zero {
                nonzero_runs(bytes).all(|(at, run)| writer.send_pages(page + at, run))
            } else {
                writer.send_pages(page, bytes)
            };
            if !sent {
                return Ok(false);
            }
        }
        // The VM runs after each chunk's worth of bytes, not after a
        // round's last: a small memory goes at once, as a stop-and-copy.
        if since_run >= CHUNK && chunks.peek().is_some() {
            since_run = 0;
            run_some(vm, console, budget, pace)?;
        }
    }
    Ok(true)
}

/// The runs of pages in `bytes` that are not all zero: (index of the first
/// page, their bytes).
fn nonzero_runs(bytes: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let size = crate::program::PAGE_SIZE as usize;
    let pages = bytes.len() / size;
    let zero = move |p: usize| crate::vm::all_zero(&bytes[p * size..(p + 1) * size]);
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < pages && zero(at) {
            at += 1;
        }
        let first = at;
        while at < pages && !zero(at) {
            at += 1;
        }
        (first < at).then(|| (first as u32, &bytes[first * size..at * size]))
    })
}

/// Sends `vm` to `target` (`host[:port]`) while it runs (see the module
/// docs). `stop` (Ctrl-C) abandons the migration; the VM stays here.
/// `progress` hears of each round as it begins.
pub fn send_live(
    vm: &mut Vm,
    target: &str,
    config: &MigrateConfig,
    console: &Console,
    stop: &AtomicBool,
    progress: &dyn Fn(MigrationProgress),
) -> Live {
    let started = Instant::now();
    let Some(target) = parse_target(target) else {
        return Live::Failed(MigrateError::Address(target.into()));
    };
    // Pages travel without their hashes: a VM restored copy-on-write has
    // every page verified first (a corrupt one keeps it here).
    if let Err(fault) = vm.machine.mem.verify_all() {
        return Live::Failed(MigrateError::Encode(fault.to_string()));
    }
    let first_archive = match archive_frame(vm) {
        Ok(a) => a,
        Err(e) => return Live::Failed(e),
    };
    // What the receiver must be ready to hold (its budget counts it): the
    // pages holding data now and room to grow by as much again (at most
    // 64 MiB more), within the VM's limit; archives of twice today's size.
    // A VM that grows past that while it travels is refused by the
    // receiver and goes on here.
    // Round 0 sends the pages that may hold data (the host's page map says
    // which, swapped-out ones included: no pass over memory), zeros left
    // out as they are copied.
    let all = vm.machine.mem.resident_runs();
    let in_use: u64 = all.iter().map(|&(_, pages)| pages as u64 * 4096).sum();
    let page_bytes =
        (in_use + in_use.min(64 << 20) + (1 << 20)).min(vm.machine.mem.layout().limit.max(in_use));
    let id = match new_id() {
        Ok(id) => id,
        Err(e) => return Live::Failed(e),
    };
    let hello = Hello {
        purpose: Purpose::Migrate,
        id,
        archive_len: first_archive.len() as u64 * 2 + (64 << 10),
        page_bytes,
    };
    let session = match Session::connect(&target, config, &hello) {
        Ok(s) => s,
        Err(e) => return Live::Failed(e),
    };
    let writer = Writer::spawn(session);
    vm.machine.mem.track_writes(crate::vm::Tracker::Migration);
    let trip = Trip { config, console, stop, target: &target, started, id, progress };
    let outcome = precopy(vm, writer, &trip, first_archive, &all);
    vm.machine.mem.stop_tracking(crate::vm::Tracker::Migration);
    outcome
}

/// What a migration's rounds need to know besides the VM.
struct Trip<'a> {
    config: &'a MigrateConfig,
    console: &'a Console,
    stop: &'a AtomicBool,
    target: &'a str,
    started: Instant,
    id: [u8; 16],
    progress: &'a dyn Fn(MigrationProgress),
}

fn precopy(vm: &mut Vm, writer: Writer, trip: &Trip<'_>, first_archive: Vec<u8>, all: &[(u32, u32)]) -> Live {
    let Trip { config, console, stop, target, started, id, progress } = *trip;
    let report = |round: u32, pages: u64| {
        progress(MigrationProgress {
            round,
            dirty_pages: pages,
            bytes: writer_bytes(&writer),
            rate: writer.rate(),
        })
    };
    let mut pace = Pace::Running;
    let mut budget = START_BUDGET;
    // Round 0: everything that held data when the migration began.
    report(0, all.iter().map(|&(_, n)| n as u64).sum());
    let sent = writer.send(Frame::Archive, &first_archive);
    let mut alive = sent;
    if alive {
        match send_pages(vm, &writer, console, (all, true), budget, &mut pace) {
            Ok(ok) => alive = ok,
            Err(Interrupted(turn)) => return Live::Left(turn),
        }
    }
    let mut rounds = 1;
    let mut last_bytes = u64::MAX;
    let dirty = loop {
        if !alive {
            break Vec::new();
        }
        if stop.load(Ordering::Acquire) {
            drop(writer);
            return Live::Failed(MigrateError::Io(std::io::Error::other("myvmm is stopping")));
        }
        // The round's pages leave while the VM runs on: what it dirties
        // meanwhile is the next round's.
        // (A memory of less than a chunk just waits: it goes as a
        // stop-and-copy would.)
        // The VM keeps the pace it has while pages are copied: its budget
        // for each chunk's worth the link carries, no more (running it
        // freely here would let it dirty pages faster than they leave, and
        // take the CPU the writer and the receiver need).
        // The round ends when the receiver has taken (nearly) all of it:
        // what it has yet to read would otherwise lengthen the pause.
        let small = writer.queued.load(Ordering::Relaxed) < CHUNK as u64 && rounds == 1;
        // (A receiver that takes nothing for a while is not waited for:
        // the last round finds out what became of it.)
        let mut paid_up_to = writer.taken();
        let mut progress = (paid_up_to, Instant::now());
        loop {
            let taken = writer.taken();
            if taken != progress.0 {
                progress = (taken, Instant::now());
            }
            let behind = taken + IN_FLIGHT < writer_bytes(&writer)
                && writer.alive()
                && progress.1.elapsed() < STALLED
                && !stop.load(Ordering::Acquire);
            if writer.drained() && !behind {
                break;
            }
            if small || budget == 0 || taken < paid_up_to + CHUNK as u64 || !pace.runs() {
                std::thread::sleep(Duration::from_micros(50));
                continue;
            }
            paid_up_to = taken;
            if let Err(Interrupted(turn)) = run_some(vm, console, budget, &mut pace) {
                return Live::Left(turn);
            }
        }
        let dirty = vm.machine.mem.take_dirty(crate::vm::Tracker::Migration);
        let bytes: u64 = dirty.iter().map(|&(_, n)| n as u64 * 4096).sum();
        // A quarter of the downtime for the last pages; the rest for the
        // state, the receiver's checks, the commit's round trips and a
        // busy host's scheduling.
        let fits = bytes as f64 <= writer.rate() * config.downtime.as_secs_f64() / 4.0;
        if fits || rounds >= MAX_ROUNDS {
            break dirty;
        }
        if bytes >= last_bytes / 10 * 9 {
            budget /= 2;
        }
        last_bytes = bytes;
        report(rounds, bytes / 4096);
        rounds += 1;
        let archive = match archive_frame(vm) {
            Ok(a) => a,
            Err(e) => return Live::Failed(e),
        };
        alive = writer.send(Frame::Archive, &archive);
        if alive {
            match send_pages(vm, &writer, console, (&dirty, false), budget, &mut pace) {
                Ok(ok) => alive = ok,
                Err(Interrupted(turn)) => return Live::Left(turn),
            }
        }
    };
    // The VM is paused from here: its last pages, its state, END.
    let paused = Instant::now();
    let paused_at = std::time::SystemTime::now();
    if alive {
        match archive_frame(vm) {
            Ok(archive) => alive = writer.send(Frame::Archive, &archive),
            Err(e) => return Live::Failed(e),
        }
    }
    if alive {
        // Not run any more: no instructions between chunks.
        match send_pages(vm, &writer, console, (&dirty, false), 0, &mut pace) {
            Ok(ok) => alive = ok && writer.send(Frame::End, &[]),
            Err(Interrupted(turn)) => return Live::Left(turn),
        }
    }
    let written = Arc::clone(&writer.written);
    let mut session = match writer.finish() {
        Ok(s) if alive => s,
        Ok(_) => return Live::Failed(MigrateError::Protocol("the migration's writer stopped".into())),
        Err(e) => return Live::Failed(e),
    };
    let bytes = written.load(Ordering::Relaxed);
    let settled = settle(&mut session, target, config, id, stop);
    match settled {
        Settled::Migrated => Live::Migrated(Report {
            destination: target.to_string(),
            bytes,
            pause_to_commit: paused.elapsed(),
            paused_at,
            rounds,
            total: started.elapsed(),
        }),
        Settled::Stays(e) => Live::Failed(e),
        Settled::InDoubt(why) => Live::InDoubt { id: id_text(&id), why },
    }
}

/// Time a VM may stand still at the end of a live migration, by default.
pub const DEFAULT_DOWNTIME: Duration = Duration::from_millis(5);
