//! The scheduler: VMs take turns of at most their slice on a pool of worker
//! threads fed by one FIFO run queue (a crossbeam channel).
//!
//! With one worker the queue makes a strict round-robin in VM-number order.
//! Idle workers block on the channel (they park, never spin). A VM that waits
//! for standard input leaves the queue for the input thread, which reads for
//! one VM at a time and queues it again, so the others keep running.

mod vm;

pub use vm::{Outcome, Turn, Vm, VmConfig, VmStats};

use crate::engine::{Engine, EngineKind};
use crate::vm::{Console, InputRequest};
use crossbeam::channel::{unbounded, Sender};
use std::collections::VecDeque;
use std::io::BufRead;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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
    Stop,
}

/// A VM that has ended, with how.
pub struct Finished {
    /// The VM (its final state and figures).
    pub vm: Box<Vm>,
    /// How it ended.
    pub outcome: Outcome,
}

/// Runs every VM to its end on `workers` threads; `on_finish` sees each VM as
/// it ends (e.g. to report a fault at once). Returns them in VM-number order.
pub fn run_all(
    vms: Vec<Vm>,
    workers: usize,
    console: &Console,
    input: Box<dyn BufRead + Send>,
    on_finish: &(dyn Fn(&Finished) + Sync),
) -> Vec<Finished> {
    let workers = workers.max(1);
    let remaining = AtomicUsize::new(vms.len());
    let finished = Mutex::new(Vec::with_capacity(vms.len()));
    let (run_tx, run_rx) = unbounded::<Job>();
    let (input_tx, input_rx) = unbounded::<Option<(Box<Vm>, InputRequest)>>();
    if vms.is_empty() {
        return Vec::new();
    }
    for vm in vms {
        let _ = run_tx.send(Job::Run(Box::new(vm)));
    }
    let done = |vm: Box<Vm>, outcome: Outcome, run_tx: &Sender<Job>| {
        let f = Finished { vm, outcome };
        on_finish(&f);
        finished.lock().unwrap_or_else(|e| e.into_inner()).push(f);
        if remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            for _ in 0..workers {
                let _ = run_tx.send(Job::Stop);
            }
            let _ = input_tx.send(None);
        }
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            let (run_rx, run_tx, input_tx) = (run_rx.clone(), run_tx.clone(), input_tx.clone());
            let done = &done;
            s.spawn(move || {
                // With one worker the run queue lives here: a strict round-robin
                // without a channel round trip per turn.
                let mut local: VecDeque<Box<Vm>> = VecDeque::new();
                'worker: loop {
                    if workers == 1 {
                        while let Ok(job) = run_rx.try_recv() {
                            match job {
                                Job::Run(vm) => local.push_back(vm),
                                // Sent only once every VM has ended.
                                Job::Stop => break 'worker,
                            }
                        }
                    }
                    let mut vm = match local.pop_front() {
                        Some(vm) => vm,
                        None => match run_rx.recv() {
                            Ok(Job::Run(vm)) => vm,
                            _ => break 'worker,
                        },
                    };
                    let mut turns = 1;
                    loop {
                        match vm.run_turns(console, turns) {
                            // Nobody else is waiting: the next turns are this VM's anyway,
                            // so skip the queue and run several in one go (about
                            // LONE_BUDGET instructions, a fraction of a millisecond).
                            Turn::Yield if local.is_empty() && run_rx.is_empty() => {
                                turns = (LONE_BUDGET / vm.config.slice).max(1);
                                continue;
                            }
                            Turn::Yield if workers == 1 => local.push_back(vm),
                            Turn::Yield => {
                                let _ = run_tx.send(Job::Run(vm));
                            }
                            Turn::Blocked(request) => {
                                let _ = input_tx.send(Some((vm, request)));
                            }
                            Turn::Finished(outcome) => done(vm, outcome, &run_tx),
                        }
                        break;
                    }
                }
            });
        }
        let run_tx = run_tx.clone();
        let done = &done;
        s.spawn(move || {
            let mut input = input;
            while let Ok(Some((mut vm, request))) = input_rx.recv() {
                match vm.complete_input(request, &mut *input, console) {
                    None => {
                        let _ = run_tx.send(Job::Run(vm));
                    }
                    Some(Turn::Finished(outcome)) => done(vm, outcome, &run_tx),
                    Some(_) => unreachable!("completing input either resumes or ends the VM"),
                }
            }
        });
    });
    let mut finished = finished.into_inner().unwrap_or_else(|e| e.into_inner());
    finished.sort_by_key(|f| f.vm.id);
    finished
}
