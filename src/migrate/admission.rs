//! What a receiver lets in: one memory budget shared by every connection,
//! migration ids that never run twice, and `--exit-after`'s count of
//! migrations taken. A [`Ticket`] holds a connection's share until it ends.

use super::wire::QueryAnswer;
use std::collections::{HashSet, VecDeque};
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

/// Ids of migrations that will never run here, remembered at most (the
/// oldest forgotten first: a query for one then answers "unknown", which
/// leaves its sender in doubt — safe, never twice).
const REMEMBERED_FAILURES: usize = 1 << 16;

#[derive(Default)]
struct State {
    in_use: u64,
    in_flight: HashSet<[u8; 16]>,
    committed: HashSet<[u8; 16]>,
    /// Migrations that failed or that a query ended, newest last.
    never: HashSet<[u8; 16]>,
    never_order: VecDeque<[u8; 16]>,
    stopping: bool,
}

impl State {
    fn never_starts(&mut self, id: [u8; 16]) {
        if self.never.insert(id) {
            self.never_order.push_back(id);
            if self.never_order.len() > REMEMBERED_FAILURES {
                if let Some(old) = self.never_order.pop_front() {
                    self.never.remove(&old);
                }
            }
        }
    }
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
        if s.committed.contains(&id) || s.in_flight.contains(&id) || s.never.contains(&id) {
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

    /// What became of migration `id`, for a sender in doubt. A migration
    /// still in flight is ended by the question (it will never commit:
    /// its COMMIT, should it still arrive, is refused), so every answer
    /// but "unknown" is final.
    pub fn query(&self, id: [u8; 16]) -> QueryAnswer {
        let mut s = self.lock();
        if s.committed.contains(&id) {
            QueryAnswer::Committed
        } else if s.in_flight.contains(&id) || s.never.contains(&id) {
            s.never_starts(id);
            QueryAnswer::NeverStarted
        } else {
            QueryAnswer::Unknown
        }
    }

    /// Refuses every migration from now on.
    pub fn stop(&self) {
        self.lock().stopping = true;
    }

    /// Whether the receiver is stopping.
    pub fn stopping(&self) -> bool {
        self.lock().stopping
    }

    /// Whether another migration may still be admitted: not stopping, and
    /// `--exit-after` not reached by those committed.
    pub fn takes_more(&self) -> bool {
        let s = self.lock();
        !s.stopping && self.exit_after.is_none_or(|n| s.committed.len() < n)
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
    /// The VM runs here: its id may never be received again. False when a
    /// query ended this migration first (the sender resumed it at home).
    pub fn commit(&mut self) -> bool {
        let mut s = self.admission.lock();
        if s.never.contains(&self.id) {
            return false;
        }
        s.in_flight.remove(&self.id);
        s.committed.insert(self.id);
        self.committed = true;
        true
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut s = self.admission.lock();
        s.in_use -= self.bytes;
        if !self.committed {
            s.in_flight.remove(&self.id);
            s.never_starts(self.id);
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
    fn ids_run_once_and_a_failed_one_never_runs() {
        let a = Admission::new(100, None);
        let t = a.admit([1; 16], 1).unwrap();
        assert!(matches!(a.admit([1; 16], 1), Err(Refusal::Replay(_))), "in flight");
        drop(t);
        assert!(matches!(a.admit([1; 16], 1), Err(Refusal::Replay(_))), "failed: never again");
        assert_eq!(a.query([1; 16]), QueryAnswer::NeverStarted);
        let mut t = a.admit([2; 16], 1).unwrap();
        assert!(t.commit());
        drop(t);
        assert!(matches!(a.admit([2; 16], 1), Err(Refusal::Replay(_))), "committed");
        assert_eq!(a.query([2; 16]), QueryAnswer::Committed);
        assert_eq!(a.query([3; 16]), QueryAnswer::Unknown);
    }

    #[test]
    fn a_query_ends_a_migration_in_flight_before_its_commit() {
        let a = Admission::new(100, None);
        let mut t = a.admit([1; 16], 1).unwrap();
        assert_eq!(a.query([1; 16]), QueryAnswer::NeverStarted);
        assert!(!t.commit(), "its COMMIT comes too late");
        drop(t);
        assert_eq!(a.query([1; 16]), QueryAnswer::NeverStarted);
    }

    #[test]
    fn exit_after_counts_migrations_in_flight() {
        let a = Admission::new(100, Some(1));
        let t = a.admit([1; 16], 1).unwrap();
        assert_eq!(a.admit([2; 16], 1).err(), Some(Refusal::Full(1)));
        drop(t);
        let mut t = a.admit([2; 16], 1).unwrap();
        assert!(t.commit());
        drop(t);
        assert_eq!(a.admit([3; 16], 1).err(), Some(Refusal::Full(1)));
        a.stop();
        assert_eq!(a.admit([4; 16], 1).err(), Some(Refusal::Stopping));
    }
}
