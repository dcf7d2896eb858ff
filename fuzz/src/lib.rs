//! Fuzz targets for myvmm. The targets themselves live in `targets.rs`, which
//! the main crate's `tests/fuzz_corpus.rs` also includes to replay the saved
//! corpora in CI.

pub mod targets;
