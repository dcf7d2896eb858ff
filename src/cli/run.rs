//! Running a plan: the VMs on the scheduler (with the migration receiver
//! beside it when listening), faults reported as they happen, figures at the
//! end, and the process exit status.

use super::plan::{Plan, RunPlan};
use crate::asm::listing::listing;
use crate::migrate::{self, ListenOptions};
use crate::sched::{
    micros_since_epoch, run_all, Env, Finished, MigratedOut, Migration, MigrationProgress, Outcome, Service,
    SharedMigrateHook, Vm,
};
use crate::vm::Console;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// Runs a plan; returns the process exit status: 0 when every VM halted
/// normally (or migrated away), 1 when any faulted, else the first non-zero
/// `exit2` code (by VM number, modulo 256 as on Unix).
pub fn run(plan: Plan) -> u8 {
    match plan {
        Plan::Listing(program) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(listing(&program).as_bytes());
            0
        }
        Plan::EmitElf { program, out } => emit_elf(&program, &out),
        Plan::CheckSnapshot(summary) => {
            println!("{summary}");
            0
        }
        Plan::Run(plan) => run_vms(plan),
    }
}

/// Writes `program` as an ELF file at `out`, whole or not at all (a
/// temporary file beside it, renamed into place).
fn emit_elf(program: &crate::program::Program, out: &std::path::Path) -> u8 {
    let mut bytes = Vec::new();
    let written = crate::elf::write::write_elf(program, &mut bytes)
        .map_err(|e| e.to_string())
        .and_then(|()| write_atomically(out, &bytes).map_err(|e| e.to_string()));
    match written {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", out.display());
            2
        }
    }
}

fn write_atomically(out: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = out.file_name().ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".tmp");
    let temp = out.with_file_name(temp_name);
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, out).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn run_vms(plan: RunPlan) -> u8 {
    let RunPlan { mut vms, workers, stats, migration, listener, received, control: control_socket, gdb } =
        plan;
    // Lines carry a VM prefix when more than one VM may run.
    let expected = vms.len() + listener.as_ref().map_or(0, |(_, n)| n.unwrap_or(2));
    // One console for the whole process (gdb sessions hold it on threads
    // of their own).
    let console: &'static Console = Box::leak(Box::new(Console::stdout(expected > 1)));
    let input = Box::new(crate::sched::Stdin::new());
    let (stop, signal) = stop_on_signals();
    let finished_received = Arc::new(AtomicUsize::new(0));
    let first_received = vms.iter().map(|v| v.id).max().unwrap_or(0) + 1;
    let report = |f: &Finished| {
        match &f.outcome {
            Outcome::Faulted(message) => eprintln!("error: vm{} faulted: {message}", f.vm.id),
            Outcome::Killed { signal, message } => eprintln!(
                "error: vm{} killed by signal {signal} ({}){}",
                f.vm.id,
                signal_name(*signal),
                message.as_ref().map_or(String::new(), |m| format!(": {m}"))
            ),
            Outcome::Migrated(to) => eprintln!("vm{} migrated to {to}", f.vm.id),
            Outcome::InDoubt(message) => eprintln!("error: vm{}: {message}", f.vm.id),
            Outcome::Stopped { waiting_for_input } => eprintln!(
                "vm{} stopped{} at {}, {} instructions retired",
                f.vm.id,
                if *waiting_for_input { " waiting for input" } else { "" },
                f.vm.describe_position(),
                f.vm.machine.cpu.retired
            ),
            _ => {}
        }
        if f.vm.id >= first_received {
            finished_received.fetch_add(1, Ordering::AcqRel);
        }
    };
    let migration_out = migration.clone();
    let config = migration.clone();
    let stop_migrating = Arc::clone(&stop);
    let controlled = control_socket.is_some();
    let controller =
        control_socket.as_ref().map(|_| Arc::new(crate::sched::Controller::new(Arc::clone(&stop))));
    let progress_to = controller.clone();
    let migrate_out: SharedMigrateHook = Arc::new(move |vm: &mut Vm, target: &str| -> Migration {
        let id = vm.id;
        let progress = |p: MigrationProgress| {
            if let Some(controller) = &progress_to {
                controller.note_migration(id, p);
            }
        };
        match migrate::send_live(vm, target, &config, console, &stop_migrating, &progress) {
            migrate::Live::Migrated(r) => {
                vm.stats.migrated_out = Some(MigratedOut {
                    bytes: r.bytes,
                    paused: r.pause_to_commit,
                    paused_at: r.paused_at,
                    rounds: r.rounds,
                    total: r.total,
                });
                Migration::Done(r.destination)
            }
            migrate::Live::Failed(e) => Migration::Failed(e.to_string()),
            migrate::Live::Left(turn) => Migration::Left(turn),
            migrate::Live::InDoubt { id, why } => {
                Migration::InDoubt(migrate::keep_in_doubt(vm, target, &id, &why))
            }
        }
    });
    let service: Option<Service> = listener.map(|(listener, exit_after)| {
        // A stop (SIGINT, SIGTERM) ends listening too; migrations in
        // flight are finished or refused first.
        let stop = Arc::clone(&stop);
        if let Ok(addr) = listener.local_addr() {
            eprintln!("listening for migrations on {addr}");
            if !addr.ip().is_loopback() && migration.key.is_none() {
                eprintln!(
                    "WARNING: listening on {addr} without --migration-key: ANYONE WHO CAN REACH THIS \
                     ADDRESS CAN RUN CODE ON THIS HOST (as this user, with --allow-files' folder). \
                     Give both sides --migration-key FILE, or listen on 127.0.0.1."
                );
            }
        }
        let options = ListenOptions {
            config: migration,
            vm: received,
            exit_after,
            stop,
            finished: Arc::clone(&finished_received),
            stats,
        };
        Box::new(move |spawner| listener.serve(options, spawner)) as Service
    });
    let control = controller;
    let first_new_id = vms.iter().map(|v| v.id).max().unwrap_or(0) + 1;
    let mut services: Vec<Service> = Vec::new();
    for (id, listener) in gdb {
        if let Some(at) = vms.iter().position(|v| v.id == id) {
            let vm = vms.remove(at);
            if let Some(controller) = &control {
                controller.note_debugged(&vm);
            }
            services.push(crate::gdb::service(listener, vm, console, Arc::clone(&stop)));
        }
    }
    let mut socket_file = None;
    if let (Some(server), Some(controller)) = (control_socket, &control) {
        // Every VM is listed from the first request on: a client that
        // connects as soon as the socket appears sees them all.
        for vm in &vms {
            controller.note_ready(vm);
        }
        socket_file = Some(crate::control::serve(
            server,
            Arc::clone(controller),
            migration_out.clone(),
            Arc::clone(&migrate_out),
        ));
    }
    let env = Env {
        control,
        console,
        input,
        on_finish: &report,
        migrate: Some(&*migrate_out),
        services: services.into_iter().chain(service).collect(),
        first_new_id,
        stop: Arc::clone(&stop),
    };
    let finished = run_all(vms, workers, env);
    console.flush();
    if stats {
        print_stats(&finished);
    }
    drop(socket_file);
    match signal.load(Ordering::Acquire) {
        0 if controlled && stop.load(Ordering::Acquire) => {
            eprintln!("myvmm: stopped by the control socket's quit; every VM still running stopped at an instruction boundary");
            exit_status(&finished)
        }
        0 => exit_status(&finished),
        code => {
            let name = if code == 130 { "SIGINT" } else { "SIGTERM" };
            eprintln!("myvmm: stopped by {name}; every VM still running stopped at an instruction boundary");
            // A VM whose migration is in doubt is for an operator: status 1.
            if finished.iter().any(|f| matches!(f.outcome, Outcome::InDoubt(_))) {
                return 1;
            }
            code as u8
        }
    }
}

/// SIGINT and SIGTERM stop every VM at an instruction boundary (the flag
/// returned first) and set the process's exit status, 130 or 143 (the
/// second value; 0 until then); a second signal ends the process at once.
fn stop_on_signals() -> (Arc<AtomicBool>, Arc<AtomicUsize>) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let status = Arc::new(AtomicUsize::new(0));
    for (signal, code) in [(SIGINT, 130), (SIGTERM, 143)] {
        // In this order: the second signal finds the flag set and exits;
        // the first sets it.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, code, Arc::clone(&stop));
        let _ = signal_hook::flag::register_usize(signal, Arc::clone(&status), code as usize);
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    (stop, status)
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
            "vm{}: {retired} instructions in {secs:.6} s ({mips:.1} MIPS), engine {}, {} turns of {}, \
             {} KiB of guest memory resident",
            vm.id,
            vm.engine_name(),
            vm.stats.turns,
            vm.config.slice,
            vm.machine.mem.resident_bytes() / 1024
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
        let (checkpoints, incremental, bytes, time) = vm.stats.checkpoints;
        if checkpoints > 0 {
            let _ = writeln!(
                err,
                "vm{}: {checkpoints} checkpoints ({incremental} incremental), {bytes} bytes, held {:.3} ms",
                vm.id,
                time.as_secs_f64() * 1e3
            );
        }
        if let Some(MigratedOut { bytes, paused, paused_at, rounds, total }) = vm.stats.migrated_out {
            let _ = writeln!(
                err,
                "vm{}: migrated out: {bytes} bytes in {rounds} round{} over {:.3} ms ({:.2} GB/s), paused {:.3} ms \
                 from {} µs after the Unix epoch",
                vm.id,
                if rounds == 1 { "" } else { "s" },
                total.as_secs_f64() * 1e3,
                bytes as f64 / total.as_secs_f64().max(1e-9) / 1e9,
                paused.as_secs_f64() * 1e3,
                micros_since_epoch(paused_at)
            );
        }
        if let Some((bytes, time)) = vm.stats.received {
            let secs = time.as_secs_f64();
            let _ = writeln!(
                err,
                "vm{}: migrated in: {bytes} bytes, pause to commit {:.3} ms, {:.2} GB/s",
                vm.id,
                secs * 1e3,
                bytes as f64 / secs.max(1e-9) / 1e9
            );
        }
        if let Some(engine) = vm.engine_stats() {
            let _ = writeln!(err, "vm{}: {engine}", vm.id);
        }
    }
}

/// The name of a MIPS Linux signal, as a shell reports it.
fn signal_name(signal: u32) -> &'static str {
    match signal {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGBUS",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal",
    }
}

fn exit_status(finished: &[Finished]) -> u8 {
    // A lone Linux program that died of a signal: 128 + the signal, as
    // qemu-mipsel and a shell report it.
    if let [Finished { outcome: Outcome::Killed { signal, .. }, .. }] = finished {
        return (128 + signal.min(&127)) as u8;
    }
    if finished
        .iter()
        .any(|f| matches!(f.outcome, Outcome::Faulted(_) | Outcome::Killed { .. } | Outcome::InDoubt(_)))
    {
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
