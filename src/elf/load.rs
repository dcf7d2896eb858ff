//! The loader's second half: a checked [`Executable`] as the [`Program`] a
//! VM runs — its one executable segment as the text (decoded once, as for
//! assembly), its other segments as data, and what the Linux personality
//! needs to start the process (SPEC §9).

use super::{ElfError, Executable};
use crate::layout::{STACK_MAX, STACK_TOP};

/// Most bytes of an executable segment that may lie past the file's.
const MAX_TEXT_TAIL: u64 = 1 << 20;
/// Where the largest stack a VM can have begins: no segment may reach it.
const STACK_LOW: u32 = STACK_TOP - STACK_MAX;
use crate::program::{DataSegment, LinuxStart, Program, SourceMap, Symbol};

/// The program of a static executable started with `args` (`argv`, the
/// program's name first) and `env`, for a VM whose memory limit is `limit`
/// bytes: segments that could never fit are refused before anything is
/// allocated for them (a hostile file may claim 2 GiB of `.bss`).
pub fn program(
    exe: &Executable,
    args: Vec<String>,
    env: Vec<String>,
    limit: u64,
) -> Result<Program, ElfError> {
    let needed: u64 = exe.segments.iter().map(|s| s.mem_size as u64).sum();
    if needed > limit {
        return Err(ElfError::Segment(format!(
            "its segments need {} KiB, more than the VM's memory limit of {} KiB (raise `vm_memory_limit_mb`)",
            needed / 1024,
            limit / 1024
        )));
    }
    let mut exec = exe.segments.iter().filter(|s| s.perms.exec);
    let text = match (exec.next(), exec.next()) {
        (Some(text), None) => text,
        _ => {
            return Err(ElfError::Segment(
                "myvmm runs programs with exactly one executable segment (what `-static` links)".into(),
            ))
        }
    };
    if text.vaddr % 4 != 0 {
        return Err(ElfError::Segment(format!(
            "the text segment at 0x{:08x} is not word-aligned",
            text.vaddr
        )));
    }
    // Text is decoded word by word: it must come from the file (a linker
    // never leaves more than a page of it out), or a small file could make
    // gigabytes of decoded zeros.
    if text.mem_size as u64 > text.data.len() as u64 + MAX_TEXT_TAIL {
        return Err(ElfError::Segment(format!(
            "the executable segment at 0x{:08x} has {} bytes in memory but only {} in the file",
            text.vaddr,
            text.mem_size,
            text.data.len()
        )));
    }
    if let Some(s) = exe.segments.iter().find(|s| s.end() > STACK_LOW as u64) {
        return Err(ElfError::Segment(format!(
            "the segment at 0x{:08x} reaches into the stack's region (from 0x{STACK_LOW:08x})",
            s.vaddr
        )));
    }
    // The text is the whole segment (read-only data included), as words;
    // its tail past the file's bytes is zero.
    let mut bytes = text.data.clone();
    bytes.resize((text.mem_size as usize).next_multiple_of(4), 0);
    let words = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    let mut data = Vec::new();
    for segment in exe.segments.iter().filter(|s| !s.perms.exec && s.mem_size > 0) {
        // `.bss` as fresh zero pages (the allocator's, untouched, so the
        // host commits them only where the file has bytes).
        let mut bytes = vec![0u8; segment.mem_size as usize];
        bytes[..segment.data.len()].copy_from_slice(&segment.data);
        data.push(DataSegment { base: segment.vaddr, bytes, writable: segment.perms.write });
    }
    let symbols = exe
        .symbols
        .iter()
        .map(|(name, value)| Symbol { name: name.clone(), value: *value, global: true })
        .collect();
    Ok(Program {
        text_base: text.vaddr,
        text: words,
        data,
        entry: exe.entry,
        heap_start: exe.brk_start,
        symbols,
        para_args: Vec::new(),
        source: SourceMap::default(),
        delay_slots: true,
        linux: Some(Box::new(LinuxStart {
            args,
            env,
            phdr: exe.phdr.unwrap_or(0),
            phnum: exe.phnum,
            phent: exe.phent,
        })),
    })
}
