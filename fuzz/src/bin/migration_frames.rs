//! AFL++ entry point of the `migration_frames` target (see
//! `targets::migration_frames`).

fn main() {
    // Each input that commits leaves a finished VM with the receiver's
    // scheduler until it ends (see docs/limits-and-fuzzing.md): a fresh
    // process every 1,000 inputs keeps the fuzzer's memory bounded.
    if std::env::var_os("AFL_FUZZER_LOOPCOUNT").is_none() {
        std::env::set_var("AFL_FUZZER_LOOPCOUNT", "1000");
    }
    afl::fuzz!(|data: &[u8]| {
        myvmm_fuzz::targets::migration_frames(data);
    });
}
