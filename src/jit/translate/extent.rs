//! Where a translation ends: basic blocks, and superblocks that run on
//! past branches into the blocks after them in the text.

use super::MAX_BLOCK;
use crate::interp::fits_delay_slot;
use crate::isa::{Flags, Inst, Op};

/// True when a branch or jump of `block` (which starts at guest `pc`)
/// goes back to its start: the block is a loop's whole body.
pub(super) fn loops_to_start(block: &[Inst], pc: u32) -> bool {
    block.iter().enumerate().any(|(k, i)| {
        let at = pc.wrapping_add(4 * k as u32);
        match i.op {
            Op::J => i.jump_target(at) == pc,
            op => op.flags().contains(Flags::BRANCH) && i.branch_target(at) == pc,
        }
    })
}

/// Instructions in the block that starts with `code[0]`: up to and
/// including the first that ends a block, at most [`MAX_BLOCK`]; with
/// delay slots (`delay`) a branch's slot too, when it may run there.
pub fn block_len(code: &[Inst], delay: bool) -> usize {
    let end = code.iter().take(MAX_BLOCK).position(|i| i.op.flags().ends_block() || i.op == Op::Invalid);
    match end {
        Some(k)
            if delay
                && code[k].op.flags().transfers()
                && code.get(k + 1).is_some_and(|s| fits_delay_slot(s.op)) =>
        {
            k + 2
        }
        Some(k) => k + 1,
        None => code.len().min(MAX_BLOCK),
    }
}

/// Instructions one translation starting at text index `start` covers: its
/// basic block and, while that ends in a forward conditional branch inside
/// the program, the blocks that follow it in the text, the branches' paths
/// not taken (a superblock, at most [`MAX_BLOCK`] instructions). The
/// charge on entry then covers the whole run, and a branch taken leaves
/// with the instructions it skipped refunded: on the path that stays, no
/// budget charge, no jump and no chain slot between the blocks (CoreMark's
/// state machine is blocks of two or three instructions). A loop's back
/// edge (backward) and branches on FP conditions or linking ones end it
/// as before, and so does FP code anywhere in it.
pub(super) fn extent(code: &[Inst], start: usize, delay: bool, text_base: u32) -> usize {
    let extends = |i: &Inst, at: usize| {
        let pc = text_base.wrapping_add(4 * at as u32);
        let inside = (i.branch_target(pc).wrapping_sub(text_base) / 4) < code.len() as u32;
        let conditional = match i.op {
            Op::Beq | Op::Bne => i.rs != i.rt,
            Op::Blez | Op::Bgtz | Op::Bltz | Op::Bgez => true,
            _ => false,
        };
        // Forward: a branch back is mostly a loop's back edge, whose taken
        // path is the hot one (taking branches back before the superblock
        // too cost fib 7 %: its recursion's calls sit in such loops).
        conditional && inside && i.branch_target(pc) > pc
    };
    // A branch back that leaves a loop whose next block closes it (a list
    // walk: `lw p, 0(p); beqz p, done; …; bne …, loop`): the loop is one
    // translation, one charge a pass.
    let start_pc = text_base.wrapping_add(4 * start as u32);
    let closes = |i: &Inst, at: usize, end: usize, next: usize| {
        let pc = text_base.wrapping_add(4 * at as u32);
        let exit = matches!(i.op, Op::Beq | Op::Bne if i.rs != i.rt)
            || matches!(i.op, Op::Blez | Op::Bgtz | Op::Bltz | Op::Bgez);
        let back = end + next - 1 - usize::from(delay);
        let last = &code[back];
        let back_pc = text_base.wrapping_add(4 * back as u32);
        let inside = (i.branch_target(pc).wrapping_sub(text_base) / 4) < code.len() as u32;
        exit && inside
            && i.branch_target(pc) < start_pc
            && last.op.flags().contains(Flags::BRANCH)
            && !last.op.flags().contains(Flags::LINK)
            && last.branch_target(back_pc) == start_pc
    };
    let fpu = |run: &[Inst]| run.iter().any(|i| i.op.flags().contains(Flags::FPU));
    let mut len = block_len(&code[start..], delay);
    loop {
        let end = start + len;
        let branch = end - 1 - usize::from(delay);
        let next = if end < code.len() { block_len(&code[end..], delay) } else { 0 };
        let slot_fits = !delay || (len >= 2 && code[branch].op.flags().transfers());
        if next == 0
            || len + next > MAX_BLOCK
            || !slot_fits
            || !(extends(&code[branch], branch) || closes(&code[branch], branch, end, next))
            || fpu(&code[start..end + next])
        {
            return len;
        }
        len += next;
    }
}
