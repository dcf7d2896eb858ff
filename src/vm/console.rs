//! Console output shared by all VMs: line-atomic, prefixed with `[vmN] ` when
//! more than one VM runs, and never interleaved inside a line or a dump.

use std::io::{self, Write};
use std::sync::Mutex;

/// The process's standard output, shared by every VM.
pub struct Console {
    prefixed: bool,
    out: Mutex<Box<dyn Write + Send>>,
}

impl Console {
    /// A console on standard output; `prefixed` adds `[vmN] ` to every line.
    pub fn stdout(prefixed: bool) -> Console {
        Console::new(prefixed, Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())))
    }

    /// A console on any writer (for tests).
    pub fn new(prefixed: bool, out: Box<dyn Write + Send>) -> Console {
        Console { prefixed, out: Mutex::new(out) }
    }

    /// True when lines carry a VM prefix.
    pub fn prefixed(&self) -> bool {
        self.prefixed
    }

    /// Writes complete lines (and, when `partial_end`, a trailing partial
    /// line) of one VM in one piece.
    pub fn write_lines(&self, vm: u32, text: &[u8]) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        // A closed stdout (a pipe whose reader left) must not kill the VMs.
        let _ = if self.prefixed {
            let mut buf = Vec::with_capacity(text.len() + 16);
            for line in text.split_inclusive(|&b| b == b'\n') {
                let _ = write!(buf, "[vm{vm}] ");
                buf.extend_from_slice(line);
            }
            out.write_all(&buf)
        } else {
            out.write_all(text)
        };
    }

    /// Pushes buffered output to the terminal or pipe.
    pub fn flush(&self) {
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let _ = out.flush();
    }
}

/// One VM's output not yet written: whatever follows its last newline.
#[derive(Default, Debug)]
pub struct OutputBuffer {
    pending: Vec<u8>,
    dirty: bool,
}

impl OutputBuffer {
    /// Adds guest output; complete lines go to the console at once.
    pub fn write(&mut self, console: &Console, vm: u32, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            console.write_lines(vm, &self.pending[..=last]);
            self.pending.drain(..=last);
            self.dirty = true;
        }
    }

    /// Writes a block (a dump) as whole lines, after any partial line.
    pub fn write_block(&mut self, console: &Console, vm: u32, block: &[u8]) {
        self.flush_partial(console, vm, true);
        console.write_lines(vm, block);
        self.dirty = true;
    }

    /// Writes the partial line. With a prefix, or when `newline` is asked,
    /// it is ended with a newline so the next line starts clean.
    pub fn flush_partial(&mut self, console: &Console, vm: u32, newline: bool) {
        if self.pending.is_empty() {
            return;
        }
        if newline && console.prefixed() {
            self.pending.push(b'\n');
        }
        console.write_lines(vm, &self.pending);
        self.pending.clear();
        self.dirty = true;
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
    fn single_vm_output_is_exact() {
        let sink = Shared::default();
        let console = Console::new(false, Box::new(sink.clone()));
        let mut a = OutputBuffer::default();
        a.write(&console, 1, b"no newline");
        a.flush_partial(&console, 1, true);
        assert_eq!(sink.0.lock().unwrap().as_slice(), b"no newline");
    }
}
