//! The `myvmm` binary: parse, plan, run.

use clap::{CommandFactory, FromArgMatches};
use myvmm::cli::{run, Args, Plan};
use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = Args::command().get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    let plan = match Plan::new(args, &matches) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    ExitCode::from(run(plan))
}
