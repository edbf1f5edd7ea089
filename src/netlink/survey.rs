//! `inspect`'s batching: namespaces opened a batch at a time (a namespace fd and a socket
//! each stay open), their ids asked in one pipelined pass, and each one's dumps read over
//! a socket born inside it.

use crate::error::{Errno, Error, Result};
use crate::model::NsReport;
use crate::netns::{RunDir, Target, open_netns};

use super::names::query_batch;
use super::{Rtnl, inspect};

/// What `inspect` found: one report per namespace, and (without explicit targets) the
/// run-dir entries that were skipped, each with the reason.
#[derive(Debug, Default)]
pub struct Inspection {
    /// One report per namespace, in the order asked (or readdir order).
    pub reports: Vec<NsReport>,
    /// Run-dir entries skipped because they are not network namespaces.
    pub skipped: Vec<Error>,
}

/// Inspect `targets` in order. With `explicit`, a target that cannot be opened or read
/// fails the whole call; otherwise it is skipped with its reason.
pub(crate) fn inspect_all(rtnl: &Rtnl, rundir: &RunDir, targets: Vec<Target>, explicit: bool) -> Result<Inspection> {
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
        let socks = inspect::sockets_in(&fds);
        for (((target, _), id), sock) in opened.iter().zip(ids).zip(socks) {
            let dump = sock
                .map_err(|e| Error::RtnetlinkIn {
                    target: target.label().to_os_string(),
                    errno: Errno::of_io(&e),
                })
                .and_then(|s| rtnl.inspect_socket(s).map_err(Error::Netlink));
            match dump {
                Ok((links, routes)) => out.reports.push(NsReport {
                    target: target.clone(),
                    // No id (or a refusal) only leaves the header without one.
                    id: id.ok().flatten(),
                    links,
                    routes,
                }),
                Err(e) => fail(e, &mut out)?,
            }
        }
    }
    Ok(out)
}
