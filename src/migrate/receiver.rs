//! The receiving side: `myvmm --listen ADDR`. Each connection is served on
//! its own thread (at most [`MAX_CONNECTIONS`] at once); received VMs join
//! the scheduler's run queue. Serving returns only once every connection
//! has ended, so no VM is ever handed to a scheduler that has stopped.

use super::admission::Admission;
use super::receive::{serve_one, Failure};
use super::MigrateConfig;
use crate::sched::{Spawner, VmConfig};
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Connections served at once; more are closed at once. Each holds a thread
/// and at most its share of the memory budget, for at most the deadline.
pub const MAX_CONNECTIONS: usize = 64;

/// How a receiver runs.
#[derive(Clone)]
pub struct ListenOptions {
    /// Keys, timeouts, limits.
    pub config: MigrateConfig,
    /// Settings for received VMs (engine, limits; the slice comes with the VM).
    pub vm: VmConfig,
    /// Take at most this many migrations, and stop listening once that many
    /// received VMs have finished.
    pub exit_after: Option<usize>,
    /// Set to stop listening (SIGINT, SIGTERM).
    pub stop: Arc<AtomicBool>,
    /// Received VMs that have finished (the caller counts them).
    pub finished: Arc<AtomicUsize>,
    /// Print per-migration figures.
    pub stats: bool,
}

/// A bound listening socket (bound early, so a bad address is a usage error).
pub struct Listener {
    socket: TcpListener,
}

/// Binds `addr` (`host:port`).
pub fn listen(addr: &str) -> io::Result<Listener> {
    let socket = TcpListener::bind(addr)?;
    socket.set_nonblocking(true)?;
    Ok(Listener { socket })
}

/// A connection being served.
struct Connection {
    thread: JoinHandle<()>,
    socket: TcpStream,
    /// Past the point where a stop lets it finish.
    committing: Arc<AtomicBool>,
}

type Connections = Arc<Mutex<Vec<Connection>>>;

fn lock(c: &Connections) -> std::sync::MutexGuard<'_, Vec<Connection>> {
    c.lock().unwrap_or_else(|e| e.into_inner())
}

impl Listener {
    /// The address actually bound.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Accepts migrations until stopped; hands received VMs to `spawner`.
    /// Accepting blocks (no polling delay before a migration starts); a
    /// watcher wakes it with a connection of its own when it is time to stop.
    pub fn serve(self, options: ListenOptions, spawner: Spawner) {
        let _ = self.socket.set_nonblocking(false);
        let admission = Admission::new(options.config.max_payload, options.exit_after);
        let connections: Connections = Arc::default();
        let watcher = self.watch(&options, &admission, &connections);
        loop {
            let accepted = self.socket.accept();
            if options.stop.load(Ordering::Relaxed) {
                break;
            }
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    eprintln!("warning: accepting a migration failed: {e}");
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let mut conns = lock(&connections);
            conns.retain(|c| !c.thread.is_finished());
            if conns.len() >= MAX_CONNECTIONS {
                eprintln!("warning: turned away {peer}: {MAX_CONNECTIONS} migrations are being received");
                continue; // dropped: closed at once, the sender keeps its VM
            }
            let (Ok(socket), Ok(own)) = (stream.try_clone(), stream.try_clone()) else { continue };
            let committing = Arc::new(AtomicBool::new(false));
            let thread = {
                let (options, admission, spawner, committing) =
                    (options.clone(), Arc::clone(&admission), spawner.clone(), Arc::clone(&committing));
                std::thread::spawn(move || {
                    match serve_one(stream, &options, &admission, &spawner, &committing) {
                        Ok(()) => {}
                        Err(Failure::Refused(why)) => {
                            eprintln!("warning: refused a migration from {peer}: {why}")
                        }
                        Err(Failure::Answered(what)) => {
                            eprintln!("{peer} asked what became of {what}")
                        }
                        // Cut by the watcher: the sender keeps its VM.
                        Err(Failure::Broken(_)) if admission.stopping() => {
                            eprintln!("warning: migration from {peer} cut off: the receiver is shutting down")
                        }
                        Err(Failure::Broken(e)) => eprintln!("warning: migration from {peer} failed: {e}"),
                    }
                    // The registry holds a clone: close for real now.
                    let _ = own.shutdown(Shutdown::Both);
                    // The VM runs (or is gone): back what it took from the
                    // reserve, for the next one, if one may still come.
                    if admission.takes_more() {
                        crate::vm::reserve::RESERVE.refill();
                    }
                })
            };
            conns.push(Connection { thread, socket, committing });
        }
        let _ = watcher.join();
        // Every connection ends (refused, failed or committed) before the
        // scheduler may stop: a VM whose DONE went out always runs.
        let conns = std::mem::take(&mut *lock(&connections));
        for c in conns {
            let _ = c.thread.join();
        }
    }

    /// The thread that decides when to stop: on a signal, or once
    /// `--exit-after` received VMs have finished. Stopping refuses new
    /// migrations, cuts those not yet committing, and wakes the accept.
    fn watch(
        &self,
        options: &ListenOptions,
        admission: &Arc<Admission>,
        connections: &Connections,
    ) -> JoinHandle<()> {
        let local = self.socket.local_addr().ok();
        let (options, admission, connections) =
            (options.clone(), Arc::clone(admission), Arc::clone(connections));
        std::thread::spawn(move || loop {
            let enough = options.exit_after.is_some_and(|n| options.finished.load(Ordering::Acquire) >= n);
            if enough || options.stop.load(Ordering::Relaxed) {
                admission.stop();
                options.stop.store(true, Ordering::Relaxed);
                for c in lock(&connections).iter() {
                    if !c.committing.load(Ordering::SeqCst) {
                        let _ = c.socket.shutdown(Shutdown::Both);
                    }
                }
                if let Some(mut addr) = local {
                    if addr.ip().is_unspecified() {
                        addr.set_ip(if addr.is_ipv4() {
                            [127, 0, 0, 1].into()
                        } else {
                            std::net::Ipv6Addr::LOCALHOST.into()
                        });
                    }
                    let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
                }
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        })
    }
}
