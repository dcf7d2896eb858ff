//! The control socket (`--control SOCKET`): operators drive running VMs
//! from outside, as QEMU's QMP lets them. A Unix socket speaking one JSON
//! object per line; `myvmm ctl SOCKET COMMAND …` is its client
//! ([`client`]). `docs/control.md` documents every command with an example.
//!
//! ```text
//! <- {"myvmm":{"version":"0.1.0","protocol":1,"commands":["list","pause",…]}}
//! -> {"execute":"pause","arguments":{"vm":2}}
//! <- {"return":{"vm":2,"state":"paused","pc":4194320,"retired":1234}}
//! -> {"execute":"resume","arguments":{"vm":7}}
//! <- {"error":{"class":"VmError","desc":"there is no vm7"}}
//! ```
//!
//! Requests work through the scheduler's [`Controller`](crate::sched::Controller): a VM is paused at
//! an instruction boundary before anything is done to it (a dump, a
//! snapshot, a migration) and, unless it was paused already, resumed
//! after. Snapshots are written exactly as SNAPSHOT writes them, inside
//! the VM's snapshot folder. Bad input of any kind (not JSON, not an
//! object, an unknown command, missing arguments, a line over 64 KiB) gets
//! an error object; the connection stays open except after an overlong
//! line.

pub mod client;
mod server;

pub use server::{serve, ControlServer, ServeError, SocketFile};

/// The protocol version in the greeting.
pub const PROTOCOL: u32 = 1;

/// The commands, in the greeting's order.
pub const COMMANDS: [&str; 9] =
    ["list", "pause", "resume", "dump", "snapshot", "checkpoint", "migrate", "stats", "quit"];

/// The longest request line accepted.
pub const MAX_LINE: usize = 64 << 10;
