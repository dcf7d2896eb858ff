//! The fixed 64-byte header in front of every snapshot (layout in the
//! module docs of [`super`]).

use super::SnapshotError;

/// First eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"MYVMSNAP";
/// The format this myvmm writes (it reads every format from
/// [`OLDEST_VERSION`] up to this one).
pub const FORMAT_VERSION: u32 = 4;
/// The oldest format this myvmm reads.
pub const OLDEST_VERSION: u32 = 1;
/// Header bytes before the payload.
pub const HEADER_SIZE: usize = 64;
/// Alignment of a file's page area (format 4 on): the host's page size.
pub const AREA_ALIGN: u64 = 4096;
/// The first format with a page area.
const AREA_VERSION: u32 = 4;

/// A parsed header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Format version of the payload.
    pub version: u32,
    /// Payload bytes after the header.
    pub payload_len: u64,
    /// xxh3-64 of the payload.
    pub checksum: u64,
    /// The program's fingerprint.
    pub fingerprint: u64,
    /// Bytes of the page area after the archive (format 4 on; 0 when the
    /// pages, if any, are inside the archive).
    pub page_bytes: u64,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(word)
}

impl Header {
    /// The header for `payload`.
    pub fn new(payload: &[u8], fingerprint: u64) -> Header {
        Header {
            version: FORMAT_VERSION,
            payload_len: payload.len() as u64,
            checksum: xxhash_rust::xxh3::xxh3_64(payload),
            fingerprint,
            page_bytes: 0,
        }
    }

    /// Where the page area starts in the file (page-aligned after the
    /// archive).
    pub fn area_offset(&self) -> u64 {
        (HEADER_SIZE as u64 + self.payload_len).next_multiple_of(AREA_ALIGN)
    }

    /// The file's whole length.
    pub fn file_len(&self) -> u64 {
        if self.page_bytes == 0 {
            HEADER_SIZE as u64 + self.payload_len
        } else {
            self.area_offset() + self.page_bytes
        }
    }

    /// The header's own checksum: over every other byte (format 4 on), or
    /// its first 40 (before).
    fn own_checksum(b: &[u8; HEADER_SIZE], version: u32) -> u64 {
        if version >= AREA_VERSION {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&b[..40]);
            h.update(&b[48..]);
            h.digest()
        } else {
            xxhash_rust::xxh3::xxh3_64(&b[..40])
        }
    }

    /// Encodes the header.
    pub fn to_bytes(&self) -> [u8; HEADER_SIZE] {
        let mut b = [0u8; HEADER_SIZE];
        b[..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&self.version.to_le_bytes());
        b[12..16].copy_from_slice(&(HEADER_SIZE as u32).to_le_bytes());
        b[16..24].copy_from_slice(&self.payload_len.to_le_bytes());
        b[24..32].copy_from_slice(&self.checksum.to_le_bytes());
        b[32..40].copy_from_slice(&self.fingerprint.to_le_bytes());
        b[48..56].copy_from_slice(&self.page_bytes.to_le_bytes());
        let own = Header::own_checksum(&b, self.version);
        b[40..48].copy_from_slice(&own.to_le_bytes());
        b
    }

    /// Checks and decodes the header of a whole file's bytes.
    pub fn parse(file: &[u8]) -> Result<Header, SnapshotError> {
        if file.is_empty() {
            return Err(SnapshotError::Empty);
        }
        if file.len() < 8 || file[..8] != MAGIC {
            return Err(if file.len() < 8 && MAGIC.starts_with(file) {
                SnapshotError::Truncated { found: file.len() as u64, expected: HEADER_SIZE as u64 }
            } else {
                SnapshotError::Foreign
            });
        }
        if file.len() < HEADER_SIZE {
            return Err(SnapshotError::Truncated { found: file.len() as u64, expected: HEADER_SIZE as u64 });
        }
        let mut b = [0u8; HEADER_SIZE];
        b.copy_from_slice(&file[..HEADER_SIZE]);
        let version = u32_at(&b, 8);
        if Header::own_checksum(&b, version) != u64_at(&b, 40) {
            return Err(SnapshotError::Header("its checksum does not match"));
        }
        if version > FORMAT_VERSION {
            return Err(SnapshotError::Newer { found: version });
        }
        if version < OLDEST_VERSION {
            return Err(SnapshotError::UnknownVersion(version));
        }
        let reserved = if version >= AREA_VERSION { &b[56..] } else { &b[48..] };
        if u32_at(&b, 12) as usize != HEADER_SIZE || reserved.iter().any(|&x| x != 0) {
            return Err(SnapshotError::Header("unexpected header fields"));
        }
        let header = Header {
            version,
            payload_len: u64_at(&b, 16),
            checksum: u64_at(&b, 24),
            fingerprint: u64_at(&b, 32),
            page_bytes: if version >= AREA_VERSION { u64_at(&b, 48) } else { 0 },
        };
        if header.page_bytes % AREA_ALIGN != 0 || header.payload_len > 1 << 48 || header.page_bytes > 1 << 48
        {
            return Err(SnapshotError::Header("impossible sizes"));
        }
        let expected = header.file_len();
        if (file.len() as u64) < expected {
            return Err(SnapshotError::Truncated { found: file.len() as u64, expected });
        }
        if file.len() as u64 > expected {
            return Err(SnapshotError::Header("the file is longer than the snapshot"));
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_every_header_byte_matters() {
        let payload = vec![7u8; 100];
        let header = Header::new(&payload, 0xfeed);
        let mut file = header.to_bytes().to_vec();
        file.extend_from_slice(&payload);
        assert_eq!(Header::parse(&file).unwrap(), header);
        for i in 0..HEADER_SIZE {
            let mut bad = file.clone();
            bad[i] ^= 0x40;
            assert!(Header::parse(&bad).is_err(), "byte {i} flipped was accepted");
        }
        assert!(matches!(Header::parse(&file[..30]), Err(SnapshotError::Truncated { .. })));
        assert!(matches!(Header::parse(&file[..HEADER_SIZE + 10]), Err(SnapshotError::Truncated { .. })));
        assert!(matches!(Header::parse(b"ELF\x7f and more bytes"), Err(SnapshotError::Foreign)));
        assert!(matches!(Header::parse(b""), Err(SnapshotError::Empty)));
    }

    #[test]
    fn newer_versions_are_named() {
        let payload = [1u8; 8];
        let mut b = Header::new(&payload, 1).to_bytes();
        b[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let own = Header::own_checksum(&b, FORMAT_VERSION + 1);
        b[40..48].copy_from_slice(&own.to_le_bytes());
        let mut file = b.to_vec();
        file.extend_from_slice(&payload);
        assert!(
            matches!(Header::parse(&file), Err(SnapshotError::Newer { found }) if found == FORMAT_VERSION + 1)
        );
        let mut zero = Header::new(&payload, 1);
        zero.version = 0;
        let mut file = zero.to_bytes().to_vec();
        file.extend_from_slice(&payload);
        assert!(matches!(Header::parse(&file), Err(SnapshotError::UnknownVersion(0))));
        let mut old = Header::new(&payload, 1);
        old.version = OLDEST_VERSION;
        let mut file = old.to_bytes().to_vec();
        file.extend_from_slice(&payload);
        assert_eq!(Header::parse(&file).unwrap().version, OLDEST_VERSION);
    }
}
