//! Syscalls (SPEC §5): SPIM/MARS 1–17 (floats and doubles included), MARS
//! 30–36 and 40–44, and the Linux
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
use super::linux::errno::{EACCES, EBADF, EEXIST, EFAULT, EIO, EISDIR, EMFILE, ENOENT};
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
    /// Syscall 6: a float on a line, into `$f0`.
    Float,
    /// Syscall 7: a double on a line, into `$f0`/`$f1`.
    Double,
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
    /// A Linux program signalled itself (`abort`): it dies of the signal.
    Killed(u32),
    /// Sleep this long: the scheduler sets the VM aside meanwhile (its
    /// worker runs the others).
    Sleep(Duration),
    /// A guest fault.
    Fault(Fault),
}

/// Per-VM operating-system state: open files and random generators.
pub struct Os {
    files_dir: Option<Folder>,
    files: Vec<Option<File>>,
    rngs: Vec<(u32, u64)>,
    seed: u64,
    /// The Linux process state of an ELF program.
    pub(super) linux: super::linux::Process,
}

impl Os {
    /// File syscalls work only inside `files_dir` (none: every open fails).
    /// `seed` seeds random generators not seeded by the guest.
    pub fn new(files_dir: Option<Folder>, seed: u64) -> Os {
        Os { files_dir, files: Vec::new(), rngs: Vec::new(), seed, linux: Default::default() }
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

    /// A guest path opened beneath the allowed folder, if it can be.
    pub(super) fn open_file(&self, guest_path: &[u8], access: Access) -> Option<File> {
        let path = Path::new(OsStr::from_bytes(guest_path));
        self.files_dir.as_ref()?.open_file(path, access).ok()
    }

    /// Opens a guest path into the table of open files: its descriptor
    /// (3 on), or -1. A free slot is found first: a file created or
    /// emptied must end up open.
    pub(super) fn open_with(&mut self, path: &[u8], access: Access) -> i32 {
        let Some(slot) = self.free_slot(0) else { return -1 };
        let Some(file) = self.open_file(path, access) else { return -1 };
        self.files[slot] = Some(file);
        slot as i32 + 3
    }

    /// Opens a guest path for a Linux program: its descriptor, or the
    /// errno (Linux MIPS numbering) saying why not — `mkstemp` retries on
    /// `EEXIST` only, so the reason matters.
    pub(super) fn open_linux(&mut self, path: &[u8], access: Access) -> Result<u32, u32> {
        use super::folder::FolderError;
        let slot = self.free_slot(0).ok_or(EMFILE)?;
        let dir = self.files_dir.as_ref().ok_or(ENOENT)?;
        let path = Path::new(OsStr::from_bytes(path));
        let file = dir.open_file(path, access).map_err(|e| match e {
            FolderError::Io { source, .. } => host_errno(&source),
            FolderError::NotRegular(_) => EISDIR,
            FolderError::Parent { .. } | FolderError::Escapes { .. } => EACCES,
            _ => ENOENT,
        })?;
        self.files[slot] = Some(file);
        Ok(slot as u32 + 3)
    }

    /// An open, unnamed read-write file in the folder (`O_TMPFILE`): made
    /// under a fresh name, which is removed at once.
    pub(super) fn unnamed_file(&mut self) -> Result<u32, u32> {
        let access = Access::Open {
            read: true,
            write: true,
            create: true,
            exclusive: true,
            truncate: false,
            append: false,
        };
        for n in 0..64u32 {
            let name = format!(".myvmm-unnamed-{}-{n}", std::process::id());
            match self.open_linux(name.as_bytes(), access) {
                Ok(fd) => {
                    if let Some(dir) = &self.files_dir {
                        let _ = dir.remove(Path::new(&name));
                    }
                    return Ok(fd);
                }
                Err(EEXIST) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(EEXIST)
    }

    /// The first free slot of the file table at or after `from` (grown as
    /// needed, up to [`MAX_FILES`]).
    fn free_slot(&mut self, from: usize) -> Option<usize> {
        if let Some(slot) = self.files.iter().skip(from).position(Option::is_none) {
            return Some(from + slot);
        }
        let slot = self.files.len().max(from);
        if slot >= MAX_FILES {
            return None;
        }
        self.files.resize_with(slot + 1, || None);
        Some(slot)
    }

    /// `dup`, `dup2`, `dup3`, `fcntl(F_DUPFD)`: a second descriptor for open
    /// file `fd` — at `to` (closing what was there), or the lowest free one
    /// at or above `at_least`. Descriptors 0–2 are the console, which has
    /// no host file to share: they cannot be duplicated nor replaced (EBADF).
    pub(super) fn dup(&mut self, fd: u32, to: Option<u32>, at_least: u32) -> Result<u32, u32> {
        let copy = self.file(fd).ok_or(EBADF)?.try_clone().map_err(|e| host_errno(&e))?;
        let slot = match to {
            Some(to) if to >= 3 && ((to - 3) as usize) < MAX_FILES => {
                let slot = (to - 3) as usize;
                if slot >= self.files.len() {
                    self.files.resize_with(slot + 1, || None);
                }
                slot
            }
            Some(_) => return Err(EBADF),
            None => self.free_slot(at_least.saturating_sub(3) as usize).ok_or(EMFILE)?,
        };
        self.files[slot] = Some(copy);
        Ok(slot as u32 + 3)
    }

    /// `fcntl(fd, F_GETFL)`: the access mode and `O_APPEND` (MIPS values)
    /// of an open descriptor; the console's input reads, its outputs write.
    pub(super) fn status_flags(&mut self, fd: u32) -> Result<u32, u32> {
        match fd {
            0 => return Ok(0),
            1 | 2 => return Ok(1),
            _ => {}
        }
        let file = self.file(fd).ok_or(EBADF)?;
        let flags = rustix::fs::fcntl_getfl(&*file).map_err(|e| host_errno(&e.into()))?;
        let mode = (flags & rustix::fs::OFlags::RWMODE).bits() & 3;
        let append = if flags.contains(rustix::fs::OFlags::APPEND) { 0x8 } else { 0 };
        Ok(mode | append)
    }

    /// The folder files live in, if the user allowed one.
    pub(super) fn files_dir(&self) -> Option<&Folder> {
        self.files_dir.as_ref()
    }

    /// Closes descriptor `fd`; false when it was not open.
    pub(super) fn close(&mut self, fd: u32) -> bool {
        let slot = fd.checked_sub(3).and_then(|i| self.files.get_mut(i as usize));
        slot.and_then(Option::take).is_some()
    }

    /// 64 bits from generator `id` (Linux `getrandom`).
    pub(super) fn random_u64(&mut self, id: u32) -> u64 {
        let state = self.rng(id);
        *state = splitmix(*state);
        *state
    }

    /// MARS's open (syscall 13): flags 0 (read), 1 (write, created or
    /// emptied), 9 (append); any other flag, a path outside the folder or
    /// any other failure gives -1.
    fn open(&mut self, path: &[u8], flags: u32) -> i32 {
        let access = match flags {
            0 => Access::Read,
            1 => Access::Create,
            9 => Access::Append,
            _ => return -1,
        };
        self.open_with(path, access)
    }

    pub(super) fn file(&mut self, fd: u32) -> Option<&mut File> {
        self.files.get_mut(fd.checked_sub(3)? as usize)?.as_mut()
    }
}

/// A host error as a Linux MIPS errno: the classic numbers below 35 are
/// the same on both; the few others a file operation meets are renumbered.
fn host_errno(e: &std::io::Error) -> u32 {
    match e.raw_os_error() {
        Some(n @ 1..=34) => n as u32,
        Some(libc::ENAMETOOLONG) => 78,
        Some(libc::ELOOP) => 90,
        Some(libc::EDQUOT) => 1133,
        _ => EIO,
    }
}

pub(super) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn next_random(state: &mut u64) -> u32 {
    *state = splitmix(*state);
    (*state >> 32) as u32
}

/// A float in [0, 1) from the VM's generator, built as java.util.Random's
/// `nextFloat` builds it: 24 random bits over 2^24.
fn next_float(state: &mut u64) -> f32 {
    (next_random(state) >> 8) as f32 / (1u32 << 24) as f32
}

/// A double in [0, 1), as java.util.Random's `nextDouble`: 26 and 27 random
/// bits from two draws, over 2^53.
fn next_double(state: &mut u64) -> f64 {
    let high = (next_random(state) >> 6) as u64;
    let low = (next_random(state) >> 5) as u64;
    ((high << 27) + low) as f64 / (1u64 << 53) as f64
}

/// The double in the FR=0 pair `$f<even>`/`$f<even+1>` (low word first).
fn fp_pair(m: &Machine, even: usize) -> f64 {
    f64::from_bits((m.cpu.fpr[even + 1] as u64) << 32 | m.cpu.fpr[even] as u64)
}

fn set_fp_pair(m: &mut Machine, even: usize, v: f64) {
    let bits = v.to_bits();
    m.cpu.fpr[even] = bits as u32;
    m.cpu.fpr[even + 1] = (bits >> 32) as u32;
    m.cpu.fpu_used = 1;
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
        32 => SysResult::Sleep(Duration::from_millis(a0.min(MAX_SLEEP_MS) as u64)),
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
        4003 if os.file(a0).is_some() && !m.mem.is_writable(a1, a2.min(MAX_FILE_READ)) => {
            linux_result(m, Err(EFAULT));
            SysResult::Continue
        }
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
        2 => {
            m.cpu.fpu_used = 1;
            out(super::java_float::float_to_string(f32::from_bits(m.cpu.fpr[12])))
        }
        3 => {
            m.cpu.fpu_used = 1;
            out(super::java_float::double_to_string(fp_pair(m, 12)))
        }
        6 => SysResult::Input(InputRequest::Float),
        7 => SysResult::Input(InputRequest::Double),
        43 => {
            m.cpu.fpr[0] = next_float(os.rng(a0)).to_bits();
            m.cpu.fpu_used = 1;
            SysResult::Continue
        }
        44 => {
            let v = next_double(os.rng(a0));
            set_fp_pair(m, 0, v);
            SysResult::Continue
        }
        n => SysResult::Fault(Fault::BadSyscall(n)),
    }
}

pub(super) fn linux_result(m: &mut Machine, result: Result<i32, u32>) {
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
pub(super) fn read_file(m: &mut Machine, os: &mut Os, fd: u32, buf: u32, len: u32) -> Result<i32, ()> {
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

pub(super) fn write_fd(m: &mut Machine, os: &mut Os, fd: u32, buf: u32, len: u32, linux: bool) -> SysResult {
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
        InputRequest::Float | InputRequest::Double => {
            let double = request == InputRequest::Double;
            let call = if double { "read_double (syscall 7)" } else { "read_float (syscall 6)" };
            let mut line = read_line_bounded(input, MAX_INT_LINE);
            if line.is_empty() {
                return Err(Fault::Unsupported(format!("{call}: end of input")));
            }
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            let text = String::from_utf8_lossy(&line);
            let invalid = || Fault::Unsupported(format!("{call}: `{}` is not a valid number", text.trim()));
            if double {
                let v = parse_java_double(&text).ok_or_else(invalid)?;
                set_fp_pair(m, 0, v);
            } else {
                let v = parse_java_float(&text).ok_or_else(invalid)?;
                m.cpu.fpr[0] = v.to_bits();
                m.cpu.fpu_used = 1;
            }
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
            // A Linux read into memory the guest may not write fails with
            // EFAULT, and takes nothing from the input.
            if linux && !m.mem.is_writable(buf, want.min(available) as u32) {
                linux_result(m, Err(EFAULT));
                return Ok(());
            }
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

/// A number as Java's `Float.parseFloat`/`Double.parseDouble` read it
/// (what MARS's read_float and read_double call).
#[derive(Debug, PartialEq)]
enum JavaNumber<'a> {
    /// Decimal digits in a form Rust's parser reads the same way.
    Decimal(&'a str),
    /// `0x` mantissa `p` exponent: sign, significand bits (sticky in the
    /// lowest bit), power of two.
    Hex(bool, u64, i64),
    /// `Infinity` with its sign.
    Infinity(bool),
    /// `NaN`.
    NaN,
}

/// Java's grammar for `parseFloat`/`parseDouble`: surrounding characters
/// up to U+0020 trimmed; an optional sign; `NaN`, `Infinity`, decimal
/// digits with an optional point and exponent, or a hexadecimal
/// significand with a mandatory binary exponent (`0x1.8p1`); an optional
/// `f`/`F`/`d`/`D` suffix after a number.
fn java_number(text: &str) -> Option<JavaNumber<'_>> {
    let t = text.trim_matches(|c: char| c <= ' ');
    let (negative, body) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    match body {
        "NaN" => return Some(JavaNumber::NaN),
        "Infinity" => return Some(JavaNumber::Infinity(negative)),
        _ => {}
    }
    let sign_len = t.len() - body.len();
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let (mantissa, exponent) = hex.split_once(['p', 'P'])?;
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let exp_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let exp: i64 = if exp_digits.len() > 12 {
            if exponent.starts_with('-') {
                -(1 << 40)
            } else {
                1 << 40
            }
        } else {
            exponent.parse().ok()?
        };
        let mut bits = 0u64;
        let mut shift = 0i64; // binary places of fraction digits kept
        let mut sticky = false;
        for (i, c) in int.chars().chain(frac.chars()).enumerate() {
            let d = c.to_digit(16)? as u64;
            let fraction = i >= int.len();
            if bits >> 56 == 0 {
                bits = bits << 4 | d;
                if fraction {
                    shift += 4;
                }
            } else {
                sticky |= d != 0;
                if !fraction {
                    shift -= 4;
                }
            }
        }
        return Some(JavaNumber::Hex(negative, bits << 1 | sticky as u64, exp - shift - 1));
    }
    let first = *body.as_bytes().first()?;
    let valid = (first.is_ascii_digit() || first == b'.')
        && body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    valid.then_some(JavaNumber::Decimal(&t[..sign_len + body.len()]))
}

/// The value of a hexadecimal significand `bits` times 2^`exp`, rounded
/// once to the nearest double.
fn hex_value(negative: bool, bits: u64, exp: i64) -> f64 {
    let magnitude = if bits == 0 {
        0.0
    } else {
        // `bits as f64` rounds (the sticky bit keeps it correct); scaling
        // by a power of two is exact unless the result is subnormal.
        let mut v = bits as f64;
        let mut e = exp.clamp(-2200, 2200);
        while e > 0 {
            let step = e.min(1000);
            v *= 2f64.powi(step as i32);
            e -= step;
        }
        while e < 0 {
            let step = (-e).min(1000);
            v /= 2f64.powi(step as i32);
            e += step;
        }
        v
    };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// `Double.parseDouble`, as MARS's read_double uses it.
fn parse_java_double(text: &str) -> Option<f64> {
    Some(match java_number(text)? {
        JavaNumber::NaN => f64::NAN,
        JavaNumber::Infinity(negative) => {
            if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        }
        JavaNumber::Hex(negative, bits, exp) => hex_value(negative, bits, exp),
        JavaNumber::Decimal(d) => d.parse::<f64>().ok()?,
    })
}

/// `Float.parseFloat`, as MARS's read_float uses it (rounded once, straight
/// from the digits to a float).
fn parse_java_float(text: &str) -> Option<f32> {
    Some(match java_number(text)? {
        JavaNumber::NaN => f32::NAN,
        JavaNumber::Infinity(negative) => {
            if negative {
                f32::NEG_INFINITY
            } else {
                f32::INFINITY
            }
        }
        JavaNumber::Hex(negative, bits, exp) => {
            // Keep 26 bits (24, a guard bit, a sticky bit), exact in a
            // double, so the one rounding is the conversion to float.
            let lead = 64 - bits.leading_zeros() as i64;
            let (bits, exp) = if lead > 26 {
                let drop = (lead - 26) as u32;
                let sticky = bits & ((1u64 << drop) - 1) != 0;
                ((bits >> drop) | sticky as u64, exp + drop as i64)
            } else {
                (bits, exp)
            };
            hex_value(negative, bits, exp) as f32
        }
        JavaNumber::Decimal(d) => d.parse::<f32>().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_and_doubles_as_java_parses_them() {
        // Every case checked with MARS 4.5 on Java 17 (read_float then print_float).
        let f = |s: &str| parse_java_float(s).map(crate::vm::java_float::float_to_string);
        assert_eq!(f("1.5").as_deref(), Some("1.5"));
        assert_eq!(f(" 2.5 ").as_deref(), Some("2.5"));
        assert_eq!(f("1e23").as_deref(), Some("1.0E23"));
        assert_eq!(f("0x1.8p1").as_deref(), Some("3.0"));
        assert_eq!(f("Infinity").as_deref(), Some("Infinity"));
        assert_eq!(f("-Infinity").as_deref(), Some("-Infinity"));
        assert_eq!(f("NaN").as_deref(), Some("NaN"));
        assert_eq!(f("1.5f").as_deref(), Some("1.5"));
        assert_eq!(f("1.5d").as_deref(), Some("1.5"));
        assert_eq!(f("+3").as_deref(), Some("3.0"));
        assert_eq!(f(".5").as_deref(), Some("0.5"));
        assert_eq!(f("5.").as_deref(), Some("5.0"));
        assert_eq!(f("3.4028236e38").as_deref(), Some("Infinity"));
        assert_eq!(f("1e-46").as_deref(), Some("0.0"));
        assert_eq!(f("-0").as_deref(), Some("-0.0"));
        assert_eq!(f("\t7\r").as_deref(), Some("7.0"));
        for bad in [
            "inf", "1e", "", "abc", "1,5", "  7  x", "0x10", "1_0", "nan", "infinity", ".", "-", "1.5ff",
            "0x.p1", "e5",
        ] {
            assert_eq!(f(bad), None, "{bad:?}");
        }
        let d = |s: &str| parse_java_double(s).map(crate::vm::java_float::double_to_string);
        assert_eq!(d("1e23").as_deref(), Some("9.999999999999999E22"), "Java 17 prints 1e23 so");
        assert_eq!(d("0.1").as_deref(), Some("0.1"));
        assert_eq!(d("4.9e-324").as_deref(), Some("4.9E-324"));
        assert_eq!(d("-0x1p-1074").as_deref(), Some("-4.9E-324"));
        assert_eq!(d("0x1.fffffffffffff8p0").as_deref(), Some("2.0"), "ties to even");
        assert_eq!(d("0x1.fffffffffffff80000000001p0").as_deref(), Some("2.0"));
        assert_eq!(d("0x1.00000000000008000000001p0").as_deref(), Some("1.0000000000000002"), "sticky bit");
        assert_eq!(d("1e400").as_deref(), Some("Infinity"));
        assert_eq!(d("-NaN").as_deref(), Some("NaN"));
        assert_eq!(parse_java_float("0x1.000001p0"), Some(1.0), "tie to even in float");
        assert_eq!(parse_java_float("0x1.0000011p0"), Some(1.0000001));
    }

    #[test]
    fn random_floats_and_doubles_lie_in_the_unit_interval_and_follow_the_seed() {
        let mut os = Os::new(None, 7);
        *os.rng(1) = splitmix(5);
        let a: Vec<f32> = (0..100).map(|_| next_float(os.rng(1))).collect();
        let b: Vec<f64> = (0..100).map(|_| next_double(os.rng(1))).collect();
        assert!(a.iter().all(|v| (0.0..1.0).contains(v)));
        assert!(b.iter().all(|v| (0.0..1.0).contains(v)));
        *os.rng(1) = splitmix(5);
        assert_eq!(next_float(os.rng(1)), a[0]);
    }

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
        let mut os = Os::new(Some(Folder::open(&dir).unwrap()), 1);
        assert_eq!(os.open(b"a/b.txt", 1), 3);
        assert_eq!(os.open(b"a/b.txt", 0), 4);
        assert_eq!(os.open(b"a/b.txt", 5), -1);
        assert_eq!(os.open(b"../etc/passwd", 0), -1);
        assert_eq!(os.open(b"/etc/passwd", 0), -1);
        assert_eq!(os.open(b"", 0), -1);
        assert!(os.close(3) && !os.close(3));
        assert_eq!(os.open(b"a/b.txt", 9), 3, "the freed slot is used again");
        assert_eq!(Os::new(None, 1).open(b"a/b.txt", 0), -1);
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
        let buf = crate::program::DATA_BASE;
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
