//! The assembler: MIPS32 assembly in three dialects (coursework files,
//! MARS/SPIM programs and GCC `-S` output) into a [`Program`].
//!
//! Built on [`crate::isa`]: mnemonics, operand syntax and encodings all come
//! from the instruction table; this module adds the dialects' syntax,
//! directives, pseudo-instructions, macros and diagnostics.

mod assembler;
mod builtins;
mod diag;
mod directives;
mod expr;
mod lexer;
pub mod limits;
mod link;
pub mod listing;
mod macros;
mod native;
mod operands;
mod pseudo;
mod sections;
mod source;
mod symbols;
#[cfg(test)]
mod tests;
mod writer;

pub use crate::program::{DataSegment, LinuxStart, Loc, Program, SourceFile, SourceMap, Symbol};
pub use assembler::Assembler;
pub use diag::{AsmErrors, Diagnostic, MAX_ERRORS};

use std::path::Path;

/// Whether a program's branches have delay slots (`vm_delay_slots`, SPEC §5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DelaySlots {
    /// On when some file of the program has `.set noreorder` code (GCC's
    /// default output), off otherwise (as MARS and SPIM run).
    #[default]
    Auto,
    /// Always: `.set reorder` code gets a `nop` in every slot.
    On,
    /// Never: `.set noreorder` code runs without delay slots (the user's
    /// explicit choice; `auto` never does this).
    Off,
}

impl DelaySlots {
    /// Parses `auto`, `on` or `off`.
    pub fn parse(s: &str) -> Option<DelaySlots> {
        match s {
            "auto" => Some(DelaySlots::Auto),
            "on" => Some(DelaySlots::On),
            "off" => Some(DelaySlots::Off),
            _ => None,
        }
    }
}

/// Assembles the files of one program (labels are local to their file
/// unless `.globl`).
pub fn assemble_files<P: AsRef<Path>>(paths: &[P]) -> Result<Program, AsmErrors> {
    assemble_files_within(paths, limits::DEFAULT_STATIC_DATA, DelaySlots::Auto)
}

/// Assembles the files of one program whose static data may take at most
/// `max_static` bytes (what its VM's memory limit leaves after the stack),
/// for the delay-slot mode `delay`.
pub fn assemble_files_within<P: AsRef<Path>>(
    paths: &[P],
    max_static: u64,
    delay: DelaySlots,
) -> Result<Program, AsmErrors> {
    assemble_with(delay, |fill| {
        let mut asm = Assembler::with_static_data_limit(max_static);
        asm.set_delay_slots(fill);
        for path in paths {
            if !asm.add_file(path.as_ref()) || asm.stopped() {
                break;
            }
        }
        asm
    })
}

/// Assembles one in-memory source (delay slots `auto`); `name` is used in messages.
pub fn assemble_str(name: &str, text: &str) -> Result<Program, AsmErrors> {
    assemble_with(DelaySlots::Auto, |fill| {
        let mut asm = Assembler::new();
        asm.set_delay_slots(fill);
        asm.add_source(name, text);
        asm
    })
}

/// Runs `build` (which reads the program's sources into an assembler with
/// delay slots on or off) for `delay`: `auto` first without, and again with
/// delay slots when the program turns out to have `.set noreorder` code.
/// The warnings of the assembly that counts go to stderr (MARS warns and
/// goes on).
fn assemble_with(delay: DelaySlots, build: impl Fn(bool) -> Assembler) -> Result<Program, AsmErrors> {
    let mut asm = build(delay == DelaySlots::On);
    if delay == DelaySlots::Auto && asm.saw_noreorder() {
        asm = build(true);
    }
    for warning in asm.warnings() {
        eprintln!("{warning}");
    }
    asm.finish()
}
