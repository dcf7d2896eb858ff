//! The symbol table: labels are local to the file that defines them unless
//! declared `.globl`, as when MARS assembles several files into one program.

use super::expr::{EvalError, Resolver, SymRef, Value};
use super::sections::Layout;
use crate::program::{Loc, GP_INIT};
use std::collections::HashMap;

/// What a symbol stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymValue {
    /// A position in a section.
    Label {
        /// Section index.
        section: u8,
        /// Byte offset.
        offset: i64,
    },
    /// A constant (`.set`, `.equ`, `=`).
    Const(i64),
}

/// A definition and where it was made.
#[derive(Clone, Copy, Debug)]
pub struct SymDef {
    /// Its value.
    pub value: SymValue,
    /// Where it was defined.
    pub loc: Loc,
}

/// Interned names, definitions per scope and `.globl` declarations.
#[derive(Default)]
pub struct Symbols {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    defs: HashMap<(u32, u32), SymDef>,
    declared_global: HashMap<u32, Vec<u32>>,
    exported: HashMap<u32, u32>,
    /// GNU as numeric local labels: how many `N:` each file has defined so far.
    numeric: HashMap<(u32, u64), u32>,
}

/// Separates a numeric label's number from its instance in the symbol names
/// they get (`1:` defined twice is `1\u{2}1` then `1\u{2}2`): no name a
/// user can write contains it.
pub const NUMERIC_MARK: char = '\u{2}';

/// The number and direction of a numeric local label reference (`1b`, `12f`).
fn numeric_reference(name: &str) -> Option<(u64, bool)> {
    let (digits, forward) = match name.strip_suffix('f') {
        Some(digits) => (digits, true),
        None => (name.strip_suffix('b')?, false),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((digits.parse().ok()?, forward))
}

impl Symbols {
    /// The id of a name, interning it on first sight.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The symbol a name written in file `scope` refers to. A numeric local
    /// label reference names an instance: `1b` the last `1:` defined so far
    /// in the file, `1f` the next one.
    pub fn reference(&mut self, scope: u32, name: &str) -> SymRef {
        let name = match numeric_reference(name) {
            Some((n, forward)) => {
                let defined = self.numeric.get(&(scope, n)).copied().unwrap_or(0);
                self.intern(&format!("{n}{NUMERIC_MARK}{}", defined + u32::from(forward)))
            }
            None => self.intern(name),
        };
        SymRef { scope, name }
    }

    /// Names the next instance of numeric label `n` (`1:`) in file `scope`.
    pub fn next_numeric(&mut self, scope: u32, n: u64) -> String {
        let count = self.numeric.entry((scope, n)).or_insert(0);
        *count += 1;
        format!("{n}{NUMERIC_MARK}{count}")
    }

    /// The text of an interned name.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Defines `sym` in its scope; on a duplicate, returns the first definition.
    pub fn define(&mut self, sym: SymRef, def: SymDef) -> Result<(), SymDef> {
        match self.defs.entry((sym.scope, sym.name)) {
            std::collections::hash_map::Entry::Occupied(e) => Err(*e.get()),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(def);
                Ok(())
            }
        }
    }

    /// Moves a label (auto-alignment moves labels that precede aligned data).
    pub fn relocate(&mut self, sym: SymRef, offset: i64) {
        if let Some(SymDef { value: SymValue::Label { offset: o, .. }, .. }) =
            self.defs.get_mut(&(sym.scope, sym.name))
        {
            *o = offset;
        }
    }

    /// Records `.globl name` in a scope.
    pub fn declare_global(&mut self, sym: SymRef) {
        let scopes = self.declared_global.entry(sym.name).or_default();
        if !scopes.contains(&sym.scope) {
            scopes.push(sym.scope);
        }
    }

    /// Decides which definition each global name refers to; returns the names
    /// defined globally in more than one file.
    pub fn export(&mut self) -> Vec<(u32, SymDef, SymDef)> {
        let mut clashes = Vec::new();
        for (&name, scopes) in &self.declared_global {
            for &scope in scopes {
                if let Some(def) = self.defs.get(&(scope, name)) {
                    match self.exported.get(&name) {
                        Some(&first) => clashes.push((name, self.defs[&(first, name)], *def)),
                        None => {
                            self.exported.insert(name, scope);
                        }
                    }
                }
            }
        }
        clashes
    }

    /// The definition a reference resolves to: the file's own, else the global one.
    pub fn lookup(&self, sym: SymRef) -> Option<&SymDef> {
        self.defs
            .get(&(sym.scope, sym.name))
            .or_else(|| self.exported.get(&sym.name).and_then(|&s| self.defs.get(&(s, sym.name))))
    }

    /// Every definition (scope, name id, definition).
    pub fn definitions(&self) -> impl Iterator<Item = (u32, u32, &SymDef)> {
        self.defs.iter().map(|(&(scope, name), def)| (scope, name, def))
    }

    /// Every scope that defines `name`.
    pub fn scopes_defining(&self, name: u32) -> Vec<u32> {
        let mut v: Vec<u32> = self.defs.keys().filter(|k| k.1 == name).map(|k| k.0).collect();
        v.sort_unstable();
        v
    }
}

/// Resolution while assembling: labels are section-relative, unknown
/// symbols are deferred (they may be defined later or in another file).
pub struct PassOne<'a>(pub &'a Symbols);

impl Resolver for PassOne<'_> {
    fn symbol(&self, sym: SymRef) -> Result<Value, EvalError> {
        match self.0.defs.get(&(sym.scope, sym.name)).map(|d| d.value) {
            Some(SymValue::Const(v)) => Ok(Value::Abs(v)),
            Some(SymValue::Label { section, offset }) => Ok(Value::Rel { section, offset }),
            None => Err(EvalError::Deferred),
        }
    }
    fn here(&self, section: u8, offset: i64) -> Value {
        Value::Rel { section, offset }
    }
    fn gp(&self) -> i64 {
        GP_INIT as i64
    }
}

/// Resolution after layout: every label is an address.
pub struct Final<'a> {
    /// The symbols, exported.
    pub symbols: &'a Symbols,
    /// Section addresses.
    pub layout: &'a Layout,
}

impl Final<'_> {
    /// The address of a section position.
    pub fn address(&self, section: u8, offset: i64) -> i64 {
        self.layout.base[section as usize % self.layout.base.len()] as i64 + offset
    }
}

impl Resolver for Final<'_> {
    fn symbol(&self, sym: SymRef) -> Result<Value, EvalError> {
        match self.symbols.lookup(sym).map(|d| d.value) {
            Some(SymValue::Const(v)) => Ok(Value::Abs(v)),
            Some(SymValue::Label { section, offset }) => Ok(Value::Abs(self.address(section, offset))),
            None => Err(EvalError::Undefined(sym)),
        }
    }
    fn here(&self, section: u8, offset: i64) -> Value {
        Value::Abs(self.address(section, offset))
    }
    fn gp(&self) -> i64 {
        GP_INIT as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_labels_count_per_file() {
        let mut s = Symbols::default();
        let forward = s.reference(0, "1f");
        let first = s.next_numeric(0, 1);
        assert_eq!(s.name(forward.name), first);
        assert_eq!(s.reference(0, "1b"), forward);
        let other_file = s.reference(1, "1b");
        assert_ne!(s.name(other_file.name), first, "files count separately");
        let second = s.next_numeric(0, 1);
        let back = s.reference(0, "1b");
        assert_eq!(s.name(back.name), second);
        let plain = s.reference(0, "label");
        assert_eq!(s.name(plain.name), "label");
        assert_eq!(numeric_reference("0b"), Some((0, false)));
        assert_eq!(numeric_reference("b"), None);
        assert_eq!(numeric_reference("x1f"), None);
    }
}
