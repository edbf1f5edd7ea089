//! `inspect`'s batching: namespaces opened a batch at a time (a namespace fd and a socket
//! each stay open), their ids asked in one pipelined pass, and each one's dumps read over
//! a socket born inside it.

use crate::error::{Errno, Error, Result};
use std::ffi::OsString;
use std::path::PathBuf;

use crate::model::{NsReport, Sections};
use crate::netns::{RunDir, Target, open_netns};

use super::Rtnl;
use super::inspect::{self, DumpError};
use super::names::query_batch;

/// What `inspect` found: one report per namespace, and (without explicit targets) the
/// run-dir entries that were skipped, each with the reason.
#[derive(Debug, Default)]
pub struct Inspection {
    /// One report per namespace, in the order asked (or readdir order).
    pub reports: Vec<NsReport>,
    /// Run-dir entries skipped because they are not network namespaces.
    pub skipped: Vec<Error>,
}

/// Inspect `targets` in order, reading what `what` selects; `peers` (name, path) are the
/// run-dir entries whose ids links may name. With `explicit`, a target that cannot be
/// opened or read fails the whole call; otherwise it is skipped with its reason. Socket
/// holders come from one /proc scan for all namespaces.
pub(crate) fn inspect_all(
    rtnl: &Rtnl,
    rundir: &RunDir,
    targets: Vec<Target>,
    explicit: bool,
    what: &Sections,
    peers: &[(OsString, PathBuf)],
) -> Result<Inspection> {
    let mut out = Inspection::default();
    let fail = |e: Error, out: &mut Inspection| -> Result<()> {
        if explicit {
            return Err(e);
        }
        out.skipped.push(e);
        Ok(())
    };
    let mut targets = targets.into_iter().peekable();
    while targets.peek().is_some() {
        let mut opened = Vec::new();
        for t in targets.by_ref().take(query_batch().min(64)) {
            match open_netns(&t, rundir) {
                Ok(ns) => opened.push((t, ns)),
                Err(e) => fail(e, &mut out)?,
            }
        }
        let fds: Vec<_> = opened.iter().map(|(_, ns)| ns.fd()).collect();
        let ids = rtnl.nsids_of_fds(&fds);
        let dumps = inspect::dump_in(&fds, what, peers);
        for (((target, _), id), dump) in opened.iter().zip(ids).zip(dumps) {
            let dump = dump.map_err(|e| match e {
                DumpError::Open(e) => Error::RtnetlinkIn {
                    target: target.label().to_os_string(),
                    errno: Errno::of_io(&e),
                },
                DumpError::Netlink(e) => Error::Netlink(e),
            });
            match dump {
                Ok(d) => out.reports.push(NsReport {
                    target: target.clone(),
                    // No id (or a refusal) only leaves the header without one.
                    id: id.ok().flatten(),
                    links: d.links,
                    routes: d.routes,
                    neighs: d.neighs,
                    sockets: d.sockets,
                    peer_names: d.peer_names,
                }),
                Err(e) => fail(e, &mut out)?,
            }
        }
    }
    if what.sockets {
        crate::netns::procfs::fill_socket_owners(std::path::Path::new("/proc"), &mut out.reports);
    }
    Ok(out)
}
