//! Static MIPS32 Linux ELF executables, read and checked (SPEC §9).
//!
//! This is the loader's first half: it turns a file's bytes into the parts a
//! VM needs — loadable segments with their permissions, the entry point, the
//! TLS template, the program break and the symbols — or refuses the file
//! with an error that says what is wrong and how to build one that works.
//! Parsing goes through the `object` crate's ELF reader; every size and
//! address is then checked here against the 32-bit user address space,
//! since a hostile file may claim anything.
//!
//! What is accepted is what `mipsel-linux-gnu-gcc -static` makes: a
//! little-endian `ET_EXEC` for MIPS32 (Release 1 or 2) of the o32 ABI, with
//! the legacy NaN encoding and a 32-bit FPU (or none), no interpreter and no
//! dynamic section.

use object::elf::{self, FileHeader32, ProgramHeader32};
use object::read::elf::{FileHeader, ProgramHeader, Sym};
use object::LittleEndian;
use std::fmt;

/// The first four bytes of every ELF file.
pub const MAGIC: [u8; 4] = [0x7f, b'E', b'L', b'F'];
/// Where Linux's MIPS user address space ends (the kernel's half above).
pub const USER_END: u64 = 0x8000_0000;
// Header fields and MIPS flags the `object` crate does not name.
const EI_CLASS: usize = 4;
const ELFCLASS32: u8 = 1;
const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const ELFDATA2MSB: u8 = 2;
const EI_DATA: usize = 5;
const EF_MIPS_ABI_MASK: u32 = 0x0000_f000;
const E_MIPS_ABI_O32: u32 = 0x0000_1000;
const EF_MIPS_MICROMIPS: u32 = 0x0200_0000;
const EF_MIPS_ARCH_ASE_M16: u32 = 0x0400_0000;

/// What to tell a user whose file is not what myvmm runs.
const HINT: &str =
    "build a static little-endian MIPS32 executable: `mipsel-linux-gnu-gcc -static -O2 prog.c -o prog`";

/// True when `bytes` start like an ELF file (of any kind): such input is
/// never read as assembly.
pub fn is_elf(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Page permissions of a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Perms {
    /// Readable.
    pub read: bool,
    /// Writable.
    pub write: bool,
    /// Executable.
    pub exec: bool,
}

/// One `PT_LOAD` segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Guest address of its first byte.
    pub vaddr: u32,
    /// Bytes it occupies in memory (the part past `data` is zero).
    pub mem_size: u32,
    /// Its bytes from the file.
    pub data: Vec<u8>,
    /// How the guest may access it.
    pub perms: Perms,
}

impl Segment {
    /// One past its last byte.
    pub fn end(&self) -> u64 {
        self.vaddr as u64 + self.mem_size as u64
    }
}

/// The initial image of thread-local storage (`PT_TLS`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls {
    /// Guest address of the initialised part.
    pub vaddr: u32,
    /// Bytes of initialised data.
    pub file_size: u32,
    /// Bytes in all (the rest zero).
    pub mem_size: u32,
    /// Alignment.
    pub align: u32,
}

/// A static executable, checked and ready to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executable {
    /// Where execution starts.
    pub entry: u32,
    /// Loadable segments, by address, not overlapping.
    pub segments: Vec<Segment>,
    /// Thread-local storage, if the program has any.
    pub tls: Option<Tls>,
    /// Where the heap starts (`brk`): the first page after the segments.
    pub brk_start: u32,
    /// Function and object symbols with their addresses (for messages and
    /// the debugger), by address.
    pub symbols: Vec<(String, u32)>,
    /// `e_flags`, for the record.
    pub flags: u32,
    /// Guest address of the program headers when a segment loads them
    /// (`AT_PHDR`; static glibc finds its TLS template through them).
    pub phdr: Option<u32>,
    /// Number of program headers.
    pub phnum: u32,
    /// Size of one program header.
    pub phent: u32,
}

/// Why a file cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElfError {
    /// Not an ELF file at all.
    NotElf,
    /// Too short or inconsistent to parse.
    Malformed(String),
    /// A 64-bit ELF.
    Class64,
    /// Big-endian (`mips`, not `mipsel`).
    BigEndian,
    /// For another machine.
    Machine(u16),
    /// Not an executable (an object file, a shared library, a PIE).
    NotExecutable(&'static str),
    /// Needs a dynamic linker.
    Dynamic,
    /// A MIPS variant myvmm does not model.
    Variant(&'static str),
    /// A segment that does not fit the user address space or the file.
    Segment(String),
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElfError::NotElf => write!(f, "not an ELF file"),
            ElfError::Malformed(why) => write!(f, "malformed ELF file: {why}"),
            ElfError::Class64 => write!(f, "a 64-bit ELF file; myvmm runs 32-bit MIPS programs; {HINT}"),
            ElfError::BigEndian => {
                write!(f, "a big-endian MIPS program; myvmm runs little-endian (mipsel) ones; {HINT}")
            }
            ElfError::Machine(m) => {
                write!(f, "an ELF file for another machine (e_machine {m}), not MIPS; {HINT}")
            }
            ElfError::NotExecutable(kind) => write!(f, "{kind}, not a static executable; {HINT}"),
            ElfError::Dynamic => {
                write!(f, "a dynamically linked program (it needs a dynamic linker); {HINT}")
            }
            ElfError::Variant(what) => write!(f, "{what}; {HINT}"),
            ElfError::Segment(why) => write!(f, "bad loadable segment: {why}"),
        }
    }
}

impl std::error::Error for ElfError {}

/// Reads and checks a static MIPS32 executable.
pub fn parse(data: &[u8]) -> Result<Executable, ElfError> {
    if !is_elf(data) {
        return Err(ElfError::NotElf);
    }
    match data.get(EI_CLASS) {
        Some(&ELFCLASS32) => {}
        Some(&ELFCLASS64) => return Err(ElfError::Class64),
        _ => return Err(ElfError::Malformed("unknown ELF class".into())),
    }
    match data.get(EI_DATA) {
        Some(&ELFDATA2LSB) => {}
        Some(&ELFDATA2MSB) => return Err(ElfError::BigEndian),
        _ => return Err(ElfError::Malformed("unknown byte order".into())),
    }
    let header = FileHeader32::<LittleEndian>::parse(data).map_err(|e| ElfError::Malformed(e.to_string()))?;
    let e = LittleEndian;
    let machine = header.e_machine(e);
    if machine != elf::EM_MIPS {
        return Err(ElfError::Machine(machine));
    }
    match header.e_type(e) {
        elf::ET_EXEC => {}
        elf::ET_DYN => {
            return Err(ElfError::NotExecutable("a position-independent executable or shared library"))
        }
        elf::ET_REL => return Err(ElfError::NotExecutable("an object file (compiled with -c)")),
        elf::ET_CORE => return Err(ElfError::NotExecutable("a core dump")),
        _ => return Err(ElfError::NotExecutable("an ELF file of unknown type")),
    }
    let flags = header.e_flags(e);
    check_variant(flags)?;
    let program_headers = header.program_headers(e, data).map_err(|e| ElfError::Malformed(e.to_string()))?;
    let mut segments = Vec::new();
    let mut tls = None;
    let phoff = header.e_phoff(e);
    let mut phdr = None;
    for ph in program_headers {
        match ph.p_type(e) {
            elf::PT_INTERP | elf::PT_DYNAMIC => return Err(ElfError::Dynamic),
            elf::PT_LOAD => {
                let (offset, size) = (ph.p_offset(e), ph.p_filesz(e));
                if offset <= phoff && (phoff as u64) < offset as u64 + size as u64 {
                    phdr = ph.p_vaddr(e).checked_add(phoff - offset);
                }
                segments.push(load_segment(ph, data)?)
            }
            elf::PT_TLS => tls = Some(tls_template(ph)?),
            _ => {}
        }
    }
    if segments.is_empty() {
        return Err(ElfError::Segment("the file has no loadable segment".into()));
    }
    segments.sort_by_key(|s| s.vaddr);
    for pair in segments.windows(2) {
        // Two segments may share a page (the kernel maps both over it) but
        // never a byte.
        if pair[0].end() > pair[1].vaddr as u64 {
            return Err(ElfError::Segment(format!(
                "segments at 0x{:08x} and 0x{:08x} overlap",
                pair[0].vaddr, pair[1].vaddr
            )));
        }
    }
    let entry = header.e_entry(e);
    if !segments.iter().any(|s| s.perms.exec && s.vaddr <= entry && (entry as u64) < s.end()) {
        return Err(ElfError::Segment(format!(
            "the entry point 0x{entry:08x} is not in an executable segment"
        )));
    }
    if entry % 4 != 0 {
        return Err(ElfError::Segment(format!("the entry point 0x{entry:08x} is not word-aligned")));
    }
    let end = segments.iter().map(Segment::end).max().unwrap_or(0);
    let brk_start = end.div_ceil(4096) * 4096;
    if brk_start >= USER_END {
        return Err(ElfError::Segment("no room for a heap after the segments".into()));
    }
    Ok(Executable {
        entry,
        segments,
        tls,
        brk_start: brk_start as u32,
        symbols: symbols(header, data),
        flags,
        phdr,
        phnum: program_headers.len() as u32,
        phent: header.e_phentsize(e) as u32,
    })
}

/// Refuses MIPS variants the VM does not model.
fn check_variant(flags: u32) -> Result<(), ElfError> {
    match flags & elf::EF_MIPS_ARCH {
        elf::EF_MIPS_ARCH_1 | elf::EF_MIPS_ARCH_2 | elf::EF_MIPS_ARCH_32 | elf::EF_MIPS_ARCH_32R2 => {}
        elf::EF_MIPS_ARCH_32R6 => {
            return Err(ElfError::Variant("a MIPS32 Release 6 program (its encodings differ)"))
        }
        _ => return Err(ElfError::Variant("a program for a 64-bit or other MIPS architecture")),
    }
    let abi = flags & EF_MIPS_ABI_MASK;
    if flags & elf::EF_MIPS_ABI2 != 0 || abi != 0 && abi != E_MIPS_ABI_O32 {
        return Err(ElfError::Variant("a program for a MIPS ABI other than o32"));
    }
    if flags & elf::EF_MIPS_NAN2008 != 0 {
        return Err(ElfError::Variant(
            "a program built for the 2008 NaN encoding (myvmm's FPU uses the legacy one)",
        ));
    }
    if flags & elf::EF_MIPS_FP64 != 0 {
        return Err(ElfError::Variant("a program built for a 64-bit FPU register file (FR=1, -mfp64)"));
    }
    if flags & EF_MIPS_MICROMIPS != 0 || flags & EF_MIPS_ARCH_ASE_M16 != 0 {
        return Err(ElfError::Variant("a microMIPS or MIPS16 program"));
    }
    Ok(())
}

fn load_segment(ph: &ProgramHeader32<LittleEndian>, data: &[u8]) -> Result<Segment, ElfError> {
    let e = LittleEndian;
    let (vaddr, mem_size, file_size) = (ph.p_vaddr(e), ph.p_memsz(e), ph.p_filesz(e));
    if file_size > mem_size {
        return Err(ElfError::Segment(format!(
            "at 0x{vaddr:08x}: {file_size} bytes in the file but {mem_size} in memory"
        )));
    }
    if vaddr as u64 + mem_size as u64 > USER_END {
        return Err(ElfError::Segment(format!(
            "at 0x{vaddr:08x}, {mem_size} bytes: beyond the user address space (0x{USER_END:08x})"
        )));
    }
    if vaddr < 0x1000 && mem_size > 0 {
        return Err(ElfError::Segment(format!("at 0x{vaddr:08x}: in the first page, which stays unmapped")));
    }
    let bytes = ph.data(e, data).map_err(|_| {
        ElfError::Segment(format!("at 0x{vaddr:08x}: its {file_size} bytes lie outside the file"))
    })?;
    let flags = ph.p_flags(e);
    let perms =
        Perms { read: flags & elf::PF_R != 0, write: flags & elf::PF_W != 0, exec: flags & elf::PF_X != 0 };
    Ok(Segment { vaddr, mem_size, data: bytes.to_vec(), perms })
}

fn tls_template(ph: &ProgramHeader32<LittleEndian>) -> Result<Tls, ElfError> {
    let e = LittleEndian;
    let tls = Tls {
        vaddr: ph.p_vaddr(e),
        file_size: ph.p_filesz(e),
        mem_size: ph.p_memsz(e),
        align: ph.p_align(e).max(1),
    };
    if tls.file_size > tls.mem_size
        || tls.vaddr as u64 + tls.mem_size as u64 > USER_END
        || tls.mem_size > 1 << 24
    {
        return Err(ElfError::Segment(format!(
            "thread-local storage at 0x{:08x} is inconsistent",
            tls.vaddr
        )));
    }
    if !tls.align.is_power_of_two() {
        return Err(ElfError::Segment(format!(
            "thread-local storage alignment {} is not a power of two",
            tls.align
        )));
    }
    Ok(tls)
}

/// Function and object symbols; none when the table is missing or broken
/// (symbols only serve messages, so a stripped file runs the same).
fn symbols(header: &FileHeader32<LittleEndian>, data: &[u8]) -> Vec<(String, u32)> {
    let e = LittleEndian;
    let Ok(sections) = header.sections(e, data) else {
        return Vec::new();
    };
    let Ok(table) = sections.symbols(e, data, elf::SHT_SYMTAB) else {
        return Vec::new();
    };
    let mut out: Vec<(String, u32)> = table
        .iter()
        .filter(|s| matches!(s.st_type(), elf::STT_FUNC | elf::STT_OBJECT) && s.st_shndx(e) != elf::SHN_UNDEF)
        .filter_map(|s| {
            let name = table.symbol_name(e, s).ok()?;
            Some((String::from_utf8_lossy(name).into_owned(), s.st_value(e)))
        })
        .collect();
    out.sort_by_key(|&(_, a)| a);
    out
}

mod load;
pub mod write;
pub use load::program;

#[cfg(test)]
mod tests;
