//! Live migration: `MIGRATE host[:port]` sends a running VM to another
//! `myvmm --listen`, which runs it from the instruction after MIGRATE.
//!
//! # Protocol (version 1, TCP)
//!
//! Every message is a frame: one type byte, a little-endian `u64` length, then
//! that many bytes. The payload is the VM's snapshot (see [`crate::snapshot`]),
//! exactly the bytes a `SNAPSHOT` file would hold.
//!
//! ```text
//!  sender                                   receiver
//!    HELLO     "MYVMMIG1", version ──────▶
//!              ◀────── CHALLENGE  version, key required?, 32-byte nonce
//!    PAGE      page number, pages ───────▶   (straight from the VM's memory
//!    PAGE      …                              into the new VM's memory)
//!    DATA      archive bytes, in chunks ─▶   (the snapshot archive without
//!    DATA      …                              the pages: registers, program…)
//!    END       archive length and xxh3,  ─▶  HMAC-SHA256(key, nonce ‖ pages ‖
//!              fingerprint, pages' xxh3,      archive), zero when no key
//!              HMAC
//!              ◀────── ACCEPT | REFUSE reason  (size, checksum, HMAC, snapshot
//!                                              and program all checked)
//!    COMMIT ─────────────────────────────▶
//!              ◀────── DONE                  (sent before the VM starts)
//! ```
//!
//! PAGE and DATA together are a snapshot: its rkyv archive with the guest
//! pages sent apart, so the receiver writes them once, in place, instead of
//! buffering them; END carries what the file header would, so the receiver
//! checks what `-s` checks, and a checksum of the pages.
//!
//! The receiver starts the VM only after COMMIT, and only if its DONE went
//! out; the sender drops the VM only once DONE arrives. Before COMMIT any
//! failure (refusal, timeout, a receiver killed mid-transfer) leaves the VM
//! with the sender, which resumes it with a warning. The one window no
//! protocol closes is a connection lost between the receiver writing DONE
//! and the sender reading it; there the VM would run on both sides.
//! Every read and write has a timeout, payloads have a size limit, and a
//! receiver serves each connection on its own thread, so garbage, oversized
//! or stalled peers cost one thread for one timeout and nothing else.

mod receiver;
mod wire;

pub use receiver::{listen, ListenOptions, Listener};
pub use wire::{parse_listen_addr, parse_target, Frame, DEFAULT_PORT};

use crate::sched::Vm;
use crate::snapshot::{self, VmState, HEADER_SIZE};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::{BufReader, BufWriter, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};
use wire::{read_frame, write_frame, MAGIC, VERSION};

/// Settings shared by both sides.
#[derive(Clone, Debug)]
pub struct MigrateConfig {
    /// Shared secret (`--migration-key`); never printed.
    pub key: Option<Vec<u8>>,
    /// Connect, read and write timeout.
    pub timeout: Duration,
    /// Largest payload a receiver accepts.
    pub max_payload: u64,
}

impl Default for MigrateConfig {
    fn default() -> Self {
        MigrateConfig { key: None, timeout: Duration::from_secs(10), max_payload: 1536 << 20 }
    }
}

/// Why a migration did not happen (the VM stays where it was).
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The address does not resolve or parse.
    #[error("cannot resolve `{0}`")]
    Address(String),
    /// Network trouble.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The peer broke the protocol.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// The receiver said no.
    #[error("refused by the receiver: {0}")]
    Refused(String),
    /// The snapshot could not be made.
    #[error("cannot encode the VM: {0}")]
    Encode(String),
}

/// What a finished migration measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// Where the VM went.
    pub destination: String,
    /// Payload bytes sent.
    pub bytes: u64,
    /// From the pause to the receiver's DONE.
    pub pause_to_commit: Duration,
}

fn connect(target: &str, timeout: Duration) -> Result<TcpStream, MigrateError> {
    let addrs: Vec<_> = target.to_socket_addrs().map_err(|_| MigrateError::Address(target.into()))?.collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| MigrateError::Address(target.into()), MigrateError::Io))
}

/// Frames what is written into DATA chunks, keeping the HMAC up to date.
struct Chunks<'a, W: Write> {
    out: &'a mut W,
    buf: Vec<u8>,
    mac: Option<Hmac<Sha256>>,
}

impl<W: Write> Chunks<'_, W> {
    fn send(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            write_frame(self.out, Frame::Data, &self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

impl<W: Write> Write for Chunks<'_, W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if let Some(mac) = &mut self.mac {
            mac.update(data);
        }
        let mut rest = data;
        while !rest.is_empty() {
            let room = CHUNK - self.buf.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.buf.extend_from_slice(now);
            rest = later;
            if self.buf.len() == CHUNK {
                self.send()?;
            }
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Bytes per DATA frame.
pub(crate) const CHUNK: usize = 1 << 20;

/// Bytes of the END frame: archive length, archive xxh3, fingerprint,
/// pages xxh3, HMAC.
pub(crate) const END_LEN: usize = 64;

/// Sends a paused VM to `target` (`host[:port]`). On success the VM belongs
/// to the receiver; on any error it is unchanged and may resume here.
pub fn send(vm: &Vm, target: &str, config: &MigrateConfig) -> Result<Report, MigrateError> {
    let paused = Instant::now();
    let target = parse_target(target).ok_or_else(|| MigrateError::Address(target.into()))?;
    let state = VmState { machine: &vm.machine, slice: vm.config.slice, rngs: vm.os_rngs() };
    let stream = connect(&target, config.timeout)?;
    stream.set_read_timeout(Some(config.timeout))?;
    stream.set_write_timeout(Some(config.timeout))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = BufWriter::with_capacity(CHUNK + 64, stream);
    let mut hello = MAGIC.to_vec();
    hello.extend_from_slice(&VERSION.to_le_bytes());
    write_frame(&mut writer, Frame::Hello, &hello)?;
    writer.flush()?;
    let challenge = expect(&mut reader, Frame::Challenge, 64)?;
    if challenge.len() != 37 {
        return Err(MigrateError::Protocol("malformed challenge".into()));
    }
    let version = u32::from_le_bytes([challenge[0], challenge[1], challenge[2], challenge[3]]);
    if version != VERSION {
        return Err(MigrateError::Protocol(format!("receiver speaks version {version}, not {VERSION}")));
    }
    let key_required = challenge[4] != 0;
    let nonce = &challenge[5..37];
    let mac = match (&config.key, key_required) {
        (Some(key), _) => {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(nonce);
            Some(mac)
        }
        (None, true) => return Err(MigrateError::Refused("the receiver requires --migration-key".into())),
        (None, false) => None,
    };
    // Guest memory first, page runs straight from the VM into PAGE frames
    // (the receiver writes them straight into the new VM's memory); then
    // the rest of the snapshot archive.
    let mut pages_hash = xxhash_rust::xxh3::Xxh3::new();
    let mut page_bytes = 0u64;
    let mut mac = mac;
    let page = crate::asm::program::PAGE_SIZE as usize;
    for (first, bytes) in vm.machine.mem.data_runs() {
        for (i, piece) in bytes.chunks(CHUNK).enumerate() {
            let number = (first + (i * CHUNK / page) as u32).to_le_bytes();
            let mut head = [0u8; 9];
            head[0] = Frame::Page as u8;
            head[1..].copy_from_slice(&(4 + piece.len() as u64).to_le_bytes());
            writer.write_all(&head)?;
            writer.write_all(&number)?;
            writer.write_all(piece)?;
            page_bytes += piece.len() as u64;
            pages_hash.update(&number);
            pages_hash.update(piece);
            if let Some(mac) = &mut mac {
                mac.update(&number);
                mac.update(piece);
            }
        }
    }
    let mut chunks = Chunks { out: &mut writer, buf: Vec::with_capacity(CHUNK), mac };
    let header = snapshot::stream_without_pages(&state, &mut chunks).map_err(|e| match e {
        snapshot::SnapshotError::Io(io) => MigrateError::Io(io),
        other => MigrateError::Encode(other.to_string()),
    })?;
    let proof: [u8; 32] = chunks.mac.take().map_or([0u8; 32], |m| m.finalize().into_bytes().into());
    let mut end = Vec::with_capacity(END_LEN);
    end.extend_from_slice(&header.payload_len.to_le_bytes());
    end.extend_from_slice(&header.checksum.to_le_bytes());
    end.extend_from_slice(&header.fingerprint.to_le_bytes());
    end.extend_from_slice(&pages_hash.digest().to_le_bytes());
    end.extend_from_slice(&proof);
    write_frame(&mut writer, Frame::End, &end)?;
    writer.flush()?;
    let (kind, body) = read_frame(&mut reader, 4096)?;
    match kind {
        Frame::Accept => {}
        Frame::Refuse => return Err(MigrateError::Refused(String::from_utf8_lossy(&body).into_owned())),
        other => return Err(MigrateError::Protocol(format!("expected ACCEPT, got {other:?}"))),
    }
    write_frame(&mut writer, Frame::Commit, &[])?;
    writer.flush()?;
    expect(&mut reader, Frame::Done, 0)?;
    let bytes = HEADER_SIZE as u64 + header.payload_len + page_bytes;
    Ok(Report { destination: target, bytes, pause_to_commit: paused.elapsed() })
}

fn expect(reader: &mut impl std::io::Read, want: Frame, max: u64) -> Result<Vec<u8>, MigrateError> {
    let (kind, body) = read_frame(reader, max.max(4096))?;
    if kind == Frame::Refuse {
        return Err(MigrateError::Refused(String::from_utf8_lossy(&body).into_owned()));
    }
    if kind != want {
        return Err(MigrateError::Protocol(format!("expected {want:?}, got {kind:?}")));
    }
    Ok(body)
}
