//! Bounds on what one program may make the assembler do, so hostile or
//! broken source ends in a diagnostic instead of exhausting the host's stack,
//! memory or time (SPEC §5 "Isolation"). `docs/limits-and-fuzzing.md` lists
//! them for users.
//!
//! Every size is checked *before* the memory for it is allocated, and input
//! files are checked by their metadata before they are opened, so neither a
//! device such as `/dev/zero` nor a FIFO is ever read.

use std::fs::{File, Metadata};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Largest source file: a `-v` file, a `vm_binary`, an `.include`d file.
/// Real programs are far smaller (a 975,000-line program is about 20 MiB).
pub const MAX_SOURCE_BYTES: u64 = 64 << 20;

/// Deepest nesting of parentheses and unary operators in one expression.
pub const MAX_EXPR_DEPTH: u32 = 256;

/// Most operators and operands in one expression (each becomes a tree node,
/// and the tree is evaluated recursively).
pub const MAX_EXPR_NODES: u32 = 4096;

/// Longest line that `.eqv` or macro-parameter substitution may produce,
/// and longest `.eqv` value.
pub const MAX_EXPANDED_LINE: usize = 256 << 10;

/// Most bytes of text all `.eqv` and macro substitutions of one program may
/// produce together (so a one-line definition cannot make millions of huge lines).
pub const MAX_EXPANDED_BYTES: u64 = 128 << 20;

/// Largest text segment: 4,194,304 instructions. The assembler keeps a
/// source location per word beside it, so this bounds host memory too.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Budget for values resolved after layout: one per fixup (a symbol
/// reference in an instruction or data value) plus one per expression node
/// it keeps. About a million references: bounds the memory they hold.
pub const MAX_FIXUP_COST: u64 = 1 << 20;

/// "Did you mean" hints are computed for the first this many errors only.
pub const MAX_HINTS: usize = 5;

/// No hint for a word longer than this (edit distance is quadratic).
pub const MAX_HINT_WORD: usize = 32;

/// A hint looks at most this many defined names.
pub const MAX_HINT_CANDIDATES: usize = 20_000;

/// Static data allowed when the caller names no VM memory limit: the
/// default `vm_memory_limit_mb` (1024 MiB).
pub const DEFAULT_STATIC_DATA: u64 = 1024 << 20;

/// Why an input file is refused.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Not a regular file (a device, FIFO, socket or folder).
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Larger than the cap.
    #[error("it is {len} bytes long; source files may be at most {max} bytes ({} MiB)", max >> 20)]
    TooLarge {
        /// The file's size (or the bytes read before giving up).
        len: u64,
        /// The cap.
        max: u64,
    },
    /// The operating system's error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What kind of non-regular file `meta` describes, for the message.
fn kind(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    Some(if t.is_file() {
        return None;
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    })
}

/// Checks `path` without opening it: a regular file of at most `max` bytes.
pub fn check_input(path: &Path, max: u64) -> Result<(), InputError> {
    let meta = std::fs::metadata(path)?;
    if let Some(kind) = kind(&meta) {
        return Err(InputError::NotRegular(kind));
    }
    if meta.len() > max {
        return Err(InputError::TooLarge { len: meta.len(), max });
    }
    Ok(())
}

/// Reads a whole input file of at most `max` bytes. Devices, FIFOs and
/// folders are refused by their metadata first; the open is non-blocking
/// (a FIFO swapped in after the check cannot block it) and the file is
/// checked again through the open handle; reading stops at `max + 1` bytes
/// (a file that grows, or a `/proc` file whose size says 0).
pub fn read_input(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    check_input(path, max)?;
    let file = File::options().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = kind(&meta) {
        return Err(InputError::NotRegular(kind));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge { len: bytes.len() as u64, max });
    }
    Ok(bytes)
}

/// Reads a source file of at most [`MAX_SOURCE_BYTES`].
pub fn read_source(path: &Path) -> Result<Vec<u8>, InputError> {
    read_input(path, MAX_SOURCE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_without_reading() {
        let e = read_source(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let e = read_source(Path::new("/")).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    #[test]
    fn large_files_are_refused_by_size() {
        let dir = std::env::temp_dir().join(format!("myvmm-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.s");
        std::fs::write(&path, vec![b'\n'; 100]).unwrap();
        assert_eq!(read_input(&path, 100).unwrap().len(), 100);
        let e = read_input(&path, 99).unwrap_err();
        assert!(matches!(e, InputError::TooLarge { len: 100, max: 99 }), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
