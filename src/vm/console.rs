//! Console output shared by all VMs: prefixed with `[vmN] ` when more than
//! one VM runs, and never mixed within a line (SPEC §5).
//!
//! Each VM keeps what follows its last newline ([`OutputBuffer`]) and hands
//! the console whole lines. A partial line reaches stdout only when it must:
//! a prompt before a read, output before a snapshot or migration, or a line
//! that has grown past [`MAX_PENDING`]. The console remembers which VM owns
//! such an open line: that VM's next text continues it, and any other VM's
//! text first ends it with a newline, so a line never holds two VMs' text.
//! When standard input is a terminal its echo ends the line, so after a read
//! the owner starts a new one.

use std::io::{self, Write};
use std::sync::Mutex;

/// Longest partial line a VM keeps back: past it the line goes to stdout
/// in pieces of this size, continued as long as no other VM writes between
/// pieces (then it carries on in a new, prefixed line). Bounds host memory
/// per VM whatever the guest prints.
pub const MAX_PENDING: usize = 64 << 10;

/// The process's standard output, shared by every VM.
pub struct Console {
    prefixed: bool,
    echoed_input: bool,
    out: Mutex<Out>,
}

struct Out {
    sink: Box<dyn Write + Send>,
    /// The VM whose line stdout ends in, unfinished.
    open: Option<u32>,
}

impl Console {
    /// A console on standard output; `prefixed` adds `[vmN] ` to every line.
    pub fn stdout(prefixed: bool) -> Console {
        use std::io::IsTerminal;
        let mut console =
            Console::new(prefixed, Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())));
        console.echoed_input = io::stdin().is_terminal();
        console
    }

    /// A console on any writer (for tests).
    pub fn new(prefixed: bool, out: Box<dyn Write + Send>) -> Console {
        Console { prefixed, echoed_input: false, out: Mutex::new(Out { sink: out, open: None }) }
    }

    /// True when lines carry a VM prefix.
    pub fn prefixed(&self) -> bool {
        self.prefixed
    }

    /// Writes `parts` (one VM's text, in order) in one piece: whole lines,
    /// and at most one partial line at the end, which stays open for `vm`.
    pub fn write_lines(&self, vm: u32, parts: &[&[u8]]) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let Out { sink, open } = &mut *out;
        let mut at_line_start = match *open {
            Some(owner) if owner == vm => false,
            // Another VM's line is open: end it before this VM writes.
            Some(_) if parts.iter().any(|p| !p.is_empty()) => {
                let _ = sink.write_all(b"\n");
                *open = None;
                true
            }
            _ => true,
        };
        // A closed stdout (a pipe whose reader left) must not kill the VMs.
        for part in parts.iter().filter(|p| !p.is_empty()) {
            if self.prefixed {
                for line in part.split_inclusive(|&b| b == b'\n') {
                    if at_line_start {
                        let _ = write!(sink, "[vm{vm}] ");
                    }
                    let _ = sink.write_all(line);
                    at_line_start = line.ends_with(b"\n");
                }
            } else {
                let _ = sink.write_all(part);
                at_line_start = part.ends_with(b"\n");
            }
            *open = (!at_line_start).then_some(vm);
        }
    }

    /// Ends `vm`'s open line, if stdout ends in one (with a prefix, so the
    /// next line starts clean when the VM is done).
    pub fn end_line(&self, vm: u32) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if self.prefixed && out.open == Some(vm) {
            let _ = out.sink.write_all(b"\n");
            out.open = None;
        }
    }

    /// `vm` has read a line from standard input: on a terminal the echo
    /// ended its open line.
    pub fn input_read(&self, vm: u32) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        if self.echoed_input && out.open == Some(vm) {
            out.open = None;
        }
    }

    /// Pushes buffered output to the terminal or pipe.
    pub fn flush(&self) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let _ = out.sink.flush();
    }
}

/// One VM's output not yet written: whatever follows its last newline, at
/// most [`MAX_PENDING`] bytes of it.
#[derive(Default, Debug)]
pub struct OutputBuffer {
    pending: Vec<u8>,
    dirty: bool,
}

impl OutputBuffer {
    /// Adds guest output; complete lines go to the console at once. Only
    /// the new bytes are searched for newlines, and at most
    /// [`MAX_PENDING`] of them at a time.
    pub fn write(&mut self, console: &Console, vm: u32, bytes: &[u8]) {
        for chunk in bytes.chunks(MAX_PENDING) {
            match chunk.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    console.write_lines(vm, &[&self.pending, &chunk[..=last]]);
                    self.pending.clear();
                    self.pending.extend_from_slice(&chunk[last + 1..]);
                    self.dirty = true;
                }
                None => self.pending.extend_from_slice(chunk),
            }
            if self.pending.len() >= MAX_PENDING {
                self.flush_partial(console, vm, false);
            }
        }
    }

    /// Writes a block (a dump) as whole lines, after any partial line.
    pub fn write_block(&mut self, console: &Console, vm: u32, block: &[u8]) {
        self.flush_partial(console, vm, true);
        console.write_lines(vm, &[block]);
        self.dirty = true;
    }

    /// Writes the partial line, which stays open on stdout for this VM.
    /// With `newline` (the VM is done, or a block follows), a prefixed
    /// console ends it so the next line starts clean.
    pub fn flush_partial(&mut self, console: &Console, vm: u32, newline: bool) {
        if !self.pending.is_empty() {
            console.write_lines(vm, &[&self.pending]);
            self.pending.clear();
            self.dirty = true;
        }
        if newline {
            console.end_line(vm);
        }
    }

    /// Flushes the console if this VM wrote since the last call.
    pub fn flush_if_dirty(&mut self, console: &Console) {
        if std::mem::take(&mut self.dirty) {
            console.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_whole_and_prefixed() {
        let sink = Shared::default();
        let console = Console::new(true, Box::new(sink.clone()));
        let (mut a, mut b) = (OutputBuffer::default(), OutputBuffer::default());
        a.write(&console, 1, b"hel");
        b.write(&console, 2, b"one\ntw");
        a.write(&console, 1, b"lo\nbye");
        b.flush_partial(&console, 2, true);
        a.flush_partial(&console, 1, true);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "[vm2] one\n[vm1] hello\n[vm2] tw\n[vm1] bye\n");
    }

    #[test]
    fn an_open_partial_line_is_ended_before_another_vm_writes_and_continued_by_its_owner() {
        let sink = Shared::default();
        let console = Console::new(true, Box::new(sink.clone()));
        let (mut a, mut b) = (OutputBuffer::default(), OutputBuffer::default());
        a.write(&console, 1, b"n? ");
        a.flush_partial(&console, 1, false); // a prompt before a read
        b.write(&console, 2, b"n? ");
        b.flush_partial(&console, 2, false);
        a.write(&console, 1, b"1\n");
        b.flush_partial(&console, 2, false); // nothing pending: the line stays open
        b.write(&console, 2, b"2\n");
        a.write(&console, 1, b"n? ");
        a.flush_partial(&console, 1, false);
        a.write(&console, 1, b"3\n");
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "[vm1] n? \n[vm2] n? \n[vm1] 1\n[vm2] 2\n[vm1] n? 3\n");
    }

    #[test]
    fn a_long_line_goes_out_in_bounded_pieces_and_stays_whole_for_one_vm() {
        let sink = Shared::default();
        let console = Console::new(true, Box::new(sink.clone()));
        let (mut a, mut b) = (OutputBuffer::default(), OutputBuffer::default());
        let piece = vec![b'x'; 3 * MAX_PENDING / 2];
        for _ in 0..4 {
            a.write(&console, 1, &piece);
            assert!(a.pending.len() < MAX_PENDING, "pending {}", a.pending.len());
        }
        a.write(&console, 1, b"\n");
        let text = sink.0.lock().unwrap().clone();
        assert_eq!(text.len(), "[vm1] ".len() + 6 * MAX_PENDING + 1);
        assert!(text.starts_with(b"[vm1] x") && text.iter().filter(|&&c| c == b'\n').count() == 1);
        // Another VM writing between two pieces splits the line, each part prefixed.
        sink.0.lock().unwrap().clear();
        a.write(&console, 1, &piece);
        b.write(&console, 2, b"b\n");
        a.write(&console, 1, b"end\n");
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{}", &text[text.len() - 40..]);
        assert!(lines[0].starts_with("[vm1] xxx") && lines[0].len() == "[vm1] ".len() + MAX_PENDING);
        assert_eq!(lines[1], "[vm2] b");
        assert_eq!(lines[2], format!("[vm1] {}end", "x".repeat(MAX_PENDING / 2)));
    }

    #[test]
    fn single_vm_output_is_exact() {
        let sink = Shared::default();
        let console = Console::new(false, Box::new(sink.clone()));
        let mut a = OutputBuffer::default();
        a.write(&console, 1, b"no newline");
        a.flush_partial(&console, 1, true);
        assert_eq!(sink.0.lock().unwrap().as_slice(), b"no newline");
    }
}
