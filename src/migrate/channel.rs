//! The channel every migration travels on: a Noise session (the `snow`
//! crate; no cryptography of our own) over TCP, every read and write bounded
//! by a per-operation timeout and by the connection's total deadline.
//!
//! ```text
//!  sender                                           receiver
//!    "MYVMMIG2" mode ─────────────────────────────▶     (plain: magic, key or not)
//!                 ◀───────────────────────────── "MYVMMIG2" mode
//!    handshake 1: -> psk, e   + HELLO ────────────▶    (NNpsk0: proves the key)
//!                 ◀───────────── handshake 2: <- e, ee + verdict
//!    records: u16 length, ciphertext (AES-256-GCM, nonce = record number)
//! ```
//!
//! With a key both sides run `Noise_NNpsk0_25519_AESGCM_BLAKE2s`: the
//! first handshake message is encrypted and authenticated under the
//! pre-shared key, so a sender without it is refused before it can send a
//! single page, and the receiver's answer proves the receiver holds it too.
//! Without a key they run `Noise_NN_25519_AESGCM_BLAKE2s`: encrypted
//! against eavesdroppers and bound to the session, but anyone may be a
//! sender (and a man in the middle could be one); see `docs/migration.md`.
//! The two greetings are the handshake's prologue, so a meddler who changes
//! either makes the handshake fail. After the handshake the session is a
//! byte stream of sealed records; the transport's implicit nonces bind each
//! record to its place in this session, so a record cannot be dropped,
//! reordered, moved or replayed without the next read failing.
//!
//! AES-256-GCM rather than ChaCha20-Poly1305 (both are Noise's standard
//! ciphers), through `ring`: with the AES and carry-less multiply
//! instructions every x86-64 host of this product has, it seals several
//! GB/s on one core here against 0.5–0.7 GB/s for ChaCha20-Poly1305, and
//! the transfer of guest memory is what a VM's pause waits for. After the
//! handshake the records are sealed and opened where they lie
//! (`migrate::sealed`): the same bytes snow's transport would send, one
//! copy fewer on each side.

use super::MigrateError;
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub use super::sealed::Records;
use super::sealed::{Cipher, MAX_PLAIN, MAX_RECORD, TAG};
pub use super::timed::Timed;

/// The greeting that starts every connection (protocol 2).
pub const MAGIC: &[u8; 8] = b"MYVMMIG2";
const PATTERN_PSK: &str = "Noise_NNpsk0_25519_AESGCM_BLAKE2s";
const PATTERN_OPEN: &str = "Noise_NN_25519_AESGCM_BLAKE2s";

/// The 32-byte pre-shared key derived from a `--migration-key` file. Never
/// printed (its `Debug` hides it).
#[derive(Clone)]
pub struct Psk([u8; 32]);

impl Psk {
    /// Derives the key from a key file's bytes (SHA-256 with a label, so the
    /// file may hold a key of any length). The file should hold at least 32
    /// random bytes: a guessable pass phrase can be tested offline by anyone
    /// who recorded a handshake.
    pub fn from_secret(secret: &[u8]) -> Psk {
        let mut h = Sha256::new();
        h.update(b"myvmm migration pre-shared key, protocol 2\0");
        h.update(secret);
        Psk(h.finalize().into())
    }
}

impl std::fmt::Debug for Psk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Psk(hidden)")
    }
}

fn read_exact(io: &mut Timed, buf: &mut [u8]) -> io::Result<()> {
    io.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the peer closed the connection while this side waited for {}", io.waiting_for),
        ),
        _ => e,
    })
}

/// One handshake message: a u16 length, then the message. A length of zero
/// announces a plain-text refusal instead (u16 length, text): the only way
/// to explain a failed handshake, whose keys cannot be trusted.
fn write_record(io: &mut Timed, bytes: &[u8]) -> io::Result<()> {
    let mut out = Vec::with_capacity(2 + bytes.len());
    out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    out.extend_from_slice(bytes);
    io.write_all(&out)?;
    io.flush()
}

fn write_plain_refusal(io: &mut Timed, why: &str) {
    let why = &why.as_bytes()[..why.len().min(1024)];
    let mut out = vec![0u8, 0];
    out.extend_from_slice(&(why.len() as u16).to_be_bytes());
    out.extend_from_slice(why);
    let _ = io.write_all(&out).and_then(|_| io.flush());
}

enum Record {
    Message(Vec<u8>),
    Refusal(String),
}

fn read_record(io: &mut Timed) -> io::Result<Record> {
    let mut len = [0u8; 2];
    read_exact(io, &mut len)?;
    let len = u16::from_be_bytes(len) as usize;
    if len == 0 {
        let mut why_len = [0u8; 2];
        read_exact(io, &mut why_len)?;
        let mut why = vec![0u8; u16::from_be_bytes(why_len).min(1024) as usize];
        read_exact(io, &mut why)?;
        return Ok(Record::Refusal(String::from_utf8_lossy(&why).into_owned()));
    }
    let mut message = vec![0u8; len];
    read_exact(io, &mut message)?;
    Ok(Record::Message(message))
}

fn builder<'a>(psk: Option<&'a Psk>, prologue: &'a [u8]) -> Result<snow::Builder<'a>, snow::Error> {
    let pattern = if psk.is_some() { PATTERN_PSK } else { PATTERN_OPEN };
    let b = snow::Builder::new(pattern.parse()?).prologue(prologue)?;
    match psk {
        Some(k) => b.psk(0, &k.0),
        None => Ok(b),
    }
}

fn greeting(psk: Option<&Psk>) -> [u8; 9] {
    let mut g = [0u8; 9];
    g[..8].copy_from_slice(MAGIC);
    g[8] = u8::from(psk.is_some());
    g
}

fn noise_error(e: snow::Error) -> MigrateError {
    MigrateError::Protocol(format!("the Noise handshake failed: {e}"))
}

/// Sender side: greets, runs the handshake carrying `hello`, and returns
/// the session with the receiver's verdict (the second message's payload).
pub fn initiate(mut io: Timed, psk: Option<&Psk>, hello: &[u8]) -> Result<(Channel, Vec<u8>), MigrateError> {
    let ours = greeting(psk);
    io.waiting_for = "the receiver's greeting";
    io.write_all(&ours)?;
    io.flush()?;
    let mut theirs = [0u8; 9];
    read_exact(&mut io, &mut theirs)?;
    if &theirs[..8] != MAGIC {
        return Err(MigrateError::Protocol("the peer is not a myvmm receiver speaking protocol 2".into()));
    }
    match (theirs[8], psk.is_some()) {
        (1, false) => return Err(MigrateError::Refused("the receiver requires --migration-key".into())),
        (0, true) => {
            return Err(MigrateError::Refused(
                "the receiver has no --migration-key, and a sender with a key sends only to \
                 receivers that prove they hold it"
                    .into(),
            ))
        }
        (0 | 1, _) => {}
        (other, _) => return Err(MigrateError::Protocol(format!("unknown receiver mode {other}"))),
    }
    let prologue = [ours, theirs].concat();
    let mut hs = builder(psk, &prologue).and_then(|b| b.build_initiator()).map_err(noise_error)?;
    let mut buf = vec![0u8; MAX_RECORD];
    let n = hs.write_message(hello, &mut buf).map_err(noise_error)?;
    write_record(&mut io, &buf[..n])?;
    io.waiting_for = "the receiver's handshake answer";
    let reply = match read_record(&mut io)? {
        Record::Message(m) => m,
        Record::Refusal(why) => return Err(MigrateError::Refused(super::wire::printable(&why))),
    };
    let mut verdict = vec![0u8; MAX_RECORD];
    let n = hs.read_message(&reply, &mut verdict).map_err(|_| {
        MigrateError::Auth("the receiver's handshake answer failed authentication (a different key?)".into())
    })?;
    verdict.truncate(n);
    Ok((Channel::new(io, hs, true)?, verdict))
}

/// Receiver side, half-way: the sender has proven the key (if there is
/// one); its HELLO is read and the verdict is still to be given.
pub struct Responding {
    io: Timed,
    hs: snow::HandshakeState,
}

/// Receiver side: checks the greeting and the first handshake message;
/// returns the handshake in progress and the sender's HELLO.
pub fn respond(mut io: Timed, psk: Option<&Psk>) -> Result<(Responding, Vec<u8>), MigrateError> {
    io.waiting_for = "the sender's greeting";
    let mut theirs = [0u8; 9];
    read_exact(&mut io, &mut theirs)?;
    if &theirs[..8] != MAGIC {
        return Err(MigrateError::Protocol("not a myvmm migration (protocol 2)".into()));
    }
    let ours = greeting(psk);
    io.write_all(&ours)?;
    io.flush()?;
    match (theirs[8], psk.is_some()) {
        (0, true) => {
            return Err(MigrateError::Auth("a sender without --migration-key was turned away".into()))
        }
        (1, false) => {
            return Err(MigrateError::Refused("the sender has a key and this receiver has none".into()))
        }
        (0 | 1, _) => {}
        (other, _) => return Err(MigrateError::Protocol(format!("unknown sender mode {other}"))),
    }
    let prologue = [theirs, ours].concat();
    let mut hs = builder(psk, &prologue).and_then(|b| b.build_responder()).map_err(noise_error)?;
    io.waiting_for = "the sender's handshake";
    let message = match read_record(&mut io)? {
        Record::Message(m) => m,
        Record::Refusal(why) => return Err(MigrateError::Refused(super::wire::printable(&why))),
    };
    let mut hello = vec![0u8; MAX_RECORD];
    let n = match hs.read_message(&message, &mut hello) {
        Ok(n) => n,
        Err(_) => {
            let why = "authentication failed: the sender does not hold this receiver's --migration-key";
            write_plain_refusal(&mut io, why);
            return Err(MigrateError::Auth(why.into()));
        }
    };
    hello.truncate(n);
    Ok((Responding { io, hs }, hello))
}

impl Responding {
    /// Sends the verdict (the second handshake message) and opens the session.
    pub fn answer(mut self, verdict: &[u8]) -> Result<Channel, MigrateError> {
        let mut buf = vec![0u8; MAX_RECORD];
        let n = self.hs.write_message(verdict, &mut buf).map_err(noise_error)?;
        write_record(&mut self.io, &buf[..n])?;
        Channel::new(self.io, self.hs, false)
    }
}

/// An established session: a byte stream of sealed records in each
/// direction. Writes are buffered into records; `flush` seals the last one.
pub struct Channel {
    io: Timed,
    send: Cipher,
    recv: Cipher,
    plain_in: Vec<u8>,
    pos: usize,
    plain_out: Vec<u8>,
    record: Vec<u8>,
}

impl Channel {
    /// The session after a finished handshake; `initiator` says which of
    /// the split keys seals this side's records.
    fn new(io: Timed, mut hs: snow::HandshakeState, initiator: bool) -> Result<Channel, MigrateError> {
        if !hs.is_handshake_finished() {
            return Err(MigrateError::Protocol("the Noise handshake did not finish".into()));
        }
        let (first, second) = hs.dangerously_get_raw_split();
        let (send, recv) = if initiator { (first, second) } else { (second, first) };
        Ok(Channel {
            io,
            send: Cipher::new(&send),
            recv: Cipher::new(&recv),
            plain_in: Vec::with_capacity(MAX_PLAIN),
            pos: 0,
            plain_out: Vec::with_capacity(MAX_PLAIN),
            record: vec![0u8; 2 + MAX_RECORD],
        })
    }

    /// Names what the next reads and writes wait for (in timeout messages).
    pub fn waiting_for(&mut self, what: &'static str) {
        self.io.waiting_for = what;
    }

    /// Moves the connection's deadline (see [`Timed::restart_deadline`]).
    pub fn restart_deadline(&mut self, total: Duration) {
        self.io.restart_deadline(total);
    }

    /// A handle on the socket (to shut it down from another thread).
    pub fn socket(&self) -> io::Result<TcpStream> {
        self.io.socket()
    }

    /// Ends this side's writing and reads (and drops) what the peer still
    /// sends until it closes, within the usual timeout and deadline: closing
    /// on unread data would reset the connection and destroy a REFUSE the
    /// peer has not read yet.
    pub fn linger(&mut self) {
        self.io.shutdown_write();
        self.io.waiting_for = "the sender to stop after a refusal";
        let mut scratch = vec![0u8; 1 << 16];
        while let Ok(1..) = self.io.read(&mut scratch) {}
    }

    /// Seals `records` where they lie and writes them, after whatever was
    /// written before (which goes first, as a record of its own).
    pub fn write_records(&mut self, records: &mut Records) -> io::Result<()> {
        if !self.plain_out.is_empty() {
            self.seal()?;
        }
        let bytes = records.seal(&mut self.send)?;
        self.io.write_all(bytes)
    }

    fn seal(&mut self) -> io::Result<()> {
        let plain = std::mem::take(&mut self.plain_out);
        let r = self.seal_from(&plain);
        self.plain_out = plain;
        self.plain_out.clear();
        r
    }

    fn seal_from(&mut self, plain: &[u8]) -> io::Result<()> {
        let n = plain.len();
        self.record[2..2 + n].copy_from_slice(plain);
        let tag = self.send.seal(&mut self.record[2..2 + n])?;
        self.record[2 + n..2 + n + TAG].copy_from_slice(&tag);
        self.record[..2].copy_from_slice(&((n + TAG) as u16).to_be_bytes());
        self.io.write_all(&self.record[..2 + n + TAG])
    }

    /// Reads the next record's length; returns its plaintext's.
    fn next_len(&mut self) -> io::Result<usize> {
        let mut len = [0u8; 2];
        read_exact(&mut self.io, &mut len)?;
        let len = u16::from_be_bytes(len) as usize;
        if len < TAG {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "a record shorter than its tag"));
        }
        Ok(len - TAG)
    }

    /// Reads the record whose length was just read into `out` (exactly its
    /// plaintext's size) and opens it there. Unauthenticated bytes stand in
    /// `out` only when this fails, and then the session is over.
    fn open_into(&mut self, out: &mut [u8]) -> io::Result<()> {
        read_exact(&mut self.io, out)?;
        let mut tag = [0u8; TAG];
        read_exact(&mut self.io, &mut tag)?;
        self.recv.open(out, tag)
    }
}

impl Read for Channel {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.pos == self.plain_in.len() {
            let n = self.next_len()?;
            if n <= buf.len() {
                // The whole record fits: it is opened straight into the
                // caller's buffer (guest pages land in guest memory with
                // no extra copy). Empty records are skipped.
                self.open_into(&mut buf[..n])?;
                if n > 0 {
                    return Ok(n);
                }
                continue;
            }
            let mut plain = std::mem::take(&mut self.plain_in);
            plain.resize(n, 0);
            let opened = self.open_into(&mut plain);
            self.plain_in = plain;
            self.pos = 0;
            if let Err(e) = opened {
                self.plain_in.clear();
                return Err(e);
            }
        }
        let n = buf.len().min(self.plain_in.len() - self.pos);
        buf[..n].copy_from_slice(&self.plain_in[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl Write for Channel {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut rest = data;
        while !rest.is_empty() {
            if self.plain_out.is_empty() && rest.len() >= MAX_PLAIN {
                // Whole records are sealed from the caller's bytes.
                let (now, later) = rest.split_at(MAX_PLAIN);
                self.seal_from(now)?;
                rest = later;
                continue;
            }
            let room = MAX_PLAIN - self.plain_out.len();
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.plain_out.extend_from_slice(now);
            rest = later;
            if self.plain_out.len() == MAX_PLAIN {
                self.seal()?;
            }
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if !self.plain_out.is_empty() {
            self.seal()?;
        }
        self.io.flush()
    }
}
