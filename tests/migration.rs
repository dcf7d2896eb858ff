//! Live migration with real `myvmm` processes on loopback: a migrated VM
//! finishes on the receiver exactly as it would have at home; failures of
//! every kind leave it running at home; hostile peers neither crash nor
//! block a receiver; keys are enforced; 50 migrations at once complete.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = "-- snapshot --\n";

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The counter program (writes .data and the heap) migrating to `target`.
fn program(dir: &Path, target: &str) -> PathBuf {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("asm/snapshots/counter.s"))
            .unwrap();
    let path = dir.join("migrating.s");
    std::fs::write(&path, source.replace("SNAPSHOT counter.snap", &format!("MIGRATE {target}"))).unwrap();
    path
}

fn myvmm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm")).args(args).stdin(Stdio::null()).output().expect("myvmm runs")
}

/// A receiver process, ready once it has said where it listens.
struct Receiver {
    child: Child,
}

impl Receiver {
    fn start(port: u16, extra: &[&str]) -> Receiver {
        let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .args(["--listen", &port.to_string(), "--dump-format", "json"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("receiver starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        assert!(line.contains("listening for migrations"), "receiver said: {line}");
        // Keep draining stderr so the receiver never blocks on it.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stderr.read_to_string(&mut rest);
            rest
        });
        Receiver { child }
    }

    /// Waits (bounded) for the receiver to exit; returns its stdout and status.
    fn finish(mut self, within: Duration) -> (String, Option<i32>) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut out = String::new();
                self.child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
                return (out, status.code());
            }
            if start.elapsed() > within {
                let _ = self.child.kill();
                panic!("the receiver did not finish within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The whole output of the program when the VM stays at home.
fn at_home(dir: &Path, engine: &str) -> String {
    let dead = format!("127.0.0.1:{}", free_port());
    let out = myvmm(&[
        "--engine",
        engine,
        "--dump-format",
        "json",
        "--migration-timeout",
        "2",
        "-v",
        program(dir, &dead).to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("goes on here"), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_migrated_vm_finishes_on_the_receiver_as_it_would_have_at_home() {
    for (sender_engine, receiver_engine) in
        [("jit", "jit"), ("interp", "interp"), ("jit", "interp"), ("interp", "jit")]
    {
        let dir = scratch(&format!("migrate_{sender_engine}_{receiver_engine}"));
        let whole = at_home(&dir, sender_engine);
        let port = free_port();
        let receiver = Receiver::start(port, &["--exit-after", "1", "--engine", receiver_engine]);
        let prog = program(&dir, &format!("127.0.0.1:{port}"));
        let hello = Path::new(env!("CARGO_MANIFEST_DIR")).join("asm/mars/hello.s");
        // A second VM on the sender keeps running and finishes.
        let out = myvmm(&[
            "--engine",
            sender_engine,
            "--dump-format",
            "json",
            "--workers",
            "1",
            "-v",
            prog.to_str().unwrap(),
            "-v",
            hello.to_str().unwrap(),
        ]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.contains(&format!("vm1 migrated to 127.0.0.1:{port}")), "{err}");
        let sent = text(&out.stdout);
        assert!(sent.contains("[vm2] Hello, world!\n"), "{sent}");
        let (received, status) = receiver.finish(Duration::from_secs(20));
        assert_eq!(status, Some(0));
        let before: String =
            sent.lines().filter_map(|l| l.strip_prefix("[vm1] ")).map(|l| format!("{l}\n")).collect();
        assert!(before.ends_with(MARKER), "{before}");
        assert_eq!(format!("{before}{received}"), whole, "{sender_engine} -> {receiver_engine}");
    }
}

#[test]
fn with_no_receiver_the_vm_finishes_at_home() {
    let dir = scratch("no_receiver");
    let whole = at_home(&dir, "jit");
    assert!(whole.contains(MARKER) && whole.contains("\"retired\":"), "{whole}");
}

/// A receiver that dies mid-transfer: it greets, reads part of the VM, and
/// closes the connection.
#[test]
fn a_receiver_dying_mid_transfer_loses_nothing() {
    let dir = scratch("dying");
    let whole = at_home(&dir, "jit");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut hello = [0u8; 9 + 12];
        s.read_exact(&mut hello).unwrap();
        // Reply with a valid challenge, take a little of the VM, then die.
        let mut challenge = vec![2u8];
        challenge.extend_from_slice(&37u64.to_le_bytes());
        challenge.extend_from_slice(&1u32.to_le_bytes());
        challenge.push(0);
        challenge.extend_from_slice(&[7u8; 32]);
        s.write_all(&challenge).unwrap();
        let mut some = [0u8; 1000];
        let _ = s.read(&mut some);
        drop(s); // killed
    });
    let out = myvmm(&[
        "--dump-format",
        "json",
        "-v",
        program(&dir, &format!("127.0.0.1:{port}")).to_str().unwrap(),
    ]);
    fake.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("goes on here"), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), whole);
}

#[test]
fn a_receiver_survives_garbage_oversized_and_stalled_peers() {
    let dir = scratch("hostile");
    let port = free_port();
    let receiver =
        Receiver::start(port, &["--exit-after", "1", "--migration-timeout", "2", "--max-migration-mb", "64"]);
    let addr = format!("127.0.0.1:{port}");
    // Stalled: connects and says nothing (held open across the real migration).
    let stalled = TcpStream::connect(&addr).unwrap();
    // Garbage.
    let mut garbage = TcpStream::connect(&addr).unwrap();
    let _ = garbage.write_all(&[0xde; 5000]);
    // Oversized: a valid greeting, then data far over the limit.
    let mut big = TcpStream::connect(&addr).unwrap();
    let mut hello = vec![1u8];
    hello.extend_from_slice(&12u64.to_le_bytes());
    hello.extend_from_slice(b"MYVMMIG1");
    hello.extend_from_slice(&1u32.to_le_bytes());
    big.write_all(&hello).unwrap();
    let mut challenge = [0u8; 9 + 37];
    big.read_exact(&mut challenge).unwrap();
    let mut data = vec![4u8];
    data.extend_from_slice(&(1u64 << 40).to_le_bytes());
    big.write_all(&data).unwrap();
    let mut reply = Vec::new();
    let _ = big.read_to_end(&mut reply);
    assert_eq!(reply.first(), Some(&6u8), "oversized data is refused");
    assert!(text(&reply).contains("exceeds the limit"), "{}", text(&reply));
    // The receiver still takes a real migration.
    let prog = program(&dir, &addr);
    let out = myvmm(&["--dump-format", "json", "-v", prog.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let (received, status) = receiver.finish(Duration::from_secs(20));
    assert_eq!(status, Some(0));
    assert!(received.contains("\"retired\":"), "{received}");
    drop(stalled);
}

#[test]
fn keys_are_enforced_and_never_printed() {
    let dir = scratch("keys");
    let (good, bad) = (dir.join("good.key"), dir.join("bad.key"));
    std::fs::write(&good, "correct-horse-battery-staple\n").unwrap();
    std::fs::write(&bad, "wrong-key-entirely\n").unwrap();
    let port = free_port();
    let receiver = Receiver::start(port, &["--exit-after", "1", "--migration-key", good.to_str().unwrap()]);
    let prog = program(&dir, &format!("127.0.0.1:{port}"));
    for (key, why) in [(Some(&bad), "authentication failed"), (None, "requires --migration-key")] {
        let mut args = vec!["--dump-format", "json", "-v", prog.to_str().unwrap()];
        if let Some(k) = key {
            args.extend(["--migration-key", k.to_str().unwrap()]);
        }
        let out = myvmm(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(err.contains(why) && err.contains("goes on here"), "{err}");
        assert!(!err.contains("correct-horse") && !err.contains("wrong-key"), "a key was printed: {err}");
        assert!(text(&out.stdout).contains("\"retired\":"), "the VM finished at home");
    }
    let out = myvmm(&[
        "--dump-format",
        "json",
        "--migration-key",
        good.to_str().unwrap(),
        "-v",
        prog.to_str().unwrap(),
    ]);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let (received, _) = receiver.finish(Duration::from_secs(20));
    assert!(received.contains("\"retired\":") && !received.contains("correct-horse"), "{received}");
}

#[test]
fn fifty_concurrent_migrations_into_one_receiver_complete() {
    let dir = scratch("fifty");
    let port = free_port();
    let receiver = Receiver::start(port, &["--exit-after", "50"]);
    let prog = program(&dir, &format!("127.0.0.1:{port}"));
    let mut args = vec!["--dump-format".to_string(), "json".to_string()];
    for _ in 0..50 {
        args.extend(["-v".to_string(), prog.display().to_string()]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_myvmm")).args(&args).stdin(Stdio::null()).output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("migrated to").count(), 50, "{err}");
    let (received, status) = receiver.finish(Duration::from_secs(60));
    assert_eq!(status, Some(0));
    assert_eq!(received.matches("\"retired\":257").count(), 50, "{received}");
}

/// Two hosts: network namespaces joined by a veth pair. Needs root and
/// `ip`; skipped with a message where the machine does not permit it.
#[test]
fn migration_across_two_network_namespaces() {
    let ns =
        |args: &[&str]| Command::new("ip").args(args).output().map(|o| o.status.success()).unwrap_or(false);
    let (a, b) = (format!("myvmm-a-{}", std::process::id()), format!("myvmm-b-{}", std::process::id()));
    if !ns(&["netns", "add", &a]) {
        eprintln!("skipped: cannot create network namespaces here (needs root and iproute2)");
        return;
    }
    let cleanup = |a: &str, b: &str| {
        ns(&["netns", "del", a]);
        ns(&["netns", "del", b]);
    };
    let ok = ns(&["netns", "add", &b])
        && ns(&["link", "add", "mvA", "netns", &a, "type", "veth", "peer", "name", "mvB", "netns", &b])
        && ns(&["-n", &a, "addr", "add", "10.231.0.1/24", "dev", "mvA"])
        && ns(&["-n", &b, "addr", "add", "10.231.0.2/24", "dev", "mvB"])
        && ns(&["-n", &a, "link", "set", "mvA", "up"])
        && ns(&["-n", &b, "link", "set", "mvB", "up"])
        && ns(&["-n", &a, "link", "set", "lo", "up"])
        && ns(&["-n", &b, "link", "set", "lo", "up"]);
    if !ok {
        cleanup(&a, &b);
        eprintln!("skipped: cannot set up a veth pair between namespaces here");
        return;
    }
    let dir = scratch("netns");
    let prog = program(&dir, "10.231.0.2:2830");
    let mut receiver = Command::new("ip")
        .args([
            "netns",
            "exec",
            &b,
            env!("CARGO_BIN_EXE_myvmm"),
            "--listen",
            "10.231.0.2:2830",
            "--exit-after",
            "1",
            "--dump-format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let out = Command::new("ip")
        .args([
            "netns",
            "exec",
            &a,
            env!("CARGO_BIN_EXE_myvmm"),
            "--dump-format",
            "json",
            "-v",
            prog.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let start = Instant::now();
    while receiver.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = receiver.kill();
    let received = receiver.wait_with_output().unwrap();
    cleanup(&a, &b);
    assert!(text(&out.stderr).contains("migrated to 10.231.0.2:2830"), "{}", text(&out.stderr));
    assert!(text(&received.stdout).contains("\"retired\":257"), "{}", text(&received.stdout));
}

#[test]
fn a_receiver_stops_cleanly_on_sigterm_and_sigint() {
    for signal in ["-TERM", "-INT"] {
        let port = free_port();
        let receiver = Receiver::start(port, &[]);
        let pid = receiver.child.id().to_string();
        let Ok(status) = Command::new("kill").args([signal, &pid]).status() else {
            eprintln!("skipped: no `kill` command to send {signal}");
            return;
        };
        assert!(status.success());
        let (_, status) = receiver.finish(Duration::from_secs(10));
        assert_eq!(status, Some(0), "{signal}");
    }
}

/// A real receiver process killed (SIGKILL) in the middle of a transfer: a
/// proxy between the two forwards the first MiB, then kills it. The VM must
/// finish at home with exactly the output it has when no migration happens.
#[test]
fn a_real_receiver_killed_mid_transfer_loses_nothing() {
    let dir = scratch("killed");
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("asm/snapshots/bigheap.s"))
            .unwrap();
    let write_prog = |target: &str| {
        let path = dir.join("big.s");
        std::fs::write(&path, source.replace("SNAPSHOT bigheap.snap", &format!("MIGRATE {target}"))).unwrap();
        path
    };
    let dead = format!("127.0.0.1:{}", free_port());
    let home = myvmm(&[
        "--dump-format",
        "json",
        "--migration-timeout",
        "2",
        "-v",
        write_prog(&dead).to_str().unwrap(),
    ]);
    assert_eq!(home.status.code(), Some(0), "{}", text(&home.stderr));
    let port = free_port();
    let receiver = Receiver::start(port, &[]);
    let pid = receiver.child.id().to_string();
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_port = proxy.local_addr().unwrap().port();
    let forwarder = std::thread::spawn(move || {
        let (mut from_sender, _) = proxy.accept().unwrap();
        let mut to_receiver = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut back = to_receiver.try_clone().unwrap();
        let mut sender_side = from_sender.try_clone().unwrap();
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut back, &mut sender_side);
        });
        let mut buf = vec![0u8; 64 << 10];
        let mut forwarded = 0usize;
        while forwarded < 1 << 20 {
            match from_sender.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to_receiver.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    forwarded += n;
                }
            }
        }
        let killed =
            Command::new("kill").args(["-KILL", &pid]).status().map(|s| s.success()).unwrap_or(false);
        let _ = from_sender.shutdown(std::net::Shutdown::Both);
        let _ = to_receiver.shutdown(std::net::Shutdown::Both);
        (forwarded, killed)
    });
    let out = myvmm(&[
        "--dump-format",
        "json",
        "-v",
        write_prog(&format!("127.0.0.1:{proxy_port}")).to_str().unwrap(),
    ]);
    let (forwarded, killed) = forwarder.join().unwrap();
    if !killed {
        eprintln!("skipped: no `kill` command");
        return;
    }
    assert!(forwarded >= 1 << 20, "the transfer was under way: {forwarded} bytes");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("goes on here"), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        text(&home.stdout),
        "the VM finished at home exactly as without a migration"
    );
    drop(receiver);
}
