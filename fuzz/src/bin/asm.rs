//! AFL++ entry point of the `asm` target (see `targets::asm`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        myvmm_fuzz::targets::asm(data);
    });
}
