//! Frames and addresses of the migration protocol (see [`super`]).

use std::io::{self, Read, Write};

/// Protocol version (carried in HELLO).
pub const VERSION: u32 = 6;
/// The port `--listen` and `MIGRATE` use when none is named.
pub const DEFAULT_PORT: u16 = 2830;
/// Bytes of a HELLO.
pub const HELLO_LEN: usize = 37;

/// Message types inside a session (after the handshake).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// The snapshot archive without its pages: the header's checksum and
    /// fingerprint (16 bytes), then the archive.
    Archive = 1,
    /// Guest pages: a page number, then whole pages of data.
    Page = 2,
    /// No more pages.
    End = 3,
    /// The receiver will run the VM once committed.
    Accept = 4,
    /// The receiver will not; the body says why.
    Refuse = 5,
    /// The sender lets go of the VM.
    Commit = 6,
    /// The receiver has it.
    Done = 7,
}

impl Frame {
    /// The frame's name, as the protocol documentation writes it.
    pub fn name(self) -> String {
        format!("{self:?}").to_uppercase()
    }

    fn from_byte(b: u8) -> Option<Frame> {
        use Frame::*;
        [Archive, Page, End, Accept, Refuse, Commit, Done].into_iter().find(|f| *f as u8 == b)
    }
}

/// What a connection is for (the first byte of HELLO after the version).
/// Only migrations exist today; the live-migration work adds queries about
/// a migration in doubt by its id, on the same channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Send a VM.
    Migrate = 0,
    /// Ask what became of migration `id` (a sender in doubt): the
    /// receiver's verdict carries the [`QueryAnswer`].
    Query = 1,
}

/// A receiver's answer about a migration id (its verdict to a query: 2,
/// then this byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryAnswer {
    /// It committed: the VM runs there.
    Committed = 0,
    /// It will never run there (it failed, or the query ended it).
    NeverStarted = 1,
    /// The receiver never saw it (or no longer remembers it).
    Unknown = 2,
}

impl QueryAnswer {
    /// The answer a verdict byte names.
    pub fn from_byte(b: u8) -> Option<QueryAnswer> {
        [QueryAnswer::Committed, QueryAnswer::NeverStarted, QueryAnswer::Unknown]
            .into_iter()
            .find(|a| *a as u8 == b)
    }
}

/// The sender's first words, inside the first handshake message: what it
/// wants, the migration's id and how much it will send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hello {
    /// What the connection is for.
    pub purpose: Purpose,
    /// A random 128-bit id: a receiver never runs one id twice.
    pub id: [u8; 16],
    /// Bytes of the archive frame's archive.
    pub archive_len: u64,
    /// Bytes of guest pages to follow.
    pub page_bytes: u64,
}

impl Hello {
    /// Encodes a HELLO.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(HELLO_LEN);
        b.extend_from_slice(&VERSION.to_le_bytes());
        b.push(self.purpose as u8);
        b.extend_from_slice(&self.id);
        b.extend_from_slice(&self.archive_len.to_le_bytes());
        b.extend_from_slice(&self.page_bytes.to_le_bytes());
        b
    }

    /// Decodes a HELLO; the error names what is wrong.
    pub fn parse(b: &[u8]) -> Result<Hello, String> {
        if b.len() != HELLO_LEN {
            return Err(format!("a HELLO of {} bytes, not {HELLO_LEN}", b.len()));
        }
        let version = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if version != VERSION {
            return Err(format!("protocol version {version} is not {VERSION}"));
        }
        let purpose = match b[4] {
            0 => Purpose::Migrate,
            1 => Purpose::Query,
            other => return Err(format!("unknown request {other}")),
        };
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
        let mut id = [0u8; 16];
        id.copy_from_slice(&b[5..21]);
        Ok(Hello { purpose, id, archive_len: word(21), page_bytes: word(29) })
    }
}

/// A migration id as text (for messages).
pub fn id_text(id: &[u8; 16]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes one frame: a type byte, a little-endian u64 length, the body.
pub fn write_frame(w: &mut impl Write, kind: Frame, body: &[u8]) -> io::Result<()> {
    write_head(w, kind, body.len() as u64)?;
    w.write_all(body)
}

/// Writes a frame's type and length (the body follows).
pub fn write_head(w: &mut impl Write, kind: Frame, len: u64) -> io::Result<()> {
    w.write_all(&head(kind, len))
}

/// Bytes in a frame's head.
pub const HEAD_LEN: usize = 9;

/// A frame's head: its type and the length of the body that follows.
pub fn head(kind: Frame, len: u64) -> [u8; HEAD_LEN] {
    let mut head = [0u8; HEAD_LEN];
    head[0] = kind as u8;
    head[1..].copy_from_slice(&len.to_le_bytes());
    head
}

/// Reads a frame's type and length; refuses lengths above `max`.
pub fn read_head(r: &mut impl Read, max: u64) -> io::Result<(Frame, u64)> {
    let mut head = [0u8; 9];
    r.read_exact(&mut head)?;
    let kind = Frame::from_byte(head[0]).ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidData, format!("unknown frame type {}", head[0]))
    })?;
    let mut len = [0u8; 8];
    len.copy_from_slice(&head[1..]);
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} frame of {len} bytes exceeds the limit of {max}", kind.name()),
        ));
    }
    Ok((kind, len))
}

/// Reads one frame of at most `max` bytes.
pub fn read_frame(r: &mut impl Read, max: u64) -> io::Result<(Frame, Vec<u8>)> {
    let (kind, len) = read_head(r, max)?;
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body)?;
    Ok((kind, body))
}

/// Text from a peer made safe to print: control characters (terminal
/// escape sequences among them) are shown escaped, and it is cut at 512
/// characters.
pub fn printable(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 512 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `host[:port]`, `[ipv6]:port` or a bare IPv6 address, as `host:port`
/// ready for name resolution (port 2830 when none is given).
pub fn parse_target(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some(format!("[{host}]:{}", port.parse::<u16>().ok()?)),
            None if after.is_empty() => Some(format!("[{host}]:{DEFAULT_PORT}")),
            None => None,
        };
    }
    match text.matches(':').count() {
        0 => Some(format!("{text}:{DEFAULT_PORT}")),
        1 => {
            let (host, port) = text.split_once(':')?;
            let port: u16 = port.parse().ok()?;
            (!host.is_empty()).then(|| format!("{host}:{port}"))
        }
        // Several colons and no brackets: a bare IPv6 address.
        _ => text.parse::<std::net::Ipv6Addr>().ok().map(|a| format!("[{a}]:{DEFAULT_PORT}")),
    }
}

/// `--listen` addresses: a bare port or `:PORT` binds 127.0.0.1; anything
/// else is `host:port` (or `host`, on port 2830).
pub fn parse_listen_addr(text: &str) -> Option<String> {
    let text = text.trim();
    let port = text.strip_prefix(':').unwrap_or(text);
    if let Ok(port) = port.parse::<u16>() {
        return Some(format!("127.0.0.1:{port}"));
    }
    parse_target(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("localhost").as_deref(), Some("localhost:2830"));
        assert_eq!(parse_target("10.0.0.2:4000").as_deref(), Some("10.0.0.2:4000"));
        assert_eq!(parse_target("[::1]:4000").as_deref(), Some("[::1]:4000"));
        assert_eq!(parse_target("[::1]").as_deref(), Some("[::1]:2830"));
        assert_eq!(parse_target("::1").as_deref(), Some("[::1]:2830"));
        assert_eq!(parse_target("host:port"), None);
        assert_eq!(parse_target("host:99999"), None);
        assert_eq!(parse_target(""), None);
    }

    #[test]
    fn listen_addresses() {
        assert_eq!(parse_listen_addr("2831").as_deref(), Some("127.0.0.1:2831"));
        assert_eq!(parse_listen_addr(":2831").as_deref(), Some("127.0.0.1:2831"));
        assert_eq!(parse_listen_addr("0.0.0.0:2830").as_deref(), Some("0.0.0.0:2830"));
    }

    #[test]
    fn frames_round_trip_and_limits_hold() {
        let mut buf = Vec::new();
        write_frame(&mut buf, Frame::Refuse, b"abc").unwrap();
        let (kind, body) = read_frame(&mut buf.as_slice(), 10).unwrap();
        assert_eq!((kind, body.as_slice()), (Frame::Refuse, &b"abc"[..]));
        assert!(read_frame(&mut buf.as_slice(), 2).is_err());
        assert!(read_frame(&mut &[99u8, 0, 0, 0, 0, 0, 0, 0, 0][..], 10).is_err());
        assert!(read_frame(&mut &buf[..5], 10).is_err());
    }

    #[test]
    fn hellos_round_trip_and_bad_ones_are_named() {
        let hello = Hello { purpose: Purpose::Migrate, id: [7; 16], archive_len: 5, page_bytes: 4096 };
        assert_eq!(Hello::parse(&hello.to_bytes()), Ok(hello));
        assert!(Hello::parse(&[0; 3]).unwrap_err().contains("3 bytes"));
        let mut old = hello.to_bytes();
        old[0] = 1;
        assert!(Hello::parse(&old).unwrap_err().contains("version 1"));
    }

    #[test]
    fn peer_text_is_printed_escaped() {
        assert_eq!(printable("no\x1b[2Jway\n"), "no\\u{1b}[2Jway\\n");
        assert_eq!(printable(&"x".repeat(600)).chars().count(), 513);
    }
}
