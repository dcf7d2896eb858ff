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

/// A backed anonymous mapping, taken from its front: consecutive runs
/// moved into ascending guest addresses then lie side by side in the
/// kernel's view as they did in the reserve, and merge into one mapping
/// (taken from the back, every run stayed a mapping of its own).
struct Region {
    start: usize,
    len: usize,
}

/// Backed memory waiting to be moved into guest address spaces.
pub struct Reserve {
    /// Regions still backed.
    regions: Mutex<Vec<Region>>,
    /// Bytes to keep backed.
    target: AtomicUsize,
    /// A refill thread runs.
    refilling: AtomicBool,
    /// A refill was asked for since the running one looked.
    asked: AtomicBool,
}

/// The process's reserve, which
/// [`GuestMemory::fresh_pages_mut`](crate::vm::GuestMemory::fresh_pages_mut)
/// takes from.
pub static RESERVE: Reserve = Reserve::new();

/// The smallest run moved in: each moved run may stay a host mapping of its
/// own (when its neighbours came from elsewhere), and a process has some
/// 65,000; a migration's dense memory comes in runs of a MiB, scattered
/// pages in smaller ones, which are faulted in instead.
pub const MIN_RUN: usize = 1 << 20;

impl Reserve {
    /// An empty reserve.
    pub const fn new() -> Reserve {
        Reserve {
            regions: Mutex::new(Vec::new()),
            target: AtomicUsize::new(0),
            refilling: AtomicBool::new(false),
            asked: AtomicBool::new(false),
        }
    }

    /// Backs `bytes` (rounded up to whole pages) of host memory now, and
    /// keeps that much backed from then on (see [`Reserve::refill`]).
    /// Fails when the host refuses the mapping or the memory; nothing is
    /// kept then. (Where the host overcommits memory, as Linux does by
    /// default, too large a reserve meets the OOM killer instead.)
    pub fn back_ahead(&self, bytes: usize) -> std::io::Result<()> {
        let bytes = bytes.next_multiple_of(4096);
        self.target.store(bytes, Ordering::Release);
        let region = back(bytes)?;
        self.lock().push(region);
        Ok(())
    }

    /// Bytes this reserve keeps backed (0: none asked for).
    pub fn target(&self) -> usize {
        self.target.load(Ordering::Acquire)
    }

    /// Bytes backed and not yet taken.
    pub fn backed(&self) -> usize {
        self.lock().iter().map(|r| r.len).sum()
    }

    /// How many runs of `len` bytes could be taken now.
    pub fn runs_of(&self, len: usize) -> usize {
        if len < MIN_RUN {
            return 0;
        }
        self.lock().iter().map(|r| r.len / len).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Region>> {
        self.regions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Backs again, on a thread of its own, what was taken (nothing to do
    /// when nothing was asked for). Asked while a refill runs, that refill
    /// looks again before it ends.
    pub fn refill(&'static self) {
        if self.target() == 0 {
            return;
        }
        self.asked.store(true, Ordering::Release);
        if self.refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let spawned = std::thread::Builder::new().name("reserve".into()).spawn(move || loop {
            while self.asked.swap(false, Ordering::AcqRel) {
                let missing = self.target().saturating_sub(self.backed());
                if missing >= 4096 {
                    // A host that refuses now may not later: the next
                    // migration then faults its pages in, as without a
                    // reserve.
                    if let Ok(region) = back(missing) {
                        self.lock().push(region);
                    }
                }
            }
            self.refilling.store(false, Ordering::Release);
            // Asked between the last look and the line above: look again,
            // unless another refill thread started meanwhile.
            if !self.asked.load(Ordering::Acquire) || self.refilling.swap(true, Ordering::AcqRel) {
                return;
            }
        });
        if spawned.is_err() {
            self.refilling.store(false, Ordering::Release);
        }
    }

    /// Moves `len` bytes (a page multiple, at least [`MIN_RUN`]) of backed
    /// memory from the reserve over `[to, to + len)`, replacing whatever
    /// was mapped there: `Ok(true)`. `Ok(false)`, nothing changed, when no
    /// region holds that much or the run is too short to be worth a
    /// mapping. An error when the host moved nothing and could not map
    /// the range again either: it may be a hole now, and the memory must
    /// not be used.
    ///
    /// # Safety
    /// `[to, to + len)` must be page-aligned memory the caller owns, inside
    /// one of its own private mappings, with no Rust reference into it
    /// alive: its pages are replaced by backed zero pages.
    pub(super) unsafe fn take_into(&self, to: *mut u8, len: usize) -> std::io::Result<bool> {
        if len < MIN_RUN || len % 4096 != 0 {
            return Ok(false);
        }
        let mut regions = self.lock();
        let Some(at) = regions.iter().position(|r| r.len >= len) else { return Ok(false) };
        let from = regions[at].start;
        // SAFETY: `from .. from + len` is the front of a mapping the reserve
        // owns alone (nothing outside this value knows its address); the
        // caller vouches for the target. MREMAP_FIXED unmaps the target
        // first.
        let moved = unsafe {
            libc::mremap(
                from as *mut libc::c_void,
                len,
                len,
                libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
                to.cast::<libc::c_void>(),
            )
        };
        if moved == libc::MAP_FAILED {
            let e = std::io::Error::last_os_error();
            // The target may be unmapped already: map it again, empty.
            // SAFETY: MAP_FIXED over the caller's own range (see above).
            let again = unsafe {
                libc::mmap(
                    to.cast(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            return if again == libc::MAP_FAILED { Err(e) } else { Ok(false) };
        }
        regions[at].start += len;
        regions[at].len -= len;
        if regions[at].len == 0 {
            regions.remove(at);
        }
        Ok(true)
    }
}

impl Default for Reserve {
    fn default() -> Reserve {
        Reserve::new()
    }
}

/// Maps `len` bytes (page multiple) of private anonymous memory and has
/// the host back all of it. `MAP_NORESERVE`, as the guest spaces it moves
/// into are: the kernel would otherwise charge moved runs against its
/// commit limit for as long as the space lives.
fn back(len: usize) -> std::io::Result<Region> {
    // SAFETY: a new private anonymous mapping at an address of the
    // kernel's choosing: it overlaps nothing of this process.
    let at = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
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

    /// Reads `/proc/self/maps` lines that overlap `[start, end)`.
    fn mappings_in(start: usize, end: usize) -> usize {
        std::fs::read_to_string("/proc/self/maps")
            .unwrap()
            .lines()
            .filter(|l| {
                let range = l.split(' ').next().unwrap();
                let (a, b) = range.split_once('-').unwrap();
                let (a, b) = (usize::from_str_radix(a, 16).unwrap(), usize::from_str_radix(b, 16).unwrap());
                a < end && b > start
            })
            .count()
    }

    #[test]
    fn taken_runs_read_as_zero_and_consecutive_ones_stay_one_mapping() {
        let reserve = Reserve::new();
        reserve.back_ahead(8 * MIN_RUN).unwrap();
        assert_eq!(reserve.backed(), 8 * MIN_RUN);
        let mut space = crate::vm::space::AddressSpace::new().unwrap();
        let at = 0x1000_0000;
        space[at] = 7;
        for k in 0..4 {
            // SAFETY: a page-aligned run of a space this test owns, no
            // reference into it alive.
            assert!(unsafe { reserve.take_into(space.as_mut_ptr().add(at + k * MIN_RUN), MIN_RUN) }.unwrap());
        }
        assert_eq!(reserve.backed(), 4 * MIN_RUN);
        assert!(space[at..at + 4 * MIN_RUN].iter().all(|&b| b == 0));
        space[at + 4 * MIN_RUN - 1] = 9;
        assert_eq!(space[at + 4 * MIN_RUN - 1], 9);
        let base = space.as_mut_ptr() as usize + at;
        assert_eq!(mappings_in(base, base + 4 * MIN_RUN), 1, "four runs taken in order merge");
        // Short runs and runs longer than any region: nothing moves.
        // SAFETY: as above.
        assert!(!unsafe { reserve.take_into(space.as_mut_ptr().add(0x2000_0000), 4096) }.unwrap());
        // SAFETY: as above.
        assert!(!unsafe { reserve.take_into(space.as_mut_ptr().add(0x2000_0000), 8 * MIN_RUN) }.unwrap());
        assert_eq!(reserve.backed(), 4 * MIN_RUN);
    }

    /// A refill asked for while one runs is not lost: the reserve ends
    /// at its target.
    #[test]
    fn refills_asked_meanwhile_are_done() {
        let reserve: &'static Reserve = Box::leak(Box::new(Reserve::new()));
        reserve.back_ahead(4 * MIN_RUN).unwrap();
        let mut space = crate::vm::space::AddressSpace::new().unwrap();
        // SAFETY: page-aligned runs of a space this test owns.
        assert!(unsafe { reserve.take_into(space.as_mut_ptr().add(0x1000_0000), 2 * MIN_RUN) }.unwrap());
        reserve.refill();
        // SAFETY: as above.
        assert!(unsafe { reserve.take_into(space.as_mut_ptr().add(0x2000_0000), MIN_RUN) }.unwrap());
        reserve.refill();
        let start = std::time::Instant::now();
        while reserve.backed() < 4 * MIN_RUN || reserve.refilling.load(Ordering::Acquire) {
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "backed {}", reserve.backed());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(reserve.backed(), 4 * MIN_RUN);
    }

    #[test]
    fn any_region_large_enough_serves() {
        let reserve = Reserve::new();
        reserve.back_ahead(2 * MIN_RUN).unwrap();
        // A small region on top of a larger one (as a refill leaves it).
        reserve.lock().push(back(4096).unwrap());
        let mut space = crate::vm::space::AddressSpace::new().unwrap();
        // SAFETY: a page-aligned run of a space this test owns.
        assert!(unsafe { reserve.take_into(space.as_mut_ptr().add(0x1000_0000), MIN_RUN) }.unwrap());
        assert_eq!(reserve.runs_of(MIN_RUN), 1);
    }
}
