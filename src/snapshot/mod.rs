//! Snapshots: a VM's complete state in one verified file, read back
//! zero-copy from a memory map.
//!
//! ```text
//!  offset size  field (little-endian)
//!  ------ ----  -----------------------------------------------------------
//!       0    8  magic "MYVMSNAP"
//!       8    4  format version (FORMAT_VERSION; 1 still reads)
//!      12    4  header size (64)
//!      16    8  payload length in bytes
//!      24    8  xxh3-64 of the payload
//!      32    8  program fingerprint (asm::Program::fingerprint)
//!      40    8  xxh3-64 of bytes 0..40: the header checks itself
//!      48   16  zero
//!      64    …  payload: an rkyv 0.8 archive of `Image`, 16-byte aligned
//!               in the file and so in the map
//!
//!  Image (archived, format 2; see state.rs and docs/snapshots.md)
//!   ├─ versions      the version of each component below
//!   ├─ cpu     (v1)  32 registers, pc (the next instruction), hi, lo, retired
//!   ├─ fpu     (v1)  $f0..$f31, FCSR, whether the FPU was used
//!   ├─ slice         instructions per turn
//!   ├─ memory  (v2)  layout (heap start, break, stack low, memory limit,
//!   │                static bytes), runs (first page, count, permission) of
//!   │                mapped pages, runs (first page, bytes) of mapped pages
//!   │                not all zero, restored with one copy out of the map
//!   ├─ rngs    (v1)  random generators (id, state)
//!   └─ program (v1)  text, data image, entry, symbols, source map,
//!                    para-instruction operands
//! ```
//!
//! Format 1 (one flat record, no FPU, memory version 1) still loads: each
//! component of either format is converted to the live state (state.rs).
//!
//! A snapshot is written atomically (a temporary file of its own in the same
//! folder, fsync, rename, fsync of the folder) beneath the snapshot folder and its bytes depend only on the VM's state, never on the
//! engine that ran it. Reading checks the header and the archive itself
//! (rkyv's bytecheck validation, safe on any bytes) before touching
//! anything, and the payload checksum before a VM built from it is handed
//! out (for a file it is computed on another thread while the VM's memory is
//! prepared); guest memory is copied from the map into the new VM's memory
//! directly.
//! Open files are not part of a snapshot: a restored VM starts with none.

mod chain;
pub mod checkpoint;
mod format;
pub mod state;

pub use format::{Header, FORMAT_VERSION, HEADER_SIZE, MAGIC, OLDEST_VERSION};
pub use state::{Image, ImageV1, PageRun, Parts};

use crate::program::Program;
use crate::vm::{AtomicWriteError, Folder, FolderError, GuestMemory, Machine, Reservation, RestoreError};
use memmap2::Mmap;
use rkyv::rancor;
use rkyv::util::AlignedVec;
use state::{ArchivedImage, ArchivedImageV1, ArchivedImageV2, ArchivedImageV3};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// What a VM contributes to a snapshot besides its machine.
pub struct VmState<'a> {
    /// CPU, memory and program.
    pub machine: &'a Machine,
    /// Instructions per turn.
    pub slice: u64,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
}

/// Why a snapshot cannot be written or read.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// A file operation failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The path is not allowed, or the folder refused the write.
    #[error("{0}")]
    Folder(#[from] FolderError),
    /// The path is not a regular file (a FIFO, a device, a folder).
    #[error("{0}")]
    Input(crate::asm::limits::InputError),
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file is shorter than its header says.
    #[error("truncated: {found} bytes, expected {expected}")]
    Truncated {
        /// Bytes present.
        found: u64,
        /// Bytes the header promises.
        expected: u64,
    },
    /// Not a myvmm snapshot at all.
    #[error("not a myvmm snapshot (wrong magic number)")]
    Foreign,
    /// Written by a newer myvmm.
    #[error("format version {found} is newer than this myvmm reads ({FORMAT_VERSION})")]
    Newer {
        /// The file's version.
        found: u32,
    },
    /// A version this myvmm never wrote.
    #[error("unknown format version {0}")]
    UnknownVersion(u32),
    /// The header does not check out.
    #[error("corrupted header ({0})")]
    Header(&'static str),
    /// The payload's checksum differs: some byte changed.
    #[error("corrupted: the payload checksum does not match")]
    Checksum,
    /// The archive does not validate.
    #[error("corrupted: the archive is invalid ({0})")]
    Archive(String),
    /// The archive validates but describes an impossible VM.
    #[error("corrupted: {0}")]
    Restore(#[from] RestoreError),
    /// Serialisation failed.
    #[error("cannot encode the snapshot: {0}")]
    Encode(String),
    /// A component in a version this myvmm does not read.
    #[error("its {component} state is in version {found}, which this myvmm does not read (it reads up to {known})")]
    Component {
        /// Which component.
        component: &'static str,
        /// Its version in the file.
        found: u32,
        /// The newest version this myvmm reads.
        known: u32,
    },
    /// Restoring with a program other than the snapshot's.
    #[error("it was taken of a different program")]
    Mismatch,
    /// The program stored in the snapshot is not the one its header names.
    #[error("corrupted: its program does not match its fingerprint")]
    ProgramFingerprint,
    /// The restored VM's engine cannot start.
    #[error("{0}")]
    Engine(String),
    /// An incremental checkpoint's chain of parents is broken.
    #[error("{0}")]
    Chain(String),
}

/// The archived form of a VM's state (format [`FORMAT_VERSION`]); with
/// `with_pages` false, without its guest pages (migration sends them apart).
pub fn image<'a>(state: &'a VmState<'a>, with_pages: bool) -> Image<'a> {
    use state::{CpuV1, FpuV1, LayoutV1, MemoryV1, PermRunV1, Versions};
    let m = state.machine;
    let pages: Vec<PageRun<'_>> = if with_pages {
        m.mem.data_runs().into_iter().map(|(first, bytes)| PageRun { first, bytes }).collect()
    } else {
        Vec::new()
    };
    let layout = m.mem.layout();
    Image {
        versions: Versions {
            cpu: state::CPU_VERSION,
            fpu: state::FPU_VERSION,
            memory: state::memory_version(&layout),
            rngs: state::RNGS_VERSION,
            program: state::PROGRAM_VERSION,
        },
        cpu: CpuV1 { regs: m.cpu.regs, pc: m.cpu.pc, hi: m.cpu.hi, lo: m.cpu.lo, retired: m.cpu.retired },
        fpu: FpuV1 { fpr: m.cpu.fpr, fcsr: m.cpu.fcsr, used: m.cpu.fpu_used },
        slice: state.slice,
        memory: MemoryV1 {
            layout: LayoutV1 {
                heap_start: layout.heap_start,
                brk: layout.brk,
                stack_low: layout.stack_low,
                limit: layout.limit,
                static_bytes: layout.static_bytes,
            },
            perms: m
                .mem
                .perm_runs()
                .into_iter()
                .map(|r| PermRunV1 { first: r.first, count: r.count, perm: r.perm })
                .collect(),
            pages,
        },
        rngs: state.rngs.clone(),
        program: (&*m.program).into(),
        delay: state::DelayV1 {
            mode: m.cpu.delay_mode,
            pending: m.cpu.delay_pending,
            target: m.cpu.delay_target,
        },
        linux: m
            .program
            .linux
            .as_ref()
            .map(|start| state::LinuxV1::of(&m.program, start, m.cpu.user_local, m.mem.layout().anon_bytes)),
        area: state::PageAreaV1::default(),
        id: 0,
        parent: None,
    }
}

/// Hashes what passes through on its way to the file.
struct Hashing<W> {
    inner: W,
    hash: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Serialises a VM's archive (no header) into `sink`, hashing it on the
/// way; returns the header that belongs in front of it. Guest memory goes
/// from the VM to the sink with no copy in between.
pub fn stream(state: &VmState<'_>, sink: impl Write) -> Result<Header, SnapshotError> {
    stream_image(&image(state, true), state, sink)
}

/// [`stream`] without the guest memory's pages: for a transfer that sends
/// them apart, straight into the receiver's guest memory (migration).
pub fn stream_without_pages(state: &VmState<'_>, sink: impl Write) -> Result<Header, SnapshotError> {
    stream_image(&image(state, false), state, sink)
}

fn stream_image(image: &Image<'_>, state: &VmState<'_>, sink: impl Write) -> Result<Header, SnapshotError> {
    let hashing = Hashing { inner: sink, hash: Default::default(), len: 0 };
    let writer = rkyv::ser::writer::IoWriter::new(hashing);
    let writer = rkyv::api::high::to_bytes_in::<_, rancor::Error>(image, writer)
        .map_err(|e| SnapshotError::Encode(e.to_string()))?;
    let mut hashing = writer.into_inner();
    hashing.flush()?;
    Ok(Header {
        version: FORMAT_VERSION,
        payload_len: hashing.len,
        checksum: hashing.hash.digest(),
        fingerprint: state.machine.program.fingerprint(),
        page_bytes: 0,
    })
}

/// Writes a snapshot of a VM to `path` (a host path the user chose, not a
/// guest's: benches, tools) atomically; returns its size.
pub fn write(path: &Path, state: &VmState<'_>) -> Result<u64, SnapshotError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => Folder::open(p)?,
        _ => Folder::working(),
    };
    let name = path.file_name().ok_or_else(|| FolderError::NoName(path.display().to_string()))?;
    write_in(&folder, Path::new(name), state)
}

/// Writes a snapshot of a VM to `path` beneath `folder` (see
/// [`crate::vm::folder`]: no absolute paths, no `..`, no link out of it)
/// atomically; returns its size.
pub fn write_in(folder: &Folder, path: &Path, state: &VmState<'_>) -> Result<u64, SnapshotError> {
    Ok(write_pages_in(folder, path, state, PageSet::All, 0)?.bytes)
}

/// Which guest pages a snapshot file holds.
pub enum PageSet<'a> {
    /// Every mapped page holding data: a snapshot that stands alone.
    All,
    /// These runs `(first page, count)` only (zero pages included): an
    /// incremental checkpoint, whose other pages are its parent's.
    Changed {
        /// The pages written since the parent.
        runs: &'a [(u32, u32)],
        /// The parent, in the same folder.
        parent: state::ParentV1,
    },
}

/// What [`write_pages_in`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    /// Bytes of the file.
    pub bytes: u64,
    /// Bytes of guest pages in it.
    pub page_bytes: u64,
    /// The checksum in its header (what a child names its parent by).
    pub checksum: u64,
}

/// Writes a snapshot file (format [`FORMAT_VERSION`]): header, archive,
/// then the pages of `set` in a page-aligned area with a hash per page, so
/// that `-s` maps them instead of copying (see `vm::memory::lazy`).
/// Atomic: a temporary file of its own, fsync, rename; the header is
/// written last, over a placeholder. `id` names the state for checkpoints
/// taken over it (0 for a snapshot that stands alone).
pub fn write_pages_in(
    folder: &Folder,
    path: &Path,
    state: &VmState<'_>,
    set: PageSet<'_>,
    id: u64,
) -> Result<Written, SnapshotError> {
    use std::io::{Seek, SeekFrom};
    let (runs, parent) = match set {
        PageSet::All => (None, None),
        PageSet::Changed { runs, parent } => (Some(runs), Some(parent)),
    };
    let exported = state.machine.mem.export_runs(runs);
    let mut area = state::PageAreaV1::default();
    for run in &exported {
        area.runs.push((run.first, (run.bytes.len() >> crate::vm::PAGE_SHIFT) as u32));
        match run.expected {
            Some(hashes) => area
                .hashes
                .extend(hashes.chunks_exact(8).map(|h| u64::from_le_bytes(h.try_into().unwrap_or_default()))),
            None => area.hashes.extend(run.bytes.chunks_exact(PAGE).map(xxhash_rust::xxh3::xxh3_64)),
        }
    }
    let page_bytes = area.hashes.len() as u64 * PAGE as u64;
    let mut image = image(state, false);
    image.area = area;
    image.parent = parent;
    image.id = id;
    let mut written = None;
    folder
        .write_atomically(path, |file| {
            file.write_all(&[0u8; HEADER_SIZE])?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut *file);
            let mut header = stream_image(&image, state, &mut out)?;
            header.page_bytes = page_bytes;
            if page_bytes > 0 {
                let pad = header.area_offset() - HEADER_SIZE as u64 - header.payload_len;
                out.write_all(&[0u8; PAGE][..pad as usize])?;
                for run in &exported {
                    out.write_all(run.bytes)?;
                }
            }
            out.flush()?;
            drop(out);
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&header.to_bytes())?;
            written = Some(Written { bytes: header.file_len(), page_bytes, checksum: header.checksum });
            Ok::<(), SnapshotError>(())
        })
        .map_err(|e| match e {
            AtomicWriteError::Folder(e) => SnapshotError::Folder(e),
            AtomicWriteError::Fill(e) => e,
        })?;
    written.ok_or_else(|| SnapshotError::Encode("nothing written".into()))
}

const PAGE: usize = crate::program::PAGE_SIZE as usize;

/// Checkpoints a chain may hold before [`Snapshot`] refuses it as a loop
/// (compaction keeps real chains far shorter).
pub const MAX_CHAIN: usize = 64;

enum Bytes {
    Mapped(Arc<Mmap>),
    Owned(AlignedVec<16>),
}

impl Bytes {
    fn raw(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// A snapshot: header checked, archive validated; the payload checksum is
/// checked before any VM is built from it (see [`Snapshot::restore`]).
pub struct Snapshot {
    bytes: Arc<Bytes>,
    header: Header,
    /// The file, open (a snapshot read from one): its pages are mapped
    /// from it.
    file: Option<(Arc<std::fs::File>, std::path::PathBuf)>,
    /// The payload's checksum, still being computed on another thread (a
    /// file's payload is hashed while its VM's memory is prepared).
    pending: std::sync::Mutex<Option<std::thread::JoinHandle<u64>>>,
}

impl Snapshot {
    /// Maps a snapshot file and checks its header and archive; the payload
    /// checksum is computed alongside and checked by [`Snapshot::restore`].
    pub fn open(path: &Path) -> Result<Snapshot, SnapshotError> {
        // A snapshot is a regular file: a FIFO would block the open, a
        // device would be mapped or read without end.
        crate::asm::limits::check_input(path, u64::MAX).map_err(SnapshotError::Input)?;
        let file = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::File::options().read(true).custom_flags(libc::O_NONBLOCK).open(path)?
        };
        if !file.metadata()?.is_file() {
            return Err(SnapshotError::Input(crate::asm::limits::InputError::NotRegular(
                "not a regular file",
            )));
        }
        if file.metadata()?.len() == 0 {
            return Err(SnapshotError::Empty);
        }
        // SAFETY: the map is read-only and lives as long as the Snapshot.
        // Another process truncating the file while it is mapped would be the
        // user's error; myvmm itself only ever replaces snapshots by rename.
        let map = unsafe { Mmap::map(&file)? };
        let bytes = Arc::new(Bytes::Mapped(Arc::new(map)));
        let header = Snapshot::check_structure(bytes.raw())?;
        let file = Some((Arc::new(file), path.to_path_buf()));
        if header.payload_len < (4 << 20) {
            // Small (every archive whose pages are in a page area): hashing
            // costs less than a thread.
            if xxhash_rust::xxh3::xxh3_64(payload_of(bytes.raw(), &header)) != header.checksum {
                return Err(SnapshotError::Checksum);
            }
            return Ok(Snapshot { bytes, header, file, pending: std::sync::Mutex::new(None) });
        }
        let hashed = Arc::clone(&bytes);
        let pending =
            std::thread::spawn(move || xxhash_rust::xxh3::xxh3_64(payload_of(hashed.raw(), &header)));
        Ok(Snapshot { bytes, header, file, pending: std::sync::Mutex::new(Some(pending)) })
    }

    /// Verifies an archive received without its file header: `bytes` holds
    /// [`HEADER_SIZE`] bytes of room, then the archive; `header` is filled in.
    pub fn from_parts(header: &Header, mut bytes: AlignedVec<16>) -> Result<Snapshot, SnapshotError> {
        if bytes.len() < HEADER_SIZE {
            return Err(SnapshotError::Truncated { found: bytes.len() as u64, expected: HEADER_SIZE as u64 });
        }
        bytes[..HEADER_SIZE].copy_from_slice(&header.to_bytes());
        Snapshot::verify(Bytes::Owned(bytes))
    }

    /// Verifies snapshot bytes held in memory (copied once to align them).
    pub fn from_bytes(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let mut aligned = AlignedVec::<16>::with_capacity(bytes.len());
        aligned.extend_from_slice(bytes);
        Snapshot::verify(Bytes::Owned(aligned))
    }

    fn raw(&self) -> &[u8] {
        self.bytes.raw()
    }

    /// Header and archive structure (rkyv's validation: safe on any
    /// bytes), and the page area against the archive.
    fn check_structure(raw: &[u8]) -> Result<Header, SnapshotError> {
        let header = Header::parse(raw)?;
        let parts = parts(header.version, payload_of(raw, &header))?;
        let area_pages: u64 = parts.area.map_or(0, |a| a.runs.iter().map(|r| r.1.to_native() as u64).sum());
        let hashes = parts.area.map_or(0, |a| a.hashes.len() as u64);
        if area_pages * PAGE as u64 != header.page_bytes || hashes != area_pages {
            return Err(SnapshotError::Archive(format!(
                "its page area holds {} bytes, its archive describes {area_pages} pages with {hashes} hashes",
                header.page_bytes
            )));
        }
        if header.page_bytes > 0 {
            let padding = &raw[HEADER_SIZE + header.payload_len as usize..header.area_offset() as usize];
            if padding.iter().any(|&b| b != 0) {
                return Err(SnapshotError::Header("the padding before the page area is not zero"));
            }
        }
        Ok(header)
    }

    /// Everything at once: header, checksum, archive.
    fn verify(bytes: Bytes) -> Result<Snapshot, SnapshotError> {
        let header = Header::parse(bytes.raw())?;
        if xxhash_rust::xxh3::xxh3_64(payload_of(bytes.raw(), &header)) != header.checksum {
            return Err(SnapshotError::Checksum);
        }
        Snapshot::check_structure(bytes.raw())?;
        Ok(Snapshot { bytes: Arc::new(bytes), header, file: None, pending: std::sync::Mutex::new(None) })
    }

    /// The checksum in the header (what a child checkpoint names it by).
    pub fn checksum(&self) -> u64 {
        self.header.checksum
    }

    /// The checkpoint this one was taken over, if any: (file name, its id).
    pub fn parent(&self) -> Option<(String, u64)> {
        self.parts().ok()?.parent.map(|p| (p.name.to_string(), p.id.to_native()))
    }

    /// The id that names this state for checkpoints taken over it (0 for
    /// none, and for formats before 4).
    pub fn id(&self) -> u64 {
        self.parts().map_or(0, |p| p.id)
    }

    /// Bytes of guest pages in the file's page area.
    pub fn page_bytes(&self) -> u64 {
        self.header.page_bytes
    }

    /// Where guest page `page` lies in the file, if its page area holds it
    /// (for tools and tests that inspect or damage one page).
    pub fn page_offset(&self, page: u32) -> Option<u64> {
        let parts = self.parts().ok()?;
        let area = parts.area?;
        let mut at = self.header.area_offset();
        for run in area.runs.iter() {
            let (first, count) = (run.0.to_native(), run.1.to_native());
            if (first..first.saturating_add(count)).contains(&page) {
                return Some(at + (page - first) as u64 * PAGE as u64);
            }
            at += count as u64 * PAGE as u64;
        }
        None
    }

    /// Waits for the payload checksum, if it is still being computed.
    fn checksum_ok(&self) -> Result<(), SnapshotError> {
        let handle = self.pending.lock().unwrap_or_else(|e| e.into_inner()).take();
        match handle.map(|h| h.join()) {
            None => Ok(()),
            Some(Ok(sum)) if sum == self.header.checksum => Ok(()),
            Some(_) => Err(SnapshotError::Checksum),
        }
    }

    /// The VM's state, every component in its live form (the archive is
    /// validated again: cheap, it checks structure, not page bytes).
    /// (A file changed in place since it was opened fails here.)
    pub fn parts(&self) -> Result<Parts<'_>, SnapshotError> {
        parts(self.header.version, payload_of(self.raw(), &self.header))
    }

    /// The format version the file was written in.
    pub fn format_version(&self) -> u32 {
        self.header.version
    }

    /// The fingerprint of the program the snapshot was taken of.
    pub fn fingerprint(&self) -> u64 {
        self.header.fingerprint
    }

    /// The program stored in the snapshot (from a validated archive; the
    /// payload checksum is checked by [`Snapshot::restore`], which must
    /// succeed before anything runs).
    pub fn program(&self) -> Result<Program, SnapshotError> {
        let parts = self.parts()?;
        let mut program: Program = rkyv::deserialize::<state::ProgramV1, rancor::Error>(parts.program)
            .map_err(|e| SnapshotError::Archive(e.to_string()))?
            .into();
        if let Some(linux) = parts.linux {
            let linux = rkyv::deserialize::<state::LinuxV1, rancor::Error>(linux)
                .map_err(|e| SnapshotError::Archive(e.to_string()))?;
            linux.restore_into(&mut program);
            program.delay_slots = true;
        }
        if program.fingerprint() != self.header.fingerprint {
            return Err(SnapshotError::ProgramFingerprint);
        }
        Ok(program)
    }

    /// Instructions per turn at the time of the snapshot.
    pub fn slice(&self) -> Result<u64, SnapshotError> {
        Ok(self.parts()?.slice)
    }

    /// Random generators (id, state).
    pub fn rngs(&self) -> Result<Vec<(u32, u64)>, SnapshotError> {
        Ok(self.parts()?.rngs)
    }

    /// A machine in the snapshot's state, running `image`'s code. Fails if
    /// `image` is not the snapshot's program (by fingerprint:
    /// [`SnapshotError::Mismatch`]) or the payload checksum does not match.
    pub fn restore(&self, image: &crate::vm::Image) -> Result<Machine, SnapshotError> {
        self.restore_into(image, Reservation::new()?, None)
    }

    /// [`Snapshot::restore`] into an address space reserved beforehand,
    /// with the VM's memory limit lowered to `limit_cap` if that is smaller
    /// (a received VM gets the receiver's limit). The layout is validated
    /// against the program and the limit (see
    /// [`GuestMemory::restore_into`]): a forged snapshot that maps memory
    /// its VM could never have is refused.
    pub fn restore_into(
        &self,
        image: &crate::vm::Image,
        reservation: Reservation,
        limit_cap: Option<u64>,
    ) -> Result<Machine, SnapshotError> {
        if image.program.fingerprint() != self.header.fingerprint {
            return Err(SnapshotError::Mismatch);
        }
        let parts = self.parts()?;
        let mut layout = parts.layout;
        layout.limit = limit_cap.map_or(layout.limit, |cap| cap.min(layout.limit));
        // Nothing built from a payload whose checksum fails is ever used.
        self.checksum_ok()?;
        let cpu = parts.cpu.clone();
        let mem = if self.header.page_bytes > 0 || parts.parent.is_some() {
            chain::restore(self, &image.program, reservation, layout, parts)?
        } else {
            GuestMemory::restore_into(reservation, &image.program, layout, parts.perms, parts.pages)?
        };
        Ok(Machine {
            cpu,
            mem,
            code: Arc::clone(&image.code),
            text_base: image.program.text_base,
            program: Arc::clone(&image.program),
        })
    }
}

/// Reads an archive of format `version` into live parts, after rkyv's
/// validation (safe on any bytes) and a check of every component version.
fn parts(version: u32, payload: &[u8]) -> Result<Parts<'_>, SnapshotError> {
    let archive = |e: rancor::Error| SnapshotError::Archive(e.to_string());
    match version {
        1 => {
            let a = rkyv::access::<ArchivedImageV1<'_>, rancor::Error>(payload).map_err(archive)?;
            let cpu = state::ArchivedCpuV1 { regs: a.regs, pc: a.pc, hi: a.hi, lo: a.lo, retired: a.retired };
            Ok(Parts {
                cpu: state::cpu_from(&cpu, None),
                slice: a.slice.to_native(),
                layout: state::layout_from(&a.layout, 1),
                perms: state::perms_from(&a.perms),
                pages: state::pages_from(&a.pages),
                rngs: state::rngs_from(&a.rngs),
                program: &a.program,
                linux: None,
                area: None,
                parent: None,
                id: 0,
            })
        }
        2 => {
            let a = rkyv::access::<ArchivedImageV2<'_>, rancor::Error>(payload).map_err(archive)?;
            check_versions(&a.versions)?;
            Ok(Parts {
                cpu: state::cpu_from(&a.cpu, Some(&a.fpu)),
                slice: a.slice.to_native(),
                layout: state::layout_from(&a.memory.layout, a.versions.memory.to_native()),
                perms: state::perms_from(&a.memory.perms),
                pages: state::pages_from(&a.memory.pages),
                rngs: state::rngs_from(&a.rngs),
                program: &a.program,
                linux: None,
                area: None,
                parent: None,
                id: 0,
            })
        }
        3 => {
            let a = rkyv::access::<ArchivedImageV3<'_>, rancor::Error>(payload).map_err(archive)?;
            check_versions(&a.versions)?;
            let (cpu, layout) =
                cpu_and_layout(&a.cpu, &a.fpu, &a.delay, &a.memory.layout, &a.versions, a.linux.as_ref());
            Ok(Parts {
                cpu,
                slice: a.slice.to_native(),
                layout,
                perms: state::perms_from(&a.memory.perms),
                pages: state::pages_from(&a.memory.pages),
                rngs: state::rngs_from(&a.rngs),
                program: &a.program,
                linux: a.linux.as_ref(),
                area: None,
                parent: None,
                id: 0,
            })
        }
        _ => {
            let a = rkyv::access::<ArchivedImage<'_>, rancor::Error>(payload).map_err(archive)?;
            check_versions(&a.versions)?;
            let (cpu, layout) =
                cpu_and_layout(&a.cpu, &a.fpu, &a.delay, &a.memory.layout, &a.versions, a.linux.as_ref());
            Ok(Parts {
                cpu,
                slice: a.slice.to_native(),
                layout,
                perms: state::perms_from(&a.memory.perms),
                pages: state::pages_from(&a.memory.pages),
                rngs: state::rngs_from(&a.rngs),
                program: &a.program,
                linux: a.linux.as_ref(),
                area: Some(&a.area),
                parent: a.parent.as_ref(),
                id: a.id.to_native(),
            })
        }
    }
}

/// The live CPU and memory layout of format 3 on.
fn cpu_and_layout(
    cpu: &state::ArchivedCpuV1,
    fpu: &state::ArchivedFpuV1,
    delay: &state::ArchivedDelayV1,
    layout: &state::ArchivedLayoutV1,
    versions: &state::ArchivedVersions,
    linux: Option<&state::ArchivedLinuxV1>,
) -> (crate::vm::Cpu, crate::vm::MemoryLayout) {
    let mut cpu = state::cpu_from(cpu, Some(fpu));
    cpu.delay_mode = u32::from(delay.mode.to_native() != 0);
    cpu.delay_pending = u32::from(delay.pending.to_native() != 0 && cpu.delay_mode != 0);
    cpu.delay_target = if cpu.delay_pending != 0 { delay.target.to_native() } else { 0 };
    let mut layout = state::layout_from(layout, versions.memory.to_native());
    if let Some(l) = linux {
        cpu.user_local = l.user_local.to_native();
        layout.anon_bytes = l.anon_bytes.to_native();
    }
    (cpu, layout)
}

/// The archive of a snapshot's bytes (checked by [`Header::parse`]).
fn payload_of<'a>(raw: &'a [u8], header: &Header) -> &'a [u8] {
    &raw[HEADER_SIZE..HEADER_SIZE + header.payload_len as usize]
}

/// Refuses component versions this myvmm does not read.
fn check_versions(v: &state::ArchivedVersions) -> Result<(), SnapshotError> {
    let known = |component, found: u32, newest: u32| {
        if (1..=newest).contains(&found) {
            Ok(())
        } else {
            Err(SnapshotError::Component { component, found, known: newest })
        }
    };
    known("CPU", v.cpu.to_native(), state::CPU_VERSION)?;
    known("FPU", v.fpu.to_native(), state::FPU_VERSION)?;
    known("memory", v.memory.to_native(), state::MEMORY_VERSION)?;
    known("random generator", v.rngs.to_native(), state::RNGS_VERSION)?;
    known("program", v.program.to_native(), state::PROGRAM_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::{DataMap, Image as Code};

    fn machine() -> Machine {
        let program = crate::asm::assemble_str("t.s", ".data\nx: .word 7\n.text\nmain: nop\n").unwrap();
        Machine::new(&Code::new(program), 1 << 20).unwrap()
    }

    fn file(image: &Image<'_>, fingerprint: u64) -> Vec<u8> {
        let archive = rkyv::to_bytes::<rancor::Error>(image).unwrap();
        [&Header::new(&archive, fingerprint).to_bytes()[..], &archive[..]].concat()
    }

    #[test]
    fn every_component_round_trips_fpu_included() {
        let mut m = machine();
        m.cpu.fpr[3] = 0x4049_0fdb;
        m.cpu.fcsr = 0x0180_0002;
        m.cpu.fpu_used = 1;
        m.cpu.regs[9] = 99;
        m.mem.store32(0x1000_0018, 5).unwrap();
        let state = VmState { machine: &m, slice: 3, rngs: vec![(1, 2)] };
        let snap = Snapshot::from_bytes(&file(&image(&state, true), m.program.fingerprint())).unwrap();
        assert_eq!(snap.format_version(), FORMAT_VERSION);
        let back = snap.restore(&Code::new(snap.program().unwrap())).unwrap();
        assert_eq!(back.cpu, m.cpu);
        assert_eq!(back.mem.layout(), m.mem.layout());
        assert_eq!(back.mem.layout().data_map, DataMap::Segment);
        assert_eq!(back.mem.load32(0x1000_0018), Ok(5));
        assert_eq!((snap.slice().unwrap(), snap.rngs().unwrap()), (3, vec![(1, 2)]));
    }

    #[test]
    fn unknown_component_versions_and_other_programs_are_refused_by_name() {
        let m = machine();
        let state = VmState { machine: &m, slice: 3, rngs: Vec::new() };
        let mut newer = image(&state, true);
        newer.versions.fpu = state::FPU_VERSION + 1;
        let e = Snapshot::from_bytes(&file(&newer, m.program.fingerprint())).err().unwrap();
        assert!(matches!(e, SnapshotError::Component { component: "FPU", .. }), "{e}");
        assert!(e.to_string().contains("FPU state is in version 2"), "{e}");
        let mut zero = image(&state, true);
        zero.versions.memory = 0;
        assert!(Snapshot::from_bytes(&file(&zero, 1)).is_err());
        // The fingerprint check lives in restore and in program().
        let snap = Snapshot::from_bytes(&file(&image(&state, true), m.program.fingerprint() ^ 1)).unwrap();
        assert!(matches!(snap.program(), Err(SnapshotError::ProgramFingerprint)));
        let other = crate::asm::assemble_str("o.s", ".text\nmain: li $t0, 1\n").unwrap();
        assert!(matches!(snap.restore(&Code::new(other)), Err(SnapshotError::Mismatch)));
        let right = Snapshot::from_bytes(&file(&image(&state, true), m.program.fingerprint())).unwrap();
        let other = crate::asm::assemble_str("o.s", ".text\nmain: li $t0, 1\n").unwrap();
        assert!(matches!(right.restore(&Code::new(other)), Err(SnapshotError::Mismatch)));
    }

    #[test]
    fn a_memory_1_layout_is_checked_by_its_own_rules() {
        let program = crate::asm::assemble_str("t.s", ".data\nx: .word 7\n.text\nmain: nop\n").unwrap();
        let old = GuestMemory::with_map(&program, 1 << 20, DataMap::Static).unwrap();
        assert_eq!(old.layout().heap_start, program.heap_start);
        assert_eq!(old.perm(0x1000_0018), 0, "the first layout maps static data only");
        let new = GuestMemory::new(&program, 1 << 20).unwrap();
        assert_eq!(new.layout().heap_start, 0x1004_0000);
        // Each layout restores under its own version, not under the other's.
        for (mem, other) in [(&old, DataMap::Segment), (&new, DataMap::Static)] {
            let pages: Vec<(u32, Vec<u8>)> =
                mem.data_runs().into_iter().map(|(f, b)| (f, b.to_vec())).collect();
            let ok = GuestMemory::restore(
                &program,
                mem.layout(),
                mem.perm_runs(),
                pages.iter().map(|(f, b)| (*f, &b[..])),
            );
            assert!(ok.is_ok());
            let swapped = crate::vm::MemoryLayout { data_map: other, ..mem.layout() };
            assert!(GuestMemory::restore(&program, swapped, mem.perm_runs(), std::iter::empty()).is_err());
        }
    }
}
