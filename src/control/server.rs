//! The control socket's server: a listener thread, a thread per client,
//! each request answered on its line.

use super::{COMMANDS, MAX_LINE, PROTOCOL};
use crate::migrate::MigrateConfig;
use crate::sched::{ControlError, Controller, Migration, Outcome, SharedMigrateHook, Status, VmState};
use crate::snapshot::{self, VmState as SnapshotState};
use crate::vm::dump;
use serde_json::{json, Map, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a request waits for a VM to reach an instruction boundary.
const PAUSE_WAIT: Duration = Duration::from_secs(5);

/// Why the control socket could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// Something else is at the path.
    #[error("--control {path}: {why}")]
    Path {
        /// The socket's path.
        path: String,
        /// What is wrong.
        why: String,
    },
    /// Binding failed.
    #[error("--control {path}: {source}")]
    Bind {
        /// The socket's path.
        path: String,
        /// The host's error.
        source: std::io::Error,
    },
}

/// A bound control socket.
pub struct ControlServer {
    listener: UnixListener,
    path: PathBuf,
}

/// Removes the socket file when the run ends (dropped then).
pub struct SocketFile(PathBuf);

impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl ControlServer {
    /// Binds `path` (owner-only: whoever can connect controls every VM). A
    /// socket file nobody listens on any more is replaced; anything else
    /// there is refused.
    pub fn bind(path: &Path) -> Result<ControlServer, ServeError> {
        let name = path.display().to_string();
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            use std::os::unix::fs::FileTypeExt;
            if !meta.file_type().is_socket() {
                return Err(ServeError::Path {
                    path: name,
                    why: "a file that is not a socket is there".into(),
                });
            }
            if UnixStream::connect(path).is_ok() {
                return Err(ServeError::Path {
                    path: name,
                    why: "another myvmm is serving this socket".into(),
                });
            }
            let _ = std::fs::remove_file(path);
        }
        let listener =
            UnixListener::bind(path).map_err(|source| ServeError::Bind { path: name.clone(), source })?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|source| ServeError::Bind { path: name, source })?;
        Ok(ControlServer { listener, path: path.to_path_buf() })
    }
}

/// Serves `server` on a thread of its own for as long as the process runs:
/// a thread per client. Once the run stops (Ctrl-C, `quit`), paused VMs are
/// let go so the scheduler can stop them where they stand. The socket file
/// goes when the value returned is dropped.
pub fn serve(
    server: ControlServer,
    control: Arc<Controller>,
    migration: MigrateConfig,
    live: SharedMigrateHook,
) -> SocketFile {
    let socket_file = SocketFile(server.path.clone());
    let migration = Arc::new((migration, live));
    let watcher = Arc::clone(&control);
    std::thread::spawn(move || {
        while !watcher.stopping() {
            std::thread::sleep(Duration::from_millis(50));
        }
        watcher.release_paused();
    });
    std::thread::spawn(move || {
        for stream in server.listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (control, migration) = (Arc::clone(&control), Arc::clone(&migration));
            std::thread::spawn(move || client(stream, &control, &migration));
        }
    });
    socket_file
}

/// Reads at most `MAX_LINE` bytes up to a newline; `None` at the end of the
/// stream, `Err` for a line too long (the rest of it is not read).
fn read_request(reader: &mut impl BufRead) -> Option<Result<Vec<u8>, ()>> {
    let mut line = Vec::new();
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(_) => return None,
        };
        if buf.is_empty() {
            return if line.is_empty() { None } else { Some(Ok(line)) };
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if line.len() > MAX_LINE {
            return Some(Err(()));
        }
        if done {
            return Some(Ok(line));
        }
    }
}

/// How the socket's `migrate` sends a VM: a paused VM as it stands (its
/// memory does not change), a running one live (see [`SharedMigrateHook`]).
type Migrating = (MigrateConfig, SharedMigrateHook);

fn client(stream: UnixStream, control: &Controller, migration: &Migrating) {
    let Ok(write_half) = stream.try_clone() else { return };
    let mut out = std::io::BufWriter::new(write_half);
    let mut send = |value: Value| {
        let _ = writeln!(out, "{value}");
        let _ = out.flush();
    };
    send(
        json!({"myvmm": {"version": env!("CARGO_PKG_VERSION"), "protocol": PROTOCOL, "commands": COMMANDS}}),
    );
    let mut reader = BufReader::new(stream);
    while let Some(line) = read_request(&mut reader) {
        let Ok(line) = line else {
            send(error("ParseError", format!("a request line is longer than {MAX_LINE} bytes; closing")));
            return;
        };
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        let (reply, quit) = match serde_json::from_str::<Value>(&text) {
            Err(e) => (error("ParseError", format!("not JSON: {e}")), false),
            Ok(request) => {
                let reply = answer(&request, control, migration);
                let quit = request.get("execute").and_then(Value::as_str) == Some("quit");
                (reply, quit)
            }
        };
        send(reply);
        if quit {
            return;
        }
    }
}

fn error(class: &str, desc: String) -> Value {
    json!({"error": {"class": class, "desc": desc}})
}

/// The reply to one request, with the request's `id` if it had one.
fn answer(request: &Value, control: &Controller, migration: &Migrating) -> Value {
    let Some(object) = request.as_object() else {
        return error(
            "InvalidRequest",
            "a request is a JSON object: {\"execute\": COMMAND, \"arguments\": {…}}".into(),
        );
    };
    let mut reply = match object.get("execute").and_then(Value::as_str) {
        None => error("InvalidRequest", "the request has no \"execute\" string".into()),
        Some(command) => {
            let empty = Map::new();
            let args = match object.get("arguments") {
                None => Ok(&empty),
                Some(Value::Object(args)) => Ok(args),
                Some(_) => Err(error("InvalidArguments", "\"arguments\" must be an object".into())),
            };
            match args {
                Ok(args) => execute(command, args, control, migration).unwrap_or_else(|e| e),
                Err(e) => e,
            }
        }
    };
    if let (Some(id), Some(reply)) = (object.get("id"), reply.as_object_mut()) {
        reply.insert("id".into(), id.clone());
    }
    reply
}

fn vm_arg(args: &Map<String, Value>) -> Result<u32, Value> {
    args.get("vm")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| error("InvalidArguments", "\"vm\" must be a VM number".into()))
}

fn str_arg<'a>(args: &'a Map<String, Value>, name: &str) -> Result<&'a str, Value> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| error("InvalidArguments", format!("\"{name}\" must be a string")))
}

fn vm_error(e: ControlError) -> Value {
    let class = match e {
        ControlError::Timeout(..) => "Timeout",
        _ => "VmError",
    };
    error(class, e.to_string())
}

fn status_json(id: u32, s: &Status) -> Value {
    let mut v = json!({
        "vm": id,
        "state": s.state.name(),
        "pc": s.pc,
        "retired": s.retired,
        "turns": s.turns,
        "engine": s.engine,
        "slice": s.slice,
    });
    if let (VmState::Finished(how), Some(map)) = (&s.state, v.as_object_mut()) {
        map.insert("outcome".into(), Value::String(how.clone()));
    }
    if let (VmState::Migrating, Some(p), Some(map)) = (&s.state, s.migration, v.as_object_mut()) {
        map.insert(
            "migration".into(),
            json!({"round": p.round, "dirty_pages": p.dirty_pages, "bytes": p.bytes, "rate": p.rate}),
        );
    }
    v
}

fn execute(
    command: &str,
    args: &Map<String, Value>,
    control: &Controller,
    migration: &Migrating,
) -> Result<Value, Value> {
    let ok = |v: Value| Ok(json!({ "return": v }));
    match command {
        "list" => ok(Value::Array(control.list().iter().map(|(id, s)| status_json(*id, s)).collect())),
        "stats" => ok(Value::Array(
            control
                .list()
                .iter()
                .map(|(id, s)| {
                    let secs = s.busy.as_secs_f64();
                    let mips = if secs > 0.0 { s.retired as f64 / secs / 1e6 } else { 0.0 };
                    json!({"vm": id, "state": s.state.name(), "retired": s.retired, "turns": s.turns,
                           "busy_seconds": secs, "mips": mips, "engine": s.engine})
                })
                .collect(),
        )),
        "pause" => {
            let id = vm_arg(args)?;
            control.pause(id, PAUSE_WAIT).map_err(vm_error)?;
            let status = control.list().into_iter().find(|(i, _)| *i == id);
            ok(status.map_or(json!({ "vm": id }), |(id, s)| status_json(id, &s)))
        }
        "resume" => {
            let id = vm_arg(args)?;
            control.resume(id).map_err(vm_error)?;
            ok(json!({}))
        }
        "dump" => {
            let id = vm_arg(args)?;
            let (pc, text) = control
                .with_vm(id, PAUSE_WAIT, |vm| {
                    let cpu = &vm.machine.cpu;
                    (cpu.pc, dump::format(vm.config.dump_format, vm.id, cpu.pc, cpu))
                })
                .map_err(vm_error)?;
            ok(json!({"vm": id, "pc": pc, "dump": text}))
        }
        "snapshot" => {
            let id = vm_arg(args)?;
            let file = str_arg(args, "file")?;
            let written = control
                .with_vm(id, PAUSE_WAIT, |vm| {
                    let start = Instant::now();
                    let state =
                        SnapshotState { machine: &vm.machine, slice: vm.config.slice, rngs: vm.os_rngs() };
                    let result = snapshot::write_in(&vm.config.snapshot_dir, Path::new(file), &state);
                    if let Ok(bytes) = result {
                        vm.stats.snapshots += 1;
                        vm.stats.snapshot_bytes += bytes;
                        vm.stats.snapshot_time += start.elapsed();
                    }
                    (result, vm.machine.cpu.pc, vm.machine.cpu.retired)
                })
                .map_err(vm_error)?;
            match written {
                (Ok(bytes), pc, retired) => {
                    ok(json!({"vm": id, "file": file, "bytes": bytes, "pc": pc, "retired": retired}))
                }
                (Err(e), ..) => Err(error("SnapshotError", format!("vm{id}: snapshot {file}: {e}"))),
            }
        }
        "checkpoint" => {
            let id = vm_arg(args)?;
            let dir = match args.get("dir") {
                None => None,
                Some(Value::String(d)) => Some(std::path::PathBuf::from(d)),
                Some(_) => return Err(error("InvalidArguments", "\"dir\" must be a string".into())),
            };
            let written = control
                .with_vm(id, PAUSE_WAIT, |vm| {
                    (vm.checkpoint(None, dir.as_deref()), vm.machine.cpu.pc, vm.machine.cpu.retired)
                })
                .map_err(vm_error)?;
            match written {
                (Ok(c), pc, retired) => ok(json!({
                    "vm": id,
                    "file": c.path.display().to_string(),
                    "bytes": c.bytes,
                    "page_bytes": c.page_bytes,
                    "incremental": c.incremental,
                    "chain": c.chain,
                    "pc": pc,
                    "retired": retired
                })),
                (Err(e), ..) => Err(error("CheckpointError", format!("vm{id}: checkpoint: {e}"))),
            }
        }
        "migrate" => {
            let id = vm_arg(args)?;
            let target = str_arg(args, "target")?;
            let was_paused = control.pause(id, PAUSE_WAIT).map_err(vm_error)?;
            let mut vm = control.take_paused(id).map_err(vm_error)?;
            let (config, live) = migration;
            let failed = |e: String| {
                error("MigrationError", format!("vm{id}: migrate to {target} failed: {e}; it stays here"))
            };
            if was_paused {
                // Paused by the user: it stays still, so it goes as it
                // stands (its pages verified first: they travel unhashed).
                if let Err(fault) = vm.machine.mem.verify_all() {
                    control.hold(vm);
                    return Err(failed(fault.to_string()));
                }
                return match crate::migrate::send(&vm, target, config) {
                    Ok(report) => {
                        vm.stats.migrated_out = Some(crate::sched::MigratedOut {
                            bytes: report.bytes,
                            paused: report.pause_to_commit,
                            paused_at: report.paused_at,
                            rounds: report.rounds,
                            total: report.total,
                        });
                        let (destination, bytes) = (report.destination.clone(), report.bytes);
                        control.finish(vm, Outcome::Migrated(report.destination));
                        ok(json!({"vm": id, "destination": destination, "bytes": bytes, "rounds": 1}))
                    }
                    Err(crate::migrate::MigrateError::InDoubt { id: mid, why }) => {
                        let message = crate::migrate::keep_in_doubt(&vm, target, &mid, &why);
                        control.finish(vm, Outcome::InDoubt(message.clone()));
                        Err(error("MigrationInDoubt", format!("vm{id}: {message}")))
                    }
                    Err(e) => {
                        control.hold(vm);
                        Err(failed(e.to_string()))
                    }
                };
            }
            match live(&mut vm, target) {
                Migration::Done(destination) => {
                    let (bytes, pause, rounds) = vm
                        .stats
                        .migrated_out
                        .map_or((0, 0.0, 0), |m| (m.bytes, m.paused.as_secs_f64() * 1e3, m.rounds));
                    control.finish(vm, Outcome::Migrated(destination.clone()));
                    ok(
                        json!({"vm": id, "destination": destination, "bytes": bytes, "rounds": rounds, "pause_ms": pause}),
                    )
                }
                Migration::Failed(why) => {
                    control.requeue(vm);
                    Err(failed(why))
                }
                Migration::InDoubt(message) => {
                    control.finish(vm, Outcome::InDoubt(message.clone()));
                    Err(error("MigrationInDoubt", format!("vm{id}: {message}")))
                }
                Migration::Left(turn) => {
                    control.hand_back(vm, turn);
                    Err(failed("the VM stopped being runnable while its memory was on its way".into()))
                }
            }
        }
        "quit" => {
            control.quit();
            ok(json!({}))
        }
        other => Err(error(
            "CommandNotFound",
            format!("unknown command `{other}`; the commands are {}", COMMANDS.join(", ")),
        )),
    }
}
