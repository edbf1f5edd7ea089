//! Which id the caller's namespace has for each run-dir entry: the lookup behind `list`,
//! `list-id` and `discover`, pipelined over one socket in batches that fit the open-file
//! limit.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nix::fcntl::{AT_FDCWD, OFlag, openat};
use nix::sys::stat::Mode;

use super::{NetlinkError, Rtnl};
use crate::error::{Errno, Error, Result};
use crate::netns::discover::{Discovered, open_handle};
use crate::netns::{DirEntry, RunDir, procfs};

/// The kernel's refusal of an entry that is not a network namespace, as ip shows it.
fn peer_invalid() -> NetlinkError {
    NetlinkError {
        errno: Errno::from_raw(libc::EINVAL),
        ext_msg: Some("Peer netns reference is invalid".into()),
        unsent: None,
    }
}

/// `Cannot open rtnetlink`, after ip's `Cannot open netlink socket: strerror` when the
/// socket itself was refused (iproute2: rtnl_open's perror, then the caller's line).
pub(crate) fn open_rtnl() -> Result<Rtnl> {
    Rtnl::open().map_err(|e| match e.unsent {
        Some(_) => Error::Several(vec![Error::Netlink(e), Error::OpenRtnetlink]),
        None => Error::OpenRtnetlink,
    })
}

/// How many namespace fds may be open at once while asking for their ids.
pub(crate) fn query_batch() -> usize {
    (crate::sys::nofile_limit().saturating_sub(24) / 2).clamp(1, 256) as usize
}

/// The id of every entry in the caller's namespace, asked once per entry, pipelined in
/// batches that fit the open-file limit. Entries that cannot be opened have no id; entries
/// the kernel refuses give a warning. Entries are opened by path (no directory fd held),
/// so that one spare descriptor is enough, as with ip (`ulimit -n 8`).
fn ids_of(rtnl: &Rtnl, rundir: &RunDir, entries: &[DirEntry], warnings: &mut Vec<NetlinkError>) -> Vec<Option<i32>> {
    let mut ids = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(query_batch()) {
        let fds: Vec<Option<OwnedFd>> = chunk
            .iter()
            .map(|e| {
                openat(
                    AT_FDCWD,
                    &rundir.entry(&e.name),
                    OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK,
                    Mode::empty(),
                )
                .ok()
            })
            .collect();
        let open: Vec<_> = fds.iter().flatten().map(|fd| fd.as_fd()).collect();
        let mut answers = rtnl.nsids_of_fds(&open).into_iter();
        for fd in &fds {
            let answer = fd.as_ref().and_then(|_| answers.next());
            ids.push(match answer {
                None => None,
                Some(Ok(id)) => id,
                Some(Err(e)) => {
                    warnings.push(e);
                    None
                }
            });
        }
    }
    ids
}

/// Without any assigned id there is nothing to ask the kernel an id for, but ip's query
/// also reports every entry that is not a network namespace: the same verdict, found locally
/// ([`crate::netns::stale::refused_by_kernel`]); a large run dir is checked on two CPUs.
pub(crate) fn refused_entries(dir: &nix::dir::Dir, entries: &[DirEntry]) -> Vec<NetlinkError> {
    refused_at(dir.as_fd(), entries)
}

/// [`refused_entries`] with the entries looked up under `dfd`.
fn refused_at(dfd: std::os::fd::BorrowedFd<'_>, entries: &[DirEntry]) -> Vec<NetlinkError> {
    procfs::par_map(entries, procfs::PARALLEL_SCAN_FROM, |e| {
        crate::netns::stale::refused_by_kernel(dfd, &e.name)
    })
    .into_iter()
    .filter(|r| *r)
    .map(|_| peer_invalid())
    .collect()
}

/// A piece of the run dir read with ids ([`Scan::run_dir_each`]).
pub(crate) struct Scan {
    /// The entries in readdir order.
    pub entries: Vec<DirEntry>,
    /// The id of each entry (same order), empty when no id is assigned at all.
    pub ids: Vec<Option<i32>>,
    /// Kernel refusals met on the way (one per entry that is not a namespace).
    pub warnings: Vec<NetlinkError>,
}

/// Entries read and checked a piece at a time by [`Scan::run_dir_each`]: at most this many
/// (64 KiB of entries; below [`procfs::PARALLEL_SCAN_FROM`], so `list` checks them on one
/// thread, which on 2 shared CPUs is as fast as two: 10000 names in 21 ms, ip 70 ms, with a
/// peak RSS of 2092 kB against ip's 2240-2500).
pub(crate) const PIECE: usize = 1024;

impl Scan {
    /// The run dir with ids, a piece at a time: `each` gets consecutive pieces of it (readdir
    /// order) with their ids and refusals. One dump first; per-entry queries only when some
    /// id is assigned at all, and then the entries come in one piece (the queries run with
    /// the run dir closed: one descriptor fewer). When no id is assigned (the common case)
    /// the run dir is read and checked [`PIECE`] entries at a time, so a run dir of 10000
    /// names is never held whole (ip prints each as it reads it). False when the run dir
    /// cannot be read.
    pub(crate) fn run_dir_each(rundir: &RunDir, each: &mut dyn FnMut(Scan)) -> Result<bool> {
        use std::os::fd::AsRawFd;
        let Ok(mut dir) = rundir.open_dir() else {
            return Ok(false);
        };
        let raw = dir.as_raw_fd();
        // One pass over the directory: the entry that shows it is not empty is the first of
        // the listing (reading it again would cost a third of a large run dir's read).
        let mut entries = dir.iter().filter_map(|e| e.ok()).filter_map(DirEntry::of);
        let Some(first) = entries.next() else {
            return Ok(true);
        };
        let rtnl = open_rtnl()?;
        let any_id = rtnl
            .dump_nsids(None)
            .map(|d| d.iter().any(|r| r.nsid.is_some_and(|n| n >= 0)))
            .unwrap_or(true);
        if any_id {
            let entries: Vec<DirEntry> = std::iter::once(first).chain(entries).collect();
            drop(dir);
            let mut warnings = Vec::new();
            let ids = ids_of(&rtnl, rundir, &entries, &mut warnings);
            each(Scan { entries, ids, warnings });
            return Ok(true);
        }
        // The socket goes before the lookup descriptor: as many descriptors as one piece.
        drop(rtnl);
        let lookups = crate::sys::dup_cloexec(raw).map_err(|e| crate::error::Error::ReadDir {
            dir: rundir.path().to_path_buf(),
            errno: crate::error::errno(e),
        })?;
        let mut piece: Vec<DirEntry> = Vec::new();
        let mut flush = |piece: &mut Vec<DirEntry>| {
            let warnings = refused_at(lookups.as_fd(), piece);
            let entries = std::mem::take(piece);
            each(Scan {
                ids: Vec::new(),
                entries,
                warnings,
            });
        };
        for e in std::iter::once(first).chain(entries) {
            piece.push(e);
            if piece.len() == PIECE {
                flush(&mut piece);
            }
        }
        if !piece.is_empty() {
            flush(&mut piece);
        }
        Ok(true)
    }
}

/// `list-id`'s names: for each id of `wanted` (the ids its listing shows), the first entry
/// in readdir order that has it (ip's cache answers with the first entry it holds for an
/// id), and the kernel's refusals of entries in readdir order, as ip's pass over every entry
/// gives them. Only as many entries are asked about as it takes to find every wanted id:
/// each RTM_GETNSID by fd makes the kernel walk the caller's ids in order until it meets the
/// namespace (one step per id below it, all of them for a namespace without one), so asking
/// every entry of a run dir whose entries all have ids costs the kernel a time that grows
/// with the square of their number. Entries are asked from the last one back: ids are
/// given lowest-free first, so older names tend to have the lower ids a dump lists first,
/// and a tmpfs run dir lists its newest entries first. The entries not asked about are
/// looked at locally (one lookup each): a network namespace that is one already found
/// (same inode) names it if it comes first; anything else the kernel would refuse is a
/// refusal, as the kernel would say it.
pub(crate) fn names_of_ids(
    rtnl: &Rtnl,
    rundir: &RunDir,
    entries: &[DirEntry],
    wanted: &HashSet<i32>,
) -> (HashMap<i32, OsString>, Vec<NetlinkError>) {
    // id -> (index of its first entry so far, inode of its nsfs file)
    let mut found: HashMap<i32, (usize, u64)> = HashMap::new();
    let mut warnings: Vec<(usize, NetlinkError)> = Vec::new();
    let mut unseen = wanted.clone();
    let mut next = entries.len();
    while next > 0 && !unseen.is_empty() {
        next -= 1;
        let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK;
        let Ok(fd) = openat(AT_FDCWD, &rundir.entry(&entries[next].name), flags, Mode::empty()) else {
            continue;
        };
        match rtnl.nsids_of_fds(&[fd.as_fd()]).pop() {
            Some(Ok(Some(id))) if wanted.contains(&id) => {
                unseen.remove(&id);
                let ino = nix::sys::stat::fstat(&fd).map(|st| st.st_ino).unwrap_or(0);
                found.insert(id, (next, ino));
            }
            Some(Err(e)) => warnings.push((next, e)),
            _ => {}
        }
    }
    if next > 0
        && let Ok(dir) = rundir.open_dir()
    {
        let by_inode: HashMap<u64, i32> = found.iter().map(|(&id, &(_, ino))| (ino, id)).collect();
        let dfd = dir.as_fd();
        for (i, e) in entries[..next].iter().enumerate() {
            match crate::sys::nsfs_handle(dfd, &e.name) {
                Some((true, inum)) => {
                    if let Some(&id) = by_inode.get(&u64::from(inum))
                        && opens_as_ip_does(dfd, &e.name)
                        && found.get(&id).is_some_and(|&(at, _)| i < at)
                    {
                        found.insert(id, (i, u64::from(inum)));
                    }
                }
                Some((false, _)) => {
                    if crate::netns::stale::refused_by_kernel(dfd, &e.name) {
                        warnings.push((i, peer_invalid()));
                    }
                }
                // The handle cannot tell (an older kernel): ask the kernel as ip does.
                None => {
                    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK;
                    let Ok(fd) = openat(dfd, e.name.as_os_str(), flags, Mode::empty()) else {
                        continue;
                    };
                    match rtnl.nsids_of_fds(&[fd.as_fd()]).pop() {
                        Some(Ok(Some(id))) if found.get(&id).is_some_and(|&(at, _)| i < at) => {
                            found.insert(id, (i, 0));
                        }
                        Some(Err(e)) => warnings.push((i, e)),
                        _ => {}
                    }
                }
            }
        }
    }
    warnings.sort_by_key(|(i, _)| *i);
    let names = found
        .into_iter()
        .map(|(id, (i, _))| (id, entries[i].name.clone()))
        .collect();
    (names, warnings.into_iter().map(|(_, w)| w).collect())
}

/// Whether ip's `open(O_RDONLY)` of `dir/name` would succeed (an entry it cannot open has no
/// id for ip).
fn opens_as_ip_does(dir: BorrowedFd<'_>, name: &std::ffi::OsStr) -> bool {
    let flags = OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK | OFlag::O_NOCTTY;
    openat(dir, name, flags, Mode::empty()).is_ok()
}

/// Fill in [`Discovered::nsid`]: one RTM_GETNSID dump first; only when it shows assigned
/// ids, one query per namespace by fd (`batch` fds open at a time, pipelined), stopping
/// once every assigned id is found. Namespaces that cannot be opened (unprivileged) keep
/// `None`.
pub(crate) fn assign_nsids(rtnl: &Rtnl, found: &mut [Discovered], proc_root: &Path, rundir: &RunDir, batch: usize) {
    let assigned = match rtnl.dump_nsids(None) {
        Ok(d) => d.iter().filter(|r| r.nsid.is_some_and(|n| n >= 0)).count(),
        Err(_) => usize::MAX,
    };
    if assigned == 0 {
        return;
    }
    let todo: Vec<usize> = (0..found.len()).filter(|&i| !found[i].current).collect();
    let mut seen = 0;
    for chunk in todo.chunks(batch.max(1)) {
        let fds: Vec<(usize, OwnedFd)> = chunk
            .iter()
            .filter_map(|&i| open_handle(&found[i], proc_root, rundir).map(|fd| (i, fd)))
            .collect();
        let borrowed: Vec<BorrowedFd<'_>> = fds.iter().map(|(_, fd)| fd.as_fd()).collect();
        for ((i, _), answer) in fds.iter().zip(rtnl.nsids_of_fds(&borrowed)) {
            if let Ok(Some(n)) = answer {
                found[*i].nsid = Some(n);
                seen += 1;
            }
        }
        if seen >= assigned {
            break;
        }
    }
}
