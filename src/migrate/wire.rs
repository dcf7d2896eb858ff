//! Frames and addresses of the migration protocol (see [`super`]).

use std::io::{self, Read, Write};

/// The protocol's greeting.
pub const MAGIC: &[u8; 8] = b"MYVMMIG1";
/// Protocol version.
pub const VERSION: u32 = 1;
/// The port `--listen` and `MIGRATE` use when none is named.
pub const DEFAULT_PORT: u16 = 2830;

/// Message types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// Sender's greeting: magic and version.
    Hello = 1,
    /// Receiver's version, key requirement and nonce.
    Challenge = 2,
    /// Length, checksum, fingerprint and proof, after the data.
    End = 3,
    /// A chunk of the snapshot archive.
    Data = 4,
    /// The receiver will run the VM once committed.
    Accept = 5,
    /// The receiver will not; the body says why.
    Refuse = 6,
    /// The sender lets go of the VM.
    Commit = 7,
    /// The receiver has it.
    Done = 8,
    /// Guest pages: a page number, then whole pages of data.
    Page = 9,
}

impl Frame {
    fn from_byte(b: u8) -> Option<Frame> {
        use Frame::*;
        [Hello, Challenge, End, Data, Accept, Refuse, Commit, Done, Page].into_iter().find(|f| *f as u8 == b)
    }
}

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, kind: Frame, body: &[u8]) -> io::Result<()> {
    let mut head = [0u8; 9];
    head[0] = kind as u8;
    head[1..].copy_from_slice(&(body.len() as u64).to_le_bytes());
    w.write_all(&head)?;
    w.write_all(body)
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
            format!("frame of {len} bytes exceeds the limit of {max}"),
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
        write_frame(&mut buf, Frame::End, b"abc").unwrap();
        let (kind, body) = read_frame(&mut buf.as_slice(), 10).unwrap();
        assert_eq!((kind, body.as_slice()), (Frame::End, &b"abc"[..]));
        assert!(read_frame(&mut buf.as_slice(), 2).is_err());
        assert!(read_frame(&mut &[99u8, 0, 0, 0, 0, 0, 0, 0, 0][..], 10).is_err());
        assert!(read_frame(&mut &buf[..5], 10).is_err());
    }
}
