//! Guest memory: one 4 GiB reservation per VM, committed lazily by the host,
//! plus a one-byte-per-page permission table.
//!
//! Every guest access is `base + address`. The interpreter (and every
//! syscall) checks the table first (`perms[address >> 12]`); translated
//! code does not: once the memory is *sealed* ([`GuestMemory::seal`]) the
//! host's page protections say the same as the table, so the host faults
//! where the guest would, and the JIT's fault handler hands the access to
//! the interpreter. A guest can never touch host memory outside its own
//! reservation: the reservation covers the whole 32-bit space, and a guard
//! after it (see [`super::space`]) turns any overrun into a host fault.
//!
//! Layout (MARS 4.5): text from 0x00400000 (read-only); the whole data
//! segment from 0x10000000 (`.extern`/small data, the `$gp` region,
//! `.data`/`.bss` from 0x10010000) mapped read-write up to the heap, which
//! starts at 0x10040000 or at the first page after static data if that lies
//! higher, and grows by `sbrk`/`brk`; a stack below 0x80000000. Everything
//! else is unmapped. A VM restored from a snapshot of the first memory
//! layout ([`DataMap::Static`]: only static data's pages mapped, heap right
//! after them) keeps that layout.

use super::fault::Fault;
use super::space::{AddressSpace, HostAccess, Prefault, SPACE};
use crate::program::{Program, HEAP_BASE, PAGE_SIZE, SMALL_DATA_BASE};
pub use park::{
    host_address_space, host_max_map_count, resident_limit, resident_memories, RESIDENT_SPACE, SPARE_SPACE,
};
use std::sync::atomic::Ordering;

/// Page may be read.
pub const PERM_R: u8 = 1;
/// Page may be written.
pub const PERM_W: u8 = 2;
pub use crate::layout::{DEFAULT_LIMIT, PAGE_SHIFT, STACK_MAX, STACK_TOP};

const PAGES: usize = SPACE >> PAGE_SHIFT;
/// Pages per bit of [`GuestMemory::touched`].
const TABLE_STRETCH: usize = 4096;
const TABLE_STRETCHES: usize = PAGES / TABLE_STRETCH;

/// A VM's guest memory.
pub struct GuestMemory {
    space: AddressSpace,
    perms: Vec<u8>,
    /// Which 4 KiB stretches of `perms` (`TABLE_STRETCH` pages each) have
    /// ever held a permission: [`GuestMemory::perm_runs`] reads only those,
    /// not the whole 1 MiB table.
    touched: [u64; TABLE_STRETCHES / 64],
    heap_start: u32,
    brk: u32,
    stack_low: u32,
    limit: u64,
    static_bytes: u64,
    data_map: DataMap,
    /// Bytes of anonymous memory (Linux `mmap`) mapped now.
    anon_bytes: u64,
    /// The host's page protections match the permission table (see
    /// [`GuestMemory::seal`]): generated code may access guest memory
    /// without checking the table, the host faulting where the guest would.
    sealed: bool,
    /// The host refused to seal (or would need too many mappings): the
    /// memory stays unsealed, its VM interpreted.
    seal_refused: bool,
    /// The text, `[start, end)`: its protection never changes.
    text: (u32, u32),
    /// The host could not keep this memory's protections (see
    /// [`GuestMemory::unseal`]): every access fails.
    lost: bool,
    /// The pages and permissions of a parked memory (see [`park`]); `space`
    /// and `perms` are empty meanwhile.
    parked: Option<Box<park::Parked>>,
    /// Dirty-page tracking, while a pre-copy migration runs (see [`dirty`]).
    tracking: Option<Box<dirty::DirtyLog>>,
    /// Pages restored copy-on-write and not verified yet (see [`lazy`]).
    lazy: Option<Box<lazy::Lazy>>,
}

/// Permission runs beyond which a memory is not sealed: each run is a host
/// mapping, and the process's mappings are few (`vm.max_map_count`) and
/// shared by every VM.
const MAX_SEALED_RUNS: usize = 4096;

/// Memories sealed in this process now, and memories resident (holding a
/// reservation; parked ones do not).
static SEALED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many memories may be sealed at once: every memory holds a few host
/// mappings, a sealed one about a dozen more (and its JIT's code buffer two
/// more); what the process's `vm.max_map_count` leaves after every live
/// memory's share and a reserve for everything else, a sealed memory at a
/// time. Beyond it, VMs run interpreted rather than exhaust the mappings
/// every VM shares.
fn sealed_budget() -> usize {
    static MAX: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let max = *MAX.get_or_init(|| host_max_map_count() as usize);
    let live = LIVE.load(Ordering::Acquire) * park::MAPPINGS_PER_RESIDENT;
    max.saturating_sub(live).saturating_sub(max / 4) / 14
}

/// The host protection that matches a guest page permission.
fn host_access(perm: u8) -> HostAccess {
    if perm & PERM_W != 0 {
        HostAccess::ReadWrite
    } else if perm & PERM_R != 0 {
        HostAccess::Read
    } else {
        HostAccess::None
    }
}

/// How the data segment below the heap is mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DataMap {
    /// The first layout (snapshot memory component version 1): only the
    /// pages of static data are mapped, and the heap starts on the first
    /// page after them.
    Static,
    /// MARS 4.5's (version 2): everything from 0x10000000 up to the heap is
    /// mapped read-write, and the heap starts at 0x10040000 or after static
    /// data, whichever is higher.
    #[default]
    Segment,
}

impl DataMap {
    /// Where the heap of `program` starts under this map.
    pub fn heap_start(self, program: &Program) -> u32 {
        match self {
            DataMap::Static => program.heap_start,
            DataMap::Segment => program.heap_start.max(HEAP_BASE),
        }
    }

    /// Bytes of static memory counted against the limit: the program's
    /// static data, and with [`DataMap::Segment`] the whole data segment
    /// below the heap.
    pub fn static_bytes(self, program: &Program) -> u64 {
        let data: u64 = program.data.iter().map(|d| d.bytes.len() as u64).sum();
        match self {
            DataMap::Static => data,
            DataMap::Segment => {
                let (low, high) = (SMALL_DATA_BASE as u64, self.heap_start(program) as u64);
                let outside: u64 = program
                    .data
                    .iter()
                    .map(|d| {
                        let (a, b) = (d.base as u64, d.base as u64 + d.bytes.len() as u64);
                        (b - a) - b.min(high).saturating_sub(a.max(low))
                    })
                    .sum();
                high - low + outside
            }
        }
    }

    /// The read-write region `[start, end)` of the data segment this map
    /// adds to the program's static data, if any.
    fn segment(self, program: &Program) -> Option<(u32, u32)> {
        match self {
            DataMap::Static => None,
            DataMap::Segment => Some((SMALL_DATA_BASE, self.heap_start(program))),
        }
    }
}

/// Why guest memory could not be created.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// A Linux program's arguments and environment do not fit its stack.
    #[error("the program's arguments and environment do not fit its stack (raise its memory limit)")]
    Arguments,
    /// The host refused the 4 GiB reservation.
    #[error("cannot reserve 4 GiB of address space for the guest: {0}")]
    Reserve(#[from] std::io::Error),
    /// The program's static data does not fit the limit.
    #[error("the program needs {needed} KiB of memory, more than the VM's limit of {limit} KiB")]
    TooLarge {
        /// KiB needed.
        needed: u64,
        /// KiB allowed.
        limit: u64,
    },
}

/// The numbers that describe a VM's memory besides its pages (for snapshots).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoryLayout {
    /// First heap address.
    pub heap_start: u32,
    /// Current break.
    pub brk: u32,
    /// Lowest stack address.
    pub stack_low: u32,
    /// The memory limit in bytes.
    pub limit: u64,
    /// Bytes of static data (counted against the limit).
    pub static_bytes: u64,
    /// How the data segment is mapped.
    pub data_map: DataMap,
    /// Bytes of anonymous memory (Linux programs' `mmap`).
    pub anon_bytes: u64,
}

/// Pages `first .. first + count` have permission `perm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PermRun {
    /// First page number.
    pub first: u32,
    /// Number of pages.
    pub count: u32,
    /// `PERM_R`, `PERM_W` bits.
    pub perm: u8,
}

/// True when every byte is zero (any length).
/// True when every byte of `bytes` is zero.
pub fn all_zero(bytes: &[u8]) -> bool {
    let (words, tail) = bytes.split_at(bytes.len() / 8 * 8);
    is_zero(words) && tail.iter().all(|&b| b == 0)
}

fn is_zero(page: &[u8]) -> bool {
    // Word-wide OR: the compiler vectorises it, and there is no early exit to
    // stop it (a page of data is usually not zero anyway).
    page.chunks_exact(8).fold(0u64, |acc, c| acc | u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))) == 0
}

/// A VM's 4 GiB address space, reserved before its contents arrive, so
/// the host can fault pages in while they are on their way (migration).
pub struct Reservation {
    space: AddressSpace,
    perms: Vec<u8>,
    /// The pages mapped in it (a memory given back by
    /// [`GuestMemory::into_reservation`]): a restore into it keeps the
    /// contents of those its layout maps too and clears the others.
    previous: Vec<PermRun>,
}

impl Reservation {
    /// Reserves a guest address space (nothing is committed yet).
    pub fn new() -> Result<Reservation, RestoreError> {
        let (space, perms) = park::clean_space()?;
        Ok(Reservation { space, perms, previous: Vec::new() })
    }
}

/// Why memory cannot be rebuilt from a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The host refused the reservation.
    #[error("cannot reserve 4 GiB of address space for the guest: {0}")]
    Reserve(#[from] std::io::Error),
    /// The snapshot's memory description does not add up.
    #[error("inconsistent {0}")]
    Inconsistent(String),
}

fn page_of(addr: u32) -> usize {
    (addr >> PAGE_SHIFT) as usize
}

/// Sorted, overlapping or touching intervals joined.
fn merged(mut regions: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    regions.retain(|r| r.0 < r.1);
    regions.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(regions.len());
    for r in regions {
        match out.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => out.push(r),
        }
    }
    out
}

/// Whether `[first, end)` lies inside one of `merged` intervals.
fn covers(merged: &[(u64, u64)], first: u64, end: u64) -> bool {
    let i = merged.partition_point(|r| r.1 <= first);
    merged.get(i).is_some_and(|&(a, b)| a <= first && end <= b)
}

/// Checks a snapshot's memory description against its program and limit
/// (see [`GuestMemory::restore_into`]).
fn check_layout(program: &Program, layout: &MemoryLayout, perms: &[PermRun]) -> Result<(), RestoreError> {
    let bad = |what: String| Err(RestoreError::Inconsistent(what));
    let page = PAGE_SIZE as u64;
    let static_bytes = layout.data_map.static_bytes(program);
    let sane = layout.heap_start <= layout.brk
        && layout.brk <= layout.stack_low
        && layout.stack_low < STACK_TOP
        && layout.stack_low % PAGE_SIZE == 0
        && layout.heap_start == layout.data_map.heap_start(program);
    if !sane {
        return bad("memory layout (heap, break and stack out of order or not the program's)".into());
    }
    if layout.static_bytes != static_bytes {
        return bad(format!(
            "memory layout ({} bytes of static data, the program has {static_bytes})",
            layout.static_bytes
        ));
    }
    let stack = (STACK_TOP - layout.stack_low) as u64;
    let linux = program.linux.is_some();
    if !linux && layout.anon_bytes != 0 {
        return bad("memory layout (anonymous memory in a program without Linux calls)".into());
    }
    let used = static_bytes + stack + (layout.brk - layout.heap_start) as u64 + layout.anon_bytes;
    if layout.limit > SPACE as u64 || used > layout.limit {
        return bad(format!(
            "memory layout: {} KiB in use, over the memory limit of {} KiB",
            used / 1024,
            layout.limit / 1024
        ));
    }
    // Read-write regions (pages, half-open), and the read-only text.
    let pages_of = |start: u64, len: u64| (start / page, (start + len).div_ceil(page));
    let heap_room = layout.limit - static_bytes - stack - layout.anon_bytes;
    let heap_end = (layout.heap_start as u64 + heap_room).min(layout.stack_low as u64);
    let mut writable: Vec<(u64, u64)> = program
        .data
        .iter()
        .filter(|d| d.writable)
        .map(|d| pages_of(d.base as u64, d.bytes.len() as u64))
        .collect();
    if let Some((start, end)) = layout.data_map.segment(program) {
        writable.push(pages_of(start as u64, (end - start) as u64));
    }
    writable.push(pages_of(layout.heap_start as u64, heap_end - layout.heap_start as u64));
    writable.push(pages_of(layout.stack_low as u64, stack));
    // A Linux program's anonymous memory: anywhere between the break and
    // the stack, as much as the layout says.
    let anon_area = (layout.brk.div_ceil(PAGE_SIZE) as u64, (layout.stack_low / PAGE_SIZE) as u64);
    if linux {
        writable.push(anon_area);
    }
    let mut anon_pages = 0u64;
    let text = pages_of(program.text_base as u64, 4 * program.text.len() as u64);
    let mut readable = writable.clone();
    readable.push(text);
    readable.extend(
        program.data.iter().filter(|d| !d.writable).map(|d| pages_of(d.base as u64, d.bytes.len() as u64)),
    );
    let (writable, readable) = (merged(writable), merged(readable));
    for run in perms {
        let (first, end) = (run.first as u64, run.first as u64 + run.count as u64);
        // Writable implies readable in every live VM: a write-only page
        // could only come from a forged file (and would meet checks that
        // test one permission bit for a group of loads and stores).
        let prot_none = linux && run.perm == anon::PROT_NONE;
        if end > PAGES as u64 || (run.perm & !(PERM_R | PERM_W) != 0 && !prot_none) || run.perm == PERM_W {
            return bad(format!("page permissions at page {:#x}", run.first));
        }
        if linux && run.perm != 0 {
            anon_pages += end.min(anon_area.1).saturating_sub(first.max(anon_area.0));
        }
        let regions = if run.perm & PERM_W != 0 { &writable } else { &readable };
        if run.perm != 0 && !covers(regions, first, end) {
            return bad(format!(
                "page permissions: {:#010x}..{:#010x} {} outside what the program and its memory limit allow",
                first * page,
                end * page,
                if run.perm & PERM_W != 0 { "writable" } else { "mapped" }
            ));
        }
    }
    if anon_pages * page != layout.anon_bytes {
        return bad(format!(
            "memory layout ({} KiB of anonymous memory, {} KiB mapped)",
            layout.anon_bytes / 1024,
            anon_pages * page / 1024
        ));
    }
    Ok(())
}

impl GuestMemory {
    /// Maps a program: text read-only, static data read-write, heap empty,
    /// and a stack sized to the limit (at most `STACK_MAX`).
    pub fn new(program: &Program, limit: u64) -> Result<GuestMemory, MemoryError> {
        GuestMemory::with_map(program, limit, DataMap::default())
    }

    /// [`GuestMemory::new`] with a given map of the data segment.
    pub fn with_map(program: &Program, limit: u64, data_map: DataMap) -> Result<GuestMemory, MemoryError> {
        let (space, perms) = park::clean_space()?;
        let stack = (limit / 4).min(STACK_MAX as u64) as u32 & !(PAGE_SIZE - 1);
        let stack = stack.max(PAGE_SIZE);
        let static_bytes = data_map.static_bytes(program);
        if static_bytes + stack as u64 > limit {
            return Err(MemoryError::TooLarge {
                needed: (static_bytes + stack as u64) / 1024,
                limit: limit / 1024,
            });
        }
        let mut mem = GuestMemory {
            space,
            perms,
            touched: [0; TABLE_STRETCHES / 64],
            heap_start: data_map.heap_start(program),
            brk: data_map.heap_start(program),
            stack_low: STACK_TOP - stack,
            limit,
            static_bytes,
            data_map,
            anon_bytes: 0,
            sealed: false,
            seal_refused: false,
            text: (program.text_base, program.text_end()),
            lost: false,
            parked: None,
            tracking: None,
            lazy: None,
        };
        LIVE.fetch_add(1, Ordering::AcqRel);
        if let Some((start, end)) = data_map.segment(program) {
            mem.map(start, end - start, PERM_R | PERM_W);
        }
        let text: Vec<u8> = program.text.iter().flat_map(|w| w.to_le_bytes()).collect();
        mem.map(program.text_base, text.len() as u32, PERM_R);
        mem.space[program.text_base as usize..][..text.len()].copy_from_slice(&text);
        for segment in &program.data {
            let perm = if segment.writable { PERM_R | PERM_W } else { PERM_R };
            mem.map(segment.base, segment.bytes.len() as u32, perm);
            // The reservation starts zeroed: copying `.bss`'s zeros would
            // only commit host pages for nothing.
            let target = &mut mem.space[segment.base as usize..][..segment.bytes.len()];
            for (to, from) in
                target.chunks_mut(PAGE_SIZE as usize).zip(segment.bytes.chunks(PAGE_SIZE as usize))
            {
                if !all_zero(from) {
                    to.copy_from_slice(from);
                }
            }
        }
        mem.map(mem.stack_low, stack, PERM_R | PERM_W);
        Ok(mem)
    }

    /// Sets the permissions of every page overlapping `[addr, addr + len)`.
    fn map(&mut self, addr: u32, len: u32, perm: u8) {
        if len == 0 {
            return;
        }
        let last = addr as u64 + len as u64 - 1;
        self.set_perms(page_of(addr), (last >> PAGE_SHIFT) as usize + 1, perm);
    }

    /// Sets the permission of pages `first .. end`, and their host
    /// protection when the memory is sealed (should the host refuse, the
    /// memory is no longer sealed: generated code then checks the table).
    fn set_perms(&mut self, first: usize, end: usize, perm: u8) {
        if self.tracking.is_some() {
            self.note_remap(first, end);
        }
        let still_pending = self.keep_pending(first, end, perm);
        if self.lazy.is_none() {
            self.perms[first..end].fill(perm);
        }
        self.touch(first, end);
        if self.sealed {
            let (start, len) = (first << PAGE_SHIFT, (end - first) << PAGE_SHIFT);
            if self.space.protect(start, len, host_access(perm)).is_err() {
                // Every page accessible again (one host mapping), and never
                // sealed again: the table alone speaks, to the interpreter.
                self.unseal();
                self.seal_refused = true;
            }
            if still_pending {
                for page in first..end {
                    if self.perms[page] & lazy::PENDING != 0 {
                        self.protect_pages(page, page + 1, HostAccess::None);
                    }
                }
            }
        }
    }

    /// Notes that pages `first .. end` may hold permissions.
    fn touch(&mut self, first: usize, end: usize) {
        if first < end {
            for stretch in first / TABLE_STRETCH..=(end - 1) / TABLE_STRETCH {
                self.touched[stretch / 64] |= 1 << (stretch % 64);
            }
        }
    }

    /// Makes the host's page protections match the permission table: what
    /// the guest may not read is inaccessible, what it may not write is
    /// read-only. Until then (while a memory is built or restored, its
    /// read-only pages filled, and for as long as only the interpreter runs
    /// it) the host lets everything through and the memory takes a handful
    /// of host mappings; the JIT seals it before translated code first
    /// runs. True when sealed; false when the host refused (too many
    /// mappings, say).
    pub fn seal(&mut self) -> bool {
        if self.lazy.is_some() {
            self.settle();
        }
        if self.sealed || self.seal_refused {
            return self.sealed;
        }
        let runs = self.table_runs();
        self.seal_refused = true;
        if runs.len() > MAX_SEALED_RUNS {
            return false;
        }
        if SEALED.fetch_add(1, Ordering::AcqRel) >= sealed_budget() {
            SEALED.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        if self.space.protect(0, SPACE, HostAccess::None).is_err() {
            SEALED.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        for run in runs {
            let (start, len) = ((run.first as usize) << PAGE_SHIFT, (run.count as usize) << PAGE_SHIFT);
            if self.space.protect(start, len, host_access(run.perm)).is_err() {
                // Back to the state everything works in, for good.
                self.sealed = true;
                self.unseal();
                return false;
            }
        }
        self.seal_refused = false;
        self.sealed = true;
        self.rearm_after_seal();
        self.sealed
    }

    /// True while the host's protections match the permission table.
    pub fn is_sealed(&self) -> bool {
        self.sealed
    }

    /// Lets the host allow every access again (to fill read-only pages).
    /// One `mprotect` over the whole space, which only merges mappings. If
    /// even that is refused (the process is out of mappings), host
    /// protections no longer match the table: the memory is *lost* — every
    /// page unmapped in the table, so nothing touches a page the host might
    /// fault on, and the VM's next access ends it with a fault that says why.
    fn unseal(&mut self) {
        if self.sealed {
            SEALED.fetch_sub(1, Ordering::AcqRel);
            if self.space.protect(0, SPACE, HostAccess::ReadWrite).is_err() {
                self.perms.fill(0);
                self.lost = true;
                self.seal_refused = true;
            }
            self.sealed = false;
        }
    }

    /// The fault for an access the table refuses: the guest's own, or the
    /// host's loss of this memory (see [`GuestMemory::unseal`]).
    #[cold]
    fn refused(&self, fault: Fault) -> Fault {
        if self.lost {
            Fault::Unsupported("the host ran out of memory mappings and this VM's memory was lost".into())
        } else {
            fault
        }
    }

    /// Host address of guest address 0 (for the JIT's fast path).
    pub fn base_ptr(&mut self) -> *mut u8 {
        self.space.as_mut_ptr()
    }

    /// Permission byte of the page holding `addr`.
    pub fn perm(&self, addr: u32) -> u8 {
        lazy::real_perm(self.perms[page_of(addr)])
    }

    #[inline(always)]
    fn check_read(&self, addr: u32, align: u32) -> Result<(), Fault> {
        if addr & (align - 1) != 0 {
            return Err(Fault::AddressErrorLoad(addr));
        }
        if self.perms[page_of(addr)] & PERM_R == 0 {
            return self.read_refused(addr);
        }
        Ok(())
    }

    /// A load the table refuses: a pending page's first touch (see
    /// [`lazy`]), or the guest's fault.
    #[cold]
    #[inline(never)]
    fn read_refused(&self, addr: u32) -> Result<(), Fault> {
        let entry = self.perms[page_of(addr)];
        if entry & lazy::PENDING != 0 && lazy::real_perm(entry) & PERM_R != 0 {
            return self.admit(page_of(addr));
        }
        Err(self.refused(Fault::Unmapped { addr, write: false }))
    }

    #[inline(always)]
    fn check_write(&self, addr: u32, align: u32) -> Result<(), Fault> {
        if addr & (align - 1) != 0 {
            return Err(Fault::AddressErrorStore(addr));
        }
        match self.perms[page_of(addr)] {
            p if p & PERM_W != 0 => Ok(()),
            0 => Err(self.refused(Fault::Unmapped { addr, write: true })),
            p if p & lazy::PENDING != 0 && lazy::real_perm(p) & PERM_W != 0 => self.admit(page_of(addr)),
            _ => Err(Fault::ReadOnly(addr)),
        }
    }

    /// Loads a byte.
    #[inline(always)]
    pub fn load8(&self, addr: u32) -> Result<u8, Fault> {
        self.check_read(addr, 1)?;
        Ok(self.space[addr as usize])
    }

    /// Loads an aligned little-endian half-word.
    #[inline(always)]
    pub fn load16(&self, addr: u32) -> Result<u16, Fault> {
        self.check_read(addr, 2)?;
        let a = addr as usize;
        Ok(u16::from_le_bytes([self.space[a], self.space[a + 1]]))
    }

    /// Loads an aligned little-endian word.
    #[inline(always)]
    pub fn load32(&self, addr: u32) -> Result<u32, Fault> {
        self.check_read(addr, 4)?;
        let a = addr as usize;
        let bytes: [u8; 4] = self.space[a..a + 4].try_into().unwrap_or([0; 4]);
        Ok(u32::from_le_bytes(bytes))
    }

    /// Stores a byte.
    #[inline(always)]
    pub fn store8(&mut self, addr: u32, v: u8) -> Result<(), Fault> {
        self.check_write(addr, 1)?;
        if self.tracking.is_some() {
            self.note_write(page_of(addr), page_of(addr) + 1);
        }
        self.space[addr as usize] = v;
        Ok(())
    }

    /// Stores an aligned little-endian half-word.
    #[inline(always)]
    pub fn store16(&mut self, addr: u32, v: u16) -> Result<(), Fault> {
        self.check_write(addr, 2)?;
        if self.tracking.is_some() {
            self.note_write(page_of(addr), page_of(addr) + 1);
        }
        self.space[addr as usize..addr as usize + 2].copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    /// Stores an aligned little-endian word.
    #[inline(always)]
    pub fn store32(&mut self, addr: u32, v: u32) -> Result<(), Fault> {
        self.check_write(addr, 4)?;
        if self.tracking.is_some() {
            self.note_write(page_of(addr), page_of(addr) + 1);
        }
        self.space[addr as usize..addr as usize + 4].copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    /// `len` bytes of guest memory in place (for syscalls), every page
    /// checked readable: what a guest hands the host is never copied whole.
    pub fn bytes(&self, addr: u32, len: u32) -> Result<&[u8], Fault> {
        self.check_range(addr, len, PERM_R, false)?;
        Ok(&self.space[addr as usize..addr as usize + len as usize])
    }

    /// The length of the NUL-terminated string at `addr`, at most `max`
    /// (a string with no NUL in `max` bytes is cut there). Scans page by
    /// page, allocating nothing; faults on an unreadable byte before it.
    pub fn cstr_len(&self, addr: u32, max: u32) -> Result<u32, Fault> {
        let mut len = 0u32;
        while len < max {
            let at = addr.wrapping_add(len);
            self.check_read(at, 1)?;
            let page_end = ((at as u64 >> PAGE_SHIFT) + 1) << PAGE_SHIFT;
            let span = (page_end - at as u64).min((max - len) as u64) as usize;
            let bytes = &self.space[at as usize..at as usize + span];
            match bytes.iter().position(|&b| b == 0) {
                Some(nul) => return Ok(len + nul as u32),
                None => len += span as u32,
            }
        }
        Ok(max)
    }

    /// Reads `len` bytes into a new vector (for tests and tools; syscalls
    /// use [`GuestMemory::bytes`]).
    pub fn read_bytes(&self, addr: u32, len: u32) -> Result<Vec<u8>, Fault> {
        Ok(self.bytes(addr, len)?.to_vec())
    }

    /// Reads a NUL-terminated string of at most `max` bytes (without the NUL).
    pub fn read_cstr(&self, addr: u32, max: u32) -> Result<Vec<u8>, Fault> {
        let len = self.cstr_len(addr, max)?;
        Ok(self.bytes(addr, len)?.to_vec())
    }

    /// Bytes of this VM's guest pages the host holds in memory now (its
    /// resident share: pages never touched, or given back, cost nothing;
    /// for a parked memory, the bytes of the pages it keeps).
    pub fn resident_bytes(&self) -> u64 {
        if let Some(bytes) = self.parked_bytes() {
            return bytes;
        }
        let mut resident = 0u64;
        let mut flags: Vec<u8> = Vec::new();
        for run in self.perm_runs() {
            flags.clear();
            flags.resize(run.count as usize, 0);
            let start = (run.first as usize) << PAGE_SHIFT;
            // SAFETY: mincore only reads the page tables of a range inside
            // this VM's reservation (page-aligned, `count` pages, which the
            // permission table says are mapped) and writes one byte per
            // page into `flags`, sized for them.
            let rc = unsafe {
                libc::mincore(
                    self.space.as_ptr().add(start) as *mut libc::c_void,
                    (run.count as usize) << PAGE_SHIFT,
                    flags.as_mut_ptr(),
                )
            };
            if rc == 0 {
                resident += flags.iter().filter(|&&f| f & 1 != 0).count() as u64 * PAGE_SIZE as u64;
            }
        }
        resident
    }

    /// True when the guest may write every byte of `[addr, addr + len)`.
    pub fn is_writable(&self, addr: u32, len: u32) -> bool {
        self.check_range(addr, len, PERM_W, true).is_ok()
    }

    /// Writes bytes (for syscalls), checking every page.
    pub fn write_bytes(&mut self, addr: u32, bytes: &[u8]) -> Result<(), Fault> {
        self.check_range(addr, bytes.len() as u32, PERM_W, true)?;
        if self.tracking.is_some() && !bytes.is_empty() {
            self.note_write(page_of(addr), page_of(addr + (bytes.len() as u32 - 1)) + 1);
        }
        self.space[addr as usize..addr as usize + bytes.len()].copy_from_slice(bytes);
        Ok(())
    }

    fn check_range(&self, addr: u32, len: u32, need: u8, write: bool) -> Result<(), Fault> {
        if len == 0 {
            return Ok(());
        }
        let end = addr as u64 + len as u64;
        if end > SPACE as u64 {
            return Err(Fault::Unmapped { addr: u32::MAX, write });
        }
        for page in page_of(addr)..=((end - 1) >> PAGE_SHIFT) as usize {
            let perm = self.perms[page];
            if perm & lazy::PENDING != 0 && lazy::real_perm(perm) & need != 0 {
                self.admit(page)?;
                continue;
            }
            if perm & need == 0 {
                let at = ((page as u64) << PAGE_SHIFT).max(addr as u64) as u32;
                return Err(self.refused(if write && perm != 0 {
                    Fault::ReadOnly(at)
                } else {
                    Fault::Unmapped { addr: at, write }
                }));
            }
        }
        Ok(())
    }

    /// Layout numbers (for snapshots).
    pub fn layout(&self) -> MemoryLayout {
        MemoryLayout {
            heap_start: self.heap_start,
            brk: self.brk,
            stack_low: self.stack_low,
            limit: self.limit,
            static_bytes: self.static_bytes,
            data_map: self.data_map,
            anon_bytes: self.anon_bytes,
        }
    }

    /// The permission table as runs of equal, non-zero permissions (pages
    /// still pending, see `lazy`, with the permission they will have).
    pub fn perm_runs(&self) -> Vec<PermRun> {
        let runs = self.table_runs();
        if self.lazy.is_none() {
            return runs;
        }
        let mut out: Vec<PermRun> = Vec::with_capacity(runs.len());
        for run in runs {
            let perm = lazy::real_perm(run.perm);
            match out.last_mut() {
                Some(r) if r.perm == perm && r.first + r.count == run.first => r.count += run.count,
                _ => out.push(PermRun { perm, ..run }),
            }
        }
        out
    }

    /// The table's entries as runs of equal, non-zero entries (pending
    /// pages as such).
    fn table_runs(&self) -> Vec<PermRun> {
        if let Some(runs) = self.parked_runs() {
            return runs;
        }
        let mut runs: Vec<PermRun> = Vec::new();
        let stretches = (0..TABLE_STRETCHES).filter(|&s| self.touched[s / 64] & (1 << (s % 64)) != 0);
        for stretch in stretches {
            let table = &self.perms[stretch * TABLE_STRETCH..(stretch + 1) * TABLE_STRETCH];
            // Most of a stretch is zero too: skip it eight entries at a time.
            for (chunk_index, chunk) in table.chunks_exact(8).enumerate() {
                if u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) == 0 {
                    continue;
                }
                for (i, &perm) in chunk.iter().enumerate() {
                    let page = stretch * TABLE_STRETCH + chunk_index * 8 + i;
                    if perm == 0 {
                        continue;
                    }
                    match runs.last_mut() {
                        Some(r) if r.perm == perm && (r.first + r.count) as usize == page => r.count += 1,
                        _ => runs.push(PermRun { first: page as u32, count: 1, perm }),
                    }
                }
            }
        }
        runs
    }

    /// Pages `first .. first + count` in place, if all may be read.
    pub fn readable_pages(&self, first: u32, count: u32) -> Option<&[u8]> {
        let end = (first as usize).checked_add(count as usize)?;
        if end > PAGES
            || self.parked.is_some()
            || self.perms[first as usize..end].iter().any(|&p| p & PERM_R == 0)
        {
            return None;
        }
        Some(&self.space[(first as usize) << PAGE_SHIFT..end << PAGE_SHIFT])
    }

    /// Runs `(first page, count)` of readable pages that may hold data:
    /// those the host holds, in memory or swapped out, found without
    /// reading a byte (the kernel's page map answers, see
    /// `AddressSpace::resident`); every other page reads as zero. Some
    /// may be zero all the same. A memory restored copy-on-write, or one
    /// the host will not answer for, gives its [`GuestMemory::data_runs`].
    pub fn resident_runs(&self) -> Vec<(u32, u32)> {
        let from_data =
            || self.data_runs().iter().map(|(first, b)| (*first, (b.len() >> PAGE_SHIFT) as u32)).collect();
        if self.lazy.is_some() || self.parked.is_some() {
            return from_data();
        }
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for run in self.perm_runs().into_iter().filter(|r| r.perm & PERM_R != 0) {
            let Ok(resident) =
                self.space.resident((run.first as usize) << PAGE_SHIFT, (run.count as usize) << PAGE_SHIFT)
            else {
                return from_data();
            };
            for (page, _) in (run.first..).zip(resident).filter(|&(_, backed)| backed) {
                match runs.last_mut() {
                    Some((first, n)) if *first + *n == page => *n += 1,
                    _ => runs.push((page, 1)),
                }
            }
        }
        runs
    }

    /// Runs of consecutive mapped pages that are not all zero, with their
    /// bytes (borrowed: nothing is copied).
    pub fn data_runs(&self) -> Vec<(u32, &[u8])> {
        if self.lazy.is_some() {
            return self.export_runs(None).into_iter().map(|r| (r.first, r.bytes)).collect();
        }
        if let Some(runs) = self.parked_data_runs() {
            return runs;
        }
        let size = PAGE_SIZE as usize;
        let mut runs: Vec<(u32, usize)> = Vec::new();
        // Pages a program made inaccessible (Linux `mprotect(PROT_NONE)`)
        // are not read: the host would fault. Their bytes are not kept.
        for run in self.perm_runs().into_iter().filter(|r| r.perm & PERM_R != 0) {
            for page in run.first..run.first + run.count {
                let start = page as usize * size;
                if is_zero(&self.space[start..start + size]) {
                    continue;
                }
                match runs.last_mut() {
                    Some((first, n)) if *first as usize + *n == page as usize => *n += 1,
                    _ => runs.push((page, 1)),
                }
            }
        }
        runs.into_iter()
            .map(|(first, n)| {
                let start = first as usize * size;
                (first, &self.space[start..start + n * size])
            })
            .collect()
    }

    /// Rebuilds memory from a snapshot: the layout, the permission runs and
    /// the pages that hold data (every other page reads as zero). Costs grow
    /// with the pages given, not with the address space. The layout is
    /// checked against `program` and the limit first (see
    /// [`GuestMemory::restore_into`]).
    pub fn restore<'a>(
        program: &Program,
        layout: MemoryLayout,
        perms: impl IntoIterator<Item = PermRun>,
        pages: impl IntoIterator<Item = (u32, &'a [u8])>,
    ) -> Result<GuestMemory, RestoreError> {
        GuestMemory::restore_into(Reservation::new()?, program, layout, perms, pages)
    }

    /// [`GuestMemory::restore`] into an address space reserved beforehand.
    /// A snapshot is input like any other: every mapped page must lie in a
    /// region the program and the layout give the VM (text read-only; data,
    /// heap up to what the limit allows, and stack read-write), and the
    /// memory in use must fit the limit, so a forged file cannot map more
    /// of the host than the VM could have used itself.
    pub fn restore_into<'a>(
        reservation: Reservation,
        program: &Program,
        layout: MemoryLayout,
        perms: impl IntoIterator<Item = PermRun>,
        pages: impl IntoIterator<Item = (u32, &'a [u8])>,
    ) -> Result<GuestMemory, RestoreError> {
        let perms: Vec<PermRun> = perms.into_iter().collect();
        check_layout(program, &layout, &perms)?;
        let previous = reservation.previous;
        let mut mem = GuestMemory {
            space: reservation.space,
            perms: reservation.perms,
            touched: [0; TABLE_STRETCHES / 64],
            heap_start: layout.heap_start,
            brk: layout.brk,
            stack_low: layout.stack_low,
            limit: layout.limit,
            static_bytes: layout.static_bytes,
            data_map: layout.data_map,
            anon_bytes: layout.anon_bytes,
            sealed: false,
            seal_refused: false,
            text: (program.text_base, program.text_end()),
            lost: false,
            parked: None,
            tracking: None,
            lazy: None,
        };
        LIVE.fetch_add(1, Ordering::AcqRel);
        for run in &previous {
            mem.perms[run.first as usize..(run.first + run.count) as usize].fill(0);
        }
        for run in perms {
            mem.set_perms(run.first as usize, (run.first + run.count) as usize, run.perm);
        }
        // Pages mapped before and not now read as zero if mapped again.
        for run in &previous {
            let mut page = run.first as usize;
            let end = (run.first + run.count) as usize;
            while page < end {
                if mem.perms[page] != 0 {
                    page += 1;
                    continue;
                }
                let stop = (page..end).find(|&p| mem.perms[p] != 0).unwrap_or(end);
                mem.space
                    .discard(page << PAGE_SHIFT, (stop - page) << PAGE_SHIFT)
                    .map_err(|e| RestoreError::Inconsistent(format!("cannot clear pages: {e}")))?;
                page = stop;
            }
        }
        for (first, bytes) in pages {
            let target = mem.mapped_pages_mut(first, bytes.len()).ok_or_else(|| {
                RestoreError::Inconsistent(format!("data in unmapped memory at page {first}"))
            })?;
            target.copy_from_slice(bytes);
        }
        Ok(mem)
    }

    /// This memory's address space and contents, to restore a memory over
    /// (a migration's later rounds): see [`Reservation`].
    pub fn into_reservation(mut self) -> Result<Reservation, RestoreError> {
        if self.lazy.is_some() || self.space.is_file_backed() {
            return Err(RestoreError::Inconsistent(
                "a memory restored from a file cannot be received over".into(),
            ));
        }
        self.unpark()?;
        self.stop_all_tracking();
        self.unseal();
        if self.lost {
            return Err(RestoreError::Inconsistent("this memory was lost".into()));
        }
        let previous = self.perm_runs();
        let space = std::mem::replace(&mut self.space, AddressSpace::empty());
        let perms = std::mem::take(&mut self.perms);
        Ok(Reservation { space, perms, previous })
    }

    /// Pages `first ..` covering `len` bytes (whole pages), to fill in place
    /// (a migration's pages arrive after the layout); `None` unless every one
    /// of them is mapped.
    pub fn mapped_pages_mut(&mut self, first: u32, len: usize) -> Option<&mut [u8]> {
        let start = self.unsealed_run(first, len)?;
        self.prefault(start, len);
        Some(&mut self.space[start..start + len])
    }

    /// [`GuestMemory::mapped_pages_mut`] for pages that hold nothing yet
    /// and that the caller fills whole (a migration's first copy of
    /// them): they are moved in from the backed [`reserve`](super::reserve)
    /// when it holds enough, rather than faulted in. `Ok(None)` unless every
    /// page is mapped; an error (and the memory is lost) when a failed move
    /// left the host unable to map the range again.
    pub fn fresh_pages_mut(&mut self, first: u32, len: usize) -> std::io::Result<Option<&mut [u8]>> {
        let Some(start) = self.unsealed_run(first, len) else { return Ok(None) };
        match self.space.adopt_backed(&super::reserve::RESERVE, start, len) {
            Ok(true) => {}
            Ok(false) => self.prefault(start, len),
            Err(e) => {
                self.lost = true;
                return Err(e);
            }
        }
        Ok(Some(&mut self.space[start..start + len]))
    }

    /// The host offset of pages `first ..` covering `len` bytes, unsealed
    /// to be written; `None` unless every one of them is mapped.
    fn unsealed_run(&mut self, first: u32, len: usize) -> Option<usize> {
        let count = len / PAGE_SIZE as usize;
        let end = (first as usize).checked_add(count)?;
        if len % PAGE_SIZE as usize != 0 || end > PAGES || self.perms[first as usize..end].contains(&0) {
            return None;
        }
        // Read-only pages (the text) are filled too: [`GuestMemory::seal`]
        // protects them again before generated code runs.
        self.unseal();
        Some(first as usize * PAGE_SIZE as usize)
    }

    /// A helper that backs pages ahead of [`GuestMemory::mapped_pages_mut`]
    /// from another thread (see [`Prefault`]); it stays valid across
    /// [`GuestMemory::into_reservation`], which keeps the mapping.
    pub fn prefault_helper(&self) -> Prefault {
        Prefault::new(&self.space)
    }

    /// Asks the host to back `[start, start + len)` at once: much cheaper
    /// than one fault per 4 KiB page when a snapshot's memory is copied in.
    /// (Huge pages were measured slower here: the kernel compacts memory to
    /// find them.) Only advice: failures change nothing.
    fn prefault(&mut self, start: usize, len: usize) {
        let _ = self.space.advise_range(memmap2::Advice::PopulateWrite, start, len);
    }

    /// The current program break.
    pub fn brk(&self) -> u32 {
        self.brk
    }

    /// Moves the break to `new` (must not go below the heap start or into the
    /// stack); maps new pages read-write. Fails past the memory limit.
    pub fn set_brk(&mut self, new: u32) -> Result<(), Fault> {
        if new < self.heap_start || new > self.stack_low.saturating_sub(PAGE_SIZE) {
            return Err(Fault::MemoryLimit { wanted: new as u64, limit: self.limit });
        }
        let used = self.static_bytes
            + (STACK_TOP - self.stack_low) as u64
            + (new - self.heap_start) as u64
            + self.anon_bytes;
        if used > self.limit {
            return Err(Fault::MemoryLimit { wanted: used, limit: self.limit });
        }
        // The heap never grows into anonymous mappings (Linux's brk fails
        // there too); the page holding the break is the heap's own.
        let (from, to) = (self.brk.div_ceil(PAGE_SIZE) as usize, new.div_ceil(PAGE_SIZE) as usize);
        if new > self.brk && self.perms[from..to].iter().any(|&p| p != 0) {
            return Err(Fault::MemoryLimit { wanted: used, limit: self.limit });
        }
        if new > self.brk {
            self.map(self.brk, new - self.brk, PERM_R | PERM_W);
        }
        // Shrinking keeps the pages mapped: a guest may still hold pointers into them.
        self.brk = new;
        Ok(())
    }
}

pub mod anon;
mod dirty;
pub use dirty::Tracker;
pub mod lazy;
mod park;

impl Drop for GuestMemory {
    fn drop(&mut self) {
        if self.parked.is_none() {
            // Its space goes back to the pool, clean, for the next VM.
            self.unseal();
            self.recycle_space();
            LIVE.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

#[cfg(test)]
mod tests;
