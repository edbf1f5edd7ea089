//! `rnetns discover`: every network namespace alive on the host, whatever keeps it alive.
//!
//! Four sources, each read once: the run dir's entries, the nsfs bind mounts of
//! `/proc/self/mountinfo` (Docker's `/run/docker/netns`, CNI, podman, `unshare --net=FILE`),
//! every process and thread (`/proc/PID/ns/net`, `/proc/PID/task/TID/ns/net`) and every open
//! file descriptor whose link reads `net:[INODE]`. Like `lsns -t net`, but it also sees the
//! namespaces no process is in. All reads go through directory fds with relative names;
//! entries that vanish or are refused mid-scan are skipped.

use std::collections::HashMap;
use std::ffi::{CStr, OsString};
use std::io::{Read, Write as _};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use nix::dir::Dir;
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, open, openat};
use nix::sys::stat::{Mode, fstat, fstatat};

use super::{RunDir, read_entries};

/// An open file descriptor of a process that refers to a network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FdRef {
    /// The process holding the descriptor.
    pub pid: u32,
    /// The descriptor number (`/proc/PID/fd/FD`).
    pub fd: u32,
}

/// One network namespace and everything found holding it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Discovered {
    /// Inode of the namespace (its identity, as `lsns` shows it in NS).
    pub ino: u64,
    /// Device of the nsfs file system (0 when unknown, e.g. with a fixture /proc).
    pub dev: u64,
    /// The id the caller's namespace has for it (`ip netns list-id`), if assigned.
    pub nsid: Option<i32>,
    /// The caller's own network namespace.
    pub current: bool,
    /// Run-dir entries (symlinks followed), in readdir order.
    pub names: Vec<OsString>,
    /// Other nsfs mount points (not run-dir entries listed in `names`), mountinfo order.
    pub mounts: Vec<OsString>,
    /// Processes in it, ascending.
    pub pids: Vec<u32>,
    /// Threads in it whose process is in another namespace, ascending.
    pub tids: Vec<u32>,
    /// Open descriptors referring to it, by pid then fd.
    pub fds: Vec<FdRef>,
    /// The command of [`Discovered::shown_pid`] as `lsns` shows it: `/proc/PID/cmdline`
    /// with its arguments joined by spaces, or the comm when the command line is empty
    /// (kernel threads, zombies).
    pub command: Option<OsString>,
    /// `/proc/PID/comm` of [`Discovered::shown_pid`].
    pub comm: Option<OsString>,
    /// The containers, pods, units using it (filled by `owners::attribute`).
    pub owners: Vec<crate::model::Owner>,
}

impl Discovered {
    /// The PID a table shows: the lowest process, else the lowest thread.
    pub fn shown_pid(&self) -> Option<u32> {
        self.pids.first().or(self.tids.first()).copied()
    }
}

/// `net:[INODE]` → INODE.
pub(crate) fn net_ino(link: &[u8]) -> Option<u64> {
    let digits = link.strip_prefix(b"net:[")?.strip_suffix(b"]")?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Decode mountinfo's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134`
/// backslash); anything else is kept as is.
pub(crate) fn unescape_mount_path(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 3 < s.len() && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let v = (s[i + 1] - b'0') as u32 * 64 + (s[i + 2] - b'0') as u32 * 8 + (s[i + 3] - b'0') as u32;
            if v <= 0xff {
                out.push(v as u8);
                i += 4;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// The network-namespace mounts of a mountinfo text: (inode, mount point), in order.
/// Lines whose file system is not nsfs, or whose namespace is of another type, are skipped.
pub(crate) fn parse_mountinfo(text: &[u8]) -> Vec<(u64, OsString)> {
    let mut out = Vec::new();
    for line in text.split(|&c| c == b'\n') {
        let fields: Vec<&[u8]> = line.split(|&c| c == b' ').collect();
        let Some(sep) = fields.iter().position(|f| *f == b"-") else {
            continue;
        };
        if sep < 5 || fields.get(sep + 1) != Some(&&b"nsfs"[..]) {
            continue;
        }
        if let Some(ino) = net_ino(fields[3]) {
            out.push((ino, OsString::from_vec(unescape_mount_path(fields[4]))));
        }
    }
    out
}

/// What [`scan_all`] found, and how many processes it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Discovery {
    /// One record per namespace, sorted by inode (what [`scan`] returns).
    pub namespaces: Vec<Discovered>,
    /// Processes whose namespace link or fd directory the kernel refused to show
    /// (EACCES/EPERM: another user's processes, for an unprivileged caller). With any, the
    /// records are partial: namespaces only those processes hold are missing.
    pub refused: usize,
}

/// `/proc/PID/cmdline` as `lsns` shows it: the NUL-separated arguments joined by spaces
/// (trailing NULs dropped); `None` when empty.
pub(crate) fn cmdline_words(raw: &[u8]) -> Option<OsString> {
    let end = raw.iter().rposition(|&c| c != 0)? + 1;
    let joined: Vec<u8> = raw[..end].iter().map(|&c| if c == 0 { b' ' } else { c }).collect();
    Some(OsString::from_vec(joined))
}

/// Records by inode, in the order first met.
struct Acc {
    index: HashMap<u64, usize>,
    list: Vec<Discovered>,
    dev: u64,
    refused: usize,
}

/// After a failed read of `name` under `dir`: true when the kernel refused it (rather than
/// the process having gone, or being a zombie without namespace links).
fn is_refused(dir: BorrowedFd<'_>, name: &CStr, as_dir: bool) -> bool {
    let err = if as_dir {
        openat(
            dir,
            name,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .err()
    } else {
        nix::fcntl::readlinkat(dir, name).err()
    };
    matches!(err, Some(Errno::EACCES | Errno::EPERM))
}

impl Acc {
    fn get(&mut self, ino: u64) -> &mut Discovered {
        let i = *self.index.entry(ino).or_insert_with(|| {
            self.list.push(Discovered {
                ino,
                dev: self.dev,
                ..Default::default()
            });
            self.list.len() - 1
        });
        &mut self.list[i]
    }
}

/// A relative path in a reusable buffer, as a C string.
fn rel<'a>(buf: &'a mut Vec<u8>, args: std::fmt::Arguments<'_>) -> &'a CStr {
    buf.clear();
    let _ = buf.write_fmt(args);
    buf.push(0);
    CStr::from_bytes_with_nul(buf).unwrap_or(c".")
}

fn read_link_ino(dir: BorrowedFd<'_>, name: &CStr) -> Option<u64> {
    let mut buf = [0u8; 64];
    net_ino(crate::sys::readlinkat_into(dir, name, &mut buf)?)
}

fn open_dir_at(dir: BorrowedFd<'_>, name: &CStr) -> Option<Dir> {
    let fd = openat(
        dir,
        name,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    Dir::from_fd(fd).ok()
}

/// The numeric entries of a directory (PIDs, TIDs, fd numbers), in readdir order.
fn numbers(dir: &mut Dir, out: &mut Vec<u32>) {
    out.clear();
    for e in dir.iter().filter_map(|e| e.ok()) {
        let n = e.file_name().to_bytes();
        if !n.is_empty()
            && n.iter().all(u8::is_ascii_digit)
            && let Some(v) = std::str::from_utf8(n).ok().and_then(|s| s.parse().ok())
        {
            out.push(v);
        }
    }
}

fn read_small(dir: BorrowedFd<'_>, name: &CStr) -> Option<Vec<u8>> {
    let fd = openat(dir, name, OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty()).ok()?;
    let mut out = Vec::new();
    std::fs::File::from(fd).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Find every network namespace visible from `proc_root` (normally `/proc`) and `rundir`,
/// sorted by inode, one record per namespace.
///
/// Root sees everything; an unprivileged caller sees its own processes' namespaces and
/// every mount, and (with read access to the run dir) every name. Fails only when
/// `proc_root` cannot be opened.
pub(crate) fn scan_all(proc_root: &Path, rundir: &RunDir) -> Result<Discovery, Errno> {
    let proc_fd = open(
        proc_root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let proc = proc_fd.as_fd();
    let nsfs_dev = fstatat(proc, c"self/ns/net", AtFlags::empty()).ok().map(|st| st.st_dev);
    let mut acc = Acc {
        index: HashMap::new(),
        list: Vec::new(),
        dev: nsfs_dev.unwrap_or(0),
        refused: 0,
    };
    if let Some(ino) = read_link_ino(proc, c"self/ns/net") {
        acc.get(ino).current = true;
    }
    if let Some(text) = read_small(proc, c"self/mountinfo") {
        for (ino, path) in parse_mountinfo(&text) {
            let d = acc.get(ino);
            if !d.mounts.contains(&path) {
                d.mounts.push(path);
            }
        }
    }
    scan_processes(proc, &mut acc)?;
    scan_rundir(rundir, nsfs_dev, &mut acc);
    let mut list = acc.list;
    list.sort_by_key(|d| d.ino);
    let mut buf = Vec::with_capacity(32);
    for d in &mut list {
        d.pids.sort_unstable();
        d.pids.dedup();
        d.tids.sort_unstable();
        d.tids.dedup();
        d.fds.sort_unstable();
        d.fds.dedup();
        let Some(pid) = d.shown_pid() else { continue };
        d.comm = read_small(proc, rel(&mut buf, format_args!("{pid}/comm"))).map(|mut c| {
            if c.last() == Some(&b'\n') {
                c.pop();
            }
            OsString::from_vec(c)
        });
        d.command = read_small(proc, rel(&mut buf, format_args!("{pid}/cmdline")))
            .and_then(|c| cmdline_words(&c))
            .or_else(|| d.comm.clone());
    }
    Ok(Discovery {
        namespaces: list,
        refused: acc.refused,
    })
}

/// Processes, their threads (only for multi-threaded processes: `task`'s link count is
/// 2 + threads) and their open fds.
fn scan_processes(proc: BorrowedFd<'_>, acc: &mut Acc) -> Result<(), Errno> {
    let mut dir = Dir::openat(
        proc,
        c".",
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let mut pids = Vec::new();
    numbers(&mut dir, &mut pids);
    drop(dir);
    let (mut buf, mut tids, mut fds) = (Vec::with_capacity(32), Vec::new(), Vec::new());
    let mut link = [0u8; 64];
    for &pid in &pids {
        let Some(ino) = read_link_ino(proc, rel(&mut buf, format_args!("{pid}/ns/net"))) else {
            if is_refused(proc, rel(&mut buf, format_args!("{pid}/ns/net")), false) {
                acc.refused += 1;
            }
            continue;
        };
        acc.get(ino).pids.push(pid);
        let multi =
            fstatat(proc, rel(&mut buf, format_args!("{pid}/task")), AtFlags::empty()).is_ok_and(|st| st.st_nlink > 3);
        if multi && let Some(mut tdir) = open_dir_at(proc, rel(&mut buf, format_args!("{pid}/task"))) {
            numbers(&mut tdir, &mut tids);
            for &tid in tids.iter().filter(|&&t| t != pid) {
                if let Some(t) = read_link_ino(tdir.as_fd(), rel(&mut buf, format_args!("{tid}/ns/net")))
                    && t != ino
                {
                    acc.get(t).tids.push(tid);
                }
            }
        }
        let fdir = open_dir_at(proc, rel(&mut buf, format_args!("{pid}/fd")));
        if fdir.is_none() && is_refused(proc, rel(&mut buf, format_args!("{pid}/fd")), true) {
            acc.refused += 1;
        }
        if let Some(mut fdir) = fdir {
            numbers(&mut fdir, &mut fds);
            for &fd in &fds {
                let name = rel(&mut buf, format_args!("{fd}"));
                if let Some(t) = crate::sys::readlinkat_into(fdir.as_fd(), name, &mut link).and_then(net_ino) {
                    acc.get(t).fds.push(FdRef { pid, fd });
                }
            }
        }
    }
    Ok(())
}

/// Run-dir entries that are network namespaces (st_dev of nsfs; the type is checked with
/// an ioctl only for inodes no other source has already shown to be net namespaces).
fn scan_rundir(rundir: &RunDir, nsfs_dev: Option<u64>, acc: &mut Acc) {
    let (Some(dev), Ok(mut dir)) = (nsfs_dev, rundir.open_dir()) else {
        return;
    };
    for e in read_entries(&mut dir) {
        let Ok(st) = fstatat(dir.as_fd(), e.name.as_os_str(), AtFlags::empty()) else {
            continue;
        };
        if st.st_dev != dev {
            continue;
        }
        let known = acc.index.contains_key(&st.st_ino);
        if !known {
            let is_net = openat(
                dir.as_fd(),
                e.name.as_os_str(),
                OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .is_ok_and(|fd| super::check_fd(fd.as_fd()).is_ok());
            if !is_net {
                continue;
            }
        }
        let path = rundir.entry(&e.name).into_os_string();
        let d = acc.get(st.st_ino);
        d.mounts.retain(|m| *m != path);
        d.names.push(e.name);
    }
}

/// An fd on the namespace of `d` through any of its handles, checked to be that namespace.
pub(crate) fn open_handle(d: &Discovered, proc_root: &Path, rundir: &RunDir) -> Option<OwnedFd> {
    let p = proc_root.as_os_str().as_bytes();
    let path = |s: String| {
        let mut v = p.to_vec();
        v.extend_from_slice(s.as_bytes());
        OsString::from_vec(v)
    };
    let candidates = d
        .names
        .iter()
        .map(|n| rundir.entry(n).into_os_string())
        .chain(d.mounts.iter().cloned())
        .chain(d.pids.iter().map(|pid| path(format!("/{pid}/ns/net"))))
        .chain(d.tids.iter().map(|t| path(format!("/{t}/task/{t}/ns/net"))))
        .chain(d.fds.iter().map(|f| path(format!("/{}/fd/{}", f.pid, f.fd))));
    for c in candidates {
        let flags = OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC;
        if let Ok(fd) = open(c.as_os_str(), flags, Mode::empty())
            && fstat(&fd).is_ok_and(|st| st.st_ino == d.ino && (d.dev == 0 || st.st_dev == d.dev))
        {
            return Some(fd);
        }
    }
    None
}

#[cfg(test)]
mod tests;
