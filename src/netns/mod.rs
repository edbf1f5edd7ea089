//! The named-namespace directory (`/run/netns`) and handles on network namespaces.

pub mod bulk;
pub mod discover;
pub mod exec;
pub mod monitor;
pub(crate) mod mount;
pub(crate) mod mountinfo;
pub(crate) mod procfs;
pub mod stale;
pub mod thread;

use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use nix::dir::{Dir, Type};
use nix::errno::Errno as NixErrno;
use nix::fcntl::{OFlag, open};
use nix::sys::stat::{FileStat, Mode, fstat};

use crate::error::{Errno, Error, Result, errno};
pub use crate::model::Target;

/// Longest name iproute2 accepts (NAME_MAX).
pub const NAME_MAX: usize = 255;

/// iproute2's `invalid_name()`: empty, longer than NAME_MAX, containing `/`, or `.`/`..`.
pub fn is_invalid_name(name: &OsStr) -> bool {
    let b = name.as_bytes();
    b.is_empty() || b.len() > NAME_MAX || b.contains(&b'/') || b == b"." || b == b".."
}

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
pub(crate) struct DirEntry {
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
    pub(crate) fn open_dir(&self) -> std::result::Result<Dir, NixErrno> {
        Dir::open(
            &self.path,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
    }

    /// Every entry except `.` and `..`, in raw readdir order (never sorted).
    pub(crate) fn entries(&self) -> std::result::Result<Vec<DirEntry>, NixErrno> {
        let mut dir = self.open_dir()?;
        Ok(read_entries(&mut dir))
    }

    /// The names of every entry except `.` and `..`, in raw readdir order (never sorted),
    /// as `ip netns list` finds them. No privilege needed.
    pub fn names(&self) -> Result<Vec<OsString>> {
        match self.entries() {
            Ok(e) => Ok(e.into_iter().map(|e| e.name).collect()),
            Err(e) => Err(self.read_dir_error(e)),
        }
    }

    /// `Failed to open directory RUNDIR: strerror`.
    pub(crate) fn read_dir_error(&self, e: NixErrno) -> Error {
        Error::ReadDir {
            dir: self.path.clone(),
            errno: errno(e),
        }
    }
}

/// The entries of an open directory, `.` and `..` skipped, readdir order.
pub(crate) fn read_entries(dir: &mut Dir) -> Vec<DirEntry> {
    dir.iter().filter_map(|e| e.ok()).filter_map(DirEntry::of).collect()
}

impl DirEntry {
    /// The entry readdir gave, unless it is `.` or `..`.
    pub(crate) fn of(e: nix::dir::Entry) -> Option<DirEntry> {
        let name = e.file_name().to_bytes();
        (!matches!(name, b"." | b"..")).then(|| DirEntry {
            name: OsString::from_vec(name.to_vec()),
            kind: e.file_type(),
        })
    }
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

/// Whether `fd` is a network namespace: an nsfs file whose type is CLONE_NEWNET.
pub(crate) fn check_fd(fd: BorrowedFd<'_>) -> std::result::Result<(), NotNetns> {
    match crate::sys::ns_type(fd) {
        None => Err(NotNetns::NotNsfs),
        Some(libc::CLONE_NEWNET) => Ok(()),
        Some(_) => Err(NotNetns::OtherType),
    }
}

impl Netns {
    /// `open(path, O_RDONLY|O_CLOEXEC)`, following symlinks like iproute2, plus
    /// `O_NONBLOCK|O_NOCTTY`: a FIFO or a device given as a namespace is opened at once
    /// (and then refused as not a namespace) instead of waiting forever for a writer. The error names
    /// the path: `Cannot open network namespace "PATH": strerror`.
    pub fn open(path: &Path) -> Result<Netns> {
        Netns::open_raw(path).map_err(|e| Error::open_netns(path.as_os_str(), e))
    }

    /// [`Netns::open`] with the bare errno, for callers that word the failure themselves.
    pub(crate) fn open_raw(path: &Path) -> std::result::Result<Netns, Errno> {
        let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK | OFlag::O_NOCTTY;
        let fd = open(path, flags, Mode::empty()).map_err(errno)?;
        Ok(Netns { fd })
    }

    /// Device and inode, for comparing namespaces.
    pub fn identity(&self) -> std::result::Result<NsId, Errno> {
        Ok(NsId::from(&fstat(&self.fd).map_err(errno)?))
    }

    /// Check that this is a network namespace (nsfs, type CLONE_NEWNET).
    pub fn check(&self) -> std::result::Result<(), NotNetns> {
        check_fd(self.fd.as_fd())
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

/// How a failed [`open_checked`] is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    /// `Cannot open network namespace "NAME"`, status 1.
    Named,
    /// `Cannot open network namespace` (ip names nothing: identify, pids), status 1.
    Unnamed,
    /// As [`Report::Named`], but part of `exec`/`-n` set-up: status 255, fatal.
    Setup,
}

/// Open a target for commands that enter or inspect it; for a path target also make sure it
/// is a network namespace.
pub(crate) fn open_checked(target: &Target, rundir: &RunDir, report: Report) -> Result<Netns> {
    let setup = report == Report::Setup;
    let ns = Netns::open_raw(&target.path(rundir)).map_err(|errno| Error::OpenNetns {
        target: (report != Report::Unnamed).then(|| target.label().to_os_string()),
        errno,
        setup,
    })?;
    if let Target::Path(p) = target {
        ns.check().map_err(|w| Error::NotNetns {
            target: p.clone().into_os_string(),
            why: w.why(),
            setup,
        })?;
    }
    Ok(ns)
}

/// Open a target and make sure it is a network namespace (names too: a stale run-dir
/// entry is refused rather than read as an empty namespace).
pub(crate) fn open_netns(target: &Target, rundir: &RunDir) -> Result<Netns> {
    let ns = Netns::open_raw(&target.path(rundir)).map_err(|e| Error::open_netns(target.label(), e))?;
    ns.check().map_err(|w| Error::NotNetns {
        target: target.label().to_os_string(),
        why: w.why(),
        setup: false,
    })?;
    Ok(ns)
}
