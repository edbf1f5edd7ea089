//! `inspect`'s batching: namespaces opened a batch at a time (a namespace fd and a socket
//! each stay open), their ids asked in one pipelined pass, each one's dumps read over a
//! socket born inside it, and everything handed to the caller's sink as it arrives, in
//! order, namespace after namespace.

use crate::error::{Errno, Error, Result};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, sync_channel};

use crate::model::{Neigh, NsReport, Route, Sections, Socket};
use crate::netns::thread::run_in_each_netns;
use crate::netns::{RunDir, Target, open_netns};

use super::Rtnl;
use super::inspect::{self, AHEAD, DumpError, Piece};
use super::names::query_batch;

/// One piece of what `inspect` finds, handed to the caller's sink as soon as it is read, in
/// output order: per namespace `Namespace`, then (for the sections asked) `Routes` and its
/// routes for IPv4 then IPv6, `Neighs` and its neighbours for the ordinary entries then the
/// proxy ones, `Sockets`, and `End`. A run-dir entry that is skipped is `Skipped`, between
/// namespaces.
#[derive(Debug)]
pub enum Found {
    /// A namespace begins: its header and links (with their addresses when asked).
    Namespace(NsReport),
    /// The routes of one family begin: IPv4 (`inet6` false), then IPv6.
    Routes {
        /// IPv6 routes follow.
        inet6: bool,
    },
    /// One route of the table asked, in dump order.
    Route(Route),
    /// The neighbours begin: `ip neigh`'s, then (`proxy`) `ip neigh show proxy`'s.
    Neighs {
        /// Proxy entries follow.
        proxy: bool,
    },
    /// One neighbour, in dump order.
    Neigh(Neigh),
    /// Every TCP and UDP socket of the namespace with its holders, UDP then TCP, IPv4
    /// before IPv6 (`ss -tuapn`'s order), all at once (a table's column widths need every
    /// row).
    Sockets(Vec<Socket>),
    /// The namespace is done. A namespace whose reading failed after it began ends too,
    /// before its failure.
    End,
    /// A run-dir entry skipped (only without explicit targets): not a network namespace,
    /// or not readable, with the reason.
    Skipped(Error),
}

/// Inspect `targets` in order, reading what `what` selects and handing it to `sink` as it
/// comes; `peers` (name, path) are the run-dir entries whose ids links may name. With
/// `explicit`, every target is opened first, so that one that cannot be opened fails the
/// call before anything is found; one that fails later (its namespace cannot be entered or
/// read) fails it then. Without, such an entry is `Skipped`. Socket holders come from one
/// /proc scan per batch of namespaces (none when they have no socket).
pub(crate) fn inspect_each(
    rtnl: &Rtnl,
    rundir: &RunDir,
    targets: Vec<Target>,
    explicit: bool,
    what: &Sections,
    peers: &[(OsString, PathBuf)],
    sink: &mut dyn FnMut(Found),
) -> Result<()> {
    if explicit {
        for t in &targets {
            open_netns(t, rundir)?;
        }
    }
    let mut targets = targets.into_iter().peekable();
    while targets.peek().is_some() {
        let mut opened = Vec::new();
        for t in targets.by_ref().take(query_batch().min(64)) {
            match open_netns(&t, rundir) {
                Ok(ns) => opened.push((t, ns)),
                Err(e) => fail(explicit, e, sink)?,
            }
        }
        let fds: Vec<_> = opened.iter().map(|(_, ns)| ns.fd()).collect();
        let ids = rtnl.nsids_of_fds(&fds);
        let (txs, rxs): (Vec<_>, Vec<_>) = fds.iter().map(|_| sync_channel::<Vec<Piece>>(AHEAD)).unzip();
        let jobs: Vec<_> = txs
            .into_iter()
            .map(|tx| move |entered| inspect::read_netns(entered, what, peers, &tx))
            .collect();
        let heads: Vec<_> = opened
            .iter()
            .zip(ids)
            .map(|((t, _), id)| (t.clone(), id.ok().flatten()))
            .collect();
        let sink: &mut dyn FnMut(Found) = &mut *sink;
        let mut rxs: Vec<Pieces> = rxs.into_iter().map(Pieces::new).collect();
        run_in_each_netns(&fds, jobs, move |unstarted| {
            // Each thread sends its sockets first: the batch's holders are found in one
            // scan before anything of it is handed on.
            let mut sockets: Vec<Vec<Socket>> = Vec::with_capacity(rxs.len());
            for (rx, unstarted) in rxs.iter_mut().zip(unstarted) {
                let piece = match unstarted {
                    Some(e) => Piece::Failed(DumpError::Open((*e).into())),
                    None if what.sockets => rx.next(),
                    None => {
                        sockets.push(Vec::new());
                        continue;
                    }
                };
                match piece {
                    Piece::Sockets(s) => sockets.push(s),
                    other => {
                        rx.back = Some(other);
                        sockets.push(Vec::new());
                    }
                }
            }
            if what.sockets {
                crate::netns::procfs::fill_socket_owners(std::path::Path::new("/proc"), &mut sockets);
            }
            for ((rx, socks), (target, id)) in rxs.iter_mut().zip(sockets).zip(heads) {
                relay(rx, socks, target, id, what, explicit, sink)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The pieces from a namespace's thread, one at a time out of the parcels it sends.
struct Pieces {
    rx: Receiver<Vec<Piece>>,
    parcel: std::vec::IntoIter<Piece>,
    /// A piece read and put back.
    back: Option<Piece>,
}

impl Pieces {
    fn new(rx: Receiver<Vec<Piece>>) -> Pieces {
        Pieces {
            rx,
            parcel: Vec::new().into_iter(),
            back: None,
        }
    }

    /// The next piece; a thread gone without a word (a panic) failed.
    fn next(&mut self) -> Piece {
        if let Some(p) = self.back.take() {
            return p;
        }
        loop {
            if let Some(p) = self.parcel.next() {
                return p;
            }
            match self.rx.recv() {
                Ok(parcel) => self.parcel = parcel.into_iter(),
                Err(_) => return Piece::Failed(DumpError::Open(std::io::Error::from_raw_os_error(libc::EINTR))),
            }
        }
    }
}

/// A target that failed: the call's error with `explicit` targets, else `Skipped`.
fn fail(explicit: bool, e: Error, sink: &mut dyn FnMut(Found)) -> Result<()> {
    if explicit {
        return Err(e);
    }
    sink(Found::Skipped(e));
    Ok(())
}

/// Hand one namespace's pieces to `sink` as they come, its sockets (read first) last.
#[allow(clippy::too_many_arguments)]
fn relay(
    rx: &mut Pieces,
    mut socks: Vec<Socket>,
    target: Target,
    id: Option<i32>,
    what: &Sections,
    explicit: bool,
    sink: &mut dyn FnMut(Found),
) -> Result<()> {
    let mut begun = false;
    let label = target.label().to_os_string();
    let mut target = Some(target);
    loop {
        match rx.next() {
            Piece::Sockets(s) => socks = s,
            Piece::Links(links, peer_names) => {
                begun = true;
                sink(Found::Namespace(NsReport {
                    target: target.take().unwrap_or(Target::Name(OsString::new())),
                    id,
                    links,
                    peer_names,
                }));
            }
            Piece::Routes { inet6 } => sink(Found::Routes { inet6 }),
            Piece::RouteChunk(v) => v.into_iter().for_each(|r| sink(Found::Route(r))),
            Piece::Neighs { proxy } => sink(Found::Neighs { proxy }),
            Piece::NeighChunk(v) => v.into_iter().for_each(|n| sink(Found::Neigh(n))),
            Piece::Done => {
                if what.sockets {
                    sink(Found::Sockets(socks));
                }
                sink(Found::End);
                return Ok(());
            }
            Piece::Failed(e) => {
                if begun {
                    sink(Found::End);
                }
                let e = match e {
                    DumpError::Open(e) => Error::RtnetlinkIn {
                        target: label,
                        errno: Errno::of_io(&e),
                    },
                    DumpError::Netlink(e) => Error::Netlink(e),
                };
                return fail(explicit, e, sink);
            }
        }
    }
}
