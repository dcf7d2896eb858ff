//! The `myvmm` binary: parse, plan, run.

use clap::{CommandFactory, FromArgMatches};
use myvmm::cli::{run, Args, Plan};
use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("ctl") {
        return ExitCode::from(myvmm::control::client::main(&argv[2..]));
    }
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
