//! The host mapping behind a VM's guest memory: the whole 32-bit guest
//! address space with an inaccessible guard region on either side.
//!
//! Guest addresses are 32-bit, so `base + address` always lands inside the
//! 4 GiB space — except for the bytes of a multi-byte access that starts in
//! the last word (`0xffff_fffd` + 4), and for generated code's
//! `base + register + offset`, which the host does not reduce mod 2^32 as
//! the guest does (a signed 16-bit offset from a register near 0 or near
//! 2^32). Those, and any other overrun a JIT bug could produce from a
//! zero-extended 32-bit address plus a small offset, hit a guard: the host
//! faults instead of touching another object's memory.

use memmap2::{MmapMut, MmapOptions};
use std::ops::{Deref, DerefMut};

/// Bytes of guest address space: every 32-bit address.
pub const SPACE: usize = 1 << 32;
/// Bytes of each inaccessible guard, before and after the space: more than
/// a load or store's largest offset (±32 KiB) plus its width.
pub const GUARD: usize = 64 << 10;

/// A reserved guest address space (committed lazily by the host) between
/// two `PROT_NONE` guards. Dereferences to the space alone, never a guard.
///
/// A space may also be *empty* (a parked VM's: no reservation at all); it
/// then dereferences to an empty slice, so a stray access panics on its
/// bounds check instead of touching the host. The slice is kept as a raw
/// pointer and length rather than looked up in an `Option` per access:
/// guest accesses pay no branch for the empty case.
pub struct AddressSpace {
    ptr: *mut u8,
    len: usize,
    map: Option<MmapMut>,
    /// Some range maps a file privately (a copy-on-write restore): giving
    /// pages back would bring the file's bytes back, not zeros.
    file_backed: bool,
    /// Some range was moved in from the backed reserve, as a host mapping
    /// of its own: the space is not pooled for another VM, whose memory
    /// would inherit the mappings (see [`AddressSpace::adopt_backed`]).
    adopted: bool,
}

// SAFETY: `ptr` points into `map`, which this value owns alone (or is
// dangling with `len` 0); moving the value to another thread moves that
// ownership with it, as moving the `MmapMut` itself would.
unsafe impl Send for AddressSpace {}
// SAFETY: shared references only read through `ptr` (`Deref`); writes need
// `&mut self`, so `&AddressSpace` across threads is as safe as `&[u8]`.
unsafe impl Sync for AddressSpace {}

impl AddressSpace {
    /// Reserves the space and its guards; nothing is committed yet.
    pub fn new() -> std::io::Result<AddressSpace> {
        let mut map = MmapOptions::new().len(GUARD + SPACE + GUARD).no_reserve_swap().map_anon()?;
        for guard in [0, GUARD + SPACE] {
            // SAFETY: both guards lie inside `map`, which this function owns;
            // nothing has been handed out that could refer to them, and
            // `Deref` below never exposes them, so no Rust reference ever
            // covers the bytes made inaccessible here.
            let rc = unsafe { libc::mprotect(map.as_mut_ptr().add(guard).cast(), GUARD, libc::PROT_NONE) };
            if rc != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        // SAFETY: GUARD is inside the mapping just made.
        let ptr = unsafe { map.as_mut_ptr().add(GUARD) };
        Ok(AddressSpace { ptr, len: SPACE, map: Some(map), file_backed: false, adopted: false })
    }

    /// A space with no reservation behind it (see the type's docs).
    pub fn empty() -> AddressSpace {
        AddressSpace {
            ptr: std::ptr::NonNull::dangling().as_ptr(),
            len: 0,
            map: None,
            file_backed: false,
            adopted: false,
        }
    }

    /// Host address of guest address 0.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }

    /// The reservation, or an error for an empty space.
    fn reserved(&self) -> std::io::Result<&MmapMut> {
        self.map.as_ref().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    }

    /// Which pages of `[start, start + len)` hold something (one bool per
    /// page; `start` page-aligned): in memory or swapped out, as the
    /// kernel's page map says (`/proc/self/pagemap`, bits 63 and 62: both
    /// are readable without privileges). A page never written since it was
    /// mapped has neither, and reads as zero. (`mincore` would not do: it
    /// calls a swapped-out page absent.) Fails on a host whose pages are
    /// not 4 KiB, so that the caller falls back to reading memory.
    pub fn resident(&self, start: usize, len: usize) -> std::io::Result<Vec<bool>> {
        use std::os::unix::fs::FileExt;
        if start.checked_add(len).is_none_or(|end| end > self.len) || start % 4096 != 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        self.reserved()?;
        // SAFETY: sysconf has no preconditions.
        if unsafe { libc::sysconf(libc::_SC_PAGESIZE) } != 4096 {
            return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
        }
        let pages = len.div_ceil(4096);
        let mut entries = vec![0u8; pages * 8];
        let first = (self.ptr as usize + start) / 4096;
        std::fs::File::open("/proc/self/pagemap")?.read_exact_at(&mut entries, first as u64 * 8)?;
        const PRESENT: u64 = 1 << 63;
        const SWAPPED: u64 = 1 << 62;
        Ok(entries
            .chunks_exact(8)
            .map(|e| u64::from_le_bytes(e.try_into().unwrap_or_default()) & (PRESENT | SWAPPED) != 0)
            .collect())
    }

    /// Passes `advice` for `[start, start + len)` of the space to the host.
    pub fn advise_range(&self, advice: memmap2::Advice, start: usize, len: usize) -> std::io::Result<()> {
        if start.checked_add(len).is_none_or(|end| end > self.len) {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        // The mapping starts with the lower guard.
        self.reserved()?.advise_range(advice, GUARD + start, len)
    }
}

/// What the host lets generated code do on a page: what a guest page
/// permission allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostAccess {
    /// Nothing: any access faults.
    None,
    /// Loads only.
    Read,
    /// Loads and stores.
    ReadWrite,
}

impl AddressSpace {
    /// Sets the host protection of `[start, start + len)` of the space
    /// (page-aligned).
    pub fn protect(&mut self, start: usize, len: usize, access: HostAccess) -> std::io::Result<()> {
        if start.checked_add(len).is_none_or(|end| end > self.len) || start % 4096 != 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        let prot = match access {
            HostAccess::None => libc::PROT_NONE,
            HostAccess::Read => libc::PROT_READ,
            HostAccess::ReadWrite => libc::PROT_READ | libc::PROT_WRITE,
        };
        // SAFETY: the range lies inside the space this value owns (checked
        // above). Taking `&mut self` means no Rust reference into the space
        // is alive, so none can observe the change; code that reads guest
        // memory checks the guest permission (which the caller keeps equal
        // to this protection) before touching a page.
        let rc = unsafe { libc::mprotect(self.ptr.add(start).cast(), len, prot) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// Gives the pages of `[start, start + len)` back to the host: they read
    /// as zero next time (page-aligned, inside the space). In a space that
    /// maps a file, the range is mapped anew, anonymous and read-write.
    pub fn discard(&mut self, start: usize, len: usize) -> std::io::Result<()> {
        if start.checked_add(len).is_none_or(|end| end > self.len) || start % 4096 != 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        if self.file_backed {
            // SAFETY: as below; MAP_FIXED replaces only pages inside the
            // space this value owns (checked above).
            let at = unsafe {
                libc::mmap(
                    self.ptr.add(start).cast(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if at == libc::MAP_FAILED {
                return Err(std::io::Error::last_os_error());
            }
            return Ok(());
        }
        // SAFETY: a private anonymous range inside the space this value
        // owns; `&mut self` means no Rust reference into it is alive, so
        // none sees its bytes turn to zero.
        let rc = unsafe { libc::madvise(self.ptr.add(start).cast(), len, libc::MADV_DONTNEED) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
}

impl AddressSpace {
    /// Moves backed pages from `reserve` over `[start, start + len)` (see
    /// [`crate::vm::reserve`]): they read as zero and fault no more;
    /// `Ok(true)`. `Ok(false)`, and nothing changed, when the reserve holds
    /// too little, the run is short or the range is not whole pages inside
    /// the space. An error when the range could not be mapped again after
    /// a failed move: the space must not be used.
    pub fn adopt_backed(
        &mut self,
        reserve: &super::reserve::Reserve,
        start: usize,
        len: usize,
    ) -> std::io::Result<bool> {
        if start.checked_add(len).is_none_or(|end| end > self.len) || start % 4096 != 0 || self.map.is_none()
        {
            return Ok(false);
        }
        // SAFETY: a page-aligned range inside the private mapping this
        // value owns (checked above); `&mut self` means no Rust reference
        // into it is alive to see its pages replaced.
        let moved = unsafe { reserve.take_into(self.ptr.add(start), len) };
        self.adopted |= !matches!(moved, Ok(false));
        moved
    }

    /// True when pages were moved in from the backed reserve (see
    /// [`AddressSpace::adopt_backed`]).
    pub fn has_adopted(&self) -> bool {
        self.adopted
    }
}

impl AddressSpace {
    /// Maps `len` bytes of `file` from `offset` privately over
    /// `[start, start + len)` of the space (all page-aligned): the pages
    /// read as the file's bytes, and the host copies one only when it is
    /// written. Readable and writable, as the space is before it is sealed.
    pub fn map_file(
        &mut self,
        start: usize,
        len: usize,
        file: &std::fs::File,
        offset: u64,
    ) -> std::io::Result<()> {
        use std::os::fd::AsRawFd;
        let aligned = start % 4096 == 0 && len % 4096 == 0 && offset % 4096 == 0;
        if start.checked_add(len).is_none_or(|end| end > self.len) || !aligned || self.map.is_none() {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        let offset = libc::off_t::try_from(offset).map_err(|_| std::io::ErrorKind::InvalidInput)?;
        self.file_backed = true;
        // SAFETY: MAP_FIXED replaces pages inside the space this value owns
        // (checked above); `&mut self` means no Rust reference into it is
        // alive to see its bytes change. The mapping is private: nothing
        // the guest writes reaches the file.
        let at = unsafe {
            libc::mmap(
                self.ptr.add(start).cast(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_FIXED,
                file.as_raw_fd(),
                offset,
            )
        };
        if at == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// True when some range maps a file (see [`AddressSpace::map_file`]).
    pub fn is_file_backed(&self) -> bool {
        self.file_backed
    }

    /// [`AddressSpace::protect`] through a shared reference, for pages no
    /// reference can cover.
    ///
    /// # Safety
    /// No Rust reference into `[start, start + len)` may be alive, and none
    /// may be made while the new protection forbids it: the range holds
    /// pages every reader is kept from by the permission table (a snapshot's
    /// pages not verified yet), and the caller is the only thread running
    /// this memory's VM.
    pub unsafe fn protect_unreferenced(
        &self,
        start: usize,
        len: usize,
        access: HostAccess,
    ) -> std::io::Result<()> {
        if start.checked_add(len).is_none_or(|end| end > self.len) || start % 4096 != 0 {
            return Err(std::io::Error::from(std::io::ErrorKind::InvalidInput));
        }
        let prot = match access {
            HostAccess::None => libc::PROT_NONE,
            HostAccess::Read => libc::PROT_READ,
            HostAccess::ReadWrite => libc::PROT_READ | libc::PROT_WRITE,
        };
        // SAFETY: inside the space (checked above); the caller guarantees
        // no reference observes the change.
        let rc = unsafe { libc::mprotect(self.ptr.add(start).cast(), len, prot) };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
}

impl Deref for AddressSpace {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr .. ptr + len` is the space inside the reservation this
        // value owns (the guard excluded), readable and writable by the
        // host wherever the permission table (checked by every reader)
        // maps a page; or `len` is 0 and `ptr` is dangling but aligned.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl DerefMut for AddressSpace {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as for `deref`; `&mut self` makes the borrow exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

/// Backs ranges of a space with host memory from a thread of its own,
/// ahead of the thread that fills them: a migration's receiver asks for
/// the chunk after the one it is reading, so the kernel's page zeroing runs
/// beside the decryption instead of before it. Only advice: a range the
/// host refuses (read-only, unmapped) is left alone, and populating never
/// changes a byte the guest could see.
pub struct Prefault {
    queue: Option<crossbeam::channel::Sender<(usize, usize)>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Prefault {
    /// A helper for `space` (nothing happens for an empty one).
    pub fn new(space: &AddressSpace) -> Prefault {
        if space.map.is_none() {
            return Prefault { queue: None, thread: None };
        }
        // The address, not a pointer: the helper never dereferences it. It
        // only passes ranges inside the space to madvise, which checks them
        // against the process's mappings itself, so even a range whose
        // mapping was gone (the helper is joined before `Drop` returns, and
        // the owner drops this first) would fail harmlessly.
        let base = space.ptr as usize;
        let (tx, rx) = crossbeam::channel::bounded::<(usize, usize)>(2);
        let thread = std::thread::Builder::new()
            .name("prefault".into())
            .spawn(move || {
                for (start, len) in rx {
                    // SAFETY: MADV_POPULATE_WRITE reads and writes no
                    // memory of this process; it asks the kernel to back
                    // pages of a mapping it checks (see above).
                    unsafe {
                        libc::madvise((base + start) as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE)
                    };
                }
            })
            .ok();
        Prefault { queue: thread.as_ref().map(|_| tx), thread }
    }

    /// Asks for `[start, start + len)` of the space to be backed soon;
    /// dropped if the helper is busy or the range leaves the space.
    pub fn ask(&self, start: usize, len: usize) {
        if start.checked_add(len).is_some_and(|end| end <= SPACE) {
            if let Some(queue) = &self.queue {
                let _ = queue.try_send((start, len));
            }
        }
    }
}

impl Drop for Prefault {
    fn drop(&mut self) {
        drop(self.queue.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guards are really inaccessible: the host's own map of this
    /// process shows them `---p` right before and right after the space.
    #[test]
    fn guards_surround_the_space_without_access() {
        let mut space = AddressSpace::new().expect("reserve");
        assert_eq!(space.len(), SPACE);
        let start = space.as_mut_ptr() as usize;
        let maps = std::fs::read_to_string("/proc/self/maps").expect("maps");
        let range = |l: &str| {
            let mut bounds = l.split(['-', ' ']).take(2).map(|a| usize::from_str_radix(a, 16).unwrap_or(0));
            (bounds.next().unwrap_or(0), bounds.next().unwrap_or(0))
        };
        // The host may merge a guard with a neighbour of the same
        // protection (another space's guard), so the guard lies within a
        // line rather than making one.
        for guard in [start - GUARD, start + SPACE] {
            let line = maps
                .lines()
                .find(|l| {
                    let (from, to) = range(l);
                    from <= guard && guard + GUARD <= to
                })
                .unwrap_or_else(|| panic!("no mapping covers the guard {guard:#x}"));
            assert!(line.contains(" ---p "), "guard is accessible: {line}");
        }
        // And the space itself is not inside either.
        let space_line =
            maps.lines().find(|l| range(l).0 <= start && start < range(l).1).expect("space mapped");
        assert!(!space_line.contains(" ---p "), "the space is inaccessible: {space_line}");
    }

    /// The page map tells written pages from untouched ones (and a range
    /// outside the space is refused).
    #[test]
    fn resident_pages_are_the_written_ones() {
        let mut space = AddressSpace::new().expect("reserve");
        space[0x1_0000 + 5] = 1;
        space[0x1_2000] = 0; // written, even with a zero
        let held = space.resident(0x1_0000, 4 * 4096).expect("page map");
        assert_eq!(held, vec![true, false, true, false]);
        space.discard(0x1_0000, 4096).expect("given back");
        assert_eq!(space.resident(0x1_0000, 4096).expect("page map"), vec![false]);
        assert!(space.resident(SPACE - 4096, 8192).is_err());
    }

    #[test]
    fn advice_outside_the_space_is_refused() {
        let space = AddressSpace::new().expect("reserve");
        assert!(space.advise_range(memmap2::Advice::WillNeed, SPACE - 4096, 8192).is_err());
        assert!(space.advise_range(memmap2::Advice::WillNeed, 0, 4096).is_ok());
    }
}
