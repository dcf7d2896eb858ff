//! Driving VMs from outside the guest while they run (the control socket,
//! `--control`): pause and resume, and work on a paused VM (dump, snapshot,
//! migrate), as QEMU's QMP `stop`/`cont` do.
//!
//! VMs move between threads by ownership, so a request cannot reach into
//! whichever thread runs a VM. Instead a pause is *asked for* and the
//! worker holding the VM grants it at the next instruction boundary —
//! after the current turn, or before running a VM it took off the queue —
//! by handing the VM to the controller's paused set (its output flushed,
//! as for a snapshot). While paused, the VM belongs to the controller and
//! anything may be done to it; resuming queues it again. With slice 1 a
//! pause lands on the very next instruction, delay slots included (the
//! pending slot is part of the CPU state).
//!
//! Costs nothing without `--control`: the scheduler looks at the
//! controller only when one is given, and then only at one atomic flag per
//! turn unless a pause is asked for.

use super::{Job, Outcome, Vm};
use crossbeam::channel::Sender;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Where a VM is, for `list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmState {
    /// Queued or running.
    Running,
    /// Paused by the controller.
    Paused,
    /// Waiting for standard input.
    WaitingInput,
    /// Asleep (a sleep syscall).
    Sleeping,
    /// Being migrated.
    Migrating,
    /// Held by a gdb session (until gdb detaches).
    Debugged,
    /// Ended: how.
    Finished(String),
}

impl VmState {
    /// The state's name in the control protocol.
    pub fn name(&self) -> &'static str {
        match self {
            VmState::Running => "running",
            VmState::Paused => "paused",
            VmState::WaitingInput => "waiting-input",
            VmState::Sleeping => "sleeping",
            VmState::Migrating => "migrating",
            VmState::Debugged => "debugged",
            VmState::Finished(_) => "finished",
        }
    }
}

/// What the controller knows of a VM without holding it.
#[derive(Clone, Debug)]
pub struct Status {
    /// Where it is.
    pub state: VmState,
    /// Its pc when last seen between turns.
    pub pc: u32,
    /// Instructions retired then.
    pub retired: u64,
    /// Turns taken then.
    pub turns: u64,
    /// Its engine.
    pub engine: &'static str,
    /// Its slice.
    pub slice: u64,
    /// Time it has spent running (with `--stats`).
    pub busy: Duration,
    /// How its live migration is going, while it migrates.
    pub migration: Option<MigrationProgress>,
}

/// A live migration's progress (for `list`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MigrationProgress {
    /// The round under way (0: every page).
    pub round: u32,
    /// Pages the round sends.
    pub dirty_pages: u64,
    /// Bytes sent so far.
    pub bytes: u64,
    /// Bytes per second the link has carried.
    pub rate: f64,
}

impl Status {
    fn of(vm: &Vm, state: VmState) -> Status {
        Status {
            state,
            pc: vm.machine.cpu.pc,
            retired: vm.machine.cpu.retired,
            turns: vm.stats.turns,
            engine: vm.engine_name(),
            slice: vm.config.slice,
            busy: vm.stats.busy,
            migration: None,
        }
    }
}

/// Why a control request failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ControlError {
    /// No VM has that number.
    #[error("there is no vm{0}")]
    NoSuchVm(u32),
    /// The VM has ended.
    #[error("vm{0} has ended")]
    Ended(u32),
    /// The VM is not paused (for `resume`).
    #[error("vm{0} is not paused")]
    NotPaused(u32),
    /// The VM did not reach an instruction boundary in time.
    #[error("vm{0} did not reach an instruction boundary within {1:?} (it may be waiting for input or asleep); the pause was withdrawn")]
    Timeout(u32, Duration),
    /// The run is stopping.
    #[error("myvmm is stopping")]
    Stopping,
    /// gdb holds the VM.
    #[error("vm{0} is held by gdb: detach gdb first")]
    Debugged(u32),
}

#[derive(Default)]
struct State {
    status: BTreeMap<u32, Status>,
    paused: BTreeMap<u32, Box<Vm>>,
    pause_wanted: BTreeSet<u32>,
}

/// The scheduler's side of the control socket (see the module docs).
pub struct Controller {
    state: Mutex<State>,
    changed: Condvar,
    /// Some pause is wanted: workers look at the set.
    wanted: AtomicBool,
    queue: OnceLock<Sender<Job>>,
    stop: Arc<AtomicBool>,
}

impl Controller {
    /// A controller for a run stopped by `stop` (the run's own flag: `quit`
    /// sets it).
    pub fn new(stop: Arc<AtomicBool>) -> Controller {
        Controller {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            wanted: AtomicBool::new(false),
            queue: OnceLock::new(),
            stop,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The run queue (set once by the scheduler).
    pub(super) fn attach(&self, queue: Sender<Job>) {
        let _ = self.queue.set(queue);
    }

    /// Records where a VM is (the scheduler, as VMs move).
    /// Records how VM `id`'s live migration is going (it is `migrating`).
    pub fn note_migration(&self, id: u32, progress: MigrationProgress) {
        let mut state = self.lock();
        if let Some(status) = state.status.get_mut(&id) {
            status.state = VmState::Migrating;
            status.migration = Some(progress);
        }
    }

    /// Records that a gdb session holds `vm` (the scheduler sees it again
    /// when gdb detaches).
    pub fn note_debugged(&self, vm: &Vm) {
        self.note(vm, VmState::Debugged);
    }

    /// Records a VM about to run (listed before the scheduler starts it).
    pub fn note_ready(&self, vm: &Vm) {
        self.note(vm, VmState::Running);
    }

    pub(super) fn note(&self, vm: &Vm, state: VmState) {
        self.lock().status.insert(vm.id, Status::of(vm, state));
    }

    /// Records a VM's end.
    pub(super) fn note_end(&self, vm: &Vm, outcome: &Outcome) {
        let how = match outcome {
            Outcome::Halted => "halted".to_string(),
            Outcome::Exited(code) => format!("exited with {code}"),
            Outcome::Faulted(m) => format!("faulted: {m}"),
            Outcome::Migrated(to) => format!("migrated to {to}"),
            Outcome::InDoubt(message) => format!("in doubt: {message}"),
            Outcome::Killed { signal, .. } => format!("killed by signal {signal}"),
            Outcome::Stopped { .. } => "stopped".to_string(),
        };
        let mut state = self.lock();
        state.pause_wanted.remove(&vm.id);
        state.status.insert(vm.id, Status::of(vm, VmState::Finished(how)));
        drop(state);
        self.changed.notify_all();
    }

    /// The scheduler's check at an instruction boundary: the VM back when
    /// no pause is wanted for it, else `None` (it is paused now, its output
    /// flushed).
    pub(super) fn intercept(&self, mut vm: Box<Vm>, console: &crate::vm::Console) -> Option<Box<Vm>> {
        if !self.wanted.load(Ordering::Acquire) || self.stop.load(Ordering::Acquire) {
            return Some(vm);
        }
        let mut state = self.lock();
        if !state.pause_wanted.remove(&vm.id) {
            return Some(vm);
        }
        self.wanted.store(!state.pause_wanted.is_empty(), Ordering::Release);
        vm.flush_output(console);
        state.status.insert(vm.id, Status::of(&vm, VmState::Paused));
        state.paused.insert(vm.id, vm);
        drop(state);
        self.changed.notify_all();
        None
    }

    /// Every VM the controller has seen, by number.
    pub fn list(&self) -> Vec<(u32, Status)> {
        self.lock().status.iter().map(|(id, s)| (*id, s.clone())).collect()
    }

    /// Pauses VM `id` at its next instruction boundary, waiting at most
    /// `within`; true when it was paused already.
    pub fn pause(&self, id: u32, within: Duration) -> Result<bool, ControlError> {
        let mut state = self.lock();
        match state.status.get(&id) {
            None => return Err(ControlError::NoSuchVm(id)),
            Some(Status { state: VmState::Finished(_), .. }) => return Err(ControlError::Ended(id)),
            Some(Status { state: VmState::Paused, .. }) => return Ok(true),
            Some(Status { state: VmState::Debugged, .. }) => return Err(ControlError::Debugged(id)),
            Some(_) => {}
        }
        if self.stop.load(Ordering::Acquire) {
            return Err(ControlError::Stopping);
        }
        state.pause_wanted.insert(id);
        self.wanted.store(true, Ordering::Release);
        let deadline = Instant::now() + within;
        loop {
            if state.paused.contains_key(&id) {
                return Ok(false);
            }
            if matches!(state.status.get(&id), Some(Status { state: VmState::Finished(_), .. })) {
                return Err(ControlError::Ended(id));
            }
            let now = Instant::now();
            if now >= deadline {
                state.pause_wanted.remove(&id);
                self.wanted.store(!state.pause_wanted.is_empty(), Ordering::Release);
                return Err(ControlError::Timeout(id, within));
            }
            state = self.changed.wait_timeout(state, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// Queues paused VM `id` again.
    pub fn resume(&self, id: u32) -> Result<(), ControlError> {
        let vm = self.take_paused(id)?;
        self.requeue(vm);
        Ok(())
    }

    /// Runs `f` on VM `id` at an instruction boundary: pausing it first if
    /// it runs (and resuming it after), or as it is if paused.
    pub fn with_vm<R>(
        &self,
        id: u32,
        within: Duration,
        f: impl FnOnce(&mut Vm) -> R,
    ) -> Result<R, ControlError> {
        let was_paused = self.pause(id, within)?;
        let mut state = self.lock();
        let vm = state.paused.get_mut(&id).ok_or(ControlError::NotPaused(id))?;
        let result = f(vm);
        let status = Status::of(vm, VmState::Paused);
        state.status.insert(id, status);
        drop(state);
        if !was_paused {
            self.resume(id)?;
        }
        Ok(result)
    }

    /// Takes paused VM `id` out of the controller (to migrate it): the
    /// caller must hand it back with [`Controller::requeue`] or end it with
    /// [`Controller::finish`].
    pub fn take_paused(&self, id: u32) -> Result<Box<Vm>, ControlError> {
        let mut state = self.lock();
        let vm = match state.paused.remove(&id) {
            Some(vm) => vm,
            None if state.status.contains_key(&id) => return Err(ControlError::NotPaused(id)),
            None => return Err(ControlError::NoSuchVm(id)),
        };
        state.status.insert(id, Status::of(&vm, VmState::Running));
        Ok(vm)
    }

    /// Keeps a VM the caller took paused again.
    pub fn hold(&self, vm: Box<Vm>) {
        let mut state = self.lock();
        state.status.insert(vm.id, Status::of(&vm, VmState::Paused));
        state.paused.insert(vm.id, vm);
    }

    /// Queues a VM again.
    pub fn requeue(&self, vm: Box<Vm>) {
        self.note(&vm, VmState::Running);
        if let Some(queue) = self.queue.get() {
            let _ = queue.send(Job::Run(vm));
        }
    }

    /// Hands the scheduler a VM the controller took and ran (an abandoned
    /// live migration), with the turn it ended with.
    pub fn hand_back(&self, vm: Box<Vm>, turn: super::Turn) {
        self.note(&vm, VmState::Running);
        if let Some(queue) = self.queue.get() {
            let _ = queue.send(Job::Turn(vm, turn));
        }
    }

    /// Ends a VM the controller took (it migrated): the scheduler records
    /// it as finished.
    pub fn finish(&self, vm: Box<Vm>, outcome: Outcome) {
        if let Some(queue) = self.queue.get() {
            let _ = queue.send(Job::Finish(vm, outcome));
        }
    }

    /// Stops the whole run, as Ctrl-C does.
    pub fn quit(&self) {
        self.stop.store(true, Ordering::Release);
        self.release_paused();
    }

    /// True once the run is stopping.
    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Queues every paused VM again (when the run stops, the workers then
    /// stop them where they stand).
    pub fn release_paused(&self) {
        let paused = std::mem::take(&mut self.lock().paused);
        for (_, vm) in paused {
            self.requeue(vm);
        }
    }
}
