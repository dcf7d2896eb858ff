//! Live migration: `MIGRATE host[:port]` sends a running VM to another
//! `myvmm --listen`, which runs it from the instruction after MIGRATE.
//!
//! # Protocol (version 5, TCP; the archive is snapshot format 3)
//!
//! Everything after two short greetings travels inside a Noise session (see
//! [`channel`]): with `--migration-key` the sender proves the key in the
//! very first handshake message, before the receiver reserves any memory or
//! reads a page; every later byte is encrypted and authenticated, bound to
//! its session and to its place in it. Inside the session, frames are one
//! type byte, a little-endian `u64` length, then that many bytes.
//!
//! ```text
//!  sender                                       receiver
//!    greeting + handshake 1 (HELLO: purpose, ─▶  key proven; id never seen;
//!      migration id, archive and page bytes)     --exit-after slot free;
//!                                                bytes reserved in the budget
//!               ◀────── handshake 2 (verdict: ready, or refused and why)
//!    ARCHIVE   checksum, fingerprint, the   ─▶  checked like `-s`: archive,
//!              snapshot archive without pages    program, layout against the
//!                                                program and the memory limit
//!    PAGE      page number, whole pages     ─▶  straight into mapped pages
//!    PAGE      …                                 of the new VM, never beyond
//!    END                                    ─▶   what HELLO announced
//!               ◀────── ACCEPT | REFUSE reason
//!    COMMIT ─────────────────────────────────▶
//!               ◀────── DONE                  (sent before the VM starts)
//! ```
//!
//! Live migration ([`precopy`]) repeats ARCHIVE and PAGE frames once per
//! round while the VM runs on; the last round is sent with the VM paused.
//!
//! Exactly once: the receiver decides at COMMIT (the VM runs there from
//! then on, whether or not DONE gets through). Before COMMIT any failure
//! (refusal, timeout, tampering, a receiver killed mid-transfer) leaves the
//! VM with the sender, which resumes it with a warning. After COMMIT the
//! sender never resumes it on its own: without DONE it asks the receiver by
//! migration id on a new connection ([`wire::Purpose::Query`]): committed,
//! never started (a question about a migration still in flight ends it, so
//! the answer is final), or unknown; without a definite answer the VM is in
//! doubt, kept as a snapshot and not run ([`keep_in_doubt`]).
//!
//! # Limits
//!
//! A receiver holds at most `--max-migration-mb` for all its connections
//! together (reserved at HELLO, before any byte of the VM is read; a HELLO
//! that does not fit is refused as busy), serves at most
//! [`MAX_CONNECTIONS`] connections at once, gives the handshake
//! `--migration-timeout` seconds and the whole connection
//! `--migration-deadline` seconds, and never runs one migration id twice.
//! A received VM's memory limit is the smaller of the sender's and the
//! receiver's `--max-migration-mb`. The user's guide is `docs/migration.md`.

mod admission;
pub mod channel;
pub mod precopy;
mod receive;
mod receiver;
mod sealed;
mod sender;
mod timed;
pub mod wire;

pub use admission::Refusal;
pub use channel::Psk;
pub use precopy::{send_live, Live};
pub use receiver::{listen, ListenOptions, Listener, MAX_CONNECTIONS};
pub use sender::{send, Report, Session};
pub use wire::{parse_listen_addr, parse_target, printable, Frame, DEFAULT_PORT};

use std::time::Duration;

/// Keeps a VM whose migration is in doubt: its snapshot goes into its
/// snapshot folder as `migration-ID.snap` (it is not run here: an operator
/// decides). The message says what happened and what to do.
pub fn keep_in_doubt(vm: &crate::sched::Vm, target: &str, id: &str, why: &str) -> String {
    let file = format!("migration-{id}.snap");
    let state = crate::snapshot::VmState { machine: &vm.machine, slice: vm.config.slice, rngs: vm.os_rngs() };
    let kept = match crate::snapshot::write_in(&vm.config.snapshot_dir, std::path::Path::new(&file), &state) {
        Ok(_) => format!(
            "its snapshot is {file} in the snapshot folder; it is not run here — if {target} does not run it \
             (ask there, or look at its output), `myvmm -s {file}` resumes it"
        ),
        Err(e) => format!("its snapshot could not be written ({e}); it is not run here"),
    };
    format!("migration {id} to {target} is in doubt ({why}): {kept}")
}

/// Settings shared by both sides.
#[derive(Clone, Debug)]
pub struct MigrateConfig {
    /// Pre-shared key from `--migration-key`; never printed.
    pub key: Option<Psk>,
    /// Connect, read and write timeout, and the handshake's whole time.
    pub timeout: Duration,
    /// The whole time one migration (one connection) may take.
    pub deadline: Duration,
    /// Bytes a receiver holds for all migrations in flight together; also
    /// the largest VM it accepts and the memory limit of the VMs it runs.
    pub max_payload: u64,
    /// How long a live migration may pause the VM at its end (the rounds
    /// go on until the rest fits this at the link's rate).
    pub downtime: Duration,
}

impl Default for MigrateConfig {
    fn default() -> Self {
        MigrateConfig {
            key: None,
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(120),
            max_payload: 1536 << 20,
            downtime: precopy::DEFAULT_DOWNTIME,
        }
    }
}

/// Why a migration did not happen (the VM stays where it was).
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The address does not resolve or parse.
    #[error("cannot resolve `{0}`")]
    Address(String),
    /// Network trouble, timeouts among it (the message says what was awaited).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The peer broke the protocol.
    #[error("protocol error: {0}")]
    Protocol(String),
    /// A key was missing, wrong, or a record failed authentication.
    #[error("{0}")]
    Auth(String),
    /// The receiver said no (its words, escaped for printing).
    #[error("refused by the receiver: {0}")]
    Refused(String),
    /// The snapshot could not be made.
    #[error("cannot encode the VM: {0}")]
    Encode(String),
    /// COMMIT went out and nobody can say whether the receiver runs the
    /// VM: it must not run here on its own.
    #[error("migration {id} is in doubt: {why}")]
    InDoubt {
        /// The migration id, as text.
        id: String,
        /// What went wrong.
        why: String,
    },
}
