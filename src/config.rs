//! VM config files (SPEC §3): lines of `key=value`, `#` comments, blank
//! lines and CRLF accepted, values optionally quoted.

use crate::asm::DelaySlots;
use crate::engine::EngineKind;
use crate::suggest::closest;
use std::path::{Path, PathBuf};

/// Every key a config file may set.
pub const KEYS: &[&str] = &[
    "vm_exec_slice_in_instructions",
    "vm_binary",
    "vm_engine",
    "vm_memory_limit_mb",
    "vm_delay_slots",
    "vm_args",
    "vm_gdb",
];

/// Largest `vm_memory_limit_mb` (the whole 32-bit guest space).
pub const MAX_MEMORY_MB: u64 = 4096;

/// Most lines a config file may have (it sets a handful of keys; the
/// whole file is also bounded by the source-size cap when it is read).
pub const MAX_LINES: usize = 10_000;

/// Most files one `vm_binary` may name.
pub const MAX_BINARIES: usize = 1_000;

/// A parsed config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmFile {
    /// `vm_exec_slice_in_instructions`.
    pub slice: Option<u64>,
    /// `vm_binary`: the program's files, resolved against the config's folder.
    pub binaries: Vec<PathBuf>,
    /// The line `vm_binary` stands on (for errors about its files).
    pub binary_line: usize,
    /// `vm_engine`.
    pub engine: Option<EngineKind>,
    /// `vm_memory_limit_mb`.
    pub memory_limit_mb: Option<u64>,
    /// `vm_delay_slots` (default `auto`).
    pub delay_slots: DelaySlots,
    /// `vm_args`: arguments of an ELF program (`argv[1..]`), split at
    /// whitespace; a quoted value is one argument.
    pub args: Vec<String>,
    /// `vm_gdb`: the address gdb connects to for this VM (SPEC §10).
    pub gdb: Option<String>,
}

/// A config error, naming the file and line.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{path}:{line}: {message}{}", help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
pub struct ConfigError {
    /// The config file.
    pub path: String,
    /// Line number (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// A hint (closest valid key).
    pub help: Option<String>,
}

/// True when `text` is a config file rather than assembly: every line that
/// is not blank or a comment is `key=value`, and some key starts with `vm_`.
pub fn looks_like_config(text: &str) -> bool {
    let mut any_vm_key = false;
    for line in text.lines() {
        let line = strip_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        let Some((key, _)) = line.split_once('=') else { return false };
        let key = key.trim();
        if key.is_empty() || !key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            return false;
        }
        any_vm_key |= key.starts_with("vm_");
    }
    any_vm_key
}

/// Removes a `#` comment, leaving `#` inside quotes alone.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            ('#', None) => return &line[..i],
            _ => {}
        }
    }
    line
}

fn unquote(value: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return (inner, true);
        }
    }
    (value, false)
}

/// The valid key a mistyped one most likely meant: the closest spelling, or
/// the key that contains it (`vm_exec_slice` → `vm_exec_slice_in_instructions`).
fn closest_key(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    closest(&lower, KEYS.iter().copied()).or_else(|| {
        KEYS.iter().copied().find(|k| lower.len() >= 5 && (k.contains(&lower) || lower.contains(k)))
    })
}

/// Parses a config file's text; `path` names it in errors and anchors `vm_binary`.
pub fn parse(path: &Path, text: &str) -> Result<VmFile, ConfigError> {
    let error = |line: usize, message: String, help: Option<String>| ConfigError {
        path: path.display().to_string(),
        line,
        message,
        help,
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut file = VmFile {
        slice: None,
        binaries: Vec::new(),
        binary_line: 0,
        engine: None,
        memory_limit_mb: None,
        delay_slots: DelaySlots::Auto,
        args: Vec::new(),
        gdb: None,
    };
    let mut seen: Vec<&str> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let n = index + 1;
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if n > MAX_LINES {
            return Err(error(n, format!("a config file has at most {MAX_LINES} lines"), None));
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(error(n, format!("expected `key=value`, found `{line}`"), None));
        };
        let key = key.trim();
        let (value, quoted) = unquote(value.trim());
        let Some(&known) = KEYS.iter().find(|k| **k == key) else {
            let help = closest_key(key).map(|k| format!("did you mean `{k}`?"));
            return Err(error(n, format!("unknown key `{key}`"), help));
        };
        if seen.contains(&known) {
            return Err(error(n, format!("`{key}` is given twice"), None));
        }
        seen.push(known);
        match known {
            "vm_exec_slice_in_instructions" => match value.parse::<u64>() {
                Ok(slice) if slice > 0 => file.slice = Some(slice),
                _ => {
                    let message = format!("`{key}` must be a positive integer, not `{value}`");
                    return Err(error(n, message, None));
                }
            },
            "vm_binary" => {
                let paths: Vec<&str> = if quoted { vec![value] } else { value.split_whitespace().collect() };
                if paths.is_empty() || paths.iter().any(|p| p.is_empty()) {
                    return Err(error(n, "`vm_binary` needs a file path".into(), None));
                }
                if paths.len() > MAX_BINARIES {
                    let message = format!("`vm_binary` names {} files; at most {MAX_BINARIES}", paths.len());
                    return Err(error(n, message, None));
                }
                file.binaries = paths.iter().map(|p| folder.join(p)).collect();
                file.binary_line = n;
            }
            "vm_engine" => match EngineKind::parse(value) {
                Some(e) => file.engine = Some(e),
                None => {
                    return Err(error(
                        n,
                        format!("`vm_engine` must be `jit` or `interp`, not `{value}`"),
                        None,
                    ))
                }
            },
            "vm_gdb" => match crate::gdb::parse_addr(value) {
                Some(addr) => file.gdb = Some(addr),
                None => {
                    let message = format!("`vm_gdb` must be a port, `:PORT` or `HOST:PORT`, not `{value}`");
                    return Err(error(n, message, None));
                }
            },
            "vm_args" => {
                file.args = if quoted {
                    vec![value.to_string()]
                } else {
                    value.split_whitespace().map(String::from).collect()
                };
            }
            "vm_delay_slots" => match DelaySlots::parse(value) {
                Some(d) => file.delay_slots = d,
                None => {
                    return Err(error(
                        n,
                        format!("`vm_delay_slots` must be `auto`, `on` or `off`, not `{value}`"),
                        None,
                    ))
                }
            },
            _ => match value.parse::<u64>() {
                Ok(mb) if (1..=MAX_MEMORY_MB).contains(&mb) => file.memory_limit_mb = Some(mb),
                _ => {
                    let message =
                        format!("`{key}` must be a number of MiB from 1 to {MAX_MEMORY_MB}, not `{value}`");
                    return Err(error(n, message, None));
                }
            },
        }
    }
    if file.binaries.is_empty() {
        return Err(error(0, "missing `vm_binary` (the program to run)".into(), None));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<VmFile, ConfigError> {
        parse(Path::new("dir/vm1.cfg"), text)
    }

    #[test]
    fn the_coursework_sample() {
        let f = cfg("vm_exec_slice_in_instructions=2\nvm_binary=instructions_vm1\n").unwrap();
        assert_eq!(f.slice, Some(2));
        assert_eq!(f.binaries, vec![PathBuf::from("dir/instructions_vm1")]);
        assert_eq!(f.binary_line, 2);
    }

    #[test]
    fn whitespace_comments_quotes_and_crlf() {
        let f = cfg("# comment\r\n  vm_binary = \"a b.s\"  # trailing\r\n\r\nvm_engine=interp\r\n").unwrap();
        assert_eq!(f.binaries, vec![PathBuf::from("dir/a b.s")]);
        assert_eq!(f.engine, Some(EngineKind::Interp));
        let f = cfg("vm_binary=a.s b.s\nvm_memory_limit_mb=16").unwrap();
        assert_eq!(f.binaries.len(), 2);
        assert_eq!(f.memory_limit_mb, Some(16));
    }

    #[test]
    fn errors_name_file_line_and_closest_key() {
        let e = cfg("vm_binary=a.s\nvm_exec_slice=5\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            e.to_string(),
            "dir/vm1.cfg:2: unknown key `vm_exec_slice` (did you mean `vm_exec_slice_in_instructions`?)"
        );
        assert!(cfg("vm_binary=a.s\nvm_exec_slice_in_instructions=0")
            .unwrap_err()
            .message
            .contains("positive"));
        assert!(cfg("vm_binary=a.s\nvm_exec_slice_in_instructions=ten").is_err());
        assert!(cfg("vm_binary=a.s\nvm_exec_slice_in_instructions=-1").is_err());
        assert!(cfg("vm_exec_slice_in_instructions=3").unwrap_err().message.contains("missing `vm_binary`"));
        assert!(cfg("vm_binary=a.s\nvm_engine=fast").is_err());
        assert_eq!(cfg("vm_binary=a.s\nvm_delay_slots=on").unwrap().delay_slots, DelaySlots::On);
        assert!(cfg("vm_binary=a.s\nvm_delay_slots=yes")
            .unwrap_err()
            .message
            .contains("`auto`, `on` or `off`"));
        assert!(cfg("vm_binary=a.s\nvm_binary=b.s").is_err());
    }

    #[test]
    fn detection_by_content() {
        assert!(looks_like_config("vm_binary=x\n"));
        assert!(looks_like_config("# c\nvm_typo = 3\n"));
        assert!(!looks_like_config("li $1,6\nDUMP_PROCESSOR_STATE\n"));
        assert!(!looks_like_config("x = 5\n"));
        assert!(!looks_like_config(""));
    }
}
