//! Stale entries: what `rnetns exists` reports and what `rnetns prune` removes.
//!
//! A crash or a reboot (the run dir on a persistent file system) leaves the placeholder of
//! an entry without its namespace mounted on it; ip then fails on it with "Invalid
//! argument". These functions tell such leftovers from live namespaces without ever
//! opening anything but a regular file (no FIFO or device is opened).

use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, BorrowedFd};

use nix::errno::Errno;
use nix::fcntl::{AT_FDCWD, AtFlags, OFlag, openat};
use nix::sys::stat::{FileStat, Mode, SFlag, fstatat, stat};
use nix::unistd::{UnlinkatFlags, unlinkat};

use super::mountinfo::OtherMounts;
use super::{NotNetns, RunDir, Target, check_fd, read_entries};
use crate::error::{Error, Result, errno};

/// Why an existing entry is not a usable network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleKind {
    /// A regular file that is not a mounted namespace (the usual leftover).
    PlainFile,
    /// A symlink whose target does not exist.
    DanglingSymlink,
    /// A symlink to something that is not a network namespace.
    BadSymlink,
    /// A directory.
    Directory,
    /// A namespace of another type (mnt, uts, ...).
    OtherNamespace,
    /// A FIFO, socket or device node.
    Special,
}

impl StaleKind {
    /// A short word for JSON and messages.
    pub fn word(self) -> &'static str {
        match self {
            StaleKind::PlainFile => "file",
            StaleKind::DanglingSymlink => "dangling-symlink",
            StaleKind::BadSymlink => "symlink",
            StaleKind::Directory => "directory",
            StaleKind::OtherNamespace => "other-namespace",
            StaleKind::Special => "special",
        }
    }
}

/// What a name or path refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    /// A network namespace that can be opened.
    Live,
    /// No such entry.
    Missing,
    /// An nsfs file this caller may not open (another user's `/proc/PID/ns/net`).
    Unreadable(crate::error::Errno),
    /// It exists but is not a usable network namespace.
    Stale(StaleKind),
}

/// The device of nsfs, where every namespace file lives.
fn nsfs_dev() -> Option<u64> {
    stat("/proc/self/ns/net").ok().map(|st| st.st_dev)
}

fn file_type(st: &FileStat) -> SFlag {
    SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT
}

/// Classify `name` relative to `dir` (an absolute name ignores `dir`). Only regular files on
/// nsfs are opened (O_NONBLOCK), to ask their namespace type.
fn state_at(dir: BorrowedFd<'_>, name: &OsStr, nsfs: Option<u64>) -> (EntryState, Option<FileStat>) {
    let lst = match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
        Ok(st) => st,
        Err(_) => return (EntryState::Missing, None),
    };
    let is_link = file_type(&lst) == SFlag::S_IFLNK;
    let st = if is_link {
        match fstatat(dir, name, AtFlags::empty()) {
            Ok(st) => st,
            // A target this caller may not look at (another user's /proc/PID/ns/net is a
            // magic link only its owner may follow) is not dangling.
            Err(e @ (Errno::EACCES | Errno::EPERM)) => return (EntryState::Unreadable(errno(e)), Some(lst)),
            Err(_) => return (EntryState::Stale(StaleKind::DanglingSymlink), Some(lst)),
        }
    } else {
        lst
    };
    let stale = |k| {
        let k = if is_link { StaleKind::BadSymlink } else { k };
        (EntryState::Stale(k), Some(lst))
    };
    match file_type(&st) {
        SFlag::S_IFDIR => return stale(StaleKind::Directory),
        SFlag::S_IFREG => {}
        _ => return stale(StaleKind::Special),
    }
    if nsfs.is_some_and(|d| d != st.st_dev) {
        return stale(StaleKind::PlainFile);
    }
    let flags = OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
    match openat(dir, name, flags, Mode::empty()) {
        Err(e) => (EntryState::Unreadable(errno(e)), Some(lst)),
        Ok(fd) => match check_fd(fd.as_fd()) {
            Ok(()) => (EntryState::Live, Some(lst)),
            Err(NotNetns::OtherType) => stale(StaleKind::OtherNamespace),
            Err(NotNetns::NotNsfs) => stale(StaleKind::PlainFile),
        },
    }
}

/// Whether the kernel would refuse `dir/name` as a network namespace, as ip's RTM_GETNSID per
/// entry finds out ("Peer netns reference is invalid"): it can be opened (`open(O_RDONLY)` as
/// ip opens it, so a dangling link, a socket or an unreadable file is not refused) and is not
/// a network namespace file (a plain or stale file, a directory, another bind mount, another
/// namespace type). Unlike [`RunDir::state`] it opens whatever ip opens (O_NONBLOCK, so a
/// FIFO does not wait). On Linux 6.18 one `name_to_handle_at` clears a network namespace
/// without opening it: its handle carries the namespace type.
pub(crate) fn refused_by_kernel(dir: BorrowedFd<'_>, name: &OsStr) -> bool {
    if crate::sys::is_netns_by_handle(dir, name) == Some(true) {
        return false;
    }
    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK | OFlag::O_NOCTTY;
    match openat(dir, name, flags, Mode::empty()) {
        Ok(fd) => check_fd(fd.as_fd()).is_err(),
        Err(_) => false,
    }
}

/// An empty mode-000 file younger than this may be the placeholder of an `add` (ip's, which
/// takes no lock) that is about to mount on it: prune leaves it alone.
const PLACEHOLDER_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether `st` is an empty mode-000 file modified less than [`PLACEHOLDER_GRACE`] ago, at
/// the file system's full (nanosecond) precision. A modification time in the future (a clock
/// set back) counts as young: its age cannot be told.
fn young_placeholder(st: &FileStat) -> bool {
    if st.st_size != 0 || st.st_mode & 0o7777 != 0 {
        return false;
    }
    let mtime = std::time::Duration::new(st.st_mtime.max(0) as u64, st.st_mtime_nsec.clamp(0, 999_999_999) as u32);
    let mtime = std::time::UNIX_EPOCH + mtime;
    match std::time::SystemTime::now().duration_since(mtime) {
        Ok(age) => age < PLACEHOLDER_GRACE,
        Err(_) => true,
    }
}

/// One entry `prune` removed (or, with `dry_run`, would remove), or failed to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// The run-dir entry.
    pub name: OsString,
    /// Why it was stale.
    pub kind: StaleKind,
    /// The unlink's failure, if it failed.
    pub error: Option<crate::error::Errno>,
}

impl Pruned {
    /// `Cannot remove namespace file "RUNDIR/NAME": strerror` for a failed unlink.
    pub fn failure(&self, rundir: &RunDir) -> Option<Error> {
        Some(Error::RemoveEntry {
            path: rundir.entry(&self.name),
            errno: self.error?,
        })
    }
}

impl RunDir {
    /// `rnetns exists NAME|PATH`: whether the target is a usable network namespace (no
    /// privilege needed for names; a path needs whatever opening it needs).
    pub(crate) fn state(&self, target: &Target) -> EntryState {
        state_at(AT_FDCWD, target.path(self).as_os_str(), nsfs_dev()).0
    }

    /// `rnetns prune [--dry-run]`: unlink the run dir's plain files that are not mounted
    /// namespaces and its dangling symlinks, in readdir order; never a live entry, a
    /// directory, or anything else. Needs write access to the run dir (root).
    ///
    /// Runs under the run-dir lock and classifies each entry again right before its unlink,
    /// so an rnetns `add` in progress is never hit; a fresh empty mode-000 placeholder is
    /// left alone (ip's `add` takes no lock), and a mount that appears between the check and
    /// the unlink makes the unlink fail with EBUSY, which is then not an error. An entry
    /// mounted in any other mount namespace that a process is in is live there and left
    /// alone ([`OtherMounts`]). A missing run dir has nothing to prune.
    pub(crate) fn prune(&self, dry_run: bool) -> Result<Vec<Pruned>> {
        let _lock = self.lock_existing();
        let mut dir = match self.open_dir() {
            Ok(d) => d,
            Err(Errno::ENOENT) => return Ok(Vec::new()),
            Err(e) => return Err(self.read_dir_error(e)),
        };
        let nsfs = nsfs_dev();
        let mut out = Vec::new();
        // Read once, and only when there is a candidate: the other mount namespaces' tables.
        let mut elsewhere: Option<OtherMounts> = None;
        let real = std::fs::canonicalize(self.path()).unwrap_or_else(|_| self.path().to_path_buf());
        for entry in read_entries(&mut dir) {
            let (state, st) = state_at(dir.as_fd(), &entry.name, nsfs);
            let kind = match state {
                EntryState::Stale(k @ (StaleKind::PlainFile | StaleKind::DanglingSymlink)) => k,
                _ => continue,
            };
            if kind == StaleKind::PlainFile && st.as_ref().is_some_and(young_placeholder) {
                continue;
            }
            // Mounted in another mount namespace: live there, and the unlink would detach it.
            if elsewhere
                .get_or_insert_with(OtherMounts::read)
                .mounted(&real, &entry.name)
            {
                continue;
            }
            let error = if dry_run {
                None
            } else {
                match unlinkat(dir.as_fd(), entry.name.as_os_str(), UnlinkatFlags::NoRemoveDir) {
                    Ok(()) => None,
                    Err(Errno::ENOENT) => continue,
                    Err(Errno::EBUSY)
                        if !matches!(state_at(dir.as_fd(), &entry.name, nsfs).0, EntryState::Stale(_)) =>
                    {
                        continue;
                    }
                    Err(e) => Some(errno(e)),
                }
            };
            out.push(Pruned {
                name: entry.name,
                kind,
                error,
            });
        }
        Ok(out)
    }
}
