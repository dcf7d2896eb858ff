//! AFL++ entry point of the `migration` target (see `targets::migration`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        myvmm_fuzz::targets::migration(data);
    });
}
