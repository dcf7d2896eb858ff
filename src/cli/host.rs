//! What the host can hold, checked while the plan is made and before any
//! VM runs: a run that cannot fit is refused at once (exit 2) naming the
//! limit and what to change, never after minutes or by exhausting the host.
//!
//! A running VM needs a 4 GiB reservation of address space and a few host
//! mappings; a VM that waits is parked (see `vm::memory::park`) and needs
//! neither, only host memory for the pages it holds. So the process keeps
//! at most [`crate::vm::resident_limit`] reservations whatever the count,
//! and what grows with the count is memory: each VM's least share
//! ([`crate::vm::Image::least_host_bytes`]: text, static data that is not
//! zero, a first stack page, bookkeeping). Memory limits are caps, not
//! reservations: they are not summed.

use super::plan::PlanError;
use crate::vm::{host_address_space, resident_limit, RESIDENT_SPACE, SPARE_SPACE};

/// The host's room for the VMs of one run, taken VM by VM as they are built.
pub struct HostBudget {
    /// VMs the run asks for.
    vms: u64,
    /// VMs admitted so far.
    admitted: u64,
    /// The least host bytes of the VMs admitted so far.
    committed: u64,
    /// Address space for VMs' memory: the process's, less the resident
    /// reservations and a reserve for everything else.
    space: u64,
    /// Host memory available (`MemAvailable` plus free swap).
    memory: u64,
}

fn mib(bytes: u64) -> u64 {
    bytes >> 20
}

/// `ulimit -v` when it is what bounds the process, for messages.
fn ulimit_hint(space: u64) -> &'static str {
    if space < 1 << 47 {
        " (`ulimit -v`)"
    } else {
        ""
    }
}

/// Bytes the host can give now: `MemAvailable` and `SwapFree` from
/// `/proc/meminfo` (all of the address space if the host does not say).
fn host_available_memory() -> u64 {
    let Ok(info) = std::fs::read_to_string("/proc/meminfo") else {
        return u64::MAX;
    };
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib << 10)
    };
    match field("MemAvailable:") {
        Some(available) => available + field("SwapFree:").unwrap_or(0),
        None => u64::MAX,
    }
}

impl HostBudget {
    /// The budget for `vms` VMs; refused at once when the process cannot
    /// hold even the reservations of the VMs that run at the same time.
    pub fn new(vms: u64) -> Result<HostBudget, PlanError> {
        let process = host_address_space();
        let resident = (resident_limit() as u64).clamp(1, vms.max(1));
        let reserved = resident * RESIDENT_SPACE + SPARE_SPACE;
        if process < RESIDENT_SPACE + SPARE_SPACE {
            return Err(PlanError::Usage(format!(
                "a running VM needs {} MiB of address space (its 4 GiB guest space and JIT code, and room for myvmm itself), and this \
                 process has {} MiB{}: raise the limit (ulimit -v unlimited)",
                mib(RESIDENT_SPACE + SPARE_SPACE),
                mib(process),
                ulimit_hint(process)
            )));
        }
        let space = process.saturating_sub(reserved);
        Ok(HostBudget { vms, admitted: 0, committed: 0, space, memory: host_available_memory() })
    }

    /// Admits the next VM, which holds at least `least` bytes: refused when
    /// it and the VMs still to come, each as large, cannot fit the address
    /// space or the host's memory.
    pub fn admit(&mut self, least: u64) -> Result<(), PlanError> {
        let to_come = self.vms.saturating_sub(self.admitted).max(1);
        let needed = self.committed.saturating_add(least.saturating_mul(to_come));
        let per_vm = needed / self.vms.max(1);
        if needed > self.space {
            let process = host_address_space();
            return Err(PlanError::Usage(format!(
                "{} VMs need at least {} MiB of memory (about {} KiB each: text, static data, a first stack \
                 page), more than this process's address space{} leaves beside the running VMs' \
                 reservations ({} MiB): run at most {} VMs at once, or raise the limit",
                self.vms,
                mib(needed),
                per_vm >> 10,
                ulimit_hint(process),
                mib(self.space),
                self.space / per_vm.max(1)
            )));
        }
        if needed > self.memory {
            return Err(PlanError::Usage(format!(
                "{} VMs need at least {} MiB of host memory (about {} KiB each: text, static data, a first \
                 stack page), more than the host has available ({} MiB of memory and swap): run at most {} \
                 VMs at once",
                self.vms,
                mib(needed),
                per_vm >> 10,
                mib(self.memory),
                self.memory / per_vm.max(1)
            )));
        }
        self.committed += least;
        self.admitted += 1;
        Ok(())
    }
}
