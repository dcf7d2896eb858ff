//! Host folders a VM may touch: the snapshot folder (`--snapshot-dir`) and
//! the folder of the file syscalls (`--allow-files`).
//!
//! Every path a guest names is resolved by the kernel beneath the folder
//! with `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` (through
//! `rustix`), relative to a descriptor of the folder held since start-up.
//! Chosen over `cap-std` because the confinement is then one atomic kernel
//! lookup — no user-space walk that a concurrent rename or symlink swap
//! could race — myvmm runs on Linux only (x86-64 JIT, `/proc`), and `rustix`
//! is one small, widely used crate where `cap-std` brings a family of them.
//! Where the kernel lacks `openat2` (before 5.6, or a seccomp filter that
//! refuses it) every open fails: confinement is never traded for access.
//!
//! Names are checked before the kernel sees them, for clear messages: no
//! absolute paths, no `..`. The kernel then refuses any symbolic link whose
//! target leaves the folder (absolute targets, `..` past its top), at any
//! depth. Files are created only by `openat2` beneath the folder (the guest's
//! opens) or as a fresh temporary name in a folder so opened, then renamed
//! within it (snapshots): a rename replaces a symbolic link at the target
//! name, it never writes through it.

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{openat2, renameat, unlinkat, AtFlags, Mode, OFlags, ResolveFlags, CWD};
use rustix::io::Errno;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A host folder paths are confined to.
#[derive(Clone, Debug)]
pub struct Folder {
    /// `None`: the process's working directory.
    fd: Option<Arc<OwnedFd>>,
    /// How messages name it.
    shown: PathBuf,
}

/// How a guest opens a file (MARS syscall 13 flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Flag 0: read an existing file.
    Read,
    /// Flag 1: write, created or emptied.
    Create,
    /// Flag 9: append, created if missing.
    Append,
    /// Linux `open` flags, as a program asked (read and/or write, create,
    /// exclusive, truncate, append): the folder's rules still apply.
    Open {
        /// Opened for reading.
        read: bool,
        /// Opened for writing.
        write: bool,
        /// Created if missing.
        create: bool,
        /// Fails if it exists (with `create`).
        exclusive: bool,
        /// Emptied.
        truncate: bool,
        /// Writes go to the end.
        append: bool,
    },
}

/// Why a path inside a folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// An empty name.
    #[error("the path is empty")]
    Empty,
    /// `/…`: paths are relative to the folder.
    #[error("`{path}` is an absolute path; paths are relative to `{folder}`")]
    Absolute {
        /// The path given.
        path: String,
        /// The folder.
        folder: String,
    },
    /// A `..` component.
    #[error("`{path}` leaves `{folder}` (`..` is not allowed)")]
    Parent {
        /// The path given.
        path: String,
        /// The folder.
        folder: String,
    },
    /// No file name at the end (`a/`).
    #[error("`{0}` names no file")]
    NoName(String),
    /// A symbolic link on the way points out of the folder.
    #[error("`{path}` leads out of `{folder}` through a symbolic link")]
    Escapes {
        /// The path given.
        path: String,
        /// The folder.
        folder: String,
    },
    /// A directory, FIFO, device or socket: only regular files are served.
    #[error("`{0}` is not a regular file")]
    NotRegular(String),
    /// The operation itself failed.
    #[error("`{path}` in `{folder}`: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The folder.
        folder: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Beneath the folder, and no `/proc` magic links (which jump anywhere).
const RESOLVE: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);
/// Temporary names tried before giving up (each is new: see [`temp_name`]).
const TEMP_TRIES: u32 = 16;

impl Folder {
    /// The working directory, as it is whenever a path is resolved.
    pub fn working() -> Folder {
        let shown = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Folder { fd: None, shown }
    }

    /// Opens `path` (a folder the user named: its own links are followed).
    pub fn open(path: &Path) -> std::io::Result<Folder> {
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::empty())?;
        let shown = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        Ok(Folder { fd: Some(Arc::new(fd)), shown })
    }

    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.shown
    }

    fn dirfd(&self) -> BorrowedFd<'_> {
        match &self.fd {
            Some(fd) => fd.as_fd(),
            None => CWD,
        }
    }

    /// Checks a name before the kernel sees it, for a clear message.
    fn check(&self, rel: &Path) -> Result<(), FolderError> {
        if rel.as_os_str().is_empty() {
            return Err(FolderError::Empty);
        }
        for component in rel.components() {
            match component {
                Component::Normal(_) | Component::CurDir => {}
                Component::ParentDir => {
                    return Err(FolderError::Parent { path: shown(rel), folder: shown(&self.shown) })
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(FolderError::Absolute { path: shown(rel), folder: shown(&self.shown) })
                }
            }
        }
        Ok(())
    }

    fn error(&self, rel: &Path, errno: Errno) -> FolderError {
        let (path, folder) = (shown(rel), shown(&self.shown));
        match errno {
            // RESOLVE_BENEATH refuses an escape with EXDEV. (A magic link, or
            // a loop of links, is ELOOP: reported as it is.)
            Errno::XDEV => FolderError::Escapes { path, folder },
            e => FolderError::Io { path, folder, source: e.into() },
        }
    }

    /// `openat2` beneath the folder, retried when a concurrent rename made
    /// the kernel give up (EAGAIN).
    fn open_beneath(
        &self,
        dir: BorrowedFd<'_>,
        rel: &Path,
        flags: OFlags,
        mode: Mode,
    ) -> Result<OwnedFd, Errno> {
        // openat2 is strict where open is lenient: a mode without O_CREAT is EINVAL.
        let mode = if flags.contains(OFlags::CREATE) { mode } else { Mode::empty() };
        let mut tries = 0;
        loop {
            match openat2(dir, rel, flags | OFlags::CLOEXEC | OFlags::NOCTTY, mode, RESOLVE) {
                Err(Errno::AGAIN) if tries < TEMP_TRIES => tries += 1,
                other => return other,
            }
        }
    }

    /// Opens a regular file beneath the folder for a guest.
    pub fn open_file(&self, rel: &Path, access: Access) -> Result<File, FolderError> {
        self.check(rel)?;
        let flags = match access {
            Access::Read => OFlags::RDONLY,
            Access::Create => OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC,
            Access::Append => OFlags::WRONLY | OFlags::CREATE | OFlags::APPEND,
            Access::Open { read, write, create, exclusive, truncate, append } => {
                let mut flags = match (read, write) {
                    (_, false) => OFlags::RDONLY,
                    (false, true) => OFlags::WRONLY,
                    (true, true) => OFlags::RDWR,
                };
                for (on, flag) in [
                    (create, OFlags::CREATE),
                    (exclusive && create, OFlags::EXCL),
                    (truncate && write, OFlags::TRUNC),
                    (append, OFlags::APPEND),
                ] {
                    if on {
                        flags |= flag;
                    }
                }
                flags
            }
        };
        // NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
        let fd = self
            .open_beneath(self.dirfd(), rel, flags | OFlags::NONBLOCK, Mode::from_raw_mode(0o666))
            .map_err(|e| self.error(rel, e))?;
        let stat = rustix::fs::fstat(&fd).map_err(|e| self.error(rel, e))?;
        if !rustix::fs::FileType::from_raw_mode(stat.st_mode).is_file() {
            return Err(FolderError::NotRegular(shown(rel)));
        }
        Ok(File::from(fd))
    }

    /// The folder holding `rel` (opened beneath this one) and `rel`'s last
    /// name: what `unlinkat`/`renameat` may touch without following a link
    /// out of the folder.
    fn parent_of<'a>(&self, rel: &'a Path) -> Result<(OwnedFd, &'a OsStr), FolderError> {
        self.check(rel)?;
        let name = match rel.components().next_back() {
            Some(Component::Normal(name)) => name,
            _ => return Err(FolderError::NoName(shown(rel))),
        };
        let parent = rel.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = self
            .open_beneath(self.dirfd(), parent, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())
            .map_err(|e| self.error(rel, e))?;
        Ok((dir, name))
    }

    /// Removes the file `rel` beneath the folder (Linux `unlink`).
    pub fn remove(&self, rel: &Path) -> Result<(), FolderError> {
        let (dir, name) = self.parent_of(rel)?;
        unlinkat(&dir, name, AtFlags::empty()).map_err(|e| self.error(rel, e))
    }

    /// Renames `from` to `to`, both beneath the folder (Linux `rename`).
    pub fn rename(&self, from: &Path, to: &Path) -> Result<(), FolderError> {
        let (from_dir, from_name) = self.parent_of(from)?;
        let (to_dir, to_name) = self.parent_of(to)?;
        renameat(&from_dir, from_name, &to_dir, to_name).map_err(|e| self.error(to, e))
    }

    /// Writes `rel` beneath the folder through `fill` so that it is either
    /// the old file or the whole new one: a temporary file of its own (never
    /// shared with another write), fsync, rename, fsync of the folder.
    pub fn write_atomically<E>(
        &self,
        rel: &Path,
        fill: impl FnOnce(&mut File) -> Result<(), E>,
    ) -> Result<(), AtomicWriteError<E>> {
        self.check(rel)?;
        let name = match rel.components().next_back() {
            Some(Component::Normal(name)) => name,
            _ => return Err(FolderError::NoName(shown(rel)).into()),
        };
        let parent = rel.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let io = |e: Errno| AtomicWriteError::Folder(self.error(rel, e));
        let dir = self
            .open_beneath(self.dirfd(), parent, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())
            .map_err(io)?;
        let mut tries = 0;
        let (temp, fd) = loop {
            let temp = temp_name(name);
            let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL;
            match self.open_beneath(dir.as_fd(), Path::new(&temp), flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => break (temp, fd),
                Err(Errno::EXIST) if tries < TEMP_TRIES => tries += 1,
                Err(e) => return Err(io(e)),
            }
        };
        let mut file = File::from(fd);
        let result = fill(&mut file).map_err(AtomicWriteError::Fill).and_then(|()| {
            file.sync_all().map_err(|source| {
                AtomicWriteError::Folder(FolderError::Io {
                    path: shown(rel),
                    folder: shown(&self.shown),
                    source,
                })
            })?;
            renameat(&dir, &temp, &dir, name).map_err(io)?;
            // Make the rename itself durable.
            let _ = rustix::fs::fsync(&dir);
            Ok(())
        });
        if result.is_err() {
            let _ = unlinkat(&dir, &temp, AtFlags::empty());
        }
        result
    }
}

/// Why an atomic write failed: the folder's rules or I/O, or `fill` itself.
#[derive(Debug, thiserror::Error)]
pub enum AtomicWriteError<E> {
    /// The path or a file operation.
    #[error(transparent)]
    Folder(#[from] FolderError),
    /// What `fill` returned.
    #[error("writing failed")]
    Fill(E),
}

/// `.NAME.PID.N.tmp`, N counting every temporary file this process makes:
/// two writes, to the same target or not, never share one.
fn temp_name(name: &OsStr) -> OsString {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut temp = OsString::from(".");
    temp.push(name);
    temp.push(format!(".{}.{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    temp
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::unix::fs::symlink;

    fn scratch(name: &str) -> (PathBuf, Folder) {
        let dir = std::env::temp_dir().join(format!("myvmm-folder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("inside/sub")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::fs::write(dir.join("outside/secret"), "secret").unwrap();
        let folder = Folder::open(&dir.join("inside")).unwrap();
        (dir, folder)
    }

    #[test]
    fn removing_and_renaming_stay_beneath_the_folder() {
        let (dir, f) = scratch("remove");
        std::fs::write(dir.join("inside/a"), "a").unwrap();
        f.rename(Path::new("a"), Path::new("sub/b")).unwrap();
        assert!(dir.join("inside/sub/b").exists());
        f.remove(Path::new("sub/b")).unwrap();
        assert!(!dir.join("inside/sub/b").exists());
        // Out through a link, `..` or an absolute path: refused, nothing touched.
        symlink(dir.join("outside"), dir.join("inside/out")).unwrap();
        assert!(f.remove(Path::new("out/secret")).is_err());
        assert!(f.rename(Path::new("out/secret"), Path::new("stolen")).is_err());
        assert!(f.remove(Path::new("../outside/secret")).is_err());
        assert!(f.remove(Path::new("/etc/passwd")).is_err());
        assert!(dir.join("outside/secret").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn names_are_checked_before_the_kernel_sees_them() {
        let (dir, f) = scratch("names");
        assert!(matches!(f.open_file(Path::new(""), Access::Read), Err(FolderError::Empty)));
        assert!(matches!(
            f.open_file(Path::new("/etc/passwd"), Access::Read),
            Err(FolderError::Absolute { .. })
        ));
        assert!(matches!(
            f.open_file(Path::new("sub/../../x"), Access::Create),
            Err(FolderError::Parent { .. })
        ));
        assert!(!dir.join("x").exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn links_out_of_the_folder_are_refused_and_nothing_is_created_outside() {
        let (dir, f) = scratch("links");
        symlink(dir.join("outside/secret"), dir.join("inside/abs")).unwrap();
        symlink("../outside/secret", dir.join("inside/rel")).unwrap();
        symlink("../outside", dir.join("inside/dirlink")).unwrap();
        symlink("sub", dir.join("inside/local")).unwrap();
        for name in ["abs", "rel", "dirlink/secret"] {
            let e = f.open_file(Path::new(name), Access::Read).unwrap_err();
            assert!(matches!(e, FolderError::Escapes { .. }), "{name}: {e}");
        }
        for access in [Access::Create, Access::Append] {
            assert!(f.open_file(Path::new("dirlink/new"), access).is_err());
            assert!(f.open_file(Path::new("abs"), access).is_err());
        }
        assert!(!dir.join("outside/new").exists());
        assert_eq!(std::fs::read_to_string(dir.join("outside/secret")).unwrap(), "secret");
        // A link that stays inside is fine.
        f.open_file(Path::new("local/kept"), Access::Create).unwrap().write_all(b"k").unwrap();
        let mut back = String::new();
        f.open_file(Path::new("sub/kept"), Access::Read).unwrap().read_to_string(&mut back).unwrap();
        assert_eq!(back, "k");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn only_regular_files_are_opened() {
        let (dir, f) = scratch("regular");
        assert!(matches!(f.open_file(Path::new("sub"), Access::Read), Err(FolderError::NotRegular(_))));
        let fifo = dir.join("inside/fifo");
        rustix::fs::mknodat(CWD, &fifo, rustix::fs::FileType::Fifo, Mode::from_raw_mode(0o600), 0).unwrap();
        // Would block forever without O_NONBLOCK.
        assert!(matches!(f.open_file(Path::new("fifo"), Access::Read), Err(FolderError::NotRegular(_))));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn atomic_writes_replace_a_link_at_the_target_instead_of_following_it() {
        let (dir, f) = scratch("atomic");
        symlink(dir.join("outside/secret"), dir.join("inside/snap")).unwrap();
        f.write_atomically(Path::new("snap"), |file| file.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("outside/secret")).unwrap(), "secret");
        assert_eq!(std::fs::read_to_string(dir.join("inside/snap")).unwrap(), "new");
        let e = f.write_atomically(Path::new("dirlink/snap"), |file| file.write_all(b"x"));
        assert!(e.is_err());
        symlink("../outside", dir.join("inside/dirlink")).unwrap();
        let e = f.write_atomically(Path::new("dirlink/snap"), |file| file.write_all(b"x")).unwrap_err();
        assert!(matches!(e, AtomicWriteError::Folder(FolderError::Escapes { .. })), "{e}");
        assert!(!dir.join("outside/snap").exists());
        // A failed fill leaves neither the target nor a temporary file.
        let e = f.write_atomically(Path::new("sub/failed"), |_| Err("no"));
        assert!(matches!(e, Err(AtomicWriteError::Fill("no"))));
        assert_eq!(std::fs::read_dir(dir.join("inside/sub")).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn temporary_names_are_never_reused() {
        let a = temp_name(OsStr::new("x.snap"));
        let b = temp_name(OsStr::new("x.snap"));
        assert_ne!(a, b);
        assert!(a.to_string_lossy().starts_with(".x.snap."));
    }
}
