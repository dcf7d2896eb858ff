//! The debugged VM as a `gdbstub` target, and the event loop that runs it
//! between gdb's requests (see the module docs of [`super`]).

use crate::isa::decode;
use crate::sched::{Outcome, Stdin, Turn, Vm};
use crate::vm::Console;
use gdbstub::common::Signal;
use gdbstub::conn::{Connection, ConnectionExt};
use gdbstub::stub::run_blocking::{self, BlockingEventLoop, WaitForStopReasonError};
use gdbstub::stub::SingleThreadStopReason;
use gdbstub::target::ext::base::singlethread::{
    SingleThreadBase, SingleThreadResume, SingleThreadResumeOps, SingleThreadSingleStep,
    SingleThreadSingleStepOps,
};
use gdbstub::target::ext::base::BaseOps;
use gdbstub::target::ext::breakpoints::{Breakpoints, BreakpointsOps, SwBreakpoint, SwBreakpointOps};
use gdbstub::target::{Target, TargetError, TargetResult};
use gdbstub_arch::mips::reg::MipsCoreRegs;
use gdbstub_arch::mips::{Mips, MipsBreakpointKind};
use std::collections::BTreeSet;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Instructions a breakpoint-free `continue` runs between looks at gdb's
/// connection (for its Ctrl-C).
const CHUNK: u64 = 1 << 20;
/// One-instruction steps a `continue` with breakpoints takes between looks.
const STEPS: u32 = 4096;
/// FIR as a 24Kf reports it: single, double, word and long formats.
const FIR: u32 = 0x0033_0000;
/// CP0 Status with the FPU usable (CU1).
const STATUS: u32 = 0x2000_0000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Stopped,
    Step,
    Continue,
}

type StopReason = SingleThreadStopReason<u32>;

/// The VM under gdb.
pub struct DebugTarget {
    vm: Vm,
    console: &'static Console,
    stop: Arc<AtomicBool>,
    input: Stdin,
    breakpoints: BTreeSet<u32>,
    mode: Mode,
    /// The first instruction after a resume runs even at a breakpoint (the
    /// one it stopped at).
    leaving: bool,
    /// How the VM ended, once it has.
    ended: Option<Outcome>,
    /// The program runs without delay slots, which gdb does not know of
    /// (see [`DebugTarget::shown_at`]).
    no_delay_slots: bool,
    /// gdb takes every MIPS branch or jump to have a delay slot, so it
    /// moves a breakpoint meant for the instruction after one (a return
    /// point, where `next` and `finish` stop; a label after a `b`) onto
    /// the branch itself. In a program without delay slots that
    /// instruction is reached without passing the branch — by a return or
    /// a jump — so there the VM stops as gdb expects to: shown as standing
    /// at the branch, which gdb thinks done with the next step. `Some(b)`
    /// while so shown; the VM really stands at `b + 4`.
    shown_at: Option<u32>,
    /// Where the last instruction run stood (to tell arriving at a return
    /// point by falling through from the branch before it).
    last_pc: Option<u32>,
    /// The next step only ends the [`Self::shown_at`] presentation.
    step_in_place: bool,
    /// A VM that faulted first stops with the fault's signal (its state
    /// at the faulting instruction, to inspect, as a process in gdb does);
    /// this is what gdb hears when it resumes it.
    dying: Option<StopReason>,
}

impl DebugTarget {
    /// A target for `vm`, stopped before its next instruction.
    pub fn new(vm: Vm, console: &'static Console, stop: Arc<AtomicBool>) -> DebugTarget {
        let no_delay_slots = !vm.machine.program.delay_slots;
        DebugTarget {
            no_delay_slots,
            vm,
            console,
            stop,
            input: Stdin::new(),
            breakpoints: BTreeSet::new(),
            mode: Mode::Stopped,
            leaving: false,
            ended: None,
            dying: None,
            shown_at: None,
            last_pc: None,
            step_in_place: false,
        }
    }

    /// The VM, and how it ended if it has.
    pub fn into_parts(self) -> (Vm, Option<Outcome>) {
        (self.vm, self.ended)
    }

    /// Runs at most `n` instructions as a turn of that size (syscalls,
    /// output and input as always); the stop reason if the VM ended.
    fn run(&mut self, n: u64) -> Option<StopReason> {
        let slice = self.vm.config.slice;
        self.vm.config.slice = n;
        let turn = self.vm.run_turn(self.console);
        self.vm.config.slice = slice;
        let turn = match turn {
            Turn::Blocked(request) => self.vm.complete_input(request, &mut self.input, self.console)?,
            turn => turn,
        };
        match turn {
            Turn::Yield => None,
            Turn::Blocked(_) => None,
            Turn::Sleep(duration) => {
                std::thread::sleep(duration);
                None
            }
            Turn::Migrate(target) => {
                eprintln!(
                    "warning: vm{}: MIGRATE {target} is not available under gdb; it goes on here",
                    self.vm.id
                );
                None
            }
            Turn::Finished(outcome) => {
                let reason = match &outcome {
                    Outcome::Halted => StopReason::Exited(0),
                    Outcome::Exited(code) => StopReason::Exited(*code as u8),
                    Outcome::Killed { signal, .. } => self.dying_of(*signal),
                    _ => self.dying_of(self.vm.fault_signal.unwrap_or(11)),
                };
                self.ended = Some(outcome);
                Some(reason)
            }
        }
    }

    /// True at `pc` when gdb's breakpoint on the branch before it stands for
    /// `pc` and the VM arrived other than through that branch.
    fn at_return_point(&self, pc: u32) -> bool {
        let branch = pc.wrapping_sub(4);
        self.no_delay_slots
            && self.breakpoints.contains(&branch)
            && self.last_pc != Some(branch)
            && self.vm.machine.mem.load32(branch).is_ok_and(|w| decode(w).op.flags().transfers())
    }

    /// gdb single-steps by breakpoints at the next instruction(s) it
    /// computes, and past a branch that is not taken it computes `b + 8`
    /// (skipping a delay slot). True when the VM, resumed at the branch `b`
    /// (at `branch_pc`) of a program without delay slots, fell through to
    /// `b + 4` where gdb set no breakpoint but did at `b + 8`: the step
    /// gdb asked for ends here.
    fn fell_through_for_gdb(&self, branch_pc: u32) -> bool {
        let next = branch_pc.wrapping_add(4);
        self.no_delay_slots
            && self.vm.machine.cpu.pc == next
            && !self.breakpoints.contains(&next)
            && self.breakpoints.contains(&next.wrapping_add(4))
            && self.vm.machine.mem.load32(branch_pc).is_ok_and(|w| decode(w).op.flags().transfers())
    }

    /// The stop for a VM killed by `signal`: the signal now, its end at
    /// the next resume.
    fn dying_of(&mut self, signal: u32) -> StopReason {
        let signal = Signal(signal.min(127) as u8);
        self.dying = Some(StopReason::Terminated(signal));
        StopReason::Signal(signal)
    }

    /// Runs until something gdb must hear of, or a look at its connection
    /// is due (`None`).
    fn advance(&mut self) -> Option<StopReason> {
        if self.mode != Mode::Stopped && self.dying.is_some() {
            self.mode = Mode::Stopped;
            return self.dying.take();
        }
        match self.mode {
            Mode::Stopped => None,
            Mode::Step => {
                self.mode = Mode::Stopped;
                if std::mem::take(&mut self.step_in_place) {
                    return Some(StopReason::DoneStep);
                }
                self.last_pc = Some(self.vm.machine.cpu.pc);
                Some(self.run(1).unwrap_or(StopReason::DoneStep))
            }
            Mode::Continue if self.breakpoints.is_empty() => {
                self.leaving = false;
                let reason = self.run(CHUNK);
                if reason.is_some() {
                    self.mode = Mode::Stopped;
                }
                reason
            }
            Mode::Continue => {
                for _ in 0..STEPS {
                    let pc = self.vm.machine.cpu.pc;
                    if !self.leaving && self.breakpoints.contains(&pc) {
                        self.mode = Mode::Stopped;
                        return Some(StopReason::SwBreak(()));
                    }
                    if !self.leaving && self.at_return_point(pc) {
                        self.mode = Mode::Stopped;
                        self.shown_at = Some(pc - 4);
                        return Some(StopReason::SwBreak(()));
                    }
                    let first = std::mem::take(&mut self.leaving);
                    self.last_pc = Some(pc);
                    if let Some(reason) = self.run(1) {
                        self.mode = Mode::Stopped;
                        return Some(reason);
                    }
                    if first && self.fell_through_for_gdb(pc) {
                        self.mode = Mode::Stopped;
                        return Some(StopReason::DoneStep);
                    }
                }
                None
            }
        }
    }
}

impl Target for DebugTarget {
    type Arch = Mips;
    type Error = &'static str;

    #[inline(always)]
    fn base_ops(&mut self) -> BaseOps<'_, Self::Arch, Self::Error> {
        BaseOps::SingleThread(self)
    }

    #[inline(always)]
    fn support_breakpoints(&mut self) -> Option<BreakpointsOps<'_, Self>> {
        Some(self)
    }
}

impl SingleThreadBase for DebugTarget {
    fn read_registers(&mut self, regs: &mut MipsCoreRegs<u32>) -> TargetResult<(), Self> {
        let cpu = &self.vm.machine.cpu;
        regs.r = cpu.regs;
        regs.lo = cpu.lo;
        regs.hi = cpu.hi;
        regs.pc = self.shown_at.unwrap_or(cpu.pc);
        regs.cp0.status = STATUS;
        regs.fpu.r = cpu.fpr;
        regs.fpu.fcsr = cpu.fcsr;
        regs.fpu.fir = FIR;
        Ok(())
    }

    fn write_registers(&mut self, regs: &MipsCoreRegs<u32>) -> TargetResult<(), Self> {
        let cpu = &mut self.vm.machine.cpu;
        cpu.regs[1..].copy_from_slice(&regs.r[1..]);
        cpu.lo = regs.lo;
        cpu.hi = regs.hi;
        if self.shown_at.unwrap_or(cpu.pc) != regs.pc {
            self.shown_at = None;
            // A new pc leaves any pending delay slot behind.
            cpu.pc = regs.pc;
            cpu.delay_pending = 0;
        }
        if cpu.fpr != regs.fpu.r {
            cpu.fpr = regs.fpu.r;
            cpu.fpu_used = 1;
        }
        cpu.fcsr = regs.fpu.fcsr;
        Ok(())
    }

    fn read_addrs(&mut self, start: u32, data: &mut [u8]) -> TargetResult<usize, Self> {
        // gdb reads the two words before a pc to look for a delay slot;
        // below the text's first page an ELF's headers would answer, so
        // the page below the text reads as zeros (`nop`s) here.
        let text_base = self.vm.machine.program.text_base;
        let below_text = text_base.saturating_sub(crate::layout::PAGE_SIZE)..text_base;
        for (i, byte) in data.iter_mut().enumerate() {
            let addr = start.wrapping_add(i as u32);
            match self.vm.machine.mem.load8(addr) {
                Ok(b) => *byte = b,
                Err(_) if below_text.contains(&addr) => *byte = 0,
                Err(_) => return Ok(i),
            }
        }
        Ok(data.len())
    }

    fn write_addrs(&mut self, start: u32, data: &[u8]) -> TargetResult<(), Self> {
        for (i, &byte) in data.iter().enumerate() {
            self.vm
                .machine
                .mem
                .store8(start.wrapping_add(i as u32), byte)
                .map_err(|_| TargetError::NonFatal)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn support_resume(&mut self) -> Option<SingleThreadResumeOps<'_, Self>> {
        Some(self)
    }
}

impl SingleThreadResume for DebugTarget {
    /// A signal to deliver is passed on only in the sense a VM can take
    /// it: the fault it stopped with ends it (as the kernel's default
    /// action would); a VM has no handlers, so other signals are dropped.
    fn resume(&mut self, _signal: Option<Signal>) -> Result<(), Self::Error> {
        if self.shown_at.take().is_some() {
            // gdb has a breakpoint where the VM is shown, so this resume
            // steps over it: over the branch, which is behind the VM.
            self.step_in_place = true;
            self.mode = Mode::Step;
            return Ok(());
        }
        self.last_pc = None;
        self.mode = Mode::Continue;
        self.leaving = true;
        Ok(())
    }

    #[inline(always)]
    fn support_single_step(&mut self) -> Option<SingleThreadSingleStepOps<'_, Self>> {
        Some(self)
    }
}

impl SingleThreadSingleStep for DebugTarget {
    fn step(&mut self, _signal: Option<Signal>) -> Result<(), Self::Error> {
        self.step_in_place = self.shown_at.take().is_some();
        self.mode = Mode::Step;
        Ok(())
    }
}

impl Breakpoints for DebugTarget {
    #[inline(always)]
    fn support_sw_breakpoint(&mut self) -> Option<SwBreakpointOps<'_, Self>> {
        Some(self)
    }
}

impl SwBreakpoint for DebugTarget {
    fn add_sw_breakpoint(&mut self, addr: u32, _kind: MipsBreakpointKind) -> TargetResult<bool, Self> {
        self.breakpoints.insert(addr);
        Ok(true)
    }

    fn remove_sw_breakpoint(&mut self, addr: u32, _kind: MipsBreakpointKind) -> TargetResult<bool, Self> {
        Ok(self.breakpoints.remove(&addr))
    }
}

/// Runs the VM between gdb's packets.
pub enum EventLoop {}

impl BlockingEventLoop for EventLoop {
    type Target = DebugTarget;
    type Connection = TcpStream;
    type StopReason = StopReason;

    fn wait_for_stop_reason(
        target: &mut DebugTarget,
        conn: &mut TcpStream,
    ) -> Result<
        run_blocking::Event<StopReason>,
        WaitForStopReasonError<&'static str, <TcpStream as Connection>::Error>,
    > {
        loop {
            if conn.peek().map(|b| b.is_some()).unwrap_or(true) {
                let byte = conn.read().map_err(WaitForStopReasonError::Connection)?;
                return Ok(run_blocking::Event::IncomingData(byte));
            }
            if target.stop.load(Ordering::Acquire) {
                // myvmm is stopping (Ctrl-C): the VM stops where it stands.
                let outcome = target.vm.stopped(target.console, false);
                target.ended = Some(outcome);
                return Ok(run_blocking::Event::TargetStopped(StopReason::Terminated(Signal::SIGINT)));
            }
            if let Some(reason) = target.advance() {
                return Ok(run_blocking::Event::TargetStopped(reason));
            }
            if target.mode == Mode::Stopped {
                // Nothing to run: wait for gdb without spinning.
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    fn on_interrupt(target: &mut DebugTarget) -> Result<Option<StopReason>, &'static str> {
        target.mode = Mode::Stopped;
        Ok(Some(StopReason::Signal(Signal::SIGINT)))
    }
}
