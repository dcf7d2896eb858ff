//! A TCP stream with time limits: every read and write gives up after a
//! step of silence or at the connection's deadline, whichever comes first,
//! and says how long it waited and for what (never "os error 11").

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A TCP stream whose reads and writes give up after `step` of silence or
/// at the connection's deadline, whichever comes first; the error says how
/// long it waited and for what.
pub struct Timed {
    stream: TcpStream,
    step: Duration,
    deadline: Instant,
    total: Duration,
    /// What the next read or write waits for (for error messages).
    pub waiting_for: &'static str,
}

impl Timed {
    /// Wraps a connected stream: `step` per operation, `total` for everything.
    pub fn new(stream: TcpStream, step: Duration, total: Duration) -> io::Result<Timed> {
        stream.set_nonblocking(false)?;
        stream.set_nodelay(true)?;
        Ok(Timed { stream, step, deadline: Instant::now() + total, total, waiting_for: "the peer" })
    }

    /// Moves the deadline to `total` from now (the handshake has its own,
    /// shorter one; the transfer gets the whole deadline).
    pub fn restart_deadline(&mut self, total: Duration) {
        self.deadline = Instant::now() + total;
        self.total = total;
    }

    /// A handle on the socket (to shut it down from another thread).
    pub fn socket(&self) -> io::Result<TcpStream> {
        self.stream.try_clone()
    }

    /// Ends this side's writing (the peer reads end-of-file).
    pub fn shutdown_write(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Write);
    }

    /// Sets the socket timeout to what is left; fails when nothing is.
    fn arm(&self, write: bool) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.expired(true));
        }
        let wait = left.min(self.step).max(Duration::from_millis(1));
        if write {
            self.stream.set_write_timeout(Some(wait))?;
        } else {
            self.stream.set_read_timeout(Some(wait))?;
        }
        Ok(wait)
    }

    fn expired(&self, deadline: bool) -> io::Error {
        let message = if deadline && self.total > self.step {
            format!(
                "timed out waiting for {}: the whole migration may take {} s (--migration-deadline)",
                self.waiting_for,
                self.total.as_secs_f64()
            )
        } else {
            let secs = if deadline { self.total } else { self.step };
            format!("timed out after {} s waiting for {}", secs.as_secs_f64(), self.waiting_for)
        };
        io::Error::new(io::ErrorKind::TimedOut, message)
    }

    fn timed<T>(&self, wait: Duration, r: io::Result<T>) -> io::Result<T> {
        match r {
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                Err(self.expired(wait < self.step))
            }
            other => other,
        }
    }
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let wait = self.arm(false)?;
        let r = self.stream.read(buf);
        self.timed(wait, r)
    }
}

impl Write for Timed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let wait = self.arm(true)?;
        let r = self.stream.write(buf);
        self.timed(wait, r)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// Bytes written to `stream` that the peer's host has not taken yet: the
/// socket's send queue. A receiver whose buffer is capped (see
/// [`cap_receive_buffer`]) leaves what it has not read here, so this tells
/// the sender how far behind the receiver is.
pub fn unsent(stream: &TcpStream) -> io::Result<usize> {
    use std::os::fd::AsRawFd;
    let mut queued: libc::c_int = 0;
    // SAFETY: TIOCOUTQ (SIOCOUTQ) on a TCP socket writes one int, into
    // `queued`, which lives across the call.
    let rc = unsafe { libc::ioctl(stream.as_raw_fd(), libc::TIOCOUTQ, &mut queued) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(queued.max(0) as usize)
}

/// Caps the receive buffer of `stream` at about `bytes`, so what its
/// reader has not caught up with waits at the sender (see [`unsent`])
/// rather than in a buffer the kernel may grow to tens of MiB. Advice: a
/// host that refuses keeps its own size.
pub fn cap_receive_buffer(stream: &TcpStream, bytes: usize) {
    use std::os::fd::AsRawFd;
    let size = bytes.min(i32::MAX as usize) as libc::c_int;
    // SAFETY: SO_RCVBUF reads one int from `size`, which lives across the
    // call; the length passed is that int's.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&size as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
}
