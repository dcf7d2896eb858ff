//! Command-line flags (clap). Every option is documented in `--help`.

use clap::{ArgAction, Parser, ValueEnum};
use std::path::PathBuf;

/// Execution engine names on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// Translate guest blocks to x86-64 (the default).
    Jit,
    /// Interpret one instruction at a time (the reference).
    Interp,
}

/// DUMP_PROCESSOR_STATE output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DumpArg {
    /// A readable, aligned block.
    Text,
    /// One JSON object per dump, on one line.
    Json,
}

/// myvmm: a hypervisor for MIPS32 virtual machines written in assembly.
#[derive(Parser, Debug)]
#[command(
    name = "myvmm",
    version,
    about,
    override_usage = "myvmm [OPTIONS] -v <VM> [-s <SNAPSHOT>] [-v <VM> [-s <SNAPSHOT>]]...\n       myvmm [OPTIONS] <PROGRAM> [-- <ARGS>...]\n       myvmm [OPTIONS] --listen <ADDR> [-v <VM>]...\n       myvmm --listing <FILES>...\n       myvmm --emit-elf <OUT> <PROGRAM>",
    after_help = "Control a running myvmm: myvmm ctl SOCKET COMMAND (see --control).\n\nExamples:\n  myvmm -v asm/mars/hello.s\n  myvmm -v vm1.cfg -v vm2.cfg --workers 1\n  myvmm prog.elf -- input.txt 42\n  myvmm --listing asm/mars/loops.s"
)]
pub struct Args {
    /// A VM: a config file (`vm_binary=…`), a MIPS assembly file or a static
    /// MIPS32 Linux ELF executable, told apart by content. Repeat for more VMs; they are numbered 1, 2, … in order.
    #[arg(short = 'v', long = "vm", value_name = "VM", action = ArgAction::Append)]
    pub vms: Vec<PathBuf>,

    /// Right after a -v: start that VM from this snapshot, which must be of
    /// the same program. Alone: a VM from the snapshot only (snapshots carry
    /// their program). Snapshots are written by the SNAPSHOT para-instruction.
    #[arg(short = 's', long = "snapshot", value_name = "SNAPSHOT", action = ArgAction::Append)]
    pub snapshots: Vec<PathBuf>,

    /// Execution engine for VMs whose config does not choose one.
    #[arg(long, value_enum, default_value = "jit")]
    pub engine: EngineArg,

    /// Instructions per turn for VMs whose config does not set
    /// `vm_exec_slice_in_instructions` (and for assembly files given directly).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub slice: u64,

    /// Worker threads (default: the machine's cores). 1 gives a strict,
    /// deterministic round-robin in VM-number order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub workers: Option<u32>,

    /// How DUMP_PROCESSOR_STATE prints.
    #[arg(long, value_enum, default_value = "text")]
    pub dump_format: DumpArg,

    /// Stop a VM (as a fault, exit status 1) after this many instructions:
    /// a guard against runaway programs.
    #[arg(long, value_name = "N")]
    pub max_instructions: Option<u64>,

    /// Let the file syscalls (13–16) open regular files inside this folder
    /// only: no absolute paths, no `..`, no symbolic link out of it. Without
    /// it every open fails, as the guest sees a failed open.
    #[arg(long, value_name = "DIR")]
    pub allow_files: Option<PathBuf>,

    /// Folder SNAPSHOT paths are relative to (default: the working
    /// directory). A path that is absolute, uses `..` or leads out through a
    /// symbolic link is refused with a warning and the VM goes on. VMs
    /// received by migration snapshot into this folder too.
    #[arg(long, value_name = "DIR")]
    pub snapshot_dir: Option<PathBuf>,

    /// Checkpoint every running VM every SECS seconds (fractions allowed)
    /// into DIR/vmN/: the first checkpoint whole, the next ones only the
    /// pages written since, `DIR/vmN/latest` naming the newest (`-s
    /// DIR/vmN/latest` resumes from it). See docs/snapshots.md.
    #[arg(long, num_args = 2, value_names = ["SECS", "DIR"])]
    pub checkpoint_every: Option<Vec<String>>,

    /// Print per-VM figures on stderr at exit: instructions, time, guest
    /// MIPS, engine, turns.
    #[arg(long)]
    pub stats: bool,

    /// Accept migrated VMs on ADDR: a bare port or `:PORT` binds 127.0.0.1,
    /// `0.0.0.0:2830` accepts from other hosts. Received VMs run here.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,

    /// With --listen: take at most N migrations, and exit once N received
    /// VMs have finished (for scripts). A migration is never accepted and
    /// then dropped: while N are taken, further senders are refused and keep
    /// their VMs.
    #[arg(long, value_name = "N", requires = "listen")]
    pub exit_after: Option<usize>,

    /// A file whose bytes are the shared migration key (best: 32 random
    /// bytes, `head -c 32 /dev/urandom`). The stream is then a Noise session
    /// with this pre-shared key (NNpsk0): a receiver with a key accepts only
    /// senders that prove it before they send anything; a sender with a key
    /// sends only to receivers that prove it. The key is never printed.
    #[arg(long, value_name = "FILE")]
    pub migration_key: Option<PathBuf>,

    /// Seconds a migration may wait on one connect, read or write; also the
    /// whole time a receiver gives a sender to finish the handshake.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub migration_timeout: u64,

    /// Seconds one migration may take in all after its handshake, on either
    /// side: a peer that trickles bytes is cut off then, however steadily it
    /// sends.
    #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub migration_deadline: u64,

    /// How long a migrating VM may stand still at the end (milliseconds):
    /// its memory goes over while it runs, in rounds over the pages it
    /// wrote since, until what is left fits this at the link's rate (the VM
    /// is slowed down if it writes faster than the link carries).
    #[arg(long, value_name = "MS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=60000))]
    pub migration_downtime_ms: u64,

    /// Receiver: the memory (MiB) all migrations in flight may hold
    /// together, reserved before any byte of a VM is read; hence also the
    /// largest VM accepted. A received VM's memory limit is the smaller of
    /// its own and this.
    #[arg(long, value_name = "MIB", default_value_t = 1536, value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_migration_mb: u64,

    /// Receiver: back this much host memory (MiB) before listening, as
    /// QEMU's destination does with `-mem-prealloc`: an incoming VM's pages
    /// are moved into memory the host has zeroed already, instead of being
    /// faulted in while they arrive; backed again after each migration.
    /// At most --max-migration-mb. 0 (the default): none.
    #[arg(long, value_name = "MIB", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=65536))]
    pub migration_prealloc_mb: u64,

    /// A file naming VMs, one per line: `VM` or `VM SNAPSHOT` (paths
    /// relative to the file's folder; `#` starts a comment). They are
    /// numbered after the -v ones: for more VMs than a command line holds.
    #[arg(long, value_name = "FILE")]
    pub vm_list: Option<PathBuf>,
    /// A lone program, without -v (as `spim prog.s` or `qemu-mipsel prog`
    /// run one): an assembly file, a config or a static MIPS32 ELF.
    #[arg(value_name = "PROGRAM")]
    pub program: Option<PathBuf>,
    /// After `--`: the arguments of a single VM's ELF program (its
    /// `argv[1..]`; `argv[0]` is the program's path as given).
    #[arg(last = true, value_name = "ARGS")]
    pub guest_args: Vec<String>,
    /// Print DUMP_PROCESSOR_STATE of every VM as it ends (halted, exited,
    /// faulted or killed), in --dump-format.
    #[arg(long)]
    pub dump_at_exit: bool,
    /// Print every instruction of every VM as it retires, on stderr: VM,
    /// instruction count, pc, disassembly, source line and what it changed
    /// (registers, HI/LO, FP registers, FCSR, stored words). The same under
    /// both engines: a traced VM runs one instruction at a time.
    #[arg(long)]
    pub trace: bool,
    /// Serve a control socket at SOCKET (a Unix socket, owner-only): one
    /// JSON object per line, as QEMU's QMP. `myvmm ctl SOCKET list | pause N
    /// | resume N | dump N | snapshot N FILE | migrate N HOST[:PORT] | stats
    /// | quit` is its client (docs/control.md).
    #[arg(long, value_name = "SOCKET")]
    pub control: Option<PathBuf>,
    /// Debug VM 1 (or the only VM) with gdb: it waits before its first
    /// instruction for `gdb-multiarch -ex 'target remote ADDR'` (a port or
    /// `:PORT` binds 127.0.0.1). `vm_gdb = ADDR` in a config debugs that VM.
    /// The other VMs run meanwhile. See docs/gdb.md.
    #[arg(long, value_name = "ADDR")]
    pub gdb: Option<String>,
    /// Like --trace, for VM N only (repeat for more).
    #[arg(long, value_name = "N", action = ArgAction::Append, value_parser = clap::value_parser!(u32).range(1..))]
    pub trace_vm: Vec<u32>,
    /// Assemble FILES as one program and print its listing (address, word,
    /// disassembly, source), then exit.
    #[arg(long, value_name = "FILES", num_args = 1.., conflicts_with_all = ["vms", "snapshots"])]
    pub listing: Vec<PathBuf>,
    /// Write the program (a `.s` file or a VM config) as an ELF executable
    /// with symbols and DWARF source lines for gdb, then exit:
    /// `myvmm --emit-elf prog.elf prog.s`, then
    /// `gdb-multiarch prog.elf -ex 'target remote :1234'` (docs/gdb.md).
    #[arg(long, value_name = "OUT", conflicts_with_all = ["snapshots", "listing"])]
    pub emit_elf: Option<PathBuf>,
    /// Check a snapshot file through and through — header, archive,
    /// checksum, its program, its memory layout and every page — without
    /// running it; exit 0 if it is sound, 2 (saying what is wrong) if not.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["vms", "snapshots", "listing", "emit_elf"])]
    pub check_snapshot: Option<PathBuf>,
}
