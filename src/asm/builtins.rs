//! Built-in `memcpy`, `memset`, `memmove` and `memcmp` (SPEC §4, GCC output):
//! GCC calls them even in freestanding code, so a program that refers to one
//! without defining it gets this ordinary MIPS code (`builtins/*.s`) linked
//! in as one more source file of the program. It then runs, counts
//! instructions, faults, snapshots and migrates exactly like the guest's own
//! code, under either engine, and listings and fault messages show its source.

use super::assembler::Assembler;

/// The built-in routines: (name, source). Each file defines one `.globl`
/// routine and nothing else global, so it never clashes with the program.
pub const BUILTINS: &[(&str, &str)] = &[
    ("memcpy", include_str!("builtins/memcpy.s")),
    ("memset", include_str!("builtins/memset.s")),
    ("memmove", include_str!("builtins/memmove.s")),
    ("memcmp", include_str!("builtins/memcmp.s")),
];

impl Assembler {
    /// Adds the source of every built-in routine the program refers to but
    /// no file of it defines. Runs once, after the program's own files.
    pub(super) fn link_builtins(&mut self) {
        for (name, source) in BUILTINS {
            let id = self.symbols.intern(name);
            let referenced = self.fixups.list.iter().any(|f| f.expr.mentions(id));
            if referenced && self.symbols.scopes_defining(id).is_empty() {
                self.add_source(&format!("<builtin {name}.s>"), source);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::assemble_str;

    #[test]
    fn linked_only_when_referenced_and_undefined() {
        let calls = "main: jal memset\njal memcmp\njr $ra\n";
        let p = assemble_str("t.s", calls).unwrap();
        assert!(p.symbol("memset").is_some() && p.symbol("memcmp").is_some());
        assert!(p.symbol("memcpy").is_none(), "not referenced: not linked");
        assert!(p.source.files.iter().any(|f| f.path == "<builtin memset.s>"));
        let own = "main: jal memset\njr $ra\nmemset: li $v0, 7\njr $ra\n";
        let p = assemble_str("t.s", own).unwrap();
        assert_eq!(p.source.files.len(), 1, "the program's own memset wins");
        assert_eq!(p.text.len(), 4);
    }

    #[test]
    fn every_builtin_assembles_alone() {
        for (name, source) in super::BUILTINS {
            let p = assemble_str(name, source).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(p.symbol(name).is_some());
        }
    }
}
