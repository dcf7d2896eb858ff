//! A schedulable VM: a [`Machine`] with its engine, syscall state, console
//! output, slice and limits, and its figures.

use crate::engine::{Engine, EngineKind};
use crate::isa::{disasm_with, Op};
use crate::snapshot::{self, Snapshot};
use crate::vm::syscall::{self, InputRequest, Os};
use crate::vm::{
    dump, Console, DumpFormat, Exit, Fault, Folder, Image, Machine, OutputBuffer, DEFAULT_LIMIT,
};
use std::io::BufRead;
use std::time::{Duration, Instant};

/// Settings of one VM (from its config file and the command line).
#[derive(Clone, Debug)]
pub struct VmConfig {
    /// Instructions per turn.
    pub slice: u64,
    /// Engine.
    pub engine: EngineKind,
    /// Bytes of data, heap and stack the VM may use.
    pub memory_limit: u64,
    /// Stop the VM (as a fault) after this many instructions.
    pub max_instructions: Option<u64>,
    /// DUMP_PROCESSOR_STATE format.
    pub dump_format: DumpFormat,
    /// Folder the file syscalls may use.
    pub files_dir: Option<Folder>,
    /// Folder SNAPSHOT writes in (`--snapshot-dir`); a VM received by
    /// migration gets the receiver's.
    pub snapshot_dir: Folder,
    /// Measure time spent running (for `--stats`).
    pub timed: bool,
    /// DUMP_PROCESSOR_STATE as the VM ends (`--dump-at-exit`).
    pub dump_at_exit: bool,
    /// Every retired instruction on stderr (`--trace`, `--trace-vm`).
    pub trace: bool,
    /// Periodic checkpoints (`--checkpoint-every SECS DIR`): how often and
    /// the folder that holds each VM's `vmN/`.
    pub checkpoint_every: Option<(Duration, std::path::PathBuf)>,
}

impl Default for VmConfig {
    fn default() -> Self {
        VmConfig {
            slice: 1000,
            engine: EngineKind::default(),
            memory_limit: DEFAULT_LIMIT,
            max_instructions: None,
            dump_format: DumpFormat::Text,
            files_dir: None,
            snapshot_dir: Folder::working(),
            timed: false,
            dump_at_exit: false,
            trace: false,
            checkpoint_every: None,
        }
    }
}

/// How a VM ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Halted normally (end of text, `jr $ra` from the entry, syscall 10).
    Halted,
    /// `exit2` (syscall 17) or Linux `exit` with this code.
    Exited(i32),
    /// Stopped by a guest fault; the message names pc, instruction and source.
    Faulted(String),
    /// Left for another hypervisor (`MIGRATE`): where it went.
    Migrated(String),
    /// A migration's end is unknown (COMMIT went out, no answer came): the
    /// VM is not run here; the message says where its snapshot was kept.
    InDoubt(String),
    /// Stopped from outside (Ctrl-C) at an instruction boundary, where its
    /// pc says; `waiting_for_input` when it stood in a read that had not
    /// been answered (its pc is past the syscall, the result not written).
    Stopped {
        /// It was waiting for standard input.
        waiting_for_input: bool,
    },
    /// A Linux program died of a signal: one it sent itself (`abort`), or
    /// the one its fault raises (then the message names pc and instruction).
    Killed {
        /// The signal number (MIPS Linux numbering).
        signal: u32,
        /// The fault behind it, described, if any.
        message: Option<String>,
    },
}

/// What a turn ended with.
#[derive(Debug)]
pub enum Turn {
    /// The slice is spent; queue the VM again.
    Yield,
    /// Waiting for standard input.
    Blocked(InputRequest),
    /// The VM asks to move to `host[:port]` (`MIGRATE`), paused after it.
    Migrate(String),
    /// The VM sleeps this long (a sleep syscall); queue it again after.
    Sleep(std::time::Duration),
    /// The VM is done.
    Finished(Outcome),
}

/// Microseconds from the Unix epoch to `t` (0 before it): how `--stats`
/// gives the moments a migration paused and resumed a VM.
pub fn micros_since_epoch(t: std::time::SystemTime) -> u128 {
    t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros())
}

/// A migration out, as `--stats` tells it.
#[derive(Clone, Copy, Debug)]
pub struct MigratedOut {
    /// Bytes sent (archives and pages).
    pub bytes: u64,
    /// The VM's pause, from its last instruction here to the receiver's
    /// DONE (the receiver resumed it before that answer arrived).
    pub paused: Duration,
    /// When the pause began, by this host's clock (a benchmark on one host
    /// compares it with the receiver's "resumed" time).
    pub paused_at: std::time::SystemTime,
    /// Rounds of pages.
    pub rounds: u32,
    /// The whole migration's time.
    pub total: Duration,
}
/// Figures for `--stats`.
#[derive(Clone, Debug, Default)]
pub struct VmStats {
    /// Snapshots written.
    pub snapshots: u64,
    /// Their total size.
    pub snapshot_bytes: u64,
    /// Time spent writing them.
    pub snapshot_time: Duration,
    /// Checkpoints written, incremental ones among them, their total size
    /// and the time the VM was held for them.
    pub checkpoints: (u64, u64, u64, Duration),
    /// A migration out.
    pub migrated_out: Option<MigratedOut>,
    /// Bytes and transfer time of the migration that brought it here.
    pub received: Option<(u64, Duration)>,
    /// Time spent running guest code and syscalls.
    pub busy: Duration,
    /// Turns taken.
    pub turns: u64,
}

/// A VM: machine, engine, OS state and output.
pub struct Vm {
    /// VM number (1, 2, … in command-line order).
    pub id: u32,
    /// CPU, memory and code.
    pub machine: Machine,
    /// Settings.
    pub config: VmConfig,
    /// Figures.
    pub stats: VmStats,
    /// The signal of the fault that ended the VM, if one did (for gdb).
    pub fault_signal: Option<u32>,
    engine: Box<dyn Engine>,
    os: Os,
    output: OutputBuffer,
    /// Its checkpoints, once it has written one or is due to.
    checkpoints: Option<snapshot::checkpoint::Checkpointer>,
}

impl Vm {
    /// A VM at its program's entry.
    pub fn new(id: u32, image: &Image, config: VmConfig) -> Result<Vm, String> {
        let machine = Machine::new(image, config.memory_limit).map_err(|e| e.to_string())?;
        let engine = super::build_engine(config.engine)?;
        Ok(Vm::assemble(id, machine, config, engine))
    }

    /// A VM of these parts, with fresh figures, OS state and output.
    fn assemble(id: u32, machine: Machine, config: VmConfig, engine: Box<dyn Engine>) -> Vm {
        let os = Os::new(config.files_dir.clone(), 0x6d79_766d_6d00 ^ id as u64);
        Vm {
            id,
            machine,
            config,
            stats: VmStats::default(),
            fault_signal: None,
            engine,
            os,
            output: OutputBuffer::default(),
            checkpoints: None,
        }
    }

    /// A VM in a snapshot's state, running `image` (whose program the
    /// caller has matched to the snapshot). The snapshot's slice applies.
    pub fn from_snapshot(
        id: u32,
        image: &Image,
        snap: &Snapshot,
        config: VmConfig,
    ) -> Result<Vm, snapshot::SnapshotError> {
        let machine = snap.restore(image)?;
        Vm::with_machine(id, machine, snap, config)
    }

    /// [`Vm::from_snapshot`] into an address space reserved beforehand, for
    /// a VM received by migration: its memory limit becomes the smaller of
    /// the snapshot's and `config.memory_limit` (the receiver's).
    pub fn from_snapshot_into(
        id: u32,
        image: &Image,
        snap: &Snapshot,
        config: VmConfig,
        reservation: crate::vm::Reservation,
    ) -> Result<Vm, snapshot::SnapshotError> {
        let machine = snap.restore_into(image, reservation, Some(config.memory_limit))?;
        Vm::with_machine(id, machine, snap, config)
    }

    /// This VM's memory, contents kept, to restore a VM over (a pre-copy
    /// migration's receiver, round after round).
    pub fn into_reservation(self) -> Result<crate::vm::Reservation, crate::vm::RestoreError> {
        self.machine.mem.into_reservation()
    }

    fn with_machine(
        id: u32,
        machine: Machine,
        snap: &Snapshot,
        mut config: VmConfig,
    ) -> Result<Vm, snapshot::SnapshotError> {
        config.slice = snap.slice()?.max(1);
        let engine = super::build_engine(config.engine).map_err(snapshot::SnapshotError::Engine)?;
        let mut vm = Vm::assemble(id, machine, config, engine);
        vm.os.set_rngs(snap.rngs()?);
        Ok(vm)
    }

    /// Sends what the VM printed so far to the console, a partial line
    /// included: before a snapshot taken from outside the guest, so that
    /// output before it is never lost with this copy of the VM.
    pub fn flush_output(&mut self, console: &Console) {
        self.output.flush_partial(console, self.id, false);
        console.flush();
    }

    /// Random generator states (for snapshots and migration).
    pub fn os_rngs(&self) -> Vec<(u32, u64)> {
        self.os.rngs()
    }

    /// The engine's name.
    pub fn engine_name(&self) -> &'static str {
        self.engine.name()
    }

    /// The engine's own figures, if it has any.
    pub fn engine_stats(&self) -> Option<String> {
        self.engine.stats()
    }

    /// Parks the VM while it waits: its memory keeps no host reservation
    /// and its engine no code (see [`crate::vm::GuestMemory::park`]). The
    /// next turn or input brings it back.
    pub fn park(&mut self) {
        self.machine.mem.park();
        self.engine.park();
    }

    /// Parks the VM if the process holds more resident memories than it
    /// should ([`crate::vm::resident_limit`]); true when it did.
    pub fn park_if_crowded(&mut self) -> bool {
        let crowded = crate::vm::GuestMemory::over_resident_limit() && !self.machine.mem.is_parked();
        if crowded {
            self.park();
        }
        crowded
    }

    /// Brings a parked VM's memory back; a host that refuses ends the VM.
    fn unpark(&mut self, console: &Console) -> Result<(), Turn> {
        self.machine.mem.unpark().map_err(|e| {
            self.finish(
                console,
                Outcome::Faulted(format!("the host refused to map this VM's memory again: {e}")),
            )
        })
    }

    /// Runs one turn: at most `slice` instructions, serving syscalls and
    /// para-instructions on the way.
    pub fn run_turn(&mut self, console: &Console) -> Turn {
        self.run_turns(console, 1)
    }

    /// Runs `turns` turns back to back: what the scheduler does for a VM no
    /// other VM is waiting behind, without returning to it between turns.
    pub fn run_turns(&mut self, console: &Console, turns: u64) -> Turn {
        if let Err(turn) = self.unpark(console) {
            return turn;
        }
        let before = self.machine.cpu.retired;
        // Reading the clock costs as much as a few dozen guest instructions:
        // only when figures were asked for.
        let start = self.config.timed.then(Instant::now);
        let turn = self.turn(console, self.config.slice.saturating_mul(turns.max(1)));
        if let Some(start) = start {
            self.stats.busy += start.elapsed();
        }
        // The turns it used, not the ones it was given (a VM alone is given
        // many at once and may end in the first).
        let used = self.machine.cpu.retired.saturating_sub(before);
        self.stats.turns += used.div_ceil(self.config.slice).clamp(1, turns.max(1));
        self.output.flush_if_dirty(console);
        if matches!(turn, Turn::Yield | Turn::Sleep(_)) && self.checkpoint_due() {
            if let Err(e) = self.checkpoint(Some(console), None) {
                // The guest did nothing wrong: it goes on, and the user is told.
                eprintln!("warning: vm{}: checkpoint failed: {e}", self.id);
            }
        }
        turn
    }

    /// True when `--checkpoint-every` says a checkpoint is due.
    fn checkpoint_due(&mut self) -> bool {
        let Some((every, root)) = &self.config.checkpoint_every else { return false };
        if self.checkpoints.is_none() {
            match snapshot::checkpoint::Checkpointer::new(root, self.id, Some(*every)) {
                Ok(c) => self.checkpoints = Some(c),
                Err(e) => {
                    eprintln!("warning: vm{}: no checkpoints in {}: {e}", self.id, root.display());
                    self.config.checkpoint_every = None;
                }
            }
            return false;
        }
        self.checkpoints.as_ref().is_some_and(|c| c.due())
    }

    /// Writes a checkpoint now (see [`snapshot::checkpoint`]) into the
    /// VM's checkpoint folder, or into `root/vmN/` if it has none yet.
    /// What the VM printed so far goes out first (to `console`; a VM
    /// paused by the controller has been flushed already): a VM resumed
    /// from the checkpoint prints only what came after.
    pub fn checkpoint(
        &mut self,
        console: Option<&Console>,
        root: Option<&std::path::Path>,
    ) -> Result<snapshot::checkpoint::Checkpoint, String> {
        if self.checkpoints.is_none() {
            let every = self.config.checkpoint_every.as_ref().map(|c| c.0);
            let root = root
                .or(self.config.checkpoint_every.as_ref().map(|c| c.1.as_path()))
                .ok_or("no checkpoint folder: run with --checkpoint-every SECS DIR or name one")?;
            self.checkpoints = Some(
                snapshot::checkpoint::Checkpointer::new(root, self.id, every).map_err(|e| e.to_string())?,
            );
        }
        if let Some(console) = console {
            self.flush_output(console);
        }
        let start = Instant::now();
        let rngs = self.os.rngs();
        let slice = self.config.slice;
        let checkpoints = self.checkpoints.as_mut().ok_or("no checkpoints")?;
        let mut state = snapshot::checkpoint::CheckpointState { machine: &mut self.machine, slice, rngs };
        let written =
            checkpoints.write(&mut state).map_err(|e| format!("{}: {e}", checkpoints.dir().display()))?;
        let (count, incremental, bytes, time) = &mut self.stats.checkpoints;
        *count += 1;
        *incremental += u64::from(written.incremental);
        *bytes += written.bytes;
        *time += start.elapsed();
        Ok(written)
    }

    fn turn(&mut self, console: &Console, budget: u64) -> Turn {
        let mut left = budget;
        while left > 0 {
            let mut budget = left;
            if let Some(max) = self.config.max_instructions {
                let remaining = max.saturating_sub(self.machine.cpu.retired);
                if remaining == 0 {
                    return self.fault(console, Fault::InstructionLimit(max));
                }
                budget = budget.min(remaining);
            }
            // A traced VM runs one instruction at a time, its line written
            // once the instruction (a syscall: its service too) is done.
            let mark = self.config.trace.then(|| super::trace::Mark::take(&self.machine));
            let (done, exit) = self.engine.run(&mut self.machine, if mark.is_some() { 1 } else { budget });
            left -= done;
            let ended = self.after_run(console, exit);
            if let Some(mark) = mark.filter(|m| self.machine.cpu.retired > m.retired()) {
                use std::io::Write;
                let line = mark.line(self.id, &self.machine) + "\n";
                let _ = std::io::stderr().lock().write_all(line.as_bytes());
            }
            if let Some(turn) = ended {
                return turn;
            }
        }
        Turn::Yield
    }

    /// Serves what made the engine return; the turn's end, if it ends here.
    fn after_run(&mut self, console: &Console, exit: Exit) -> Option<Turn> {
        match exit {
            Exit::Budget => None,
            Exit::Halt => Some(self.finish(console, Outcome::Halted)),
            Exit::Fault(f) => Some(self.fault(console, f)),
            Exit::Syscall => match self.serve_syscall() {
                syscall::SysResult::Continue => None,
                syscall::SysResult::Output(bytes) => {
                    self.output.write(console, self.id, &bytes);
                    None
                }
                syscall::SysResult::GuestOutput { addr, len, stderr } => {
                    // Checked readable by the syscall; a range that is not gives nothing.
                    let bytes = self.machine.mem.bytes(addr, len).unwrap_or_default();
                    if stderr {
                        use std::io::Write;
                        let _ = std::io::stderr().write_all(bytes);
                    } else {
                        self.output.write(console, self.id, bytes);
                    }
                    None
                }
                syscall::SysResult::Input(request) => {
                    self.output.flush_partial(console, self.id, false);
                    console.flush();
                    Some(Turn::Blocked(request))
                }
                syscall::SysResult::Exit(0) => Some(self.finish(console, Outcome::Halted)),
                syscall::SysResult::Exit(code) => Some(self.finish(console, Outcome::Exited(code))),
                syscall::SysResult::Killed(signal) => {
                    Some(self.finish(console, Outcome::Killed { signal, message: None }))
                }
                syscall::SysResult::Sleep(duration) => {
                    // What it printed before sleeping shows now.
                    self.output.flush_partial(console, self.id, false);
                    console.flush();
                    Some(Turn::Sleep(duration))
                }
                syscall::SysResult::Fault(f) => Some(self.syscall_fault(console, f)),
            },
            Exit::Para => self.para(console).err(),
        }
    }

    /// Serves the syscall just retired, with the program's personality.
    fn serve_syscall(&mut self) -> syscall::SysResult {
        let result = if self.machine.program.linux.is_some() {
            crate::vm::linux::syscall(&mut self.machine, &mut self.os)
        } else {
            syscall::syscall(&mut self.machine, &mut self.os)
        };
        // A corrupt snapshot page the syscall met ends the VM, whatever the
        // syscall made of the refused access.
        match self.machine.mem.take_corrupt() {
            Some(fault) => syscall::SysResult::Fault(fault),
            None => result,
        }
    }

    /// Serves the para-instruction just retired.
    fn para(&mut self, console: &Console) -> Result<(), Turn> {
        let pc = self.machine.cpu.pc.wrapping_sub(4);
        let inst = *self.machine.inst_at(pc).expect("a para-instruction just retired here");
        match inst.op {
            Op::DumpState => {
                let text = dump::format(self.config.dump_format, self.id, pc, &self.machine.cpu);
                self.output.write_block(console, self.id, text.as_bytes());
                Ok(())
            }
            Op::Snapshot => {
                let arg = self.machine.program.para_args.get(inst.imm as usize).cloned().unwrap_or_default();
                // What the VM printed so far belongs before the snapshot.
                self.output.flush_partial(console, self.id, false);
                console.flush();
                let start = Instant::now();
                let state = snapshot::VmState {
                    machine: &self.machine,
                    slice: self.config.slice,
                    rngs: self.os.rngs(),
                };
                match snapshot::write_in(&self.config.snapshot_dir, std::path::Path::new(&arg), &state) {
                    Ok(bytes) => {
                        self.stats.snapshots += 1;
                        self.stats.snapshot_bytes += bytes;
                        self.stats.snapshot_time += start.elapsed();
                    }
                    // The guest did nothing wrong: it goes on, and the user is told.
                    Err(e) => eprintln!("warning: vm{}: SNAPSHOT {arg} failed: {e}", self.id),
                }
                Ok(())
            }
            _ => {
                let arg = self.machine.program.para_args.get(inst.imm as usize).cloned().unwrap_or_default();
                // What the VM printed so far belongs before it moves.
                self.output.flush_partial(console, self.id, false);
                console.flush();
                Err(Turn::Migrate(arg))
            }
        }
    }

    /// A syscall's fault is reported at the `syscall` instruction.
    fn syscall_fault(&mut self, console: &Console, fault: Fault) -> Turn {
        self.machine.cpu.pc = self.machine.cpu.pc.wrapping_sub(4);
        self.machine.cpu.retired -= 1;
        self.fault(console, fault)
    }

    fn fault(&mut self, console: &Console, fault: Fault) -> Turn {
        self.fault_signal = Some(fault.signal());
        let message = self.describe_fault(&fault);
        if self.machine.program.linux.is_some() {
            // A Linux process dies of the signal its fault raises.
            return self.finish(console, Outcome::Killed { signal: fault.signal(), message: Some(message) });
        }
        self.finish(console, Outcome::Faulted(message))
    }

    /// Flushes what the VM printed (a partial line ended, as when a VM
    /// ends) and gives the outcome of a VM stopped from outside.
    pub fn stopped(&mut self, console: &Console, waiting_for_input: bool) -> Outcome {
        self.output.flush_partial(console, self.id, true);
        console.flush();
        Outcome::Stopped { waiting_for_input }
    }

    /// Where the VM stands: "pc 0x…: instruction (file:line:col: source)",
    /// and the branch whose delay slot it is in, if any.
    pub fn describe_position(&self) -> String {
        let m = &self.machine;
        let mut text = format!("pc 0x{:08x}{}", m.cpu.pc, self.where_is(m.cpu.pc));
        if let Some(branch) = m.cpu.pending_branch() {
            text.push_str(&format!(
                ", in the delay slot of the branch at 0x{branch:08x}{}",
                self.where_is(branch)
            ));
        }
        text
    }

    /// "cause at pc 0x…: instruction (file:line:col: source)".
    /// A fault in a delay slot names the slot and then its branch.
    pub fn describe_fault(&self, fault: &Fault) -> String {
        format!("{fault} at {}", self.describe_position())
    }

    /// ": instruction (file:line:col: source)" for the word at `pc`, as far as known.
    fn where_is(&self, pc: u32) -> String {
        let m = &self.machine;
        let mut text = String::new();
        if let Some(inst) = m.inst_at(pc) {
            text.push_str(&format!(": {}", disasm_with(inst, pc, &m.program.para_args)));
        }
        if let Some(loc) = m.program.loc_of(pc) {
            let source = m.program.source.line_text(loc).trim();
            text.push_str(&format!(" ({}: {source})", m.program.source.describe(loc)));
        } else if let Some((name, offset)) = m.program.symbol_at(pc) {
            // No source (an ELF program): the function it is in.
            text.push_str(&format!(" (in {name}+0x{offset:x})"));
        }
        text
    }

    fn finish(&mut self, console: &Console, outcome: Outcome) -> Turn {
        if self.config.dump_at_exit {
            let m = &self.machine;
            let text = dump::format(self.config.dump_format, self.id, m.cpu.pc, &m.cpu);
            self.output.flush_partial(console, self.id, true);
            self.output.write_block(console, self.id, text.as_bytes());
        }
        self.output.flush_partial(console, self.id, true);
        console.flush();
        Turn::Finished(outcome)
    }

    /// Completes a blocked read from `input` (called off the worker threads).
    /// A fault here ends the VM: the returned turn says so.
    pub fn complete_input(
        &mut self,
        request: InputRequest,
        input: &mut dyn BufRead,
        console: &Console,
    ) -> Option<Turn> {
        if let Err(turn) = self.unpark(console) {
            return Some(turn);
        }
        let result = syscall::complete_input(&mut self.machine, request, input);
        console.input_read(self.id);
        match result {
            Ok(()) => None,
            Err(f) => Some(self.syscall_fault(console, f)),
        }
    }
}
