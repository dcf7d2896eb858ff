//! Guest pages of a format-4 snapshot: mapped from its page area and, for
//! an incremental checkpoint, from its parents' (the newest file holding a
//! page wins), then verified page by page on first touch
//! ([`crate::vm::memory::lazy`]). Snapshot bytes held in memory rather than
//! in a file are verified and copied at once.

use super::{Bytes, Parts, Snapshot, SnapshotError, MAX_CHAIN, PAGE};
use crate::program::Program;
use crate::vm::memory::lazy::{MappedPages, MappedRun, PageFile};
use crate::vm::{GuestMemory, MemoryLayout, Reservation, RestoreError, PERM_R};
use memmap2::Mmap;
use std::sync::Arc;

/// One file of a chain, its page area read out.
struct Layer {
    map: Arc<Mmap>,
    file: Arc<std::fs::File>,
    path: Arc<str>,
    area_offset: u64,
    runs: Vec<(u32, u32)>,
    /// Where its hashes lie in `map` (read in place, never copied).
    hashes: std::ops::Range<usize>,
}

fn runs_of(parts: &Parts<'_>) -> Vec<(u32, u32)> {
    parts.area.map_or_else(Vec::new, |a| a.runs.iter().map(|r| (r.0.to_native(), r.1.to_native())).collect())
}

/// The byte range of the archive's page hashes within `raw`.
fn hashes_in(raw: &[u8], parts: &Parts<'_>) -> std::ops::Range<usize> {
    match parts.area {
        Some(area) => {
            let start = (area.hashes.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize);
            start..start + area.hashes.len() * 8
        }
        None => 0..0,
    }
}

fn hashes_of(parts: &Parts<'_>) -> Vec<u64> {
    parts.area.map_or_else(Vec::new, |a| a.hashes.iter().map(|h| h.to_native()).collect())
}

/// The memory of `snap` (whose header, archive and checksum are checked).
pub(super) fn restore(
    snap: &Snapshot,
    program: &Program,
    reservation: Reservation,
    layout: MemoryLayout,
    parts: Parts<'_>,
) -> Result<GuestMemory, SnapshotError> {
    let runs = runs_of(&parts);
    let (Some((file, path)), Bytes::Mapped(map)) = (snap.file.as_ref(), &*snap.bytes) else {
        if parts.parent.is_some() {
            return Err(SnapshotError::Chain("an incremental checkpoint read outside its folder".into()));
        }
        let hashes = hashes_of(&parts);
        return restore_copied(snap, program, reservation, layout, parts, &runs, &hashes);
    };
    let mut layers = vec![Layer {
        map: Arc::clone(map),
        file: Arc::clone(file),
        path: Arc::from(path.display().to_string()),
        area_offset: snap.header.area_offset(),
        hashes: hashes_in(snap.raw(), &parts),
        runs,
    }];
    let mut parent = snap.parent();
    while let Some((name, id)) = parent {
        if layers.len() >= MAX_CHAIN {
            return Err(SnapshotError::Chain(format!("its chain of parents is longer than {MAX_CHAIN}")));
        }
        let plain = std::path::Path::new(&name).file_name().is_some_and(|n| n == name.as_str());
        if !plain || name == ".." {
            return Err(SnapshotError::Chain(format!(
                "its parent `{}` is not a file name",
                name.escape_debug()
            )));
        }
        let at = path.parent().unwrap_or(std::path::Path::new(".")).join(&name);
        let p = Snapshot::open(&at)
            .map_err(|e| SnapshotError::Chain(format!("its parent {}: {e}", at.display())))?;
        if p.id() != id || id == 0 || p.header.fingerprint != snap.header.fingerprint {
            return Err(SnapshotError::Chain(format!(
                "its parent {} is not the checkpoint it was taken over (replaced since?)",
                at.display()
            )));
        }
        p.checksum_ok()?;
        let pp = p.parts()?;
        let (runs, hashes) = (runs_of(&pp), hashes_in(p.raw(), &pp));
        let (Some((file, _)), Bytes::Mapped(map)) = (p.file.as_ref(), &*p.bytes) else {
            return Err(SnapshotError::Chain(format!("its parent {} is not a file", at.display())));
        };
        layers.push(Layer {
            map: Arc::clone(map),
            file: Arc::clone(file),
            path: Arc::from(at.display().to_string()),
            area_offset: p.header.area_offset(),
            runs,
            hashes,
        });
        parent = p.parent();
    }
    let readable = merged(
        parts.perms.iter().filter(|r| r.perm & PERM_R != 0).map(|r| (r.first, r.first + r.count)).collect(),
    );
    // Newest first: each file gives the pages no newer one holds; an older
    // file's page the VM can no longer read (unmapped, made inaccessible)
    // is not mapped at all — it would read as zero if mapped again.
    let mut covered: Vec<(u32, u32)> = Vec::new();
    let mut pieces: Vec<(u32, u32, usize, u64, usize)> = Vec::new(); // first, end, layer, offset, hash
    for (index, layer) in layers.iter().enumerate() {
        let (mut offset, mut hash) = (layer.area_offset, 0usize);
        for &(first, count) in &layer.runs {
            let end = first.saturating_add(count);
            let mut left = subtract((first, end), &covered);
            if index > 0 {
                left = left.into_iter().flat_map(|piece| intersect(piece, &readable)).collect();
            }
            for (a, b) in left {
                let skip = (a - first) as usize;
                pieces.push((a, b, index, offset + (skip * PAGE) as u64, hash + skip));
            }
            offset += count as u64 * PAGE as u64;
            hash += count as usize;
        }
        let mut grown = covered.clone();
        grown.extend(layer.runs.iter().map(|&(f, c)| (f, f.saturating_add(c))));
        covered = merged(grown);
    }
    pieces.sort_unstable_by_key(|p| p.0);
    let runs = pieces
        .into_iter()
        .map(|(first, end, file, offset, hash)| MappedRun { first, count: end - first, file, offset, hash })
        .collect();
    let opened: Vec<&std::fs::File> = layers.iter().map(|l| &*l.file).collect();
    let files: Vec<PageFile> = layers
        .iter()
        .map(|l| PageFile { path: Arc::clone(&l.path), map: Arc::clone(&l.map), hashes: l.hashes.clone() })
        .collect();
    let mapped = MappedPages { files, runs };
    Ok(GuestMemory::restore_mapped(reservation, program, layout, parts.perms, mapped, &opened)?)
}

/// Snapshot bytes held in memory: every page checked against its hash and
/// copied in.
fn restore_copied(
    snap: &Snapshot,
    program: &Program,
    reservation: Reservation,
    layout: MemoryLayout,
    parts: Parts<'_>,
    runs: &[(u32, u32)],
    hashes: &[u64],
) -> Result<GuestMemory, SnapshotError> {
    let raw = snap.raw();
    let mut at = snap.header.area_offset() as usize;
    let mut h = 0usize;
    let mut pages = Vec::with_capacity(runs.len());
    for &(first, count) in runs {
        let len = count as usize * PAGE;
        let bytes =
            raw.get(at..at + len).ok_or_else(|| SnapshotError::Archive("page area cut short".into()))?;
        for (i, page) in bytes.chunks_exact(PAGE).enumerate() {
            if hashes.get(h + i) != Some(&xxhash_rust::xxh3::xxh3_64(page)) {
                return Err(SnapshotError::Restore(RestoreError::Inconsistent(format!(
                    "page {:#x} does not match its hash",
                    first as usize + i
                ))));
            }
        }
        pages.push((first, bytes));
        at += len;
        h += count as usize;
    }
    Ok(GuestMemory::restore_into(reservation, program, layout, parts.perms, pages)?)
}

/// Sorted, joined intervals.
fn merged(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.retain(|r| r.0 < r.1);
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => out.push(r),
        }
    }
    out
}

/// `[a, b)` minus the sorted, joined intervals `cut`.
fn subtract((mut a, b): (u32, u32), cut: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let start = cut.partition_point(|c| c.1 <= a);
    for &(c0, c1) in &cut[start..] {
        if c0 >= b {
            break;
        }
        if c0 > a {
            out.push((a, c0));
        }
        a = a.max(c1);
        if a >= b {
            return out;
        }
    }
    if a < b {
        out.push((a, b));
    }
    out
}

/// `[a, b)` within the sorted, joined intervals `keep`.
fn intersect((a, b): (u32, u32), keep: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let start = keep.partition_point(|k| k.1 <= a);
    keep[start..].iter().take_while(|k| k.0 < b).map(|&(k0, k1)| (a.max(k0), b.min(k1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_arithmetic() {
        assert_eq!(subtract((0, 10), &[(2, 4), (6, 7)]), vec![(0, 2), (4, 6), (7, 10)]);
        assert_eq!(subtract((3, 5), &[(0, 10)]), vec![]);
        assert_eq!(subtract((3, 5), &[]), vec![(3, 5)]);
        assert_eq!(intersect((0, 10), &[(2, 4), (8, 20)]), vec![(2, 4), (8, 10)]);
        assert_eq!(merged(vec![(5, 6), (0, 2), (2, 3), (9, 9)]), vec![(0, 3), (5, 6)]);
    }
}
