//! The saved state, one versioned component at a time (as Firecracker
//! versions its saved state): each component's archived form is frozen
//! under its version number here and never changes; a new layout of a
//! component is a new type with the next number, and every format version
//! names the component versions it holds (docs/snapshots.md has the table).
//! Reading converts each component, whatever its version, into the live
//! state, so snapshots written by older myvmm keep loading.
//!
//! These types are the snapshot's own, not the VM's: a change to
//! [`crate::program::Program`] or [`crate::vm::Cpu`] breaks a conversion here at
//! compile time instead of silently changing what the files hold.

use crate::program::{DataSegment, LinuxStart, Loc, Program, SourceFile, SourceMap, Symbol};
use crate::vm::{Cpu, DataMap, MemoryLayout, PermRun};

/// Version of the integer CPU component this myvmm writes.
pub const CPU_VERSION: u32 = 1;
/// Version of the FPU component this myvmm writes.
pub const FPU_VERSION: u32 = 1;
/// Newest version of the memory component (1: static data only, heap right
/// after it; 2: MARS's whole data segment, heap from 0x10040000). A VM
/// keeps the layout it started with, so a VM restored from a version-1
/// snapshot writes version 1 again.
pub const MEMORY_VERSION: u32 = 2;
/// Version of the random-generators component.
pub const RNGS_VERSION: u32 = 1;
/// Version of the program component.
pub const PROGRAM_VERSION: u32 = 1;

/// The version of each component in a snapshot (format 2 on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct Versions {
    /// Integer CPU state ([`CpuV1`]).
    pub cpu: u32,
    /// FPU state ([`FpuV1`]).
    pub fpu: u32,
    /// Memory ([`MemoryV1`], whose layout rules the version names).
    pub memory: u32,
    /// Random generators.
    pub rngs: u32,
    /// Program ([`ProgramV1`]).
    pub program: u32,
}

/// Integer CPU state, version 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct CpuV1 {
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
}

/// FPU state, version 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct FpuV1 {
    /// `$f0`..`$f31`, raw bits.
    pub fpr: [u32; 32],
    /// FCSR.
    pub fcsr: u32,
    /// Nonzero once the VM has used the FPU.
    pub used: u32,
}

/// Memory layout numbers, version 1 (memory versions 1 and 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct LayoutV1 {
    /// First heap address.
    pub heap_start: u32,
    /// Current break.
    pub brk: u32,
    /// Lowest stack address.
    pub stack_low: u32,
    /// The memory limit in bytes.
    pub limit: u64,
    /// Bytes of static memory counted against the limit.
    pub static_bytes: u64,
}

/// Pages `first .. first + count` have permission `perm` (version 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct PermRunV1 {
    /// First page number.
    pub first: u32,
    /// Number of pages.
    pub count: u32,
    /// `PERM_R`, `PERM_W` bits.
    pub perm: u8,
}

/// A run of pages holding data, borrowed from guest memory when writing.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct PageRun<'a> {
    /// First page number.
    pub first: u32,
    /// The pages' bytes (a multiple of the page size).
    #[rkyv(with = rkyv::with::InlineAsBox)]
    pub bytes: &'a [u8],
}

/// Memory: layout, permissions and the pages holding data (memory versions
/// 1 and 2 share this form; the version says how the layout is checked).
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct MemoryV1<'a> {
    /// Heap, stack and limit.
    pub layout: LayoutV1,
    /// Mapped pages and their permissions.
    pub perms: Vec<PermRunV1>,
    /// Pages holding data, restored with one copy straight out of the map.
    pub pages: Vec<PageRun<'a>>,
}

/// A source position (program version 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct LocV1 {
    /// File index.
    pub file: u32,
    /// Line.
    pub line: u32,
    /// Column.
    pub col: u32,
}

/// A source file (program version 1).
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct SourceFileV1 {
    /// Path as given.
    pub path: String,
    /// Whole text.
    pub text: String,
}

/// Source positions (program version 1).
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct SourceMapV1 {
    /// Files.
    pub files: Vec<SourceFileV1>,
    /// One location per text word.
    pub locs: Vec<LocV1>,
}

/// Initialised data (program version 1).
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct DataSegmentV1 {
    /// Guest address.
    pub base: u32,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A symbol (program version 1).
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct SymbolV1 {
    /// Name.
    pub name: String,
    /// Value.
    pub value: u32,
    /// `.globl`.
    pub global: bool,
}

/// The assembled program, version 1 (the form format 1 archived
/// [`Program`] in, field for field).
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct ProgramV1 {
    /// Address of `text[0]`.
    pub text_base: u32,
    /// Text words.
    pub text: Vec<u32>,
    /// Static data.
    pub data: Vec<DataSegmentV1>,
    /// Entry point.
    pub entry: u32,
    /// The program's own heap start (after static data).
    pub heap_start: u32,
    /// Symbols.
    pub symbols: Vec<SymbolV1>,
    /// Para-instruction operands.
    pub para_args: Vec<String>,
    /// Source map.
    pub source: SourceMapV1,
}

impl From<&Program> for ProgramV1 {
    fn from(p: &Program) -> ProgramV1 {
        ProgramV1 {
            text_base: p.text_base,
            text: p.text.clone(),
            data: p.data.iter().map(|d| DataSegmentV1 { base: d.base, bytes: d.bytes.clone() }).collect(),
            entry: p.entry,
            heap_start: p.heap_start,
            symbols: p
                .symbols
                .iter()
                .map(|s| SymbolV1 { name: s.name.clone(), value: s.value, global: s.global })
                .collect(),
            para_args: p.para_args.clone(),
            source: SourceMapV1 {
                files: p
                    .source
                    .files
                    .iter()
                    .map(|f| SourceFileV1 { path: f.path.clone(), text: f.text.clone() })
                    .collect(),
                locs: p
                    .source
                    .locs
                    .iter()
                    .map(|l| LocV1 { file: l.file, line: l.line, col: l.col })
                    .collect(),
            },
        }
    }
}

impl From<ProgramV1> for Program {
    fn from(p: ProgramV1) -> Program {
        Program {
            text_base: p.text_base,
            text: p.text,
            // Format 3's Linux process names the read-only ones (see LinuxV1).
            data: p
                .data
                .into_iter()
                .map(|d| DataSegment { base: d.base, bytes: d.bytes, writable: true })
                .collect(),
            entry: p.entry,
            heap_start: p.heap_start,
            symbols: p
                .symbols
                .into_iter()
                .map(|s| Symbol { name: s.name, value: s.value, global: s.global })
                .collect(),
            para_args: p.para_args,
            source: SourceMap {
                files: p
                    .source
                    .files
                    .into_iter()
                    .map(|f| SourceFile { path: f.path, text: f.text })
                    .collect(),
                locs: p
                    .source
                    .locs
                    .into_iter()
                    .map(|l| Loc { file: l.file, line: l.line, col: l.col })
                    .collect(),
            },
            // A restored VM runs in the mode its CPU state records.
            delay_slots: false,
            linux: None,
        }
    }
}

/// Branch delay-slot state (format 3 on): the VM's mode and a slot that is
/// pending between its branch and itself (SPEC §7: a pending delay slot).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct DelayV1 {
    /// Nonzero when branches have delay slots.
    pub mode: u32,
    /// Nonzero while `pc` is a slot whose branch has retired.
    pub pending: u32,
    /// Where control goes after the pending slot.
    pub target: u32,
}

/// A Linux program's process (format 3 on): how it started, its thread
/// pointer, and its anonymous memory.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct LinuxV1 {
    /// `argv`.
    pub args: Vec<String>,
    /// `envp`.
    pub env: Vec<String>,
    /// `AT_PHDR`, `AT_PHNUM`, `AT_PHENT`.
    pub phdr: u32,
    /// Program headers.
    pub phnum: u32,
    /// Size of one.
    pub phent: u32,
    /// Data segments mapped read-only, `[start, end)` (the program
    /// component, frozen at version 1, has no permissions).
    pub read_only: Vec<(u32, u32)>,
    /// The thread pointer (`set_thread_area`, read by `rdhwr $29`).
    pub user_local: u32,
    /// Bytes of anonymous memory mapped.
    pub anon_bytes: u64,
}

impl LinuxV1 {
    /// The saved process of a Linux program.
    pub fn of(program: &Program, start: &LinuxStart, user_local: u32, anon_bytes: u64) -> LinuxV1 {
        let read_only = program
            .data
            .iter()
            .filter(|d| !d.writable)
            .map(|d| (d.base, d.base + d.bytes.len() as u32))
            .collect();
        LinuxV1 {
            args: start.args.clone(),
            env: start.env.clone(),
            phdr: start.phdr,
            phnum: start.phnum,
            phent: start.phent,
            read_only,
            user_local,
            anon_bytes,
        }
    }

    /// The live start description, and the read-only segments marked in
    /// `program`.
    pub fn restore_into(&self, program: &mut Program) {
        for segment in &mut program.data {
            let range = (segment.base, segment.base + segment.bytes.len() as u32);
            if self.read_only.contains(&range) {
                segment.writable = false;
            }
        }
        program.linux = Some(Box::new(LinuxStart {
            args: self.args.clone(),
            env: self.env.clone(),
            phdr: self.phdr,
            phnum: self.phnum,
            phent: self.phent,
        }));
    }
}

/// Where a snapshot file keeps its guest pages (format 4 on): in a
/// page-aligned area after the archive, in the order of `runs`, so that a
/// restore maps them straight into the VM's memory; each page with the
/// xxh3-64 of its bytes, checked on the VM's first access to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct PageAreaV1 {
    /// Runs `(first page, count)` of pages in the area, ascending and
    /// disjoint.
    pub runs: Vec<(u32, u32)>,
    /// One hash per page of the area, in order.
    pub hashes: Vec<u64>,
}

/// The checkpoint an incremental one was taken over (format 4 on): its
/// pages are the ones the newer file does not hold.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize)]
pub struct ParentV1 {
    /// The parent's file name, in the same folder.
    pub name: String,
    /// The parent's [`Image::id`]: a parent replaced since by another
    /// state is refused, not silently used (compaction rewrites a parent
    /// whole under its own name and id).
    pub id: u64,
}

/// Format 4: format 3's components; guest pages (in a file) in a
/// page-aligned area after the archive instead of inside it, and, for an
/// incremental checkpoint, its parent.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct Image<'a> {
    /// Which version each of format 2's components below is.
    pub versions: Versions,
    /// Integer CPU state.
    pub cpu: CpuV1,
    /// FPU state.
    pub fpu: FpuV1,
    /// Instructions per turn.
    pub slice: u64,
    /// Guest memory: layout and permissions (its `pages` stay empty in a
    /// file; the page area holds them).
    pub memory: MemoryV1<'a>,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
    /// The program.
    pub program: ProgramV1,
    /// Delay slots.
    pub delay: DelayV1,
    /// The Linux process of an ELF program.
    pub linux: Option<LinuxV1>,
    /// The pages in the file's page area.
    pub area: PageAreaV1,
    /// Names this state for the checkpoints taken over it (0: none).
    pub id: u64,
    /// The checkpoint this one holds the changes since, if any.
    pub parent: Option<ParentV1>,
}

/// Format 3 (read only): format 2's components, the delay-slot state and,
/// for a Linux program, its process; pages inside the archive.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct ImageV3<'a> {
    /// Which version each of format 2's components below is.
    pub versions: Versions,
    /// Integer CPU state.
    pub cpu: CpuV1,
    /// FPU state.
    pub fpu: FpuV1,
    /// Instructions per turn.
    pub slice: u64,
    /// Guest memory.
    pub memory: MemoryV1<'a>,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
    /// The program.
    pub program: ProgramV1,
    /// Delay slots.
    pub delay: DelayV1,
    /// The Linux process of an ELF program.
    pub linux: Option<LinuxV1>,
}

/// Format 2 (read only): every component with its version.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct ImageV2<'a> {
    /// Which version each component below is.
    pub versions: Versions,
    /// Integer CPU state.
    pub cpu: CpuV1,
    /// FPU state.
    pub fpu: FpuV1,
    /// Instructions per turn.
    pub slice: u64,
    /// Guest memory.
    pub memory: MemoryV1<'a>,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
    /// The program.
    pub program: ProgramV1,
}

/// Format 1 (myvmm before per-component versions), read only: CPU version
/// 1 without an FPU, memory version 1, random generators version 1 and
/// program version 1, all in one flat record.
#[derive(rkyv::Archive, rkyv::Serialize)]
pub struct ImageV1<'a> {
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
    pub layout: LayoutV1,
    /// Mapped pages and their permissions.
    pub perms: Vec<PermRunV1>,
    /// Pages holding data.
    pub pages: Vec<PageRun<'a>>,
    /// Random generators (id, state).
    pub rngs: Vec<(u32, u64)>,
    /// The program.
    pub program: ProgramV1,
}

/// A VM's state read from any format: the live forms of every component.
pub struct Parts<'a> {
    /// CPU, FPU included.
    pub cpu: Cpu,
    /// Instructions per turn.
    pub slice: u64,
    /// Memory layout (its [`DataMap`] from the memory version).
    pub layout: MemoryLayout,
    /// Permission runs.
    pub perms: Vec<PermRun>,
    /// Pages holding data.
    pub pages: Vec<(u32, &'a [u8])>,
    /// Random generators.
    pub rngs: Vec<(u32, u64)>,
    /// The program, still archived.
    pub program: &'a ArchivedProgramV1,
    /// A Linux program's process (format 3 on).
    pub linux: Option<&'a ArchivedLinuxV1>,
    /// The file's page area (format 4 on; empty before).
    pub area: Option<&'a ArchivedPageAreaV1>,
    /// The checkpoint this one was taken over (format 4 on).
    pub parent: Option<&'a ArchivedParentV1>,
    /// The id checkpoints taken over this state name it by (format 4 on).
    pub id: u64,
}

/// The live CPU from CPU version 1 and, when there is one, FPU version 1.
pub fn cpu_from(cpu: &ArchivedCpuV1, fpu: Option<&ArchivedFpuV1>) -> Cpu {
    let mut regs = [0u32; 32];
    for (r, v) in regs.iter_mut().zip(cpu.regs.iter()) {
        *r = v.to_native();
    }
    regs[0] = 0;
    let mut out = Cpu {
        regs,
        pc: cpu.pc.to_native(),
        hi: cpu.hi.to_native(),
        lo: cpu.lo.to_native(),
        retired: cpu.retired.to_native(),
        ..Cpu::default()
    };
    if let Some(fpu) = fpu {
        for (r, v) in out.fpr.iter_mut().zip(fpu.fpr.iter()) {
            *r = v.to_native();
        }
        out.fcsr = fpu.fcsr.to_native();
        out.fpu_used = u32::from(fpu.used.to_native() != 0);
    }
    out
}

/// The live layout from layout version 1 under memory version `version`.
pub fn layout_from(l: &ArchivedLayoutV1, version: u32) -> MemoryLayout {
    MemoryLayout {
        heap_start: l.heap_start.to_native(),
        brk: l.brk.to_native(),
        stack_low: l.stack_low.to_native(),
        limit: l.limit.to_native(),
        static_bytes: l.static_bytes.to_native(),
        data_map: if version == 1 { DataMap::Static } else { DataMap::Segment },
        anon_bytes: 0,
    }
}

/// The memory version that describes a live layout.
pub fn memory_version(layout: &MemoryLayout) -> u32 {
    match layout.data_map {
        DataMap::Static => 1,
        DataMap::Segment => 2,
    }
}

/// Permission runs in their live form.
pub fn perms_from(perms: &[ArchivedPermRunV1]) -> Vec<PermRun> {
    perms
        .iter()
        .map(|r| PermRun { first: r.first.to_native(), count: r.count.to_native(), perm: r.perm })
        .collect()
}

/// Page runs, borrowed from the archive.
pub fn pages_from<'a>(pages: &'a [ArchivedPageRun<'_>]) -> Vec<(u32, &'a [u8])> {
    pages.iter().map(|p| (p.first.to_native(), &*p.bytes)).collect()
}

/// Random generator states.
pub fn rngs_from(
    rngs: &[rkyv::tuple::ArchivedTuple2<rkyv::rend::u32_le, rkyv::rend::u64_le>],
) -> Vec<(u32, u64)> {
    rngs.iter().map(|r| (r.0.to_native(), r.1.to_native())).collect()
}
