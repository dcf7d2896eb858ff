//! The cross tools the qemu-mipsel differential tests need: installed from
//! Debian's packages when absent (as root), and commands run with core
//! dumps off (qemu "dumps core" when its guest dies of a signal).
#![allow(dead_code)] // each test binary uses its own subset

use std::process::{Command, Output, Stdio};
use std::sync::Once;

/// Installs qemu-user and gcc-mipsel-linux-gnu when absent (as root), or
/// fails naming what is missing.
pub fn ensure_tools() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        ensure(&[("qemu-mipsel", "qemu-user"), ("mipsel-linux-gnu-gcc", "gcc-mipsel-linux-gnu")])
    });
}

/// Installs gdb-multiarch when absent (as root), or fails saying so.
pub fn ensure_gdb() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| ensure(&[("gdb-multiarch", "gdb-multiarch")]));
}

/// Installs the Debian packages of the `(tool, package)` pairs whose tool
/// is missing, or fails naming them.
fn ensure(tools: &[(&str, &str)]) {
    let have = |tool: &str| {
        Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
    };
    let missing: Vec<&str> =
        tools.iter().filter(|(tool, _)| !have(tool)).map(|(_, package)| *package).collect();
    if missing.is_empty() {
        return;
    }
    let wanted = missing.join(" ");
    // SAFETY: geteuid has no preconditions and touches no memory.
    let root = unsafe { libc::geteuid() } == 0;
    assert!(root, "this test needs {wanted}: install it (apt-get install -y {wanted})");
    let script = format!("apt-get update && apt-get install -y {wanted}");
    let ok = Command::new("sh").args(["-c", &script]).status().is_ok_and(|s| s.success());
    assert!(ok, "`{script}` failed: this test cannot run without {wanted}");
    for (tool, _) in tools {
        assert!(have(tool), "{tool} is still missing after `{script}`");
    }
}

/// Runs a command with core dumps off, `stdin` as its standard input
/// (none: empty).
pub fn run_with(cmd: &mut Command, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    // SAFETY: setrlimit is async-signal-safe and only lowers this child's
    // core-size limit between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let zero = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
            Ok(())
        });
    }
    let mut child = cmd
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        pipe.write_all(bytes).expect("the command reads its input");
    }
    child.wait_with_output().expect("the command runs")
}

/// [`run_with`] and no input.
pub fn run(cmd: &mut Command) -> Output {
    run_with(cmd, None)
}

/// What one side did with a program.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ran {
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Exit status, or 128 + signal.
    pub status: i32,
    /// Standard error.
    pub stderr: String,
}

/// The [`Ran`] of a finished command.
pub fn ran(out: Output) -> Ran {
    use std::os::unix::process::ExitStatusExt;
    let status = out.status.code().unwrap_or_else(|| 128 + out.status.signal().unwrap_or(0));
    Ran { stdout: out.stdout, status, stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}
