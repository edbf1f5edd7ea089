//! Which id the caller's namespace has for each run-dir entry: the lookup behind `list`,
//! `list-id` and `discover`, pipelined over one socket in batches that fit the open-file
//! limit.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nix::fcntl::{AT_FDCWD, OFlag, openat};
use nix::sys::stat::Mode;

use super::{NetlinkError, Rtnl};
use crate::error::{Errno, Error, Result};
use crate::netns::discover::{Discovered, open_handle};
use crate::netns::{DirEntry, RunDir, procfs, read_entries};

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
fn refused_entries(dir: &nix::dir::Dir, entries: &[DirEntry]) -> Vec<NetlinkError> {
    let dfd = dir.as_fd();
    procfs::par_map(entries, |e| crate::netns::stale::refused_by_kernel(dfd, &e.name))
        .into_iter()
        .filter(|r| *r)
        .map(|_| peer_invalid())
        .collect()
}

/// The run dir read with ids.
#[derive(Default)]
pub(crate) struct Scan {
    /// The entries in readdir order; None when the run dir cannot be read.
    pub entries: Option<Vec<DirEntry>>,
    /// The id of each entry (same order), empty when there are no entries.
    pub ids: Vec<Option<i32>>,
    /// Kernel refusals met on the way (one per entry that is not a namespace).
    pub warnings: Vec<NetlinkError>,
    /// The connection opened on the way, if any.
    pub rtnl: Option<Rtnl>,
}

impl Scan {
    /// Entries and ids of the run dir: one dump first; per-entry queries only when some id
    /// is assigned at all.
    pub(crate) fn run_dir(rundir: &RunDir) -> Result<Scan> {
        let Ok(mut dir) = rundir.open_dir() else {
            return Ok(Scan::default());
        };
        let entries = read_entries(&mut dir);
        if entries.is_empty() {
            return Ok(Scan {
                entries: Some(entries),
                ..Scan::default()
            });
        }
        let rtnl = open_rtnl()?;
        let any_id = rtnl
            .dump_nsids(None)
            .map(|d| d.iter().any(|r| r.nsid.is_some_and(|n| n >= 0)))
            .unwrap_or(true);
        let mut warnings = Vec::new();
        let ids = if any_id {
            drop(dir);
            ids_of(&rtnl, rundir, &entries, &mut warnings)
        } else {
            warnings = refused_entries(&dir, &entries);
            vec![None; entries.len()]
        };
        Ok(Scan {
            entries: Some(entries),
            ids,
            warnings,
            rtnl: Some(rtnl),
        })
    }

    /// The name map of `list-id`: id -> name, the first name in readdir order winning (ip's
    /// cache answers with the first entry it holds for an id).
    pub(crate) fn names_by_id(&mut self) -> HashMap<i32, OsString> {
        let mut names = HashMap::new();
        let entries = self.entries.take().unwrap_or_default();
        for (e, id) in entries.into_iter().zip(std::mem::take(&mut self.ids)) {
            if let Some(id) = id {
                names.entry(id).or_insert(e.name);
            }
        }
        names
    }
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
