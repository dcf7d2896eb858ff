//! Host faults in generated code become VM faults.
//!
//! Scope, precisely: faults in translated *blocks* (not the entry and exit
//! stubs, whose stack is not the blocks'; not the interpreter helpers that
//! blocks call, which are Rust code and must never fault — they use checked
//! accessors only). After such a fault the VM's state is undefined (the
//! block ran in part, its instructions were charged on entry): the VM ends,
//! and the code cache, which holds the bug, is dropped.
//!
//! Guest accesses themselves are checked by the host: guest memory is
//! sealed (its host protections match the guest's page permissions), and a
//! fault on an instruction the translator registered as a guest access
//! resumes at that access's fall-back, which leaves the block for the
//! interpreter (budget refunded, pc at the access), which reports the
//! guest's fault precisely. Nothing else in generated code touches guest
//! memory, and a guard follows every guest address space, so any other
//! fault is a JIT bug. If a bug makes it fault anyway, the process must not die
//! (SPEC §5: a JIT bug ends in a VM fault, never a host signal): a
//! `SIGSEGV`/`SIGBUS` handler looks at the faulting instruction, and when it
//! lies in the code buffer of the JIT running on this thread, resumes at that
//! buffer's recovery stub, which leaves generated code through the ordinary
//! exit with [`super::exit_code::HOST_FAULT`], with `rsp` reset to what the
//! entry stub saved (blocks push nothing, so it is what they run with), so
//! the exit stub returns normally.
//! Any other fault goes to the handler that was installed before ours (Rust's
//! stack-overflow report), or to the default action.
//!
//! The handler reads only a thread-local `Cell` of plain integers (const
//! initialised, no destructor: a plain TLS access, safe in a signal
//! handler) and the saved previous actions, written once before it is
//! installed.

use std::cell::Cell;
use std::sync::{Once, OnceLock};

/// Where this thread's generated code lives while it runs, and where to
/// resume after a fault in it.
#[derive(Clone, Copy, Default)]
pub struct Region {
    /// First byte of the code buffer.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// Address of the recovery stub.
    pub recover: usize,
    /// Address of the `usize` holding `rsp` as blocks run (the entry stub
    /// writes it), restored with the recovery address.
    pub rsp_slot: usize,
    /// Where the code buffer starts (the accesses' offsets count from it).
    pub base: usize,
    /// The buffer's guest accesses: a sorted array of `(u32, u32)` —
    /// instruction offset, fall-back offset — of `accesses_len` entries,
    /// alive and unchanged while the region is active.
    pub accesses: usize,
    /// Entries of `accesses`.
    pub accesses_len: usize,
}

thread_local! {
    static ACTIVE: Cell<Region> = const {
        Cell::new(Region { start: 0, end: 0, recover: 0, rsp_slot: 0, base: 0, accesses: 0, accesses_len: 0 })
    };
    static LAST: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

static INSTALL: Once = Once::new();
static PREVIOUS_SEGV: OnceLock<libc::sigaction> = OnceLock::new();
static PREVIOUS_BUS: OnceLock<libc::sigaction> = OnceLock::new();

/// Installs the handler once per process; later calls do nothing.
pub fn install() {
    INSTALL.call_once(|| {
        for (signal, previous) in [(libc::SIGSEGV, &PREVIOUS_SEGV), (libc::SIGBUS, &PREVIOUS_BUS)] {
            // SAFETY: plain sigaction calls with zero-initialised structs of
            // the C layout; `on_fault` has the SA_SIGINFO signature. The
            // previous action is saved before ours can run.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = on_fault as *const () as usize;
                new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
                libc::sigemptyset(&mut new.sa_mask);
                libc::sigaction(signal, std::ptr::null(), &mut old);
                let _ = previous.set(old);
                libc::sigaction(signal, &new, std::ptr::null_mut());
            }
        }
    });
}

/// Marks `region` as this thread's running code until the guard drops.
pub fn enter(region: Region) -> ActiveGuard {
    ACTIVE.set(region);
    LAST.set((0, 0));
    ActiveGuard
}

/// Clears the thread's running region when dropped.
pub struct ActiveGuard;

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        ACTIVE.set(Region::default());
    }
}

/// The host instruction address and data address of the last fault the
/// handler turned into a recovery on this thread.
pub fn last_fault() -> (usize, usize) {
    LAST.get()
}

extern "C" fn on_fault(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    let region = ACTIVE.get();
    // SAFETY: the kernel passes a valid ucontext_t for SA_SIGINFO handlers;
    // the instruction pointer is read and, for faults in our own blocks,
    // redirected to the recovery stub of the same buffer, with the stack
    // pointer the entry stub saved (`rsp_slot` points into the `Context`
    // alive for the whole run of generated code on this thread).
    unsafe {
        let uc = context.cast::<libc::ucontext_t>();
        let rip = (*uc).uc_mcontext.gregs[libc::REG_RIP as usize] as usize;
        if region.start <= rip && rip < region.end {
            let gregs = &mut (*uc).uc_mcontext.gregs;
            // A guest access the guest may not make: on to its fall-back,
            // where the interpreter reports the guest's fault.
            let accesses: &[(u32, u32)] = if region.accesses_len == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(region.accesses as *const (u32, u32), region.accesses_len)
            };
            let offset = rip.wrapping_sub(region.base) as u32;
            if let Ok(i) = accesses.binary_search_by_key(&offset, |a| a.0) {
                gregs[libc::REG_RIP as usize] = (region.base + accesses[i].1 as usize) as i64;
                return;
            }
            LAST.set((rip, (*info).si_addr() as usize));
            gregs[libc::REG_RIP as usize] = region.recover as i64;
            gregs[libc::REG_RSP as usize] = *(region.rsp_slot as *const usize) as i64;
            return;
        }
    }
    let previous = if signal == libc::SIGBUS { PREVIOUS_BUS.get() } else { PREVIOUS_SEGV.get() };
    match previous {
        Some(p) if p.sa_sigaction != libc::SIG_DFL && p.sa_sigaction != libc::SIG_IGN => {
            // SAFETY: the previous handler was installed for this signal with
            // these flags; it is called as the kernel would have called it.
            unsafe {
                if p.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(p.sa_sigaction);
                    f(signal, info, context);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(p.sa_sigaction);
                    f(signal);
                }
            }
        }
        _ => {
            // Not ours, and nobody else's: the default action, taken when the
            // faulting instruction runs again on return.
            // SAFETY: resetting a signal to its default disposition.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
            }
        }
    }
}
