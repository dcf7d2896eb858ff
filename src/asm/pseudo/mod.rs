//! Pseudo-instructions and extended operand forms, expanded as MARS expands
//! them (using `$at` as the scratch register). Constant operands known while
//! assembling pick the shortest form; labels always take the full form, so an
//! instruction's size never depends on where labels land.
//!
//! What exists is written once, in [`table`]: a mnemonic is looked up there
//! (first row and form whose shapes fit the operands), and the row's
//! [`Pseudo`] variant, not the mnemonic, drives the expansion.
//!
//! An expansion may contain a branch over a fixed number of its own words
//! (the zero check of `div rd, rs, rt`, `mulo`'s overflow check): such a
//! branch has no fixup and is never the expansion's last instruction, which
//! is how the assembler tells it apart, to give it its delay slot and one
//! more word to skip.

mod expand;
pub mod table;
#[cfg(test)]
mod tests;

use super::native::{ConstEval, Emit, Mismatch};
use super::operands::{Arg, Spanned};
use std::collections::HashMap;
use std::sync::OnceLock;
pub use table::{Pseudo, Row, Shape, ROWS};

/// Lower-case mnemonic → its rows, in table order, each with the variant
/// the mnemonic expands as.
fn by_mnemonic() -> &'static HashMap<&'static str, Vec<(&'static Row, Pseudo)>> {
    static MAP: OnceLock<HashMap<&'static str, Vec<(&'static Row, Pseudo)>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: HashMap<_, Vec<_>> = HashMap::new();
        for row in ROWS {
            for &(name, pseudo) in row.mnemonics {
                map.entry(name).or_default().push((row, pseudo));
            }
        }
        map
    })
}

/// Whether `shapes` fit `args`, position by position; an [`Shape::Even`]
/// operand that is odd is an error straight away (see [`Shape::Even`]).
fn fits(shapes: &[Shape], args: &[&Arg]) -> Result<bool, Mismatch> {
    for (i, shape) in shapes.iter().enumerate() {
        let Some(arg) = args.get(i) else { return Ok(false) };
        let ok = match (shape, arg) {
            (Shape::Even, Arg::FReg(f)) if f % 2 == 1 => {
                return Err(Mismatch {
                    message: format!("`$f{f}` is odd: a double names the even register of its pair"),
                    arg: Some(i),
                })
            }
            (Shape::Reg, Arg::Reg(_))
            | (Shape::Expr, Arg::Expr(_))
            | (Shape::Mem, Arg::Mem(..))
            | (Shape::Off, Arg::Mem(Some(_), _))
            | (Shape::FReg | Shape::Even, Arg::FReg(_))
            | (Shape::RegImm, Arg::Reg(_) | Arg::Expr(_))
            | (Shape::Rhs | Shape::Addr, _) => true,
            _ => false,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(args.len() == shapes.len())
}

/// The variant `name args` expands as (name in lower case): `None` when no
/// row of the mnemonic has a form for these operand shapes.
pub fn lookup(name: &str, args: &[&Arg]) -> Option<Result<Pseudo, Mismatch>> {
    for &(row, pseudo) in by_mnemonic().get(name)? {
        for form in row.forms {
            match fits(form, args) {
                Ok(true) => return Some(Ok(pseudo)),
                Ok(false) => {}
                Err(m) => return Some(Err(m)),
            }
        }
    }
    None
}

/// Expands `name args` (name in lower case). `None` when the mnemonic has no
/// pseudo form for these operand shapes.
pub fn expand(name: &str, args: &[Spanned], k: &dyn ConstEval) -> Option<Result<Vec<Emit>, Mismatch>> {
    let a: Vec<&Arg> = args.iter().map(|s| &s.arg).collect();
    Some(lookup(name, &a)?.and_then(|pseudo| expand::expand(pseudo, &a, k)))
}

/// Whether the table has rows for `name` (lower case).
pub fn is_mnemonic(name: &str) -> bool {
    by_mnemonic().contains_key(name)
}

/// The syntax of every form of `name` (lower case), as errors quote it:
/// `la rt, label | la rt, offset(base)`.
pub fn syntax(name: &str) -> Option<String> {
    let forms: Vec<String> = by_mnemonic()
        .get(name)?
        .iter()
        .flat_map(|(row, _)| row.syntax)
        .map(|s| if s.is_empty() { name.to_string() } else { format!("{name} {s}") })
        .collect();
    Some(forms.join(" | "))
}

/// The pseudo-instructions proper (the table's mnemonics that are no machine
/// instruction), in table order: the names hints offer besides the ISA's.
pub fn pseudo_mnemonics() -> impl Iterator<Item = &'static str> {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut names: Vec<&'static str> = Vec::new();
            for &(name, _) in ROWS.iter().flat_map(|row| row.mnemonics) {
                let machine = crate::isa::OPS.iter().any(|d| d.mnemonic.eq_ignore_ascii_case(name));
                if !machine && !names.contains(&name) {
                    names.push(name);
                }
            }
            names
        })
        .iter()
        .copied()
}
