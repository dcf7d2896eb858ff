//! Parked memory: a VM's guest memory with no host reservation behind it,
//! its pages kept compactly on the heap, so that a process can hold far
//! more VMs than it could hold 4 GiB reservations (about 32,000 fill the
//! 128 TiB of x86-64 user space) or host mappings (`vm.max_map_count`
//! gives a process 65,530; a resident memory takes at least three).
//!
//! # Design
//!
//! Only memories the scheduler may run soon need a reservation. At most
//! [`resident_limit`] memories are resident at once (a quarter of the
//! process's mappings at four a memory, and half its address space); below
//! it nothing is ever parked and nothing costs more than before. Above it,
//! a VM that has used its turn parks itself before it queues again
//! ([`GuestMemory::park`]): in a round-robin the VM that just ran is the one
//! that waits longest, so it is the right one to evict (least-recently-used
//! would evict the very VM about to run). When the scheduler picks a parked
//! VM, [`GuestMemory::unpark`] reserves a fresh space and copies its pages
//! back.
//!
//! Parking saves only what the host holds: the pages it has backed
//! (`mincore`) that are not all zero. A tiny VM parks in a few pages, a VM
//! that used 1 MiB in 1 MiB. The permission table is kept as runs. Nothing
//! about the guest changes: layout, permissions and bytes are restored
//! exactly (pages a Linux program made inaccessible included), so a parked
//! VM resumes at the very instruction it stopped at, under either engine.
//!
//! The isolation rule is untouched: a resident memory is the same 4 GiB
//! reservation with its guard as always, and a parked one has no address
//! space at all ([`super::AddressSpace::empty`]), so an access that slipped
//! past the scheduler would panic on a bounds check, never reach the host.

use super::{
    AddressSpace, GuestMemory, PermRun, LIVE, PAGES, PAGE_SHIFT, PAGE_SIZE, PERM_R, TABLE_STRETCH,
    TABLE_STRETCHES,
};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

/// Clean spaces with their (zeroed) permission tables, kept for the next
/// memory: taking one costs no `mmap`, no 1 MiB of zeroing and, when it
/// goes, no `munmap` (whose TLB shootdowns stall every worker).
static POOL: Mutex<Vec<(AddressSpace, Vec<u8>)>> = Mutex::new(Vec::new());

/// Spaces the pool keeps at most (each holds three host mappings).
const POOL_SIZE: usize = 16;

/// A clean address space and a zeroed permission table: from the pool, or
/// newly reserved.
pub(super) fn clean_space() -> std::io::Result<(AddressSpace, Vec<u8>)> {
    if let Some(slot) = POOL.lock().unwrap_or_else(|e| e.into_inner()).pop() {
        return Ok(slot);
    }
    Ok((AddressSpace::new()?, vec![0; PAGES]))
}

/// A parked memory's contents.
pub(super) struct Parked {
    /// The permission table, as runs.
    runs: Vec<PermRun>,
    /// Page numbers of the saved pages, ascending.
    pages: Vec<u32>,
    /// Their bytes, a page each, in the order of `pages`.
    bytes: Vec<u8>,
}

/// Mappings counted for a resident memory (its reservation, two guards and
/// permission table, and one more so a run never nears the host's limit).
pub(super) const MAPPINGS_PER_RESIDENT: usize = 5;

/// Room kept in the address space for everything but reservations.
pub const SPARE_SPACE: u64 = 2 << 30;

/// Address space one resident VM takes: its reservation and guards, and its
/// JIT's code buffer (mapped twice).
pub const RESIDENT_SPACE: u64 = (super::SPACE + 2 * super::super::space::GUARD) as u64 + (32 << 20);

/// How many guest memories may be resident at once in this process (see
/// the module docs). `MYVMM_RESIDENT_VMS` sets it (at least 1), for tests
/// that park every VM at every turn.
pub fn resident_limit() -> usize {
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| {
        if let Some(n) = std::env::var("MYVMM_RESIDENT_VMS").ok().and_then(|v| v.trim().parse::<usize>().ok())
        {
            return n.max(1);
        }
        let maps = host_max_map_count() as usize;
        // Half the address space at most: the other half holds parked pages.
        let space = (host_address_space().saturating_sub(SPARE_SPACE) / 2 / RESIDENT_SPACE) as usize;
        (maps / 4 / MAPPINGS_PER_RESIDENT).min(space).max(1)
    })
}

/// `vm.max_map_count`: how many mappings this process may hold.
pub fn host_max_map_count() -> u64 {
    std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(65_530)
}

/// Bytes of address space this process may map: `ulimit -v`, or x86-64's
/// 128 TiB of user space.
pub fn host_address_space() -> u64 {
    // SAFETY: getrlimit writes the limit into the struct it is given.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_AS, &mut limit) == 0 && limit.rlim_cur != libc::RLIM_INFINITY {
            limit.rlim_cur
        } else {
            1 << 47
        }
    }
}

/// Memories resident now (holding a reservation).
pub fn resident_memories() -> usize {
    LIVE.load(Ordering::Acquire)
}

impl GuestMemory {
    /// True when this memory has no reservation now (see the module docs).
    pub fn is_parked(&self) -> bool {
        self.parked.is_some()
    }

    /// True when more memories are resident than [`resident_limit`]: the
    /// scheduler then parks a VM whose turn is over.
    pub fn over_resident_limit() -> bool {
        resident_memories() > resident_limit()
    }

    /// Gives the reservation back to the host, keeping the pages it backed
    /// that hold data (see the module docs). Nothing to do when parked.
    pub fn park(&mut self) {
        // A memory with pages still to verify (see [`super::lazy`]) parks
        // once they are; one with a corrupt page stays resident, for its VM
        // to meet the page if it ever touches it.
        if self.parked.is_some() || self.verify_all().is_err() {
            return;
        }
        // Pages the guest may not read are inaccessible to the host too
        // while sealed: let the host read everything (or, should it refuse,
        // the memory is lost and its table empty: nothing to save).
        self.unseal();
        let runs = self.perm_runs();
        let (mut pages, mut bytes) = (Vec::new(), Vec::new());
        let mut resident: Vec<u8> = Vec::new();
        let size = PAGE_SIZE as usize;
        for run in &runs {
            resident.clear();
            resident.resize(run.count as usize, 0);
            let start = (run.first as usize) << PAGE_SHIFT;
            // SAFETY: mincore only reads the page tables of a range inside
            // this memory's reservation (page-aligned, `count` pages) and
            // writes one byte per page into `resident`, sized for them.
            let rc = unsafe {
                libc::mincore(
                    self.space.as_ptr().add(start) as *mut libc::c_void,
                    (run.count as usize) << PAGE_SHIFT,
                    resident.as_mut_ptr(),
                )
            };
            for (i, &flag) in resident.iter().enumerate() {
                // Should the host not say, every page is looked at.
                if rc == 0 && flag & 1 == 0 {
                    continue;
                }
                let page = run.first as usize + i;
                let data = &self.space[page * size..(page + 1) * size];
                if !super::is_zero(data) {
                    pages.push(page as u32);
                    bytes.extend_from_slice(data);
                }
            }
        }
        pages.shrink_to_fit();
        bytes.shrink_to_fit();
        self.parked = Some(Box::new(Parked { runs, pages, bytes }));
        self.recycle_space();
        LIVE.fetch_sub(1, Ordering::AcqRel);
    }

    /// Takes the space and table away (leaving them empty) and gives them
    /// to the pool clean: every page that may ever have held data (those in
    /// a touched stretch of the table: no other page can have been
    /// written) back to the host, the table zeroed. A space whose state is
    /// not known (lost, or the host refusing to discard) is unmapped.
    pub(super) fn recycle_space(&mut self) {
        let mut space = std::mem::replace(&mut self.space, AddressSpace::empty());
        let mut perms = std::mem::take(&mut self.perms);
        let touched = std::mem::take(&mut self.touched);
        // A space that maps a snapshot file would give the file's bytes
        // back, not zeros: it is unmapped, not pooled.
        // Nor is one with runs moved in from the reserve: each may be a
        // host mapping of its own, which the next VM would inherit.
        if self.lost || self.sealed || perms.len() != PAGES || space.is_file_backed() || space.has_adopted() {
            return;
        }
        let stretch_bytes = TABLE_STRETCH << PAGE_SHIFT;
        for stretch in (0..TABLE_STRETCHES).filter(|&s| touched[s / 64] & (1 << (s % 64)) != 0) {
            if space.discard(stretch * stretch_bytes, stretch_bytes).is_err() {
                return;
            }
            perms[stretch * TABLE_STRETCH..(stretch + 1) * TABLE_STRETCH].fill(0);
        }
        let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < POOL_SIZE {
            pool.push((space, perms));
        }
    }

    /// Reserves a space again and puts the parked pages and permissions
    /// back; nothing to do when resident. Fails only when the host refuses
    /// the reservation (the memory stays parked).
    pub fn unpark(&mut self) -> std::io::Result<()> {
        let Some(parked) = self.parked.take() else {
            return Ok(());
        };
        let (space, perms) = match clean_space() {
            Ok(slot) => slot,
            Err(e) => {
                self.parked = Some(parked);
                return Err(e);
            }
        };
        self.space = space;
        self.perms = perms;
        LIVE.fetch_add(1, Ordering::AcqRel);
        self.touched = Default::default();
        for run in &parked.runs {
            let (first, end) = (run.first as usize, (run.first + run.count) as usize);
            self.perms[first..end].fill(run.perm);
            self.touch(first, end);
        }
        let size = PAGE_SIZE as usize;
        for (page, bytes) in parked.pages.iter().zip(parked.bytes.chunks_exact(size)) {
            let start = *page as usize * size;
            self.space[start..start + size].copy_from_slice(bytes);
        }
        // The JIT may try again to seal it (a refusal for want of room may
        // not hold any more); a lost memory stays lost.
        self.seal_refused = self.lost;
        Ok(())
    }

    /// The parked permission runs.
    pub(super) fn parked_runs(&self) -> Option<Vec<PermRun>> {
        self.parked.as_ref().map(|p| p.runs.clone())
    }

    /// Bytes a parked memory holds on the host.
    pub(super) fn parked_bytes(&self) -> Option<u64> {
        self.parked.as_ref().map(|p| p.bytes.len() as u64)
    }

    /// The parked pages the guest may read, as runs of consecutive pages
    /// (what [`GuestMemory::data_runs`] gives for a resident memory).
    pub(super) fn parked_data_runs(&self) -> Option<Vec<(u32, &[u8])>> {
        let parked = self.parked.as_ref()?;
        let size = PAGE_SIZE as usize;
        let readable = |page: u32| {
            let i = parked.runs.partition_point(|r| r.first + r.count <= page);
            parked.runs.get(i).is_some_and(|r| r.first <= page && r.perm & PERM_R != 0)
        };
        let mut runs: Vec<(u32, usize, usize)> = Vec::new(); // first page, index, count
        for (index, &page) in parked.pages.iter().enumerate() {
            if !readable(page) {
                continue;
            }
            match runs.last_mut() {
                Some((first, at, n)) if *first + *n as u32 == page && *at + *n == index => *n += 1,
                _ => runs.push((page, index, 1)),
            }
        }
        Some(
            runs.into_iter()
                .map(|(first, at, n)| (first, &parked.bytes[at * size..(at + n) * size]))
                .collect(),
        )
    }
}
