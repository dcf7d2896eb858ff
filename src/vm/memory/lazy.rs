//! Copy-on-write restore: guest pages mapped straight from a snapshot file,
//! each verified against its hash on the guest's first access.
//!
//! # The mechanism, and why
//!
//! A restore that copies every page costs time in proportion to the VM
//! (half a second for 1 GiB); mapping the file privately (`MAP_PRIVATE`)
//! costs a few system calls whatever the size, and the host copies a page
//! only when the guest writes it. What mapping alone loses is integrity: a
//! whole-file checksum can only be checked by reading every page, which is
//! the copy again. So a snapshot keeps one hash per page (xxh3-64, in the
//! archive, whose own checksum the header holds), and a page is checked
//! when the VM first touches it — the point where its bytes could first
//! matter — never earlier, and never later than anything that uses them.
//!
//! The first touch is found with the slow path every guest access already
//! has. A page not verified yet is *pending* in the permission table: its
//! entry carries [`PENDING`] and its permission in bits 4–6, so every test
//! of the read or write bit fails and takes the cold path (the interpreter,
//! every syscall, DUMP and gdb all read through the table), and a sealed
//! memory gives it no host access at all, so translated code faults and
//! hands the instruction to the interpreter, as for any refused access.
//! The cold path hashes the page (and the other pending pages of its
//! 64-page *granule*, so that a VM touching its memory in order costs one
//! `mprotect` per 256 KiB rather than per page), opens the host protection
//! its permission asks for, and lets the access go on; a page whose hash
//! differs ends the VM with [`Fault::CorruptPage`], naming the file and the
//! page, before the instruction takes effect. A corrupt page the VM never
//! touches changes nothing; `myvmm --check-snapshot` verifies every page
//! eagerly. The alternative — verifying in the background and holding
//! output back until it is done — would make the first output wait for the
//! whole file, which is what this is meant to avoid.
//!
//! The cost while nothing is pending is nil: the checks only moved into
//! the cold path of accesses the table refuses. Verified pages keep their
//! pending entry until the memory is next held exclusively (the JIT's
//! entry, a snapshot, parking), when [`GuestMemory::settle`] writes their
//! plain permission back.
//!
//! A page is made the VM's own before it is hashed (the host copies it
//! out of the file, as a write would: `MADV_POPULATE_WRITE`), so what was
//! verified is what the VM sees for good, whatever is later done to the
//! file; a page the file no longer holds (truncated underneath) fails
//! verification rather than faulting the host. (Reading the page hashes,
//! which stay in the file's map, past a truncated file's end would still
//! end the process, as for any memory-mapped file: myvmm never truncates
//! or rewrites a snapshot in place.)
//!
//! A snapshot of a VM with pages still pending writes those pages' bytes
//! (read from the file, which the VM never changed) with the hash the file
//! promised, not one computed anew: corruption is carried into the new
//! snapshot, to be found there, never laundered. A migration, which sends
//! pages without hashes, verifies every page first.

use super::{host_access, GuestMemory, RestoreError, PAGES, PAGE_SHIFT, PERM_R, PERM_W};
use crate::vm::space::HostAccess;
use crate::vm::Fault;
use memmap2::Mmap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A table entry's flag: the page's bytes are not verified yet (see the
/// module docs); its permission sits in bits 4–6.
pub(crate) const PENDING: u8 = 0x80;

/// Pages verified together on a first touch.
const GRANULE: usize = 64;

/// Bytes of a page.
const PAGE: usize = 1 << PAGE_SHIFT;

/// The table entry of a pending page with permission `perm`.
pub(super) fn pending(perm: u8) -> u8 {
    PENDING | (perm << 4)
}

/// The permission a table entry stands for, pending or not.
pub(super) fn real_perm(entry: u8) -> u8 {
    if entry & PENDING != 0 {
        (entry >> 4) & 7
    } else {
        entry
    }
}

/// A snapshot file that pages are mapped from.
pub struct PageFile {
    /// Its path, for messages.
    pub path: Arc<str>,
    /// The whole file, mapped read-only.
    pub map: Arc<Mmap>,
    /// Where in `map` its pages' hashes lie: little-endian u64s, read in
    /// place (a restore copies nothing that grows with the VM).
    pub hashes: std::ops::Range<usize>,
}

impl PageFile {
    fn hash(&self, index: usize) -> Option<u64> {
        let at = self.hashes.start.checked_add(index.checked_mul(8)?)?;
        let bytes = self.map.get(at..at + 8).filter(|_| at + 8 <= self.hashes.end)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }
}

/// Guest pages `first .. first + count` are the bytes of file `file` from
/// `offset`, and hash to its hashes from index `hash` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MappedRun {
    /// First guest page.
    pub first: u32,
    /// Pages.
    pub count: u32,
    /// Index of the file in [`MappedPages::files`].
    pub file: usize,
    /// Byte offset in the file (page-aligned).
    pub offset: u64,
    /// Index of the first page's hash among its file's hashes.
    pub hash: usize,
}

/// What a copy-on-write restore maps: the files and the runs of pages
/// (sorted, disjoint).
pub struct MappedPages {
    /// The files.
    pub files: Vec<PageFile>,
    /// Runs of guest pages, ascending and disjoint.
    pub runs: Vec<MappedRun>,
}

/// A memory's pending pages.
pub(super) struct Lazy {
    pages: MappedPages,
    /// One bit per guest page: verified.
    verified: Box<[AtomicU64]>,
    /// Pages of the runs not verified yet.
    left: AtomicUsize,
    /// Granules verified since the table was last settled.
    unsettled: Mutex<Vec<u32>>,
    /// The first corrupt page met, until a syscall's end looks (see
    /// [`GuestMemory::take_corrupt`]).
    corrupt: Mutex<Option<Fault>>,
    /// The host refused a protection while a page was verified: the
    /// whole space was opened, the memory must be unsealed.
    host_unsealed: std::sync::atomic::AtomicBool,
}

impl Lazy {
    fn run_of(&self, page: usize) -> Option<&MappedRun> {
        let runs = &self.pages.runs;
        let i = runs.partition_point(|r| (r.first as usize + r.count as usize) <= page);
        runs.get(i).filter(|r| r.first as usize <= page)
    }

    fn is_verified(&self, page: usize) -> bool {
        self.verified[page / 64].load(Ordering::Relaxed) & (1 << (page % 64)) != 0
    }

    fn expected(&self, page: usize) -> Option<u64> {
        let run = self.run_of(page)?;
        self.pages.files.get(run.file)?.hash(run.hash + (page - run.first as usize))
    }

    fn path_of(&self, page: usize) -> Arc<str> {
        let file = self.run_of(page).map_or(0, |r| r.file);
        self.pages.files.get(file).map_or_else(|| Arc::from("?"), |f| Arc::clone(&f.path))
    }
}

/// Where the bytes of a page of [`GuestMemory::export_runs`] come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Space,
    File { file: usize, offset: usize, hash: usize },
}

/// Pages `first ..` to save, with their bytes and, for pages not verified
/// yet, the hashes their file promised (see the module docs).
pub struct ExportRun<'a> {
    /// First guest page.
    pub first: u32,
    /// The pages' bytes.
    pub bytes: &'a [u8],
    /// The hashes to write for them instead of hashing `bytes`: one
    /// little-endian u64 per page.
    pub expected: Option<&'a [u8]>,
}

impl GuestMemory {
    /// Rebuilds memory from a snapshot without copying its pages: as
    /// [`GuestMemory::restore_into`], then `mapped`'s pages mapped privately
    /// from their files (`opened[i]` is `mapped.files[i]`, open) and left
    /// pending, verified on first access (see the module docs).
    pub fn restore_mapped(
        reservation: super::Reservation,
        program: &crate::program::Program,
        layout: super::MemoryLayout,
        perms: impl IntoIterator<Item = super::PermRun>,
        mapped: MappedPages,
        opened: &[&std::fs::File],
    ) -> Result<GuestMemory, RestoreError> {
        let mut mem = GuestMemory::restore_into(reservation, program, layout, perms, std::iter::empty())?;
        let bad = |what: String| RestoreError::Inconsistent(what);
        let mut total = 0usize;
        let mut last_end = 0usize;
        for file in &mapped.files {
            let fits = file.hashes.start <= file.hashes.end && file.hashes.end <= file.map.len();
            if !fits || file.hashes.start % 8 != 0 || file.hashes.len() % 8 != 0 {
                return Err(bad(format!("page hashes of {}", file.path)));
            }
        }
        for run in &mapped.runs {
            let (first, end) = (run.first as usize, run.first as usize + run.count as usize);
            let len = (run.count as usize) << PAGE_SHIFT;
            if first < last_end || end > PAGES || run.count == 0 {
                return Err(bad(format!("page runs (at page {first:#x}: out of order or out of range)")));
            }
            last_end = end;
            let hashes = mapped.files.get(run.file).map_or(0, |f| f.hashes.len() / 8);
            if run.hash.checked_add(run.count as usize).is_none_or(|end| end > hashes) {
                return Err(bad(format!("page hashes (run at page {first:#x})")));
            }
            total += run.count as usize;
            let file_len = mapped.files.get(run.file).map_or(0, |f| f.map.len() as u64);
            let Some(file) = opened.get(run.file) else {
                return Err(bad(format!("page runs (file {} of the run at page {first:#x})", run.file)));
            };
            if run.offset % (1 << PAGE_SHIFT) != 0 || run.offset + len as u64 > file_len {
                return Err(bad(format!("page area (run at page {first:#x} beyond the file)")));
            }
            if mem.perms[first..end].iter().any(|&p| p & PERM_R == 0) {
                return Err(bad(format!("data in unreadable or unmapped memory at page {first:#x}")));
            }
            mem.space
                .map_file(first << PAGE_SHIFT, len, file, run.offset)
                .map_err(|e| bad(format!("pages (the host refused to map them: {e})")))?;
            for entry in &mut mem.perms[first..end] {
                *entry = pending(*entry);
            }
        }
        if total > 0 {
            mem.lazy = Some(Box::new(Lazy {
                pages: mapped,
                verified: (0..PAGES / 64).map(|_| AtomicU64::new(0)).collect(),
                left: AtomicUsize::new(total),
                unsettled: Mutex::new(Vec::new()),
                corrupt: Mutex::new(None),
                host_unsealed: std::sync::atomic::AtomicBool::new(false),
            }));
        }
        Ok(mem)
    }

    /// Pages restored from a snapshot and not verified yet.
    pub fn pending_pages(&self) -> usize {
        self.lazy.as_ref().map_or(0, |l| l.left.load(Ordering::Relaxed))
    }

    /// The host protection a page should have now.
    pub(super) fn host_access_now(&self, page: usize) -> HostAccess {
        let entry = self.perms[page];
        let perm = real_perm(entry);
        if entry & PENDING != 0 && !self.lazy.as_ref().is_some_and(|l| l.is_verified(page)) {
            return HostAccess::None;
        }
        if perm & PERM_W != 0 && self.is_armed(page) {
            return HostAccess::Read;
        }
        host_access(perm)
    }

    /// First touch of pending page `page`: verifies it (and the rest of its
    /// granule), opens its host protection; fails if its bytes are not
    /// the ones the snapshot hashed.
    #[cold]
    #[inline(never)]
    pub(super) fn admit(&self, page: usize) -> Result<(), Fault> {
        let Some(lazy) = self.lazy.as_deref() else {
            // A pending entry outlives its files only by a bug: refuse it.
            return Err(Fault::Unmapped { addr: (page << PAGE_SHIFT) as u32, write: false });
        };
        if lazy.is_verified(page) {
            return Ok(());
        }
        let low = page / GRANULE * GRANULE;
        let todo: Vec<usize> = (low..(low + GRANULE).min(PAGES))
            .filter(|&p| self.perms[p] & PENDING != 0 && !lazy.is_verified(p))
            .collect();
        let groups = contiguous(&todo);
        // Each page is first made the VM's own (the host copies it out of
        // the file, as a write would), then hashed: what was checked is
        // what the VM sees, whatever happens to the file afterwards. The
        // pages need write access for that while sealed.
        let sealed = self.sealed && !lazy.host_unsealed.load(Ordering::Acquire);
        if sealed {
            for &(first, end) in &groups {
                self.open_pending(lazy, first, end, HostAccess::ReadWrite)?;
            }
        }
        let mut unreadable: Vec<usize> = Vec::new();
        for &(first, end) in &groups {
            let (start, len) = (first << PAGE_SHIFT, (end - first) << PAGE_SHIFT);
            if self.space.advise_range(memmap2::Advice::PopulateWrite, start, len).is_err() {
                // One page at a time, to find the ones the file no longer
                // holds (truncated underneath): those fail verification.
                for p in first..end {
                    if self.space.advise_range(memmap2::Advice::PopulateWrite, p << PAGE_SHIFT, PAGE).is_err()
                    {
                        unreadable.push(p);
                    }
                }
            }
        }
        let mut corrupt = false;
        for &p in &todo {
            let sound = !unreadable.contains(&p) && {
                let bytes = &self.space[p << PAGE_SHIFT..(p + 1) << PAGE_SHIFT];
                Some(xxhash_rust::xxh3::xxh3_64(bytes)) == lazy.expected(p)
            };
            if sound {
                lazy.verified[p / 64].fetch_or(1 << (p % 64), Ordering::Relaxed);
                lazy.left.fetch_sub(1, Ordering::Relaxed);
                if self.is_tracking() && real_perm(self.perms[p]) & PERM_W != 0 {
                    self.arm_shared(p);
                }
            } else if p == page {
                corrupt = true;
            }
        }
        let sealed = self.sealed && !lazy.host_unsealed.load(Ordering::Acquire);
        if sealed {
            for &(first, end) in &groups {
                let mut at = first;
                while at < end {
                    let access = self.host_access_now(at);
                    let stop = (at..end).find(|&p| self.host_access_now(p) != access).unwrap_or(end);
                    self.open_pending(lazy, at, stop, access)?;
                    at = stop;
                }
            }
        }
        lazy.unsettled.lock().unwrap_or_else(|e| e.into_inner()).push((low / GRANULE) as u32);
        if corrupt {
            let fault = Fault::CorruptPage { file: lazy.path_of(page), page: page as u32 };
            lazy.corrupt.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert_with(|| fault.clone());
            return Err(fault);
        }
        Ok(())
    }

    /// Sets the host protection of pending pages `first .. end` from a
    /// shared reference. Should the host refuse (out of mappings: each
    /// granule verified may split one), the whole space is opened instead,
    /// and the memory is unsealed at its next exclusive use
    /// ([`GuestMemory::settle`]) — translated code does not run before
    /// that: the JIT asks for a sealed memory before each block it enters.
    /// If even that is refused, the VM cannot go on.
    fn open_pending(&self, lazy: &Lazy, first: usize, end: usize, access: HostAccess) -> Result<(), Fault> {
        // SAFETY: the pages are pending or just verified, and no reference
        // covers a pending page (every reader checks the table first, and
        // the table refuses them); only this thread runs the VM.
        let done = unsafe {
            self.space.protect_unreferenced(first << PAGE_SHIFT, (end - first) << PAGE_SHIFT, access)
        };
        if done.is_ok() {
            return Ok(());
        }
        // SAFETY: widening every page's access invalidates no reference.
        let opened = unsafe { self.space.protect_unreferenced(0, super::SPACE, HostAccess::ReadWrite) };
        lazy.host_unsealed.store(true, Ordering::Release);
        opened.map_err(|_| {
            Fault::Unsupported("the host ran out of memory mappings and this VM's memory was lost".into())
        })
    }

    /// Takes in an unsealing [`GuestMemory::open_pending`] had to make.
    fn absorb_host_unseal(&mut self) {
        let unsealed = self.lazy.as_ref().is_some_and(|l| l.host_unsealed.swap(false, Ordering::AcqRel));
        if unsealed && self.sealed {
            // The host allows everything already: only the books change.
            self.unseal();
            self.seal_refused = true;
        }
    }

    /// The corrupt page a syscall met, if one did: a syscall that turns a
    /// refused access into an error code for the guest (`EFAULT`) must end
    /// the VM instead when the page was corrupt.
    pub fn take_corrupt(&self) -> Option<Fault> {
        self.lazy.as_ref()?.corrupt.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Verifies the pending pages among `first .. end` (before the host
    /// copies them: `mremap`).
    pub(super) fn verify_pages(&self, first: usize, end: usize) -> Result<(), Fault> {
        for page in first..end {
            if self.perms[page] & PENDING != 0 {
                self.admit(page)?;
            }
        }
        Ok(())
    }

    /// Writes the plain permission back into the table for pages verified
    /// since the last call; forgets the snapshot's files once every page
    /// is verified.
    pub(super) fn settle(&mut self) {
        self.absorb_host_unseal();
        let Some(lazy) = self.lazy.as_deref() else { return };
        let granules = std::mem::take(&mut *lazy.unsettled.lock().unwrap_or_else(|e| e.into_inner()));
        for granule in granules {
            let low = granule as usize * GRANULE;
            for page in low..(low + GRANULE).min(PAGES) {
                if self.perms[page] & PENDING != 0 && lazy.is_verified(page) {
                    self.perms[page] = real_perm(self.perms[page]);
                }
            }
        }
        if lazy.left.load(Ordering::Relaxed) == 0 {
            self.lazy = None;
        }
    }

    /// Verifies every pending page now (before pages leave without their
    /// hashes: a migration); the first corrupt one fails.
    pub fn verify_all(&mut self) -> Result<(), Fault> {
        let Some(lazy) = self.lazy.as_deref() else { return Ok(()) };
        let pages: Vec<usize> =
            lazy.pages.runs.iter().flat_map(|r| r.first as usize..(r.first + r.count) as usize).collect();
        for page in pages {
            if self.perms[page] & PENDING != 0 {
                self.admit(page)?;
            }
        }
        self.settle();
        Ok(())
    }

    /// Pages changing permission: a pending page stays pending (its bytes
    /// are still unverified), with the new permission.
    pub(super) fn keep_pending(&mut self, first: usize, end: usize, perm: u8) -> bool {
        let Some(lazy) = self.lazy.as_deref() else { return false };
        let mut any = false;
        for page in first..end {
            let unverified = self.perms[page] & PENDING != 0 && !lazy.is_verified(page);
            if unverified && perm != 0 {
                self.perms[page] = pending(perm);
                any = true;
            } else {
                if unverified {
                    // Unmapped: its bytes go (the caller discards them), and
                    // it no longer waits for verification.
                    lazy.verified[page / 64].fetch_or(1 << (page % 64), Ordering::Relaxed);
                    lazy.left.fetch_sub(1, Ordering::Relaxed);
                }
                self.perms[page] = perm;
            }
        }
        any
    }

    /// The mapped pages the guest may read, to save in a snapshot: with
    /// `all`, every one of `runs` (zero pages too: an incremental
    /// checkpoint's changed pages); else every readable page not all zero.
    /// Pages still pending come from their file, with their promised hash.
    pub fn export_runs(&self, runs: Option<&[(u32, u32)]>) -> Vec<ExportRun<'_>> {
        let Some(lazy) = self.lazy.as_deref() else {
            return match runs {
                None => self
                    .data_runs()
                    .into_iter()
                    .map(|(first, bytes)| ExportRun { first, bytes, expected: None })
                    .collect(),
                Some(runs) => runs
                    .iter()
                    .filter_map(|&(first, count)| {
                        let bytes = self.readable_pages(first, count)?;
                        Some(ExportRun { first, bytes, expected: None })
                    })
                    .collect(),
            };
        };
        let pages: Vec<usize> = match runs {
            Some(runs) => runs.iter().flat_map(|&(f, c)| f as usize..(f + c) as usize).collect(),
            None => self
                .table_runs()
                .iter()
                .flat_map(|r| r.first as usize..(r.first + r.count) as usize)
                .collect(),
        };
        // (first page, pages, source)
        let mut spans: Vec<(usize, usize, Source)> = Vec::new();
        for page in pages {
            let entry = self.perms.get(page).copied().unwrap_or(0);
            if real_perm(entry) & PERM_R == 0 {
                continue;
            }
            let source = if entry & PENDING != 0 && !lazy.is_verified(page) {
                let Some(run) = lazy.run_of(page) else { continue };
                let i = page - run.first as usize;
                Source::File {
                    file: run.file,
                    offset: run.offset as usize + (i << PAGE_SHIFT),
                    hash: run.hash + i,
                }
            } else {
                let bytes = &self.space[page << PAGE_SHIFT..(page + 1) << PAGE_SHIFT];
                if runs.is_none() && super::is_zero(bytes) {
                    continue;
                }
                Source::Space
            };
            if let Some((first, count, last)) = spans.last_mut() {
                let follows = match (*last, source) {
                    (Source::Space, Source::Space) => true,
                    (Source::File { file: f, offset: o, hash: h }, Source::File { file, offset, hash }) => {
                        f == file && o + (*count << PAGE_SHIFT) == offset && h + *count == hash
                    }
                    _ => false,
                };
                if follows && *first + *count == page {
                    *count += 1;
                    continue;
                }
            }
            spans.push((page, 1, source));
        }
        spans
            .into_iter()
            .filter_map(|(first, count, source)| {
                let len = count << PAGE_SHIFT;
                Some(match source {
                    Source::Space => ExportRun {
                        first: first as u32,
                        bytes: &self.space[first << PAGE_SHIFT..(first << PAGE_SHIFT) + len],
                        expected: None,
                    },
                    Source::File { file, offset, hash } => {
                        let file = lazy.pages.files.get(file)?;
                        let at = file.hashes.start + hash * 8;
                        ExportRun {
                            first: first as u32,
                            bytes: file.map.get(offset..offset + len)?,
                            expected: Some(file.map.get(at..at + count * 8)?),
                        }
                    }
                })
            })
            .collect()
    }
}

/// Runs `[first, end)` of consecutive numbers in an ascending list.
fn contiguous(pages: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &p in pages {
        match out.last_mut() {
            Some((_, end)) if *end == p => *end += 1,
            _ => out.push((p, p + 1)),
        }
    }
    out
}
