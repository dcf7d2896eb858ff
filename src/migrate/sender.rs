//! The sending side: `MIGRATE host[:port]` (see [`super`] for the protocol).

use super::channel::{self, Channel, Records, Timed};
use super::wire::{
    id_text, printable, read_frame, write_frame, write_head, Frame, Hello, Purpose, QueryAnswer,
};
use super::{parse_target, MigrateConfig, MigrateError};
use crate::sched::Vm;
use crate::snapshot::{self, VmState};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Bytes of guest memory per PAGE frame.
pub(crate) const CHUNK: usize = 1 << 20;

/// What a finished migration measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// Where the VM went.
    pub destination: String,
    /// Payload bytes sent (archive and pages).
    pub bytes: u64,
    /// From the pause to the receiver's DONE.
    pub pause_to_commit: Duration,
    /// When the pause began, by this host's clock.
    pub paused_at: std::time::SystemTime,
    /// Rounds of pages sent (1 without pre-copy).
    pub rounds: u32,
    /// From the start of the migration to the receiver's DONE.
    pub total: Duration,
}

fn connect(target: &str, timeout: Duration) -> Result<TcpStream, MigrateError> {
    let addrs: Vec<_> = target.to_socket_addrs().map_err(|_| MigrateError::Address(target.into()))?.collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e)
                if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock =>
            {
                last = Some(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("timed out after {} s connecting to {addr}", timeout.as_secs_f64()),
                ))
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| MigrateError::Address(target.into()), MigrateError::Io))
}

/// An established, authenticated session with a receiver, past its verdict
/// on the HELLO: frames go out and come back through it. [`send`] is built
/// on it; tests use it to play hostile senders.
pub struct Session {
    channel: Channel,
}

impl Session {
    /// Connects to `target` (`host:port`), runs the handshake carrying
    /// `hello`, and returns the session if the receiver is ready for it.
    pub fn connect(target: &str, config: &MigrateConfig, hello: &Hello) -> Result<Session, MigrateError> {
        let stream = connect(target, config.timeout)?;
        // The handshake gets one timeout in all; the transfer the deadline.
        let io = Timed::new(stream, config.timeout, config.timeout)?;
        let (mut channel, verdict) = channel::initiate(io, config.key.as_ref(), &hello.to_bytes())?;
        match verdict.split_first() {
            Some((0, [])) => {}
            Some((1, why)) => return Err(MigrateError::Refused(printable(&String::from_utf8_lossy(why)))),
            _ => return Err(MigrateError::Protocol("a malformed verdict".into())),
        }
        channel.restart_deadline(config.deadline);
        Ok(Session { channel })
    }

    /// Sends a whole frame.
    pub fn frame(&mut self, kind: Frame, body: &[u8]) -> Result<(), MigrateError> {
        Ok(write_frame(&mut self.channel, kind, body)?)
    }

    /// A handle on the connection's socket (to see its send queue).
    pub fn socket(&self) -> std::io::Result<std::net::TcpStream> {
        self.channel.socket()
    }

    /// Sends frames laid out as records (see [`Records`]), sealed in place.
    pub fn records(&mut self, records: &mut Records) -> Result<(), MigrateError> {
        Ok(self.channel.write_records(records)?)
    }

    /// Sends a frame's head; its `len` bytes follow through [`Session::write`].
    pub fn head(&mut self, kind: Frame, len: u64) -> Result<(), MigrateError> {
        Ok(write_head(&mut self.channel, kind, len)?)
    }

    /// Sends bytes (of a frame begun with [`Session::head`]).
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), MigrateError> {
        Ok(self.channel.write_all(bytes)?)
    }

    /// Pushes everything written so far onto the wire.
    pub fn flush(&mut self) -> Result<(), MigrateError> {
        Ok(self.channel.flush()?)
    }

    /// Reads the receiver's next frame (at most 4 KiB); a REFUSE becomes
    /// [`MigrateError::Refused`], anything but `want` a protocol error.
    pub fn expect(&mut self, want: Frame, what: &'static str) -> Result<Vec<u8>, MigrateError> {
        self.channel.waiting_for(what);
        let (kind, body) = read_frame(&mut self.channel, 4096)?;
        match kind {
            k if k == want => Ok(body),
            Frame::Refuse => Err(MigrateError::Refused(printable(&String::from_utf8_lossy(&body)))),
            other => Err(MigrateError::Protocol(format!("expected {want:?}, got {other:?}"))),
        }
    }

    /// Asks the receiver at `target` what became of migration `id` (a new
    /// connection; the answer comes in the handshake's verdict).
    pub fn query(target: &str, config: &MigrateConfig, id: [u8; 16]) -> Result<QueryAnswer, MigrateError> {
        let stream = connect(target, config.timeout)?;
        let io = Timed::new(stream, config.timeout, config.timeout)?;
        let hello = Hello { purpose: Purpose::Query, id, archive_len: 0, page_bytes: 0 };
        let (_, verdict) = channel::initiate(io, config.key.as_ref(), &hello.to_bytes())?;
        match verdict.as_slice() {
            [2, answer] => QueryAnswer::from_byte(*answer)
                .ok_or_else(|| MigrateError::Protocol(format!("an unknown answer {answer} to a query"))),
            [1, why @ ..] => Err(MigrateError::Refused(printable(&String::from_utf8_lossy(why)))),
            _ => Err(MigrateError::Protocol("a malformed answer to a query".into())),
        }
    }

    /// Reads raw bytes (for tests of what a receiver sends).
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, MigrateError> {
        Ok(self.channel.read(buf)?)
    }

    /// Pushes out what is written and ends this side's writing: the
    /// receiver reads the end of the stream after it, and its answers can
    /// still be read. For tests and the fuzz harness, which send a whole
    /// (possibly hostile) stream and then read everything the receiver says
    /// until it closes.
    pub fn close_write(&mut self) -> Result<(), MigrateError> {
        self.channel.flush()?;
        self.channel.socket()?.shutdown(std::net::Shutdown::Write)?;
        Ok(())
    }
}

/// How a migration ended after its pages and state went out.
pub(super) enum Settled {
    /// The receiver runs the VM.
    Migrated,
    /// The receiver never will: the VM goes on here.
    Stays(MigrateError),
    /// Nobody can say (COMMIT went out, no DONE came back, and the
    /// receiver's answer to "what became of it?" is not definite): the VM
    /// must not run here unless an operator decides so.
    InDoubt(String),
}

/// Tries at asking a receiver about a migration in doubt.
const QUERY_TRIES: u32 = 3;

/// The end of a migration: the receiver's ACCEPT, COMMIT, its DONE. From
/// COMMIT on the VM never resumes here on its own: without DONE the
/// receiver is asked by id (reconnecting, a few times) and only its
/// definite "never started" lets the VM go on here.
pub(super) fn settle(
    s: &mut Session,
    target: &str,
    config: &MigrateConfig,
    id: [u8; 16],
    stop: &std::sync::atomic::AtomicBool,
) -> Settled {
    if let Err(e) = s.expect(Frame::Accept, "the receiver's verdict on the VM (ACCEPT)") {
        return Settled::Stays(e);
    }
    let committed = s.frame(Frame::Commit, &[]).and_then(|()| s.flush());
    let lost = match committed.and_then(|()| s.expect(Frame::Done, "the receiver's DONE")) {
        Ok(_) => return Settled::Migrated,
        // Its REFUSE, authenticated, instead of DONE: it did not commit.
        Err(e @ MigrateError::Refused(_)) => return Settled::Stays(e),
        Err(e) => e,
    };
    let mut last = lost.to_string();
    for attempt in 0..QUERY_TRIES {
        if stop.load(std::sync::atomic::Ordering::Acquire) {
            last = format!("{last}; stopped while asking");
            break;
        }
        match Session::query(target, config, id) {
            Ok(QueryAnswer::Committed) => return Settled::Migrated,
            Ok(QueryAnswer::NeverStarted) => return Settled::Stays(lost),
            Ok(QueryAnswer::Unknown) => {
                last = format!("{last}; the receiver does not know migration {}", id_text(&id));
                break;
            }
            Err(e) => {
                last = format!("{last}; asking again: {e}");
                std::thread::sleep(Duration::from_millis(200) * (attempt + 1));
            }
        }
    }
    Settled::InDoubt(last)
}

/// A fresh random migration id.
pub(super) fn new_id() -> Result<[u8; 16], MigrateError> {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).map_err(|e| MigrateError::Encode(format!("no randomness for an id: {e}")))?;
    Ok(id)
}

/// The VM's archive and pages, then END.
fn transfer(
    s: &mut Session,
    archive: &[u8],
    header: &snapshot::Header,
    runs: &[(u32, &[u8])],
) -> Result<(), MigrateError> {
    s.head(Frame::Archive, 16 + archive.len() as u64)?;
    s.write(&header.checksum.to_le_bytes())?;
    s.write(&header.fingerprint.to_le_bytes())?;
    s.write(archive)?;
    let page = crate::program::PAGE_SIZE as usize;
    for &(first, bytes) in runs {
        for (i, piece) in bytes.chunks(CHUNK).enumerate() {
            s.head(Frame::Page, 4 + piece.len() as u64)?;
            s.write(&(first + (i * CHUNK / page) as u32).to_le_bytes())?;
            s.write(piece)?;
        }
    }
    s.frame(Frame::End, &[])?;
    s.flush()
}

/// The VM's snapshot archive without its pages, and its header.
pub(super) fn archive_of(vm: &Vm) -> Result<(snapshot::Header, Vec<u8>), MigrateError> {
    let state = VmState { machine: &vm.machine, slice: vm.config.slice, rngs: vm.os_rngs() };
    let mut archive = Vec::new();
    let header = snapshot::stream_without_pages(&state, &mut archive).map_err(|e| match e {
        snapshot::SnapshotError::Io(io) => MigrateError::Io(io),
        other => MigrateError::Encode(other.to_string()),
    })?;
    Ok((header, archive))
}

/// Sends a paused VM to `target` (`host[:port]`). On success the VM belongs
/// to the receiver; on any error it is unchanged and may resume here.
pub fn send(vm: &Vm, target: &str, config: &MigrateConfig) -> Result<Report, MigrateError> {
    let paused = Instant::now();
    let paused_at = std::time::SystemTime::now();
    let target = parse_target(target).ok_or_else(|| MigrateError::Address(target.into()))?;
    // The archive without pages is small (registers, layout, program): made
    // first so HELLO can announce every byte the receiver must hold.
    let (header, archive) = archive_of(vm)?;
    let runs = vm.machine.mem.data_runs();
    let page_bytes: u64 = runs.iter().map(|r| r.1.len() as u64).sum();
    let hello =
        Hello { purpose: Purpose::Migrate, id: new_id()?, archive_len: archive.len() as u64, page_bytes };
    let mut s = Session::connect(&target, config, &hello)?;
    s.channel.waiting_for("the receiver to take the VM");
    if let Err(e) = transfer(&mut s, &archive, &header, &runs) {
        // A receiver that refuses mid-transfer says why, then closes: its
        // reason may be waiting behind the broken pipe.
        let closed = |e: &MigrateError| {
            matches!(e, MigrateError::Io(io) if matches!(io.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset))
        };
        if closed(&e) {
            if let Err(refused @ MigrateError::Refused(_)) = s.expect(Frame::Accept, "the receiver's reason")
            {
                return Err(refused);
            }
        }
        return Err(e);
    }
    match settle(&mut s, &target, config, hello.id, &std::sync::atomic::AtomicBool::new(false)) {
        Settled::Migrated => {}
        Settled::Stays(e) => return Err(e),
        Settled::InDoubt(why) => return Err(MigrateError::InDoubt { id: id_text(&hello.id), why }),
    }
    let bytes = archive.len() as u64 + page_bytes;
    Ok(Report {
        destination: target,
        bytes,
        pause_to_commit: paused.elapsed(),
        paused_at,
        rounds: 1,
        total: paused.elapsed(),
    })
}
