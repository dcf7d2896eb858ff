//! Helpers shared by the migration tests: scratch folders, free ports, the
//! migrating counter program, and receiver processes.
#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the counter program prints when it snapshots (or migrates).
pub const MARKER: &str = "-- snapshot --\n";

/// A fresh folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A port nobody listens on (yet).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A program from `asm/snapshots/NAME.s` with its SNAPSHOT replaced by
/// `MIGRATE target`, written into `dir`.
pub fn migrating(dir: &Path, name: &str, target: &str) -> PathBuf {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("asm/snapshots/{name}.s")),
    )
    .unwrap();
    let path = dir.join(format!("{name}-migrating.s"));
    let replaced = source.replace(&format!("SNAPSHOT {name}.snap"), &format!("MIGRATE {target}"));
    assert_ne!(replaced, source, "{name}.s has a SNAPSHOT to replace");
    std::fs::write(&path, replaced).unwrap();
    path
}

/// The counter program (writes .data and the heap) migrating to `target`.
pub fn program(dir: &Path, target: &str) -> PathBuf {
    migrating(dir, "counter", target)
}

/// Runs myvmm to its end.
pub fn myvmm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_myvmm")).args(args).stdin(Stdio::null()).output().expect("myvmm runs")
}

/// Sends `signal` to process `pid`.
pub fn signal(pid: u32, signal: i32) {
    // SAFETY: kill(2) on a child this test started and has not yet reaped,
    // so the pid cannot have been reused; it touches no memory.
    let r = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(r, 0, "kill({pid}, {signal}) failed: {}", std::io::Error::last_os_error());
}

/// A receiver process, ready once it has said where it listens.
pub struct Receiver {
    /// The process.
    pub child: Child,
    stderr: Option<JoinHandle<String>>,
    /// Lines of stderr before the listening line ended (warnings come after).
    pub first_line: String,
}

/// How a receiver ended.
pub struct Ended {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit status.
    pub status: Option<i32>,
}

impl Receiver {
    /// Starts `myvmm --listen PORT --dump-format json EXTRA…`.
    pub fn start(port: u16, extra: &[&str]) -> Receiver {
        Receiver::start_on(&port.to_string(), extra)
    }

    /// Starts `myvmm --listen ADDR --dump-format json EXTRA…`.
    pub fn start_on(addr: &str, extra: &[&str]) -> Receiver {
        let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .args(["--listen", addr, "--dump-format", "json"])
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
        let first_line = line.clone();
        let stderr = std::thread::spawn(move || {
            let mut rest = line;
            let _ = stderr.read_to_string(&mut rest);
            rest
        });
        Receiver { child, stderr: Some(stderr), first_line }
    }

    /// The port the receiver listens on (as it said at start): a receiver
    /// started on port 0 has one no other test can have picked too.
    pub fn port(&self) -> u16 {
        let addr = self.first_line.trim().rsplit(' ').next().unwrap_or_default();
        addr.rsplit(':').next().and_then(|p| p.parse().ok()).expect("the receiver names its port")
    }

    /// The receiver's peak resident memory so far, in KiB (VmHWM).
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// Waits (bounded) for the receiver to exit; returns its stdout and status.
    pub fn finish(self, within: Duration) -> (String, Option<i32>) {
        let ended = self.ended(within);
        (ended.stdout, ended.status)
    }

    /// Waits (bounded) for the receiver to exit; returns all it said.
    pub fn ended(mut self, within: Duration) -> Ended {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stdout = String::new();
                self.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
                let stderr = self.stderr.take().unwrap().join().unwrap();
                return Ended { stdout, stderr, status: status.code() };
            }
            if start.elapsed() > within {
                let _ = self.child.kill();
                panic!("the receiver did not finish within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the receiver with SIGTERM (it finishes the migrations in
    /// flight, then stops its VMs) and returns all it said. The VMs these
    /// tests migrate end within microseconds of arriving; a moment's wait
    /// lets the last one end on its own before the stop.
    pub fn stop(self) -> Ended {
        std::thread::sleep(Duration::from_millis(200));
        signal(self.child.id(), libc::SIGTERM);
        self.ended(Duration::from_secs(20))
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The whole output of the counter program when the VM stays at home.
pub fn at_home(dir: &Path, engine: &str) -> String {
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

/// A forwarding proxy on loopback for one connection: bytes from the
/// sender pass through `tamper` (offset in the stream, bytes) on their way
/// to `port`; bytes back pass untouched. Returns its port and a handle that
/// yields everything the sender sent.
pub fn proxy(
    port: u16,
    mut tamper: impl FnMut(usize, &mut [u8]) + Send + 'static,
) -> (u16, JoinHandle<Vec<u8>>) {
    use std::io::Write;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut from_sender, _) = listener.accept().unwrap();
        let mut to_receiver = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (mut back, mut sender_side) =
            (to_receiver.try_clone().unwrap(), from_sender.try_clone().unwrap());
        let back_thread = std::thread::spawn(move || {
            let _ = std::io::copy(&mut back, &mut sender_side);
            let _ = sender_side.shutdown(std::net::Shutdown::Both);
        });
        from_sender.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut recorded = Vec::new();
        let mut buf = vec![0u8; 64 << 10];
        loop {
            match from_sender.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    recorded.extend_from_slice(&buf[..n]);
                    tamper(recorded.len() - n, &mut buf[..n]);
                    if to_receiver.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to_receiver.shutdown(std::net::Shutdown::Write);
        let _ = back_thread.join();
        recorded
    });
    (proxy_port, handle)
}
