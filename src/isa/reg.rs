//! General-purpose register names.

/// Conventional o32 names, indexed by register number.
pub const NAMES: [&str; 32] = [
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "s0",
    "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
];

/// The stack pointer, `$sp`.
pub const SP: u8 = 29;
/// The global pointer, `$gp`.
pub const GP: u8 = 28;
/// The return address register, `$ra`.
pub const RA: u8 = 31;
/// The assembler temporary, `$at`, which pseudo-instructions use.
pub const AT: u8 = 1;

/// Parses a register name without its `$`: a number `0`..`31` or a
/// conventional name (`s8` is `fp`). Case-insensitive, as MARS is.
pub fn parse(name: &str) -> Option<u8> {
    if let Some(first) = name.bytes().next() {
        if first.is_ascii_digit() {
            return match name.parse::<u8>() {
                Ok(n) if n < 32 && (name.len() == 1 || first != b'0') => Some(n),
                _ => None,
            };
        }
    }
    if name.len() > 4 {
        return None;
    }
    let mut buf = [0u8; 4];
    for (b, c) in buf.iter_mut().zip(name.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    let lower = &buf[..name.len()];
    if lower == b"s8" {
        return Some(30);
    }
    NAMES.iter().position(|n| n.as_bytes() == lower).map(|i| i as u8)
}

/// Parses an FP register name without its `$`: `f0`..`f31` (case-insensitive).
pub fn parse_fpr(name: &str) -> Option<u8> {
    let digits = name.strip_prefix('f').or_else(|| name.strip_prefix('F'))?;
    match digits.parse::<u8>() {
        Ok(n) if n < 32 && !digits.starts_with('+') && (digits.len() == 1 || !digits.starts_with('0')) => {
            Some(n)
        }
        _ => None,
    }
}

/// Parses an FP condition code name without its `$`: `fcc0`..`fcc7` (GNU as).
pub fn parse_fcc(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    let digit = lower.strip_prefix("fcc")?;
    match digit.as_bytes() {
        [d @ b'0'..=b'7'] => Some(d - b'0'),
        _ => None,
    }
}

/// An FP register's name with its `$`.
pub fn fpr_name(f: u8) -> &'static str {
    const NAMES: [&str; 32] = [
        "$f0", "$f1", "$f2", "$f3", "$f4", "$f5", "$f6", "$f7", "$f8", "$f9", "$f10", "$f11", "$f12", "$f13",
        "$f14", "$f15", "$f16", "$f17", "$f18", "$f19", "$f20", "$f21", "$f22", "$f23", "$f24", "$f25",
        "$f26", "$f27", "$f28", "$f29", "$f30", "$f31",
    ];
    NAMES[(f & 31) as usize]
}

/// The register's conventional name with its `$`.
pub fn name(reg: u8) -> &'static str {
    const DOLLAR: [&str; 32] = [
        "$zero", "$at", "$v0", "$v1", "$a0", "$a1", "$a2", "$a3", "$t0", "$t1", "$t2", "$t3", "$t4", "$t5",
        "$t6", "$t7", "$s0", "$s1", "$s2", "$s3", "$s4", "$s5", "$s6", "$s7", "$t8", "$t9", "$k0", "$k1",
        "$gp", "$sp", "$fp", "$ra",
    ];
    DOLLAR[(reg & 31) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(parse("0"), Some(0));
        assert_eq!(parse("31"), Some(31));
        assert_eq!(parse("32"), None);
        assert_eq!(parse("01"), None);
        assert_eq!(parse("sp"), Some(SP));
        assert_eq!(parse("S8"), Some(30));
        assert_eq!(parse("fp"), Some(30));
        assert_eq!(parse("ZERO"), Some(0));
        assert_eq!(parse("t10"), None);
        assert_eq!(parse(""), None);
        for r in 0..32u8 {
            assert_eq!(parse(&name(r)[1..]), Some(r));
        }
    }
}
