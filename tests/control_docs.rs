//! The session in `docs/control.md`, replayed against a real server: every
//! request is sent as written, and every reply must have the documented
//! shape (the same keys, the same error class, the same number of VMs;
//! values such as `pc` differ from run to run). The documentation cannot
//! go stale without this test failing.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The keys of an object (of each element, for an array), recursively for
/// nested objects; numbers, strings and booleans are only typed.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| (k.clone(), if k == "desc" { Value::Null } else { shape(v) })).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::String(_) => Value::String("string".into()),
        Value::Number(_) => Value::String("number".into()),
        other => other.clone(),
    }
}

#[test]
fn the_documented_session_replays_against_a_real_server() {
    let doc = std::fs::read_to_string("docs/control.md").unwrap();
    let block = doc
        .split("```control-session\n")
        .nth(1)
        .expect("a control-session block")
        .split("```")
        .next()
        .unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("control_docs");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let socket = dir.join("vm.sock");
    let mut child = Command::new(env!("CARGO_BIN_EXE_myvmm"))
        .arg("--control")
        .arg(&socket)
        .arg("--snapshot-dir")
        .arg(&dir)
        .arg("--checkpoint-every")
        .arg("3600")
        .arg(dir.join("ckpt"))
        .args(["-v", "asm/multi/spin.s", "-v", "asm/multi/spin.s"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let stream = loop {
        if let Ok(s) = UnixStream::connect(&socket) {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no control socket");
        std::thread::sleep(Duration::from_millis(10));
    };
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut exchanges = 0;
    for line in block.lines() {
        if let Some(request) = line.strip_prefix("-> ") {
            writer.write_all(request.as_bytes()).unwrap();
            writer.write_all(b"\n").unwrap();
        } else if let Some(documented) = line.strip_prefix("<- ") {
            let mut got = String::new();
            reader.read_line(&mut got).unwrap();
            let (want, got_value): (Value, Value) =
                (serde_json::from_str(documented).unwrap(), serde_json::from_str(&got).unwrap());
            assert_eq!(shape(&got_value), shape(&want), "documented: {documented}\nserved: {got}");
            if let Some(class) = want.pointer("/error/class") {
                assert_eq!(got_value.pointer("/error/class"), Some(class), "{got}");
            }
            if want.get("myvmm").is_some() {
                assert_eq!(got_value.pointer("/myvmm/commands"), want.pointer("/myvmm/commands"));
            }
            exchanges += 1;
        }
    }
    assert!(exchanges >= 10, "the session has its exchanges");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "quit ends the run normally");
    assert!(dir.join("two.snap").exists(), "the documented snapshot was written");
}
