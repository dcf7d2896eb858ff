//! myvmm: a MIPS32 hypervisor.
//!
//! Layers, bottom up: [`isa`] (the instruction table); [`asm`] (the
//! assembler producing a [`asm::Program`]) and [`vm`] (CPU state, guest
//! memory, syscalls, console); the engines ([`interp`], behind the
//! [`engine::Engine`] contract); the scheduler ([`sched`]); and the command
//! line ([`cli`], with [`config`] files). Lower layers never import upper ones.

pub mod asm;
pub mod cli;
pub mod config;
pub mod control;
pub mod elf;
pub mod engine;
pub mod gdb;
pub mod interp;
pub mod isa;
#[cfg(target_arch = "x86_64")]
pub mod jit;
pub mod layout;
pub mod migrate;
pub mod program;
pub mod sched;
pub mod snapshot;
pub mod suggest;
pub mod vm;
