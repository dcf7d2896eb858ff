//! AFL++ entry point of the `snapshot` target (see `targets::snapshot`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        myvmm_fuzz::targets::snapshot(data);
    });
}
