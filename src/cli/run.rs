//! Running a plan: the VMs on the scheduler, faults reported as they happen,
//! figures at the end, and the process exit status.

use super::plan::{Plan, RunPlan};
use crate::asm::listing::listing;
use crate::sched::{run_all, Finished, Outcome};
use crate::vm::Console;
use std::io::Write;

/// Runs a plan; returns the process exit status: 0 when every VM halted
/// normally, 1 when any faulted, else the first non-zero `exit2` code (by VM
/// number, modulo 256 as on Unix).
pub fn run(plan: Plan) -> u8 {
    match plan {
        Plan::Listing(program) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(listing(&program).as_bytes());
            0
        }
        Plan::Run(plan) => run_vms(plan),
    }
}

fn run_vms(plan: RunPlan) -> u8 {
    let RunPlan { vms, workers, stats } = plan;
    let console = Console::stdout(vms.len() > 1);
    let input = Box::new(std::io::BufReader::new(std::io::stdin()));
    let report = |f: &Finished| {
        if let Outcome::Faulted(message) = &f.outcome {
            eprintln!("error: vm{} faulted: {message}", f.vm.id);
        }
    };
    let finished = run_all(vms, workers, &console, input, &report);
    console.flush();
    if stats {
        print_stats(&finished);
    }
    exit_status(&finished)
}

fn print_stats(finished: &[Finished]) {
    let mut err = std::io::stderr().lock();
    for f in finished {
        let vm = &f.vm;
        let secs = vm.stats.busy.as_secs_f64();
        let retired = vm.machine.cpu.retired;
        let mips = if secs > 0.0 { retired as f64 / secs / 1e6 } else { 0.0 };
        let _ = writeln!(
            err,
            "vm{}: {retired} instructions in {secs:.6} s ({mips:.1} MIPS), engine {}, {} turns of {}",
            vm.id,
            vm.engine_name(),
            vm.stats.turns,
            vm.config.slice
        );
        if vm.stats.snapshots > 0 {
            let secs = vm.stats.snapshot_time.as_secs_f64();
            let _ = writeln!(
                err,
                "vm{}: {} snapshots, {} bytes in {:.3} ms ({:.2} GB/s)",
                vm.id,
                vm.stats.snapshots,
                vm.stats.snapshot_bytes,
                secs * 1e3,
                if secs > 0.0 { vm.stats.snapshot_bytes as f64 / secs / 1e9 } else { 0.0 }
            );
        }
        if let Some(engine) = vm.engine_stats() {
            let _ = writeln!(err, "vm{}: {engine}", vm.id);
        }
    }
}

fn exit_status(finished: &[Finished]) -> u8 {
    if finished.iter().any(|f| matches!(f.outcome, Outcome::Faulted(_))) {
        return 1;
    }
    finished
        .iter()
        .find_map(|f| match f.outcome {
            Outcome::Exited(code) if code != 0 => Some(code as u8),
            _ => None,
        })
        .unwrap_or(0)
}
