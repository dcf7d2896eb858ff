//! `fstat64`, `stat64`, `fstatat64` and `statx` in the o32 layouts: for the
//! standard streams a character device (so stdio buffers as on a pipe after
//! `ioctl` says "not a terminal"), for files inside `--allow-files` what the
//! host says of them.

use super::errno::{EBADF, EFAULT, ENOENT};
use super::{a1_path, linux_result, Os, SysResult};
use crate::vm::{Access, Machine};
use std::os::unix::fs::MetadataExt;

/// What a stat call reports.
struct Info {
    mode: u32,
    size: u64,
    ino: u64,
    nlink: u32,
    blksize: u32,
    blocks: u64,
    times: [(i64, u32); 3],
}

const AT_FDCWD: u32 = -100i32 as u32;
const AT_EMPTY_PATH: u32 = 0x1000;

fn console() -> Info {
    Info { mode: 0o020620, size: 0, ino: 1, nlink: 1, blksize: 1024, blocks: 0, times: [(0, 0); 3] }
}

fn from_metadata(md: &std::fs::Metadata) -> Info {
    Info {
        mode: md.mode(),
        size: md.size(),
        ino: md.ino(),
        nlink: md.nlink() as u32,
        blksize: md.blksize() as u32,
        blocks: md.blocks(),
        times: [
            (md.atime(), md.atime_nsec() as u32),
            (md.mtime(), md.mtime_nsec() as u32),
            (md.ctime(), md.ctime_nsec() as u32),
        ],
    }
}

fn of_fd(os: &mut Os, fd: u32) -> Result<Info, u32> {
    if fd <= 2 {
        return Ok(console());
    }
    let file = os.file(fd).ok_or(EBADF)?;
    file.metadata().map(|md| from_metadata(&md)).map_err(|_| EBADF)
}

fn of_path(m: &Machine, os: &mut Os, path: u32) -> Result<Info, u32> {
    let path = a1_path(m, path).ok_or(EFAULT)?;
    let file = os.open_file(&path, Access::Read).ok_or(ENOENT)?;
    file.metadata().map(|md| from_metadata(&md)).map_err(|_| ENOENT)
}

/// The o32 `struct stat64` (104 bytes).
fn stat64(info: &Info) -> Vec<u8> {
    let mut b = vec![0u8; 104];
    let put32 = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let put64 = |b: &mut Vec<u8>, at: usize, v: u64| b[at..at + 8].copy_from_slice(&v.to_le_bytes());
    put64(&mut b, 16, info.ino);
    put32(&mut b, 24, info.mode);
    put32(&mut b, 28, info.nlink);
    put64(&mut b, 56, info.size);
    for (i, &(secs, nanos)) in info.times.iter().enumerate() {
        put32(&mut b, 64 + 8 * i, secs as u32);
        put32(&mut b, 68 + 8 * i, nanos);
    }
    put32(&mut b, 88, info.blksize);
    put64(&mut b, 96, info.blocks);
    b
}

/// The generic `struct statx` (256 bytes).
fn statx_bytes(info: &Info) -> Vec<u8> {
    let mut b = vec![0u8; 256];
    let put16 = |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let put64 = |b: &mut Vec<u8>, at: usize, v: u64| b[at..at + 8].copy_from_slice(&v.to_le_bytes());
    put32(&mut b, 0, 0x7ff); // STATX_BASIC_STATS
    put32(&mut b, 4, info.blksize);
    put32(&mut b, 16, info.nlink);
    put16(&mut b, 28, info.mode as u16);
    put64(&mut b, 32, info.ino);
    put64(&mut b, 40, info.size);
    put64(&mut b, 48, info.blocks);
    // atime, btime (left zero), ctime, mtime
    for (at, (secs, nanos)) in [(64, info.times[0]), (96, info.times[2]), (112, info.times[1])] {
        put64(&mut b, at, secs as u64);
        put32(&mut b, at + 8, nanos);
    }
    b
}

fn answer(m: &mut Machine, info: Result<Info, u32>, buf: u32, wide: bool) -> SysResult {
    let result = info.and_then(|info| {
        let bytes = if wide { statx_bytes(&info) } else { stat64(&info) };
        m.mem.write_bytes(buf, &bytes).map(|_| 0).map_err(|_| EFAULT)
    });
    linux_result(m, result);
    SysResult::Continue
}

/// `fstat64(fd, buf)`.
pub fn fstat(m: &mut Machine, os: &mut Os, fd: u32, buf: u32) -> SysResult {
    let info = of_fd(os, fd);
    answer(m, info, buf, false)
}

/// `stat64(path, buf)` (and `lstat64`: no links to follow inside the folder).
pub fn stat_path(m: &mut Machine, os: &mut Os, path: u32, buf: u32) -> SysResult {
    let info = of_path(m, os, path);
    answer(m, info, buf, false)
}

fn at(m: &Machine, os: &mut Os, dirfd: u32, path: u32, flags: u32) -> Result<Info, u32> {
    let empty = m.mem.load8(path) == Ok(0);
    if empty && flags & AT_EMPTY_PATH != 0 {
        of_fd(os, dirfd)
    } else if dirfd == AT_FDCWD {
        of_path(m, os, path)
    } else {
        Err(EBADF)
    }
}

/// `fstatat64(dirfd, path, buf, flags)`.
pub fn fstatat(m: &mut Machine, os: &mut Os, dirfd: u32, path: u32, buf: u32, flags: u32) -> SysResult {
    let info = at(m, os, dirfd, path, flags);
    answer(m, info, buf, false)
}

/// `statx(dirfd, path, flags, mask, buf)`.
pub fn statx(m: &mut Machine, os: &mut Os, dirfd: u32, path: u32, flags: u32, buf: u32) -> SysResult {
    let info = at(m, os, dirfd, path, flags);
    answer(m, info, buf, true)
}
