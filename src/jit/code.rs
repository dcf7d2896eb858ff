//! The code buffer: one memory object mapped twice, writable at one address
//! and executable at another, so translating a block never changes a page's
//! protection.
//!
//! dynasmrt's own buffer is W^X by swapping protections: every commit and
//! every chain patch made the whole buffer writable and then executable
//! again, two `mprotect`s each over every page of code so far. A program
//! with much code run briefly (SQLite: 54,000 blocks) spent 60 % of its
//! time in the kernel doing that. Here code is assembled into a
//! `VecAssembler` for its final address, copied through the writable view,
//! and run through the executable one; chain slots are patched through the
//! writable view. No page is ever writable and executable in one mapping
//! (the split W^X of wasmtime and Firefox), and the views never move.

use std::io;

/// A buffer of code, mapped writable and executable at two addresses.
pub struct CodeBuffer {
    write: *mut u8,
    exec: *const u8,
    len: usize,
}

// SAFETY: the buffer owns its two mappings; the raw pointers are plain
// addresses of them, usable from any thread (one VM's JIT runs on one
// worker at a time, and `&mut self` guards every write).
unsafe impl Send for CodeBuffer {}

impl CodeBuffer {
    /// Maps `len` bytes (rounded up to pages) twice.
    pub fn new(len: usize) -> io::Result<CodeBuffer> {
        let len = len.next_multiple_of(4096);
        // SAFETY: memfd_create with a NUL-terminated name; the descriptor
        // is checked, sized, mapped twice and closed (the mappings keep the
        // object alive); every call's result is checked before use.
        unsafe {
            let fd = libc::memfd_create(c"myvmm-jit".as_ptr(), libc::MFD_CLOEXEC);
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            let close = |e: io::Error| {
                libc::close(fd);
                e
            };
            if libc::ftruncate(fd, len as libc::off_t) != 0 {
                return Err(close(io::Error::last_os_error()));
            }
            let map = |prot| libc::mmap(std::ptr::null_mut(), len, prot, libc::MAP_SHARED, fd, 0);
            let write = map(libc::PROT_READ | libc::PROT_WRITE);
            if write == libc::MAP_FAILED {
                return Err(close(io::Error::last_os_error()));
            }
            let exec = map(libc::PROT_READ | libc::PROT_EXEC);
            if exec == libc::MAP_FAILED {
                let e = io::Error::last_os_error();
                libc::munmap(write, len);
                return Err(close(e));
            }
            libc::close(fd);
            Ok(CodeBuffer { write: write.cast(), exec: exec.cast(), len })
        }
    }

    /// Bytes the buffer holds.
    pub fn capacity(&self) -> usize {
        self.len
    }

    /// Where code at `offset` runs.
    pub fn exec_addr(&self, offset: usize) -> usize {
        self.exec as usize + offset
    }

    /// Copies `code` in at `offset`.
    pub fn write(&mut self, offset: usize, code: &[u8]) -> io::Result<()> {
        if offset.checked_add(code.len()).is_none_or(|end| end > self.len) {
            return Err(io::Error::new(io::ErrorKind::OutOfMemory, "JIT code buffer full"));
        }
        // SAFETY: the range lies inside the writable view (checked above),
        // which nothing else borrows; code in the range is not running (the
        // JIT writes only between runs of generated code).
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), self.write.add(offset), code.len()) };
        Ok(())
    }

    /// The bytes written so far up to `len` (for the profiling dump).
    pub fn bytes(&self, len: usize) -> &[u8] {
        // SAFETY: the writable view is readable for its whole length, and
        // `&self` keeps writes out while the slice lives.
        unsafe { std::slice::from_raw_parts(self.write, len.min(self.len)) }
    }
}

impl Drop for CodeBuffer {
    fn drop(&mut self) {
        // SAFETY: both views were mapped by `new` with this length, and no
        // code runs from the buffer once it is dropped (its JIT is gone).
        unsafe {
            libc::munmap(self.write.cast(), self.len);
            libc::munmap(self.exec as *mut libc::c_void, self.len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_views_share_bytes_and_neither_is_writable_and_executable() {
        let mut buffer = CodeBuffer::new(8192).expect("code memory");
        buffer.write(100, &[0xc3, 0x90]).unwrap();
        // SAFETY: reading two bytes of the executable view just written.
        let seen = unsafe { std::slice::from_raw_parts(buffer.exec_addr(100) as *const u8, 2) };
        assert_eq!(seen, [0xc3, 0x90]);
        assert!(buffer.write(8191, &[0, 0]).is_err(), "writes past the end are refused");
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        for line in maps.lines().filter(|l| l.contains("myvmm-jit")) {
            let perms = line.split_whitespace().nth(1).unwrap();
            assert!(!(perms.contains('w') && perms.contains('x')), "{line}");
        }
    }
}
