//! AFL++ entry point of the `differential` target (see `targets::differential`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        myvmm_fuzz::targets::differential(data);
    });
}
