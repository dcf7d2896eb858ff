//! One incoming connection, from the greeting to DONE (see [`super`] for
//! the protocol). Every step is bounded: the handshake by the timeout, the
//! whole connection by the deadline, every byte by what HELLO announced and
//! the budget reserved for it.

use super::admission::Admission;
use super::channel::{self, Channel, Timed};
use super::receiver::ListenOptions;
use super::sender::CHUNK;
use super::wire::{id_text, read_frame, read_head, write_frame, Frame, Hello, Purpose};
use super::MigrateError;
use crate::isa::Inst;
use crate::sched::{Spawner, Vm};
use crate::snapshot::{Header, Snapshot, FORMAT_VERSION, HEADER_SIZE};
use crate::vm::reserve::RESERVE;
use crate::vm::{Image, Reservation};
use rkyv::util::AlignedVec;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// How a connection that brought no VM ended.
pub(super) enum Failure {
    /// This side said no, and why (the sender was told).
    Refused(String),
    /// The connection broke, timed out, or failed authentication.
    Broken(MigrateError),
    /// It was a sender in doubt asking about a migration; what it was told.
    Answered(String),
}

impl<E: Into<MigrateError>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Broken(e.into())
    }
}

/// Tells the sender why (best effort: it may be gone) and says so.
/// The sender may still be writing: its socket is drained until it stops
/// (within the timeout and the connection's deadline, the budget still
/// held) so that it gets to read the reason.
fn refuse(ch: &mut Channel, why: String) -> Failure {
    if write_frame(ch, Frame::Refuse, why.as_bytes()).and_then(|_| ch.flush()).is_ok() {
        ch.linger();
    }
    Failure::Refused(why)
}

/// Malformed frames are refused by name; other read errors break the connection.
fn refuse_bad(ch: &mut Channel, e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::InvalidData {
        refuse(ch, e.to_string())
    } else {
        Failure::Broken(e.into())
    }
}

/// Reads exactly `buf`; a record that fails authentication is refused by name.
fn read_all(ch: &mut Channel, buf: &mut [u8]) -> Result<(), Failure> {
    ch.read_exact(buf).map_err(|e| refuse_bad(ch, e))
}

/// Host memory a migration may cost the receiver: its pages, and its
/// archive three times over at least (the bytes received, the program
/// deserialised from them, its text decoded, one [`Inst`] per 4-byte word).
/// All of it is reserved from the budget before a byte arrives.
fn cost(hello: &Hello) -> u64 {
    let per_archive_byte = 2 + (std::mem::size_of::<Inst>() as u64).div_ceil(4);
    hello.archive_len.saturating_mul(per_archive_byte).saturating_add(hello.page_bytes)
}

/// Serves one connection; on success the VM runs here.
pub(super) fn serve_one(
    stream: TcpStream,
    options: &ListenOptions,
    admission: &std::sync::Arc<Admission>,
    spawner: &Spawner,
    committing: &AtomicBool,
) -> Result<(), Failure> {
    let started = Instant::now();
    let config = &options.config;
    // What this side has not read waits at the sender, which can see it.
    super::timed::cap_receive_buffer(&stream, RECEIVE_BUFFER);
    let io = Timed::new(stream, config.timeout, config.timeout)?;
    let (responding, hello) = channel::respond(io, config.key.as_ref())?;
    let hello = match Hello::parse(&hello) {
        Ok(h) => h,
        Err(why) => {
            let _ = responding.answer(&[&[1u8][..], why.as_bytes()].concat());
            return Err(Failure::Refused(why));
        }
    };
    if hello.purpose == Purpose::Query {
        // A sender in doubt asks; the answer is final (see Admission::query).
        let answer = admission.query(hello.id);
        let _ = responding.answer(&[2, answer as u8]);
        return Err(Failure::Answered(format!("migration {}: {answer:?}", id_text(&hello.id))));
    }
    let ticket = match admission.admit(hello.id, cost(&hello)) {
        Ok(t) => t,
        Err(refusal) => {
            let why = refusal.to_string();
            let _ = responding.answer(&[&[1u8][..], why.as_bytes()].concat());
            return Err(Failure::Refused(why));
        }
    };
    let mut ticket = ticket;
    let mut ch = responding.answer(&[0])?;
    ch.restart_deadline(config.deadline);
    let id = spawner.next_id();
    let (mut vm, bytes) = receive_vm(&mut ch, &hello, options, id)?;
    // Past this point a stop lets the migration finish (see the receiver).
    committing.store(true, Ordering::SeqCst);
    if admission.stopping() {
        return Err(refuse(&mut ch, "the receiver is shutting down".into()));
    }
    write_frame(&mut ch, Frame::Accept, &[])?;
    ch.flush()?;
    ch.waiting_for("the sender's COMMIT");
    let (kind, _) = read_frame(&mut ch, 0).map_err(|e| refuse_bad(&mut ch, e))?;
    if kind != Frame::Commit {
        return Err(refuse(&mut ch, format!("expected COMMIT, got {}", kind.name())));
    }
    // COMMIT decides: from here the VM runs here, whether or not DONE
    // reaches the sender (which, in doubt, asks by id) — unless a query
    // for this id came first and the sender resumed it at home.
    if !ticket.commit() {
        return Err(refuse(&mut ch, "this migration was ended by a query: the sender kept the VM".into()));
    }
    let _ = write_frame(&mut ch, Frame::Done, &[]).and_then(|_| ch.flush());
    let elapsed = started.elapsed();
    vm.stats.received = Some((bytes, elapsed));
    let resumed_at = std::time::SystemTime::now();
    spawner.spawn(vm);
    if options.stats {
        let reserve = match RESERVE.target() {
            0 => String::new(),
            _ => format!("; {} MiB of pre-backed memory left", RESERVE.backed() >> 20),
        };
        eprintln!(
            "vm{id}: received {bytes} bytes in {:.3} ms ({:.2} GB/s), resumed here {} µs after the Unix epoch{reserve}",
            elapsed.as_secs_f64() * 1e3,
            bytes as f64 / elapsed.as_secs_f64().max(1e-9) / 1e9,
            crate::sched::micros_since_epoch(resumed_at)
        );
    }
    drop(ticket);
    Ok(())
}

/// The receive buffer a migration's connection is capped at: a MiB in
/// flight keeps loopback and a LAN busy, and a VM's pause never waits for
/// more than that to be read (see `precopy`).
const RECEIVE_BUFFER: usize = 1 << 20;

/// Rounds of a pre-copy migration a receiver accepts (an ARCHIVE each).
pub(super) const MAX_ROUNDS: u32 = 64;

/// Reads one ARCHIVE frame (its head already read: `len` bytes) and checks
/// it as `-s` checks a file.
fn read_archive(ch: &mut Channel, hello: &Hello, len: u64) -> Result<Snapshot, Failure> {
    if len < 16 || len > 16 + hello.archive_len {
        return Err(refuse(
            ch,
            format!("an archive of {len} bytes, more than the {} announced", 16 + hello.archive_len),
        ));
    }
    let archive_len = len - 16;
    let mut sums = [0u8; 16];
    read_all(ch, &mut sums)?;
    let word = |at: usize| u64::from_le_bytes(sums[at..at + 8].try_into().unwrap_or_default());
    let header = Header {
        version: FORMAT_VERSION,
        payload_len: archive_len,
        checksum: word(0),
        fingerprint: word(8),
        page_bytes: 0,
    };
    let mut payload = AlignedVec::<16>::with_capacity(HEADER_SIZE + archive_len as usize);
    payload.resize(HEADER_SIZE + archive_len as usize, 0);
    read_all(ch, &mut payload[HEADER_SIZE..])?;
    Snapshot::from_parts(&header, payload).map_err(|e| refuse(ch, format!("bad snapshot: {e}")))
}

/// The VM, in rounds (pre-copy): each round an ARCHIVE — the VM's state,
/// checked as `-s` checks a file and restored with the receiver's memory
/// limit over the memory received so far (pages its layout no longer maps
/// are cleared) — then the pages written since the round before, only
/// into memory the VM maps; END after the last round. The memory the VM
/// may hold is what HELLO announced: the distinct pages received are
/// counted against it.
fn receive_vm(
    ch: &mut Channel,
    hello: &Hello,
    options: &ListenOptions,
    id: u32,
) -> Result<(Vm, u64), Failure> {
    ch.waiting_for("the VM's archive");
    let (kind, len) = read_head(ch, 16 + hello.archive_len).map_err(|e| refuse_bad(ch, e))?;
    if kind != Frame::Archive {
        return Err(refuse(
            ch,
            format!("expected the VM's archive, got a {} frame of {len} bytes", kind.name()),
        ));
    }
    let snap = read_archive(ch, hello, len)?;
    let mut bytes = len;
    // The program is checked against the fingerprint its header names.
    let program = snap.program().map_err(|e| refuse(ch, format!("bad snapshot: {e}")))?;
    let fingerprint = program.fingerprint();
    let image = Image::new(program);
    let mut config = options.vm.clone();
    config.memory_limit = options.config.max_payload;
    let reservation = Reservation::new().map_err(|e| refuse(ch, format!("cannot reserve memory: {e}")))?;
    let mut vm = Vm::from_snapshot_into(id, &image, &snap, config.clone(), reservation)
        .map_err(|e| refuse(ch, format!("cannot run the VM: {e}")))?;
    drop(snap);
    ch.waiting_for("the VM's pages");
    let page = crate::program::PAGE_SIZE as u64;
    let mut held = vec![0u64; (1usize << (32 - crate::layout::PAGE_SHIFT)) / 64];
    let mut held_bytes = 0u64;
    let mut rounds = 1;
    // Declared after `vm`, so it is dropped (and its thread joined) first;
    // stopped while a round's archive replaces the VM over its memory.
    let mut prefault = Some(vm.machine.mem.prefault_helper());
    loop {
        let (kind, len) = read_head(ch, (16 + hello.archive_len).max(4 + CHUNK as u64 * 4))
            .map_err(|e| refuse_bad(ch, e))?;
        match kind {
            Frame::Page if len >= 4 && (len - 4) % page == 0 && len <= 4 + CHUNK as u64 * 4 => {
                let mut number = [0u8; 4];
                read_all(ch, &mut number)?;
                let first = u32::from_le_bytes(number);
                let size = len - 4;
                let mut fresh = true;
                for p in first as u64..first as u64 + size / page {
                    let (word, bit) = ((p / 64) as usize, p % 64);
                    if word < held.len() && held[word] & (1 << bit) == 0 {
                        held[word] |= 1 << bit;
                        held_bytes += page;
                    } else {
                        fresh = false;
                    }
                }
                if held_bytes > hello.page_bytes {
                    let why = format!("more pages than the {} bytes announced", hello.page_bytes);
                    return Err(refuse(ch, why));
                }
                // Pages mostly come in order: the next chunk is backed
                // while this one is read, if the VM maps it (so no more
                // memory is committed than the VM's own layout holds).
                let n = (size / page) as u32;
                let ahead =
                    first.checked_add(n).filter(|&next| vm.machine.mem.readable_pages(next, n).is_some());
                // Pages sent before (a later round's) are backed already.
                let target = match fresh {
                    true => vm.machine.mem.fresh_pages_mut(first, size as usize).map_err(|e| {
                        refuse(ch, format!("cannot map the VM's memory again after moving pages in: {e}"))
                    })?,
                    false => vm.machine.mem.mapped_pages_mut(first, size as usize),
                };
                let Some(target) = target else {
                    let why = format!("pages at {:#010x} lie outside the VM's memory", first as u64 * page);
                    return Err(refuse(ch, why));
                };
                // (Not while the backed reserve still holds this chunk and
                // the next: their pages are moved in, not faulted in.)
                let reserved = RESERVE.runs_of(size as usize) >= 2;
                if let (Some(next), Some(helper), false) = (ahead, &prefault, reserved) {
                    helper.ask(next as usize * page as usize, size as usize);
                }
                read_all(ch, target)?;
                bytes += len;
            }
            Frame::Archive => {
                rounds += 1;
                if rounds > MAX_ROUNDS {
                    return Err(refuse(ch, format!("more than {MAX_ROUNDS} rounds")));
                }
                let snap = read_archive(ch, hello, len)?;
                bytes += len;
                if snap.fingerprint() != fingerprint {
                    return Err(refuse(ch, "a later round carries another program".into()));
                }
                drop(prefault.take());
                let reservation = vm
                    .into_reservation()
                    .map_err(|e| refuse(ch, format!("cannot keep the VM's memory: {e}")))?;
                vm = Vm::from_snapshot_into(id, &image, &snap, config.clone(), reservation)
                    .map_err(|e| refuse(ch, format!("cannot run the VM: {e}")))?;
                prefault = Some(vm.machine.mem.prefault_helper());
            }
            Frame::End if len == 0 => return Ok((vm, bytes)),
            _ => {
                return Err(refuse(
                    ch,
                    format!("expected pages, an archive or END, got a {} frame of {len} bytes", kind.name()),
                ))
            }
        }
    }
}
