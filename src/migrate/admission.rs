//! What a receiver lets in: one memory budget shared by every connection,
//! migration ids that never run twice, and `--exit-after`'s count of
//! migrations taken. A [`Ticket`] holds a connection's share until it ends.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Why a migration is not let in (sent to the sender as the refusal).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refusal {
    /// The id was received before (a replay) or is being received now.
    #[error("migration {0} was already received here: a replayed stream is never run twice")]
    Replay(String),
    /// The VM alone is larger than the budget.
    #[error(
        "a VM needing {bytes} bytes here (its pages, and its program received, read and decoded) \
         exceeds this receiver's limit of {limit} bytes (--max-migration-mb)"
    )]
    TooLarge {
        /// Bytes announced.
        bytes: u64,
        /// The budget.
        limit: u64,
    },
    /// Other migrations hold the budget now.
    #[error(
        "busy: migrations in flight hold {in_use} of the {limit} bytes this receiver buffers at once \
         (--max-migration-mb), and this one needs {bytes}; try again later"
    )]
    Busy {
        /// Bytes asked for.
        bytes: u64,
        /// Bytes held by others.
        in_use: u64,
        /// The budget.
        limit: u64,
    },
    /// `--exit-after N` migrations are taken (committed or in flight).
    #[error("this receiver takes no more migrations (--exit-after {0})")]
    Full(usize),
    /// The receiver is stopping.
    #[error("the receiver is shutting down")]
    Stopping,
}

#[derive(Default)]
struct State {
    in_use: u64,
    in_flight: HashSet<[u8; 16]>,
    committed: HashSet<[u8; 16]>,
    stopping: bool,
}

/// The receiver's shared admission state.
pub struct Admission {
    state: Mutex<State>,
    budget: u64,
    exit_after: Option<usize>,
}

impl Admission {
    /// A budget of `budget` bytes for all connections together.
    pub fn new(budget: u64, exit_after: Option<usize>) -> Arc<Admission> {
        Arc::new(Admission { state: Mutex::new(State::default()), budget, exit_after })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Lets migration `id` in, reserving `bytes` of the budget, or says why not.
    pub fn admit(self: &Arc<Self>, id: [u8; 16], bytes: u64) -> Result<Ticket, Refusal> {
        let mut s = self.lock();
        if s.stopping {
            return Err(Refusal::Stopping);
        }
        if s.committed.contains(&id) || s.in_flight.contains(&id) {
            return Err(Refusal::Replay(super::wire::id_text(&id)));
        }
        if let Some(n) = self.exit_after {
            if s.committed.len() + s.in_flight.len() >= n {
                return Err(Refusal::Full(n));
            }
        }
        if bytes > self.budget {
            return Err(Refusal::TooLarge { bytes, limit: self.budget });
        }
        if s.in_use + bytes > self.budget {
            return Err(Refusal::Busy { bytes, in_use: s.in_use, limit: self.budget });
        }
        s.in_use += bytes;
        s.in_flight.insert(id);
        Ok(Ticket { admission: Arc::clone(self), id, bytes, committed: false })
    }

    /// Refuses every migration from now on.
    pub fn stop(&self) {
        self.lock().stopping = true;
    }

    /// Whether the receiver is stopping.
    pub fn stopping(&self) -> bool {
        self.lock().stopping
    }

    /// Bytes of the budget held now.
    #[cfg(test)]
    pub fn in_use(&self) -> u64 {
        self.lock().in_use
    }
}

/// A connection's admission: its share of the budget and its id, given
/// back when dropped (the id stays taken forever once committed).
pub struct Ticket {
    admission: Arc<Admission>,
    id: [u8; 16],
    bytes: u64,
    committed: bool,
}

impl Ticket {
    /// The VM runs here: its id may never be received again.
    pub fn commit(&mut self) {
        let mut s = self.admission.lock();
        s.in_flight.remove(&self.id);
        s.committed.insert(self.id);
        self.committed = true;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut s = self.admission.lock();
        s.in_use -= self.bytes;
        if !self.committed {
            s.in_flight.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_shared_and_given_back() {
        let a = Admission::new(100, None);
        let t1 = a.admit([1; 16], 60).unwrap();
        assert!(matches!(a.admit([2; 16], 60), Err(Refusal::Busy { in_use: 60, .. })));
        assert!(matches!(a.admit([3; 16], 101), Err(Refusal::TooLarge { .. })));
        drop(t1);
        assert_eq!(a.in_use(), 0);
        assert!(a.admit([2; 16], 60).is_ok());
    }

    #[test]
    fn ids_run_once_and_failed_ones_may_retry() {
        let a = Admission::new(100, None);
        let t = a.admit([1; 16], 1).unwrap();
        assert!(matches!(a.admit([1; 16], 1), Err(Refusal::Replay(_))), "in flight");
        drop(t);
        let mut t = a.admit([1; 16], 1).unwrap();
        t.commit();
        drop(t);
        assert!(matches!(a.admit([1; 16], 1), Err(Refusal::Replay(_))), "committed");
    }

    #[test]
    fn exit_after_counts_migrations_in_flight() {
        let a = Admission::new(100, Some(1));
        let t = a.admit([1; 16], 1).unwrap();
        assert_eq!(a.admit([2; 16], 1).err(), Some(Refusal::Full(1)));
        drop(t);
        let mut t = a.admit([2; 16], 1).unwrap();
        t.commit();
        drop(t);
        assert_eq!(a.admit([3; 16], 1).err(), Some(Refusal::Full(1)));
        a.stop();
        assert_eq!(a.admit([4; 16], 1).err(), Some(Refusal::Stopping));
    }
}
