//! Hostile peers against a real `myvmm --listen` on loopback (issue 9,
//! finding 3): each reproducer ends in a clean refusal, the receiver's
//! memory stays within its budget, and it keeps serving.

mod support;

use myvmm::migrate::wire::{Hello, Purpose};
use myvmm::migrate::{Frame, MigrateConfig, MigrateError, Session};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};
use support::*;

fn hello(id: u8, archive_len: u64, page_bytes: u64) -> Hello {
    Hello { purpose: Purpose::Migrate, id: [id; 16], archive_len, page_bytes }
}

fn config() -> MigrateConfig {
    MigrateConfig { timeout: Duration::from_secs(5), ..MigrateConfig::default() }
}

/// The archive (without pages) of a real VM with 48 MiB of heap in use, its
/// header, and its heap's first page.
fn big_vm_archive() -> (Vec<u8>, myvmm::snapshot::Header, u32) {
    use myvmm::snapshot::{Header, Snapshot, VmState};
    let dir = scratch("big_vm_archive");
    let source =
        ".text\nmain: li $a0, 50331648\n li $v0, 9\n syscall\n SNAPSHOT big.snap\n li $v0, 10\n syscall\n";
    std::fs::write(dir.join("big.s"), source).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(&dir)
        .args(["-v", "big.s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let snap = Snapshot::open(&dir.join("big.snap")).unwrap();
    let program = snap.program().unwrap();
    let m = snap.restore(&myvmm::vm::Image::new(program.clone())).unwrap();
    let state = VmState { machine: &m, slice: 1000, rngs: Vec::new() };
    let image = myvmm::snapshot::image(&state, false);
    let archive = rkyv::to_bytes::<rkyv::rancor::Error>(&image).unwrap().to_vec();
    let header = Header::new(&archive, program.fingerprint());
    (archive, header, m.mem.layout().heap_start >> 12)
}

/// Four peers each send a real VM with 48 MiB of pages to a receiver whose
/// budget is 64 MiB for everything: one at a time is let in, the others
/// are told it is busy, and the receiver's peak memory stays near the
/// budget, not four times it.
#[test]
fn one_memory_budget_bounds_all_connections_together() {
    let (archive, header, heap) = big_vm_archive();
    let port = free_port();
    let receiver = Receiver::start(port, &["--max-migration-mb", "64"]);
    let addr = format!("127.0.0.1:{port}");
    let size = 48u64 << 20;
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let peers: Vec<_> = (0..4u8)
        .map(|i| {
            let (addr, archive, start) = (addr.clone(), archive.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                let hello = hello(i, archive.len() as u64, size);
                let mut s = match Session::connect(&addr, &config(), &hello) {
                    Ok(s) => s,
                    Err(MigrateError::Refused(why)) => return Err(why),
                    Err(e) => panic!("peer {i}: {e}"),
                };
                s.head(Frame::Archive, 16 + archive.len() as u64).unwrap();
                s.write(&header.checksum.to_le_bytes()).unwrap();
                s.write(&header.fingerprint.to_le_bytes()).unwrap();
                s.write(&archive).unwrap();
                let chunk = vec![0x5au8; 1 << 20];
                for n in 0..48u32 {
                    s.head(Frame::Page, 4 + chunk.len() as u64).unwrap();
                    s.write(&(heap + n * 256).to_le_bytes()).unwrap();
                    s.write(&chunk).unwrap();
                }
                s.frame(Frame::End, &[]).unwrap();
                s.flush().unwrap();
                s.expect(Frame::Accept, "ACCEPT").unwrap();
                // Never commits: the VM is dropped and the budget freed.
                Ok(format!("peer {i} accepted"))
            })
        })
        .collect();
    let results: Vec<_> = peers.into_iter().map(|p| p.join().unwrap()).collect();
    let admitted = results.iter().filter(|r| r.is_ok()).count();
    let busy: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(admitted >= 1, "{results:?}");
    for why in &busy {
        assert!(why.starts_with("busy:") && why.contains("--max-migration-mb"), "{why}");
    }
    let peak_mib = receiver.peak_rss_kib() / 1024;
    assert!(peak_mib < 64 + 48, "the receiver peaked at {peak_mib} MiB with a 64 MiB budget");
    // The budget came back: a real VM still migrates.
    std::thread::sleep(Duration::from_millis(300));
    let dir = scratch("budget");
    let out = myvmm(&["--dump-format", "json", "-v", program(&dir, &addr).to_str().unwrap()]);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let ended = receiver.stop();
    assert!(ended.stdout.contains("\"retired\":257"), "{}", ended.stdout);
    eprintln!("receiver peak RSS {peak_mib} MiB; {admitted} let in, {} busy", busy.len());
}

/// A receiver that refuses in the middle of a transfer (here: pages where
/// the VM maps none) lets the sender finish writing, so the sender reads the
/// reason instead of a reset connection.
#[test]
fn a_refusal_mid_transfer_reaches_the_sender() {
    let (archive, header, _) = big_vm_archive();
    let port = free_port();
    let receiver = Receiver::start(port, &[]);
    let addr = format!("127.0.0.1:{port}");
    let mut s = Session::connect(&addr, &config(), &hello(1, archive.len() as u64, 32 << 20)).unwrap();
    s.head(Frame::Archive, 16 + archive.len() as u64).unwrap();
    s.write(&header.checksum.to_le_bytes()).unwrap();
    s.write(&header.fingerprint.to_le_bytes()).unwrap();
    s.write(&archive).unwrap();
    let chunk = vec![0x5au8; 1 << 20];
    for n in 0..32u32 {
        s.head(Frame::Page, 4 + chunk.len() as u64).unwrap();
        s.write(&(n * 256).to_le_bytes()).unwrap(); // page 0 and up: unmapped
        s.write(&chunk).unwrap();
    }
    s.frame(Frame::End, &[]).unwrap();
    s.flush().unwrap();
    match s.expect(Frame::Accept, "a verdict") {
        Err(MigrateError::Refused(why)) => {
            assert!(why.contains("pages at 0x00000000 lie outside the VM's memory"), "{why}")
        }
        other => panic!("pages outside the VM were not refused: {other:?}"),
    }
    drop(receiver);
}

/// A proxy without the key alters one byte of the stream (in the
/// handshake, among the pages, at the very end): the receiver refuses, the
/// VM finishes at home exactly as if it had never tried to leave, and the
/// receiver goes on serving.
#[test]
fn a_tampering_proxy_without_the_key_is_refused_and_the_vm_resumes_at_home() {
    let dir = scratch("tamper");
    let key = dir.join("key");
    std::fs::write(&key, [7u8; 32]).unwrap();
    let home = at_home(&dir, "jit");
    let port = free_port();
    let receiver = Receiver::start(port, &["--migration-key", key.to_str().unwrap()]);
    let send = |to: u16| {
        myvmm(&[
            "--dump-format",
            "json",
            "--migration-key",
            key.to_str().unwrap(),
            "-v",
            program(&dir, &format!("127.0.0.1:{to}")).to_str().unwrap(),
        ])
    };
    // How long the sender's stream is, through a proxy that changes nothing.
    let (proxy_port, recorded) = proxy(port, |_, _| {});
    assert!(text(&send(proxy_port).stderr).contains("migrated to"));
    let len = recorded.join().unwrap().len();
    for (at, what) in [(20, "handshake"), (200, "archive"), (len / 2, "pages"), (len - 1, "end")] {
        let (proxy_port, _) = proxy(port, move |offset, bytes| {
            if (offset..offset + bytes.len()).contains(&at) {
                bytes[at - offset] ^= 0x01;
            }
        });
        let out = send(proxy_port);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{what}: {err}");
        assert!(err.contains("goes on here"), "{what} (byte {at} of {len}): {err}");
        assert_eq!(text(&out.stdout), home, "{what}: the VM finished at home");
    }
    // Still serving: an untouched migration goes through.
    let out = send(port);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let ended = receiver.stop();
    assert_eq!(ended.stdout.matches("\"retired\":257").count(), 2, "{}", ended.stdout);
    assert!(ended.stderr.contains("failed authentication"), "{}", ended.stderr);
}

/// A migration recorded on the wire and played again is refused by its id,
/// with or without a key: the VM runs once.
#[test]
fn a_replayed_recording_is_refused_and_the_vm_runs_once() {
    for keyed in [false, true] {
        let dir = scratch(&format!("replay_{keyed}"));
        let key = dir.join("key");
        std::fs::write(&key, [3u8; 32]).unwrap();
        let mut key_args = vec![];
        if keyed {
            key_args = vec!["--migration-key", key.to_str().unwrap()];
        }
        let port = free_port();
        let receiver = Receiver::start(port, &key_args);
        let (proxy_port, recorded) = proxy(port, |_, _| {});
        let prog = program(&dir, &format!("127.0.0.1:{proxy_port}"));
        let mut args = vec!["--dump-format", "json", "-v", prog.to_str().unwrap()];
        args.extend(&key_args);
        let out = myvmm(&args);
        assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
        let recording = recorded.join().unwrap();
        // Played again, whole, straight into the receiver.
        let mut replay = TcpStream::connect(("127.0.0.1", port)).unwrap();
        replay.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = replay.write_all(&recording);
        let mut answer = Vec::new();
        let _ = replay.read_to_end(&mut answer);
        std::thread::sleep(Duration::from_millis(300));
        let ended = receiver.stop();
        assert_eq!(ended.stdout.matches("\"retired\":257").count(), 1, "keyed {keyed}: {}", ended.stdout);
        assert!(ended.stderr.contains("was already received here"), "keyed {keyed}: {}", ended.stderr);
    }
}

/// A peer that sends one byte now and then is cut off by the handshake's
/// time limit; one that trickles records after the handshake by the
/// connection's deadline; and 70 silent connections (more than the receiver
/// serves at once) do not keep a real migration out for long.
#[test]
fn slow_peers_are_cut_off_by_the_total_deadline() {
    let port = free_port();
    let receiver = Receiver::start(
        port,
        &["--migration-timeout", "2", "--migration-deadline", "3", "--exit-after", "1"],
    );
    let addr = format!("127.0.0.1:{port}");
    // Before the handshake: a byte every 0.4 s never lets one read time out.
    let mut slow = TcpStream::connect(&addr).unwrap();
    let mut writer = slow.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for b in b"MYVMMIG2\0".iter().cycle().take(40) {
            if writer.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(400));
        }
    });
    let start = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let cut = start.elapsed();
    assert!(cut < Duration::from_secs(4), "the slow peer was held for {cut:?}");
    drop(trickle);
    // After the handshake: one byte per record, every 0.5 s.
    let start = Instant::now();
    let mut s = Session::connect(&addr, &config(), &hello(1, 1000, 0)).unwrap();
    s.head(Frame::Archive, 1016).unwrap();
    let mut broke = None;
    for _ in 0..40 {
        if let Err(e) = s.write(&[0]).and_then(|_| s.flush()) {
            broke = Some(e);
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let held = start.elapsed();
    assert!(broke.is_some(), "the trickling peer was never cut off");
    assert!(held < Duration::from_secs(6), "the trickling peer was held for {held:?}");
    // Seventy silent connections: cut after the handshake's 2 s.
    let silent: Vec<_> = (0..70).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(2500));
    let dir = scratch("slow");
    let out = myvmm(&["--dump-format", "json", "-v", program(&dir, &addr).to_str().unwrap()]);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let ended = receiver.ended(Duration::from_secs(20));
    drop(silent);
    assert_eq!(ended.status, Some(0));
    assert!(
        ended.stderr.contains("timed out after 2 s waiting for the sender's greeting"),
        "{}",
        ended.stderr
    );
    assert!(
        ended.stderr.contains("timed out waiting for the VM's archive: the whole migration may take 3 s"),
        "{}",
        ended.stderr
    );
    assert!(!ended.stderr.contains("os error 11"), "{}", ended.stderr);
}

/// `--exit-after 1` with a migration in flight: the second sender is
/// refused (its VM finishes at home) rather than accepted and lost, and the
/// receiver exits only after the one it took has finished.
#[test]
fn exit_after_never_drops_an_accepted_migration() {
    let dir = scratch("exit_after");
    let home = at_home(&dir, "jit");
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let receiver = Receiver::start(port, &["--exit-after", "1"]);
    // A migration in flight holds the one slot.
    let held = Session::connect(&addr, &config(), &hello(1, 1000, 0)).unwrap();
    let out = myvmm(&["--dump-format", "json", "-v", program(&dir, &addr).to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(
        err.contains("takes no more migrations (--exit-after 1)") && err.contains("goes on here"),
        "{err}"
    );
    assert_eq!(text(&out.stdout), home);
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    // The slot is free again.
    let out = myvmm(&["--dump-format", "json", "-v", program(&dir, &addr).to_str().unwrap()]);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let ended = receiver.ended(Duration::from_secs(20));
    assert_eq!(ended.status, Some(0));
    assert_eq!(ended.stdout.matches("\"retired\":257").count(), 1, "{}", ended.stdout);
    // Racing: two senders at once, ten times. Each VM's output appears once.
    for trial in 0..10 {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let receiver = Receiver::start(port, &["--exit-after", "1"]);
        let prog = program(&dir, &addr);
        let senders: Vec<_> = (0..2)
            .map(|_| {
                let prog = prog.clone();
                std::thread::spawn(move || myvmm(&["--dump-format", "json", "-v", prog.to_str().unwrap()]))
            })
            .collect();
        let outs: Vec<_> = senders.into_iter().map(|s| s.join().unwrap()).collect();
        let ended = receiver.ended(Duration::from_secs(20));
        let at_home = outs.iter().filter(|o| text(&o.stdout).contains("\"retired\":257")).count();
        let moved = outs.iter().filter(|o| text(&o.stderr).contains("migrated to")).count();
        let there = ended.stdout.matches("\"retired\":257").count();
        assert_eq!(moved, there, "trial {trial}: every VM that left runs on the receiver");
        assert_eq!(at_home + there, 2, "trial {trial}: each VM ran exactly once");
    }
}

/// A forged snapshot that maps the whole address space read-write is
/// refused by `-s` and by a receiver; a VM bigger than the receiver's
/// limit is refused and finishes at home.
#[test]
fn forged_page_permissions_are_refused_for_snapshots_and_migrations() {
    use myvmm::snapshot::state::PermRunV1;
    use myvmm::snapshot::{Header, Snapshot, VmState};
    let dir = scratch("forged");
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/asm/snapshots/counter.s")).unwrap();
    std::fs::write(dir.join("counter.s"), &src).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(&dir)
        .args(["-v", "counter.s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let snap = Snapshot::open(&dir.join("counter.snap")).unwrap();
    let program = snap.program().unwrap();
    let machine = snap.restore(&myvmm::vm::Image::new(program.clone())).unwrap();
    let state = VmState { machine: &machine, slice: 1000, rngs: Vec::new() };
    let mut forged = myvmm::snapshot::image(&state, false);
    forged.memory.perms = vec![PermRunV1 { first: 0, count: 1 << 20, perm: 3 }];
    let archive = rkyv::to_bytes::<rkyv::rancor::Error>(&forged).unwrap();
    let header = Header::new(&archive, program.fingerprint());
    let path = dir.join("forged.snap");
    std::fs::write(&path, [&header.to_bytes()[..], &archive[..]].concat()).unwrap();
    let out = myvmm(&["-s", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("page permissions"), "{}", text(&out.stderr));
    // The same archive by migration.
    let port = free_port();
    let receiver = Receiver::start(port, &[]);
    let addr = format!("127.0.0.1:{port}");
    let mut s = Session::connect(&addr, &config(), &hello(5, archive.len() as u64, 0)).unwrap();
    s.head(Frame::Archive, 16 + archive.len() as u64).unwrap();
    s.write(&header.checksum.to_le_bytes()).unwrap();
    s.write(&header.fingerprint.to_le_bytes()).unwrap();
    s.write(&archive).unwrap();
    s.frame(Frame::End, &[]).unwrap();
    s.flush().unwrap();
    match s.expect(Frame::Accept, "a verdict") {
        Err(MigrateError::Refused(why)) => assert!(why.contains("page permissions"), "{why}"),
        other => panic!("forged permissions were accepted: {other:?}"),
    }
    drop(receiver);
    // The receiver's limit applies to the VMs it takes. The counter VM has
    // an 8 MiB stack: a receiver allowing 4 MiB refuses it (it finishes at
    // home) although its data is only a few KiB.
    let port = free_port();
    let receiver = Receiver::start(port, &["--max-migration-mb", "4"]);
    let out = myvmm(&["-v", support::program(&dir, &format!("127.0.0.1:{port}")).to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("over the memory limit of 4096 KiB") && err.contains("goes on here"), "{err}");
    drop(receiver);
    // One allowing 16 MiB takes it, and holds it to 16 MiB: a 32 MiB sbrk
    // that succeeds at home faults there.
    let port = free_port();
    let receiver = Receiver::start(port, &["--max-migration-mb", "16"]);
    let grow = dir.join("grow.s");
    std::fs::write(
        &grow,
        format!(
            ".text\nmain: MIGRATE 127.0.0.1:{port}\n li $a0, 33554432\n li $v0, 9\n syscall\n li $v0, 10\n syscall\n"
        ),
    )
    .unwrap();
    let out = myvmm(&["-v", grow.to_str().unwrap()]);
    assert!(text(&out.stderr).contains("migrated to"), "{}", text(&out.stderr));
    let ended = receiver.stop();
    // Stopped by SIGTERM: 143, whatever its VMs did.
    assert_eq!(ended.status, Some(143), "{}", ended.stderr);
    assert!(
        ended.stderr.contains("memory limit exceeded") && ended.stderr.contains("16384 KiB"),
        "{}",
        ended.stderr
    );
    let dead = dir.join("grow-home.s");
    std::fs::write(
        &dead,
        std::fs::read_to_string(&grow).unwrap().replace(&port.to_string(), &free_port().to_string()),
    )
    .unwrap();
    let out = myvmm(&["--migration-timeout", "2", "-v", dead.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "at home the same sbrk succeeds: {}", text(&out.stderr));
}

/// A receiver's refusal is printed with its control characters escaped; a
/// silent receiver is reported as a timeout naming what was awaited.
#[test]
fn refusals_are_escaped_and_timeouts_say_what_was_awaited() {
    use myvmm::migrate::channel::{respond, Timed};
    let dir = scratch("escape");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fake = std::thread::spawn(move || {
        let (s, _) = listener.accept().unwrap();
        let io = Timed::new(s, Duration::from_secs(5), Duration::from_secs(5)).unwrap();
        let (responding, _) = respond(io, None).unwrap();
        let _ = responding.answer(b"\x01no\x1b[2J\x1b]0;owned\x07 way");
        // A second connection that gets no answer at all.
        let (silent, _) = listener.accept().unwrap();
        std::thread::sleep(Duration::from_secs(4));
        drop(silent);
    });
    let prog = program(&dir, &format!("127.0.0.1:{port}"));
    let out = myvmm(&["--migration-timeout", "2", "-v", prog.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert!(err.contains("no\\u{1b}[2J"), "{err}");
    let out = myvmm(&["--migration-timeout", "2", "-v", prog.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(err.contains("timed out after 2 s waiting for the receiver's greeting"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    fake.join().unwrap();
}

/// A receiver on a non-loopback address without a key says loudly that
/// anyone who can reach it can run code; with a key, or on loopback, not.
#[test]
fn listening_openly_without_a_key_warns_loudly() {
    let dir = scratch("open");
    let key = dir.join("key");
    std::fs::write(&key, [1u8; 32]).unwrap();
    let port = free_port();
    let open = Receiver::start_on(&format!("0.0.0.0:{port}"), &[]);
    let ended = open.stop();
    assert!(ended.stderr.contains("ANYONE WHO CAN REACH THIS ADDRESS CAN RUN CODE"), "{}", ended.stderr);
    let keyed = Receiver::start_on(&format!("0.0.0.0:{port}"), &["--migration-key", key.to_str().unwrap()]);
    let ended = keyed.stop();
    assert!(!ended.stderr.contains("ANYONE"), "{}", ended.stderr);
    let local = Receiver::start(port, &[]);
    let ended = local.stop();
    assert!(!ended.stderr.contains("ANYONE"), "{}", ended.stderr);
}

/// Key files are read with a bound (`/dev/zero` is refused, not read until
/// memory runs out), and a short key gets a warning.
#[test]
fn key_files_are_bounded_and_short_keys_warned_about() {
    let out = myvmm(&["--listen", &free_port().to_string(), "--migration-key", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("larger than 4096 bytes"), "{}", text(&out.stderr));
    let dir = scratch("short_key");
    let key = dir.join("key");
    std::fs::write(&key, "abc\n").unwrap();
    let hello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("asm/mars/hello.s");
    let out = myvmm(&["--migration-key", key.to_str().unwrap(), "-v", hello.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is only 3 bytes"), "{}", text(&out.stderr));
}
