//! Sealed records after the handshake: the bytes `snow`'s own transport
//! would put on the wire (AES-256-GCM under the keys the Noise handshake
//! split into, nonce = 32 zero bits then the record number big-endian, no
//! associated data; see the Noise specification, §5.1 and §12.3), sealed
//! and opened where they lie.
//!
//! Why not `snow::TransportState`: it copies every plaintext into its
//! output before sealing it in place, and every ciphertext before opening
//! it, and guest memory is what migration moves. Sealing a chunk of pages
//! laid out as records ([`Records`]) and opening a record straight into
//! guest memory leaves one pass over each byte on each side: the cipher.
//! The keys come from snow's handshake (`dangerously_get_raw_split`); the
//! AEAD is `ring`'s. A test checks the records against snow's transport
//! in both directions.

use ring::aead::{Aad, LessSafeKey, Nonce, Tag, UnboundKey, AES_256_GCM};
use std::io;

/// Largest Noise message (record), tag included.
pub const MAX_RECORD: usize = 65535;
/// AEAD tag bytes in each record.
pub const TAG: usize = 16;
/// Plaintext bytes per record.
pub const MAX_PLAIN: usize = MAX_RECORD - TAG;
/// Bytes before a record's ciphertext: its length, big-endian.
const LEN: usize = 2;

/// One direction of a session: its key and the number of the next record.
pub struct Cipher {
    key: LessSafeKey,
    next: u64,
}

impl Cipher {
    /// The cipher for one direction, from the handshake's split key.
    pub fn new(key: &[u8; 32]) -> Cipher {
        // AES-256 takes any 32-byte key; `new` fails only on a wrong length.
        let key = UnboundKey::new(&AES_256_GCM, key).expect("a 32-byte AES-256 key");
        Cipher { key: LessSafeKey::new(key), next: 0 }
    }

    fn nonce(&mut self) -> io::Result<Nonce> {
        // Noise reserves the last nonce; a session never gets near it.
        if self.next == u64::MAX {
            return Err(io::Error::other("the session has used up its record numbers"));
        }
        let mut bytes = [0u8; 12];
        bytes[4..].copy_from_slice(&self.next.to_be_bytes());
        self.next += 1;
        Ok(Nonce::assume_unique_for_key(bytes))
    }

    /// Encrypts `in_out` in place as the next record; returns its tag.
    pub fn seal(&mut self, in_out: &mut [u8]) -> io::Result<[u8; TAG]> {
        let nonce = self.nonce()?;
        let tag = self
            .key
            .seal_in_place_separate_tag(nonce, Aad::empty(), in_out)
            .map_err(|_| io::Error::other("cannot seal a record"))?;
        let mut out = [0u8; TAG];
        out.copy_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Decrypts `in_out` in place as the next record, checking `tag`. On
    /// failure `in_out` holds bytes nobody may trust, and the session is
    /// over (the next record's number would be wrong anyway).
    pub fn open(&mut self, in_out: &mut [u8], tag: [u8; TAG]) -> io::Result<()> {
        let nonce = self.nonce()?;
        self.key
            .open_in_place_separate_tag(nonce, Aad::empty(), Tag::from(tag), in_out, 0..)
            .map(|_| ())
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a record failed authentication: the stream was altered, reordered or replayed",
                )
            })
    }
}

/// Bytes laid out as the records they will travel in — each a length,
/// up to `MAX_PLAIN` bytes of plaintext and room for its tag — filled by
/// one thread and sealed in place and written in one call by another.
#[derive(Default)]
pub struct Records {
    buf: Vec<u8>,
    /// Where the record being filled starts, if one is open.
    open: Option<usize>,
    /// Plaintext bytes pushed, over all records.
    plain: usize,
}

impl Records {
    /// Empty, keeping the buffer's room.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.open = None;
        self.plain = 0;
    }

    /// Plaintext bytes pushed since the last clear.
    pub fn plain_len(&self) -> usize {
        self.plain
    }

    /// Appends plaintext, starting records as they fill.
    pub fn push(&mut self, mut bytes: &[u8]) {
        self.plain += bytes.len();
        while !bytes.is_empty() {
            let start = match self.open {
                Some(start) if self.buf.len() - start - LEN < MAX_PLAIN => start,
                _ => {
                    self.cut();
                    let start = self.buf.len();
                    self.buf.extend_from_slice(&[0; LEN]);
                    self.open = Some(start);
                    start
                }
            };
            let room = MAX_PLAIN - (self.buf.len() - start - LEN);
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buf.extend_from_slice(now);
            bytes = later;
        }
    }

    /// Ends the open record here, so what is pushed next starts a record
    /// of its own (a receiver then reads it straight into its place).
    pub fn cut(&mut self) {
        if let Some(start) = self.open.take() {
            let len = self.buf.len() - start - LEN + TAG;
            self.buf[start..start + LEN].copy_from_slice(&(len as u16).to_be_bytes());
            self.buf.extend_from_slice(&[0; TAG]);
        }
    }

    /// Seals every record in place with `cipher`; returns the bytes to
    /// write, lengths and tags included.
    pub fn seal(&mut self, cipher: &mut Cipher) -> io::Result<&[u8]> {
        self.cut();
        let mut at = 0;
        while at < self.buf.len() {
            let len = u16::from_be_bytes([self.buf[at], self.buf[at + 1]]) as usize;
            let plain = at + LEN..at + LEN + len - TAG;
            let tag = cipher.seal(&mut self.buf[plain.clone()])?;
            self.buf[plain.end..plain.end + TAG].copy_from_slice(&tag);
            at = plain.end + TAG;
        }
        Ok(&self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished NN handshake: (initiator, responder).
    fn handshake() -> (snow::HandshakeState, snow::HandshakeState) {
        let params: snow::params::NoiseParams = "Noise_NN_25519_AESGCM_BLAKE2s".parse().unwrap();
        let mut i = snow::Builder::new(params.clone()).build_initiator().unwrap();
        let mut r = snow::Builder::new(params).build_responder().unwrap();
        let (mut a, mut b) = ([0u8; 1024], [0u8; 1024]);
        let n = i.write_message(b"", &mut a).unwrap();
        r.read_message(&a[..n], &mut b).unwrap();
        let n = r.write_message(b"", &mut a).unwrap();
        i.read_message(&a[..n], &mut b).unwrap();
        (i, r)
    }

    #[test]
    fn records_are_the_ones_snow_seals_and_opens() {
        let (mut i, r) = handshake();
        let (i_send, i_recv) = i.dangerously_get_raw_split();
        let mut theirs = r.into_transport_mode().unwrap();
        let (mut send, mut recv) = (Cipher::new(&i_send), Cipher::new(&i_recv));
        let plain: Vec<u8> = (0..MAX_PLAIN + 5000).map(|i| (i * 7) as u8).collect();
        // Ours sealed (two full-size records and a cut), snow opens.
        let mut records = Records::default();
        records.push(&plain[..13]);
        records.cut();
        records.push(&plain[13..]);
        assert_eq!(records.plain_len(), plain.len());
        let wire = records.seal(&mut send).unwrap().to_vec();
        let (mut at, mut got) = (0, Vec::new());
        while at < wire.len() {
            let len = u16::from_be_bytes([wire[at], wire[at + 1]]) as usize;
            let mut out = vec![0u8; len];
            let n = theirs.read_message(&wire[at + 2..at + 2 + len], &mut out).unwrap();
            got.extend_from_slice(&out[..n]);
            at += 2 + len;
        }
        assert_eq!(got, plain);
        // Snow sealed, ours opens; a flipped bit is refused.
        for round in 0..2 {
            let mut sealed = vec![0u8; 200];
            let n = theirs.write_message(&plain[..100], &mut sealed).unwrap();
            let (body, tag) = sealed[..n].split_at_mut(n - TAG);
            if round == 1 {
                body[3] ^= 1;
                assert!(recv.open(body, tag.try_into().unwrap()).is_err());
            } else {
                recv.open(body, tag.try_into().unwrap()).unwrap();
                assert_eq!(body, &plain[..100]);
            }
        }
    }

    #[test]
    fn a_record_opened_out_of_turn_fails() {
        let (mut i, _) = handshake();
        let (k, _) = i.dangerously_get_raw_split();
        let (mut send, mut recv) = (Cipher::new(&k), Cipher::new(&k));
        send.seal(&mut b"first record".to_vec()).unwrap();
        let mut second = *b"second one!!";
        let second_tag = send.seal(&mut second).unwrap();
        // The second record where the first belongs: refused.
        assert!(recv.open(&mut second, second_tag).is_err());
    }
}
