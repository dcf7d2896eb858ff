//! Guest loads and stores in translated code: alignment tests (once per
//! group of accesses off one base register) and the accesses the fault
//! handler may resume at their fall-backs; page permissions are the host's
//! to check (guest memory is sealed).

// dynasm!'s dynamic registers (`Rd(n)`) expand to `n.into()`.
#![allow(clippy::useless_conversion)]

use super::{reg_offset, Translator, EAX, EDX};
use crate::isa::{Flags, Inst, Op};
use crate::vm::SPACE_GUARD;
use dynasmrt::{dynasm, DynamicLabel, DynasmApi, DynasmLabelApi};

/// How a load or store checks its alignment (see [`plan_checks`]); the
/// page's permission is the host's to check (guest memory is sealed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Check {
    /// On its own: its address's alignment.
    Own,
    /// First of a group off one base register: checks the base's alignment
    /// for the whole group.
    Group {
        /// The alignment every member needs of the base (its widest access).
        align: u32,
    },
    /// Covered by its group's first access.
    Covered,
}

/// Width of a load or store the translator emits itself.
pub(super) fn access_width(op: Op) -> Option<u32> {
    match op {
        Op::Lw | Op::Ll | Op::Sw | Op::Sc => Some(4),
        Op::Lh | Op::Lhu | Op::Sh => Some(2),
        Op::Lb | Op::Lbu | Op::Sb => Some(1),
        Op::Lwc1 | Op::Swc1 => Some(4),
        Op::Ldc1 | Op::Sdc1 => Some(8),
        _ => None,
    }
}

/// Groups loads and stores that use one base register, unchanged in
/// between, at offsets that are multiples of their widths: the first access
/// checks the base's alignment for all, which makes every member aligned;
/// the others go unchecked. When the check fails, the interpreter runs the
/// first access alone and translation resumes after it, so a fault is still
/// reported at exactly the instruction that causes it.
pub(super) fn plan_checks(code: &[Inst]) -> Vec<Check> {
    let mut checks = vec![Check::Own; code.len()];
    // Per group: its first member, how many it has, and the alignment they
    // need of the base; per instruction, its group (one pass, no vector
    // per group: a large program's blocks are planned by the ten thousand).
    let mut groups: Vec<(usize, u32, u32)> = Vec::with_capacity(code.len());
    let mut member = vec![usize::MAX; code.len()];
    let mut open: [Option<usize>; 32] = [None; 32];
    for (k, i) in code.iter().enumerate() {
        if let Some(width) = access_width(i.op) {
            let off = i.imm as i32;
            if i.rs != 0 && off % width as i32 == 0 {
                let g = *open[i.rs as usize].get_or_insert_with(|| {
                    groups.push((k, 0, 1));
                    groups.len() - 1
                });
                groups[g].1 += 1;
                groups[g].2 = groups[g].2.max(width);
                member[k] = g;
            }
        }
        // A group trusts its base register until something writes it: the
        // table's def roles say what does (`sc` writes the register it stores).
        let mut written = i.gprs_written();
        while written != 0 {
            open[written.trailing_zeros() as usize] = None;
            written &= written - 1;
        }
    }
    for (k, &g) in member.iter().enumerate() {
        let Some(&(first, count, align)) = groups.get(g) else { continue };
        if count > 1 {
            checks[k] = if k == first { Check::Group { align } } else { Check::Covered };
        }
    }
    checks
}

/// For a translation that loops back to its own start: the alignment a
/// check on loop entry can vouch for, per guest register, for every pass
/// (0: none). A register qualifies when every write to it in the loop keeps
/// it a multiple of that alignment — `addiu r, r, imm` with `imm` a
/// multiple, or `addu r, r, s` with `s` never written in the loop and
/// itself checked on entry (a matrix row's stride) — so that base pointers
/// stepping through arrays, and bases the loop never writes (a table's),
/// are tested once per entry instead of once per access per pass. The
/// alignment is the widest access at a multiple-of-width offset from it.
pub(super) fn loop_alignment(code: &[Inst]) -> [u8; 32] {
    let mut need = [0u32; 32];
    let mut written = 0u32;
    for (k, i) in code.iter().enumerate() {
        if let Some(width) = access_width(i.op) {
            if i.rs != 0 && (i.imm as i32) % width as i32 == 0 {
                need[i.rs as usize] = need[i.rs as usize].max(width);
            }
        }
        // A table lookup's table (see `Translator::indexed_load`), whose
        // load is based on the sum.
        if let (Some((r, x)), Some(load)) =
            (code.get(k + 1).and_then(|add| super::alu::scaled_pair(i, add)), code.get(k + 2))
        {
            let width =
                access_width(load.op).filter(|_| load.rs == r && load.op.flags().contains(Flags::LOAD));
            if let Some(width) = width.filter(|&w| (1 << i.sa) >= w && (load.imm as i32) % w as i32 == 0) {
                need[x as usize] = need[x as usize].max(width);
            }
        }
        written |= i.gprs_written();
    }
    let mut aligned = [0u8; 32];
    for r in 1..32u8 {
        let align = need[r as usize];
        if align < 2 {
            continue;
        }
        let mut strides = 0u32;
        let keeps = code.iter().all(|i| {
            if i.gprs_written() & (1 << r) == 0 {
                return true;
            }
            match i.op {
                Op::Addiu if i.rt == r && i.rs == r => (i.imm as i32) % align as i32 == 0,
                Op::Addu if i.rd == r && (i.rs == r || i.rt == r) => {
                    let stride = if i.rs == r { i.rt } else { i.rs };
                    if stride != r && stride != 0 {
                        strides |= 1 << stride;
                    }
                    written & (1 << stride) == 0 || stride == r
                }
                _ => false,
            }
        });
        if keeps {
            for g in (0..32u8).filter(|&g| g == r || strides & (1 << g) != 0) {
                aligned[g as usize] = aligned[g as usize].max(align as u8);
            }
        }
    }
    aligned
}

impl Translator<'_> {
    /// True when the loop-entry check (see [`loop_alignment`]) covers an
    /// access of `width` bytes at `offset` from guest register `g`.
    pub(super) fn aligned_on_entry(&self, g: u8, offset: i32, width: u32) -> bool {
        u32::from(self.aligned[g as usize]) >= width && offset % width as i32 == 0
    }

    /// `eax` = guest address `rs + imm`, checked for alignment (where it
    /// may be unaligned); jumps to the fall-back when it is not. Whether the
    /// page allows the access is the host's to say: guest memory is sealed
    /// (its host protections match the permission table, see
    /// [`crate::vm::GuestMemory::seal`]), so the access itself faults where
    /// the guest would, and the fault handler resumes at the access's
    /// fall-back ([`Translator::guest_access`]).
    /// Returns the host register that holds the base, zero-extended, and
    /// the offset: the access is `[r14 + reg + offset]`, with no `lea` or
    /// `add` on the way to it (a pointer chase's address is on its loop's
    /// critical path). The host sum is not reduced mod 2^32 as the guest's
    /// is; where the two differ (`base + offset` wraps below 0 or past
    /// 2^32), it lands in a guard of the address space, and the fault
    /// handler sends the access to its fall-back, where the interpreter
    /// makes it at the wrapped address.
    pub(super) fn address(&mut self, i: &Inst, width: u32, k: u32, pc: u32) -> (u8, i32) {
        let check = self.checks[k as usize];
        let offset = i.imm as i32;
        let reg = match self.pins.gpr[i.rs as usize] {
            Some(h) if i.rs != 0 => h,
            _ => {
                self.ld(EAX, i.rs);
                EAX
            }
        };
        let on_entry = self.aligned_on_entry(i.rs, offset, width);
        if let Check::Group { align } = check {
            // For the whole group: the base aligned (the members' offsets
            // are multiples of their widths).
            if align > 1 && !self.aligned_on_entry(i.rs, 0, align) {
                let f = self.fallback(k, pc);
                dynasm!(self.ops ; .arch x64 ; test Rb(reg), (align - 1) as i8 ; jnz =>f);
            }
        }
        if check == Check::Own && width > 1 && !on_entry {
            let f = self.fallback(k, pc);
            self.alignment_test(reg, offset, width, f);
        }
        (reg, offset)
    }

    /// Jumps to `f` unless `reg + offset` is a multiple of `width`.
    fn alignment_test(&mut self, reg: u8, offset: i32, width: u32, f: DynamicLabel) {
        let mask = (width - 1) as i8;
        if offset % width as i32 == 0 {
            // The offset keeps the base's alignment.
            dynasm!(self.ops ; .arch x64 ; test Rb(reg), mask ; jnz =>f);
        } else {
            dynasm!(self.ops ; .arch x64 ; lea edx, [Rq(reg) + offset] ; test dl, mask ; jnz =>f);
        }
    }

    /// Marks the next instruction as instruction `k`'s guest access: should
    /// the host fault on it, execution resumes at `k`'s fall-back, and the
    /// interpreter runs the access and reports the guest's fault.
    pub(super) fn guest_access(&mut self, k: u32, pc: u32) {
        let f = self.fallback(k, pc);
        let at = self.ops.offset();
        self.accesses.push((at, f));
    }

    /// A table lookup, `andi y, _, m; sll r, y, s; addu r, x, r; l* d, off(r)`
    /// (instruction `k` is the `sll`), as one load `[r14 + x + y * 2^s + off]`
    /// with the `lea` of `r` beside it rather than before it: the load waits
    /// for the mask alone (CRC tables, dispatch tables: the lookup is the
    /// loop's critical path). The `andi` bounds `y`, so the host's sum
    /// exceeds the guest's by less than a guard when it wraps, and faults
    /// there. Until the load is done nothing of the three is committed, so
    /// both its alignment failure and a host fault on it resume the
    /// interpreter at the `sll`, which reports a fault exactly. False
    /// (nothing emitted) for anything else, or with `x`, `y` not pinned.
    pub(super) fn indexed_load(
        &mut self,
        mask: &Inst,
        shift: &Inst,
        add: &Inst,
        load: &Inst,
        k: u32,
    ) -> bool {
        let Some((r, x)) = super::alu::scaled_pair(shift, add) else { return false };
        let (y, s) = (shift.rt, shift.sa);
        let width = match load.op {
            Op::Lw => 4,
            Op::Lh | Op::Lhu => 2,
            Op::Lb | Op::Lbu => 1,
            _ => return false,
        };
        let bounded = mask.op == Op::Andi && mask.rt == y;
        let offset = load.imm as i32;
        let reach = (u64::from(mask.imm & 0xffff) << s) + offset.max(0) as u64 + width as u64;
        if !bounded || y == 0 || load.rs != r {
            return false;
        }
        // The index keeps the base's alignment, and the host's excess stays
        // inside the guard.
        if (1u32 << s) < width || reach >= SPACE_GUARD as u64 || self.checks[k as usize + 2] != Check::Own {
            return false;
        }
        let (Some(xr), Some(yr)) = (self.pins.gpr[x as usize], self.pins.gpr[y as usize]) else {
            return false;
        };
        let pc = self.text_base.wrapping_add(4 * (self.start + k));
        if width > 1 && !self.aligned_on_entry(x, offset, width) {
            // The scaled index keeps the base's alignment.
            let f = self.fallback(k, pc);
            self.alignment_test(xr, offset, width, f);
        }
        let d = load.rt;
        let dst = match self.pins.gpr[d as usize] {
            Some(h) if d != 0 && h != xr && h != yr => h,
            _ => EAX,
        };
        // Three registers make no x86 address: the table's host address
        // first (it waits for `x` alone, a loop invariant in a lookup).
        dynasm!(self.ops ; .arch x64 ; lea rax, [r14 + Rq(xr)]);
        let at = yr;
        macro_rules! scaled {
            ($scale:tt) => {
                match (load.op, offset) {
                    (Op::Lw, 0) => dynasm!(self.ops ; .arch x64 ; mov Rd(dst), DWORD [rax + Rq(at) * $scale]),
                    (Op::Lw, _) => dynasm!(self.ops ; .arch x64 ; mov Rd(dst), DWORD [rax + Rq(at) * $scale + offset]),
                    (Op::Lh, 0) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), WORD [rax + Rq(at) * $scale]),
                    (Op::Lh, _) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), WORD [rax + Rq(at) * $scale + offset]),
                    (Op::Lhu, 0) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), WORD [rax + Rq(at) * $scale]),
                    (Op::Lhu, _) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), WORD [rax + Rq(at) * $scale + offset]),
                    (Op::Lb, 0) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), BYTE [rax + Rq(at) * $scale]),
                    (Op::Lb, _) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), BYTE [rax + Rq(at) * $scale + offset]),
                    (_, 0) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), BYTE [rax + Rq(at) * $scale]),
                    (_, _) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), BYTE [rax + Rq(at) * $scale + offset]),
                }
            };
        }
        self.guest_access(k, pc);
        match s {
            1 => scaled!(2),
            2 => scaled!(4),
            _ => scaled!(8),
        }
        if r != d {
            // `r` itself, unless the load overwrites it.
            let rr = self.pins.gpr[r as usize].unwrap_or(EDX);
            match s {
                1 => dynasm!(self.ops ; .arch x64 ; lea Rd(rr), [Rq(xr) + Rq(yr) * 2]),
                2 => dynasm!(self.ops ; .arch x64 ; lea Rd(rr), [Rq(xr) + Rq(yr) * 4]),
                _ => dynasm!(self.ops ; .arch x64 ; lea Rd(rr), [Rq(xr) + Rq(yr) * 8]),
            }
            if rr == EDX {
                self.st(r, EDX);
            }
        }
        if dst == EAX {
            self.st(d, EAX);
        }
        true
    }

    /// `lwl`, `lwr`, `swl` and `swr` (little-endian: the aligned word
    /// holding the addressed byte, merged with `rt` by the byte's place),
    /// where compilers' `memcpy` of unaligned data spends its time. Nothing
    /// is committed before the last access, so a host fault on either
    /// access resumes at the fall-back, where the interpreter runs the
    /// whole instruction and reports the fault exactly (a store's merge
    /// reads the word first: a word the guest cannot read is the store's
    /// fault, in the interpreter as here). `eax`, `ecx`, `edx` only.
    pub(super) fn unaligned(&mut self, i: &Inst, k: u32, pc: u32) {
        self.unaligned_address(i);
        // ecx = 8 × the byte's place in its word; eax = the word's address.
        dynasm!(self.ops ; .arch x64 ; mov ecx, eax ; and ecx, 3 ; shl ecx, 3 ; and eax, -4);
        self.guest_access(k, pc);
        dynasm!(self.ops ; .arch x64 ; mov edx, DWORD [r14 + rax]);
        if matches!(i.op, Op::Lwl | Op::Swl) {
            // From the top: shift by 8 × (3 − place).
            dynasm!(self.ops ; .arch x64 ; neg ecx ; add ecx, 24);
        }
        // `eax` `op`= rt, where rt lives (`$zero`: a cleared `eax`, which is
        // what both `and` and `mov` with zero give; `ecx` holds the shift).
        macro_rules! with_rt {
            ($op:ident) => {
                match self.pinned(i.rt) {
                    Some(h) => dynasm!(self.ops ; .arch x64 ; $op eax, Rd(h)),
                    None if i.rt == 0 => dynasm!(self.ops ; .arch x64 ; xor eax, eax),
                    None => dynasm!(self.ops ; .arch x64 ; $op eax, DWORD [r15 + reg_offset(i.rt)]),
                }
            };
        }
        match i.op {
            Op::Lwl | Op::Lwr if i.rt == 0 => {} // loaded for its fault alone
            Op::Lwl => {
                // rt = word << shift | rt & (2^shift − 1)
                dynasm!(self.ops ; .arch x64 ; shl edx, cl ; mov eax, 1 ; shl eax, cl ; dec eax);
                with_rt!(and);
                dynasm!(self.ops ; .arch x64 ; or eax, edx);
                self.st(i.rt, EAX);
            }
            Op::Lwr => {
                // rt = word >> shift | rt & !(2^32 − 1 >> shift)
                dynasm!(self.ops ; .arch x64 ; shr edx, cl ; mov eax, -1 ; shr eax, cl ; not eax);
                with_rt!(and);
                dynasm!(self.ops ; .arch x64 ; or eax, edx);
                self.st(i.rt, EAX);
            }
            _ => {
                if i.op == Op::Swl {
                    // word & !(2^32 − 1 >> shift) | rt >> shift
                    dynasm!(self.ops ; .arch x64 ; mov eax, -1 ; shr eax, cl ; not eax ; and edx, eax);
                    with_rt!(mov);
                    dynasm!(self.ops ; .arch x64 ; shr eax, cl ; or edx, eax);
                } else {
                    // word & (2^shift − 1) | rt << shift
                    dynasm!(self.ops ; .arch x64 ; mov eax, 1 ; shl eax, cl ; dec eax ; and edx, eax);
                    with_rt!(mov);
                    dynasm!(self.ops ; .arch x64 ; shl eax, cl ; or edx, eax);
                }
                // The address again (eax held the merge).
                self.unaligned_address(i);
                dynasm!(self.ops ; .arch x64 ; and eax, -4);
                self.guest_access(k, pc);
                dynasm!(self.ops ; .arch x64 ; mov DWORD [r14 + rax], edx);
            }
        }
    }

    /// `eax` = the guest address `rs + imm`, wrapped to 32 bits.
    fn unaligned_address(&mut self, i: &Inst) {
        let offset = i.imm as i32;
        match self.pinned(i.rs) {
            Some(b) => dynasm!(self.ops ; .arch x64 ; lea eax, [Rq(b) + offset]),
            None => {
                self.ld(EAX, i.rs);
                dynasm!(self.ops ; .arch x64 ; add eax, offset);
            }
        }
    }

    /// Loads `[r14 + at + offset]` into `dst` as `op` does (a zero offset
    /// without a displacement: dynasm encodes a run-time one in 4 bytes,
    /// and a hot loop's code grows by them).
    pub(super) fn emit_load(&mut self, op: Op, dst: u8, at: u8, offset: i32) {
        match (op, offset) {
            (Op::Lw | Op::Ll, 0) => dynasm!(self.ops ; .arch x64 ; mov Rd(dst), DWORD [r14 + Rq(at)]),
            (Op::Lw | Op::Ll, _) => {
                dynasm!(self.ops ; .arch x64 ; mov Rd(dst), DWORD [r14 + Rq(at) + offset])
            }
            (Op::Lh, 0) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), WORD [r14 + Rq(at)]),
            (Op::Lh, _) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), WORD [r14 + Rq(at) + offset]),
            (Op::Lhu, 0) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), WORD [r14 + Rq(at)]),
            (Op::Lhu, _) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), WORD [r14 + Rq(at) + offset]),
            (Op::Lb, 0) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), BYTE [r14 + Rq(at)]),
            (Op::Lb, _) => dynasm!(self.ops ; .arch x64 ; movsx Rd(dst), BYTE [r14 + Rq(at) + offset]),
            (_, 0) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), BYTE [r14 + Rq(at)]),
            (_, _) => dynasm!(self.ops ; .arch x64 ; movzx Rd(dst), BYTE [r14 + Rq(at) + offset]),
        }
    }

    /// Stores `value` to `[r14 + at + offset]` as `op` does (see
    /// [`Translator::emit_load`] for the zero offset).
    pub(super) fn emit_store(&mut self, op: Op, at: u8, offset: i32, value: u8) {
        match (op, offset) {
            (Op::Sw | Op::Sc, 0) => dynasm!(self.ops ; .arch x64 ; mov DWORD [r14 + Rq(at)], Rd(value)),
            (Op::Sw | Op::Sc, _) => {
                dynasm!(self.ops ; .arch x64 ; mov DWORD [r14 + Rq(at) + offset], Rd(value))
            }
            (Op::Sh, 0) => dynasm!(self.ops ; .arch x64 ; mov WORD [r14 + Rq(at)], Rw(value)),
            (Op::Sh, _) => dynasm!(self.ops ; .arch x64 ; mov WORD [r14 + Rq(at) + offset], Rw(value)),
            (_, 0) => dynasm!(self.ops ; .arch x64 ; mov BYTE [r14 + Rq(at)], Rb(value)),
            (_, _) => dynasm!(self.ops ; .arch x64 ; mov BYTE [r14 + Rq(at) + offset], Rb(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::assemble_str;

    /// The alignment `loop_alignment` vouches for, per named register, in
    /// the loop body `body` (MARS assembly).
    fn aligned(body: &str) -> [u8; 32] {
        let program = assemble_str("loop.s", &format!("main:\n{body}\n")).expect("assembles");
        let code: Vec<Inst> = program.text.iter().map(|&w| crate::isa::decode(w)).collect();
        loop_alignment(&code)
    }

    #[test]
    fn a_pointer_stepped_by_the_width_keeps_its_check_out_of_the_loop() {
        assert_eq!(aligned("lw $t0, 0($s0)\naddiu $s0, $s0, 8")[16], 4);
        assert_eq!(aligned("lh $t0, 2($s0)\naddiu $s0, $s0, 2")[16], 2);
        // A step that breaks the alignment: checked on every pass.
        assert_eq!(aligned("lw $t0, 0($s0)\naddiu $s0, $s0, 2")[16], 0);
    }

    #[test]
    fn a_stride_register_is_checked_with_its_pointer_unless_the_loop_writes_it() {
        let a = aligned("lw $t0, 0($s0)\naddu $s0, $s0, $s1");
        assert_eq!((a[16], a[17]), (4, 4));
        let a = aligned("lw $t0, 0($s0)\naddu $s0, $s1, $s0\naddiu $s1, $s1, 1");
        assert_eq!((a[16], a[17]), (0, 0));
    }

    #[test]
    fn bases_the_loop_loads_or_rewrites_are_checked_on_every_pass() {
        assert_eq!(aligned("lw $s0, 0($s0)")[16], 0);
        assert_eq!(aligned("lw $t0, 0($s0)\nandi $s0, $s0, 0xfff0")[16], 0);
        assert_eq!(aligned("lw $t0, 0($s0)\nsc $s0, 4($s1)")[16], 0, "sc writes the register it stores");
        // Never written: checked once.
        assert_eq!(aligned("lw $t0, 0($s0)\naddiu $t0, $t0, 1\nsw $t0, 4($s0)")[16], 4);
    }

    #[test]
    fn a_table_lookup_checks_its_table_base_once() {
        let a = aligned("andi $t2, $t1, 255\nsll $t2, $t2, 2\naddu $t2, $s3, $t2\nlw $t3, 0($t2)");
        assert_eq!((a[19], a[10]), (4, 0));
    }
}
