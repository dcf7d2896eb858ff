//! Guest memory: permissions, layouts, sealing and anonymous mappings.

use super::*;
use crate::asm::assemble_str;

fn memory() -> GuestMemory {
    let program = assemble_str("t.s", ".data\nx: .word 0x11223344\n.text\nnop\n").unwrap();
    GuestMemory::new(&program, DEFAULT_LIMIT).unwrap()
}

#[test]
fn loads_stores_and_permissions() {
    let mut m = memory();
    assert_eq!(m.load32(0x1001_0000), Ok(0x1122_3344));
    assert_eq!(m.load16(0x1001_0002), Ok(0x1122));
    assert_eq!(m.load8(0x1001_0001), Ok(0x33));
    assert_eq!(m.load32(0x1001_0002), Err(Fault::AddressErrorLoad(0x1001_0002)));
    assert_eq!(m.store16(0x1001_0001, 1), Err(Fault::AddressErrorStore(0x1001_0001)));
    assert_eq!(m.load32(0), Err(Fault::Unmapped { addr: 0, write: false }));
    assert_eq!(m.store32(0x0040_0000, 1), Err(Fault::ReadOnly(0x0040_0000)));
    assert_eq!(m.load32(0x0040_0000), Ok(0));
    m.store32(0x7fff_effc, 0xdead_beef).unwrap();
    assert_eq!(m.load32(0x7fff_effc), Ok(0xdead_beef));
    assert_eq!(m.load8(0xffff_ffff), Err(Fault::Unmapped { addr: 0xffff_ffff, write: false }));
}

#[test]
fn a_memory_of_too_many_runs_stays_unsealed_and_the_text_keeps_its_protection() {
    let program = assemble_str("t.s", ".data\nx: .word 7\n.text\nnop\n").unwrap();
    let mut m = GuestMemory::with_map(&program, DEFAULT_LIMIT, DataMap::Static).unwrap();
    assert_eq!(m.protect(0x0040_0000, 4096, true, true), Err(anon::MapError::Denied));
    let base = m.map_anonymous(None, (2 * MAX_SEALED_RUNS as u32 + 2) * PAGE_SIZE, PERM_R | PERM_W).unwrap();
    for k in (0..2 * MAX_SEALED_RUNS as u32 + 2).step_by(2) {
        m.protect(base + k * PAGE_SIZE, PAGE_SIZE, true, false).unwrap();
    }
    assert!(!m.seal(), "one host mapping per run: too many to seal");
    assert!(!m.is_sealed() && !m.seal(), "and not tried again");
    // The table alone speaks, and every access the guest may make works.
    m.store32(base + PAGE_SIZE, 5).unwrap();
    assert_eq!(m.load32(base + PAGE_SIZE), Ok(5));
    assert_eq!(m.store32(base, 5), Err(Fault::ReadOnly(base)));
    // A small memory seals, and its protections follow later changes.
    let mut small = GuestMemory::with_map(&program, DEFAULT_LIMIT, DataMap::Static).unwrap();
    assert!(small.seal() && small.is_sealed());
    let page = small.map_anonymous(None, PAGE_SIZE, PERM_R | PERM_W).unwrap();
    small.store32(page, 9).unwrap();
    small.protect(page, PAGE_SIZE, false, false).unwrap();
    small.protect(page, PAGE_SIZE, true, false).unwrap();
    assert_eq!(small.load32(page), Ok(9));
    assert!(small.is_sealed());
}

#[test]
fn read_only_segments_are_mapped_read_only() {
    let mut program = assemble_str("t.s", ".data\nx: .word 7\n.text\nnop\n").unwrap();
    program.data.push(crate::program::DataSegment {
        base: 0x2000_0000,
        bytes: vec![1, 2, 3, 4],
        writable: false,
    });
    let mut m = GuestMemory::with_map(&program, DEFAULT_LIMIT, DataMap::Static).unwrap();
    assert_eq!(m.load32(0x2000_0000), Ok(0x0403_0201));
    assert_eq!(m.store8(0x2000_0000, 9), Err(Fault::ReadOnly(0x2000_0000)));
    assert_eq!(m.store32(0x1001_0000, 9), Ok(()));
}

#[test]
fn the_data_segment_is_mapped_as_mars_maps_it() {
    let mut m = memory();
    for addr in [0x1000_0000, 0x1000_0018, 0x1000_8000, 0x1003_fffc] {
        m.store32(addr, addr).unwrap();
        assert_eq!(m.load32(addr), Ok(addr));
    }
    assert_eq!(m.brk(), 0x1004_0000);
    assert_eq!(m.load8(0x1004_0000), Err(Fault::Unmapped { addr: 0x1004_0000, write: false }));
    assert_eq!(m.load8(0x0fff_ffff), Err(Fault::Unmapped { addr: 0x0fff_ffff, write: false }));
    assert_eq!(m.layout().static_bytes, 0x4_0000, "the data segment counts against the limit");
    // Static data past 0x10040000: the heap starts on the page after it.
    let big = assemble_str("t.s", ".data\n.space 0x40001\n").unwrap();
    let m = GuestMemory::new(&big, DEFAULT_LIMIT).unwrap();
    assert_eq!(m.brk(), 0x1005_1000);
    assert_eq!(m.layout().static_bytes, 0x5_1000);
}

#[test]
fn heap_grows_within_the_limit() {
    let mut m = memory();
    let start = m.brk();
    assert_eq!(m.load8(start), Err(Fault::Unmapped { addr: start, write: false }));
    m.set_brk(start + 100).unwrap();
    m.store8(start + 99, 7).unwrap();
    assert_eq!(m.load8(start + 99), Ok(7));
    assert!(matches!(m.set_brk(start + (2 << 30)), Err(Fault::MemoryLimit { .. })));
    assert!(m.set_brk(start - 4).is_err());
}

#[test]
fn small_limits_shrink_the_stack_and_refuse_big_programs() {
    let program = assemble_str("t.s", ".data\n.space 100000\n").unwrap();
    assert!(matches!(GuestMemory::new(&program, 64 << 10), Err(MemoryError::TooLarge { .. })));
    let m = GuestMemory::new(&program, 1 << 20).unwrap();
    assert_eq!(m.perm(STACK_TOP - 4), PERM_R | PERM_W);
    assert_eq!(m.perm(STACK_TOP - (256 << 10) - 4), 0);
}

#[test]
fn restore_refuses_what_the_program_and_limit_do_not_allow() {
    let program = assemble_str("t.s", ".data\nx: .word 1\n.text\nnop\n").unwrap();
    let mem = GuestMemory::new(&program, 1 << 20).unwrap();
    let (layout, perms) = (mem.layout(), mem.perm_runs());
    let restore = |layout: MemoryLayout, perms: Vec<PermRun>| match GuestMemory::restore(
        &program,
        layout,
        perms,
        std::iter::empty(),
    ) {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    };
    assert_eq!(restore(layout, perms.clone()), "ok");
    let all = vec![PermRun { first: 0, count: PAGES as u32, perm: PERM_R | PERM_W }];
    assert!(restore(layout, all).contains("page permissions"));
    let writable_text = vec![PermRun { first: 0x400, count: 1, perm: PERM_R | PERM_W }];
    assert!(restore(layout, writable_text).contains("writable outside"));
    let heap_past_limit = vec![PermRun { first: layout.heap_start >> PAGE_SHIFT, count: 512, perm: 3 }];
    assert!(restore(layout, heap_past_limit).contains("page permissions"));
    let heap_within = vec![PermRun { first: layout.heap_start >> PAGE_SHIFT, count: 16, perm: 3 }];
    assert_eq!(restore(layout, heap_within), "ok");
    let small = MemoryLayout { limit: 64 << 10, ..layout };
    assert!(restore(small, perms.clone()).contains("over the memory limit"));
    let moved = MemoryLayout { heap_start: layout.heap_start + PAGE_SIZE, ..layout };
    assert!(restore(moved, perms.clone()).contains("memory layout"));
    let zero = [0u8; PAGE_SIZE as usize];
    let outside = GuestMemory::restore(&program, layout, perms, [(0x100u32, &zero[..])]);
    assert!(matches!(outside, Err(RestoreError::Inconsistent(m)) if m.contains("unmapped")));
}

/// Everything a guest could observe of a memory: layout, permissions and
/// the bytes of every readable page.
type Observed = (MemoryLayout, Vec<PermRun>, Vec<(u32, Vec<u8>)>);

fn observed(m: &GuestMemory) -> Observed {
    let pages = m
        .data_runs()
        .into_iter()
        .flat_map(|(first, bytes)| {
            bytes.chunks(PAGE_SIZE as usize).enumerate().map(move |(i, p)| (first + i as u32, p.to_vec()))
        })
        .collect();
    (m.layout(), m.perm_runs(), pages)
}

#[test]
fn parking_keeps_every_page_permission_and_byte() {
    let program = assemble_str("t.s", ".data\nx: .word 7\n.text\nli $v0, 10\n").unwrap();
    let mut m = GuestMemory::with_map(&program, DEFAULT_LIMIT, DataMap::Static).unwrap();
    assert!(m.seal());
    m.store32(0x7fff_e000, 0xfeed).unwrap();
    m.set_brk(m.brk() + 3 * PAGE_SIZE).unwrap();
    let heap = m.brk() - PAGE_SIZE;
    m.store8(heap, 0x5a).unwrap();
    // A page the program made inaccessible still holds its bytes.
    let hidden = m.map_anonymous(None, 2 * PAGE_SIZE, PERM_R | PERM_W).unwrap();
    m.store32(hidden + 8, 0x1234_5678).unwrap();
    m.protect(hidden, PAGE_SIZE, false, false).unwrap();
    let before = observed(&m);
    m.park();
    assert!(m.is_parked() && !m.is_sealed());
    assert_eq!(observed(&m), before, "a parked memory describes itself as it was (snapshots of parked VMs)");
    assert_eq!(m.resident_bytes(), 5 * PAGE_SIZE as u64, "text, data, stack, heap and hidden pages kept");
    m.park();
    m.unpark().unwrap();
    m.unpark().unwrap();
    assert!(!m.is_parked());
    assert_eq!(observed(&m), before);
    assert_eq!(m.load32(0x1001_0000), Ok(7));
    assert_eq!(m.load8(heap), Ok(0x5a));
    assert_eq!(m.load32(hidden), Err(Fault::Unmapped { addr: hidden, write: false }));
    m.protect(hidden, PAGE_SIZE, true, false).unwrap();
    assert_eq!(m.load32(hidden + 8), Ok(0x1234_5678));
    assert_eq!(m.store32(0x0040_0000, 1), Err(Fault::ReadOnly(0x0040_0000)));
    // Sealed again for the JIT, with the same protections.
    assert!(m.seal());
    assert_eq!(m.store32(hidden, 1), Err(Fault::ReadOnly(hidden)));
}

#[test]
fn a_parked_memory_has_no_address_space_to_touch() {
    let mut m = memory();
    m.park();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| m.load32(0x1001_0000)));
    assert!(result.is_err(), "an access to a parked memory must not reach any host memory");
}

#[test]
fn dirty_tracking_lists_each_written_page_once_per_look() {
    let mut m = memory();
    assert!(m.take_dirty(Tracker::Migration).is_empty(), "nothing while off");
    m.track_writes(Tracker::Migration);
    assert!(m.take_dirty(Tracker::Migration).is_empty(), "nothing written yet");
    m.store32(0x1001_0000, 1).unwrap();
    m.store8(0x1001_0005, 2).unwrap();
    m.store32(0x7fff_effc, 3).unwrap();
    m.write_bytes(0x1001_1ffe, &[1, 2, 3, 4]).unwrap();
    let data_page = 0x1001_0000 >> PAGE_SHIFT;
    let stack_page = 0x7fff_e000 >> PAGE_SHIFT;
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(data_page, 3), (stack_page, 1)]);
    assert!(m.take_dirty(Tracker::Migration).is_empty(), "armed again, not written since");
    // A new mapping counts as written (its zeros must travel too).
    let brk = m.layout().brk;
    m.set_brk(brk + 2 * PAGE_SIZE).unwrap();
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(brk >> PAGE_SHIFT, 2)]);
    // Refused writes are not noted.
    assert!(m.store32(0x0040_0000, 1).is_err());
    assert!(m.take_dirty(Tracker::Migration).is_empty());
    m.stop_tracking(Tracker::Migration);
    m.store32(0x1001_0000, 9).unwrap();
    assert!(m.take_dirty(Tracker::Migration).is_empty(), "off again");
    assert_eq!(m.load32(0x1001_0000), Ok(9));
}

#[test]
fn a_sealed_memory_arms_pages_with_the_host_and_disarms_on_the_first_write() {
    let mut m = memory();
    assert!(m.seal());
    m.track_writes(Tracker::Migration);
    let base = m.base_ptr();
    let probe = |addr: u32| {
        // What the host allows at `addr` now, asked of the kernel.
        let page = (base as usize + addr as usize) & !4095;
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        maps.lines()
            .find_map(|l| {
                let (range, rest) = l.split_once(' ')?;
                let (a, b) = range.split_once('-')?;
                let (a, b) = (usize::from_str_radix(a, 16).ok()?, usize::from_str_radix(b, 16).ok()?);
                (a <= page && page < b).then(|| rest[..2].to_string())
            })
            .unwrap()
    };
    assert_eq!(probe(0x1001_0000), "r-", "armed: read-only on the host");
    m.store32(0x1001_0000, 7).unwrap();
    assert_eq!(probe(0x1001_0000), "rw", "disarmed by the first write");
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(0x1001_0000 >> PAGE_SHIFT, 1)]);
    assert_eq!(probe(0x1001_0000), "r-", "armed again");
    m.stop_tracking(Tracker::Migration);
    assert_eq!(probe(0x1001_0000), "rw");
    assert_eq!(probe(0x0040_0000), "r-", "the text keeps its protection");
}

/// A guest filling memory in order takes one fault per 16 pages: a write
/// just after a written page disarms (and counts written) the armed pages
/// that follow; a scattered write counts its own page only.
#[test]
fn a_sequential_writer_disarms_pages_ahead_and_a_scattered_one_does_not() {
    let mut m = memory();
    assert!(m.seal());
    m.track_writes(Tracker::Migration);
    let page = |addr: u32| addr >> PAGE_SHIFT;
    m.store32(0x1001_0000, 1).unwrap();
    m.store32(0x1001_8000, 2).unwrap();
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(page(0x1001_0000), 1), (page(0x1001_8000), 1)]);
    // In order: the second page's write takes it and the 15 after it.
    m.store32(0x1001_0000, 3).unwrap();
    m.store32(0x1001_1000, 4).unwrap();
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(page(0x1001_0000), 17)]);
    // Every one of them was armed again: a scattered write is alone.
    m.store32(0x1001_5000, 5).unwrap();
    assert_eq!(m.take_dirty(Tracker::Migration), vec![(page(0x1001_5000), 1)]);
}

/// A migration and checkpoints track the same memory at once: each sees
/// every write since its own last look, whatever the other took.
#[test]
fn two_trackers_each_see_every_write_since_their_own_look() {
    use Tracker::{Checkpoint, Migration};
    let mut m = memory();
    assert!(m.seal());
    let page = |addr: u32| (addr >> PAGE_SHIFT, 1);
    let (a, b, c) = (0x1001_0000, 0x1001_3000, 0x1001_6000);
    m.track_writes(Checkpoint);
    m.store32(a, 1).unwrap();
    m.track_writes(Migration);
    m.store32(b, 2).unwrap();
    assert_eq!(m.take_dirty(Migration), vec![page(b)], "a was written before the migration began");
    m.store32(a, 3).unwrap();
    assert_eq!(m.take_dirty(Checkpoint), vec![page(a), page(b)]);
    assert_eq!(m.take_dirty(Migration), vec![page(a)], "the checkpoint's look re-armed nothing it needed");
    m.store32(b, 4).unwrap();
    m.stop_tracking(Migration);
    assert!(!m.tracks_writes(Migration) && m.tracks_writes(Checkpoint));
    m.store32(c, 5).unwrap();
    assert_eq!(m.take_dirty(Checkpoint), vec![page(b), page(c)]);
    m.stop_tracking(Checkpoint);
    assert!(!m.is_tracking());
    assert_eq!((m.load32(a), m.load32(b), m.load32(c)), (Ok(3), Ok(4), Ok(5)));
}
