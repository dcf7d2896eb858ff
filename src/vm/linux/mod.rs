//! The Linux o32 personality of ELF programs (SPEC §9): the initial process
//! state ([`build_stack`]) and the system calls static glibc and musl programs
//! make, by number (4000 + the kernel's o32 number).
//!
//! Results follow the o32 convention: `$v0` the value or a positive errno,
//! `$a3` 0 or 1. Files exist only inside `--allow-files` (through the same
//! table of open files as MARS's syscalls 13–16); standard input is read by
//! the scheduler as for assembly programs. Signals are accepted and never
//! delivered, except that a program signalling itself (`abort`) dies of
//! it. Any other call returns `-ENOSYS` and is reported once per VM.

mod start;
mod stat;

pub use start::build_stack;

use super::syscall::{linux_result, read_file, write_fd, InputRequest, Os, SysResult};
use super::{Access, Machine};
use crate::vm::memory::anon::MapError;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const A0: usize = 4;
const A1: usize = 5;
const A2: usize = 6;
const A3: usize = 7;
const SP: usize = 29;

/// Linux errno values (MIPS numbering where it differs).
pub mod errno {
    /// No such file or directory.
    pub const ENOENT: u32 = 2;
    /// I/O error (what a host failure without a Linux twin becomes).
    pub const EIO: u32 = 5;
    /// Bad file descriptor.
    pub const EBADF: u32 = 9;
    /// Out of memory.
    pub const ENOMEM: u32 = 12;
    /// Permission denied.
    pub const EACCES: u32 = 13;
    /// Bad address.
    pub const EFAULT: u32 = 14;
    /// File exists.
    pub const EEXIST: u32 = 17;
    /// Is a directory.
    pub const EISDIR: u32 = 21;
    /// Too many open files.
    pub const EMFILE: u32 = 24;
    /// Invalid argument.
    pub const EINVAL: u32 = 22;
    /// Not a terminal.
    pub const ENOTTY: u32 = 25;
    /// Illegal seek.
    pub const ESPIPE: u32 = 29;
    /// No such device (file mappings).
    pub const ENODEV: u32 = 19;
    /// Function not implemented (MIPS: 89).
    pub const ENOSYS: u32 = 89;
}
use errno::*;

/// The Linux process state beyond memory and registers.
#[derive(Debug, Default)]
pub struct Process {
    /// `set_tid_address`'s pointer (never written: one thread, no exit wake-up).
    pub tid_address: u32,
    /// Unknown calls already reported.
    reported: Vec<u32>,
}

/// The process id and thread id a guest sees.
const PID: i32 = 1000;
/// MAP_FIXED, MAP_ANONYMOUS (MIPS values); MREMAP_MAYMOVE.
const MAP_FIXED: u32 = 0x10;
const MAP_ANONYMOUS: u32 = 0x800;
const MREMAP_MAYMOVE: u32 = 1;
/// Longest sleep one call may ask for.
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// Most bytes one `writev` gathers (a short write beyond, as Linux may).
const MAX_WRITEV: usize = 1 << 20;
/// AT_FDCWD.
const AT_FDCWD: u32 = -100i32 as u32;

/// Serves the system call in `$v0` of a Linux program.
pub fn syscall(m: &mut Machine, os: &mut Os) -> SysResult {
    let r = m.cpu.regs;
    let (a0, a1, a2, a3) = (r[A0], r[A1], r[A2], r[A3]);
    let number = r[2];
    let ok = |m: &mut Machine, v: i32| {
        linux_result(m, Ok(v));
        SysResult::Continue
    };
    let fail = |m: &mut Machine, e: u32| {
        linux_result(m, Err(e));
        SysResult::Continue
    };
    match number {
        4001 | 4246 => SysResult::Exit((a0 & 0xff) as i32),
        4003 if a0 == 0 => SysResult::Input(InputRequest::Bytes { buf: a1, len: a2, linux: true }),
        4003 if os.file(a0).is_some() && !m.mem.is_writable(a1, a2.min(1 << 24)) => fail(m, EFAULT),
        4003 => {
            let result = read_file(m, os, a0, a1, a2).map_err(|_| EBADF);
            linux_result(m, result);
            SysResult::Continue
        }
        4004 => write_fd(m, os, a0, a1, a2, true),
        4146 => writev(m, os, a0, a1, a2),
        4005 => open(m, os, a1_path(m, a0), a1),
        4288 if a0 == AT_FDCWD => open(m, os, a1_path(m, a1), a2),
        4288 => fail(m, EBADF),
        4006 => match os.close(a0) {
            true => ok(m, 0),
            false if a0 <= 2 => ok(m, 0),
            false => fail(m, EBADF),
        },
        4019 => match seek(os, a0, a1 as i32 as i64, a2) {
            Ok(pos) if pos <= i32::MAX as u64 => ok(m, pos as i32),
            Ok(_) => fail(m, EINVAL),
            Err(e) => fail(m, e),
        },
        4140 => {
            // _llseek(fd, high, low, result*, whence)
            let whence = stack_arg(m, 4);
            let offset = ((a1 as u64) << 32 | a2 as u64) as i64;
            match seek(os, a0, offset, whence) {
                Ok(pos) => match m.mem.write_bytes(a3, &pos.to_le_bytes()) {
                    Ok(()) => ok(m, 0),
                    Err(_) => fail(m, EFAULT),
                },
                Err(e) => fail(m, e),
            }
        }
        4108 | 4215 => stat::fstat(m, os, a0, a1),
        4106 | 4107 | 4213 | 4214 => stat::stat_path(m, os, a0, a1),
        4293 => stat::fstatat(m, os, a0, a1, a2, a3),
        4366 => stat::statx(m, os, a0, a1, a2, stack_arg(m, 4)),
        4045 => {
            if a0 != 0 {
                let _ = m.mem.set_brk_linux(a0);
            }
            ok(m, m.mem.brk() as i32)
        }
        4090 | 4210 => {
            let (flags, fd) = (a3, stack_arg(m, 4));
            if flags & MAP_ANONYMOUS == 0 && fd as i32 != -1 {
                return fail(m, ENODEV);
            }
            let perm = prot_perm(a2);
            let fixed = (flags & MAP_FIXED != 0).then_some(a0);
            let result = m.mem.map_anonymous(fixed, a1, perm);
            map_result(m, result)
        }
        4091 => match m.mem.unmap(a0, a1) {
            Ok(()) => ok(m, 0),
            Err(_) => fail(m, EINVAL),
        },
        4167 => {
            let result = m.mem.remap(a0, a1, a2, a3 & MREMAP_MAYMOVE != 0);
            map_result(m, result)
        }
        4125 => match m.mem.protect(a0, a1, a2 & 1 != 0, a2 & 2 != 0) {
            Ok(()) => ok(m, 0),
            Err(MapError::Invalid) => fail(m, EINVAL),
            Err(MapError::NoMemory) => fail(m, ENOMEM),
            Err(MapError::Denied) => fail(m, EACCES),
        },
        4218 => ok(m, 0), // madvise: advice only
        4010 | 4038 => {
            // unlink(path), rename(from, to): beneath the allowed folder only.
            let paths = (a1_path(m, a0), if number == 4038 { a1_path(m, a1) } else { Some(Vec::new()) });
            let (Some(from), Some(to)) = paths else { return fail(m, EFAULT) };
            let result = os.files_dir().map_or(Err(ENOENT), |dir| {
                let from = std::path::Path::new(std::ffi::OsStr::from_bytes(&from));
                let to = std::path::Path::new(std::ffi::OsStr::from_bytes(&to));
                let done = if number == 4010 { dir.remove(from) } else { dir.rename(from, to) };
                done.map(|_| 0).map_err(|_| ENOENT)
            });
            linux_result(m, result);
            SysResult::Continue
        }
        4033 => {
            // access(path, mode): whether it can be opened for reading here.
            let path = a1_path(m, a0);
            let found = path.is_some_and(|p| os.open_file(&p, Access::Read).is_some());
            if found {
                ok(m, 0)
            } else {
                fail(m, ENOENT)
            }
        }
        4203 => write_or_fault_len(m, a0, a1, b"/\0"), // getcwd: the allowed folder is the root
        4055 | 4220 => {
            // fcntl: the status flags and duplicates as Linux gives them;
            // other flags and locks are granted (one process).
            const F_DUPFD: u32 = 0;
            const F_GETFL: u32 = 3;
            const F_DUPFD_CLOEXEC: u32 = 1030;
            let result = match a1 {
                F_GETFL => os.status_flags(a0).map(|fd| fd as i32),
                F_DUPFD | F_DUPFD_CLOEXEC => os.dup(a0, None, a2).map(|fd| fd as i32),
                _ => Ok(0),
            };
            linux_result(m, result);
            SysResult::Continue
        }
        4041 => {
            // dup
            let result = os.dup(a0, None, 0).map(|fd| fd as i32);
            linux_result(m, result);
            SysResult::Continue
        }
        4063 | 4327 => {
            // dup2(old, new), dup3(old, new, flags): onto `new`; the same
            // descriptor twice is dup2's no-op and dup3's error.
            let result = match (a0 == a1, number) {
                (true, 4327) => Err(EINVAL),
                (true, _) => os.status_flags(a0).map(|_| a0 as i32),
                (false, _) => os.dup(a0, Some(a1), 0).map(|fd| fd as i32),
            };
            linux_result(m, result);
            SysResult::Continue
        }
        4118 | 4152 => ok(m, 0), // fsync, fdatasync
        4060 => ok(m, 0o022),    // umask
        4200 | 4201 => {
            // pread64(fd, buf, len, pad, offset lo/hi on the stack) and pwrite64.
            let offset = (stack_arg(m, 5) as u64) << 32 | stack_arg(m, 4) as u64;
            let result = positioned(m, os, a0, a1, a2, offset, number == 4201);
            linux_result(m, result);
            SysResult::Continue
        }
        4212 => {
            // ftruncate64(fd, pad, length lo, hi)
            let len = (a3 as u64) << 32 | a2 as u64;
            let result = os.file(a0).ok_or(EBADF).and_then(|f| f.set_len(len).map(|_| 0).map_err(|_| EINVAL));
            linux_result(m, result);
            SysResult::Continue
        }
        4122 => uname(m, a0),
        4283 => {
            m.cpu.user_local = a0;
            ok(m, 0)
        }
        4252 => {
            os.linux.tid_address = a0;
            ok(m, PID)
        }
        // Signal handlers and masks are accepted; no signal is ever delivered.
        4194 => {
            if a2 != 0 && m.mem.write_bytes(a2, &[0; 24]).is_err() {
                return fail(m, EFAULT);
            }
            ok(m, 0)
        }
        4195 => {
            if a2 != 0 && m.mem.write_bytes(a2, &vec![0; a3.min(128) as usize]).is_err() {
                return fail(m, EFAULT);
            }
            ok(m, 0)
        }
        4206 => ok(m, 0), // sigaltstack
        // kill, tkill, tgkill aimed at itself: the default action of every
        // signal but those ignored by default ends the process.
        4037 | 4236 | 4266 => {
            let sig = if number == 4266 { a2 } else { a1 };
            match sig {
                0 | 17 | 18 | 20 | 23 | 28 => ok(m, 0), // none, CHLD, CONT... ignored by default
                sig if sig < 128 => SysResult::Killed(sig),
                _ => fail(m, EINVAL),
            }
        }
        4054 => fail(m, ENOTTY),
        4020 | 4222 | 4064 => ok(m, if number == 4064 { 1 } else { PID }),
        4024 | 4047 | 4049 | 4050 => ok(m, 0),
        4076 => {
            // getrlimit: 8 MiB for the stack, unlimited (o32: 0x7fffffff) otherwise.
            let value: u32 = if a0 == 3 { 8 << 20 } else { 0x7fff_ffff };
            let bytes: Vec<u8> = [value, value].iter().flat_map(|v| v.to_le_bytes()).collect();
            write_or_fault(m, a1, &bytes)
        }
        4338 => {
            // prlimit64(pid, resource, new, old)
            if a3 == 0 {
                return ok(m, 0);
            }
            let value: u64 = if a1 == 3 { 8 << 20 } else { u64::MAX };
            let bytes: Vec<u8> = [value, value].iter().flat_map(|v| v.to_le_bytes()).collect();
            write_or_fault(m, a3, &bytes)
        }
        4085 => fail(m, ENOENT), // readlink: no /proc here
        4353 => {
            // getrandom: from the VM's seeded generator (runs repeat).
            let len = a1.min(1 << 16);
            let mut bytes = vec![0u8; len as usize];
            for chunk in bytes.chunks_mut(8) {
                let v = os.random_u64(0x4_353);
                chunk.copy_from_slice(&v.to_le_bytes()[..chunk.len()]);
            }
            match m.mem.write_bytes(a0, &bytes) {
                Ok(()) => ok(m, len as i32),
                Err(_) => fail(m, EFAULT),
            }
        }
        4263 | 4403 => {
            let now = clock(a0);
            let bytes: Vec<u8> = if number == 4403 {
                [now.as_secs(), now.subsec_nanos() as u64].iter().flat_map(|v| v.to_le_bytes()).collect()
            } else {
                [now.as_secs() as u32, now.subsec_nanos()].iter().flat_map(|v| v.to_le_bytes()).collect()
            };
            write_or_fault(m, a1, &bytes)
        }
        4078 => {
            let now = clock(0);
            if a0 == 0 {
                return ok(m, 0);
            }
            let bytes: Vec<u8> =
                [now.as_secs() as u32, now.subsec_micros()].iter().flat_map(|v| v.to_le_bytes()).collect();
            write_or_fault(m, a0, &bytes)
        }
        4013 => {
            let secs = clock(0).as_secs() as u32;
            if a0 != 0 && m.mem.write_bytes(a0, &secs.to_le_bytes()).is_err() {
                return fail(m, EFAULT);
            }
            ok(m, secs as i32)
        }
        4166 | 4265 | 4407 => {
            // nanosleep(req, rem); clock_nanosleep(clock, flags, req, rem) and its time64 form.
            let (req, wide) = match number {
                4166 => (a0, false),
                4265 => (a2, false),
                _ => (a2, true),
            };
            let mut d = match read_timespec(m, req, wide) {
                Some(d) => d,
                None => return fail(m, EFAULT),
            };
            // TIMER_ABSTIME: until that time on the clock (now if past).
            if number != 4166 && a1 & 1 != 0 {
                d = d.saturating_sub(clock(a0));
            }
            linux_result(m, Ok(0));
            SysResult::Sleep(d.min(MAX_SLEEP))
        }
        4162 => ok(m, 0), // sched_yield
        4116 => {
            // sysinfo: the VM's memory limit as its RAM (glibc's qsort sizes
            // its buffer by it).
            let (total, free) = m.mem.limit_and_free();
            let mut bytes = vec![0u8; 64];
            let clamp = |v: u64| (v.min(u32::MAX as u64) as u32).to_le_bytes();
            bytes[0..4].copy_from_slice(&(clock(1).as_secs() as u32).to_le_bytes());
            bytes[16..20].copy_from_slice(&clamp(total));
            bytes[20..24].copy_from_slice(&clamp(free));
            bytes[40..42].copy_from_slice(&1u16.to_le_bytes());
            bytes[52..56].copy_from_slice(&1u32.to_le_bytes());
            write_or_fault(m, a0, &bytes)
        }
        // Calls static glibc probes and copes without: quietly unsupported.
        4309 | 4367 => fail(m, ENOSYS),
        n => {
            if !os.linux.reported.contains(&n) {
                os.linux.reported.push(n);
                eprintln!("warning: system call {n} is not supported; the program sees -ENOSYS");
            }
            fail(m, ENOSYS)
        }
    }
}

/// The `index`-th argument (from 0) of a call: past the fourth, on the
/// stack at `$sp + 4 * index` (o32 leaves room for the first four).
fn stack_arg(m: &Machine, index: u32) -> u32 {
    m.mem.load32(m.cpu.regs[SP].wrapping_add(4 * index)).unwrap_or(0)
}

/// A path argument, as a path in the allowed folder (see [`in_folder`]).
fn a1_path(m: &Machine, addr: u32) -> Option<Vec<u8>> {
    m.mem.read_cstr(addr, 4096).ok().map(in_folder)
}

/// The allowed folder is the program's root (`getcwd` says `/`), so the
/// absolute path `/a/b` is the folder's `a/b`; `/tmp`, which C libraries
/// take for granted (`mkstemp`, `tmpfile`, `tmpnam`), is the folder itself.
/// Relative paths are the folder's already; `..` stays refused.
fn in_folder(path: Vec<u8>) -> Vec<u8> {
    if !path.starts_with(b"/") {
        return path;
    }
    let below_root = |p: &[u8]| -> Vec<u8> {
        let start = p.iter().position(|&b| b != b'/').unwrap_or(p.len());
        p[start..].to_vec()
    };
    let mut rest = below_root(&path);
    if rest == b"tmp" || rest.starts_with(b"tmp/") {
        rest = below_root(&rest[3..]);
    }
    if rest.is_empty() {
        b".".to_vec()
    } else {
        rest
    }
}

/// Writes `bytes` to a guest buffer of `len` bytes and returns their
/// length (`ERANGE` when they do not fit).
fn write_or_fault_len(m: &mut Machine, addr: u32, len: u32, bytes: &[u8]) -> SysResult {
    const ERANGE: u32 = 34;
    let result = if (bytes.len() as u32) > len {
        Err(ERANGE)
    } else {
        m.mem.write_bytes(addr, bytes).map(|_| bytes.len() as i32).map_err(|_| EFAULT)
    };
    linux_result(m, result);
    SysResult::Continue
}

/// `pread64`/`pwrite64` on a file: at `offset`, without moving its position.
fn positioned(
    m: &mut Machine,
    os: &mut Os,
    fd: u32,
    buf: u32,
    len: u32,
    offset: u64,
    write: bool,
) -> Result<i32, u32> {
    use std::os::unix::fs::FileExt;
    let len = len.min(1 << 24);
    let file = os.file(fd).ok_or(EBADF)?;
    if write {
        let bytes = m.mem.bytes(buf, len).map_err(|_| EFAULT)?;
        file.write_at(bytes, offset).map(|n| n as i32).map_err(|_| EINVAL)
    } else {
        let mut data = vec![0u8; len as usize];
        let n = file.read_at(&mut data, offset).map_err(|_| EINVAL)?;
        m.mem.write_bytes(buf, &data[..n]).map_err(|_| EFAULT)?;
        Ok(n as i32)
    }
}

fn write_or_fault(m: &mut Machine, addr: u32, bytes: &[u8]) -> SysResult {
    let result = m.mem.write_bytes(addr, bytes).map(|_| 0).map_err(|_| EFAULT);
    linux_result(m, result);
    SysResult::Continue
}

fn map_result(m: &mut Machine, result: Result<u32, MapError>) -> SysResult {
    let result = match result {
        Ok(addr) => Ok(addr as i32),
        Err(MapError::Invalid) => Err(EINVAL),
        Err(MapError::NoMemory) => Err(ENOMEM),
        Err(MapError::Denied) => Err(EACCES),
    };
    linux_result(m, result);
    SysResult::Continue
}

fn prot_perm(prot: u32) -> u8 {
    use crate::vm::{PERM_R, PERM_W};
    if prot & 2 != 0 {
        PERM_R | PERM_W
    } else if prot & 1 != 0 {
        PERM_R
    } else {
        crate::vm::memory::anon::PROT_NONE
    }
}

/// `open`: flags as MIPS o32 defines them.
fn open(m: &mut Machine, os: &mut Os, path: Option<Vec<u8>>, flags: u32) -> SysResult {
    const O_APPEND: u32 = 0x8;
    const O_CREAT: u32 = 0x100;
    const O_TRUNC: u32 = 0x200;
    const O_EXCL: u32 = 0x400;
    /// `O_TMPFILE` without its `O_DIRECTORY` (MIPS numbering).
    const O_TMPFILE: u32 = 0x40_0000;
    let Some(path) = path else {
        linux_result(m, Err(EFAULT));
        return SysResult::Continue;
    };
    if flags & O_TMPFILE != 0 {
        // An unnamed file (glibc's `tmpfile`): made in the folder, whatever
        // directory was named, and unlinked at once.
        let result = os.unnamed_file().map(|fd| fd as i32);
        linux_result(m, result);
        return SysResult::Continue;
    }
    let access = Access::Open {
        read: flags & 3 != 1,
        write: flags & 3 != 0,
        create: flags & O_CREAT != 0,
        exclusive: flags & O_EXCL != 0,
        truncate: flags & O_TRUNC != 0,
        append: flags & O_APPEND != 0,
    };
    let result = os.open_linux(&path, access).map(|fd| fd as i32);
    linux_result(m, result);
    SysResult::Continue
}

fn seek(os: &mut Os, fd: u32, offset: i64, whence: u32) -> Result<u64, u32> {
    use std::io::{Seek, SeekFrom};
    if fd <= 2 {
        return Err(ESPIPE);
    }
    let file = os.file(fd).ok_or(EBADF)?;
    let to = match whence {
        0 => SeekFrom::Start(u64::try_from(offset).map_err(|_| EINVAL)?),
        1 => SeekFrom::Current(offset),
        2 => SeekFrom::End(offset),
        _ => return Err(EINVAL),
    };
    file.seek(to).map_err(|_| EINVAL)
}

/// `writev` to the console or a file: the vectors gathered (at most
/// [`MAX_WRITEV`] bytes; a short write beyond, which callers retry).
fn writev(m: &mut Machine, os: &mut Os, fd: u32, iov: u32, count: u32) -> SysResult {
    let mut gathered = Vec::new();
    for i in 0..count.min(1024) {
        let (Ok(base), Ok(len)) = (m.mem.load32(iov + 8 * i), m.mem.load32(iov + 8 * i + 4)) else {
            linux_result(m, Err(EFAULT));
            return SysResult::Continue;
        };
        let len = len.min((MAX_WRITEV - gathered.len()) as u32);
        match m.mem.bytes(base, len) {
            Ok(bytes) => gathered.extend_from_slice(bytes),
            Err(_) => {
                linux_result(m, Err(EFAULT));
                return SysResult::Continue;
            }
        }
        if gathered.len() >= MAX_WRITEV {
            break;
        }
    }
    let n = gathered.len() as i32;
    match fd {
        1 => {
            linux_result(m, Ok(n));
            SysResult::Output(gathered)
        }
        2 => {
            use std::io::Write;
            let _ = std::io::stderr().write_all(&gathered);
            linux_result(m, Ok(n));
            SysResult::Continue
        }
        _ => {
            use std::io::Write;
            let result = os.file(fd).ok_or(EBADF).and_then(|f| f.write_all(&gathered).map_err(|_| EBADF));
            linux_result(m, result.map(|_| n));
            SysResult::Continue
        }
    }
}

fn uname(m: &mut Machine, at: u32) -> SysResult {
    let mut bytes = vec![0u8; 6 * 65];
    for (i, field) in ["Linux", "myvmm", "6.1.0", "#1 myvmm", "mips", "(none)"].iter().enumerate() {
        bytes[65 * i..65 * i + field.len()].copy_from_slice(field.as_bytes());
    }
    write_or_fault(m, at, &bytes)
}

/// Time since the epoch (CLOCK_REALTIME) or since the process started
/// (the monotonic clocks count from an arbitrary start, as Linux's do).
fn clock(id: u32) -> Duration {
    match id {
        0 | 5 | 8 | 11 => SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default(),
        _ => {
            static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
            START.get_or_init(std::time::Instant::now).elapsed() + Duration::from_secs(1)
        }
    }
}

fn read_timespec(m: &Machine, at: u32, wide: bool) -> Option<Duration> {
    let (secs, nanos) = if wide {
        let b = m.mem.bytes(at, 16).ok()?;
        (i64::from_le_bytes(b[..8].try_into().ok()?), i64::from_le_bytes(b[8..].try_into().ok()?))
    } else {
        (m.mem.load32(at).ok()? as i32 as i64, m.mem.load32(at + 4).ok()? as i32 as i64)
    };
    (secs >= 0 && (0..1_000_000_000).contains(&nanos)).then(|| Duration::new(secs as u64, nanos as u32))
}
