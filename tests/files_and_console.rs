//! Hostile guests against the host's files, memory and console (issue 9,
//! findings 2, 5, 7 and 8), through the real `myvmm` binary under both
//! engines: SNAPSHOT and the file syscalls never reach outside their folder
//! (links included), a received VM snapshots into the receiver's folder,
//! concurrent snapshots never disturb each other, guest-chosen lengths never
//! set the host's memory (the child's peak RSS is measured), and two VMs
//! never share a line of output.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ENGINES: [&str; 2] = ["jit", "interp"];

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("files_and_console").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn myvmm_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myvmm runs");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("myvmm ends");
    feeder.join().unwrap();
    out
}

/// Every file under `dir`, relative to it (links not followed).
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                todo.push(entry.path());
            }
            found.push(entry.path().strip_prefix(dir).unwrap().display().to_string());
        }
    }
    found.sort();
    found
}

/// `DIR/in` (the allowed folder) with links out of it to `DIR/outside`.
fn layout(dir: &Path, folder: &str) -> PathBuf {
    let inside = dir.join(folder);
    std::fs::create_dir_all(inside.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    std::fs::write(dir.join("outside/secret"), "secret\n").unwrap();
    std::fs::write(dir.join("outside/victim"), "victim\n").unwrap();
    symlink(dir.join("outside/secret"), inside.join("abs")).unwrap();
    symlink("../outside/secret", inside.join("rel")).unwrap();
    symlink("../outside", inside.join("dirlink")).unwrap();
    symlink(dir.join("outside"), inside.join("abslink")).unwrap();
    inside
}

fn assert_outside_untouched(dir: &Path) {
    assert_eq!(tree(&dir.join("outside")), ["secret", "victim"]);
    assert_eq!(std::fs::read_to_string(dir.join("outside/secret")).unwrap(), "secret\n");
    assert_eq!(std::fs::read_to_string(dir.join("outside/victim")).unwrap(), "victim\n");
}

#[test]
fn snapshot_paths_never_leave_the_snapshot_folder() {
    let source = repo("asm/hostile/snapshot_escape.s");
    for engine in ENGINES {
        let dir = scratch(&format!("snapshot_escape_{engine}"));
        let snaps = layout(&dir, "snaps");
        symlink(dir.join("outside/victim"), snaps.join("victim.snap")).unwrap();
        let out = myvmm_in(
            &dir,
            &["--engine", engine, "--snapshot-dir", "snaps", "-v", source.to_str().unwrap()],
            b"",
        );
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{engine}: {err}");
        assert_eq!(text(&out.stdout), "42\nstill running\n", "{engine}: the VM goes on");
        for (path, why) in [
            ("/myvmm-escape-test.snap", "is an absolute path"),
            ("../up.snap", "`..` is not allowed"),
            ("sub/../../up2.snap", "`..` is not allowed"),
            ("dirlink/x.snap", "leads out of"),
            ("abslink/y.snap", "leads out of"),
        ] {
            let line = err.lines().find(|l| l.contains(&format!("SNAPSHOT {path} failed")));
            let line = line.unwrap_or_else(|| panic!("{engine}: no warning for {path}:\n{err}"));
            assert!(line.starts_with("warning: vm1: ") && line.contains(why), "{engine}: {line}");
            assert!(
                line.contains(snaps.canonicalize().unwrap().to_str().unwrap()),
                "names the folder: {line}"
            );
        }
        assert_eq!(err.lines().count(), 5, "{engine}: {err}");
        assert!(!Path::new("/myvmm-escape-test.snap").exists());
        assert_outside_untouched(&dir);
        assert_eq!(tree(&dir), {
            let mut t = vec!["outside", "outside/secret", "outside/victim", "snaps"];
            t.extend(["snaps/abs", "snaps/abslink", "snaps/dirlink", "snaps/ok.snap", "snaps/rel"]);
            t.extend(["snaps/sub", "snaps/victim.snap"]);
            t.sort();
            t
        });
        // The link at victim.snap was replaced by the snapshot, not written through.
        assert!(std::fs::symlink_metadata(snaps.join("victim.snap")).unwrap().is_file());
        // Each resumes (into a folder of its own: resuming at victim.snap snapshots again).
        std::fs::create_dir_all(dir.join("resumed")).unwrap();
        for snap in ["snaps/ok.snap", "snaps/victim.snap"] {
            let resumed = myvmm_in(&dir, &["--engine", engine, "--snapshot-dir", "resumed", "-s", snap], b"");
            assert_eq!(
                text(&resumed.stdout),
                "42\nstill running\n",
                "{engine} {snap}: {}",
                text(&resumed.stderr)
            );
        }
    }
}

#[test]
fn a_missing_snapshot_folder_is_refused_before_anything_runs() {
    let dir = scratch("snapshot_dir_missing");
    let source = repo("asm/mars/hello.s");
    let out = myvmm_in(&dir, &["--snapshot-dir", "nowhere", "-v", source.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("cannot use folder `nowhere`"), "{}", text(&out.stderr));
    let out = myvmm_in(&dir, &["--allow-files", "nowhere", "-v", source.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(2));
    let help = myvmm_in(&dir, &["--help"], b"");
    assert!(text(&help.stdout).contains("--snapshot-dir <DIR>"));
}

#[test]
fn guest_files_never_leave_the_allowed_folder() {
    let source = repo("asm/hostile/file_escape.s");
    for engine in ENGINES {
        let dir = scratch(&format!("file_escape_{engine}"));
        let allowed = layout(&dir, "in");
        let fifo = allowed.join("fifo");
        let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(status.success());
        let start = Instant::now();
        let out =
            myvmm_in(&dir, &["--engine", engine, "--allow-files", "in", "-v", source.to_str().unwrap()], b"");
        assert!(start.elapsed() < Duration::from_secs(10), "an open blocked");
        assert_eq!(out.status.code(), Some(0), "{engine}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), format!("{}ok\n", "-1 ".repeat(11)), "{engine}");
        assert_outside_untouched(&dir);
        assert!(!dir.join("new.txt").exists());
        assert_eq!(std::fs::read_to_string(allowed.join("inside.txt")).unwrap(), "ok\n");
    }
}

/// Runs myvmm with `stdin` fed from a thread (write errors ignored: the VM
/// may stop reading), stdout counted; returns (exit code, stdout bytes as
/// (total, newlines, last 16), stderr, peak RSS in KiB from wait4).
#[allow(clippy::zombie_processes, reason = "reaped by wait4, which also gives its peak RSS")]
fn measured(args: &[&str], stdin: Option<(u8, usize)>) -> (i32, (usize, usize, Vec<u8>), String, u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("myvmm runs");
    let pid = child.id() as libc::pid_t;
    let feeder = child.stdin.take().map(|mut input| {
        let (byte, total) = stdin.unwrap();
        std::thread::spawn(move || {
            let chunk = vec![byte; 1 << 20];
            for _ in 0..total >> 20 {
                if input.write_all(&chunk).is_err() {
                    return;
                }
            }
        })
    });
    let mut stdout = child.stdout.take().unwrap();
    let counter = std::thread::spawn(move || {
        let (mut total, mut newlines, mut tail) = (0usize, 0usize, Vec::new());
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = stdout.read(&mut buf).unwrap();
            if n == 0 {
                return (total, newlines, tail);
            }
            total += n;
            newlines += buf[..n].iter().filter(|&&b| b == b'\n').count();
            tail.extend_from_slice(&buf[..n]);
            let cut = tail.len().saturating_sub(16);
            tail.drain(..cut);
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut status = 0;
    // SAFETY: all-zero is a valid `rusage` (plain integers).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped (std's Child is never
    // waited on here); `status` and `usage` are valid for writes.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", std::io::Error::last_os_error());
    if let Some(feeder) = feeder {
        feeder.join().unwrap();
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -libc::WTERMSIG(status) };
    (code, counter.join().unwrap(), errors.join().unwrap(), usage.ru_maxrss as u64)
}

/// Host memory a VM may cost beyond its own limit.
const SLACK_KIB: u64 = 64 << 10;

#[test]
fn read_string_of_2_gib_on_a_1_mib_vm_faults_within_its_memory() {
    for engine in ENGINES {
        // 256 MiB of one endless line: once buffered whole, now read into guest memory.
        let (code, _, err, rss) =
            measured(&["--engine", engine, "-v", "asm/hostile/read_huge.cfg"], Some((b'a', 256 << 20)));
        assert_eq!(code, 1, "{engine}: {err}");
        assert!(err.contains("vm1 faulted: store to unmapped address"), "{engine}: {err}");
        assert!(err.contains("read_huge.s:11"), "{engine}: names the syscall: {err}");
        assert!(rss < (1 << 10) + SLACK_KIB, "{engine}: peak RSS {rss} KiB for a 1 MiB VM");
    }
}

#[test]
fn huge_unterminated_prints_pass_through_in_bounded_memory() {
    for engine in ENGINES {
        let (code, (total, newlines, tail), err, rss) =
            measured(&["--engine", engine, "-v", "asm/hostile/print_huge.cfg"], None);
        assert_eq!(code, 0, "{engine}: {err}");
        assert_eq!((total, newlines), (80 * ((1 << 20) - 1), 0), "{engine}: one VM's output is exact");
        assert_eq!(tail, b"x".repeat(16));
        assert!(rss < (4 << 10) + SLACK_KIB, "{engine}: peak RSS {rss} KiB for a 4 MiB VM");
    }
}

#[test]
fn huge_writes_pass_guest_memory_through_in_place() {
    for engine in ENGINES {
        let (code, (total, _, tail), err, rss) =
            measured(&["--engine", engine, "-v", "asm/hostile/write_huge.cfg"], None);
        assert_eq!(code, 1, "{engine}: {err}");
        assert_eq!(total, 2 * (192 << 20) + 4, "{engine}");
        assert!(tail.ends_with(b"\0\n14\n"), "{engine}: the 2 GiB Linux write got EFAULT: {tail:?}");
        assert!(err.contains("vm1 faulted: load from unmapped address"), "{engine}: {err}");
        assert!(err.contains("write_huge.s:47"), "{engine}: the 2 GiB MARS write faults: {err}");
        assert!(rss < (256 << 10) + SLACK_KIB, "{engine}: peak RSS {rss} KiB for a 256 MiB VM");
    }
}

#[test]
fn eight_vms_snapshotting_at_once_lose_no_write() {
    let template = std::fs::read_to_string(repo("asm/hostile/snapshot_storm.s")).unwrap();
    for engine in ENGINES {
        let dir = scratch(&format!("storm_{engine}"));
        let mut args = vec!["--engine".to_string(), engine.into(), "--workers".into(), "8".into()];
        for id in 1..=8 {
            let name = format!("storm{id}.s");
            std::fs::write(dir.join(&name), template.replace("VMID", &id.to_string())).unwrap();
            args.extend(["-v".into(), name]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = myvmm_in(&dir, &args, b"");
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{engine}: {err}");
        assert!(err.is_empty(), "{engine}: no snapshot may fail: {err}");
        let mut files = tree(&dir);
        files.retain(|f| f.ends_with(".snap") || f.contains("tmp"));
        let mut expected: Vec<String> = (1..=8).map(|id| format!("own_{id}.snap")).collect();
        expected.push("shared.snap".into());
        expected.sort();
        assert_eq!(files, expected, "{engine}: no temporary file left behind");
        // Each loads whole and resumes its own VM (into a folder of its own,
        // as it snapshots again).
        let resume = dir.join("resume");
        std::fs::create_dir_all(&resume).unwrap();
        for id in 1..=8 {
            let snap = format!("own_{id}.snap");
            let r = myvmm_in(&dir, &["--engine", engine, "--snapshot-dir", "resume", "-s", &snap], b"");
            assert_eq!(text(&r.stdout), format!("done {id}\n"), "{engine} {snap}: {}", text(&r.stderr));
        }
        let r = myvmm_in(&dir, &["--engine", engine, "--snapshot-dir", "resume", "-s", "shared.snap"], b"");
        let said = text(&r.stdout);
        assert!((1..=8).any(|id| said == format!("done {id}\n")), "{engine}: {said}{}", text(&r.stderr));
    }
}

#[test]
fn a_received_vm_snapshots_into_the_receivers_folder() {
    for engine in ENGINES {
        let dir = scratch(&format!("migrated_snapshot_{engine}"));
        for sub in ["sender", "receiver", "receiver/snaps"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut receiver = Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .current_dir(dir.join("receiver"))
            .args(["--engine", engine, "--listen", &port.to_string(), "--exit-after", "1"])
            .args(["--snapshot-dir", "snaps"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("receiver starts");
        let mut errors = BufReader::new(receiver.stderr.take().unwrap());
        let mut line = String::new();
        errors.read_line(&mut line).unwrap();
        assert!(line.contains("listening for migrations"), "{line}");
        let rest = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = errors.read_to_string(&mut s);
            s
        });
        let source = std::fs::read_to_string(repo("asm/hostile/migrate_snapshot.s")).unwrap();
        let prog = dir.join("sender/migrate_snapshot.s");
        std::fs::write(&prog, source.replace("TARGET", &format!("127.0.0.1:{port}"))).unwrap();
        let sent = myvmm_in(&dir.join("sender"), &["--engine", engine, "-v", "migrate_snapshot.s"], b"");
        assert_eq!(sent.status.code(), Some(0), "{engine}: {}", text(&sent.stderr));
        let start = Instant::now();
        let status = loop {
            if let Some(status) = receiver.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = receiver.kill();
                panic!("{engine}: the receiver did not finish");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = String::new();
        receiver.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        let err = rest.join().unwrap();
        assert_eq!(status.code(), Some(0), "{engine}: {err}");
        assert_eq!(stdout, "6\n", "{engine}: the VM went on after its snapshots");
        assert!(
            err.contains("SNAPSHOT ../moved_up.snap failed") && err.contains("`..` is not allowed"),
            "{err}"
        );
        assert_eq!(tree(&dir.join("sender")), ["migrate_snapshot.s"], "{engine}: nothing on the sender");
        assert_eq!(tree(&dir.join("receiver")), ["snaps", "snaps/moved.snap"], "{engine}");
        assert!(!dir.join("moved_up.snap").exists());
        let resumed = myvmm_in(&dir.join("receiver"), &["--engine", engine, "-s", "snaps/moved.snap"], b"");
        assert_eq!(text(&resumed.stdout), "6\n", "{engine}: {}", text(&resumed.stderr));
    }
}

#[test]
fn two_prompting_vms_never_share_a_line() {
    let ask = repo("asm/hostile/ask.s");
    let ask = ask.to_str().unwrap();
    let dir = scratch("ask");
    for engine in ENGINES {
        let out = myvmm_in(&dir, &["--engine", engine, "--workers", "1", "-v", ask, "-v", ask], b"1\n2\n");
        assert_eq!(out.status.code(), Some(0), "{engine}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "[vm1] n? \n[vm2] n? \n[vm1] 1\n[vm2] 2\n", "{engine}");
        // Any interleaving: every line is one VM's, prefixed, prompt first.
        let out = myvmm_in(
            &dir,
            &["--engine", engine, "--workers", "2", "-v", ask, "-v", ask, "-v", ask],
            b"7\n7\n7\n",
        );
        assert_eq!(out.status.code(), Some(0), "{engine}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        for vm in 1..=3 {
            let prefix = format!("[vm{vm}] ");
            let lines: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix(&prefix)).collect();
            assert!(lines == ["n? 7"] || lines == ["n? ", "7"], "{engine}: vm{vm}: {stdout}");
        }
        assert!(stdout.lines().all(|l| l.starts_with("[vm") && l.matches("[vm").count() == 1), "{stdout}");
    }
}
