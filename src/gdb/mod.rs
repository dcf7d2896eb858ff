//! The gdb remote stub (`--gdb ADDR`, `vm_gdb = ADDR`), built on the
//! `gdbstub` crate: general registers, pc, HI, LO and the FP registers,
//! memory read and write, software breakpoints, single step, continue,
//! Ctrl-C from gdb, and the VM's end reported to gdb.
//!
//! The debugged VM leaves the scheduler for the session: a service thread
//! owns it, waits before its first instruction for gdb to connect, and runs
//! it as gdb says, while the other VMs go on on the workers. Its syscalls,
//! output and input are the VM's own (`Vm::run_turn`), so it behaves as it
//! would undebugged; it reads standard input directly.
//!
//! Exactness under both engines: a step runs one instruction; a `continue`
//! with breakpoints set runs one instruction at a time and stops *before*
//! any instruction at a breakpoint (the JIT runs a one-instruction budget
//! through the interpreter's semantics, as every engine must give the same
//! state); a `continue` without breakpoints runs the engine freely, in
//! chunks, looking for gdb's Ctrl-C between them. When gdb detaches, the
//! VM goes back to the scheduler and runs on; when it ends, gdb is told
//! (exit code, or the signal of a fault) and the VM is reported as usual.

mod target;

use crate::sched::{Outcome, Service, Spawner, Vm};
use crate::vm::Console;
use gdbstub::stub::{DisconnectReason, GdbStub};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use target::{DebugTarget, EventLoop};

/// The address `--gdb` takes: a port or `:PORT` (127.0.0.1), or HOST:PORT.
pub fn parse_addr(text: &str) -> Option<String> {
    let text = text.trim();
    let port = text.strip_prefix(':').unwrap_or(text);
    if port.parse::<u16>().is_ok() {
        return Some(format!("127.0.0.1:{port}"));
    }
    text.rsplit_once(':').filter(|(_, p)| p.parse::<u16>().is_ok()).map(|_| text.to_string())
}

/// Binds the address a VM's gdb session will be accepted on.
pub fn bind(addr: &str) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr)
}

/// Waits for gdb on `listener` (or for the run to stop).
fn accept(listener: &TcpListener, stop: &AtomicBool) -> Option<(TcpStream, SocketAddr)> {
    listener.set_nonblocking(true).ok()?;
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                stream.set_nonblocking(false).ok()?;
                let _ = stream.set_nodelay(true);
                return Some((stream, peer));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if stop.load(Ordering::Acquire) {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(_) => return None,
        }
    }
}

/// A service that debugs `vm` with the gdb that connects to `listener`.
pub fn service(
    listener: TcpListener,
    mut vm: Vm,
    console: &'static Console,
    stop: Arc<AtomicBool>,
) -> Service {
    Box::new(move |spawner: Spawner| {
        let where_ = listener.local_addr().map_or_else(|_| "?".into(), |a| a.to_string());
        eprintln!("vm{}: waiting for gdb on {where_} (gdb-multiarch -ex 'target remote {where_}')", vm.id);
        let Some((stream, peer)) = accept(&listener, &stop) else {
            let outcome = vm.stopped(console, false);
            spawner.finish(vm, outcome);
            return;
        };
        eprintln!("vm{}: gdb connected from {peer}", vm.id);
        if let Err(e) = vm.machine.mem.unpark() {
            let outcome = Outcome::Faulted(format!("the host refused to map this VM's memory: {e}"));
            spawner.finish(vm, outcome);
            return;
        }
        let mut target = DebugTarget::new(vm, console, Arc::clone(&stop));
        let result = GdbStub::new(stream).run_blocking::<EventLoop>(&mut target);
        let (vm, ended) = target.into_parts();
        match (result, ended) {
            (_, Some(outcome)) => spawner.finish(vm, outcome),
            (Ok(DisconnectReason::Kill), None) => {
                eprintln!("vm{}: killed from gdb", vm.id);
                let mut vm = vm;
                let outcome = vm.stopped(console, false);
                spawner.finish(vm, outcome);
            }
            (Ok(_), None) => {
                eprintln!("vm{}: gdb detached; the VM runs on", vm.id);
                spawner.spawn(vm);
            }
            (Err(e), None) => {
                eprintln!("vm{}: the gdb session failed ({e}); the VM runs on", vm.id);
                spawner.spawn(vm);
            }
        }
    })
}
