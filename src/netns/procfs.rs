//! /proc scans: which processes are in a namespace (`pids`), which names a process's
//! namespace has (`identify`).

use std::ffi::OsString;
use std::os::fd::AsFd;
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{Mode, fstatat};

use super::{NsId, RunDir};

/// At least this many items before a scan whose items each cost a directory walk (a
/// process's /proc/PID/fd) is split across threads.
const PARALLEL_FROM: usize = 512;

/// At least this many run-dir entries before a scan that costs one path lookup per entry
/// (identify, list's local checks) is split across threads. Below it the second thread's
/// cost (its start, the wait for a CPU that other work may hold, the join) is more than the
/// half scan it saves: on 2 shared CPUs, identify over 1000 entries took 1.98 ms split and
/// 1.72 ms on one thread (C floor 1.68 ms; ip 2.36 ms), over 6000 11.2 and 10.7 ms; list
/// over 3000 4.6 and 4.3 ms, over 6000 13.5 and 14.2 ms.
pub(crate) const PARALLEL_SCAN_FROM: usize = 4096;

/// `keep(item)` for every item, in order; split over two threads for lists of `from` items
/// or more (two CPUs halve a large scan). The threads only read: they never change
/// namespace.
pub fn par_map<T: Sync, R: Send>(items: &[T], from: usize, keep: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // The length first: available_parallelism reads the cgroup's CPU quota (a dozen calls).
    if items.len() < from || std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return items.iter().map(&keep).collect();
    }
    let (a, b) = items.split_at(items.len() / 2);
    std::thread::scope(|s| {
        // No thread to be had (a full pids cgroup, a tight `ulimit -v`): one CPU does it all.
        let other = super::thread::builder()
            .spawn_scoped(s, || b.iter().map(&keep).collect::<Vec<_>>())
            .ok();
        let mut out: Vec<R> = a.iter().map(&keep).collect();
        match other.map(|t| t.join()) {
            Some(Ok(rest)) => out.extend(rest),
            _ => out.extend(b.iter().map(&keep)),
        }
        out
    })
}

/// The names in the run dir whose namespace is `id`, in readdir order (symlinks followed,
/// unreadable entries skipped). A missing run dir has no names. Mirrors `ip netns identify`;
/// no privilege needed.
pub fn names_of(rundir: &RunDir, id: NsId) -> Result<Vec<OsString>, Errno> {
    let mut dir = match rundir.open_dir() {
        Ok(d) => d,
        Err(Errno::ENOENT) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    // The entries a chunk at a time (a run dir of 10000 names is never held whole: ip reads
    // and checks one at a time), each chunk checked on two threads when it is that large.
    let lookups = dir
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EMFILE)))?;
    let dfd = lookups.as_fd();
    let mut names = Vec::new();
    // A chunk's names in one buffer, each NUL-terminated (what fstatat takes as it is: no
    // allocation and no copy per entry), and where each one starts.
    let mut arena: Vec<u8> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut check = |arena: &mut Vec<u8>, starts: &mut Vec<usize>| {
        let name_at = |at: usize| std::ffi::CStr::from_bytes_until_nul(&arena[at..]).ok();
        let hits = par_map(starts, PARALLEL_SCAN_FROM, |&at| {
            name_at(at).is_some_and(|n| fstatat(dfd, n, AtFlags::empty()).is_ok_and(|st| NsId::from(&st) == id))
        });
        for (&at, hit) in starts.iter().zip(hits) {
            if let (true, Some(n)) = (hit, name_at(at)) {
                names.push(std::os::unix::ffi::OsStringExt::from_vec(n.to_bytes().to_vec()));
            }
        }
        arena.clear();
        starts.clear();
    };
    for e in dir.iter().filter_map(|e| e.ok()) {
        let n = e.file_name().to_bytes_with_nul();
        if n == b".\0" || n == b"..\0" {
            continue;
        }
        starts.push(arena.len());
        arena.extend_from_slice(n);
        if starts.len() == PARALLEL_SCAN_FROM {
            check(&mut arena, &mut starts);
        }
    }
    check(&mut arena, &mut starts);
    Ok(names)
}

/// The PIDs (processes, not threads) whose network namespace is `id`, in /proc order.
/// Processes that cannot be examined are skipped (root sees all). Mirrors `ip netns pids`,
/// which stats `/proc/PID/ns/net`; reading the link's text (`net:[INODE]`) answers the same
/// question in half the time. A target that is not an nsfs file matches nothing, as with ip.
pub fn pids_in(proc_root: &Path, id: NsId) -> Result<Vec<u32>, Errno> {
    let mut dir = nix::dir::Dir::open(
        proc_root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let nsfs_dev = nix::sys::stat::stat("/proc/self/ns/net").map(|st| st.st_dev).ok();
    if nsfs_dev != Some(id.dev) {
        // Drain nothing: no process can be in something that is not a namespace.
        return Ok(Vec::new());
    }
    let want = format!("net:[{}]", id.ino);
    let fd = dir
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))?;
    let mut out = Vec::new();
    let mut path = Vec::with_capacity(32);
    let mut link = [0u8; 64];
    for e in dir.iter().filter_map(|e| e.ok()) {
        let name = e.file_name().to_bytes();
        if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
            continue;
        }
        path.clear();
        path.extend_from_slice(name);
        path.extend_from_slice(b"/ns/net\0");
        let Ok(p) = std::ffi::CStr::from_bytes_with_nul(&path) else {
            continue;
        };
        if crate::sys::readlinkat_into(fd.as_fd(), p, &mut link) == Some(want.as_bytes())
            && let Ok(pid) = std::str::from_utf8(name).unwrap_or("").parse::<u32>()
        {
            out.push(pid);
        }
    }
    Ok(out)
}

/// Give every socket of `sockets` the processes holding it open, as `ss -p` finds them:
/// every `/proc/PID/fd/N` that links to `socket:[INODE]`, with the command from
/// `/proc/PID/stat` (one string per process, shared by its sockets), each socket's list in
/// the order `ss -p` prints it (the last found first). One scan of /proc for all of them,
/// none when there is no socket. Processes that cannot be examined are skipped (root sees
/// all).
pub fn fill_socket_owners(proc_root: &Path, sockets: &mut [Vec<crate::model::Socket>]) {
    use crate::model::SockUser;
    use std::os::unix::ffi::OsStrExt;
    use std::sync::Arc;
    // Sorted arrays, not maps: 10000 sockets cost 40 KiB of inodes and 12 bytes a holder.
    let mut inodes: Vec<u32> = sockets.iter().flatten().map(|s| s.inode).filter(|&i| i != 0).collect();
    if inodes.is_empty() {
        return;
    }
    inodes.sort_unstable();
    inodes.dedup();
    let Ok(mut dir) = nix::dir::Dir::open(
        proc_root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    ) else {
        return;
    };
    let pids: Vec<u32> = dir
        .iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::str::from_utf8(e.file_name().to_bytes()).ok()?.parse().ok())
        .collect();
    let found = par_map(&pids, PARALLEL_FROM, |&pid| {
        let mut hits: Vec<(u32, u32)> = Vec::new();
        let fd_dir = proc_root.join(format!("{pid}/fd"));
        let Ok(mut fds) = nix::dir::Dir::open(
            &fd_dir,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        ) else {
            return (hits, None);
        };
        let dfd = fds.as_fd().try_clone_to_owned().ok();
        let mut link = [0u8; 64];
        for e in fds.iter().filter_map(|e| e.ok()) {
            let name = e.file_name();
            let Some(n) = std::str::from_utf8(name.to_bytes())
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Some(d) = &dfd else { break };
            let Some(text) = crate::sys::readlinkat_into(d.as_fd(), name, &mut link) else {
                continue;
            };
            if let Some(ino) = text
                .strip_prefix(b"socket:[")
                .and_then(|t| t.strip_suffix(b"]"))
                .and_then(|t| std::str::from_utf8(t).ok()?.parse::<u32>().ok())
                && inodes.binary_search(&ino).is_ok()
            {
                hits.push((ino, n));
            }
        }
        if hits.is_empty() {
            return (hits, None);
        }
        let stat = std::fs::read(proc_root.join(format!("{pid}/stat"))).unwrap_or_default();
        let comm: Arc<str> = match (
            stat.iter().position(|&b| b == b'('),
            stat.iter().rposition(|&b| b == b')'),
        ) {
            (Some(a), Some(b)) if a < b => std::ffi::OsStr::from_bytes(&stat[a + 1..b]).to_string_lossy().into(),
            _ => Arc::from(""),
        };
        (hits, Some((pid, comm)))
    });
    drop(inodes);
    // (inode, index of the process, fd), in the order found.
    let mut comms: Vec<(u32, Arc<str>)> = Vec::new();
    let mut holders: Vec<(u32, u32, u32)> = Vec::new();
    for (hits, who) in found {
        let Some(who) = who else { continue };
        let i = comms.len() as u32;
        comms.push(who);
        holders.extend(hits.into_iter().map(|(ino, fd)| (ino, i, fd)));
    }
    // iproute2: ss keeps each inode's holders newest first.
    holders.reverse();
    holders.sort_by_key(|h| h.0);
    for s in sockets.iter_mut().flatten() {
        let from = holders.partition_point(|h| h.0 < s.inode);
        let to = from + holders[from..].partition_point(|h| h.0 == s.inode);
        if s.inode != 0 && to > from {
            s.users = holders[from..to]
                .iter()
                .map(|&(_, i, fd)| {
                    let (pid, command) = &comms[i as usize];
                    SockUser {
                        command: command.clone(),
                        pid: *pid,
                        fd,
                    }
                })
                .collect();
        }
    }
}
