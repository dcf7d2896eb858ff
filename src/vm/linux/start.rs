//! The Linux initial process state (SPEC §9): every register zero but
//! `$sp`, which points at `argc`, then `argv`, `envp` and the auxiliary
//! vector, with the strings and `AT_RANDOM`'s bytes above them at the top
//! of the stack — the layout the kernel's `create_elf_tables` builds and
//! static glibc's `__start` reads.

use crate::program::LinuxStart;
use crate::vm::{Fault, Machine};

const AT_NULL: u32 = 0;
const AT_PHDR: u32 = 3;
const AT_PHENT: u32 = 4;
const AT_PHNUM: u32 = 5;
const AT_PAGESZ: u32 = 6;
const AT_BASE: u32 = 7;
const AT_FLAGS: u32 = 8;
const AT_ENTRY: u32 = 9;
const AT_UID: u32 = 11;
const AT_EUID: u32 = 12;
const AT_GID: u32 = 13;
const AT_EGID: u32 = 14;
const AT_HWCAP: u32 = 16;
const AT_CLKTCK: u32 = 17;
const AT_SECURE: u32 = 23;
const AT_RANDOM: u32 = 25;
const AT_EXECFN: u32 = 31;

/// Builds the initial stack of `start`'s process in `m` and points `$sp`
/// at it. `AT_RANDOM`'s 16 bytes come from `seed` (a VM runs the same way
/// every time; glibc takes its stack-protector canary from them).
pub fn build_stack(m: &mut Machine, start: &LinuxStart, seed: u64) -> Result<(), Fault> {
    let mut top = crate::vm::memory::STACK_TOP;
    let mut push = |m: &mut Machine, bytes: &[u8]| -> Result<u32, Fault> {
        top = top.checked_sub(bytes.len() as u32).ok_or(Fault::Unmapped { addr: 0, write: true })?;
        m.mem.write_bytes(top, bytes)?;
        Ok(top)
    };
    // Strings, each NUL-terminated; the program's name again for AT_EXECFN.
    push(m, &[0; 16])?;
    let execfn = push(m, &nul_terminated(start.args.first().map_or("", String::as_str)))?;
    let mut random = [0u8; 16];
    let mut state = seed;
    for chunk in random.chunks_mut(8) {
        state = crate::vm::syscall::splitmix(state);
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    let random_at = push(m, &random)?;
    let mut env_at = Vec::with_capacity(start.env.len());
    for var in start.env.iter().rev() {
        env_at.push(push(m, &nul_terminated(var))?);
    }
    env_at.reverse();
    let mut arg_at = Vec::with_capacity(start.args.len());
    for arg in start.args.iter().rev() {
        arg_at.push(push(m, &nul_terminated(arg))?);
    }
    arg_at.reverse();
    let auxv = [
        (AT_PHDR, start.phdr),
        (AT_PHENT, start.phent),
        (AT_PHNUM, start.phnum),
        (AT_PAGESZ, crate::layout::PAGE_SIZE),
        (AT_BASE, 0),
        (AT_FLAGS, 0),
        (AT_ENTRY, m.program.entry),
        (AT_UID, 0),
        (AT_EUID, 0),
        (AT_GID, 0),
        (AT_EGID, 0),
        (AT_HWCAP, 0),
        (AT_CLKTCK, 100),
        (AT_SECURE, 0),
        (AT_RANDOM, random_at),
        (AT_EXECFN, execfn),
        (AT_NULL, 0),
    ];
    let mut words: Vec<u32> = vec![arg_at.len() as u32];
    words.extend(&arg_at);
    words.push(0);
    words.extend(&env_at);
    words.push(0);
    words.extend(auxv.iter().flat_map(|&(k, v)| [k, v]));
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let sp = top.checked_sub(bytes.len() as u32).ok_or(Fault::Unmapped { addr: 0, write: true })? & !15;
    m.mem.write_bytes(sp, &bytes)?;
    m.cpu.regs = [0; 32];
    m.cpu.regs[29] = sp;
    Ok(())
}

fn nul_terminated(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(0);
    v
}
