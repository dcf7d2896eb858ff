//! Anonymous memory for Linux programs (`mmap2`, `munmap`, `mremap`,
//! `mprotect`, and a `brk` that gives memory back), in the same
//! reservation and permission table as everything else.
//!
//! Mappings are placed top-down below the stack, first fit, by scanning the
//! permission table: any mapped page between the heap's break and the
//! stack is anonymous (the heap never grows into one), so no second
//! bookkeeping structure can disagree with the table the engines read.
//! Anonymous memory counts against the VM's memory limit like the heap.

use super::{page_of, GuestMemory, PAGES, PAGE_SHIFT, PAGE_SIZE, PERM_R, PERM_W, STACK_TOP};

/// Why a mapping call fails, as the Linux errno it returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// `ENOMEM`: no room, or over the memory limit.
    NoMemory,
    /// `EINVAL`: a bad address, length or flag.
    Invalid,
    /// `EACCES`: a change the VM does not allow (the text's protection).
    Denied,
}

impl GuestMemory {
    /// First page above the heap (its break rounded up).
    fn heap_end_page(&self) -> usize {
        self.brk.div_ceil(PAGE_SIZE) as usize
    }

    /// True when pages `[first, end)` lie in the anonymous area (between
    /// the heap and the stack).
    fn in_anon_area(&self, first: usize, end: usize) -> bool {
        first >= self.heap_end_page() && end <= page_of(self.stack_low) && first < end
    }

    /// Zeroes pages `first .. end` by giving them back to the host (a
    /// write would fault on pages the guest may not write).
    fn discard_pages(&mut self, first: usize, end: usize) {
        let (start, len) = (first << PAGE_SHIFT, (end - first) << PAGE_SHIFT);
        if self.space.discard(start, len).is_err() {
            // Never expected; zero them by hand with the host's leave.
            self.unseal();
            self.space[start..start + len].fill(0);
        } else if self.sealed && self.space.is_file_backed() {
            // Mapped anew read-write: back to what the table says.
            for page in first..end {
                self.protect_pages(page, page + 1, self.host_access_now(page));
            }
        }
    }

    /// The memory limit and what is left of it (Linux `sysinfo`).
    pub fn limit_and_free(&self) -> (u64, u64) {
        (self.limit, self.limit.saturating_sub(self.used()))
    }

    fn used(&self) -> u64 {
        self.static_bytes
            + (STACK_TOP - self.stack_low) as u64
            + (self.brk - self.heap_start) as u64
            + self.anon_bytes
    }

    fn room_for(&self, bytes: u64) -> Result<(), MapError> {
        if self.used() + bytes > self.limit {
            return Err(MapError::NoMemory);
        }
        Ok(())
    }

    /// Maps `len` bytes of zeroed read-write memory; at `fixed` exactly (a
    /// page-aligned address in the anonymous area, replacing what is there)
    /// or wherever there is room. Returns the address.
    pub fn map_anonymous(&mut self, fixed: Option<u32>, len: u32, perm: u8) -> Result<u32, MapError> {
        if len == 0 {
            return Err(MapError::Invalid);
        }
        let pages = len.div_ceil(PAGE_SIZE) as usize;
        let first = match fixed {
            Some(addr) => {
                let first = page_of(addr);
                if addr % PAGE_SIZE != 0 || !self.in_anon_area(first, first + pages) {
                    return Err(MapError::Invalid);
                }
                self.unmap(addr, len)?;
                first
            }
            None => self.find_free(pages).ok_or(MapError::NoMemory)?,
        };
        self.room_for((pages as u64) * PAGE_SIZE as u64)?;
        self.set_perms(first, first + pages, perm);
        self.anon_bytes += (pages as u64) * PAGE_SIZE as u64;
        Ok((first as u32) << super::PAGE_SHIFT)
    }

    /// The highest run of `pages` free pages below the stack (one page
    /// left free under the stack as a guard) and above the heap.
    fn find_free(&self, pages: usize) -> Option<usize> {
        let low = self.heap_end_page();
        let mut end = page_of(self.stack_low).checked_sub(1)?;
        while end >= low + pages {
            match self.perms[end - pages..end].iter().rposition(|&p| p != 0) {
                None => return Some(end - pages),
                Some(taken) => end = end - pages + taken,
            }
        }
        None
    }

    /// Unmaps the anonymous pages in `[addr, addr + len)` (others are left
    /// alone, as a program cannot unmap its own image here); their
    /// contents are gone, as on Linux.
    pub fn unmap(&mut self, addr: u32, len: u32) -> Result<(), MapError> {
        if addr % PAGE_SIZE != 0 || len == 0 || addr as u64 + len as u64 > STACK_TOP as u64 {
            return Err(MapError::Invalid);
        }
        let first = page_of(addr).max(self.heap_end_page());
        let end = (page_of(addr) + len.div_ceil(PAGE_SIZE) as usize).min(page_of(self.stack_low));
        for page in first..end.max(first) {
            if self.perms[page] != 0 {
                self.set_perms(page, page + 1, 0);
                self.anon_bytes -= PAGE_SIZE as u64;
                self.discard_pages(page, page + 1);
            }
        }
        Ok(())
    }

    /// `mremap`: shrinks in place, grows in place when the pages after are
    /// free, else (with `may_move`) maps anew, copies and unmaps the old.
    pub fn remap(&mut self, addr: u32, old_len: u32, new_len: u32, may_move: bool) -> Result<u32, MapError> {
        let (first, old_pages) = (page_of(addr), old_len.div_ceil(PAGE_SIZE) as usize);
        let new_pages = new_len.div_ceil(PAGE_SIZE) as usize;
        if addr % PAGE_SIZE != 0
            || old_len == 0
            || new_len == 0
            || !self.in_anon_area(first, first + old_pages)
        {
            return Err(MapError::Invalid);
        }
        if self.perms[first..first + old_pages].contains(&0) {
            return Err(MapError::Invalid);
        }
        if new_pages <= old_pages {
            let keep = (new_pages as u32) * PAGE_SIZE;
            if new_pages < old_pages {
                self.unmap(addr + keep, (old_pages - new_pages) as u32 * PAGE_SIZE)?;
            }
            return Ok(addr);
        }
        let perm = super::lazy::real_perm(self.perms[first]);
        let grow = first + old_pages..first + new_pages;
        if self.in_anon_area(first, grow.end) && self.perms[grow.clone()].iter().all(|&p| p == 0) {
            self.room_for(((new_pages - old_pages) as u64) * PAGE_SIZE as u64)?;
            self.set_perms(grow.start, grow.end, perm);
            self.anon_bytes += ((new_pages - old_pages) as u64) * PAGE_SIZE as u64;
            return Ok(addr);
        }
        if !may_move {
            return Err(MapError::NoMemory);
        }
        // The host copies: both ends readable and writable for the copy
        // (the old pages go anyway), the new ones get the old permission
        // after it.
        // Pages restored from a snapshot and not verified yet are verified
        // before the host copies them (a corrupt one ends the VM: the
        // syscall sees it, see `take_corrupt`).
        self.verify_pages(first, first + old_pages).map_err(|_| MapError::Invalid)?;
        self.settle();
        let to = self.map_anonymous(None, new_len, PERM_R | PERM_W)?;
        self.set_perms(first, first + old_pages, PERM_R | PERM_W);
        let bytes = old_pages * PAGE_SIZE as usize;
        self.space.copy_within(addr as usize..addr as usize + bytes, to as usize);
        self.unmap(addr, old_len)?;
        if perm != PERM_R | PERM_W {
            self.set_perms(page_of(to), page_of(to) + new_pages, perm);
        }
        Ok(to)
    }

    /// `mprotect` on mapped data or anonymous pages: readable, writable or
    /// neither. The text stays as it is (its code is decoded once): a
    /// change there is refused (`EACCES` for the caller).
    pub fn protect(&mut self, addr: u32, len: u32, read: bool, write: bool) -> Result<(), MapError> {
        if addr % PAGE_SIZE != 0 || addr as u64 + len as u64 > STACK_TOP as u64 {
            return Err(MapError::Invalid);
        }
        let (text_start, text_end) = self.text;
        if (addr as u64) < text_end as u64 && addr as u64 + len as u64 > text_start as u64 {
            return Err(MapError::Denied);
        }
        let (first, end) = (page_of(addr), page_of(addr) + len.div_ceil(PAGE_SIZE) as usize);
        if end > PAGES || self.perms[first..end].contains(&0) {
            return Err(MapError::NoMemory);
        }
        let perm = if write {
            PERM_R | PERM_W
        } else if read {
            PERM_R
        } else {
            0
        };
        // A page without access keeps a marker so it stays "mapped": no
        // permission bit the engines test, but not free either.
        self.set_perms(first, end, if perm == 0 { PROT_NONE } else { perm });
        Ok(())
    }

    /// Linux `brk`: like [`GuestMemory::set_brk`], but a shrinking break
    /// gives the pages above it back (zeroed when they come again).
    pub fn set_brk_linux(&mut self, new: u32) -> Result<(), crate::vm::Fault> {
        let old_end = self.heap_end_page();
        if new < self.brk && new >= self.heap_start {
            let keep = new.div_ceil(PAGE_SIZE) as usize;
            if keep < old_end {
                self.set_perms(keep, old_end, 0);
                self.discard_pages(keep, old_end);
            }
            // The rest of the break's own page keeps its bytes, as on Linux.
            self.brk = new;
            return Ok(());
        }
        self.set_brk(new)
    }
}

/// The table entry of a page mapped without access (`PROT_NONE`): neither
/// `PERM_R` nor `PERM_W`, so every access faults, yet not 0 (free).
pub const PROT_NONE: u8 = 4;
