//! Incremental checkpoints: a VM's state written again and again into a
//! folder of its own, each file after the first holding only the pages
//! written since the one before.
//!
//! ```text
//!  DIR/vmN/ckpt-000001.snap   full: every page holding data
//!  DIR/vmN/ckpt-000002.snap   incremental: the pages dirtied since 000001,
//!                             its parent named (file name and checksum)
//!  DIR/vmN/ckpt-000003.snap   incremental over 000002
//!  DIR/vmN/latest -> ckpt-000003.snap
//!  DIR/vmN/lock               held by the one process writing here
//! ```
//!
//! `myvmm -s DIR/vmN/latest` restores a chain exactly as a full snapshot:
//! the newest file gives the registers, layout and permissions, and each
//! page comes from the newest file that holds it (see `chain.rs`),
//! mapped copy-on-write and verified on first touch.
//!
//! Which pages changed is what pre-copy migration's dirty tracking
//! ([`crate::vm::GuestMemory::track_writes`]) says, with a dirty set of
//! the checkpoints' own (a migration under way keeps its own): tracking
//! starts with the first checkpoint and each checkpoint takes the pages
//! written since the last look.
//!
//! **Compaction.** Every checkpoint after the first is incremental; once a
//! chain holds [`MAX_LINKS`] files, a thread of its own folds its oldest
//! links into one: the newest of them is rewritten whole — every page of
//! the chain up to it, read from the files (nothing from the VM, which
//! goes on) — under its own name and id, so the links after it still name
//! it rightly, and the files before it go. A chain thus stays between
//! `MAX_LINKS / 2` and `MAX_LINKS` files, a restore opens no more than
//! that, and the VM is held only for its increments. (Should compaction
//! fall far behind, at `4 × MAX_LINKS` files, the next checkpoint is
//! written whole.) Files no chain of `latest` needs are removed once
//! `latest` names the new one.
//!
//! **Atomicity.** Each file is written whole under a temporary name,
//! synced and renamed ([`crate::vm::Folder::write_atomically`]); `latest`
//! is a symbolic link made under a temporary name and renamed over the old
//! one, then the folder is synced; old files go only after that.
//! Compaction replaces a file by its whole equal, atomically, before the
//! files it no longer needs go. A process killed at any point leaves
//! `latest` naming a complete chain: the old one or the new one.

use super::{state::ParentV1, write_pages_in, PageSet, Snapshot, SnapshotError, VmState, Written};
use crate::vm::{Folder, Tracker};
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Files a chain holds at most (its base included) before it is re-based.
pub const MAX_LINKS: usize = 16;

/// The link naming the newest checkpoint.
pub const LATEST: &str = "latest";

/// One file of the current chain.
#[derive(Clone, Debug)]
struct Link {
    name: String,
    id: u64,
    page_bytes: u64,
}

/// A compaction under way: how many links it folds (the last of them is
/// rewritten whole), and its page bytes once done.
struct Compaction {
    links: usize,
    done: JoinHandle<Result<u64, SnapshotError>>,
}

/// A VM's checkpoints: where, how often, and the chain written so far.
pub struct Checkpointer {
    dir: PathBuf,
    folder: Folder,
    every: Option<Duration>,
    next: Option<Instant>,
    seq: u64,
    chain: Vec<Link>,
    compaction: Option<Compaction>,
    /// `vmN/lock`, held (`flock`) while this VM checkpoints there: a second
    /// writer — a VM resumed elsewhere while the first still runs — is
    /// refused instead of the two removing each other's files.
    _lock: std::fs::File,
}

/// What one checkpoint wrote.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    /// The file's path.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: u64,
    /// Bytes of guest pages in it.
    pub page_bytes: u64,
    /// Whether it holds only the changes since its parent.
    pub incremental: bool,
    /// Files in the chain `latest` names now.
    pub chain: usize,
}

impl Checkpointer {
    /// Checkpoints of VM `id` into `root/vmID/` (made if missing), every
    /// `every` (none: only when asked). Numbers go on after any files a
    /// run before left there; the first checkpoint is full.
    pub fn new(root: &Path, id: u32, every: Option<Duration>) -> Result<Checkpointer, SnapshotError> {
        let dir = root.join(format!("vm{id}"));
        std::fs::create_dir_all(&dir)?;
        let lock =
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(dir.join("lock"))?;
        if rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive).is_err() {
            return Err(SnapshotError::Chain(format!(
                "another myvmm writes checkpoints in {} (one VM, two hosts?)",
                dir.display()
            )));
        }
        let folder = Folder::open(&dir)?;
        let seq = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok()?.file_name().to_str().and_then(sequence))
            .max()
            .unwrap_or(0);
        let next = every.map(|e| Instant::now() + e);
        Ok(Checkpointer { dir, folder, every, next, seq, chain: Vec::new(), compaction: None, _lock: lock })
    }

    /// The folder the checkpoints go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when a periodic checkpoint is due.
    pub fn due(&self) -> bool {
        self.next.is_some_and(|at| Instant::now() >= at)
    }

    /// Writes a checkpoint of `state` now, incremental when the chain and
    /// the memory's tracking allow it. The caller holds the VM still.
    pub fn write(&mut self, state: &mut CheckpointState<'_>) -> Result<Checkpoint, SnapshotError> {
        if let Some(every) = self.every {
            self.next = Some(Instant::now() + every);
        }
        self.reap(false);
        let mem = &mut state.machine.mem;
        let incremental = !self.chain.is_empty()
            && mem.tracks_writes(Tracker::Checkpoint)
            && self.chain.len() < 4 * MAX_LINKS;
        mem.track_writes(Tracker::Checkpoint);
        // Taken even for a full checkpoint: what is written after this one
        // is what the next one holds.
        let dirty = mem.take_dirty(Tracker::Checkpoint);
        self.seq += 1;
        let name = format!("ckpt-{:06}.snap", self.seq);
        let id = fresh_id(self.seq);
        let vm = VmState { machine: state.machine, slice: state.slice, rngs: state.rngs.clone() };
        let set = match self.chain.last().filter(|_| incremental) {
            Some(parent) => PageSet::Changed {
                runs: &dirty,
                parent: ParentV1 { name: parent.name.clone(), id: parent.id },
            },
            None => PageSet::All,
        };
        let written: Written = match write_pages_in(&self.folder, Path::new(&name), &vm, set, id) {
            Ok(w) => w,
            Err(e) => {
                // Those pages' changes are in no file: the next one is full.
                self.forget_chain();
                return Err(e);
            }
        };
        if !incremental {
            self.forget_chain();
        }
        self.chain.push(Link { name: name.clone(), id, page_bytes: written.page_bytes });
        if let Err(e) = self.point_latest(&name) {
            self.forget_chain();
            return Err(e);
        }
        self.remove_unneeded();
        if self.chain.len() >= MAX_LINKS && self.compaction.is_none() {
            self.compact();
        }
        Ok(Checkpoint {
            path: self.dir.join(&name),
            bytes: written.bytes,
            page_bytes: written.page_bytes,
            incremental,
            chain: self.chain.len(),
        })
    }

    /// Starts folding the oldest links into one, on a thread of its own.
    fn compact(&mut self) {
        let links = self.chain.len() - MAX_LINKS / 2;
        let target = self.chain[links - 1].name.clone();
        let (dir, folder) = (self.dir.clone(), self.folder.clone());
        let done = std::thread::spawn(move || {
            let snap = Snapshot::open(&dir.join(&target))?;
            let image = crate::vm::Image::new(snap.program()?);
            let machine = snap.restore(&image)?;
            let state = VmState { machine: &machine, slice: snap.slice()?, rngs: snap.rngs()? };
            let written = write_pages_in(&folder, Path::new(&target), &state, PageSet::All, snap.id())?;
            Ok(written.page_bytes)
        });
        self.compaction = Some(Compaction { links, done });
    }

    /// Takes in a finished compaction (or, with `wait`, waits for one): the
    /// links it folded leave the chain, their files go.
    fn reap(&mut self, wait: bool) {
        let finished = self.compaction.as_ref().is_some_and(|c| c.done.is_finished());
        let Some(compaction) = self.compaction.take_if(|_| wait || finished) else { return };
        match compaction.done.join() {
            Ok(Ok(page_bytes)) if self.chain.len() >= compaction.links => {
                self.chain.drain(..compaction.links - 1);
                self.chain[0].page_bytes = page_bytes;
                self.remove_unneeded();
            }
            // A compaction that failed changed nothing: the chain stands.
            _ => {}
        }
    }

    /// Starts a new chain: a compaction of the old one no longer matters.
    fn forget_chain(&mut self) {
        self.reap(true);
        self.chain.clear();
    }

    /// Points `latest` at `name`: a new link under a temporary name, renamed
    /// over the old one, and the folder synced.
    fn point_latest(&self, name: &str) -> Result<(), SnapshotError> {
        let temp = self.dir.join(format!(".{LATEST}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&temp);
        std::os::unix::fs::symlink(name, &temp)?;
        std::fs::rename(&temp, self.dir.join(LATEST))?;
        std::fs::File::open(&self.dir)?.sync_all()?;
        Ok(())
    }

    /// Removes checkpoint files the chain no longer needs, and temporary
    /// files a killed writer left.
    fn remove_unneeded(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale_temp =
                name.starts_with(".ckpt-") && name.ends_with(".tmp") && !name.contains(&own_tag());
            let old = sequence(name).is_some() && !self.chain.iter().any(|l| l.name == name);
            if old || stale_temp {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl Drop for Checkpointer {
    /// A compaction under way is finished, not cut off.
    fn drop(&mut self) {
        self.reap(true);
    }
}

/// A new checkpoint's id: unique with all but certainty (the process, the
/// time, a count), never 0.
fn fresh_id(seq: u64) -> u64 {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&std::process::id().to_le_bytes());
    h.update(&nanos.to_le_bytes());
    h.update(&seq.to_le_bytes());
    h.digest() | 1
}

/// The part of a temporary name that says this process wrote it.
fn own_tag() -> String {
    format!(".{}.", std::process::id())
}

/// What a checkpoint needs of a VM (its memory mutably: the dirty pages
/// are taken).
pub struct CheckpointState<'a> {
    /// CPU, memory and program.
    pub machine: &'a mut crate::vm::Machine,
    /// Instructions per turn.
    pub slice: u64,
    /// Random generators.
    pub rngs: Vec<(u32, u64)>,
}

/// The number of a checkpoint file's name (`ckpt-000042.snap` → 42).
fn sequence(name: &str) -> Option<u64> {
    name.strip_prefix("ckpt-")?.strip_suffix(".snap")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_number_checkpoints() {
        assert_eq!(sequence("ckpt-000042.snap"), Some(42));
        assert_eq!(sequence(".ckpt-000042.snap.1.2.tmp"), None);
        assert_eq!(sequence("latest"), None);
    }
}
