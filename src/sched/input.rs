//! Standard input as the scheduler's input thread reads it for VMs: a
//! `BufRead` that can also wait for input without blocking past a stop
//! (Ctrl-C must not wait for a line the user will never type).

use std::io::{BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};

/// Input the VMs read (syscalls 5–8, 12; Linux `read` of fd 0).
pub trait GuestInput: BufRead + Send {
    /// Waits until a read would not block (input is there, or its end);
    /// false when `stop` was set first.
    fn wait_ready(&mut self, stop: &AtomicBool) -> bool;
}

/// Any `BufRead` whose reads never block for long (a file, a buffer): ready
/// at once.
pub struct Ready<R>(pub R);

impl<R: Read> Read for Ready<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: BufRead> BufRead for Ready<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.0.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.0.consume(amt)
    }
}

impl<R: BufRead + Send> GuestInput for Ready<R> {
    fn wait_ready(&mut self, _stop: &AtomicBool) -> bool {
        true
    }
}

/// The process's standard input, buffered.
pub struct Stdin(BufReader<std::io::Stdin>);

impl Stdin {
    /// Standard input.
    pub fn new() -> Stdin {
        Stdin(BufReader::new(std::io::stdin()))
    }
}

impl Default for Stdin {
    fn default() -> Self {
        Stdin::new()
    }
}

impl Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl BufRead for Stdin {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.0.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.0.consume(amt)
    }
}

impl GuestInput for Stdin {
    /// Polls file descriptor 0 a tenth of a second at a time, looking at
    /// `stop` in between.
    fn wait_ready(&mut self, stop: &AtomicBool) -> bool {
        if !self.0.buffer().is_empty() {
            return true;
        }
        loop {
            if stop.load(Ordering::Acquire) {
                return false;
            }
            let mut fd = libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 };
            // SAFETY: poll reads and writes the one pollfd it is given.
            let rc = unsafe { libc::poll(&mut fd, 1, 100) };
            // Ready, at its end or broken (the read says which), or a
            // descriptor poll cannot wait on: let the read go ahead.
            if rc > 0 || (rc < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted)
            {
                return true;
            }
        }
    }
}
