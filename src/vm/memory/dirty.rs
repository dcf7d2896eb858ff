//! Dirty-page tracking, for pre-copy migration: which pages the guest has
//! written since the last look.
//!
//! It costs nothing while off (one never-taken branch on the interpreter's
//! stores; generated code is unchanged). While on, every writable page is
//! *armed*: its host protection is read-only (when the memory is sealed), so
//! the first store to it from generated code faults, which hands the
//! instruction to the interpreter (the fall-back every guest access has);
//! the interpreter's store notes the page dirty and disarms it (writable
//! again), and later stores to it run at full speed until the next
//! [`GuestMemory::take_dirty`] arms it again. Stores through the
//! permission table (the interpreter, syscalls) note their pages directly.
//! Any change of a page's permission (`sbrk`, `mmap`, `mprotect`, …) counts
//! as a write: the page is sent again.

use super::{GuestMemory, PermRun, PAGES, PAGE_SHIFT, PERM_R, PERM_W};
use crate::vm::space::HostAccess;
use std::sync::atomic::{AtomicU64, Ordering};

const WORDS: usize = PAGES / 64;
/// Pages a sequential writer's fault disarms at once (see
/// [`GuestMemory::note_write`]).
const WRITE_AHEAD: usize = 16;

/// Which pages are armed and which are dirty: one bit per page each.
/// Two consumers may track at once — a live migration and checkpoints —
/// each with its own dirty set: a write is noted in both, and each takes
/// its own. A page is disarmed only while it is dirty for every consumer
/// (so no write goes unseen by one that has taken its set since).
/// (`armed` is atomic only so that a copy-on-write page verified through a
/// shared reference can be armed: see [`super::lazy`].)
pub(crate) struct DirtyLog {
    armed: Box<[AtomicU64]>,
    dirty: [Option<Box<[u64]>>; 2],
}

/// Who tracks a memory's writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracker {
    /// A pre-copy migration.
    Migration = 0,
    /// Incremental checkpoints.
    Checkpoint = 1,
}

fn empty() -> Box<[u64]> {
    vec![0; WORDS].into_boxed_slice()
}

impl DirtyLog {
    fn new() -> Box<DirtyLog> {
        Box::new(DirtyLog { armed: (0..WORDS).map(|_| AtomicU64::new(0)).collect(), dirty: [None, None] })
    }

    fn mark_dirty(&mut self, page: usize) {
        for bits in self.dirty.iter_mut().flatten() {
            set(bits, page);
        }
    }

    /// True when some consumer has `page` dirty.
    fn is_dirty(&self, page: usize) -> bool {
        self.dirty.iter().flatten().any(|bits| bits[page / 64] & (1 << (page % 64)) != 0)
    }

    fn is_armed(&self, page: usize) -> bool {
        self.armed[page / 64].load(Ordering::Relaxed) & (1 << (page % 64)) != 0
    }

    fn set_armed(&self, page: usize, on: bool) {
        if on {
            self.armed[page / 64].fetch_or(1 << (page % 64), Ordering::Relaxed);
        } else {
            self.armed[page / 64].fetch_and(!(1 << (page % 64)), Ordering::Relaxed);
        }
    }

    fn armed_words(&self) -> Vec<u64> {
        self.armed.iter().map(|w| w.load(Ordering::Relaxed)).collect()
    }
}

fn set(bits: &mut [u64], page: usize) {
    bits[page / 64] |= 1 << (page % 64);
}

/// Runs `(first, count)` of the set bits of `bits`.
fn runs(bits: &[u64]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (w, &word) in bits.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let page = (w * 64 + bit) as u32;
            match out.last_mut() {
                Some((first, count)) if *first + *count == page => *count += 1,
                _ => out.push((page, 1)),
            }
        }
    }
    out
}

impl GuestMemory {
    /// Starts tracking writes for `who`: every writable page armed, none
    /// dirty for it.
    pub fn track_writes(&mut self, who: Tracker) {
        if self.tracks_writes(who) {
            return;
        }
        self.settle();
        self.tracking.get_or_insert_with(DirtyLog::new).dirty[who as usize] = Some(empty());
        // Pending pages (see [`super::lazy`]) are armed when verified.
        let writable: Vec<PermRun> = self.table_runs().into_iter().filter(|r| r.perm & PERM_W != 0).collect();
        for run in &writable {
            self.arm(run.first as usize, (run.first + run.count) as usize);
        }
    }

    /// True while `who` tracks writes.
    pub fn tracks_writes(&self, who: Tracker) -> bool {
        self.tracking.as_ref().is_some_and(|log| log.dirty[who as usize].is_some())
    }

    pub(super) fn is_tracking(&self) -> bool {
        self.tracking.is_some()
    }

    /// True when `page` is armed.
    pub(super) fn is_armed(&self, page: usize) -> bool {
        self.tracking.as_ref().is_some_and(|log| log.is_armed(page))
    }

    /// Arms a page just verified (its host protection is the caller's).
    pub(super) fn arm_shared(&self, page: usize) {
        if let Some(log) = self.tracking.as_ref() {
            log.set_armed(page, true);
        }
    }

    /// Stops `who`'s tracking; once nobody tracks, armed pages are
    /// writable again.
    pub fn stop_tracking(&mut self, who: Tracker) {
        if let Some(log) = self.tracking.as_mut() {
            log.dirty[who as usize] = None;
            if log.dirty.iter().any(Option::is_some) {
                return;
            }
        }
        self.stop_all_tracking();
    }

    /// Stops every tracking: armed pages writable again.
    pub fn stop_all_tracking(&mut self) {
        self.settle();
        let Some(log) = self.tracking.take() else { return };
        if self.sealed {
            for (first, count) in runs(&log.armed_words()) {
                let (first, end) = (first as usize, (first + count) as usize);
                self.protect_pages(first, end, self.host_access_now(first));
            }
        }
    }

    /// The pages written since `who`'s tracking began or its last call, as
    /// runs `(first page, count)` of pages readable now (a page unmapped
    /// since is not listed: its absence is the memory's layout's to say).
    /// They are armed again.
    pub fn take_dirty(&mut self, who: Tracker) -> Vec<(u32, u32)> {
        self.settle();
        let Some(log) = self.tracking.as_mut() else { return Vec::new() };
        let Some(bits) = log.dirty[who as usize].as_mut() else { return Vec::new() };
        let dirty = std::mem::replace(bits, empty());
        let mut out: Vec<(u32, u32)> = Vec::new();
        for (first, count) in runs(&dirty) {
            let (first, end) = (first as usize, (first + count) as usize);
            // Re-arm the writable ones, in runs of equal permission.
            let mut at = first;
            while at < end {
                let perm = self.perms[at];
                let stop = (at..end).find(|&p| self.perms[p] != perm).unwrap_or(end);
                if perm & PERM_W != 0 {
                    self.arm(at, stop);
                }
                if perm & PERM_R != 0 {
                    match out.last_mut() {
                        Some((f, c)) if (*f + *c) as usize == at => *c += (stop - at) as u32,
                        _ => out.push((at as u32, (stop - at) as u32)),
                    }
                }
                at = stop;
            }
        }
        out
    }

    /// Notes a write to pages `first .. end` (the table allowed it).
    ///
    /// A write that lands on an armed page just after a page already
    /// written (a guest filling memory in order) disarms the armed pages
    /// that follow too, up to [`WRITE_AHEAD`], and counts them written: a
    /// sequential writer then takes one fault per 64 KiB instead of one per
    /// page, at the price of sending again the few pages it may stop short
    /// of. Scattered writes disarm their own page only, and so does every
    /// write to a memory that is not sealed (no host fault to save).
    #[cold]
    pub(super) fn note_write(&mut self, first: usize, end: usize) {
        let sealed = self.sealed;
        let Some(log) = self.tracking.as_mut() else { return };
        let end = match end.checked_sub(1) {
            Some(last)
                if sealed
                    && first > 0
                    && log.is_armed(last)
                    && !log.is_armed(first - 1)
                    && log.is_dirty(first - 1) =>
            {
                (last + 1..(last + WRITE_AHEAD).min(PAGES))
                    .find(|&p| !log.is_armed(p))
                    .unwrap_or((last + WRITE_AHEAD).min(PAGES))
            }
            _ => end,
        };
        let mut disarmed: Option<(usize, usize)> = None;
        for page in first..end {
            log.mark_dirty(page);
            if log.is_armed(page) {
                log.set_armed(page, false);
                disarmed = Some(disarmed.map_or((page, page + 1), |(f, _)| (f, page + 1)));
            }
        }
        if let (Some((f, e)), true) = (disarmed, self.sealed) {
            self.protect_pages(f, e, self.host_access_now(f));
        }
    }

    /// Pages `first .. end` changed permission: dirty, and not armed (their
    /// host protection is what the permission says).
    pub(super) fn note_remap(&mut self, first: usize, end: usize) {
        if let Some(log) = self.tracking.as_mut() {
            for page in first..end {
                log.mark_dirty(page);
                log.set_armed(page, false);
            }
        }
    }

    /// Host protections of armed pages after the memory is sealed anew.
    pub(super) fn rearm_after_seal(&mut self) {
        let Some(log) = self.tracking.as_ref() else { return };
        for (first, count) in runs(&log.armed_words()) {
            self.protect_pages(first as usize, (first + count) as usize, HostAccess::Read);
        }
    }

    fn arm(&mut self, first: usize, end: usize) {
        let Some(log) = self.tracking.as_mut() else { return };
        for page in first..end {
            log.set_armed(page, true);
        }
        if self.sealed {
            self.protect_pages(first, end, HostAccess::Read);
        }
    }

    /// Sets the host protection of pages `first .. end`; if the host
    /// refuses, the memory is unsealed for good (the table alone speaks).
    pub(super) fn protect_pages(&mut self, first: usize, end: usize, access: HostAccess) {
        let (start, len) = (first << PAGE_SHIFT, (end - first) << PAGE_SHIFT);
        if self.space.protect(start, len, access).is_err() {
            self.unseal();
            self.seal_refused = true;
        }
    }
}
