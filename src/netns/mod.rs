//! The named-namespace directory (`/run/netns`) and handles on network namespaces.

pub mod discover;
pub mod exec;
pub mod monitor;
pub mod mount;
pub mod procfs;
pub mod stale;
pub mod thread;

use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use nix::dir::{Dir, Type};
use nix::errno::Errno;
use nix::fcntl::{OFlag, open};
use nix::sys::stat::{FileStat, Mode, fstat};

use crate::error::{Error, Result};

/// iproute2's `NETNS_RUN_DIR` as Debian builds it.
pub const RUN_DIR: &str = "/run/netns";
/// iproute2's `NETNS_ETC_DIR`.
pub const ETC_DIR: &str = "/etc/netns";

/// The directory of named namespaces (iproute2's `NETNS_RUN_DIR`). Reading it needs no
/// privilege; changing it (add, attach, delete) needs CAP_SYS_ADMIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunDir {
    path: PathBuf,
}

impl Default for RunDir {
    fn default() -> Self {
        RunDir {
            path: PathBuf::from(RUN_DIR),
        }
    }
}

/// One entry of the run dir, in readdir order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The entry's name (bytes, not necessarily UTF-8).
    pub name: OsString,
    /// The entry's type as readdir reports it (None where the file system does not say).
    pub kind: Option<Type>,
}

impl RunDir {
    /// A run dir at another place (tests, embedding programs).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        RunDir { path: path.into() }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path of an entry: `RUNDIR/NAME`.
    pub fn entry(&self, name: &OsStr) -> PathBuf {
        let mut p = self.path.clone().into_os_string().into_vec();
        p.push(b'/');
        p.extend_from_slice(name.as_bytes());
        PathBuf::from(OsString::from_vec(p))
    }

    /// The run dir's path as bytes, for messages.
    pub fn display(&self) -> &[u8] {
        self.path.as_os_str().as_bytes()
    }

    /// Open the directory for reading its entries.
    pub fn open_dir(&self) -> std::result::Result<Dir, Errno> {
        Dir::open(
            &self.path,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
    }

    /// Every entry except `.` and `..`, in raw readdir order (never sorted).
    pub fn entries(&self) -> std::result::Result<Vec<DirEntry>, Errno> {
        let mut dir = self.open_dir()?;
        Ok(read_entries(&mut dir))
    }
}

/// The entries of an open directory, `.` and `..` skipped, readdir order.
pub fn read_entries(dir: &mut Dir) -> Vec<DirEntry> {
    dir.iter()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_bytes();
            n != b"." && n != b".."
        })
        .map(|e| DirEntry {
            name: OsString::from_vec(e.file_name().to_bytes().to_vec()),
            kind: e.file_type(),
        })
        .collect()
}

/// What a command names: an entry of the run dir, or (rnetns only) an absolute path to any
/// namespace file such as `/proc/PID/ns/net`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `RUNDIR/NAME`, as ip takes it.
    Name(OsString),
    /// An absolute path to a namespace file (rnetns only; ip rejects such names).
    Path(PathBuf),
}

impl Target {
    /// `/…` is a path, anything else a name.
    pub fn parse(word: &OsStr) -> Target {
        if word.as_bytes().first() == Some(&b'/') {
            Target::Path(PathBuf::from(word))
        } else {
            Target::Name(word.to_os_string())
        }
    }

    /// The file to open.
    pub fn path(&self, rundir: &RunDir) -> PathBuf {
        match self {
            Target::Name(n) => rundir.entry(n),
            Target::Path(p) => p.clone(),
        }
    }

    /// How messages name it (the name, or the path as given).
    pub fn label(&self) -> &OsStr {
        match self {
            Target::Name(n) => n,
            Target::Path(p) => p.as_os_str(),
        }
    }

    /// The source string of the sysfs mount exec makes: the name, or the path's last part.
    pub fn sysfs_source(&self) -> &OsStr {
        match self {
            Target::Name(n) => n,
            Target::Path(p) => p.file_name().unwrap_or(p.as_os_str()),
        }
    }

    /// The `/etc/netns/NAME` directory applies to names only.
    pub fn etc_name(&self) -> Option<&OsStr> {
        match self {
            Target::Name(n) => Some(n),
            Target::Path(_) => None,
        }
    }
}

/// The identity of a namespace: device and inode of its nsfs file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NsId {
    /// `st_dev` of the nsfs file.
    pub dev: u64,
    /// `st_ino` of the nsfs file (the number in `net:[N]`).
    pub ino: u64,
}

impl From<&FileStat> for NsId {
    fn from(st: &FileStat) -> Self {
        NsId {
            dev: st.st_dev,
            ino: st.st_ino,
        }
    }
}

/// An open namespace file. Opening needs read access to it: any user for `RUNDIR/NAME`
/// (mode 0444 once mounted), the owner or CAP_SYS_PTRACE for `/proc/PID/ns/net`.
#[derive(Debug)]
pub struct Netns {
    fd: OwnedFd,
}

/// Why a file is not a usable network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotNetns {
    /// Not a file of the nsfs file system (a plain file, a directory, a stale entry).
    NotNsfs,
    /// An nsfs file of another namespace type (mnt, pid, ...).
    OtherType,
}

impl NotNetns {
    /// The reason in words, for messages.
    pub fn why(self) -> &'static str {
        match self {
            NotNetns::NotNsfs => "not an nsfs file (a stale entry or an ordinary file)",
            NotNetns::OtherType => "a namespace of another type",
        }
    }
}

impl Netns {
    /// `open(path, O_RDONLY|O_CLOEXEC)`, following symlinks like iproute2.
    pub fn open(path: &Path) -> std::result::Result<Netns, Errno> {
        let fd = open(path, OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty())?;
        Ok(Netns { fd })
    }

    /// The namespace the process with this PID is in (`/proc/PID/ns/net`).
    pub fn of_pid(pid: i32) -> std::result::Result<Netns, Errno> {
        Netns::open(Path::new(&format!("/proc/{pid}/ns/net")))
    }

    /// Device and inode, for comparing namespaces.
    pub fn identity(&self) -> std::result::Result<NsId, Errno> {
        Ok(NsId::from(&fstat(&self.fd)?))
    }

    /// Check that this is a network namespace (nsfs, type CLONE_NEWNET).
    pub fn check(&self) -> std::result::Result<(), NotNetns> {
        crate::sys::netns_type_check(self.fd.as_fd())
    }

    /// The open file, for `setns` or netlink requests that name a namespace by fd.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Give up the handle and keep the file (for [`thread::run_in_netns`]).
    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }
}

/// Open a target for commands that enter or inspect it; for a path target also make sure it
/// is a network namespace (`code` is the exit status of that refusal).
pub fn open_checked(
    target: &Target,
    rundir: &RunDir,
    open_err: impl FnOnce(Errno) -> Error,
    code: u8,
) -> Result<Netns> {
    let ns = Netns::open(&target.path(rundir)).map_err(open_err)?;
    if let Target::Path(p) = target {
        ns.check().map_err(|w| Error::NotNetns {
            target: p.clone().into_os_string(),
            why: w.why(),
            code,
        })?;
    }
    Ok(ns)
}
