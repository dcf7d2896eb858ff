//! Syscalls (SPEC §5): SPIM/MARS 1–17, MARS 30–36 and 40–42, and the Linux
//! o32 calls a freestanding program needs (4001 exit, 4003 read, 4004 write,
//! 4045 brk).
//!
//! Reads from standard input do not run here: they become an
//! [`InputRequest`] that the scheduler serves off the worker threads, so a
//! VM waiting for input never holds up the others.
//!
//! No length a guest passes sizes a host allocation: output is handed on in
//! place from guest memory ([`SysResult::GuestOutput`]), input goes straight
//! into guest memory a buffer at a time, so a VM costs the host its memory
//! limit plus a constant (docs/files-and-console.md has the table).

use super::folder::{Access, Folder};
use super::{Fault, Machine};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const V0: usize = 2;
const A0: usize = 4;
const A1: usize = 5;
const A2: usize = 6;
const A3: usize = 7;

/// Longest string print_string reads before giving up on a missing NUL.
const MAX_STRING: u32 = 1 << 20;
/// Longest sleep a guest may ask for in one call.
const MAX_SLEEP_MS: u32 = 60_000;
/// Files one VM may hold open.
const MAX_FILES: usize = 64;
/// Linux errno values the o32 calls return.
const EBADF: u32 = 9;
const EFAULT: u32 = 14;

/// A read from standard input a VM is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputRequest {
    /// Syscall 5: an integer on a line.
    Int,
    /// Syscall 8: a line into `buf`, at most `len - 1` bytes plus NUL.
    String {
        /// Guest buffer.
        buf: u32,
        /// Buffer size.
        len: u32,
    },
    /// Syscall 12: one character.
    Char,
    /// Syscall 14 or Linux read on fd 0: up to `len` bytes.
    Bytes {
        /// Guest buffer.
        buf: u32,
        /// Most bytes to read.
        len: u32,
        /// Linux o32 result convention (`$a3` error flag).
        linux: bool,
    },
}

/// What the VM does after a syscall.
#[derive(Debug, PartialEq, Eq)]
pub enum SysResult {
    /// Go on running.
    Continue,
    /// Output to the console (a few bytes the syscall made up).
    Output(Vec<u8>),
    /// Guest memory `[addr, addr + len)`, already checked readable, to the
    /// console (or standard error): passed on in place, never copied whole.
    GuestOutput {
        /// First byte.
        addr: u32,
        /// Bytes.
        len: u32,
        /// To standard error (fd 2) rather than the console.
        stderr: bool,
    },
    /// Wait for standard input.
    Input(InputRequest),
    /// Stop: `exit` (code 0) or `exit2` / Linux exit (the code).
    Exit(i32),
    /// A guest fault.
    Fault(Fault),
}

/// Per-VM operating-system state: open files and random generators.
pub struct Os {
    files_dir: Option<Folder>,
    files: Vec<Option<File>>,
    rngs: Vec<(u32, u64)>,
    seed: u64,
}

impl Os {
    /// File syscalls work only inside `files_dir` (none: every open fails).
    /// `seed` seeds random generators not seeded by the guest.
    pub fn new(files_dir: Option<Folder>, seed: u64) -> Os {
        Os { files_dir, files: Vec::new(), rngs: Vec::new(), seed }
    }

    /// Random generator states (id, state), for snapshots.
    pub fn rngs(&self) -> Vec<(u32, u64)> {
        self.rngs.clone()
    }

    /// Restores random generator states from a snapshot.
    pub fn set_rngs(&mut self, rngs: Vec<(u32, u64)>) {
        self.rngs = rngs;
    }

    fn rng(&mut self, id: u32) -> &mut u64 {
        let seed = self.seed;
        let index = match self.rngs.iter().position(|r| r.0 == id) {
            Some(i) => i,
            None => {
                self.rngs.push((id, splitmix(seed ^ (id as u64).wrapping_mul(0x9e37_79b9))));
                self.rngs.len() - 1
            }
        };
        &mut self.rngs[index].1
    }

    /// Opens a guest path beneath the allowed folder (see [`super::folder`]):
    /// `None` for a flag MARS does not define, a path outside the folder or
    /// any other failure; the guest sees -1 either way.
    fn open_path(&self, guest_path: &[u8], flags: u32) -> Option<File> {
        let access = match flags {
            0 => Access::Read,
            1 => Access::Create,
            9 => Access::Append,
            _ => return None,
        };
        let path = Path::new(OsStr::from_bytes(guest_path));
        self.files_dir.as_ref()?.open_file(path, access).ok()
    }

    fn open(&mut self, path: &[u8], flags: u32) -> i32 {
        // A free slot first: a file created or emptied must end up open.
        let slot = match self.files.iter().position(Option::is_none) {
            Some(slot) => slot,
            None if self.files.len() < MAX_FILES => {
                self.files.push(None);
                self.files.len() - 1
            }
            None => return -1,
        };
        let Some(file) = self.open_path(path, flags) else { return -1 };
        self.files[slot] = Some(file);
        slot as i32 + 3
    }

    fn file(&mut self, fd: u32) -> Option<&mut File> {
        self.files.get_mut(fd.checked_sub(3)? as usize)?.as_mut()
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn next_random(state: &mut u64) -> u32 {
    *state = splitmix(*state);
    (*state >> 32) as u32
}

/// Serves the syscall just retired (`$v0` holds its number).
pub fn syscall(m: &mut Machine, os: &mut Os) -> SysResult {
    let regs = m.cpu.regs;
    let (a0, a1, a2) = (regs[A0], regs[A1], regs[A2]);
    let out = |s: String| SysResult::Output(s.into_bytes());
    match regs[V0] {
        1 => out((a0 as i32).to_string()),
        4 => match m.mem.cstr_len(a0, MAX_STRING) {
            Ok(len) => SysResult::GuestOutput { addr: a0, len, stderr: false },
            Err(f) => SysResult::Fault(f),
        },
        5 => SysResult::Input(InputRequest::Int),
        8 => SysResult::Input(InputRequest::String { buf: a0, len: a1 }),
        9 => sbrk(m, a0),
        10 => SysResult::Exit(0),
        11 => SysResult::Output(vec![a0 as u8]),
        12 => SysResult::Input(InputRequest::Char),
        13 => {
            let fd = match m.mem.read_cstr(a0, 4096) {
                Ok(path) => os.open(&path, a1),
                Err(f) => return SysResult::Fault(f),
            };
            m.cpu.regs[V0] = fd as u32;
            SysResult::Continue
        }
        14 if a0 == 0 => SysResult::Input(InputRequest::Bytes { buf: a1, len: a2, linux: false }),
        14 => {
            let result = read_file(m, os, a0, a1, a2);
            m.cpu.regs[V0] = result.unwrap_or(-1) as u32;
            SysResult::Continue
        }
        15 => write_fd(m, os, a0, a1, a2, false),
        16 => {
            if let Some(slot) = a0.checked_sub(3).and_then(|i| os.files.get_mut(i as usize)) {
                *slot = None;
            }
            SysResult::Continue
        }
        17 | 4001 => SysResult::Exit(a0 as i32),
        30 => {
            let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
            m.cpu.regs[A0] = ms as u32;
            m.cpu.regs[A1] = (ms >> 32) as u32;
            SysResult::Continue
        }
        31 | 33 => SysResult::Continue, // MIDI: no sound device in a VM.
        32 => {
            std::thread::sleep(Duration::from_millis(a0.min(MAX_SLEEP_MS) as u64));
            SysResult::Continue
        }
        34 => out(format!("0x{a0:08x}")),
        35 => out(format!("{a0:032b}")),
        36 => out(a0.to_string()),
        40 => {
            *os.rng(a0) = splitmix(a1 as u64);
            SysResult::Continue
        }
        41 => {
            m.cpu.regs[A0] = next_random(os.rng(a0));
            SysResult::Continue
        }
        42 => {
            if a1 as i32 <= 0 {
                return SysResult::Fault(Fault::Unsupported(format!(
                    "random range upper bound {} is not positive",
                    a1 as i32
                )));
            }
            m.cpu.regs[A0] = ((next_random(os.rng(a0)) as u64 * a1 as u64) >> 32) as u32;
            SysResult::Continue
        }
        4003 if a0 == 0 => SysResult::Input(InputRequest::Bytes { buf: a1, len: a2, linux: true }),
        4003 => {
            let result = read_file(m, os, a0, a1, a2);
            linux_result(m, result.map_err(|_| EBADF));
            SysResult::Continue
        }
        4004 => write_fd(m, os, a0, a1, a2, true),
        4045 => {
            if a0 != 0 {
                let _ = m.mem.set_brk(a0);
            }
            linux_result(m, Ok(m.mem.brk() as i32));
            SysResult::Continue
        }
        2 | 3 | 6 | 7 | 43 | 44 => SysResult::Fault(Fault::Unsupported(format!(
            "syscall {} needs floating point, not supported yet",
            regs[V0]
        ))),
        n => SysResult::Fault(Fault::BadSyscall(n)),
    }
}

fn linux_result(m: &mut Machine, result: Result<i32, u32>) {
    match result {
        Ok(v) => {
            m.cpu.regs[V0] = v as u32;
            m.cpu.regs[A3] = 0;
        }
        Err(errno) => {
            m.cpu.regs[V0] = errno;
            m.cpu.regs[A3] = 1;
        }
    }
}

fn sbrk(m: &mut Machine, amount: u32) -> SysResult {
    // The returned block is word-aligned, as MARS makes it.
    let old = m.mem.brk().next_multiple_of(4);
    match m.mem.set_brk(old.wrapping_add(amount)) {
        Ok(()) => {
            m.cpu.regs[V0] = old;
            SysResult::Continue
        }
        Err(f) => SysResult::Fault(f),
    }
}

/// Most bytes one file read returns.
const MAX_FILE_READ: u32 = 1 << 24;
/// Host buffer a file read goes through, whatever the guest asks for.
const IO_CHUNK: usize = 64 << 10;

/// A file read: into guest memory through a bounded host buffer, up to
/// `len` (at most [`MAX_FILE_READ`]) bytes or the end of the file. A
/// destination that is not writable makes the call fail (-1), as in MARS.
fn read_file(m: &mut Machine, os: &mut Os, fd: u32, buf: u32, len: u32) -> Result<i32, ()> {
    let file = os.file(fd).ok_or(())?;
    let want = len.min(MAX_FILE_READ) as usize;
    let mut chunk = vec![0u8; want.min(IO_CHUNK)];
    let mut total = 0usize;
    while total < want {
        let ask = (want - total).min(IO_CHUNK);
        let n = file.read(&mut chunk[..ask]).map_err(|_| ())?;
        m.mem.write_bytes(buf.wrapping_add(total as u32), &chunk[..n]).map_err(|_| ())?;
        total += n;
        if n < ask {
            break;
        }
    }
    Ok(total as i32)
}

fn write_fd(m: &mut Machine, os: &mut Os, fd: u32, buf: u32, len: u32, linux: bool) -> SysResult {
    let bytes = match m.mem.bytes(buf, len) {
        Ok(b) => b,
        Err(f) if !linux => return SysResult::Fault(f),
        Err(_) => {
            linux_result(m, Err(EFAULT));
            return SysResult::Continue;
        }
    };
    let result = match fd {
        1 | 2 => Ok(len as i32),
        _ => os.file(fd).and_then(|f| f.write_all(bytes).ok()).map(|_| len as i32).ok_or(EBADF),
    };
    if linux {
        linux_result(m, result);
    } else {
        m.cpu.regs[V0] = result.unwrap_or(-1) as u32;
    }
    match fd {
        1 | 2 => SysResult::GuestOutput { addr: buf, len, stderr: fd == 2 },
        _ => SysResult::Continue,
    }
}

/// Completes a read from standard input (on the input thread).
pub fn complete_input(m: &mut Machine, request: InputRequest, input: &mut dyn BufRead) -> Result<(), Fault> {
    match request {
        InputRequest::Int => {
            let line = read_line_bounded(input, MAX_INT_LINE);
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            let value = if text.is_empty() {
                0
            } else {
                parse_int(text)
                    .ok_or_else(|| Fault::Unsupported(format!("read_int: `{text}` is not an integer")))?
            };
            m.cpu.regs[V0] = value as u32;
        }
        InputRequest::String { buf, len } => {
            if len == 0 {
                return Ok(());
            }
            // Straight from the input's buffer into guest memory: the host
            // holds no more than that buffer, however large `len` is.
            let max = len - 1;
            let mut at = 0u32;
            let mut line_ended = false;
            while at < max {
                let available = match input.fill_buf() {
                    Ok(b) if !b.is_empty() => b,
                    _ => {
                        line_ended = true; // end of input
                        break;
                    }
                };
                let take = available.len().min((max - at) as usize);
                let (n, newline) = match available[..take].iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (take, false),
                };
                m.mem.write_bytes(buf.wrapping_add(at), &available[..n])?;
                input.consume(n);
                at += n as u32;
                if newline {
                    line_ended = true;
                    break;
                }
            }
            m.mem.write_bytes(buf.wrapping_add(at), &[0])?;
            if !line_ended {
                // As MARS: the rest of an over-long line is dropped.
                read_line_bounded(input, 0);
            }
        }
        InputRequest::Char => {
            // As MARS: a character is the first of a line, and the rest of
            // the line goes with it; an empty line is an error.
            let line = read_line_bounded(input, 2);
            m.cpu.regs[V0] = match line.first() {
                None => u32::MAX,
                Some(b'\n') => {
                    return Err(Fault::Unsupported("read_char: empty line (invalid char input)".into()))
                }
                Some(&b) => b as u32,
            };
        }
        InputRequest::Bytes { buf, len, linux } => {
            let mut data = Vec::new();
            let available = input.fill_buf().map(|b| b.len()).unwrap_or(0);
            let want = len.min(1 << 24) as usize;
            if available > 0 {
                let _ = input.take(want.min(available) as u64).read_to_end(&mut data);
            }
            m.mem.write_bytes(buf, &data)?;
            if linux {
                linux_result(m, Ok(data.len() as i32));
            } else {
                m.cpu.regs[V0] = data.len() as u32;
            }
        }
    }
    Ok(())
}

/// Longest line read_int keeps: any integer fits many times over.
const MAX_INT_LINE: usize = 4096;

/// Reads one line, keeping at most `max` bytes of it; the rest of the line
/// is consumed and dropped, so a huge line costs no host memory.
fn read_line_bounded(input: &mut dyn BufRead, max: usize) -> Vec<u8> {
    let mut line = Vec::new();
    loop {
        let available = match input.fill_buf() {
            Ok(b) if !b.is_empty() => b,
            _ => return line,
        };
        let (n, newline) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let keep = n.min(max - line.len());
        line.extend_from_slice(&available[..keep]);
        input.consume(n);
        if newline {
            return line;
        }
    }
}

/// Decimal (optionally signed) or `0x` hexadecimal, as MARS accepts.
fn parse_int(text: &str) -> Option<i32> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let magnitude = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i64>().ok()?,
    };
    let value = if negative { -magnitude } else { magnitude };
    if value < i32::MIN as i64 || value > u32::MAX as i64 {
        return None;
    }
    Some(value as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_mars_reads_them() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-7"), Some(-7));
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("4294967295"), Some(-1));
        assert_eq!(parse_int("abc"), None);
        assert_eq!(parse_int("99999999999"), None);
    }

    #[test]
    fn files_open_only_beneath_the_allowed_folder() {
        let dir = std::env::temp_dir().join(format!("myvmm-os-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("a")).unwrap();
        let os = Os::new(Some(Folder::open(&dir).unwrap()), 1);
        assert!(os.open_path(b"a/b.txt", 1).is_some());
        assert!(os.open_path(b"a/b.txt", 0).is_some());
        assert!(os.open_path(b"a/b.txt", 5).is_none());
        assert!(os.open_path(b"../etc/passwd", 0).is_none());
        assert!(os.open_path(b"/etc/passwd", 0).is_none());
        assert!(os.open_path(b"", 0).is_none());
        assert!(Os::new(None, 1).open_path(b"a/b.txt", 0).is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    fn machine() -> Machine {
        let program = crate::asm::assemble_str("t.s", ".data\nbuf: .space 16\n.text\nmain: nop\n").unwrap();
        Machine::new(&crate::vm::Image::new(program), 1 << 20).unwrap()
    }

    #[test]
    fn read_string_keeps_mars_semantics_reading_straight_into_guest_memory() {
        // MARS 4.5 (`printf 'abcdefg\nxy\n'`, lengths 4 then 8) reads `abc`
        // and drops `defg`, then `xy\n`.
        let mut m = machine();
        let buf = crate::asm::program::DATA_BASE;
        let mut input: &[u8] = b"hello\nhi\nab\nrest";
        complete_input(&mut m, InputRequest::String { buf, len: 4 }, &mut input).unwrap();
        assert_eq!(m.mem.bytes(buf, 4).unwrap(), b"hel\0");
        complete_input(&mut m, InputRequest::String { buf, len: 16 }, &mut input).unwrap();
        assert_eq!(m.mem.bytes(buf, 4).unwrap(), b"hi\n\0", "the rest of the long line was dropped");
        complete_input(&mut m, InputRequest::String { buf, len: 3 }, &mut input).unwrap();
        assert_eq!(
            m.mem.bytes(buf, 3).unwrap(),
            b"ab\0",
            "exactly full: the newline is dropped with the line"
        );
        complete_input(&mut m, InputRequest::String { buf, len: 16 }, &mut input).unwrap();
        assert_eq!(m.mem.bytes(buf, 5).unwrap(), b"rest\0", "end of input ends the string");
        // A length far beyond the VM: a fault where its memory ends, not a 2 GiB buffer.
        let mut endless = std::io::repeat(b'a');
        let mut endless = std::io::BufReader::new(&mut endless);
        let e = complete_input(&mut m, InputRequest::String { buf, len: 0x7fff_ffff }, &mut endless);
        assert!(matches!(e, Err(Fault::Unmapped { write: true, .. })), "{e:?}");
    }

    #[test]
    fn read_char_takes_the_first_character_of_a_line_as_mars_does() {
        // MARS 4.5 with `abc\nxyz\n`: 'a', then 'x'; an empty line is an error.
        let mut m = machine();
        let mut input: &[u8] = b"abc\nxyz\n\n";
        complete_input(&mut m, InputRequest::Char, &mut input).unwrap();
        assert_eq!(m.cpu.regs[V0], b'a' as u32);
        complete_input(&mut m, InputRequest::Char, &mut input).unwrap();
        assert_eq!(m.cpu.regs[V0], b'x' as u32);
        assert!(complete_input(&mut m, InputRequest::Char, &mut input).is_err(), "empty line");
        complete_input(&mut m, InputRequest::Char, &mut input).unwrap();
        assert_eq!(m.cpu.regs[V0], u32::MAX, "end of input");
    }

    #[test]
    fn read_int_keeps_a_bounded_part_of_a_huge_line() {
        let mut m = machine();
        let mut line = vec![b'7'; 1 << 20];
        line.extend_from_slice(b"\n42\n");
        let mut input = &line[..];
        assert!(complete_input(&mut m, InputRequest::Int, &mut input).is_err());
        assert_eq!(input, b"42\n", "the whole huge line was consumed");
        complete_input(&mut m, InputRequest::Int, &mut input).unwrap();
        assert_eq!(m.cpu.regs[V0], 42);
    }

    #[test]
    fn random_generators_are_per_id_and_seedable() {
        let mut os = Os::new(None, 7);
        let a = next_random(os.rng(0));
        let b = next_random(os.rng(1));
        assert_ne!(a, b);
        *os.rng(3) = splitmix(99);
        let x = next_random(os.rng(3));
        *os.rng(3) = splitmix(99);
        assert_eq!(next_random(os.rng(3)), x);
    }
}
