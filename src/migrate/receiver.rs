//! The receiving side: `myvmm --listen ADDR`. Each connection is served on
//! its own thread; received VMs join the scheduler's run queue.

use super::wire::{read_frame, read_head, write_frame, Frame, MAGIC, VERSION};
use super::{MigrateConfig, CHUNK, END_LEN};
use crate::sched::{Spawner, Vm, VmConfig};
use crate::snapshot::Snapshot;
use crate::snapshot::{Header, HEADER_SIZE};
use crate::vm::{Image, Reservation};
use hmac::{Hmac, Mac};
use rkyv::util::AlignedVec;
use sha2::Sha256;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Connections served at once; more are closed at once.
const MAX_CONNECTIONS: usize = 256;

/// How a receiver runs.
#[derive(Clone)]
pub struct ListenOptions {
    /// Keys, timeouts, limits.
    pub config: MigrateConfig,
    /// Settings for received VMs (engine, limits; the slice comes with the VM).
    pub vm: VmConfig,
    /// Stop listening once this many received VMs have finished.
    pub exit_after: Option<usize>,
    /// Set to stop listening (SIGINT, SIGTERM).
    pub stop: Arc<AtomicBool>,
    /// Received VMs that have finished (the caller counts them).
    pub finished: Arc<AtomicUsize>,
    /// Print per-migration figures.
    pub stats: bool,
}

/// A bound listening socket (bound early, so a bad address is a usage error).
pub struct Listener {
    socket: TcpListener,
}

/// Binds `addr` (`host:port`).
pub fn listen(addr: &str) -> io::Result<Listener> {
    let socket = TcpListener::bind(addr)?;
    socket.set_nonblocking(true)?;
    Ok(Listener { socket })
}

impl Listener {
    /// The address actually bound.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Accepts migrations until stopped; hands received VMs to `spawner`.
    /// Accepting blocks (no polling delay before a migration starts); a
    /// watcher wakes it with a connection of its own when it is time to stop.
    pub fn serve(self, options: ListenOptions, spawner: Spawner) {
        let _ = self.socket.set_nonblocking(false);
        let active = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(AtomicUsize::new(0));
        let local = self.socket.local_addr().ok();
        let watcher = {
            let options = options.clone();
            std::thread::spawn(move || loop {
                let enough =
                    options.exit_after.is_some_and(|n| options.finished.load(Ordering::Acquire) >= n);
                if enough || options.stop.load(Ordering::Relaxed) {
                    options.stop.store(true, Ordering::Relaxed);
                    if let Some(mut addr) = local {
                        if addr.ip().is_unspecified() {
                            addr.set_ip(if addr.is_ipv4() {
                                [127, 0, 0, 1].into()
                            } else {
                                std::net::Ipv6Addr::LOCALHOST.into()
                            });
                        }
                        let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
                    }
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            })
        };
        loop {
            let accepted = self.socket.accept();
            if options.stop.load(Ordering::Relaxed) {
                break;
            }
            match accepted {
                Ok((stream, peer)) => {
                    let full = options.exit_after.is_some_and(|n| received.load(Ordering::Acquire) >= n);
                    if full || active.load(Ordering::Acquire) >= MAX_CONNECTIONS {
                        continue; // dropped: closed at once, the sender keeps its VM
                    }
                    active.fetch_add(1, Ordering::AcqRel);
                    let (options, spawner, active, received) =
                        (options.clone(), spawner.clone(), Arc::clone(&active), Arc::clone(&received));
                    std::thread::spawn(move || {
                        match serve_one(stream, &options, &spawner) {
                            Ok(()) => {
                                received.fetch_add(1, Ordering::AcqRel);
                            }
                            Err(e) => eprintln!("warning: migration from {peer} failed: {e}"),
                        }
                        active.fetch_sub(1, Ordering::AcqRel);
                    });
                }
                Err(e) => {
                    eprintln!("warning: accepting a migration failed: {e}");
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
        let _ = watcher.join();
    }
}

fn nonce() -> [u8; 32] {
    let mut n = [0u8; 32];
    if std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut n)).is_err() {
        // No /dev/urandom: time and address still make each nonce differ.
        let t =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let seed = xxhash_rust::xxh3::xxh3_128(
            &[t.to_le_bytes(), (&n as *const _ as usize as u128).to_le_bytes()].concat(),
        );
        n[..16].copy_from_slice(&seed.to_le_bytes());
        n[16..].copy_from_slice(&seed.rotate_left(64).to_le_bytes());
    }
    n
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

fn serve_one(stream: TcpStream, options: &ListenOptions, spawner: &Spawner) -> io::Result<()> {
    let started = Instant::now();
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(options.config.timeout))?;
    stream.set_write_timeout(Some(options.config.timeout))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = BufWriter::new(stream);
    let refuse = |writer: &mut BufWriter<TcpStream>, why: String| -> io::Error {
        let _ = write_frame(writer, Frame::Refuse, why.as_bytes());
        let _ = writer.flush();
        invalid(why)
    };
    let (kind, hello) = read_frame(&mut reader, 64)?;
    if kind != Frame::Hello || hello.len() != 12 || &hello[..8] != MAGIC {
        return Err(refuse(&mut writer, "not a myvmm migration".into()));
    }
    let version = u32::from_le_bytes([hello[8], hello[9], hello[10], hello[11]]);
    if version != VERSION {
        return Err(refuse(&mut writer, format!("protocol version {version} is not {VERSION}")));
    }
    let nonce = nonce();
    let mut challenge = VERSION.to_le_bytes().to_vec();
    challenge.push(u8::from(options.config.key.is_some()));
    challenge.extend_from_slice(&nonce);
    write_frame(&mut writer, Frame::Challenge, &challenge)?;
    writer.flush()?;
    let mut reservation = match Reservation::new() {
        Ok(r) => r,
        Err(e) => return Err(refuse(&mut writer, format!("cannot reserve memory: {e}"))),
    };
    let Received { archive: payload, end, written } =
        receive_data(&mut reader, &mut writer, options, &nonce, &mut reservation, &refuse)?;
    let word = |i: usize| u64::from_le_bytes(end[i..i + 8].try_into().unwrap_or_default());
    let header = Header { payload_len: word(0), checksum: word(8), fingerprint: word(16) };
    if header.payload_len != (payload.len() - HEADER_SIZE) as u64 {
        return Err(refuse(&mut writer, "the data is shorter or longer than announced".into()));
    }
    let bytes = payload.len() as u64 + written.iter().map(|r| r.1 as u64).sum::<u64>();
    let snap = match Snapshot::from_parts(&header, payload) {
        Ok(s) => s,
        Err(e) => return Err(refuse(&mut writer, format!("bad snapshot: {e}"))),
    };
    let image = match snap.program() {
        Ok(p) => Image::new(p),
        Err(e) => return Err(refuse(&mut writer, format!("bad snapshot: {e}"))),
    };
    let id = spawner.next_id();
    let mut vm = match Vm::from_snapshot_into(id, &image, &snap, options.vm.clone(), reservation) {
        Ok(vm) => vm,
        Err(e) => return Err(refuse(&mut writer, format!("cannot run the VM: {e}"))),
    };
    // Pages may only have landed in memory the VM maps.
    let page = crate::asm::program::PAGE_SIZE;
    let outside = written.iter().any(|&(first, len)| {
        (0..(len as u32).div_ceil(page)).any(|i| vm.machine.mem.perm((first + i).wrapping_mul(page)) == 0)
    });
    if outside {
        return Err(refuse(&mut writer, "pages outside the VM's memory".into()));
    }
    write_frame(&mut writer, Frame::Accept, &[])?;
    writer.flush()?;
    let (kind, _) = read_frame(&mut reader, 0)?;
    if kind != Frame::Commit {
        return Err(invalid("expected COMMIT"));
    }
    // DONE goes out before the VM starts: if it cannot, the sender keeps it.
    write_frame(&mut writer, Frame::Done, &[])?;
    writer.flush()?;
    let elapsed = started.elapsed();
    vm.stats.received = Some((bytes, elapsed));
    if options.stats {
        eprintln!(
            "vm{id}: received {bytes} bytes in {:.3} ms ({:.2} GB/s)",
            elapsed.as_secs_f64() * 1e3,
            bytes as f64 / elapsed.as_secs_f64().max(1e-9) / 1e9
        );
    }
    spawner.spawn(vm);
    Ok(())
}

/// What arrived: the archive (after room for the snapshot header), the END
/// fields and the page runs written into the reservation (first page, bytes).
struct Received {
    archive: AlignedVec<16>,
    end: [u8; END_LEN],
    written: Vec<(u32, usize)>,
}

/// The PAGE frames (written straight into `reservation`), the DATA chunks
/// and the END frame.
fn receive_data(
    reader: &mut BufReader<TcpStream>,
    writer: &mut BufWriter<TcpStream>,
    options: &ListenOptions,
    nonce: &[u8; 32],
    reservation: &mut Reservation,
    refuse: &dyn Fn(&mut BufWriter<TcpStream>, String) -> io::Error,
) -> io::Result<Received> {
    let mut mac = options.config.key.as_ref().map(|key| {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(nonce);
        mac
    });
    let mut pages_hash = xxhash_rust::xxh3::Xxh3::new();
    let mut written: Vec<(u32, usize)> = Vec::new();
    let mut total = 0u64;
    let mut payload = AlignedVec::<16>::with_capacity(HEADER_SIZE + CHUNK);
    payload.extend_from_slice(&[0u8; HEADER_SIZE]);
    let page = crate::asm::program::PAGE_SIZE as u64;
    loop {
        let (kind, len) = match read_head(reader, CHUNK as u64 * 4) {
            Ok(head) => head,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err(refuse(writer, e.to_string())),
            Err(e) => return Err(e),
        };
        total += len;
        if total > options.config.max_payload {
            let why = format!(
                "a VM of more than {total} bytes exceeds the limit of {}",
                options.config.max_payload
            );
            return Err(refuse(writer, why));
        }
        match kind {
            Frame::Page if len >= 4 && (len - 4) % page == 0 => {
                let mut number = [0u8; 4];
                reader.read_exact(&mut number)?;
                let first = u32::from_le_bytes(number);
                let size = (len - 4) as usize;
                reservation.prefault(first, (size as u64 / page) as u32);
                let Some(target) = reservation.pages_mut(first, size) else {
                    return Err(refuse(writer, format!("pages at {first} lie outside the address space")));
                };
                reader.read_exact(target)?;
                pages_hash.update(&number);
                pages_hash.update(target);
                if let Some(mac) = &mut mac {
                    mac.update(&number);
                    mac.update(target);
                }
                written.push((first, size));
            }
            Frame::Data => {
                let start = payload.len();
                payload.resize(start + len as usize, 0);
                reader.read_exact(&mut payload[start..])?;
                if let Some(mac) = &mut mac {
                    mac.update(&payload[start..]);
                }
            }
            Frame::End if len == END_LEN as u64 => {
                let mut end = [0u8; END_LEN];
                reader.read_exact(&mut end)?;
                if u64::from_le_bytes(end[24..32].try_into().unwrap_or_default()) != pages_hash.digest() {
                    return Err(refuse(writer, "checksum mismatch in the pages".into()));
                }
                if let Some(mac) = mac {
                    if mac.verify_slice(&end[32..64]).is_err() {
                        return Err(refuse(writer, "authentication failed: wrong or missing key".into()));
                    }
                }
                return Ok(Received { archive: payload, end, written });
            }
            _ => return Err(refuse(writer, "expected the VM's data".into())),
        }
    }
}
