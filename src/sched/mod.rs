//! The scheduler: VMs take turns of at most their slice on a pool of worker
//! threads fed by one FIFO run queue (a crossbeam channel).
//!
//! With one worker the queue makes a strict round-robin in VM-number order.
//! Idle workers block on the channel (they park, never spin). A VM that waits
//! for standard input leaves the queue for the input thread, which reads for
//! one VM at a time and queues it again, so the others keep running. A VM
//! that executes MIGRATE leaves it for a migration thread, and comes back if
//! the migration fails. A VM that sleeps (MARS's syscall 32, Linux
//! `nanosleep`) leaves it for the timer thread until it wakes, so a sleeping
//! guest never holds a worker. A service (the migration receiver) can add
//! VMs while everything runs.
//!
//! With more VMs than the process may hold resident
//! ([`crate::vm::resident_limit`]), a VM that leaves a worker (its slice
//! spent, asleep, or finished) parks its memory first; the next turn
//! brings it back. In a round-robin the VM that just ran waits longest, so
//! it is the one to park (see `vm::memory::park`).

mod control;
mod input;
mod trace;
mod vm;

pub use control::{ControlError, Controller, MigrationProgress, Status, VmState};
pub use input::{GuestInput, Ready, Stdin};
pub use vm::{micros_since_epoch, MigratedOut, Outcome, Turn, Vm, VmConfig, VmStats};

use crate::engine::{Engine, EngineKind};
use crate::vm::{Console, InputRequest};
use crossbeam::channel::{unbounded, Sender};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A new engine of `kind`, or why there is none.
pub fn build_engine(kind: EngineKind) -> Result<Box<dyn Engine>, String> {
    match kind {
        EngineKind::Interp => Ok(Box::new(crate::interp::Interpreter)),
        #[cfg(target_arch = "x86_64")]
        EngineKind::Jit => Ok(Box::new(crate::jit::Jit::new())),
        #[cfg(not(target_arch = "x86_64"))]
        EngineKind::Jit => Err("the JIT needs an x86-64 host; use --engine interp".into()),
    }
}

/// Instructions a VM alone in the queue runs before the queue is looked at again.
const LONE_BUDGET: u64 = 1 << 20;

enum Job {
    Run(Box<Vm>),
    /// A VM that ended outside the scheduler (migrated by the controller).
    Finish(Box<Vm>, Outcome),
    /// A VM run outside the scheduler (during a live migration that was
    /// then abandoned), with the turn it ended with, to handle as a worker
    /// handles its own.
    Turn(Box<Vm>, Turn),
    Stop,
}

/// A VM that has ended, with how.
pub struct Finished {
    /// The VM (its final state and figures).
    pub vm: Box<Vm>,
    /// How it ended.
    pub outcome: Outcome,
}

/// Puts VMs that arrive while the scheduler runs (migrations) on its queue.
#[derive(Clone)]
pub struct Spawner {
    run_tx: Sender<Job>,
    /// Sleeping VMs go to the timer thread (`None`: every VM has ended).
    sleep_tx: Sender<Option<(Box<Vm>, Instant)>>,
    live: Arc<AtomicUsize>,
    next_id: Arc<AtomicU32>,
    workers: usize,
}

impl Spawner {
    /// A number for a new VM (after every VM given at start).
    pub fn next_id(&self) -> u32 {
        self.next_id.fetch_add(1, Ordering::AcqRel)
    }

    /// Queues a new VM.
    pub fn spawn(&self, vm: Vm) {
        self.live.fetch_add(1, Ordering::AcqRel);
        let _ = self.run_tx.send(Job::Run(Box::new(vm)));
    }

    /// Hands over a VM that ended in a service's hands (a debugged VM), to
    /// be reported and kept with the others.
    pub fn finish(&self, vm: Vm, outcome: Outcome) {
        self.live.fetch_add(1, Ordering::AcqRel);
        let _ = self.run_tx.send(Job::Finish(Box::new(vm), outcome));
    }

    /// One less reason to keep running; the last one stops the workers.
    fn release(&self, input_tx: &Sender<Option<(Box<Vm>, InputRequest)>>) {
        if self.live.fetch_sub(1, Ordering::AcqRel) == 1 {
            for _ in 0..self.workers {
                let _ = self.run_tx.send(Job::Stop);
            }
            let _ = input_tx.send(None);
            let _ = self.sleep_tx.send(None);
        }
    }
}

/// How a migration ended (see [`MigrateHook`]).
pub enum Migration {
    /// The VM has left for this destination.
    Done(String),
    /// It stays, and why; it resumes here.
    Failed(String),
    /// Nobody can say whether the destination runs it: it must not run
    /// here (the message says what was done with it).
    InDoubt(String),
    /// Abandoned because the VM, run on while its memory was sent, stopped
    /// being runnable: the turn that says how (it ended, waits for input,
    /// or migrates elsewhere), for the scheduler to handle.
    Left(Turn),
}

/// Sends a VM elsewhere (`MIGRATE`), running it meanwhile if it likes
/// (pre-copy). Runs off the workers.
pub type MigrateHook<'a> = &'a (dyn Fn(&mut Vm, &str) -> Migration + Sync);

/// A [`MigrateHook`] others may hold too (the control socket's `migrate`).
pub type SharedMigrateHook = Arc<dyn Fn(&mut Vm, &str) -> Migration + Send + Sync>;

/// A service that runs beside the workers for as long as it likes, adding
/// VMs through the spawner (a migration receiver); the scheduler ends only
/// after it has returned and every VM has ended.
pub type Service = Box<dyn FnOnce(Spawner) + Send>;

/// What the scheduler works with besides the VMs.
pub struct Env<'a> {
    /// Standard output, shared.
    pub console: &'a Console,
    /// Standard input, for the input thread.
    pub input: Box<dyn GuestInput>,
    /// Sees each VM as it ends (e.g. to report a fault at once).
    pub on_finish: &'a (dyn Fn(&Finished) + Sync),
    /// Handles `MIGRATE`; without it the VM stops with a message.
    pub migrate: Option<MigrateHook<'a>>,
    /// Run beside the workers (a migration receiver, a gdb session).
    pub services: Vec<Service>,
    /// The number for the first VM a service adds that is new (received
    /// by migration): at least this, and after every VM given.
    pub first_new_id: u32,
    /// Set (by Ctrl-C, say) to stop every VM at an instruction boundary:
    /// each ends with [`Outcome::Stopped`] at its next turn's end (or at
    /// once if it waits: queued, asleep, or for input), and `run_all`
    /// returns once all have.
    pub stop: Arc<AtomicBool>,
    /// Drives VMs from outside (`--control`): pauses are granted at
    /// instruction boundaries (see [`Controller`]).
    pub control: Option<Arc<Controller>>,
}

/// Runs every VM to its end on `workers` threads. Returns them in VM-number order.
pub fn run_all(vms: Vec<Vm>, workers: usize, env: Env<'_>) -> Vec<Finished> {
    let Env { console, input, on_finish, migrate, services, stop, control, first_new_id } = env;
    let control = control.as_deref();
    let stop: &AtomicBool = &stop;
    let stopping = || stop.load(Ordering::Acquire);
    let workers = workers.max(1);
    let first_new_id = (vms.iter().map(|v| v.id).max().unwrap_or(0) + 1).max(first_new_id);
    let finished = Mutex::new(Vec::with_capacity(vms.len()));
    let (run_tx, run_rx) = unbounded::<Job>();
    let (input_tx, input_rx) = unbounded::<Option<(Box<Vm>, InputRequest)>>();
    let (migrate_tx, migrate_rx) = unbounded::<Option<(Box<Vm>, String)>>();
    let (sleep_tx, sleep_rx) = unbounded::<Option<(Box<Vm>, Instant)>>();
    let live = services.len() + vms.len();
    if live == 0 {
        return Vec::new();
    }
    let spawner = Spawner {
        run_tx: run_tx.clone(),
        sleep_tx: sleep_tx.clone(),
        live: Arc::new(AtomicUsize::new(live)),
        next_id: Arc::new(AtomicU32::new(first_new_id)),
        workers,
    };
    if let Some(control) = control {
        control.attach(run_tx.clone());
    }
    for vm in vms {
        if let Some(control) = control {
            control.note(&vm, VmState::Running);
        }
        let _ = run_tx.send(Job::Run(Box::new(vm)));
    }
    let done = |mut vm: Box<Vm>, outcome: Outcome| {
        if let Some(control) = control {
            control.note_end(&vm, &outcome);
        }
        // Finished VMs are kept to the end (their figures and state): parked
        // when the process is crowded, so they hold no reservation.
        vm.park_if_crowded();
        let f = Finished { vm, outcome };
        on_finish(&f);
        finished.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        spawner.release(&input_tx);
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            let (run_rx, run_tx, input_tx, migrate_tx, sleep_tx) =
                (run_rx.clone(), run_tx.clone(), input_tx.clone(), migrate_tx.clone(), sleep_tx.clone());
            let done = &done;
            s.spawn(move || {
                // Where a VM goes after a turn that is not a plain yield.
                let route = |mut vm: Box<Vm>, turn: Turn| match turn {
                    Turn::Blocked(request) => {
                        if let Some(control) = control {
                            control.note(&vm, VmState::WaitingInput);
                        }
                        let _ = input_tx.send(Some((vm, request)));
                    }
                    Turn::Migrate(target) => {
                        if let Some(control) = control {
                            control.note(&vm, VmState::Migrating);
                        }
                        let _ = migrate_tx.send(Some((vm, target)));
                    }
                    Turn::Sleep(duration) => {
                        if let Some(control) = control {
                            control.note(&vm, VmState::Sleeping);
                        }
                        vm.park_if_crowded();
                        let _ = sleep_tx.send(Some((vm, Instant::now() + duration)));
                    }
                    Turn::Finished(outcome) => done(vm, outcome),
                    Turn::Yield => {
                        let _ = run_tx.send(Job::Run(vm));
                    }
                };
                // With one worker the run queue lives here: a strict round-robin
                // without a channel round trip per turn.
                let mut local: VecDeque<Box<Vm>> = VecDeque::new();
                'worker: loop {
                    if workers == 1 {
                        while let Ok(job) = run_rx.try_recv() {
                            match job {
                                Job::Run(vm) | Job::Turn(vm, Turn::Yield) => local.push_back(vm),
                                Job::Turn(vm, turn) => route(vm, turn),
                                Job::Finish(vm, outcome) => done(vm, outcome),
                                // Sent only once every VM has ended.
                                Job::Stop => break 'worker,
                            }
                        }
                    }
                    let job = match local.pop_front() {
                        Some(vm) => Job::Run(vm),
                        None => run_rx.recv().unwrap_or(Job::Stop),
                    };
                    let mut vm = match job {
                        Job::Run(vm) | Job::Turn(vm, Turn::Yield) => vm,
                        Job::Turn(vm, turn) => {
                            route(vm, turn);
                            continue;
                        }
                        Job::Finish(vm, outcome) => {
                            done(vm, outcome);
                            continue;
                        }
                        Job::Stop => break 'worker,
                    };
                    if stopping() {
                        let outcome = vm.stopped(console, false);
                        done(vm, outcome);
                        continue;
                    }
                    // An instruction boundary: a pause asked for is granted here.
                    if let Some(control) = control {
                        match control.intercept(vm, console) {
                            Some(running) => vm = running,
                            None => continue,
                        }
                    }
                    let mut turns = 1;
                    loop {
                        // A bug in myvmm that panics ends this VM, not the run
                        // (a dead worker would leave the others waiting).
                        let turn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            vm.run_turns(console, turns)
                        }))
                        .unwrap_or_else(|_| {
                            Turn::Finished(Outcome::Faulted(
                                "internal error: myvmm failed while running this VM (a bug; the panic \
                                         message above says where)"
                                    .into(),
                            ))
                        });
                        let turn = match turn {
                            Turn::Yield | Turn::Sleep(_) if stopping() => {
                                Turn::Finished(vm.stopped(console, false))
                            }
                            turn => turn,
                        };
                        match turn {
                            Turn::Yield => {
                                if let Some(control) = control {
                                    control.note(&vm, VmState::Running);
                                    match control.intercept(vm, console) {
                                        Some(running) => vm = running,
                                        None => break,
                                    }
                                }
                                // Nobody else is waiting: the next turns are this VM's
                                // anyway, so skip the queue and run several in one go
                                // (about LONE_BUDGET instructions, a fraction of a
                                // millisecond).
                                if local.is_empty() && run_rx.is_empty() {
                                    turns = (LONE_BUDGET / vm.config.slice).max(1);
                                    continue;
                                }
                                vm.park_if_crowded();
                                if workers == 1 {
                                    local.push_back(vm);
                                } else {
                                    let _ = run_tx.send(Job::Run(vm));
                                }
                            }
                            turn => route(vm, turn),
                        }
                        break;
                    }
                }
                let _ = migrate_tx.send(None);
            });
        }
        // Migrations leave the workers: each runs on its own thread.
        let (migrate_run_tx, done_ref) = (run_tx.clone(), &done);
        s.spawn(move || {
            let mut stops = 0;
            std::thread::scope(|m| {
                while let Ok(message) = migrate_rx.recv() {
                    let Some((mut vm, target)) = message else {
                        stops += 1;
                        if stops == workers {
                            break;
                        }
                        continue;
                    };
                    let run_tx = migrate_run_tx.clone();
                    m.spawn(move || {
                        let result = match migrate {
                            Some(hook) => hook(&mut vm, &target),
                            None => Migration::Failed("migration is not available here".into()),
                        };
                        match result {
                            Migration::Done(destination) => done_ref(vm, Outcome::Migrated(destination)),
                            Migration::InDoubt(message) => done_ref(vm, Outcome::InDoubt(message)),
                            Migration::Failed(why) => {
                                eprintln!(
                                    "warning: vm{}: MIGRATE {target} failed: {why}; it goes on here",
                                    vm.id
                                );
                                let _ = run_tx.send(Job::Run(vm));
                            }
                            Migration::Left(turn) => {
                                eprintln!(
                                    "warning: vm{}: MIGRATE {target} abandoned: the VM {} while its memory \
                                     was on its way; it stays here",
                                    vm.id,
                                    match &turn {
                                        Turn::Finished(_) => "ended",
                                        Turn::Blocked(_) => "waits for input",
                                        Turn::Migrate(_) => "migrates elsewhere",
                                        _ => "stopped",
                                    }
                                );
                                let _ = run_tx.send(Job::Turn(vm, turn));
                            }
                        }
                    });
                }
            });
        });
        // Sleeping VMs wait here, by wake-up time, and go back to the queue
        // (or, once the run is stopping, end there).
        let (wake_tx, done_ref) = (run_tx.clone(), &done);
        let stop_ref = stop;
        s.spawn(move || {
            let mut sleeping: std::collections::BTreeMap<(Instant, u64), Box<Vm>> = Default::default();
            let mut seq = 0u64;
            // A stop is looked for this often while VMs sleep.
            const LOOK: std::time::Duration = std::time::Duration::from_millis(100);
            loop {
                let wait = sleeping
                    .keys()
                    .next()
                    .map_or(LOOK, |&(at, _)| at.saturating_duration_since(Instant::now()).min(LOOK));
                let message = match sleep_rx.recv_timeout(wait) {
                    Ok(message) => Some(message),
                    Err(crossbeam::channel::RecvTimeoutError::Timeout) => None,
                    Err(crossbeam::channel::RecvTimeoutError::Disconnected) => break,
                };
                match message {
                    Some(Some((vm, at))) => {
                        seq += 1;
                        sleeping.insert((at, seq), vm);
                    }
                    Some(None) => break,
                    None => {}
                }
                let now = Instant::now();
                let stopping = stop_ref.load(Ordering::Acquire);
                while let Some(entry) = sleeping.first_entry() {
                    if entry.key().0 > now && !stopping {
                        break;
                    }
                    let mut vm = entry.remove();
                    if stopping {
                        let outcome = vm.stopped(console, false);
                        done_ref(vm, outcome);
                    } else {
                        if let Some(control) = control {
                            control.note(&vm, VmState::Running);
                        }
                        let _ = wake_tx.send(Job::Run(vm));
                    }
                }
            }
        });
        let run_tx = run_tx.clone();
        let done = &done;
        s.spawn(move || {
            let mut input = input;
            while let Ok(Some((mut vm, request))) = input_rx.recv() {
                // Ctrl-C does not wait for a line nobody will type.
                if !input.wait_ready(stop) {
                    let outcome = vm.stopped(console, true);
                    done(vm, outcome);
                    continue;
                }
                match vm.complete_input(request, &mut *input, console) {
                    None => {
                        if let Some(control) = control {
                            control.note(&vm, VmState::Running);
                        }
                        let _ = run_tx.send(Job::Run(vm));
                    }
                    Some(Turn::Finished(outcome)) => done(vm, outcome),
                    Some(_) => unreachable!("completing input either resumes or ends the VM"),
                }
            }
        });
        for service in services {
            let (spawner, input_tx) = (spawner.clone(), input_tx.clone());
            s.spawn(move || {
                service(spawner.clone());
                spawner.release(&input_tx);
            });
        }
    });
    let mut finished = finished.into_inner().unwrap_or_else(|e| e.into_inner());
    finished.sort_by_key(|f| f.vm.id);
    finished
}
