//! Output sections and where they land in guest memory.

use crate::program::{DATA_BASE, PAGE_SIZE, SMALL_DATA_BASE, TEXT_BASE};

/// The sections a program is assembled into. GCC's many section names map
/// onto these (see [`SectionId::from_name`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[repr(u8)]
pub enum SectionId {
    /// Instructions, read-only.
    Text = 0,
    /// `.data`.
    Data = 1,
    /// Read-only data (`.rdata`, `.rodata*`), placed after `.data`.
    RData = 2,
    /// Zero-initialised data, after `.rdata`.
    Bss = 3,
    /// Small data near `$gp` (`.sdata`, `.extern`).
    SData = 4,
    /// Small zero-initialised data near `$gp`.
    SBss = 5,
    /// Sections that never reach guest memory (debug info, notes).
    Discard = 6,
}

/// Number of sections.
pub const SECTION_COUNT: usize = 7;

impl SectionId {
    /// The section a GNU section name means.
    pub fn from_name(name: &str) -> SectionId {
        let starts = |p: &str| name == p || name.starts_with(&format!("{p}."));
        if starts(".text") || name == ".init" || name == ".fini" {
            SectionId::Text
        } else if starts(".rodata") || starts(".rdata") {
            SectionId::RData
        } else if starts(".sdata") || starts(".lit4") || starts(".lit8") {
            SectionId::SData
        } else if starts(".sbss") {
            SectionId::SBss
        } else if starts(".bss") {
            SectionId::Bss
        } else if starts(".data") {
            SectionId::Data
        } else {
            SectionId::Discard
        }
    }
}

/// One section's contents as assembled so far.
///
/// Zero fill at the end (`.space`, `.comm`, `.bss`, zero padding) is only
/// counted in `zeros` until something is emitted after it: a program's
/// large zeroed areas are then never written in host memory here, and
/// [`Section::place`] leaves them as untouched (unbacked) zero pages.
#[derive(Default, Debug)]
pub struct Section {
    /// Bytes emitted, up to the pending zeros.
    pub bytes: Vec<u8>,
    /// Zero bytes that follow `bytes`, not yet materialised.
    pub zeros: usize,
    /// Alignment the section's start needs (largest `.align` seen).
    pub align: u32,
}

impl Section {
    /// The section's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len() + self.zeros
    }

    /// Writes the pending zeros out, so bytes can follow them.
    pub fn materialise(&mut self) {
        if self.zeros > 0 {
            self.bytes.resize(self.bytes.len() + self.zeros, 0);
            self.zeros = 0;
        }
    }

    /// Appends `n` bytes of `fill` (zeros stay pending).
    pub fn fill(&mut self, n: usize, fill: u8) {
        if fill == 0 {
            self.zeros += n;
        } else {
            self.materialise();
            self.bytes.resize(self.bytes.len() + n, fill);
        }
    }

    /// Pads with `fill` to a multiple of `align` (a power of two); returns the padding.
    pub fn align_to(&mut self, align: u32, fill: u8) -> usize {
        self.align = self.align.max(align);
        let len = self.len();
        let padded = len.next_multiple_of(align.max(1) as usize);
        self.fill(padded - len, fill);
        padded - len
    }

    /// Copies the section into `out` at `at`; `out` must be zeroed there
    /// (pending zeros are not written).
    pub fn place(&self, out: &mut [u8], at: usize) {
        out[at..at + self.bytes.len()].copy_from_slice(&self.bytes);
    }
}

/// Where each section starts, decided once all sizes are known.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// Start address of each section, indexed by `SectionId as usize`.
    pub base: [u32; SECTION_COUNT],
    /// First page after static data.
    pub heap_start: u32,
}

/// Error when the small-data area outgrows `$gp`'s reach.
pub const SMALL_DATA_LIMIT: u32 = 0x1_0000;

impl Layout {
    /// Places the sections: text at 0x00400000, small data from 0x10000000
    /// (within reach of `$gp`), then `.data`, `.rdata`, `.bss` from 0x10010000.
    pub fn compute(sections: &[Section; SECTION_COUNT]) -> Result<Layout, String> {
        let len = |s: SectionId| sections[s as usize].len() as u64;
        let align = |s: SectionId| (sections[s as usize].align.max(1)) as u64;
        let place = |at: u64, s: SectionId| at.next_multiple_of(align(s).max(8));
        let mut base = [0u32; SECTION_COUNT];
        base[SectionId::Text as usize] = TEXT_BASE;
        let text_end = TEXT_BASE as u64 + len(SectionId::Text);
        if text_end > 0x1000_0000 {
            return Err(format!("the text segment is too large ({} bytes)", len(SectionId::Text)));
        }
        let sdata = SMALL_DATA_BASE as u64;
        let sbss = place(sdata + len(SectionId::SData), SectionId::SBss);
        let small_end = sbss + len(SectionId::SBss);
        if small_end > (SMALL_DATA_BASE + SMALL_DATA_LIMIT) as u64 {
            return Err(format!(
                "small data (.sdata, .sbss, .extern) takes {} bytes; at most {SMALL_DATA_LIMIT} fit near $gp",
                small_end - sdata
            ));
        }
        let data = DATA_BASE as u64;
        let rdata = place(data + len(SectionId::Data), SectionId::RData);
        let bss = place(rdata + len(SectionId::RData), SectionId::Bss);
        let data_end = bss + len(SectionId::Bss);
        if data_end >= 0x7000_0000 {
            return Err(format!("static data is too large ({} bytes)", data_end - data));
        }
        base[SectionId::SData as usize] = sdata as u32;
        base[SectionId::SBss as usize] = sbss as u32;
        base[SectionId::Data as usize] = data as u32;
        base[SectionId::RData as usize] = rdata as u32;
        base[SectionId::Bss as usize] = bss as u32;
        Ok(Layout { base, heap_start: (data_end as u32).next_multiple_of(PAGE_SIZE) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnu_section_names() {
        assert_eq!(SectionId::from_name(".text.startup"), SectionId::Text);
        assert_eq!(SectionId::from_name(".rodata.str1.4"), SectionId::RData);
        assert_eq!(SectionId::from_name(".rdata"), SectionId::RData);
        assert_eq!(SectionId::from_name(".bss"), SectionId::Bss);
        assert_eq!(SectionId::from_name(".data.rel.local"), SectionId::Data);
        assert_eq!(SectionId::from_name(".mdebug.abi32"), SectionId::Discard);
        assert_eq!(SectionId::from_name(".note.GNU-stack"), SectionId::Discard);
        assert_eq!(SectionId::from_name(".textual"), SectionId::Discard);
    }

    #[test]
    fn layout_follows_mars() {
        let mut s: [Section; SECTION_COUNT] = Default::default();
        s[SectionId::Data as usize].bytes = vec![0; 5];
        s[SectionId::RData as usize].bytes = vec![0; 3];
        s[SectionId::Bss as usize].fill(4096, 0);
        let l = Layout::compute(&s).unwrap();
        assert_eq!(l.base[SectionId::Data as usize], 0x1001_0000);
        assert_eq!(l.base[SectionId::RData as usize], 0x1001_0008);
        assert_eq!(l.base[SectionId::Bss as usize], 0x1001_0010);
        assert_eq!(l.heap_start, 0x1001_2000);
        assert!(s[SectionId::Bss as usize].bytes.is_empty(), "zeros stay pending");
    }

    #[test]
    fn pending_zeros_materialise_before_bytes() {
        let mut s = Section::default();
        s.fill(3, 0);
        assert_eq!((s.len(), s.bytes.len()), (3, 0));
        s.align_to(8, 0);
        assert_eq!((s.len(), s.bytes.len()), (8, 0));
        s.materialise();
        s.bytes.push(7);
        s.fill(2, 0xff);
        assert_eq!(s.bytes, [0, 0, 0, 0, 0, 0, 0, 0, 7, 0xff, 0xff]);
        let mut out = vec![0; 12];
        s.place(&mut out, 1);
        assert_eq!(out[9], 7);
    }
}
