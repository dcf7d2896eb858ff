//! Why a VM stops: guest faults are VM exits, never host errors.

use std::fmt;

/// A guest fault: the VM stops, the others go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Unaligned load or instruction fetch (MIPS AdEL).
    AddressErrorLoad(u32),
    /// Unaligned store (MIPS AdES).
    AddressErrorStore(u32),
    /// Access to memory the VM has not mapped.
    Unmapped {
        /// The guest address.
        addr: u32,
        /// True for a store.
        write: bool,
    },
    /// Store into read-only memory (the text, an ELF's read-only data).
    ReadOnly(u32),
    /// `add`, `addi` or `sub` overflowed.
    Overflow,
    /// A conditional trap instruction fired.
    Trap,
    /// `break` executed.
    Break(u32),
    /// An FP exception whose enable bit is set in FCSR (the cause bits:
    /// I 1, U 2, O 4, Z 8, V 16, E 32).
    FloatingPoint(u32),
    /// A word that is not an instruction.
    ReservedInstruction(u32),
    /// A branch or jump in the delay slot of another (a reserved
    /// instruction on MIPS32, as qemu-mipsel raises it).
    BranchInDelaySlot,
    /// The pc left the text segment.
    BadPc(u32),
    /// The VM asked for more memory than its limit.
    MemoryLimit {
        /// Bytes the VM would have needed.
        wanted: u64,
        /// The limit.
        limit: u64,
    },
    /// An unknown or unsupported syscall number.
    BadSyscall(u32),
    /// The VM ran more instructions than `--max-instructions` allows.
    InstructionLimit(u64),
    /// A feature not available yet (the message says which).
    Unsupported(String),
    /// Translated code faulted on the host: a JIT bug, caught before it
    /// could do harm (guest memory is followed by a guard, and the fault
    /// handler turns the host signal into this fault).
    HostFault {
        /// The host address the code touched.
        addr: u64,
    },
    /// A page restored copy-on-write from a snapshot does not match its
    /// hash: the file changed after it was written. Raised on the VM's
    /// first access to the page, before anything used its bytes.
    CorruptPage {
        /// The snapshot file the page came from.
        file: std::sync::Arc<str>,
        /// The guest page number.
        page: u32,
    },
}

impl Fault {
    /// The Linux signal a process gets for this fault (SPEC §9: an ELF
    /// program dies of it, and a lone one ends myvmm with 128 + it):
    /// SIGSEGV for memory and jumps, SIGBUS for unaligned accesses, SIGILL
    /// for reserved instructions, SIGFPE for overflow and FP exceptions,
    /// SIGTRAP for traps and breaks (MIPS numbers); SIGKILL for what a
    /// kernel would end the process for (limits).
    pub fn signal(&self) -> u32 {
        match self {
            Fault::AddressErrorLoad(_) | Fault::AddressErrorStore(_) => 10,
            Fault::Unmapped { .. } | Fault::ReadOnly(_) | Fault::BadPc(_) => 11,
            Fault::Overflow | Fault::FloatingPoint(_) => 8,
            Fault::Trap | Fault::Break(_) => 5,
            Fault::ReservedInstruction(_) | Fault::BranchInDelaySlot => 4,
            _ => 9,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::AddressErrorLoad(a) => write!(f, "address error: unaligned load from 0x{a:08x}"),
            Fault::AddressErrorStore(a) => write!(f, "address error: unaligned store to 0x{a:08x}"),
            Fault::Unmapped { addr, write: false } => write!(f, "load from unmapped address 0x{addr:08x}"),
            Fault::Unmapped { addr, write: true } => write!(f, "store to unmapped address 0x{addr:08x}"),
            Fault::ReadOnly(a) => write!(f, "store to read-only memory at 0x{a:08x}"),
            Fault::Overflow => write!(f, "arithmetic overflow"),
            Fault::Trap => write!(f, "trap"),
            Fault::Break(code) => write!(f, "break (code {code})"),
            Fault::ReservedInstruction(w) => write!(f, "reserved instruction 0x{w:08x}"),
            Fault::FloatingPoint(cause) => {
                let names: Vec<&str> = [
                    (16, "invalid operation"),
                    (8, "division by zero"),
                    (4, "overflow"),
                    (2, "underflow"),
                    (1, "inexact"),
                    (32, "unimplemented operation"),
                ]
                .iter()
                .filter(|(bit, _)| cause & bit != 0)
                .map(|(_, name)| *name)
                .collect();
                write!(f, "floating-point exception ({}) enabled in FCSR", names.join(", "))
            }
            Fault::BranchInDelaySlot => write!(f, "reserved instruction: a branch or jump in a delay slot"),
            Fault::BadPc(pc) => write!(f, "jump outside the program to 0x{pc:08x}"),
            Fault::MemoryLimit { wanted, limit } => {
                write!(f, "memory limit exceeded: needs {} KiB, limit is {} KiB", wanted / 1024, limit / 1024)
            }
            Fault::BadSyscall(n) => write!(f, "unknown syscall {n}"),
            Fault::InstructionLimit(n) => write!(f, "instruction limit of {n} reached"),
            Fault::Unsupported(what) => write!(f, "{what}"),
            Fault::HostFault { addr } => write!(
                f,
                "internal error: translated code faulted on host address 0x{addr:x} (a myvmm JIT bug; \
                 the VM was stopped; --engine interp runs it without the JIT)"
            ),
            Fault::CorruptPage { file, page } => write!(
                f,
                "corrupted snapshot {file}: page {page:#x} (guest 0x{:08x}..0x{:08x}) does not match \
                 its hash; the VM was stopped before using it",
                page << 12,
                (page << 12) | 0xfff
            ),
        }
    }
}

/// Why an engine returned control to the hypervisor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The instruction budget is spent.
    Budget,
    /// A `syscall` retired; the VM serves it.
    Syscall,
    /// A para-instruction retired; `pc - 4` is its address.
    Para,
    /// Execution reached the end of the text (or `jr $ra` out of the entry).
    Halt,
    /// A guest fault; `pc` is the faulting instruction, not retired.
    Fault(Fault),
}
