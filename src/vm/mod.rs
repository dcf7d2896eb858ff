//! The virtual machine's parts: CPU state, guest memory, the [`Machine`]
//! engines run, syscalls, the console and DUMP_PROCESSOR_STATE.
//!
//! Sits on [`crate::isa`], [`crate::layout`] and [`crate::program`] (tests
//! assemble programs with [`crate::asm`]); knows nothing of engines or
//! scheduling (see [`crate::sched::Vm`] for the schedulable whole).

mod console;
mod cpu;
pub mod dump;
mod fault;
pub mod folder;
pub mod java_float;
pub mod linux;
mod machine;
pub(crate) mod memory;
mod space;
pub mod syscall;

pub use console::{Console, OutputBuffer, MAX_PENDING};
pub use cpu::Cpu;
pub use dump::DumpFormat;
pub use fault::{Exit, Fault};
pub use folder::{Access, AtomicWriteError, Folder, FolderError};
pub use machine::{Image, Machine};
pub use memory::{
    DataMap, GuestMemory, MemoryError, MemoryLayout, PermRun, Reservation, RestoreError, DEFAULT_LIMIT,
    PAGE_SHIFT, PERM_R, PERM_W,
};
pub use syscall::{InputRequest, Os};

/// Host address space one VM reserves: its whole 32-bit guest space and the
/// guard after it.
pub const RESERVATION_BYTES: u64 = (space::SPACE + space::GUARD) as u64;
/// Host memory mappings to count per VM: it holds three at the least (its
/// reservation, guard and permission table) and more once its memory is
/// sealed for the JIT; one more is counted so that a run never nears the
/// limit, where the allocator's own mappings start to fail and it falls
/// back to zeroing memory by hand (a run of 20,000 VMs took 9 GB so).
pub const MAPPINGS_PER_VM: u64 = 4;
