//! `myvmm ctl SOCKET COMMAND [ARGS…]`: the control socket's client. It
//! sends one request, prints the reply (a table for `list` and `stats`, the
//! dump's text for `dump`, the reply's JSON otherwise) and exits 0, or 1
//! with the error on stderr; 2 when it cannot connect or is used wrongly.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

const USAGE: &str = "usage: myvmm ctl SOCKET COMMAND [ARGS]
commands:
  list                      every VM: number, state, pc, instructions retired
  pause N                   pause VM N at its next instruction boundary
  resume N                  let paused VM N run again
  dump N                    VM N's registers (DUMP_PROCESSOR_STATE)
  snapshot N FILE           write VM N's snapshot to FILE in the server's snapshot folder
  checkpoint N [DIR]        write VM N's next checkpoint (into DIR/vmN/, or where
                            --checkpoint-every puts them)
  migrate N HOST[:PORT]     send VM N to a `myvmm --listen` there
  stats                     per-VM figures
  quit                      stop every VM and end the server
  json REQUEST              send a raw JSON request line";

/// The request a command line asks for, or a usage message.
pub fn request(words: &[String]) -> Result<Value, String> {
    let number = |s: &String| s.parse::<u32>().map_err(|_| format!("`{s}` is not a VM number\n{USAGE}"));
    let words: Vec<&String> = words.iter().collect();
    match words.as_slice() {
        [cmd] if ["list", "stats", "quit"].contains(&cmd.as_str()) => Ok(json!({ "execute": cmd })),
        [cmd, n] if ["pause", "resume", "dump"].contains(&cmd.as_str()) => {
            Ok(json!({"execute": cmd, "arguments": {"vm": number(n)?}}))
        }
        [cmd, n, file] if cmd.as_str() == "snapshot" => {
            Ok(json!({"execute": "snapshot", "arguments": {"vm": number(n)?, "file": file}}))
        }
        [cmd, n] if cmd.as_str() == "checkpoint" => {
            Ok(json!({"execute": "checkpoint", "arguments": {"vm": number(n)?}}))
        }
        [cmd, n, dir] if cmd.as_str() == "checkpoint" => {
            Ok(json!({"execute": "checkpoint", "arguments": {"vm": number(n)?, "dir": dir}}))
        }
        [cmd, n, target] if cmd.as_str() == "migrate" => {
            Ok(json!({"execute": "migrate", "arguments": {"vm": number(n)?, "target": target}}))
        }
        [cmd, raw] if cmd.as_str() == "json" => {
            serde_json::from_str(raw).map_err(|e| format!("the request is not JSON: {e}"))
        }
        _ => Err(USAGE.to_string()),
    }
}

/// Runs the client on the arguments after `ctl`; returns the exit status.
pub fn main(args: &[String]) -> u8 {
    let Some((socket, words)) = args.split_first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    let request = match request(words) {
        Ok(r) => r,
        Err(usage) => {
            eprintln!("{usage}");
            return 2;
        }
    };
    let stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot connect to the control socket {socket}: {e} (is myvmm running with --control {socket}?)");
            return 2;
        }
    };
    // A pause waits for a boundary (5 s at most); a migration for its peer.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(300)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    });
    let mut greeting = String::new();
    let mut writer = stream;
    if reader.read_line(&mut greeting).is_err() || writeln!(writer, "{request}").is_err() {
        eprintln!("error: the control socket {socket} closed the connection");
        return 2;
    }
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        eprintln!("error: no reply from {socket}");
        return 2;
    }
    let reply: Value = match serde_json::from_str(&line) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: the reply is not JSON ({e}): {line}");
            return 2;
        }
    };
    if let Some(err) = reply.get("error") {
        let desc = err.get("desc").and_then(Value::as_str).unwrap_or("unknown error");
        let class = err.get("class").and_then(Value::as_str).unwrap_or("Error");
        eprintln!("error: {desc} ({class})");
        return 1;
    }
    let value = reply.get("return").cloned().unwrap_or(Value::Null);
    let command = request.get("execute").and_then(Value::as_str).unwrap_or("");
    let mut out = std::io::stdout().lock();
    let _ = match command {
        "list" => write_rows(&mut out, &value, &["state", "pc", "retired", "turns", "engine", "outcome"]),
        "stats" => {
            write_rows(&mut out, &value, &["state", "retired", "turns", "busy_seconds", "mips", "engine"])
        }
        "dump" => write!(out, "{}", value.get("dump").and_then(Value::as_str).unwrap_or("")),
        _ => writeln!(out, "{value}"),
    };
    0
}

/// One line per VM: `vmN key=value …` (pc in hex).
fn write_rows(out: &mut impl Write, rows: &Value, keys: &[&str]) -> std::io::Result<()> {
    for row in rows.as_array().map(Vec::as_slice).unwrap_or_default() {
        let mut line = format!("vm{}", row.get("vm").and_then(Value::as_u64).unwrap_or(0));
        for key in keys {
            match row.get(*key) {
                Some(Value::Number(n)) if *key == "pc" => {
                    line.push_str(&format!(" pc=0x{:08x}", n.as_u64().unwrap_or(0)))
                }
                Some(Value::String(s)) => line.push_str(&format!(" {key}={s}")),
                Some(Value::Number(n)) => line.push_str(&format!(" {key}={n}")),
                _ => {}
            }
        }
        if let Some(m) = row.get("migration") {
            let num = |k: &str| m.get(k).and_then(Value::as_f64).unwrap_or(0.0);
            line.push_str(&format!(
                " round={} dirty_pages={} sent={} rate={:.0}MB/s",
                num("round"),
                num("dirty_pages"),
                num("bytes"),
                num("rate") / 1e6
            ));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
