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
pub mod reserve;
mod space;
pub mod syscall;

pub use console::{Console, OutputBuffer, MAX_PENDING};
pub use cpu::Cpu;
pub use dump::DumpFormat;
pub use fault::{Exit, Fault};
pub use folder::{Access, AtomicWriteError, Folder, FolderError};
pub use machine::{Image, Machine, VM_HOST_OVERHEAD};
pub use memory::{
    all_zero, host_address_space, host_max_map_count, resident_limit, resident_memories, DataMap,
    GuestMemory, MemoryError, MemoryLayout, PermRun, Reservation, RestoreError, Tracker, DEFAULT_LIMIT,
    PAGE_SHIFT, PERM_R, PERM_W, RESIDENT_SPACE, SPARE_SPACE,
};
pub use space::Prefault;
pub use space::GUARD as SPACE_GUARD;
pub use syscall::{InputRequest, Os};
