use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--listing") {
        match myvmm::asm::assemble_files(&args[1..]) {
            Ok(p) => {
                print!("{}", myvmm::asm::listing::listing(&p));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(2)
            }
        }
    } else {
        ExitCode::from(2)
    }
}
