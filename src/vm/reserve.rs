//! Host memory backed ahead of need, for a migration receiver.
//!
//! The kernel zeroes every fresh page it hands out; for a VM of 1 GiB
//! arriving at 1 GB/s that zeroing alone takes most of a core (0.6–0.8 s per
//! GiB on the 2-core machine this was measured on). A receiver started with
//! `--migration-prealloc-mb` pays it before any VM arrives, as QEMU's
//! destination does with `-incoming` and `-mem-prealloc`: it backs a
//! reserve of anonymous memory at start, and an incoming page run is moved
//! into the VM's address space with `mremap` (the page tables move; no byte
//! is copied or zeroed) instead of being faulted in there. The reserve is
//! backed again in the background once a migration has taken from it.
//!
//! One reserve serves the process ([`RESERVE`]): one receiver per process.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A backed anonymous mapping, taken from its end (so it stays one
/// mapping, as `mremap` needs its source to be).
struct Region {
    start: usize,
    len: usize,
}

/// Backed memory waiting to be moved into guest address spaces.
pub struct Reserve {
    /// Regions still backed, taken from the last.
    regions: Mutex<Vec<Region>>,
    /// Bytes to keep backed.
    target: AtomicUsize,
    /// A refill is running.
    refilling: AtomicBool,
}

/// The process's reserve, which
/// [`GuestMemory::mapped_pages_mut`](crate::vm::GuestMemory::mapped_pages_mut)
/// takes from.
pub static RESERVE: Reserve = Reserve::new();

impl Reserve {
    /// An empty reserve.
    pub const fn new() -> Reserve {
        Reserve {
            regions: Mutex::new(Vec::new()),
            target: AtomicUsize::new(0),
            refilling: AtomicBool::new(false),
        }
    }

    /// Backs `bytes` (rounded up to whole pages) of host memory now, and
    /// keeps that much backed from then on (see [`Reserve::refill`]).
    /// Fails when the host refuses the mapping or the memory; nothing is
    /// kept then.
    pub fn back_ahead(&self, bytes: usize) -> std::io::Result<()> {
        let bytes = bytes.next_multiple_of(4096);
        self.target.store(bytes, Ordering::Release);
        let region = back(bytes)?;
        self.lock().push(region);
        Ok(())
    }

    /// Bytes backed and not yet taken.
    pub fn backed(&self) -> usize {
        self.lock().iter().map(|r| r.len).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Region>> {
        self.regions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Backs again, on a thread of its own, what was taken (nothing to do
    /// when nothing was asked for or a refill runs already).
    pub fn refill(&'static self) {
        let target = self.target.load(Ordering::Acquire);
        if target == 0 || self.refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let spawned = std::thread::Builder::new().name("reserve".into()).spawn(move || {
            let missing = target.saturating_sub(self.backed());
            if missing >= 4096 {
                // A host that refuses now may not later: the next migration
                // then faults its pages in, as without a reserve.
                if let Ok(region) = back(missing) {
                    self.lock().push(region);
                }
            }
            self.refilling.store(false, Ordering::Release);
        });
        if spawned.is_err() {
            self.refilling.store(false, Ordering::Release);
        }
    }

    /// Moves `len` bytes (a page multiple) of backed memory from the
    /// reserve over `[to, to + len)`, replacing whatever was mapped there;
    /// false (and nothing changed) when the reserve's last region holds
    /// less.
    ///
    /// # Safety
    /// `[to, to + len)` must be page-aligned memory the caller owns, inside
    /// one of its own private mappings, with no Rust reference into it
    /// alive: its pages are replaced by backed zero pages.
    pub(super) unsafe fn take_into(&self, to: *mut u8, len: usize) -> bool {
        let mut regions = self.lock();
        let Some(last) = regions.last_mut() else { return false };
        if last.len < len || len % 4096 != 0 || len == 0 {
            return false;
        }
        let from = last.start + last.len - len;
        // SAFETY: `from .. from + len` is the tail of a mapping the reserve
        // owns alone (nothing outside this value knows its address); the
        // caller vouches for the target. MREMAP_FIXED unmaps the target
        // first.
        let at = unsafe {
            libc::mremap(
                from as *mut libc::c_void,
                len,
                len,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                to.cast::<libc::c_void>(),
            )
        };
        if at == libc::MAP_FAILED {
            return false;
        }
        last.len -= len;
        if last.len == 0 {
            regions.pop();
        }
        true
    }
}

impl Default for Reserve {
    fn default() -> Reserve {
        Reserve::new()
    }
}

/// Maps `len` bytes (page multiple) of private anonymous memory and has
/// the host back all of it.
fn back(len: usize) -> std::io::Result<Region> {
    // SAFETY: a new private anonymous mapping at an address of the
    // kernel's choosing: it overlaps nothing of this process.
    let at = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if at == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the mapping just made, which nothing else refers to.
    let rc = unsafe { libc::madvise(at, len, libc::MADV_POPULATE_WRITE) };
    if rc != 0 {
        let e = std::io::Error::last_os_error();
        // SAFETY: the same mapping, still referred to by nothing.
        unsafe { libc::munmap(at, len) };
        return Err(e);
    }
    Ok(Region { start: at as usize, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_run_reads_as_zero_and_leaves_the_reserve() {
        let reserve = Reserve::new();
        reserve.back_ahead(64 << 10).unwrap();
        let before = reserve.backed();
        assert_eq!(before, 64 << 10);
        let mut space = crate::vm::space::AddressSpace::new().unwrap();
        space[0x1000_0000] = 7;
        // SAFETY: a page-aligned run of a space this test owns, no
        // reference into it alive.
        assert!(unsafe { reserve.take_into(space.as_mut_ptr().add(0x1000_0000), 16 << 10) });
        assert_eq!(reserve.backed(), before - (16 << 10));
        assert!(space[0x1000_0000..0x1000_4000].iter().all(|&b| b == 0));
        space[0x1000_3fff] = 9;
        assert_eq!(space[0x1000_3fff], 9);
        // More than the last region holds: nothing moves.
        // SAFETY: as above.
        assert!(!unsafe { reserve.take_into(space.as_mut_ptr().add(0x2000_0000), before + 4096) });
    }
}
