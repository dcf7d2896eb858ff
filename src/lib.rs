//! myvmm: a MIPS32 hypervisor.
//!
//! Layers, bottom up: [`isa`] (the instruction table), [`asm`] (the
//! assembler producing a [`asm::Program`]), then the VM, the engines, the
//! scheduler, snapshots, migration and the command line.

pub mod asm;
pub mod isa;
