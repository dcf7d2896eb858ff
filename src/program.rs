//! A loaded program, whoever produced it: the assembler (from MARS, SPIM
//! or GCC assembly) or the ELF loader (a static Linux executable). Text
//! (decoded once per program), data segments with their permissions, the
//! entry point, and what only people need (symbols, the source map).

pub use crate::layout::{DATA_BASE, GP_INIT, HEAP_BASE, PAGE_SIZE, SMALL_DATA_BASE, SP_INIT, TEXT_BASE};

/// A position in a source file (1-based line and column).
#[derive(
    Clone, Copy, PartialEq, Eq, Debug, Default, Hash, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize,
)]
pub struct Loc {
    /// Index into [`SourceMap::files`].
    pub file: u32,
    /// Line number, from 1.
    pub line: u32,
    /// Column number (byte offset + 1).
    pub col: u32,
}

/// A source file as it was read.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct SourceFile {
    /// The path as given (or a name for in-memory sources).
    pub path: String,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// The text of line `line` (1-based), without its line end.
    pub fn line(&self, line: u32) -> &str {
        self.text
            .split('\n')
            .nth(line.saturating_sub(1) as usize)
            .map_or("", |l| l.strip_suffix('\r').unwrap_or(l))
    }
}

/// Source positions of every text word.
#[derive(Clone, Debug, Default, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct SourceMap {
    /// Every file the program was assembled from (includes too).
    pub files: Vec<SourceFile>,
    /// For each text word, the statement it came from.
    pub locs: Vec<Loc>,
}

impl SourceMap {
    /// `path:line:col` of a location.
    pub fn describe(&self, loc: Loc) -> String {
        let path = self.files.get(loc.file as usize).map_or("?", |f| f.path.as_str());
        format!("{path}:{}:{}", loc.line, loc.col)
    }

    /// The source line of a location.
    pub fn line_text(&self, loc: Loc) -> &str {
        self.files.get(loc.file as usize).map_or("", |f| f.line(loc.line))
    }
}

/// Initialised data at a fixed guest address.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct DataSegment {
    /// Guest address of the first byte.
    pub base: u32,
    /// Contents (`.bss` included, as zeros).
    pub bytes: Vec<u8>,
    /// Stores allowed: everything the assembler makes; an ELF segment as
    /// its `PF_W` says (read-only data outside the text).
    pub writable: bool,
}

/// A named address or constant.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Symbol {
    /// The name as written.
    pub name: String,
    /// Its value (an address for labels).
    pub value: u32,
    /// Declared `.globl`.
    pub global: bool,
}

/// An assembled program.
#[derive(Clone, Debug, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct Program {
    /// Address of `text[0]`.
    pub text_base: u32,
    /// The text segment, one word per instruction.
    pub text: Vec<u32>,
    /// Static data: small data near `$gp`, then `.data`, `.rdata`, `.bss`.
    pub data: Vec<DataSegment>,
    /// Where execution starts.
    pub entry: u32,
    /// First address of the heap (a page boundary after static data).
    pub heap_start: u32,
    /// Labels and constants, sorted by value then name.
    pub symbols: Vec<Symbol>,
    /// Operands of para-instructions (`SNAPSHOT path`, `MIGRATE host`),
    /// indexed by the instruction's immediate.
    pub para_args: Vec<String>,
    /// Where each text word came from.
    pub source: SourceMap,
    /// Assembled for delay-slot execution (SPEC §5): `.set reorder` code got
    /// a `nop` after every branch and jump, and the VM runs branches with
    /// delay slots. Set by [`crate::asm::DelaySlots`]; `auto` turns it on
    /// when the program has `.set noreorder` code. Not part of the
    /// fingerprint or of saved programs: a VM's CPU state carries its mode.
    pub delay_slots: bool,
    /// For a Linux ELF executable (SPEC §9): how its process starts. `None`
    /// for assembly programs, which run with MARS's syscalls.
    pub linux: Option<Box<LinuxStart>>,
}

/// What starting a static Linux executable needs beyond text and data: the
/// initial stack's contents (SPEC §9) and the segments mapped read-only.
#[derive(Clone, Debug, Default, PartialEq, Eq, rkyv::Archive, rkyv::Serialize, rkyv::Deserialize)]
pub struct LinuxStart {
    /// `argv`: the program's name, then its arguments.
    pub args: Vec<String>,
    /// `envp`.
    pub env: Vec<String>,
    /// Guest address of the program headers (`AT_PHDR`), 0 if not loaded.
    pub phdr: u32,
    /// Number of program headers (`AT_PHNUM`).
    pub phnum: u32,
    /// Size of one program header (`AT_PHENT`).
    pub phent: u32,
}

impl Program {
    /// Address one past the last text word.
    pub fn text_end(&self) -> u32 {
        self.text_base + 4 * self.text.len() as u32
    }

    /// Source location of the instruction at `pc`, if `pc` is in the text.
    pub fn loc_of(&self, pc: u32) -> Option<Loc> {
        let index = pc.checked_sub(self.text_base)? / 4;
        self.source.locs.get(index as usize).copied()
    }

    /// A 64-bit digest of what the program is (text, data, entry, heap
    /// start, para-instruction operands), not of how it was written: a
    /// snapshot records it so it is only resumed with the same program.
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.text_base.to_le_bytes());
        for w in &self.text {
            h.update(&w.to_le_bytes());
        }
        for segment in &self.data {
            h.update(&segment.base.to_le_bytes());
            h.update(&(segment.bytes.len() as u64).to_le_bytes());
            h.update(&segment.bytes);
        }
        h.update(&self.entry.to_le_bytes());
        h.update(&self.heap_start.to_le_bytes());
        for arg in &self.para_args {
            h.update(&(arg.len() as u64).to_le_bytes());
            h.update(arg.as_bytes());
        }
        if self.linux.is_some() {
            // What the process is, not how it was started (its arguments).
            h.update(b"linux");
        }
        for segment in self.data.iter().filter(|d| !d.writable) {
            h.update(b"read-only");
            h.update(&segment.base.to_le_bytes());
        }
        h.digest()
    }

    /// The symbol at or below `pc` in the text, and how far past it `pc`
    /// is (symbols are sorted by value).
    pub fn symbol_at(&self, pc: u32) -> Option<(&str, u32)> {
        if pc < self.text_base || pc >= self.text_end() {
            return None;
        }
        let i = self.symbols.partition_point(|s| s.value <= pc);
        let s = self.symbols[..i].iter().rev().find(|s| s.value >= self.text_base)?;
        Some((s.name.as_str(), pc - s.value))
    }

    /// Looks a symbol up by name.
    pub fn symbol(&self, name: &str) -> Option<u32> {
        self.symbols.iter().find(|s| s.name == name).map(|s| s.value)
    }
}
