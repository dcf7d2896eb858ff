//! The command line: parse flags ([`args`]), validate them into a [`Plan`]
//! (assembling every program before anything runs), then run it.

pub mod args;
mod host;
mod plan;
mod run;

pub use args::Args;
pub use plan::{Plan, PlanError};
pub use run::run;
