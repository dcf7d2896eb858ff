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
pub mod program;
mod pseudo;
mod sections;
mod source;
mod symbols;
#[cfg(test)]
mod tests;
mod writer;

pub use assembler::Assembler;
pub use diag::{AsmErrors, Diagnostic, MAX_ERRORS};
pub use program::{DataSegment, Loc, Program, SourceFile, SourceMap, Symbol};

use std::path::Path;

/// Assembles the files of one program (labels are local to their file
/// unless `.globl`).
pub fn assemble_files<P: AsRef<Path>>(paths: &[P]) -> Result<Program, AsmErrors> {
    assemble_files_within(paths, limits::DEFAULT_STATIC_DATA)
}

/// Assembles the files of one program whose static data may take at most
/// `max_static` bytes (what its VM's memory limit leaves after the stack).
pub fn assemble_files_within<P: AsRef<Path>>(paths: &[P], max_static: u64) -> Result<Program, AsmErrors> {
    let mut asm = Assembler::with_static_data_limit(max_static);
    for path in paths {
        if !asm.add_file(path.as_ref()) || asm.stopped() {
            break;
        }
    }
    // As MARS does, what is ignored is said on stderr and assembly goes on.
    for warning in asm.warnings() {
        eprintln!("{warning}");
    }
    asm.finish()
}

/// Assembles one in-memory source; `name` is used in messages.
pub fn assemble_str(name: &str, text: &str) -> Result<Program, AsmErrors> {
    let mut asm = Assembler::new();
    asm.add_source(name, text);
    asm.finish()
}
