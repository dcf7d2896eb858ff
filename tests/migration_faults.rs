//! Exactly once, under fault injection: a proxy between a real sender and a
//! real receiver cuts the migration's connection at every phase — the
//! handshake, the pre-copy rounds, the final pause, COMMIT, the answer — and
//! at 50 random byte offsets in either direction (queries the sender makes
//! afterwards get through). Every time, under both engines, the VM's output
//! appears exactly once across the two hosts, or the sender reports the
//! migration in doubt, keeps its snapshot, does not run it and exits 1 — and
//! then the output still never appears twice.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{scratch, text, Receiver};

/// Prints `tag:1` … `tag:24`, migrating after line 4 while it writes a
/// 2 MiB working set (so the migration takes several rounds).
fn program(tag: &str, target: &str) -> String {
    format!(
        "        .data
colon:  .asciiz \"{tag}:\"
        .text
main:   li      $a0, 3145728
        li      $v0, 9
        syscall
        move    $s0, $v0
        li      $s1, 1
line:   la      $a0, colon
        li      $v0, 4
        syscall
        move    $a0, $s1
        li      $v0, 1
        syscall
        li      $a0, 10
        li      $v0, 11
        syscall
        bne     $s1, 4, work
        MIGRATE {target}
work:   li      $t0, 0
        li      $t1, 524288
touch:  sll     $t2, $t0, 2
        addu    $t2, $t2, $s0
        addu    $t3, $t0, $s1
        sw      $t3, 0($t2)
        addiu   $t0, $t0, 1
        bne     $t0, $t1, touch
        addiu   $s1, $s1, 1
        ble     $s1, 24, line
"
    )
}

/// Which way a cut counts bytes.
#[derive(Clone, Copy, Debug)]
enum Way {
    /// Sender to receiver.
    Out,
    /// Receiver to sender.
    Back,
}

/// A proxy to `port` whose first connection is cut after `after` bytes
/// went `way`; later connections (the sender's queries) pass if `later`,
/// else are closed at once. Returns its port and the bytes each way of its
/// first connection.
fn proxy(port: u16, cut: Option<(Way, usize)>, later: bool) -> (u16, Arc<[AtomicUsize; 2]>) {
    proxy_killing(port, cut, later, Arc::new(AtomicU32::new(0)))
}

/// [`proxy`] that, at the cut, first kills process `victim` (0: none)
/// with SIGKILL, as a host dying there would.
fn proxy_killing(
    port: u16,
    cut: Option<(Way, usize)>,
    later: bool,
    victim: Arc<AtomicU32>,
) -> (u16, Arc<[AtomicUsize; 2]>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_port = listener.local_addr().unwrap().port();
    let counts: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    let seen = Arc::clone(&counts);
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(client) = stream else { return };
            if n > 0 && !later {
                continue;
            }
            let Ok(server) = TcpStream::connect(("127.0.0.1", port)) else { return };
            let cut = if n == 0 { cut } else { None };
            let limit = |way: usize| match cut {
                Some((Way::Out, at)) if way == 0 => Some(at),
                Some((Way::Back, at)) if way == 1 => Some(at),
                _ => None,
            };
            let pipes = [
                (client.try_clone().unwrap(), server.try_clone().unwrap(), limit(0)),
                (server.try_clone().unwrap(), client.try_clone().unwrap(), limit(1)),
            ];
            for (way, (mut from, mut to, limit)) in pipes.into_iter().enumerate() {
                let (client, server) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let counts = if n == 0 { Some(Arc::clone(&seen)) } else { None };
                let victim = Arc::clone(&victim);
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 << 10];
                    let mut total = 0usize;
                    loop {
                        let room = limit.map_or(buf.len(), |l| (l - total).min(buf.len()));
                        let got = if room == 0 { 0 } else { from.read(&mut buf[..room]).unwrap_or(0) };
                        if got == 0 || to.write_all(&buf[..got]).is_err() {
                            break;
                        }
                        total += got;
                        if let Some(c) = &counts {
                            c[way].store(total, Ordering::SeqCst);
                        }
                    }
                    if limit.is_some() {
                        let pid = victim.load(Ordering::SeqCst);
                        if pid != 0 {
                            // SAFETY: kill(2) on a child of this test, not yet
                            // reaped (its owner waits for it after this).
                            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
                        }
                        // The cut: both ends lose the connection at once.
                        let _ = client.shutdown(Shutdown::Both);
                        let _ = server.shutdown(Shutdown::Both);
                    } else {
                        let _ = to.shutdown(Shutdown::Write);
                    }
                });
            }
        }
    });
    (proxy_port, counts)
}

/// What one migration attempt left on both hosts.
struct Attempt {
    sent: Vec<String>,
    received: Vec<String>,
    status: Option<i32>,
    stderr: String,
}

fn attempt(
    dir: &Path,
    engine: &str,
    tag: &str,
    cut: Option<(Way, usize)>,
    later: bool,
) -> (Attempt, [usize; 2]) {
    // Port 0: the receiver picks a free one and names it (a port chosen
    // here first could be taken by a parallel test before it binds).
    let receiver = Receiver::start(0, &["--engine", engine, "--migration-timeout", "2", "--exit-after", "1"]);
    let port = receiver.port();
    let (proxy_port, counts) = proxy(port, cut, later);
    let prog = dir.join(format!("{tag}.s"));
    std::fs::write(&prog, program(tag, &format!("127.0.0.1:{proxy_port}"))).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .current_dir(dir)
        .args(["--engine", engine, "--migration-timeout", "3"])
        .arg(&prog)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    // A receiver that took the VM exits once it has finished there
    // (`--exit-after 1`); one that did not is stopped.
    let err = text(&out.stderr);
    let wait = if err.contains("migrated to") {
        Duration::from_secs(30)
    } else if err.contains("in doubt") {
        Duration::from_secs(3)
    } else {
        Duration::ZERO
    };
    let start = std::time::Instant::now();
    let mut running = true;
    while running && start.elapsed() < wait {
        std::thread::sleep(Duration::from_millis(10));
        // Looked at without reaping it, so the signal below cannot miss.
        running = std::fs::read_to_string(format!("/proc/{}/stat", receiver.child.id()))
            .is_ok_and(|stat| !stat.split(") ").nth(1).is_some_and(|rest| rest.starts_with('Z')));
    }
    if running {
        support::signal(receiver.child.id(), libc::SIGTERM);
    }
    let (received, _) = receiver.finish(Duration::from_secs(20));
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest).to_string())
            .filter(|l| l.starts_with(&format!("{tag}:")))
            .collect()
    };
    let bytes = [counts[0].load(Ordering::SeqCst), counts[1].load(Ordering::SeqCst)];
    let attempt = Attempt {
        sent: lines(&text(&out.stdout)),
        received: lines(&received),
        status: out.status.code(),
        stderr: text(&out.stderr),
    };
    (attempt, bytes)
}

/// How an attempt ended, for the tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ended {
    Home,
    Migrated,
    InDoubt,
}

/// Exactly once, or in doubt with its snapshot and never twice.
fn check(a: &Attempt, tag: &str, dir: &Path, what: &str) -> Ended {
    let all: Vec<String> = (1..=24).map(|i| format!("{tag}:{i}")).collect();
    let joined: Vec<String> = a.sent.iter().chain(&a.received).cloned().collect();
    let context = format!("{what}\nsent: {:?}\nreceived: {:?}\nstderr: {}", a.sent, a.received, a.stderr);
    let mut seen = std::collections::HashSet::new();
    assert!(joined.iter().all(|l| seen.insert(l.clone())), "a line appeared twice: {context}");
    match a.status {
        Some(0) => {
            assert_eq!(joined, all, "every line exactly once: {context}");
            if a.received.is_empty() {
                Ended::Home
            } else {
                Ended::Migrated
            }
        }
        Some(1) => {
            assert!(a.stderr.contains("is in doubt"), "{context}");
            let id = a.stderr.split("migration ").nth(1).unwrap().split(' ').next().unwrap();
            assert!(dir.join(format!("migration-{id}.snap")).is_file(), "the snapshot is kept: {context}");
            assert!(
                joined == all || joined == all[..a.sent.len()],
                "in doubt: nothing run here after the migration, the receiver ran all of it or none: {context}"
            );
            Ended::InDoubt
        }
        other => panic!("exit status {other:?}: {context}"),
    }
}

#[test]
fn cut_at_every_phase_and_at_random_offsets_the_vm_runs_exactly_once() {
    for engine in ["jit", "interp"] {
        let dir = scratch(&format!("migration_faults_{engine}"));
        // A clean run through the proxy measures the streams. (On a loaded
        // machine the VM may end at home while its memory is on its way:
        // then it is tried again.)
        let (_, [out_total, back_total]) = (0..3)
            .map(|n| {
                let tag = format!("clean{n}");
                let (a, bytes) = attempt(&dir, engine, &tag, None, true);
                check(&a, &tag, &dir, "no cut");
                assert_eq!(a.status, Some(0), "{}", a.stderr);
                (a, bytes)
            })
            .find(|(a, _)| a.stderr.contains("migrated to"))
            .expect("a clean migration succeeds within three tries");
        assert!(out_total > 2 << 20 && back_total > 0, "at least the first round: {out_total} {back_total}");
        let mut cuts: Vec<(Way, usize, String)> = Vec::new();
        // The handshake, the first round, later rounds, the final pause and
        // COMMIT (the last bytes out), each answer (the last bytes back).
        for at in [0, 9, 60, 200, 4096, 1 << 20, 3 << 20] {
            cuts.push((Way::Out, at, format!("out at {at}")));
        }
        for back in [1, 2, 5, 10, 20, 40, 80, 120, 200] {
            if back <= out_total {
                cuts.push((Way::Out, out_total - back, format!("out {back} before its end")));
            }
        }
        for at in 0..=back_total.min(160) {
            if at % 8 == 0 || back_total - at < 48 {
                cuts.push((Way::Back, at, format!("back at {at} of {back_total}")));
            }
        }
        // 50 random offsets, either way (a fixed seed).
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..50 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (way, total) = if seed % 4 == 0 { (Way::Back, back_total) } else { (Way::Out, out_total) };
            let at = (seed >> 8) as usize % total.max(1);
            cuts.push((way, at, format!("random {way:?} at {at}")));
        }
        let mut tally = std::collections::HashMap::new();
        for (k, (way, at, what)) in cuts.into_iter().enumerate() {
            let tag = format!("c{k}");
            let (a, _) = attempt(&dir, engine, &tag, Some((way, at)), true);
            *tally.entry(check(&a, &tag, &dir, &format!("{engine}: {what}"))).or_insert(0) += 1;
        }
        // The answer lost and the receiver out of reach for the questions:
        // in doubt, never twice.
        for back in [1, 12, 30] {
            let tag = format!("d{back}");
            let at = back_total.saturating_sub(back);
            let (a, _) = attempt(&dir, engine, &tag, Some((Way::Back, at)), false);
            let ended = check(&a, &tag, &dir, &format!("{engine}: back {back} before its end, no queries"));
            *tally.entry(ended).or_insert(0) += 1;
        }
        eprintln!("{engine}: {tally:?}");
        for ended in [Ended::Home, Ended::Migrated, Ended::InDoubt] {
            assert!(
                tally.get(&ended).is_some_and(|&n| n > 0),
                "{engine}: no case ended {ended:?}: {tally:?}"
            );
        }
    }
}

/// One receiver through a run of cut connections (each at another phase)
/// keeps serving: a clean migration into it afterwards succeeds, and it
/// never ran a VM whose sender kept it.
#[test]
fn a_receiver_keeps_serving_through_cut_connections() {
    let dir = scratch("migration_faults_serving");
    // Port 0: the receiver's own port, which a test running beside this
    // one cannot pick after it is gone (and take this test's last VM).
    let receiver = Receiver::start(0, &["--migration-timeout", "2", "--exit-after", "1"]);
    let port = receiver.port();
    let run = |tag: &str, cut: Option<(Way, usize)>| {
        let (proxy_port, _) = proxy(port, cut, true);
        let prog = dir.join(format!("{tag}.s"));
        std::fs::write(&prog, program(tag, &format!("127.0.0.1:{proxy_port}"))).unwrap();
        Command::new(env!("CARGO_BIN_EXE_myvmm"))
            .current_dir(&dir)
            .args(["--migration-timeout", "3"])
            .arg(&prog)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let mut home = Vec::new();
    for (k, at) in [0usize, 50, 5000, 1 << 20, 2 << 20].into_iter().enumerate() {
        let tag = format!("s{k}");
        let out = run(&tag, Some((Way::Out, at)));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        // Home either way: the cut failed the migration, or (on a loaded
        // machine, the cut coming late) the VM ended while its pages travelled.
        let err = text(&out.stderr);
        assert!(err.contains("goes on here") || err.contains("it stays here"), "{err}");
        home.push(tag);
    }
    // The receiver still takes a migration (tried again should the VM end
    // at home first on a loaded machine).
    let last = (0..3)
        .map(|n| format!("last{n}"))
        .find(|tag| text(&run(tag, None).stderr).contains("migrated to"))
        .expect("a clean migration succeeds within three tries");
    // It exits once that VM has finished there (`--exit-after 1`: the cut
    // ones never counted).
    let ended = receiver.ended(Duration::from_secs(60));
    let received = ended.stdout;
    assert!(
        received.contains(&format!("{last}:24")),
        "stdout: {received}\nstatus: {:?}\nstderr: {}",
        ended.status,
        ended.stderr
    );
    for tag in home {
        assert!(!received.contains(&format!("{tag}:")), "{tag} ran on the receiver too: {received}");
    }
}

/// A host dying mid-migration: the receiver or the sender is killed
/// (SIGKILL) at several points of the stream. The VM never runs twice: its
/// lines never repeat, and what ran runs in order (a VM killed with its
/// process is lost with it, as any process is).
#[test]
fn killing_either_host_mid_migration_never_runs_the_vm_twice() {
    let dir = scratch("migration_faults_kill");
    let all: Vec<String> = (1..=24).map(|i| format!("k:{i}")).collect();
    // The streams' sizes, from a clean run.
    let (clean, [out_total, back_total]) = attempt(&dir, "jit", "clean", None, true);
    assert_eq!(clean.status, Some(0), "{}", clean.stderr);
    let (mut killed, mut receivers_killed) = (0, 0);
    for (k, (way, back)) in [
        (Way::Out, None),
        (Way::Out, Some(5000)),
        (Way::Out, Some(40)),
        (Way::Back, Some(30)),
        (Way::Back, Some(5)),
    ]
    .into_iter()
    .enumerate()
    {
        for kill_receiver in [true, false] {
            let receiver = Receiver::start(0, &["--migration-timeout", "2", "--exit-after", "1"]);
            let port = receiver.port();
            let victim = Arc::new(AtomicU32::new(if kill_receiver { receiver.child.id() } else { 0 }));
            // Offsets from the streams' ends (or 1 MiB in).
            let at = match (way, back) {
                (Way::Out, None) => 1 << 20,
                (Way::Out, Some(b)) => out_total.saturating_sub(b),
                (Way::Back, Some(b)) => back_total.saturating_sub(b),
                (Way::Back, None) => 0,
            };
            let (proxy_port, _) = proxy_killing(port, Some((way, at)), true, Arc::clone(&victim));
            let prog = dir.join(format!("k{k}{kill_receiver}.s"));
            std::fs::write(&prog, program("k", &format!("127.0.0.1:{proxy_port}"))).unwrap();
            let sender = Command::new(env!("CARGO_BIN_EXE_myvmm"))
                .current_dir(&dir)
                .args(["--migration-timeout", "3"])
                .arg(&prog)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            if !kill_receiver {
                victim.store(sender.id(), Ordering::SeqCst);
            }
            let out = sender.wait_with_output().unwrap();
            let died = |pid: u32| out.status.code().is_none() && pid != 0;
            if !kill_receiver && died(victim.load(Ordering::SeqCst)) {
                killed += 1;
            }
            let start = std::time::Instant::now();
            let mut running = true;
            while running && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(10));
                running = std::fs::read_to_string(format!("/proc/{}/stat", receiver.child.id()))
                    .is_ok_and(|stat| !stat.split(") ").nth(1).is_some_and(|rest| rest.starts_with('Z')));
                if running && !kill_receiver && start.elapsed() > Duration::from_secs(2) {
                    break;
                }
            }
            if running {
                support::signal(receiver.child.id(), libc::SIGTERM);
            }
            let (received, receiver_status) = receiver.finish(Duration::from_secs(20));
            if kill_receiver && receiver_status.is_none() {
                receivers_killed += 1;
            }
            let lines = |t: &str| -> Vec<String> {
                t.lines()
                    .map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest).to_string())
                    .filter(|l| l.starts_with("k:"))
                    .collect()
            };
            let (sent, got) = (lines(&text(&out.stdout)), lines(&received));
            let joined: Vec<String> = sent.iter().chain(&got).cloned().collect();
            let context = format!(
                "{} killed at {way:?} {at}: sent {sent:?} received {got:?}\n{}",
                if kill_receiver { "receiver" } else { "sender" },
                text(&out.stderr)
            );
            assert!(
                joined.len() <= all.len() && joined[..] == all[..joined.len()],
                "never twice, in order: {context}"
            );
            if kill_receiver {
                // The sender lives: it finished at home, or is in doubt.
                match out.status.code() {
                    Some(0) => assert!(
                        sent == all || !got.is_empty() || text(&out.stderr).contains("migrated to"),
                        "{context}"
                    ),
                    Some(1) => assert!(text(&out.stderr).contains("is in doubt"), "{context}"),
                    other => panic!("status {other:?}: {context}"),
                }
            }
        }
    }
    assert!(killed >= 3, "the sender was killed mid-migration in most cases ({killed})");
    assert!(
        receivers_killed >= 3,
        "the receiver was killed mid-migration in most cases ({receivers_killed})"
    );
}
