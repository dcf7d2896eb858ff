//! Snapshots: a VM's complete state in one verified file, read back
//! zero-copy from a memory map.
//!
//! ```text
//!  offset size  field (little-endian)
//!  ------ ----  -----------------------------------------------------------
//!       0    8  magic "MYVMSNAP"
//!       8    4  format version (FORMAT_VERSION)
//!      12    4  header size (64)
//!      16    8  payload length in bytes
//!      24    8  xxh3-64 of the payload
//!      32    8  program fingerprint (asm::Program::fingerprint)
//!      40    8  xxh3-64 of bytes 0..40: the header checks itself
//!      48   16  zero
//!      64    …  payload: an rkyv 0.8 archive of `Image`, 16-byte aligned
//!               in the file and so in the map
//!
//!  Image (archived)
//!   ├─ cpu           32 registers, pc (the next instruction), hi, lo, retired
//!   ├─ slice         instructions per turn
//!   ├─ layout        heap start, break, stack low, memory limit, static bytes
//!   ├─ perms         runs (first page, count, permission) of mapped pages
//!   ├─ pages         runs (first page, bytes) of mapped pages not all zero,
//!   │                restored with one copy straight out of the map
//!   ├─ rngs          random generators (id, state)
//!   └─ program       text, data image, entry, symbols, source map,
//!                    para-instruction operands
//! ```
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

mod format;

pub use format::{Header, FORMAT_VERSION, HEADER_SIZE, MAGIC};

use crate::asm::Program;
use crate::vm::{
    AtomicWriteError, Cpu, Folder, FolderError, GuestMemory, Machine, MemoryLayout, PermRun, Reservation,
    RestoreError,
};
use memmap2::Mmap;
use rkyv::rancor;
use rkyv::util::AlignedVec;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// A run of pages holding data, borrowed from guest memory when writing.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct PageRun<'a> {
    /// First page number.
    pub first: u32,
    /// The pages' bytes (a multiple of the page size).
    #[rkyv(with = rkyv::with::InlineAsBox)]
    pub bytes: &'a [u8],
}

/// Everything a snapshot holds (see the module docs).
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct Image<'a> {
    /// General-purpose registers.
    pub regs: [u32; 32],
    /// Address of the next instruction.
    pub pc: u32,
    /// HI register.
    pub hi: u32,
    /// LO register.
    pub lo: u32,
    /// Instructions retired.
    pub retired: u64,
    /// Instructions per turn.
    pub slice: u64,
    /// Heap, stack and limit.
    pub layout: MemoryLayout,
    /// Mapped pages and their permissions.
    pub perms: Vec<PermRun>,
    /// Pages holding data.
    pub pages: Vec<PageRun<'a>>,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
    /// The program.
    #[rkyv(with = rkyv::with::Inline)]
    pub program: &'a Program,
}

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
}

fn image<'a>(state: &'a VmState<'a>, with_pages: bool) -> Image<'a> {
    let m = state.machine;
    let pages: Vec<PageRun<'_>> = if with_pages {
        m.mem.data_runs().into_iter().map(|(first, bytes)| PageRun { first, bytes }).collect()
    } else {
        Vec::new()
    };
    Image {
        regs: m.cpu.regs,
        pc: m.cpu.pc,
        hi: m.cpu.hi,
        lo: m.cpu.lo,
        retired: m.cpu.retired,
        slice: state.slice,
        layout: m.mem.layout(),
        perms: m.mem.perm_runs(),
        pages,
        rngs: state.rngs.clone(),
        program: &m.program,
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
        payload_len: hashing.len,
        checksum: hashing.hash.digest(),
        fingerprint: state.machine.program.fingerprint(),
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
/// atomically; returns its size. The header is written last, over a
/// placeholder.
pub fn write_in(folder: &Folder, path: &Path, state: &VmState<'_>) -> Result<u64, SnapshotError> {
    use std::io::{Seek, SeekFrom};
    let mut written = None;
    folder
        .write_atomically(path, |file| {
            file.write_all(&[0u8; HEADER_SIZE])?;
            let header = stream(state, std::io::BufWriter::with_capacity(1 << 20, &mut *file))?;
            file.seek(SeekFrom::Start(0))?;
            file.write_all(&header.to_bytes())?;
            written = Some(HEADER_SIZE as u64 + header.payload_len);
            Ok::<(), SnapshotError>(())
        })
        .map_err(|e| match e {
            AtomicWriteError::Folder(e) => SnapshotError::Folder(e),
            AtomicWriteError::Fill(e) => e,
        })?;
    written.ok_or_else(|| SnapshotError::Encode("nothing written".into()))
}

enum Bytes {
    Mapped(Mmap),
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
        let bytes = Arc::new(Bytes::Mapped(map));
        let header = Snapshot::check_structure(bytes.raw())?;
        if bytes.raw().len() < (4 << 20) {
            // Small: hashing costs less than a thread.
            if xxhash_rust::xxh3::xxh3_64(&bytes.raw()[HEADER_SIZE..]) != header.checksum {
                return Err(SnapshotError::Checksum);
            }
            return Ok(Snapshot { bytes, header, pending: std::sync::Mutex::new(None) });
        }
        let hashed = Arc::clone(&bytes);
        let pending = std::thread::spawn(move || xxhash_rust::xxh3::xxh3_64(&hashed.raw()[HEADER_SIZE..]));
        Ok(Snapshot { bytes, header, pending: std::sync::Mutex::new(Some(pending)) })
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

    /// Header and archive structure (rkyv's validation: safe on any bytes).
    fn check_structure(raw: &[u8]) -> Result<Header, SnapshotError> {
        let header = Header::parse(raw)?;
        rkyv::access::<ArchivedImage<'_>, rancor::Error>(&raw[HEADER_SIZE..])
            .map_err(|e| SnapshotError::Archive(e.to_string()))?;
        Ok(header)
    }

    /// Everything at once: header, checksum, archive.
    fn verify(bytes: Bytes) -> Result<Snapshot, SnapshotError> {
        let header = Header::parse(bytes.raw())?;
        if xxhash_rust::xxh3::xxh3_64(&bytes.raw()[HEADER_SIZE..]) != header.checksum {
            return Err(SnapshotError::Checksum);
        }
        Snapshot::check_structure(bytes.raw())?;
        Ok(Snapshot { bytes: Arc::new(bytes), header, pending: std::sync::Mutex::new(None) })
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

    /// The archived image, validated again (cheap: it checks structure, not page bytes).
    pub fn image(&self) -> &ArchivedImage<'static> {
        let payload = &self.raw()[HEADER_SIZE..];
        match rkyv::access::<ArchivedImage<'static>, rancor::Error>(payload) {
            Ok(image) => image,
            Err(e) => unreachable!("validated when opened: {e}"),
        }
    }

    /// The fingerprint of the program the snapshot was taken of.
    pub fn fingerprint(&self) -> u64 {
        self.header.fingerprint
    }

    /// The program stored in the snapshot (from a validated archive; the
    /// payload checksum is checked by [`Snapshot::restore`], which must
    /// succeed before anything runs).
    pub fn program(&self) -> Result<Program, SnapshotError> {
        rkyv::deserialize::<Program, rancor::Error>(&self.image().program)
            .map_err(|e| SnapshotError::Archive(e.to_string()))
    }

    /// Instructions per turn at the time of the snapshot.
    pub fn slice(&self) -> u64 {
        self.image().slice.to_native()
    }

    /// Random generators (id, state).
    pub fn rngs(&self) -> Vec<(u32, u64)> {
        self.image().rngs.iter().map(|r| (r.0.to_native(), r.1.to_native())).collect()
    }

    /// A machine in the snapshot's state, running `image`'s code (which the
    /// caller has matched to the snapshot's program by fingerprint). Fails if
    /// the payload checksum does not match.
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
        let a = self.image();
        let limit = a.layout.limit.to_native();
        let layout = MemoryLayout {
            heap_start: a.layout.heap_start.to_native(),
            brk: a.layout.brk.to_native(),
            stack_low: a.layout.stack_low.to_native(),
            limit: limit_cap.map_or(limit, |cap| cap.min(limit)),
            static_bytes: a.layout.static_bytes.to_native(),
        };
        let perms = a.perms.iter().map(|r| PermRun {
            first: r.first.to_native(),
            count: r.count.to_native(),
            perm: r.perm,
        });
        let pages = a.pages.iter().map(|p| (p.first.to_native(), &*p.bytes));
        let mem = GuestMemory::restore_into(reservation, &image.program, layout, perms, pages)?;
        // Nothing built from a payload whose checksum fails is ever used.
        self.checksum_ok()?;
        let mut regs = [0u32; 32];
        for (r, v) in regs.iter_mut().zip(a.regs.iter()) {
            *r = v.to_native();
        }
        regs[0] = 0;
        let cpu = Cpu {
            regs,
            pc: a.pc.to_native(),
            hi: a.hi.to_native(),
            lo: a.lo.to_native(),
            retired: a.retired.to_native(),
            ..Cpu::default()
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
