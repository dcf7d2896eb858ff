//! The control socket against a real running multi-VM `myvmm`: every
//! command through `myvmm ctl` (and raw lines for hostile input), pause and
//! resume at slice 1 losing nothing, a snapshot taken mid-loop that
//! restores to identical output, a migration into a real receiver, and
//! errors as objects — never a crash.
//!
//! Every `myvmm` started here has `MYVMM_JIT_HOT=1`: under `--engine jit`
//! its blocks are translated on their first entry, since these programs
//! are too short to get hot at the default threshold (the JIT runs would
//! otherwise interpret throughout).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{free_port, scratch, text, Receiver};

/// Prints 1 … 60, sleeping 10 ms after each.
const COUNTER: &str = "main:   li   $t0, 0
loop:   addiu $t0, $t0, 1
        li   $v0, 1
        move $a0, $t0
        syscall
        li   $v0, 11
        li   $a0, 10
        syscall
        li   $v0, 32
        li   $a0, 10
        syscall
        blt  $t0, 60, loop
        li   $v0, 10
        syscall
";

fn counted(from: u32) -> String {
    (from..=60).map(|n| format!("{n}\n")).collect()
}

/// A running `myvmm --control SOCKET` with the given VMs.
struct Server {
    child: Child,
    socket: PathBuf,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let socket = dir.join("ctl.sock");
        let child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .env("MYVMM_JIT_HOT", "1")
            .current_dir(dir)
            .arg("--control")
            .arg(&socket)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while UnixStream::connect(&socket).is_err() {
            assert!(start.elapsed() < Duration::from_secs(10), "the control socket never appeared");
            std::thread::sleep(Duration::from_millis(10));
        }
        Server { child, socket }
    }

    fn ctl(&self, words: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .env("MYVMM_JIT_HOT", "1")
            .arg("ctl")
            .arg(&self.socket)
            .args(words)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// `ctl`, which must succeed; its stdout.
    fn ok(&self, words: &[&str]) -> String {
        let out = self.ctl(words);
        assert_eq!(out.status.code(), Some(0), "ctl {words:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    /// VM `vm`'s instructions retired, from `list`.
    fn retired(&self, vm: u32) -> u64 {
        let list = self.ok(&["list"]);
        let line = list.lines().find(|l| l.starts_with(&format!("vm{vm} "))).expect("vm listed");
        line.split(" retired=").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap()
    }

    fn wait(self) -> Output {
        self.child.wait_with_output().unwrap()
    }
}

/// VM `vm`'s own lines of a multi-VM run's stdout.
fn lines_of(stdout: &str, vm: u32) -> String {
    let prefix = format!("[vm{vm}] ");
    stdout.lines().filter_map(|l| l.strip_prefix(&prefix)).map(|l| format!("{l}\n")).collect()
}

#[test]
fn pause_and_resume_at_slice_1_lose_nothing() {
    let dir = scratch("control_pause");
    std::fs::write(dir.join("count.s"), COUNTER).unwrap();
    for engine in ["interp", "jit"] {
        let server = Server::start(
            &dir,
            &["--engine", engine, "--slice", "1", "--workers", "1", "-v", "count.s", "-v", "count.s"],
        );
        let paused = server.ok(&["pause", "1"]);
        assert!(paused.contains("\"state\":\"paused\""), "{paused}");
        let (first, other) = (server.retired(1), server.retired(2));
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(server.retired(1), first, "a paused VM does not run");
        assert!(server.retired(2) > other, "the other VM runs meanwhile");
        assert!(server.ok(&["list"]).contains("vm1 state=paused"));
        // Twice paused is still paused; resuming a running VM is an error.
        server.ok(&["pause", "1"]);
        let again = server.ctl(&["resume", "2"]);
        assert_eq!(again.status.code(), Some(1));
        assert!(text(&again.stderr).contains("vm2 is not paused"), "{}", text(&again.stderr));
        server.ok(&["resume", "1"]);
        let out = server.wait();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert_eq!(lines_of(&stdout, 1), counted(1), "{engine}: vm1 printed everything once");
        assert_eq!(lines_of(&stdout, 2), counted(1), "{engine}: vm2 too");
    }
}

#[test]
fn a_snapshot_taken_mid_loop_restores_to_identical_output() {
    let dir = scratch("control_snapshot");
    std::fs::write(dir.join("count.s"), COUNTER).unwrap();
    for engine in ["interp", "jit"] {
        let server = Server::start(&dir, &["--engine", engine, "-v", "count.s", "-v", "count.s"]);
        std::thread::sleep(Duration::from_millis(100));
        let dump = server.ok(&["dump", "2"]);
        assert!(dump.starts_with("VM 2 processor state"), "{dump}");
        let reply = server.ok(&["snapshot", "2", "mid.snap"]);
        assert!(reply.contains("\"file\":\"mid.snap\""), "{reply}");
        // Outside the snapshot folder: refused, the VM goes on.
        let outside = server.ctl(&["snapshot", "2", "../escape.snap"]);
        assert_eq!(outside.status.code(), Some(1), "{}", text(&outside.stdout));
        let stats = server.ok(&["stats"]);
        assert!(stats.contains("vm1 ") && stats.contains("vm2 "), "{stats}");
        let out = server.wait();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(lines_of(&text(&out.stdout), 2), counted(1), "the snapshot did not disturb vm2");
        // The snapshot resumes where it was taken: what follows is exactly
        // the rest of the count.
        let restored = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .env("MYVMM_JIT_HOT", "1")
            .current_dir(&dir)
            .args(["--engine", engine, "-v", "count.s", "-s", "mid.snap"])
            .output()
            .unwrap();
        assert_eq!(restored.status.code(), Some(0), "{}", text(&restored.stderr));
        let rest = text(&restored.stdout);
        let first: u32 = rest.lines().next().expect("something left to count").parse().unwrap();
        assert!(first > 1, "taken mid-loop");
        assert_eq!(rest, counted(first), "{engine}");
    }
}

#[test]
fn migrate_sends_a_running_vm_to_a_real_receiver() {
    let dir = scratch("control_migrate");
    std::fs::write(dir.join("count.s"), COUNTER).unwrap();
    let port = free_port();
    let receiver = Receiver::start(port, &["--exit-after", "1"]);
    let server = Server::start(&dir, &["-v", "count.s", "-v", "count.s"]);
    std::thread::sleep(Duration::from_millis(100));
    let reply = server.ok(&["migrate", "1", &format!("127.0.0.1:{port}")]);
    assert!(reply.contains("\"destination\""), "{reply}");
    let failed = server.ctl(&["migrate", "2", &format!("127.0.0.1:{}", free_port())]);
    assert_eq!(failed.status.code(), Some(1), "nobody listens there");
    assert!(text(&failed.stderr).contains("stays here"), "{}", text(&failed.stderr));
    let out = server.wait();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("vm1 migrated to"), "{}", text(&out.stderr));
    let (received, status) = receiver.finish(Duration::from_secs(20));
    assert_eq!(status, Some(0));
    let here = lines_of(&text(&out.stdout), 1);
    let first: u32 =
        received.lines().next().unwrap().trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap();
    assert_eq!(
        here,
        (1..first).map(|n| format!("{n}\n")).collect::<String>(),
        "counted at home up to the move"
    );
    assert_eq!(lines_of(&text(&out.stdout), 2), counted(1), "vm2 stayed and finished");
}

/// Raw request lines: errors are objects, and the server goes on.
#[test]
fn malformed_requests_get_error_objects_and_quit_stops_the_run() {
    let dir = scratch("control_hostile");
    std::fs::write(dir.join("count.s"), COUNTER).unwrap();
    let server = Server::start(&dir, &["-v", "count.s", "-v", "count.s"]);
    let stream = UnixStream::connect(&server.socket).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("\"myvmm\"") && line.contains("\"protocol\":1"), "greeting: {line}");
    let mut ask = |request: &str| {
        // The server may close before it has read all of an overlong line:
        // the reply comes all the same.
        let _ = writer.write_all(request.as_bytes()).and_then(|()| writer.write_all(b"\n"));
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        reply
    };
    for (request, class) in [
        ("{\"execute\": \"list\"", "ParseError"),
        ("\u{0}\u{1}garbage", "ParseError"),
        ("[1, 2, 3]", "InvalidRequest"),
        ("{\"arguments\": {}}", "InvalidRequest"),
        ("{\"execute\": \"reboot\"}", "CommandNotFound"),
        ("{\"execute\": \"pause\"}", "InvalidArguments"),
        ("{\"execute\": \"pause\", \"arguments\": {\"vm\": -1}}", "InvalidArguments"),
        ("{\"execute\": \"pause\", \"arguments\": [1]}", "InvalidArguments"),
        ("{\"execute\": \"pause\", \"arguments\": {\"vm\": 99}}", "VmError"),
        ("{\"execute\": \"snapshot\", \"arguments\": {\"vm\": 1}}", "InvalidArguments"),
        ("{\"execute\": \"resume\", \"arguments\": {\"vm\": 1}}", "VmError"),
    ] {
        let reply = ask(request);
        assert!(reply.contains("\"error\"") && reply.contains(class), "{request} -> {reply}");
    }
    // Requests carry an id back; the server still answers.
    let reply = ask("{\"execute\": \"list\", \"id\": 7}");
    assert!(reply.contains("\"return\"") && reply.contains("\"id\":7"), "{reply}");
    // An overlong line is refused and the connection closed.
    let long = format!("{{\"execute\": \"{}\"}}", "x".repeat(100 << 10));
    let reply = ask(&long);
    assert!(reply.contains("ParseError"), "{}", &reply[..reply.len().min(200)]);
    // Quit: every VM stops where it stands, the run ends.
    let quit = server.ok(&["quit"]);
    assert_eq!(quit.trim(), "{}");
    let out = server.wait();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("vm1 stopped") && err.contains("vm2 stopped") && err.contains("quit"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.join("ctl.sock").exists(), "the socket file is removed");
}

/// `migrate` of a running VM goes live (pre-copy): while it is under way
/// `list` shows the round, the pages and the rate, and the VM ends on the
/// receiver exactly as it would have at home.
#[test]
fn a_live_migration_shows_its_progress_in_list() {
    let dir = scratch("control_live");
    let source = std::fs::read_to_string("asm/migration/working_set.s").unwrap();
    // A bigger VM, so that the migration lasts long enough to be seen.
    let source = source
        .replace("33554432", "268435456")
        .replace("8388608", "67108864")
        .replace("blt     $s1, 60, pass", "blt     $s1, 1000, pass");
    std::fs::write(dir.join("ws.s"), &source).unwrap();
    let home = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .env("MYVMM_JIT_HOT", "1")
        .current_dir(&dir)
        .arg("ws.s")
        .output()
        .unwrap();
    let port = free_port();
    let receiver = Receiver::start(port, &["--exit-after", "1", "--max-migration-mb", "1024"]);
    let config = dir.join("ws.cfg");
    std::fs::write(&config, "vm_binary = ws.s\nvm_memory_limit_mb = 400\n").unwrap();
    let server = Server::start(&dir, &["-v", "ws.cfg"]);
    // Wait for the fill to be done (its first pass).
    while server.retired(1) < 600_000_000 {
        std::thread::sleep(Duration::from_millis(10));
    }
    let socket = server.socket.clone();
    let watcher = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..400 {
            let out = Command::new(env!("CARGO_BIN_EXE_myvmm"))
                .env("MYVMM_JIT_HOT", "1")
                .arg("ctl")
                .arg(&socket)
                .arg("list")
                .output()
                .unwrap();
            let list = text(&out.stdout);
            if list.contains("round=") {
                seen.push(list);
            }
            if seen.len() >= 3 || out.status.code() != Some(0) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        seen
    });
    let reply = server.ok(&["migrate", "1", &format!("127.0.0.1:{port}")]);
    let seen = watcher.join().unwrap();
    assert!(reply.contains("\"rounds\""), "{reply}");
    assert!(!seen.is_empty(), "list never showed the migration under way");
    assert!(
        seen.iter()
            .any(|l| l.contains("state=migrating") && l.contains("dirty_pages=") && l.contains("rate=")),
        "{seen:?}"
    );
    let out = server.wait();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (received, status) = receiver.finish(Duration::from_secs(60));
    assert_eq!(status, Some(0));
    assert_eq!(text(&out.stdout) + &received, text(&home.stdout), "as at home");
}
