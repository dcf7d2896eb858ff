//! Translation of one guest block to x86-64 (see the module docs of
//! [`super`] for the register plan and the exit protocol).

// dynasm!'s dynamic registers (`Rd(n)`) expand to `n.into()`.
#![allow(clippy::useless_conversion)]

mod alu;
mod extent;
mod flow;
mod fpu;
mod memory;
mod select;

use flow::{Cond, Flow, SlotTarget};
use memory::{access_width, loop_alignment, plan_checks, Check};

use super::{exec_one, exit_code, Context, Frame, MAX_BLOCK};
use crate::isa::{Flags, Inst, Op};
use crate::vm::{Cpu, Machine};
use dynasmrt::{dynasm, AssemblyOffset, DynamicLabel, DynasmApi, DynasmLabelApi};

/// The assembler generated code is written with: into a vector, for the
/// address it will run at in the code buffer (see [`super::code`]).
pub type Ops = dynasmrt::VecAssembler<dynasmrt::x64::X64Relocation>;
pub use extent::block_len;
use extent::{extent, loops_to_start};
pub use fpu::{fp_fields, mxcsr_for, rare_fp_mode, settle_fp, FpRecord};
use std::mem::offset_of;

/// Where the CPU is in the run's frame: `r15` points there, and the
/// context's fields are at `r15 + CTX_*` (negative).
const CPU_IN_FRAME: i32 = offset_of!(Frame, cpu) as i32;
const _: () = assert!(offset_of!(Frame, ctx) == 0);
const fn ctx_field(offset: usize) -> i32 {
    offset as i32 - CPU_IN_FRAME
}
const CTX_BASE: i32 = ctx_field(offset_of!(Context, mem_base));
const CTX_BUDGET: i32 = ctx_field(offset_of!(Context, budget));
const CTX_TABLE: i32 = ctx_field(offset_of!(Context, table));
const CTX_RSP: i32 = ctx_field(offset_of!(Context, block_rsp));
const CTX_RETURN_LIMIT: i32 = ctx_field(offset_of!(Context, return_limit));
const CTX_MXCSR_IN: i32 = ctx_field(offset_of!(Context, mxcsr_in));
/// The FP record (see [`fpu`]).
const CTX_RECORD: i32 = ctx_field(offset_of!(Context, fp_record));
/// The entry stub's frame below the saved registers: the host's MXCSR, and
/// room for 16-byte aligned calls (six pushes and the return address make 56).
const FRAME: i32 = 24;
const PC: i32 = offset_of!(Cpu, pc) as i32;
const HI: i32 = offset_of!(Cpu, hi) as i32;
const LO: i32 = offset_of!(Cpu, lo) as i32;
// HI:LO moves as one 64-bit word with its halves swapped (see `store_pinned`).
const _: () = assert!(LO == HI + 4);
const DELAY_PENDING: i32 = offset_of!(Cpu, delay_pending) as i32;
const DELAY_TARGET: i32 = offset_of!(Cpu, delay_target) as i32;
const USER_LOCAL: i32 = offset_of!(Cpu, user_local) as i32;
/// Host stack the return entries of calls may take (16 bytes each).
const RETURN_STACK_BYTES: i32 = 16 << 10;

const EAX: u8 = 0;
const ECX: u8 = 1;
const EDX: u8 = 2;

fn reg_offset(g: u8) -> i32 {
    4 * g as i32
}

/// Which guest registers live in host registers for a whole run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pins {
    /// Guest GPR → host GPR.
    pub gpr: [Option<u8>; 32],
    /// The host GPR holding HI:LO as one 64-bit value (`hi << 32 | lo`).
    pub hilo: Option<u8>,
    /// FP register pair `$f2n`/`$f2n+1` → the xmm register holding it in
    /// its low 64 bits, as the pair's double (`$f2n` the low word).
    pub fpr: [Option<u8>; 16],
}

/// Host register `host` = guest register `g`, from its pinned register or
/// the `Cpu` (`$zero` cleared; `xor` sets the flags).
fn load_guest(ops: &mut Ops, pins: &Pins, host: u8, g: u8) {
    if g == 0 {
        dynasm!(ops ; .arch x64 ; xor Rd(host), Rd(host));
    } else if let Some(h) = pins.gpr[g as usize] {
        if h != host {
            dynasm!(ops ; .arch x64 ; mov Rd(host), Rd(h));
        }
    } else {
        dynasm!(ops ; .arch x64 ; mov Rd(host), DWORD [r15 + reg_offset(g)]);
    }
}

/// Stores HI:LO from host register `h` (`hi << 32 | lo`) to the `Cpu`,
/// which keeps HI just before LO: one store of the halves swapped. Leaves
/// `h` swapped and changes the flags.
fn store_hilo_swapped(ops: &mut Ops, h: u8) {
    dynasm!(ops ; .arch x64 ; ror Rq(h), 32 ; mov QWORD [r15 + HI], Rq(h));
}

/// Writes every pinned register back to the `Cpu`.
fn store_pinned(ops: &mut Ops, pins: &Pins) {
    for (g, host) in pins.gpr.iter().enumerate() {
        if let Some(h) = *host {
            dynasm!(ops ; .arch x64 ; mov DWORD [r15 + reg_offset(g as u8)], Rd(h));
        }
    }
    if let Some(h) = pins.hilo {
        // Swapped back: the register stays live (the flags are not here).
        store_hilo_swapped(ops, h);
        dynasm!(ops ; .arch x64 ; ror Rq(h), 32);
    }
    for (pair, xmm) in pins.fpr.iter().enumerate() {
        if let Some(x) = *xmm {
            dynasm!(ops ; .arch x64 ; movsd QWORD [r15 + fpu::pair_offset(pair as u8)], Rx(x));
        }
    }
}

/// Reads every pinned register from the `Cpu`.
fn load_pinned(ops: &mut Ops, pins: &Pins) {
    for (g, host) in pins.gpr.iter().enumerate() {
        if let Some(h) = *host {
            dynasm!(ops ; .arch x64 ; mov Rd(h), DWORD [r15 + reg_offset(g as u8)]);
        }
    }
    if let Some(h) = pins.hilo {
        dynasm!(ops ; .arch x64 ; mov Rq(h), QWORD [r15 + HI] ; ror Rq(h), 32);
    }
    for (pair, xmm) in pins.fpr.iter().enumerate() {
        if let Some(x) = *xmm {
            dynasm!(ops ; .arch x64 ; movsd Rx(x), QWORD [r15 + fpu::pair_offset(pair as u8)]);
        }
    }
}

/// The stubs every code buffer starts with.
pub struct Stubs {
    /// `extern "sysv64" fn(*mut Context, *const u8) -> u32`: runs generated
    /// code from the given block until it exits.
    pub enter: AssemblyOffset,
    /// Where a host fault in generated code resumes (see [`super::host_fault`]).
    pub recover: AssemblyOffset,
}

/// Emits the shared exit stub (at `exit`), the host-fault recovery stub and
/// the entry stub.
pub fn emit_stubs(ops: &mut Ops, exit: DynamicLabel, pins: &Pins) -> Stubs {
    let recover = ops.offset();
    dynasm!(ops
        ; .arch x64
        ; mov eax, exit_code::HOST_FAULT as i32
        ; jmp =>exit
    );
    // Calls may have left return entries on the stack: the context knows
    // the blocks' level.
    dynasm!(ops ; .arch x64 ; =>exit ; mov rsp, [r15 + CTX_RSP]);
    store_pinned(ops, pins);
    dynasm!(ops
        ; .arch x64
        // MXCSR's flags for `settle_fp` (the record's first field), and the
        // host's MXCSR back as it was on entry (eax holds the exit code).
        ; stmxcsr [r15 + CTX_RECORD]
        ; ldmxcsr [rsp]
        ; mov [r15 + CTX_BUDGET], r12
        ; add rsp, FRAME
        ; pop r15
        ; pop r14
        ; pop r13
        ; pop r12
        ; pop rbp
        ; pop rbx
        ; ret
    );
    let enter = ops.offset();
    dynasm!(ops
        ; .arch x64
        ; push rbx
        ; push rbp
        ; push r12
        ; push r13
        ; push r14
        ; push r15
        ; sub rsp, FRAME
        ; lea r15, [rdi + CPU_IN_FRAME]
        // The host's MXCSR kept for the way out; the guest's rounding mode
        // and clear flags.
        ; stmxcsr [rsp]
        ; ldmxcsr [r15 + CTX_MXCSR_IN]
        ; mov [r15 + CTX_RSP], rsp
        ; lea rax, [rsp - RETURN_STACK_BYTES]
        ; mov [r15 + CTX_RETURN_LIMIT], rax
        ; mov r14, [r15 + CTX_BASE]
        ; mov r12, [r15 + CTX_BUDGET]
        ; mov rax, rsi
    );
    load_pinned(ops, pins);
    dynasm!(ops ; .arch x64 ; jmp rax);
    Stubs { enter, recover }
}

/// Emits, at the start of a batch, the label `exit` its blocks leave
/// through: a jump to the shared exit stub at `exit_addr`.
pub fn emit_exit_hop(ops: &mut Ops, exit: DynamicLabel, exit_addr: usize) {
    dynasm!(ops ; .arch x64 ; =>exit ; jmp extern exit_addr);
}

/// A translated block.
pub struct Compiled {
    /// Where it starts.
    pub entry: AssemblyOffset,
    /// Guest instructions in it.
    pub len: u32,
    /// Chain slots (offset just past the `jmp rel32`) and the text index each wants.
    pub slots: Vec<(AssemblyOffset, u32)>,
    /// Guest accesses: the host instruction's offset and its fall-back's,
    /// in code order (see [`super::host_fault`]).
    pub accesses: Vec<(u32, u32)>,
}

struct Translator<'a> {
    ops: &'a mut Ops,
    exit: DynamicLabel,
    pins: Pins,
    /// While an FP instruction is translated with its registers in memory
    /// (see `Translator::fp`): pinned FP registers are not used.
    fp_in_memory: bool,
    text_base: u32,
    text_len: u32,
    len: u32,
    /// The block's instructions and the text index of the first.
    code: &'a [Inst],
    start: u32,
    /// Branches have delay slots (the VM's `delay_mode`).
    delay: bool,
    /// While a delay slot is translated: where its branch goes.
    in_slot: Option<SlotTarget>,
    /// Which instructions store an FP record before they run.
    fp_record: Vec<bool>,
    /// Out-of-line exits to the interpreter: label, budget refund, pc, and
    /// the pending branch when the pc is a delay slot.
    fallbacks: Vec<(DynamicLabel, u32, u32, Option<SlotTarget>)>,
    /// Out-of-line exit stubs of chain slots: label, next pc.
    stubs: Vec<(DynamicLabel, u32)>,
    /// Out-of-line halts (jumps just past the last instruction): label, pc.
    halts: Vec<(DynamicLabel, u32)>,
    slots: Vec<(AssemblyOffset, u32)>,
    /// How each instruction of the block checks its memory access.
    checks: Vec<Check>,
    /// Per guest register, the alignment checked on loop entry (see
    /// [`memory::loop_alignment`]; all 0 when the block is not a loop).
    aligned: [u8; 32],
    /// Where a branch back to the block's start goes when the block checks
    /// alignments on entry: past those checks.
    head: Option<DynamicLabel>,
    /// Where the code since runs on every path: past the last select's
    /// arm, which runs only on some, and whose computations are not what
    /// they seem to what follows (an `andi` there bounds nothing, an `slt`
    /// there leaves no flags).
    straight: u32,
    /// FP slow paths: label, where to continue, text index.
    fp_slows: Vec<(DynamicLabel, DynamicLabel, u32)>,
    /// Guest accesses: where each host instruction that touches guest
    /// memory starts, and the fall-back the fault handler resumes at.
    accesses: Vec<(AssemblyOffset, DynamicLabel)>,
    /// Taken sides of branches inside a superblock (see [`extent`]),
    /// emitted after its last path: label, branch, target.
    side_exits: Vec<(DynamicLabel, u32, u32, bool)>,
    /// The branch being translated ran its delay slot first (see
    /// [`Translator::hoist_slot`]).
    hoisted: bool,
}

/// True when the translation of `i` never leaves its block before the
/// block's end (no fall-back to the interpreter, no helper that may fail,
/// no guest access the host may fault on): the FP region's accounting
/// needs to know where the guest may look at FCSR.
fn fallback_free(i: &Inst) -> bool {
    use Op::*;
    match i.op {
        Sll | Srl | Rotr | Sra | Sllv | Srlv | Rotrv | Srav | Movz | Movn | Mfhi | Mthi | Mflo | Mtlo
        | Mult | Multu | Addu | Subu | And | Or | Xor | Nor | Slt | Sltu | Addiu | Slti | Sltiu | Andi
        | Ori | Xori | Lui | Madd | Maddu | Mul | Msub | Msubu | Clz | Clo | Ext | Ins | Wsbh | Seb | Seh
        | Sync | Pref => true,
        op if access_width(op).is_some() => false,
        Cfc1 | Ctc1 => false,
        op => op.flags().contains(Flags::FPU) && !op.flags().contains(Flags::BRANCH),
    }
}

impl Translator<'_> {
    fn ld(&mut self, host: u8, g: u8) {
        load_guest(self.ops, &self.pins, host, g);
    }

    /// Sets the flags as `cmp rs, rt` would (`test` against `$zero`),
    /// straight from pinned registers where they are.
    fn compare_regs(&mut self, rs: u8, rt: u8) {
        let gpr = self.pins.gpr;
        let pinned = |g: u8| if g == 0 { None } else { gpr[g as usize] };
        match (pinned(rs), pinned(rt)) {
            (Some(a), _) if rt == 0 => dynasm!(self.ops ; .arch x64 ; test Rd(a), Rd(a)),
            (Some(a), Some(b)) => dynasm!(self.ops ; .arch x64 ; cmp Rd(a), Rd(b)),
            (Some(a), None) if rt != 0 => {
                dynasm!(self.ops ; .arch x64 ; cmp Rd(a), DWORD [r15 + reg_offset(rt)])
            }
            _ => {
                self.ld(EAX, rs);
                match pinned(rt) {
                    _ if rt == 0 => dynasm!(self.ops ; .arch x64 ; test eax, eax),
                    Some(b) => dynasm!(self.ops ; .arch x64 ; cmp eax, Rd(b)),
                    None => dynasm!(self.ops ; .arch x64 ; cmp eax, DWORD [r15 + reg_offset(rt)]),
                }
            }
        }
    }

    fn st(&mut self, g: u8, host: u8) {
        if g == 0 {
            return;
        }
        if let Some(h) = self.pins.gpr[g as usize] {
            dynasm!(self.ops ; .arch x64 ; mov Rd(h), Rd(host));
        } else {
            dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + reg_offset(g)], Rd(host));
        }
    }

    fn st_imm(&mut self, g: u8, value: u32) {
        if g == 0 {
            return;
        }
        if let Some(h) = self.pins.gpr[g as usize] {
            dynasm!(self.ops ; .arch x64 ; mov Rd(h), value as i32);
        } else {
            dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + reg_offset(g)], value as i32);
        }
    }

    /// A label that leaves the block for the interpreter at instruction `k`.
    fn fallback(&mut self, k: u32, pc: u32) -> DynamicLabel {
        let label = self.ops.new_dynamic_label();
        self.fallbacks.push((label, self.len - k, pc, self.in_slot));
        label
    }

    fn text_index(&self, pc: u32) -> Option<u32> {
        let offset = pc.wrapping_sub(self.text_base);
        (offset & 3 == 0 && offset / 4 <= self.text_len).then_some(offset / 4)
    }

    fn exit_with(&mut self, code: u32, next_pc: u32) {
        let exit = self.exit;
        dynasm!(self.ops
            ; .arch x64
            ; mov DWORD [r15 + PC], next_pc as i32
            ; mov eax, code as i32
            ; jmp =>exit
        );
    }

    /// HI:LO = the 64-bit product in `rax`.
    fn set_hilo_from_rax(&mut self) {
        match self.pins.hilo {
            Some(h) => dynasm!(self.ops ; .arch x64 ; mov Rq(h), rax),
            None => store_hilo_swapped(self.ops, EAX),
        }
    }

    /// `rax` = `rs` × `rt` as 64-bit values (sign- or zero-extended), each
    /// operand read straight from its register or the `Cpu`.
    fn ld_product(&mut self, i: &Inst, signed: bool) {
        for (host, g) in [(EAX, i.rs), (ECX, i.rt)] {
            match self.pinned(g) {
                _ if !signed || g == 0 => self.ld(host, g),
                Some(h) => dynasm!(self.ops ; .arch x64 ; movsxd Rq(host), Rd(h)),
                None => dynasm!(self.ops ; .arch x64 ; movsxd Rq(host), DWORD [r15 + reg_offset(g)]),
            }
        }
        dynasm!(self.ops ; .arch x64 ; imul rax, rcx);
    }

    /// `j`, `jal` or `bal` at `pc` (instruction `k`): a jump, or a call
    /// returning to `link`.
    fn direct_jump(&mut self, i: &Inst, pc: u32, link: u32, k: u32) {
        let calls = i.op != Op::J;
        if calls {
            self.st_imm(31, link);
        }
        let target = if i.op == Op::Bgezal { i.branch_target(pc) } else { i.jump_target(pc) };
        if self.delay {
            self.delay_slot(k, SlotTarget::Fixed(target));
        }
        if calls && self.text_index(link).is_some() {
            self.call(target, link, k, pc);
        } else {
            self.jump_to(target, k, pc);
        }
    }

    /// For `jr $ra`, target in `eax`: a return to where the innermost call
    /// left from takes the host's own `ret`, which its return predictor
    /// foresees (the entry's address was a valid target when pushed).
    fn return_entry(&mut self, i: &Inst) {
        if i.op == Op::Jr && i.rs == 31 {
            let no_entry = self.ops.new_dynamic_label();
            dynasm!(self.ops
                ; .arch x64
                ; cmp rsp, [r15 + CTX_RSP]
                ; je =>no_entry
                ; cmp eax, DWORD [rsp + 8]
                ; jne =>no_entry
                ; ret 8
                ; =>no_entry
            );
        }
    }

    /// Jumps to `bad` unless the jump target in `eax` is an instruction of
    /// the program or its end; leaves its offset in the text in `ecx`.
    fn check_jump_target(&mut self, bad: DynamicLabel) {
        let text_bytes = 4 * self.text_len;
        dynasm!(self.ops
            ; .arch x64
            ; mov ecx, eax
            ; sub ecx, self.text_base as i32
            ; cmp ecx, text_bytes as i32
            ; ja =>bad
            ; test cl, 3
            ; jnz =>bad
        );
    }

    /// Guest `g` = 1 when the flags of the comparison just made say less
    /// (`signed`) or below, else 0, through `edx`, which the caller
    /// cleared before comparing: `setcc` writes one byte, and a register
    /// not cleared first would make it wait for that register's last
    /// writer (sort ran 10 % slower so). The flags stay (a branch on `g`
    /// may test them: see [`Translator::compare_before`]).
    fn set_on(&mut self, g: u8, signed: bool) {
        if signed {
            dynasm!(self.ops ; .arch x64 ; setl dl);
        } else {
            dynasm!(self.ops ; .arch x64 ; setb dl);
        }
        self.st(g, EDX);
    }

    /// With delay slots, runs conditional branch `i`'s slot before the
    /// branch when that changes nothing the guest could see: the slot
    /// cannot leave translated code (so no fall-back needs to know where
    /// the branch goes), writes no register the branch reads, and always
    /// runs (not a branch-likely); the branch links nowhere and its target
    /// lies in the program. The branch is then a plain `jcc` to its target
    /// with no second copy of the slot: a loop's back edge is one taken
    /// `jcc` instead of a `jcc` not taken and a `jmp`. Sets `hoisted`.
    fn hoist_slot(&mut self, i: &Inst, k: u32, pc: u32) {
        self.hoisted = false;
        if !self.delay || k + 1 >= self.len {
            return;
        }
        let slot = self.code[k as usize + 1];
        let flags = i.op.flags();
        let target = i.branch_target(pc);
        let reads = i.reads();
        if flags.contains(Flags::LIKELY)
            || flags.contains(Flags::LINK)
            || !fallback_free(&slot)
            || slot.op.flags().contains(Flags::FPU)
            || slot.writes().regs().any(|r| reads.has(r))
            || self.text_index(target).is_none_or(|t| t >= self.text_len)
        {
            return;
        }
        let s = k + 1;
        self.inst(&slot, self.start + s, s);
        self.hoisted = true;
    }

    /// The host register of guest register `g` when it is pinned (never
    /// for `$zero`, which reads as a cleared register).
    fn pinned(&self, g: u8) -> Option<u8> {
        self.pins.gpr[g as usize].filter(|_| g != 0)
    }

    /// Calls the interpreter's semantics for an instruction not translated here.
    fn helper(&mut self, index: u32, k: u32, pc: u32) {
        let f = self.fallback(k, pc);
        store_pinned(self.ops, &self.pins);
        dynasm!(self.ops
            ; .arch x64
            ; lea rdi, [r15 - CPU_IN_FRAME]
            ; mov esi, index as i32
            ; mov rax, QWORD exec_one as *const () as i64
            ; call rax
        );
        load_pinned(self.ops, &self.pins);
        dynasm!(self.ops ; .arch x64 ; test eax, eax ; jnz =>f);
    }

    /// Translates instruction `k` of the block (text index `index`); returns
    /// false when it ended the block.
    fn inst(&mut self, i: &Inst, index: u32, k: u32) -> bool {
        let pc = self.text_base.wrapping_add(4 * index);
        let next = pc.wrapping_add(4);
        // With delay slots a link points past the slot.
        let link = if self.delay { pc.wrapping_add(8) } else { next };
        if self.delay && i.op.flags().transfers() && k + 1 >= self.len {
            // No slot in the block (it cannot run in one, or the text ends):
            // the interpreter runs the branch and reports what follows.
            let f = self.fallback(k, pc);
            dynasm!(self.ops ; .arch x64 ; jmp =>f);
            return false;
        }
        macro_rules! alu {
            ($($body:tt)*) => {{
                self.ld(EAX, i.rs);
                self.ld(ECX, i.rt);
                dynasm!(self.ops ; .arch x64 ; $($body)*);
                self.st(i.rd, EAX);
            }};
        }
        macro_rules! alu_imm {
            ($($body:tt)*) => {{
                self.ld(EAX, i.rs);
                dynasm!(self.ops ; .arch x64 ; $($body)*);
                self.st(i.rt, EAX);
            }};
        }
        macro_rules! shift_imm {
            ($($body:tt)*) => {{
                self.ld(EAX, i.rt);
                if i.sa != 0 {
                    dynasm!(self.ops ; .arch x64 ; $($body)*);
                }
                self.st(i.rd, EAX);
            }};
        }
        macro_rules! shift_var {
            ($($body:tt)*) => {{
                self.ld(EAX, i.rt);
                self.ld(ECX, i.rs);
                dynasm!(self.ops ; .arch x64 ; $($body)*);
                self.st(i.rd, EAX);
            }};
        }
        let imm = i.imm as i32;
        let sa = i.sa as i8;
        if self.copy_or_constant(i) || self.two_address(i) {
            return true;
        }
        match i.op {
            crate::fpu_ops!() => {
                return self.fp(i, index, k, pc);
            }
            Op::Sll => shift_imm!(shl eax, sa),
            Op::Srl => shift_imm!(shr eax, sa),
            Op::Sra => shift_imm!(sar eax, sa),
            Op::Rotr => shift_imm!(ror eax, sa),
            Op::Sllv => shift_var!(shl eax, cl),
            Op::Srlv => shift_var!(shr eax, cl),
            Op::Srav => shift_var!(sar eax, cl),
            Op::Rotrv => shift_var!(ror eax, cl),
            Op::Addu => alu!(add eax, ecx),
            Op::Subu => alu!(sub eax, ecx),
            Op::And => alu!(and eax, ecx),
            Op::Or => alu!(or eax, ecx),
            Op::Xor => alu!(xor eax, ecx),
            Op::Nor => alu!(or eax, ecx ; not eax),
            Op::Slt | Op::Sltu => {
                dynasm!(self.ops ; .arch x64 ; xor edx, edx);
                // Operands in memory are loaded first (see `Slti`).
                let held = |g: u8| g == 0 || self.pinned(g).is_some();
                if held(i.rs) && held(i.rt) {
                    self.compare_regs(i.rs, i.rt);
                } else {
                    // A pinned operand is compared where it is.
                    let a = self.pinned(i.rs).unwrap_or_else(|| {
                        self.ld(EAX, i.rs);
                        EAX
                    });
                    let b = self.pinned(i.rt).unwrap_or_else(|| {
                        self.ld(ECX, i.rt);
                        ECX
                    });
                    dynasm!(self.ops ; .arch x64 ; cmp Rd(a), Rd(b));
                }
                self.set_on(i.rd, i.op == Op::Slt);
            }
            Op::Mul => alu!(imul eax, ecx),
            Op::Add | Op::Sub => {
                let f = self.fallback(k, pc);
                self.ld(EAX, i.rs);
                self.ld(ECX, i.rt);
                if i.op == Op::Add {
                    dynasm!(self.ops ; .arch x64 ; add eax, ecx ; jo =>f);
                } else {
                    dynasm!(self.ops ; .arch x64 ; sub eax, ecx ; jo =>f);
                }
                self.st(i.rd, EAX);
            }
            Op::Movz | Op::Movn => {
                self.ld(EAX, i.rd);
                self.ld(EDX, i.rs);
                self.ld(ECX, i.rt);
                if i.op == Op::Movz {
                    dynasm!(self.ops ; .arch x64 ; test ecx, ecx ; cmovz eax, edx);
                } else {
                    dynasm!(self.ops ; .arch x64 ; test ecx, ecx ; cmovnz eax, edx);
                }
                self.st(i.rd, EAX);
            }
            Op::Addiu => alu_imm!(add eax, imm),
            Op::Addi => {
                let f = self.fallback(k, pc);
                self.ld(EAX, i.rs);
                dynasm!(self.ops ; .arch x64 ; add eax, imm ; jo =>f);
                self.st(i.rt, EAX);
            }
            Op::Slti | Op::Sltiu => {
                dynasm!(self.ops ; .arch x64 ; xor edx, edx);
                // A value in memory is loaded first: `cmp` on a memory
                // operand just stored measured slower (sort 10 %).
                match self.pinned(i.rs) {
                    Some(h) => dynasm!(self.ops ; .arch x64 ; cmp Rd(h), imm),
                    None => {
                        self.ld(EAX, i.rs);
                        dynasm!(self.ops ; .arch x64 ; cmp eax, imm);
                    }
                }
                self.set_on(i.rt, i.op == Op::Slti);
            }
            Op::Andi => alu_imm!(and eax, imm),
            Op::Ori => alu_imm!(or eax, imm),
            Op::Xori => alu_imm!(xor eax, imm),
            Op::Lui => self.st_imm(i.rt, i.imm << 16),
            Op::Mfhi => {
                match self.pins.hilo {
                    Some(h) => dynasm!(self.ops ; .arch x64 ; mov rax, Rq(h) ; shr rax, 32),
                    None => dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + HI]),
                }
                self.st(i.rd, EAX);
            }
            Op::Mflo => {
                match self.pins.hilo {
                    Some(h) => dynasm!(self.ops ; .arch x64 ; mov eax, Rd(h)),
                    None => dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + LO]),
                }
                self.st(i.rd, EAX);
            }
            Op::Mthi => {
                self.ld(EAX, i.rs);
                match self.pins.hilo {
                    // LO kept (a 32-bit move clears the upper half).
                    Some(h) => dynasm!(self.ops ; .arch x64 ; shl rax, 32 ; mov Rd(h), Rd(h) ; or Rq(h), rax),
                    None => dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + HI], eax),
                }
            }
            Op::Mtlo => {
                self.ld(EAX, i.rs);
                match self.pins.hilo {
                    // HI kept; `eax` is zero-extended.
                    Some(h) => dynasm!(self.ops ; .arch x64 ; shr Rq(h), 32 ; shl Rq(h), 32 ; or Rq(h), rax),
                    None => dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + LO], eax),
                }
            }
            Op::Mult | Op::Multu => {
                self.ld_product(i, i.op == Op::Mult);
                self.set_hilo_from_rax();
            }
            Op::Madd | Op::Maddu | Op::Msub | Op::Msubu => {
                self.ld_product(i, matches!(i.op, Op::Madd | Op::Msub));
                let add = matches!(i.op, Op::Madd | Op::Maddu);
                match self.pins.hilo {
                    // The accumulator stays in its register: a multiply-add
                    // loop's chain is one `add`.
                    Some(h) if add => dynasm!(self.ops ; .arch x64 ; add Rq(h), rax),
                    Some(h) => dynasm!(self.ops ; .arch x64 ; sub Rq(h), rax),
                    // In memory: the low halves, then the high ones with the carry.
                    None => {
                        dynasm!(self.ops ; .arch x64 ; mov rdx, rax ; shr rdx, 32);
                        if add {
                            dynasm!(self.ops ; .arch x64 ; add DWORD [r15 + LO], eax ; adc DWORD [r15 + HI], edx);
                        } else {
                            dynasm!(self.ops ; .arch x64 ; sub DWORD [r15 + LO], eax ; sbb DWORD [r15 + HI], edx);
                        }
                    }
                }
            }
            Op::Div | Op::Divu => {
                // Division by zero and INT_MIN / -1 have fixed results: the interpreter's.
                let f = self.fallback(k, pc);
                self.ld(EAX, i.rs);
                self.ld(ECX, i.rt);
                dynasm!(self.ops ; .arch x64 ; test ecx, ecx ; jz =>f);
                if i.op == Op::Div {
                    let ok = self.ops.new_dynamic_label();
                    dynasm!(self.ops
                        ; .arch x64
                        ; cmp ecx, -1
                        ; jne =>ok
                        ; cmp eax, i32::MIN
                        ; je =>f
                        ; =>ok
                        ; cdq
                        ; idiv ecx
                    );
                } else {
                    dynasm!(self.ops ; .arch x64 ; xor edx, edx ; div ecx);
                }
                match self.pins.hilo {
                    // Remainder to HI, quotient to LO (32-bit results, zero-extended).
                    Some(h) => dynasm!(self.ops ; .arch x64 ; shl rdx, 32 ; mov Rd(h), eax ; or Rq(h), rdx),
                    None => {
                        dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + LO], eax ; mov DWORD [r15 + HI], edx)
                    }
                }
            }
            Op::Teq | Op::Tne | Op::Tge | Op::Tgeu | Op::Tlt | Op::Tltu => {
                // A trap that fires is the interpreter's to report.
                let f = self.fallback(k, pc);
                self.ld(EAX, i.rs);
                self.ld(ECX, i.rt);
                dynasm!(self.ops ; .arch x64 ; cmp eax, ecx);
                self.trap_jump(i.op, f);
            }
            Op::Teqi | Op::Tnei | Op::Tgei | Op::Tgeiu | Op::Tlti | Op::Tltiu => {
                let f = self.fallback(k, pc);
                self.ld(EAX, i.rs);
                dynasm!(self.ops ; .arch x64 ; cmp eax, imm);
                self.trap_jump(i.op, f);
            }
            Op::Clz | Op::Clo => {
                self.ld(EAX, i.rs);
                if i.op == Op::Clo {
                    dynasm!(self.ops ; .arch x64 ; not eax);
                }
                // bsr leaves its destination undefined for 0: pick 32 then.
                dynasm!(self.ops
                    ; .arch x64
                    ; mov ecx, 63
                    ; bsr edx, eax
                    ; cmovz edx, ecx
                    ; mov eax, 31
                    ; sub eax, edx
                    ; cmp edx, 63
                    ; mov edx, 32
                    ; cmove eax, edx
                );
                self.st(i.rd, EAX);
            }
            Op::Seb | Op::Seh | Op::Wsbh => {
                self.ld(EAX, i.rt);
                match i.op {
                    Op::Seb => dynasm!(self.ops ; .arch x64 ; movsx eax, al),
                    Op::Seh => dynasm!(self.ops ; .arch x64 ; movsx eax, ax),
                    _ => dynasm!(self.ops
                        ; .arch x64
                        ; mov ecx, eax
                        ; shl eax, 8
                        ; and eax, 0xff00_ff00_u32 as i32
                        ; shr ecx, 8
                        ; and ecx, 0x00ff_00ff
                        ; or eax, ecx
                    ),
                }
                self.st(i.rd, EAX);
            }
            Op::Ext => {
                // Straight into the destination when it is pinned.
                let size = i.rd as u32 + 1;
                let d = self.pinned(i.rt).unwrap_or(EAX);
                self.ld(d, i.rs);
                if i.sa != 0 {
                    dynasm!(self.ops ; .arch x64 ; shr Rd(d), sa);
                }
                if size < 32 - i.sa as u32 {
                    dynasm!(self.ops ; .arch x64 ; and Rd(d), ((1u32 << size) - 1) as i32);
                }
                if d == EAX {
                    self.st(i.rt, EAX);
                }
            }
            Op::Ins => {
                let size = i.rd as u32 - i.sa as u32 + 1;
                let field = if size >= 32 { u32::MAX } else { ((1u32 << size) - 1) << i.sa };
                self.ld(EAX, i.rs);
                self.ld(ECX, i.rt);
                if i.sa != 0 {
                    dynasm!(self.ops ; .arch x64 ; shl eax, sa);
                }
                dynasm!(self.ops
                    ; .arch x64
                    ; and eax, field as i32
                    ; and ecx, !field as i32
                    ; or eax, ecx
                );
                self.st(i.rt, EAX);
            }
            Op::Sync | Op::Pref => {}
            Op::Lw | Op::Ll | Op::Lh | Op::Lhu | Op::Lb | Op::Lbu => {
                let width = match i.op {
                    Op::Lw | Op::Ll => 4,
                    Op::Lh | Op::Lhu => 2,
                    _ => 1,
                };
                let (at, offset) = self.address(i, width, k, pc);
                // Straight into the destination when it is pinned.
                let dst = match self.pins.gpr[i.rt as usize] {
                    Some(h) if i.rt != 0 => h,
                    _ => EAX,
                };
                self.guest_access(k, pc);
                self.emit_load(i.op, dst, at, offset);
                if dst == EAX {
                    self.st(i.rt, EAX);
                }
            }
            Op::Sw | Op::Sh | Op::Sb | Op::Sc => {
                let width = match i.op {
                    Op::Sw | Op::Sc => 4,
                    Op::Sh => 2,
                    _ => 1,
                };
                let (at, offset) = self.address(i, width, k, pc);
                // Straight from the value's host register when it is pinned
                // (`$zero` is not: it comes from a cleared `edx`).
                let value = match self.pins.gpr[i.rt as usize] {
                    Some(h) if i.rt != 0 => h,
                    _ => {
                        self.ld(EDX, i.rt);
                        EDX
                    }
                };
                self.guest_access(k, pc);
                self.emit_store(i.op, at, offset, value);
                if i.op == Op::Sc {
                    // One guest thread: a store-conditional always succeeds.
                    self.st_imm(i.rt, 1);
                }
            }
            Op::Beq | Op::Beql if i.rs == i.rt => {
                // Always taken (`b`, which assemblers write `beq $0, $0`):
                // a jump, its slot run first.
                let target = i.branch_target(pc);
                if self.delay {
                    self.delay_slot(k, SlotTarget::Fixed(target));
                }
                self.jump_to(target, k, pc);
                return false;
            }
            Op::Beq | Op::Bne | Op::Beql | Op::Bnel => {
                let on_set = matches!(i.op, Op::Bne | Op::Bnel);
                self.hoist_slot(i, k, pc);
                if let Some(unsigned) = self.compare_before(k, i).filter(|_| !self.hoisted) {
                    // An `slt`/`sltu` before set the flags this branch tests
                    // (its result is stored, but need not be read back).
                    let taken = self.taken_label(i.branch_target(pc), k, pc);
                    let cond = match (on_set, unsigned) {
                        (true, false) => Cond::Less,
                        (true, true) => Cond::Below,
                        (false, false) => Cond::GreaterEqual,
                        (false, true) => Cond::AboveEqual,
                    };
                    self.branch_on(cond, &taken);
                    self.after_conditional(taken, i.op, next, k, pc);
                    return self.inner(k);
                }
                self.compare_regs(i.rs, i.rt);
                let taken = self.taken_label(i.branch_target(pc), k, pc);
                self.branch_on(if on_set { Cond::NotEqual } else { Cond::Equal }, &taken);
                self.after_conditional(taken, i.op, next, k, pc);
                return self.inner(k);
            }
            // `bal` (`bgezal $zero`, always taken) is GCC's call to a
            // function nearby: a call like `jal`, so that its return
            // takes the return entry.
            Op::Bgezal if is_bal(i) => {
                self.direct_jump(i, pc, link, k);
                return false;
            }
            Op::Blez
            | Op::Bgtz
            | Op::Bltz
            | Op::Bgez
            | Op::Blezl
            | Op::Bgtzl
            | Op::Bltzl
            | Op::Bgezl
            | Op::Bltzal
            | Op::Bgezal
            | Op::Bltzall
            | Op::Bgezall => {
                self.hoist_slot(i, k, pc);
                self.ld(EAX, i.rs);
                dynasm!(self.ops ; .arch x64 ; test eax, eax);
                let taken = self.taken_label(i.branch_target(pc), k, pc);
                let links = i.op.flags().contains(Flags::LINK);
                // A jump to the end of the text halts at once, linked.
                let halts = self.text_index(i.branch_target(pc)) == Some(self.text_len);
                let first = taken.links_first(self.delay) || halts;
                if links && first {
                    // Real MIPS32 links whether or not the branch is taken
                    // (`mov` leaves the flags of the test alone).
                    self.st_imm(31, link);
                }
                self.branch_on(Self::one_register_cond(i.op), &taken);
                if links && !first {
                    // A fall-back (or halt) re-runs or ends at the branch: link
                    // only on the path that stays, or the interpreter would
                    // re-read a rewritten `$ra` (`bltzal $ra, …`).
                    self.st_imm(31, link);
                }
                self.after_conditional(taken, i.op, next, k, pc);
                return self.inner(k);
            }
            Op::J | Op::Jal => {
                self.direct_jump(i, pc, link, k);
                return false;
            }
            Op::Jr | Op::Jalr => {
                // The target must be in the program (or its end). Without
                // delay slots it is checked before the jump, and a bad one
                // sends the interpreter to run the jump and report the
                // fault; with them, after the slot, where the fault is the
                // fetch's (the interpreter's order too), so that a return
                // is tested against its return entry first.
                let late = self.delay;
                let bad = self.ops.new_dynamic_label();
                // With a delay slot the target survives the slot in its
                // register, or else in the CPU state.
                let kept = self.delay && {
                    let slot_writes = self.code[k as usize + 1].writes().regs().any(|r| r == i.rs);
                    let linked = i.op == Op::Jalr && i.rd == i.rs;
                    !slot_writes && !linked
                };
                if !(late && kept) {
                    self.ld(EAX, i.rs);
                }
                if !late {
                    self.return_entry(i);
                    let f = self.fallback(k, pc);
                    self.check_jump_target(f);
                }
                if i.op == Op::Jalr {
                    self.st_imm(i.rd, link);
                }
                if self.delay {
                    if kept {
                        // The target survives the slot in its register.
                        self.delay_slot(k, SlotTarget::Reg(i.rs));
                        self.ld(EAX, i.rs);
                    } else {
                        // The target survives the slot in the CPU state.
                        dynasm!(self.ops ; .arch x64 ; mov DWORD [r15 + DELAY_TARGET], eax);
                        self.delay_slot(k, SlotTarget::Stored);
                        dynasm!(self.ops
                            ; .arch x64
                            ; mov eax, DWORD [r15 + DELAY_TARGET]
                            ; mov DWORD [r15 + DELAY_TARGET], 0
                        );
                    }
                    if late {
                        self.return_entry(i);
                        self.check_jump_target(bad);
                    } else {
                        dynasm!(self.ops ; .arch x64 ; mov ecx, eax ; sub ecx, self.text_base as i32);
                    }
                }
                if i.op == Op::Jalr && i.rd == 31 && self.text_index(link).is_some() {
                    // An indirect call (a function pointer): a return entry
                    // too, so its `jr $ra` returns with `ret` (`qsort`'s
                    // comparator). The target is in `eax`, its index in `ecx`.
                    let callee = self.ops.new_dynamic_label();
                    dynasm!(self.ops
                        ; .arch x64
                        ; cmp rsp, [r15 + CTX_RETURN_LIMIT]
                        ; jbe =>callee
                        ; push link as i32
                        ; call =>callee
                    );
                    self.goto_after_slot(link, Flow::Fall);
                    dynasm!(self.ops ; .arch x64 ; =>callee);
                }
                // Straight into the target block when it exists (a table of
                // entry addresses by text index), else back to the dispatcher.
                let exit = self.exit;
                let missing = self.ops.new_dynamic_label();
                // (Blocks know their own pc: only the way out stores it.)
                dynasm!(self.ops
                    ; .arch x64
                    ; shr ecx, 2
                    ; mov rdx, [r15 + CTX_TABLE]
                    ; mov rdx, [rdx + rcx * 8]
                    ; test rdx, rdx
                    ; jz =>missing
                    ; jmp rdx
                    ; =>missing
                    ; mov DWORD [r15 + PC], eax
                    // Just past the last instruction: a jump there halts at once.
                    ; cmp ecx, self.text_len as i32
                    ; mov eax, exit_code::NEXT as i32
                    ; mov edx, exit_code::HALT as i32
                    ; cmove eax, edx
                    ; jmp =>exit
                );
                if late {
                    // The jump and its slot have retired: the interpreter
                    // fetches at the bad target and reports the fault.
                    dynasm!(self.ops
                        ; .arch x64
                        ; =>bad
                        ; mov DWORD [r15 + PC], eax
                        ; mov eax, exit_code::INTERP as i32
                        ; jmp =>exit
                    );
                }
                return false;
            }
            Op::Syscall => {
                self.exit_with(exit_code::SYSCALL, next);
                return false;
            }
            Op::DumpState | Op::Snapshot | Op::Migrate => {
                self.exit_with(exit_code::PARA, next);
                return false;
            }
            Op::Break | Op::Invalid => {
                let f = self.fallback(k, pc);
                dynasm!(self.ops ; .arch x64 ; jmp =>f);
                return false;
            }
            // Partial-word accesses: the interpreter's semantics, called in place.
            // The thread pointer (glibc reads it for every `errno`), inline.
            Op::Rdhwr if i.rd == 29 => {
                dynasm!(self.ops ; .arch x64 ; mov eax, DWORD [r15 + USER_LOCAL]);
                self.st(i.rt, EAX);
            }
            Op::Lwl | Op::Lwr | Op::Swl | Op::Swr => self.unaligned(i, k, pc),
            Op::Rdhwr => self.helper(index, k, pc),
        }
        true
    }
}

/// `bal`: `bgezal $zero`, a branch-and-link always taken.
fn is_bal(i: &Inst) -> bool {
    i.op == Op::Bgezal && i.rs == 0
}

/// Translates the block starting at text index `start`: its code on the
/// path it runs, and its out-of-line exits and slow paths, which the caller
/// emits with [`Cold::emit`] after the batch's blocks, so that hot code lies
/// together (a block's exits are about twice its size: CoreMark's hot loops
/// spread over the instruction cache with them in between).
pub fn block(
    ops: &mut Ops,
    exit: DynamicLabel,
    pins: &Pins,
    m: &Machine,
    start: usize,
    checks_on_entry: bool,
) -> (Compiled, Cold) {
    let code = &m.code;
    let delay = m.cpu.delay_mode != 0;
    let len = extent(code, start, delay, m.text_base);
    let block = &code[start..start + len];
    let block_pc = m.text_base.wrapping_add(4 * start as u32);
    let checks = plan_checks(block);
    let fp_plan = fpu::plan(block);
    let mut t = Translator {
        ops,
        exit,
        pins: *pins,
        fp_in_memory: false,
        text_base: m.text_base,
        text_len: code.len() as u32,
        len: len as u32,
        code: block,
        start: start as u32,
        delay,
        in_slot: None,
        fp_record: fp_plan.record,
        // Sized for the block at once: grown from empty, these vectors
        // were a tenth of the time spent translating a large program.
        fallbacks: Vec::with_capacity(len),
        stubs: Vec::with_capacity(4),
        halts: Vec::new(),
        slots: Vec::with_capacity(4),
        checks,
        fp_slows: Vec::new(),
        accesses: Vec::with_capacity(len),
        side_exits: Vec::with_capacity(4),
        hoisted: false,
        straight: 0,
        aligned: if checks_on_entry && loops_to_start(block, block_pc) {
            loop_alignment(block)
        } else {
            [0; 32]
        },
        head: None,
    };
    let first_fp = block.iter().position(|i| i.op.flags().contains(Flags::FPU));
    let entry = t.ops.offset();
    let short = t.ops.new_dynamic_label();
    let mut entry_failed = None;
    if t.aligned.iter().any(|&a| a > 1) {
        // The loop's alignment checks, once per entry: should one fail,
        // the loop is translated again with its checks in the body (the
        // access faults when it comes, if it comes).
        let failed = t.ops.new_dynamic_label();
        for g in 1..32u8 {
            let mask = t.aligned[g as usize].wrapping_sub(1) as i8;
            match t.pinned(g) {
                _ if mask <= 0 => continue,
                Some(h) => dynasm!(t.ops ; .arch x64 ; test Rb(h), mask ; jnz =>failed),
                None => dynasm!(t.ops ; .arch x64 ; test BYTE [r15 + reg_offset(g)], mask ; jnz =>failed),
            }
        }
        let head = t.ops.new_dynamic_label();
        dynasm!(t.ops ; .arch x64 ; =>head);
        t.head = Some(head);
        entry_failed = Some(failed);
    }
    dynasm!(t.ops
        ; .arch x64
        ; sub r12, len as i32
        ; jl =>short
    );
    let mut open = true;
    let mut k = 0;
    while k < len {
        let inst = &code[start + k];
        // Straight-line pairs that translate as one host instruction (a
        // branch's delay slot is translated with the branch, never here).
        if k > t.straight as usize
            && k + 2 < len
            && t.indexed_load(
                &code[start + k - 1],
                inst,
                &code[start + k + 1],
                &code[start + k + 2],
                k as u32,
            )
        {
            k += 3;
            continue;
        }
        if k + 1 < len && t.scaled_add(inst, &code[start + k + 1]) {
            k += 2;
            continue;
        }
        if let Some(taken) = t.select(k as u32) {
            k += taken as usize;
            t.straight = k as u32;
            continue;
        }
        if t.fp_record[k] {
            t.fp_record(inst, (start + k) as u32);
        }
        let ends = inst.op.flags().ends_block();
        if ends && first_fp == Some(k) {
            t.fp_mark_used();
        }
        open = t.inst(inst, (start + k) as u32, k as u32);
        if first_fp == Some(k) && !ends {
            t.fp_mark_used();
        }
        if !open {
            // The block's end (with delay slots, its last instruction is
            // the slot, already translated with its branch).
            break;
        }
        if ends && delay {
            // A branch inside a superblock: its slot went with it.
            k += 1;
        }
        k += 1;
    }
    if open {
        // Ended by length or by the end of the text: continue with the next word.
        let next = block_pc.wrapping_add(4 * len as u32);
        t.goto(next, len as u32, next, Flow::Fall);
    }
    // The taken sides of the superblock's inner branches (after the path
    // that stays, which never falls into them).
    for (label, k, target, hoisted) in std::mem::take(&mut t.side_exits) {
        let pc = m.text_base.wrapping_add(4 * (start as u32 + k));
        dynasm!(t.ops ; .arch x64 ; =>label);
        if delay && !hoisted {
            t.delay_slot(k, SlotTarget::Fixed(target));
        }
        if !delay && t.text_index(target).is_none() {
            // Out of the program: the interpreter runs the branch again and
            // reports the jump (its fall-back refunds the branch too).
            let f = t.fallback(k, pc);
            dynasm!(t.ops ; .arch x64 ; jmp =>f);
            continue;
        }
        let ran = k + 1 + u32::from(delay);
        dynasm!(t.ops ; .arch x64 ; add r12, (len as u32 - ran) as i32);
        t.jump_to(target, k, pc);
    }
    let cold = Cold {
        exit: t.exit,
        pins: t.pins,
        short,
        entry_failed,
        len: len as u32,
        block_pc,
        fallbacks: std::mem::take(&mut t.fallbacks),
        halts: std::mem::take(&mut t.halts),
        stubs: std::mem::take(&mut t.stubs),
        fp_slows: std::mem::take(&mut t.fp_slows),
        accesses: std::mem::take(&mut t.accesses),
    };
    (Compiled { entry, len: len as u32, slots: t.slots, accesses: Vec::new() }, cold)
}

/// A block's out-of-line code: its exits (budget, fall-backs, halts,
/// unchained slots) and FP slow paths.
pub struct Cold {
    exit: DynamicLabel,
    pins: Pins,
    /// The budget exit.
    short: DynamicLabel,
    /// The exit for an alignment check on loop entry that failed.
    entry_failed: Option<DynamicLabel>,
    len: u32,
    block_pc: u32,
    fallbacks: Vec<(DynamicLabel, u32, u32, Option<SlotTarget>)>,
    halts: Vec<(DynamicLabel, u32)>,
    stubs: Vec<(DynamicLabel, u32)>,
    fp_slows: Vec<(DynamicLabel, DynamicLabel, u32)>,
    accesses: Vec<(AssemblyOffset, DynamicLabel)>,
}

impl Cold {
    /// Bytes [`Cold::emit`] emits at most (the batch keeps room for them).
    pub fn max_bytes(&self) -> usize {
        64 * (1 + self.fallbacks.len() + self.halts.len() + self.stubs.len()) + 512 * self.fp_slows.len()
    }

    /// About the bytes [`Cold::emit`] emits (for the batch's size).
    pub fn typical_bytes(&self) -> usize {
        32 * (1 + self.fallbacks.len() + self.halts.len() + self.stubs.len()) + 420 * self.fp_slows.len()
    }

    /// Emits the code and returns the block's guest accesses: the host
    /// instruction's offset and its fall-back's, in code order.
    pub fn emit(self, ops: &mut Ops) -> Vec<(u32, u32)> {
        let exit = self.exit;
        dynasm!(ops
            ; .arch x64
            ; =>self.short
            ; add r12, self.len as i32
            ; mov DWORD [r15 + PC], self.block_pc as i32
            ; mov eax, exit_code::BUDGET as i32
            ; jmp =>exit
        );
        if let Some(failed) = self.entry_failed {
            // Nothing charged yet.
            dynasm!(ops
                ; .arch x64
                ; =>failed
                ; mov DWORD [r15 + PC], self.block_pc as i32
                ; mov eax, exit_code::LOOP_CHECK as i32
                ; jmp =>exit
            );
        }
        fpu::emit_slow_paths(ops, &self.pins, &self.fp_slows);
        let mut stub_at: Vec<(DynamicLabel, AssemblyOffset)> = Vec::new();
        for &(label, refund, pc, slot) in &self.fallbacks {
            stub_at.push((label, ops.offset()));
            dynasm!(ops ; .arch x64 ; =>label);
            match slot {
                Some(SlotTarget::Fixed(target)) => dynasm!(ops
                    ; .arch x64
                    ; mov DWORD [r15 + DELAY_TARGET], target as i32
                    ; mov DWORD [r15 + DELAY_PENDING], 1
                ),
                Some(SlotTarget::Reg(g)) => {
                    load_guest(ops, &self.pins, EAX, g);
                    dynasm!(ops
                        ; .arch x64
                        ; mov DWORD [r15 + DELAY_TARGET], eax
                        ; mov DWORD [r15 + DELAY_PENDING], 1
                    );
                }
                Some(SlotTarget::Stored) => dynasm!(ops ; .arch x64 ; mov DWORD [r15 + DELAY_PENDING], 1),
                None => {}
            }
            dynasm!(ops
                ; .arch x64
                ; add r12, refund as i32
                ; mov DWORD [r15 + PC], pc as i32
                ; mov eax, exit_code::INTERP as i32
                ; jmp =>exit
            );
        }
        // Halts, and the exits of chain slots not chained yet.
        let ends = self.halts.iter().map(|&(l, t)| (l, t, exit_code::HALT));
        for (label, target, code) in ends.chain(self.stubs.iter().map(|&(l, t)| (l, t, exit_code::NEXT))) {
            dynasm!(ops
                ; .arch x64
                ; =>label
                ; mov DWORD [r15 + PC], target as i32
                ; mov eax, code as i32
                ; jmp =>exit
            );
        }
        self.accesses
            .iter()
            .filter_map(|&(at, label)| {
                let stub = stub_at.iter().find(|(l, _)| *l == label)?.1;
                Some((at.0 as u32, stub.0 as u32))
            })
            .collect()
    }
}
