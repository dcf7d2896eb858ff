//! The section writer: where assembled bytes go. It knows the sections, which
//! one is current, the labels standing right before the next byte (so
//! alignment can move them onto it), automatic alignment, the source
//! location of every text word, and the size limits. It reports nothing
//! itself: the assembler turns its refusals into diagnostics.

use super::expr::SymRef;
use super::limits::MAX_TEXT_BYTES;
use super::sections::{Section, SectionId, SECTION_COUNT};
use super::symbols::Symbols;
use crate::program::Loc;

/// Why bytes were refused: a size limit would be crossed.
#[derive(Debug)]
pub struct Overflow {
    /// What would be too large.
    pub message: String,
    /// Which limit, and how to raise it.
    pub help: String,
}

/// The sections being written and the state of the writing.
pub struct SectionWriter {
    sections: [Section; SECTION_COUNT],
    current: SectionId,
    /// The section before the last switch (`.previous` goes back to it).
    previous: SectionId,
    /// Labels defined since the last byte: alignment padding moves them
    /// forward, so a label before `.word` labels the aligned word.
    pending_labels: Vec<SymRef>,
    /// Data is aligned to its size unless `.align 0` turned that off (MARS, GAS).
    auto_align: bool,
    /// The statement each text word came from.
    text_locs: Vec<Loc>,
    /// Most bytes of static data (all sections but text).
    max_static: u64,
    /// A size limit was crossed and reported: nothing more is written (the
    /// error is reported once, not at every later byte).
    over_limit: bool,
}

impl SectionWriter {
    /// An empty writer in `.text` whose static data may take `max_static` bytes.
    pub fn new(max_static: u64) -> Self {
        SectionWriter {
            sections: Default::default(),
            current: SectionId::Text,
            previous: SectionId::Text,
            pending_labels: Vec::new(),
            auto_align: true,
            text_locs: Vec::new(),
            max_static,
            over_limit: false,
        }
    }

    /// The current section and the offset of its next byte.
    pub fn here(&self) -> (u8, i64) {
        (self.current as u8, self.sections[self.current as usize].len() as i64)
    }

    /// The size of `section` so far.
    pub fn len(&self, section: SectionId) -> usize {
        self.sections[section as usize].len()
    }

    /// The current section.
    pub fn current(&self) -> SectionId {
        self.current
    }

    /// True when writing instructions.
    pub fn in_text(&self) -> bool {
        self.current == SectionId::Text
    }

    /// Makes `section` current (`.data`, `.section`, …); automatic alignment
    /// comes back on with every switch.
    pub fn switch(&mut self, section: SectionId) {
        if section != self.current {
            self.previous = self.current;
            self.current = section;
            self.pending_labels.clear();
        }
        self.auto_align = true;
    }

    /// `.previous`: back to the section before the last switch.
    pub fn switch_back(&mut self) {
        let now = self.current;
        self.switch(self.previous);
        self.previous = now;
    }

    /// Writes into `section` until [`SectionWriter::leave`] (`.comm`, `.extern`
    /// reserve space in `.bss`/`.sbss` without switching for good).
    pub fn enter(&mut self, section: SectionId) -> (SectionId, bool) {
        let saved = (self.current, self.auto_align);
        self.current = section;
        self.pending_labels.clear();
        saved
    }

    /// Back to where [`SectionWriter::enter`] was called.
    pub fn leave(&mut self, saved: (SectionId, bool)) {
        (self.current, self.auto_align) = saved;
    }

    /// Sets automatic alignment of data (`.align 0` turns it off).
    pub fn set_auto_align(&mut self, on: bool) {
        self.auto_align = on;
    }

    /// Whether data is aligned to its size.
    pub fn auto_align(&self) -> bool {
        self.auto_align
    }

    /// Notes a label defined at the current position.
    pub fn label_here(&mut self, sym: SymRef) {
        self.pending_labels.push(sym);
    }

    /// True once a size limit was crossed (nothing more is written).
    pub fn over_limit(&self) -> bool {
        self.over_limit
    }

    /// Records that a size limit was crossed and reported.
    pub fn stop_at_limit(&mut self) {
        self.over_limit = true;
    }

    /// Pads the current section to `align` bytes (a power of two) with
    /// zeros, moving the labels that stand right before the padding onto
    /// the aligned position.
    pub fn align(&mut self, align: u32, symbols: &mut Symbols) {
        let section = &mut self.sections[self.current as usize];
        if section.align_to(align, 0) > 0 {
            let offset = section.len() as i64;
            for sym in &self.pending_labels {
                symbols.relocate(*sym, offset);
            }
        }
    }

    /// Pads to `align` bytes with a non-zero `fill` byte (labels stay).
    pub fn align_with(&mut self, align: u32, fill: u8) {
        self.sections[self.current as usize].align_to(align, fill);
    }

    /// Checks that `extra` more bytes fit the current section's limit.
    pub fn room(&self, extra: u64) -> Result<(), Overflow> {
        let text = self.current == SectionId::Text;
        let (total, max, what) = if text {
            let len = self.sections[SectionId::Text as usize].len() as u64;
            (len.saturating_add(extra), MAX_TEXT_BYTES, "the text segment")
        } else {
            let len: u64 = self.sections.iter().skip(1).map(|s| s.len() as u64).sum();
            (len.saturating_add(extra), self.max_static, "static data")
        };
        if total <= max {
            return Ok(());
        }
        let help = if text {
            format!("(at most {} MiB of instructions)", MAX_TEXT_BYTES >> 20)
        } else {
            format!(
                "(at most {} MiB here: the VM's memory limit less its stack; see vm_memory_limit_mb)",
                max >> 20
            )
        };
        Err(Overflow { message: format!("{what} would take {total} bytes, too much for one VM"), help })
    }

    /// Appends bytes (whose room was checked) from the statement at `loc`.
    pub fn append(&mut self, bytes: &[u8], loc: Loc) {
        self.pending_labels.clear();
        let section = &mut self.sections[self.current as usize];
        section.materialise();
        section.bytes.extend_from_slice(bytes);
        self.note_text(loc);
    }

    /// Appends `n` bytes of `fill` (whose room was checked); zeros stay
    /// pending (see [`Section`]).
    pub fn fill(&mut self, n: usize, fill: u8, loc: Loc) {
        self.pending_labels.clear();
        self.sections[self.current as usize].fill(n, fill);
        self.note_text(loc);
    }

    /// Appends `count` more copies of the last `width` bytes written (a
    /// repeated value, `.word 7 : 1000`), whose room was checked.
    pub fn repeat_last(&mut self, width: usize, count: usize, loc: Loc) {
        let section = &mut self.sections[self.current as usize];
        let first = section.bytes.len() - width;
        let pattern = section.bytes[first..].to_vec();
        if pattern.iter().all(|&b| b == 0) {
            section.fill(count * width, 0);
        } else {
            for _ in 0..count {
                section.bytes.extend_from_slice(&pattern);
            }
        }
        self.note_text(loc);
    }

    /// Gives every text word written so far a source location.
    fn note_text(&mut self, loc: Loc) {
        if self.current == SectionId::Text {
            let words = self.sections[SectionId::Text as usize].len().div_ceil(4);
            self.text_locs.resize(words, loc);
        }
    }

    /// The sections, for layout.
    pub fn sections(&self) -> &[Section; SECTION_COUNT] {
        &self.sections
    }

    /// The bytes of `section` from `offset` on, to patch a fixup in.
    pub fn bytes_mut(&mut self, section: SectionId, offset: usize) -> &mut [u8] {
        &mut self.sections[section as usize].bytes[offset..]
    }

    /// The text as words and the source location of each.
    pub fn take_text(&mut self) -> (Vec<u32>, Vec<Loc>) {
        let text_section = &mut self.sections[SectionId::Text as usize];
        text_section.materialise();
        let text_bytes = &mut text_section.bytes;
        text_bytes.resize(text_bytes.len().next_multiple_of(4), 0);
        let text: Vec<u32> =
            text_bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let mut locs = std::mem::take(&mut self.text_locs);
        locs.resize(text.len(), Loc::default());
        (text, locs)
    }
}
