//! Validation: flags and files become a [`Plan`] — every program assembled,
//! every config checked, every VM built — before any guest instruction runs.
//! All errors here are usage, config or assembly errors (exit status 2).

use super::args::{Args, DumpArg, EngineArg};
use super::host::HostBudget;
use crate::asm::limits::{check_input, read_source, InputError, MAX_SOURCE_BYTES};
use crate::asm::{assemble_files, assemble_files_within, AsmErrors, Program};
use crate::config::{self, ConfigError};
use crate::engine::EngineKind;
use crate::migrate::{listen, parse_listen_addr, Listener, MigrateConfig, Psk};
use crate::sched::{build_engine, Vm, VmConfig};
use crate::snapshot::{Snapshot, SnapshotError};
use crate::vm::{DumpFormat, Folder, Image};
use clap::ArgMatches;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// What the command line asks for, validated.
pub enum Plan {
    /// Print a program's listing.
    Listing(Program),
    /// Check a snapshot file: what it holds, once found sound.
    CheckSnapshot(String),
    /// Write a program as an ELF file with debug information.
    EmitElf {
        /// The assembled program.
        program: Program,
        /// Where to write it.
        out: PathBuf,
    },
    /// Run VMs.
    Run(RunPlan),
}

/// VMs ready to run and how to run them.
pub struct RunPlan {
    /// The VMs, in VM-number order.
    pub vms: Vec<Vm>,
    /// Worker threads.
    pub workers: usize,
    /// Print `--stats` at exit.
    pub stats: bool,
    /// Migration settings (both directions).
    pub migration: MigrateConfig,
    /// `--listen`: the bound socket and `--exit-after`.
    pub listener: Option<(Listener, Option<usize>)>,
    /// Settings for VMs received by migration.
    pub received: VmConfig,
    /// `--control`: the bound control socket.
    pub control: Option<crate::control::ControlServer>,
    /// VMs debugged with gdb: their numbers and bound gdb listeners.
    pub gdb: Vec<(u32, std::net::TcpListener)>,
}

/// Why the command line cannot be run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The flags do not make sense.
    #[error("error: {0}")]
    Usage(String),
    /// A file cannot be read.
    #[error("error: cannot read `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `--allow-files` or `--snapshot-dir` is not a folder that can be opened.
    #[error("error: cannot use folder `{}`: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An input file is refused (a device, a FIFO, too large) or unreadable.
    #[error("error: cannot read `{}`: {source}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Why.
        source: InputError,
    },
    /// An ELF file where assembly or a config was expected.
    #[error("error: `{}`: {message}", path.display())]
    Elf {
        /// The file.
        path: PathBuf,
        /// What it is and what to do.
        message: String,
    },
    /// A config file is wrong.
    #[error("error: {0}")]
    Config(#[from] ConfigError),
    /// A program does not assemble.
    #[error("{0}")]
    Assembly(#[from] AsmErrors),
    /// A snapshot cannot be used.
    #[error("error: snapshot `{}`: {source}", path.display())]
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong.
        source: SnapshotError,
    },
    /// A VM cannot be rebuilt from a snapshot (e.g. its checksum fails).
    #[error("error: snapshot `{}`: {message}", path.display())]
    Resume {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// `-v X -s S` where S was taken of another program.
    #[error("error: snapshot `{}` was taken of a different program than `{}`", snapshot.display(), vm.display())]
    Mismatch {
        /// The snapshot file.
        snapshot: PathBuf,
        /// The VM it was given to.
        vm: PathBuf,
    },
    /// A VM cannot be built (memory, engine).
    #[error("error: vm{vm}: {message}")]
    Vm {
        /// VM number.
        vm: u32,
        /// What is wrong.
        message: String,
    },
}

impl Plan {
    /// Validates `args`; `matches` gives the order of `-v` and `-s`.
    pub fn new(args: Args, matches: &ArgMatches) -> Result<Plan, PlanError> {
        if !args.listing.is_empty() {
            return Ok(Plan::Listing(assemble_files(&args.listing)?));
        }
        if let Some(path) = &args.check_snapshot {
            return check_snapshot(path).map(Plan::CheckSnapshot);
        }
        let mut specs = vm_specs(&args, matches);
        if let Some(out) = &args.emit_elf {
            return emit_elf_plan(&specs, out);
        }
        if let Some(list) = &args.vm_list {
            specs.extend(vm_list(list)?);
        }
        if specs.is_empty() && args.listen.is_none() {
            return Err(PlanError::Usage("no VM given: name one with -v <VM> (see --help)".into()));
        }
        let mut host = HostBudget::new(specs.len() as u64)?;
        if !args.guest_args.is_empty() && specs.len() != 1 {
            return Err(PlanError::Usage(
                "arguments after `--` are for a single VM's program; with several VMs give each its \
                 own with `vm_args` in its config"
                    .into(),
            ));
        }
        let engine = match args.engine {
            EngineArg::Jit => EngineKind::Jit,
            EngineArg::Interp => EngineKind::Interp,
        };
        let open_folder = |dir: &PathBuf| {
            Folder::open(dir).map_err(|source| PlanError::Folder { path: dir.clone(), source })
        };
        let files_dir = args.allow_files.as_ref().map(open_folder).transpose()?;
        let snapshot_dir = match &args.snapshot_dir {
            Some(dir) => open_folder(dir)?,
            None => Folder::working(),
        };
        let checkpoint_every = match args.checkpoint_every.as_deref() {
            Some([secs, dir]) => Some(checkpoint_plan(secs, dir)?),
            _ => None,
        };
        let base = VmConfig {
            checkpoint_every,
            engine,
            max_instructions: args.max_instructions,
            dump_format: match args.dump_format {
                DumpArg::Text => DumpFormat::Text,
                DumpArg::Json => DumpFormat::Json,
            },
            files_dir,
            snapshot_dir,
            timed: args.stats,
            slice: args.slice,
            dump_at_exit: args.dump_at_exit,
            trace: args.trace,
            ..VmConfig::default()
        };
        let mut elf_images: HashMap<(PathBuf, Vec<String>, u64), Image> = HashMap::new();
        let mut images: HashMap<(Vec<PathBuf>, u64, crate::asm::DelaySlots), Image> = HashMap::new();
        let mut vms = Vec::with_capacity(args.vms.len());
        let mut gdb_addrs: Vec<(u32, String)> = Vec::new();
        if let Some(text) = &args.gdb {
            let addr = crate::gdb::parse_addr(text).ok_or_else(|| {
                PlanError::Usage(format!("--gdb: `{text}` is not a port, `:PORT` or `HOST:PORT`"))
            })?;
            gdb_addrs.push((1, addr));
        }
        for (index, spec) in specs.iter().enumerate() {
            let id = index as u32 + 1;
            let vm_error = |message| PlanError::Vm { vm: id, message };
            let mut config = base.clone();
            config.trace = args.trace || args.trace_vm.contains(&id);
            let (path, snapshot) = match spec {
                VmSpec::Snapshot(snap_path) => {
                    // A VM from the snapshot alone: its own program.
                    let snap = open_snapshot(snap_path)?;
                    let program = snap
                        .program()
                        .map_err(|source| PlanError::Snapshot { path: snap_path.clone(), source })?;
                    build_engine(config.engine).map_err(vm_error)?;
                    let resume_error = |e: SnapshotError| PlanError::Resume {
                        path: snap_path.clone(),
                        message: e.to_string(),
                    };
                    let image = Image::new(program);
                    host.admit(image.least_host_bytes())?;
                    let mut vm = Vm::from_snapshot(id, &image, &snap, config).map_err(resume_error)?;
                    vm.park_if_crowded();
                    vms.push(vm);
                    continue;
                }
                VmSpec::File(path, snapshot) => (path, snapshot),
            };
            let bytes =
                read_source(path).map_err(|source| PlanError::Input { path: path.clone(), source })?;
            let mut delay = crate::asm::DelaySlots::Auto;
            let mut guest_args = args.guest_args.clone();
            let binaries = if crate::elf::is_elf(&bytes) {
                vec![path.clone()]
            } else {
                let text = String::from_utf8_lossy(&bytes);
                if config::looks_like_config(&text) {
                    let file = config::parse(path, &text)?;
                    config.slice = file.slice.unwrap_or(config.slice);
                    config.engine = file.engine.unwrap_or(config.engine);
                    config.memory_limit = file.memory_limit_mb.map_or(config.memory_limit, |mb| mb << 20);
                    delay = file.delay_slots;
                    if let Some(addr) = &file.gdb {
                        gdb_addrs.push((id, addr.clone()));
                    }
                    check_binaries(path, &file)?;
                    if !file.args.is_empty() {
                        guest_args = file.args;
                    }
                    file.binaries
                } else {
                    vec![path.clone()]
                }
            };
            // The assembler reads the file itself: do not hold a second copy.
            drop(bytes);
            build_engine(config.engine).map_err(vm_error)?;
            if let Some(elf_path) = elf_binary(&binaries)? {
                let key = (elf_path.clone(), guest_args, config.memory_limit);
                if !elf_images.contains_key(&key) {
                    let image = Image::new(load_elf(&elf_path, &key.1, config.memory_limit)?);
                    elf_images.insert(key.clone(), image);
                }
                let image = &elf_images[&key];
                host.admit(image.least_host_bytes())?;
                let mut vm = match snapshot {
                    None => Vm::new(id, image, config).map_err(vm_error)?,
                    Some(snap_path) => resume(id, image, snap_path, path, config)?,
                };
                vm.park_if_crowded();
                vms.push(vm);
                continue;
            }
            // Keyed by the static-data cap too: each VM's program is
            // checked against its own memory limit while it is assembled.
            let key = (binaries, static_data_cap(config.memory_limit), delay);
            if !images.contains_key(&key) {
                let image = Image::new(assemble_files_within(&key.0, key.1, key.2)?);
                images.insert(key.clone(), image);
            }
            let image = &images[&key];
            host.admit(image.least_host_bytes())?;
            let mut vm = match snapshot {
                None => Vm::new(id, image, config).map_err(vm_error)?,
                Some(snap_path) => resume(id, image, snap_path, path, config)?,
            };
            // More VMs than the process may hold resident wait parked.
            vm.park_if_crowded();
            vms.push(vm);
        }
        let workers = args
            .workers
            .map(|w| w as usize)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let migration = MigrateConfig {
            key: match &args.migration_key {
                Some(path) => {
                    let key = read_key(path)?;
                    let key = key.strip_suffix(b"\n").unwrap_or(&key).to_vec();
                    if key.is_empty() {
                        return Err(PlanError::Usage(format!(
                            "the migration key file `{}` is empty",
                            path.display()
                        )));
                    }
                    if key.len() < 16 {
                        eprintln!(
                            "warning: the migration key in `{}` is only {} bytes: anyone who records a \
                             migration can try to guess it offline; use 32 random bytes \
                             (head -c 32 /dev/urandom > FILE)",
                            path.display(),
                            key.len()
                        );
                    }
                    Some(Psk::from_secret(&key))
                }
                None => None,
            },
            timeout: Duration::from_secs(args.migration_timeout),
            deadline: Duration::from_secs(args.migration_deadline),
            downtime: std::time::Duration::from_millis(args.migration_downtime_ms),
            max_payload: args.max_migration_mb << 20,
        };
        let listener = match &args.listen {
            Some(text) => {
                let addr = parse_listen_addr(text).ok_or_else(|| {
                    PlanError::Usage(format!("--listen: `{text}` is not an address or port"))
                })?;
                // Backed before the socket is bound: no sender waits in its
                // backlog meanwhile.
                back_ahead(&args)?;
                let listener =
                    listen(&addr).map_err(|e| PlanError::Usage(format!("--listen {addr}: {e}")))?;
                Some((listener, args.exit_after))
            }
            None if args.migration_prealloc_mb > 0 => {
                return Err(PlanError::Usage(
                    "--migration-prealloc-mb is for a receiver: give --listen too".into(),
                ))
            }
            None => None,
        };
        let mut gdb = Vec::new();
        for (id, addr) in gdb_addrs {
            if gdb.iter().any(|(other, _)| *other == id) {
                return Err(PlanError::Usage(format!("vm{id} is given to gdb twice (--gdb and `vm_gdb`)")));
            }
            let listener = crate::gdb::bind(&addr)
                .map_err(|e| PlanError::Usage(format!("vm{id}: cannot listen for gdb on {addr}: {e}")))?;
            gdb.push((id, listener));
        }
        let control = match &args.control {
            Some(path) => {
                Some(crate::control::ControlServer::bind(path).map_err(|e| PlanError::Usage(e.to_string()))?)
            }
            None => None,
        };
        Ok(Plan::Run(RunPlan {
            vms,
            workers,
            stats: args.stats,
            migration,
            listener,
            received: base,
            control,
            gdb,
        }))
    }
}

/// `--migration-prealloc-mb`: backs the receiver's reserve before it
/// listens (see [`crate::vm::reserve`]).
fn back_ahead(args: &Args) -> Result<(), PlanError> {
    let mib = args.migration_prealloc_mb;
    if mib > args.max_migration_mb {
        return Err(PlanError::Usage(format!(
            "--migration-prealloc-mb {mib} is more than --max-migration-mb {}, the most one migration may \
             bring",
            args.max_migration_mb
        )));
    }
    if mib > 0 {
        crate::vm::reserve::RESERVE.back_ahead((mib as usize) << 20).map_err(|e| {
            PlanError::Usage(format!(
                "--migration-prealloc-mb {mib}: the host will not back that much memory: {e}"
            ))
        })?;
    }
    Ok(())
}

/// The most static data a VM with `memory_limit` bytes can hold: the limit
/// less the stack the VM reserves (a quarter of the limit, at most 8 MiB, as
/// `GuestMemory::new` sizes it; that function makes the exact check).
/// `--emit-elf OUT`: the one program named (a source file or a config's
/// `vm_binary` files, assembled with its delay-slot mode) — the program a
/// VM of it runs, so gdb's addresses are the VM's.
fn emit_elf_plan(specs: &[VmSpec], out: &std::path::Path) -> Result<Plan, PlanError> {
    let [VmSpec::File(path, None)] = specs else {
        return Err(PlanError::Usage(
            "--emit-elf OUT needs exactly one program: `myvmm --emit-elf OUT prog.s` (or a VM config)".into(),
        ));
    };
    let bytes = read_source(path).map_err(|source| PlanError::Input { path: path.clone(), source })?;
    if crate::elf::is_elf(&bytes) {
        return Err(PlanError::Elf {
            path: path.clone(),
            message: "is already an ELF executable: give gdb this file itself".into(),
        });
    }
    let text = String::from_utf8_lossy(&bytes);
    let (binaries, delay, limit) = if config::looks_like_config(&text) {
        let file = config::parse(path, &text)?;
        check_binaries(path, &file)?;
        if elf_binary(&file.binaries)?.is_some() {
            return Err(PlanError::Elf {
                path: path.clone(),
                message: "runs an ELF executable: give gdb that file itself".into(),
            });
        }
        let limit = file.memory_limit_mb.map_or(crate::layout::DEFAULT_LIMIT, |mb| mb << 20);
        (file.binaries, file.delay_slots, limit)
    } else {
        (vec![path.clone()], crate::asm::DelaySlots::Auto, crate::layout::DEFAULT_LIMIT)
    };
    let program = assemble_files_within(&binaries, static_data_cap(limit), delay)?;
    Ok(Plan::EmitElf { program, out: out.to_path_buf() })
}

/// `--check-snapshot FILE`: everything `-s` checks, eagerly — the header,
/// the archive, the payload's checksum, the program against its
/// fingerprint, the memory layout against the program and the limit, and
/// every page restored into a VM that is then dropped unrun.
fn check_snapshot(path: &std::path::Path) -> Result<String, PlanError> {
    let snap = open_snapshot(path)?;
    let program =
        snap.program().map_err(|source| PlanError::Snapshot { path: path.to_path_buf(), source })?;
    let image = Image::new(program);
    let mut machine = snap
        .restore(&image)
        .map_err(|e| PlanError::Resume { path: path.to_path_buf(), message: e.to_string() })?;
    // `-s` verifies a page when the VM first touches it; here, every one.
    machine
        .mem
        .verify_all()
        .map_err(|e| PlanError::Resume { path: path.to_path_buf(), message: e.to_string() })?;
    let pages: u64 = machine.mem.data_runs().iter().map(|(_, b)| b.len() as u64 / 4096).sum();
    Ok(format!(
        "{}: a sound snapshot (format {}): {} instructions retired, pc 0x{:08x}, {} pages of data",
        path.display(),
        snap.format_version(),
        machine.cpu.retired,
        machine.cpu.pc,
        pages
    ))
}

fn static_data_cap(memory_limit: u64) -> u64 {
    const STACK_MAX: u64 = crate::layout::STACK_MAX as u64;
    const PAGE: u64 = crate::layout::PAGE_SIZE as u64;
    let stack = ((memory_limit / 4).min(STACK_MAX) & !(PAGE - 1)).max(PAGE);
    memory_limit.saturating_sub(stack)
}

/// A VM of `image` resumed from the snapshot at `snap_path` (given to the
/// VM at `vm_path`); restoring checks the snapshot's program fingerprint.
fn resume(
    id: u32,
    image: &Image,
    snap_path: &std::path::Path,
    vm_path: &std::path::Path,
    config: VmConfig,
) -> Result<Vm, PlanError> {
    let snap = open_snapshot(snap_path)?;
    Vm::from_snapshot(id, image, &snap, config).map_err(|e| match e {
        SnapshotError::Mismatch => {
            PlanError::Mismatch { snapshot: snap_path.to_path_buf(), vm: vm_path.to_path_buf() }
        }
        e => PlanError::Resume { path: snap_path.to_path_buf(), message: e.to_string() },
    })
}

/// The ELF executable among a VM's program files, told by its magic before
/// anything reads it as assembly: it runs alone (an ELF among assembly
/// files is refused).
fn elf_binary(binaries: &[PathBuf]) -> Result<Option<PathBuf>, PlanError> {
    let is_elf = |path: &PathBuf| {
        use std::io::Read;
        let mut magic = [0u8; 4];
        std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok()
            && crate::elf::is_elf(&magic)
    };
    match binaries {
        [one] if is_elf(one) => Ok(Some(one.clone())),
        many => match many.iter().find(|p| is_elf(p)) {
            Some(elf) => Err(PlanError::Elf {
                path: elf.clone(),
                message: "an ELF executable runs alone: give it as the VM's only program".into(),
            }),
            None => Ok(None),
        },
    }
}

/// Reads, checks and loads a static MIPS32 executable (SPEC §9) started
/// with `args` after its name; a file myvmm cannot run is refused with the
/// reason and how to build one that works.
fn load_elf(path: &std::path::Path, args: &[String], limit: u64) -> Result<crate::asm::Program, PlanError> {
    let bytes = read_source(path).map_err(|source| PlanError::Input { path: path.to_path_buf(), source })?;
    let elf_error =
        |e: crate::elf::ElfError| PlanError::Elf { path: path.to_path_buf(), message: e.to_string() };
    let exe = crate::elf::parse(&bytes).map_err(elf_error)?;
    let mut argv = vec![path.display().to_string()];
    argv.extend(args.iter().cloned());
    // The environment myvmm was started with, as qemu-mipsel passes its
    // own, less myvmm's own settings (`MYVMM_*`).
    let env = std::env::vars_os()
        .filter(|(k, _)| !k.to_string_lossy().starts_with("MYVMM_"))
        .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
        .collect();
    crate::elf::program(&exe, argv, env, limit).map_err(elf_error)
}

/// Checks a config's `vm_binary` files by their metadata (never opening
/// them): a device, FIFO or oversized file is named with the config's line.
fn check_binaries(config: &std::path::Path, file: &config::VmFile) -> Result<(), PlanError> {
    for binary in &file.binaries {
        if let Err(e) = check_input(binary, MAX_SOURCE_BYTES) {
            return Err(PlanError::Config(ConfigError {
                path: config.display().to_string(),
                line: file.binary_line,
                message: format!("cannot read `vm_binary` file `{}`: {e}", binary.display()),
                help: None,
            }));
        }
    }
    Ok(())
}

/// One VM on the command line.
enum VmSpec {
    /// `-v FILE`, with the `-s SNAPSHOT` that follows it, if any.
    File(PathBuf, Option<PathBuf>),
    /// A `-s SNAPSHOT` with no `-v` of its own.
    Snapshot(PathBuf),
}

/// The VMs a `--vm-list` file names, in its order: `VM` or `VM SNAPSHOT`
/// per line, relative to the file's folder; blank lines and `#` comments
/// are skipped. A line of anything else is an error naming it.
fn vm_list(path: &std::path::Path) -> Result<Vec<VmSpec>, PlanError> {
    let bytes = crate::asm::limits::read_input(path, 1 << 30)
        .map_err(|source| PlanError::Input { path: path.to_path_buf(), source })?;
    let text = String::from_utf8_lossy(&bytes);
    let folder = path.parent().unwrap_or(std::path::Path::new(""));
    let mut specs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            [vm] => specs.push(VmSpec::File(folder.join(vm), None)),
            [vm, snapshot] => specs.push(VmSpec::File(folder.join(vm), Some(folder.join(snapshot)))),
            _ => {
                return Err(PlanError::Usage(format!(
                    "{}:{}: expected `VM` or `VM SNAPSHOT`, found `{line}`",
                    path.display(),
                    n + 1
                )))
            }
        }
    }
    Ok(specs)
}

/// The VMs in command-line order (which numbers them).
fn vm_specs(args: &Args, matches: &ArgMatches) -> Vec<VmSpec> {
    let vm_at: Vec<usize> = matches.indices_of("vms").map(Iterator::collect).unwrap_or_default();
    let snap_at: Vec<usize> = matches.indices_of("snapshots").map(Iterator::collect).unwrap_or_default();
    let bound = bind_snapshots(matches);
    let mut specs: Vec<(usize, VmSpec)> = Vec::new();
    if let Some(program) = &args.program {
        let at = matches.index_of("program").unwrap_or(usize::MAX);
        specs.push((at, VmSpec::File(program.clone(), None)));
    }
    for (i, path) in args.vms.iter().enumerate() {
        let snapshot = bound.iter().position(|b| *b == Some(i)).map(|s| args.snapshots[s].clone());
        specs.push((vm_at.get(i).copied().unwrap_or(i), VmSpec::File(path.clone(), snapshot)));
    }
    for (s, b) in bound.iter().enumerate() {
        if b.is_none() {
            specs.push((
                snap_at.get(s).copied().unwrap_or(usize::MAX),
                VmSpec::Snapshot(args.snapshots[s].clone()),
            ));
        }
    }
    specs.sort_by_key(|(at, _)| *at);
    specs.into_iter().map(|(_, spec)| spec).collect()
}

/// `--checkpoint-every SECS DIR`: a positive period, and a folder that is
/// one (made if missing).
fn checkpoint_plan(secs: &str, dir: &str) -> Result<(std::time::Duration, PathBuf), PlanError> {
    let period =
        secs.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.001 && *s <= 1e9).ok_or_else(
            || {
                PlanError::Usage(format!(
                    "--checkpoint-every: `{secs}` is not a number of seconds (0.001 or more)"
                ))
            },
        )?;
    let path = PathBuf::from(dir);
    std::fs::create_dir_all(&path)
        .and_then(|()| Folder::open(&path).map(drop))
        .map_err(|source| PlanError::Folder { path: path.clone(), source })?;
    Ok((std::time::Duration::from_secs_f64(period), path))
}

fn open_snapshot(path: &std::path::Path) -> Result<Snapshot, PlanError> {
    Snapshot::open(path).map_err(|source| PlanError::Snapshot { path: path.to_path_buf(), source })
}

/// For each `-s`, the index of the `-v` it belongs to: the nearest `-v`
/// before it that has no snapshot yet (`None`: a VM from the snapshot alone).
pub fn bind_snapshots(matches: &ArgMatches) -> Vec<Option<usize>> {
    let vm_at: Vec<usize> = matches.indices_of("vms").map(Iterator::collect).unwrap_or_default();
    let snap_at: Vec<usize> = matches.indices_of("snapshots").map(Iterator::collect).unwrap_or_default();
    let mut taken = vec![false; vm_at.len()];
    snap_at
        .iter()
        .map(|&s| {
            let vm = vm_at.iter().rposition(|&v| v < s)?;
            let free = !taken[vm] && !vm_at.iter().any(|&v| v > vm_at[vm] && v < s);
            free.then(|| {
                taken[vm] = true;
                vm
            })
        })
        .collect()
}

/// A key file's bytes: at most 4 KiB, so `/dev/zero` or a huge file is
/// refused instead of read until memory runs out.
fn read_key(path: &std::path::Path) -> Result<Vec<u8>, PlanError> {
    use std::io::Read;
    const MAX: u64 = 4096;
    let read = |source| PlanError::Read { path: path.to_path_buf(), source };
    let mut key = Vec::new();
    std::fs::File::open(path).map_err(read)?.take(MAX + 1).read_to_end(&mut key).map_err(read)?;
    if key.len() as u64 > MAX {
        return Err(PlanError::Usage(format!(
            "the migration key file `{}` is larger than {MAX} bytes",
            path.display()
        )));
    }
    Ok(key)
}
