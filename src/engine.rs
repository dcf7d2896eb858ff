//! The contract both engines implement, and how to pick one.

use crate::vm::{Exit, Machine};

/// An execution engine: runs guest code on a [`Machine`].
///
/// `run` executes at most `budget` instructions and returns exactly how many
/// retired and why it stopped. A `syscall` or para-instruction retires before
/// the engine returns ([`Exit::Syscall`], [`Exit::Para`]); a faulting
/// instruction does not ([`Exit::Fault`], with `pc` at it). Engines differ in
/// speed only: every exit, count and state is the interpreter's.
pub trait Engine: Send {
    /// Short name for `--stats` (`interp`, `jit`).
    fn name(&self) -> &'static str;
    /// Runs at most `budget` instructions.
    fn run(&mut self, machine: &mut Machine, budget: u64) -> (u64, Exit);
    /// Engine-specific figures for `--stats`, if any.
    fn stats(&self) -> Option<String> {
        None
    }
    /// Gives back what the engine holds of the host while its VM is parked
    /// (see [`crate::vm::GuestMemory::park`]): the JIT's code memory.
    fn park(&mut self) {}
}

/// Which engine a VM uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// The interpreter (always available, the reference).
    #[default]
    Interp,
    /// The dynasmrt JIT (x86-64 hosts).
    Jit,
}

impl EngineKind {
    /// Parses `jit` or `interp`.
    pub fn parse(s: &str) -> Option<EngineKind> {
        match s {
            "interp" => Some(EngineKind::Interp),
            "jit" => Some(EngineKind::Jit),
            _ => None,
        }
    }
}
