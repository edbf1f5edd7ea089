//! `rnetns inspect`: the dumps behind `ip link`, `ip addr`, `ip route`, `ip -6 route`,
//! `ip neigh` and `ss -tuapn`, read over sockets that were created inside the inspected
//! namespace.
//!
//! Each namespace is read on a fresh thread that entered it and dies right after (STYLE
//! rule 1), with plain blocking socket calls: no runtime is built for it. What it reads
//! goes to the caller's thread as it is parsed, a few hundred records at a time, over a
//! bounded channel: a namespace of 10000 routes is never held whole.

use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::mpsc::SyncSender;

use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST, NetlinkBuffer, NetlinkMessage, NetlinkPayload};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{LinkAttribute, LinkInfo, LinkMessage, Prop};
use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::Socket;
use netlink_sys::protocols::{NETLINK_ROUTE, NETLINK_SOCK_DIAG};

use super::NetlinkError;
use crate::model::{Addr, Link, Neigh, Route, Sections};

/// Records per [`Piece`] of routes or neighbours, and per parcel sent.
const CHUNK: usize = 128;

/// Parcels a namespace's thread may have sent ahead of the reader: a small namespace's
/// whole answer fits in two (its sockets, then the rest), so a batch of them is read side
/// by side without waiting for the reader; a large one waits with two chunks ahead.
pub(crate) const AHEAD: usize = 2;

/// What a namespace's thread sends, in this order: its sockets (when asked: first, so that
/// one /proc scan can serve a whole batch before anything is rendered), its links, then each
/// section's records, then `Done` (or `Failed` at any point).
#[derive(Debug)]
pub(crate) enum Piece {
    /// Every TCP and UDP socket (without holders).
    Sockets(Vec<crate::model::Socket>),
    /// The links (with their addresses when asked) and the names of the peers they point
    /// into.
    Links(Vec<Link>, Vec<(i32, OsString)>),
    /// The routes of one family begin (IPv4 first).
    Routes { inet6: bool },
    /// Routes, in dump order.
    RouteChunk(Vec<Route>),
    /// The neighbours begin (`proxy`: the proxy entries, after the others).
    Neighs { proxy: bool },
    /// Neighbours, in dump order.
    NeighChunk(Vec<Neigh>),
    /// All is read.
    Done,
    /// Reading stopped here.
    Failed(DumpError),
}

/// Why one namespace could not be read.
#[derive(Debug)]
pub enum DumpError {
    /// Entering the namespace or opening a socket in it failed.
    Open(io::Error),
    /// The kernel refused a dump.
    Netlink(NetlinkError),
}

impl From<NetlinkError> for DumpError {
    fn from(e: NetlinkError) -> Self {
        DumpError::Netlink(e)
    }
}

/// The job of a thread that has entered a network namespace (`entered` says whether it
/// did): read what `what` asks for as `ip link`, `ip addr`, `ip route`, `ip -6 route`,
/// `ip neigh` and `ss -tuapn` read it, over sockets opened here (a netlink socket stays in
/// the namespace it was created in), and send it to `tx` piece by piece. `peers` are
/// run-dir namespaces (name, path) to name the ids that links carry (`link-netns NAME`);
/// each is opened only while it is asked about, and only by a namespace whose links carry
/// ids. When the reader hangs up, the rest is read and dropped.
pub(crate) fn read_netns(
    entered: Result<(), nix::errno::Errno>,
    what: &Sections,
    peers: &[(OsString, std::path::PathBuf)],
    tx: &SyncSender<Vec<Piece>>,
) {
    let mut out = Out {
        tx,
        parcel: Vec::new(),
        gone: false,
    };
    let end = match entered {
        Ok(()) => read_all(what, peers, &mut out).map_or_else(Piece::Failed, |()| Piece::Done),
        Err(e) => Piece::Failed(DumpError::Open(e.into())),
    };
    out.send(end);
}

/// The sending end of a namespace's channel: pieces go in parcels, each sent once it holds
/// a chunk of records, or at once for the sockets (wanted first) and the end.
struct Out<'a> {
    tx: &'a SyncSender<Vec<Piece>>,
    parcel: Vec<Piece>,
    gone: bool,
}

impl Out<'_> {
    fn send(&mut self, p: Piece) {
        let full = match &p {
            Piece::Sockets(_) | Piece::Done | Piece::Failed(_) => true,
            Piece::RouteChunk(v) => v.len() >= CHUNK,
            Piece::NeighChunk(v) => v.len() >= CHUNK,
            _ => false,
        };
        self.parcel.push(p);
        if full && !self.gone && self.tx.send(std::mem::take(&mut self.parcel)).is_err() {
            self.gone = true;
        }
        if self.gone {
            self.parcel.clear();
        }
    }
}

fn open(proto: isize) -> io::Result<Socket> {
    let mut s = Socket::new(proto)?;
    if proto == NETLINK_ROUTE {
        s.set_ext_ack(true)?;
        // Strict mode: the kernel refuses malformed dump requests.
        s.set_netlink_get_strict_chk(true)?;
    }
    s.bind_auto()?;
    s.connect(&netlink_sys::SocketAddr::new(0, 0))?;
    Ok(s)
}

fn read_all(what: &Sections, peers: &[(OsString, std::path::PathBuf)], out: &mut Out<'_>) -> Result<(), DumpError> {
    let route = open(NETLINK_ROUTE).map_err(DumpError::Open)?;
    if what.sockets {
        let diag = open(NETLINK_SOCK_DIAG).map_err(DumpError::Open)?;
        out.send(Piece::Sockets(super::sockets::dump(&diag, what.all_sockets)?));
    }
    let mut rx = Vec::new();
    let mut seq = 0;
    let mut next = || {
        seq += 1;
        seq
    };
    // Links are needed for device names by every section.
    let mut links = Vec::new();
    dump(
        &route,
        &mut rx,
        next(),
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        |m| {
            if let RouteNetlinkMessage::NewLink(l) = &m {
                links.push(link_of(l));
            }
        },
    )?;
    if what.addrs {
        dump(
            &route,
            &mut rx,
            next(),
            RouteNetlinkMessage::GetAddress(AddressMessage::default()),
            |m| {
                if let RouteNetlinkMessage::NewAddress(a) = &m
                    && let Some((index, addr)) = addr_of(a)
                    && let Some(link) = links.iter_mut().find(|l| l.index == index)
                {
                    link.addrs.push(addr);
                }
            },
        )?;
    }
    let peer_names = peer_names(&route, &mut rx, &mut next, &links, peers);
    out.send(Piece::Links(links, peer_names));
    if what.routes {
        for family in [AddressFamily::Inet, AddressFamily::Inet6] {
            out.send(Piece::Routes {
                inet6: family == AddressFamily::Inet6,
            });
            let mut chunk = Vec::new();
            dump(&route, &mut rx, next(), super::route::request(family), |m| {
                if let RouteNetlinkMessage::NewRoute(r) = &m
                    && let Some(r) = super::route::route_of(r, what.table)
                {
                    chunk.push(r);
                    if chunk.len() == CHUNK {
                        out.send(Piece::RouteChunk(std::mem::replace(
                            &mut chunk,
                            Vec::with_capacity(CHUNK),
                        )));
                    }
                }
            })?;
            if !chunk.is_empty() {
                out.send(Piece::RouteChunk(chunk));
            }
        }
    }
    if what.neigh {
        for proxy in [false, true] {
            out.send(Piece::Neighs { proxy });
            let mut chunk = Vec::new();
            dump(&route, &mut rx, next(), super::neigh::request(proxy), |m| {
                if let RouteNetlinkMessage::NewNeighbour(n) = &m
                    && let Some(n) = super::neigh::neigh_of(n, proxy)
                {
                    chunk.push(n);
                    if chunk.len() == CHUNK {
                        out.send(Piece::NeighChunk(std::mem::replace(
                            &mut chunk,
                            Vec::with_capacity(CHUNK),
                        )));
                    }
                }
            })?;
            if !chunk.is_empty() {
                out.send(Piece::NeighChunk(chunk));
            }
        }
    }
    Ok(())
}

/// The run-dir names of the ids that `links` carry (`link-netns NAME`), asked inside the
/// namespace for each of `peers` as ip asks.
fn peer_names(
    sock: &Socket,
    rx: &mut Vec<u8>,
    next: &mut impl FnMut() -> u32,
    links: &[Link],
    peers: &[(OsString, std::path::PathBuf)],
) -> Vec<(i32, OsString)> {
    let mut found = Vec::new();
    let mut wanted: Vec<i32> = links.iter().filter_map(|l| l.link_netnsid).collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return found;
    }
    for (name, path) in peers {
        // iproute2: ip asks, inside the namespace, for the id of every run-dir entry.
        // Non-blocking: a FIFO left in the run dir must not hang the lookup.
        let open = std::os::unix::fs::OpenOptionsExt::custom_flags(
            std::fs::OpenOptions::new().read(true),
            libc::O_NONBLOCK | libc::O_NOCTTY,
        )
        .open(path);
        let Ok(file) = open else {
            continue;
        };
        let mut msg = NsidMessage::default();
        msg.header.family = AddressFamily::Unspec;
        msg.attributes = vec![NsidAttribute::Fd(file.as_raw_fd() as u32)];
        let mut id = None;
        let asked = exchange(
            sock,
            rx,
            next(),
            RouteNetlinkMessage::GetNsId(msg),
            NLM_F_REQUEST,
            |m| {
                if let RouteNetlinkMessage::NewNsId(m) = &m {
                    for a in &m.attributes {
                        if let NsidAttribute::Id(i) = a {
                            id = Some(*i);
                        }
                    }
                }
            },
        );
        if asked.is_ok()
            && let Some(id) = id
            && wanted.contains(&id)
            && !found.iter().any(|(i, _)| *i == id)
        {
            found.push((id, name.clone()));
        }
    }
    found
}

/// A dump request `msg` with sequence number `seq`; `each` gets every answer.
fn dump(
    sock: &Socket,
    rx: &mut Vec<u8>,
    seq: u32,
    msg: RouteNetlinkMessage,
    each: impl FnMut(RouteNetlinkMessage),
) -> Result<(), NetlinkError> {
    exchange(sock, rx, seq, msg, NLM_F_REQUEST | NLM_F_DUMP, each)
}

/// Send `msg` and hand each answer to `each` as it is parsed (a dump's records are never
/// all held at once as messages), up to NLMSG_DONE, the ack, or the one reply.
fn exchange(
    sock: &Socket,
    rx: &mut Vec<u8>,
    seq: u32,
    msg: RouteNetlinkMessage,
    flags: u16,
    mut each: impl FnMut(RouteNetlinkMessage),
) -> Result<(), NetlinkError> {
    let dump = flags & NLM_F_DUMP == NLM_F_DUMP;
    let mut req = NetlinkMessage::from(msg);
    req.header.flags = flags;
    req.header.sequence_number = seq;
    req.finalize();
    let mut tx = vec![0u8; req.buffer_len()];
    req.serialize(&mut tx);
    sock.send(&tx, 0).map_err(|e| NetlinkError {
        unsent: Some(if dump {
            "Cannot send dump request"
        } else {
            "Cannot talk to rtnetlink"
        }),
        ..super::io_errno(&e)
    })?;
    loop {
        receive(sock, rx)?;
        let mut buf = &rx[..];
        while let Ok(nb) = NetlinkBuffer::new_checked(buf) {
            let len = (nb.length() as usize).clamp(16, buf.len());
            if let Ok(msg) = NetlinkMessage::<RouteNetlinkMessage>::deserialize(&buf[..len])
                && msg.header.sequence_number == seq
            {
                if let Some(e) = super::decode_error(&msg) {
                    return Err(e);
                }
                match msg.payload {
                    NetlinkPayload::InnerMessage(inner) => {
                        each(inner);
                        if !dump {
                            return Ok(());
                        }
                    }
                    // NLMSG_DONE, or an ack (NLMSG_ERROR with code 0).
                    NetlinkPayload::Done(_) | NetlinkPayload::Error(_) => return Ok(()),
                    _ => {}
                }
            }
            let step = (len + 3) & !3;
            if step >= buf.len() {
                break;
            }
            buf = &buf[step..];
        }
    }
}

/// Read one datagram whole into `rx`, as iproute2 does: its size peeked first, then read
/// into a buffer of at least 32 KiB (reused from one datagram to the next). A reader that
/// offers 32 KiB gets a dump in datagrams of about that size; one that reads each datagram
/// at its exact size keeps getting page-sized ones, eight times as many.
fn receive(sock: &Socket, rx: &mut Vec<u8>) -> Result<(), NetlinkError> {
    let retry = |e: &io::Error| matches!(e.raw_os_error(), Some(libc::EINTR | libc::EAGAIN));
    let size = loop {
        let mut peek = [0u8; 16];
        match sock.recv(&mut &mut peek[..], libc::MSG_PEEK | libc::MSG_TRUNC) {
            Ok(n) => break n,
            Err(e) if retry(&e) => {}
            Err(e) => return Err(super::io_errno(&e)),
        }
    };
    rx.clear();
    rx.reserve(size.max(32 * 1024));
    loop {
        match sock.recv(rx, 0) {
            Ok(_) => return Ok(()),
            Err(e) if retry(&e) => {}
            Err(e) => return Err(super::io_errno(&e)),
        }
    }
}

fn link_of(m: &LinkMessage) -> Link {
    let mut l = Link {
        index: m.header.index,
        flags: m.header.flags.bits(),
        link_type: m.header.link_layer_type.into(),
        ..Link::default()
    };
    for a in &m.attributes {
        match a {
            LinkAttribute::IfName(n) => l.name = n.clone(),
            LinkAttribute::Mtu(v) => l.mtu = Some(*v),
            LinkAttribute::OperState(s) => l.operstate = Some((*s).into()),
            LinkAttribute::Address(a) => l.address = Some(a.clone()),
            LinkAttribute::Broadcast(a) => l.broadcast = Some(a.clone()),
            LinkAttribute::PermAddress(a) => l.perm_address = Some(a.clone()),
            LinkAttribute::Controller(i) => l.master = Some(*i),
            LinkAttribute::Link(i) => l.link = Some(*i),
            LinkAttribute::LinkNetNsId(i) => l.link_netnsid = Some(*i),
            LinkAttribute::Qdisc(q) => l.qdisc = Some(q.clone()),
            LinkAttribute::Group(g) => l.group = Some(*g),
            LinkAttribute::TxQueueLen(q) => l.txqlen = Some(*q),
            LinkAttribute::Mode(m) => l.linkmode = Some((*m).into()),
            LinkAttribute::IfAlias(s) => l.alias = Some(s.clone()),
            LinkAttribute::PropList(props) => {
                for p in props {
                    if let Prop::AltIfName(n) = p {
                        l.altnames.push(n.clone());
                    }
                }
            }
            LinkAttribute::LinkInfo(infos) => {
                for info in infos {
                    match info {
                        LinkInfo::Kind(k) => l.kind = Some(k.to_string()),
                        LinkInfo::PortKind(k) => l.slave_kind = Some(k.to_string()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    l
}

fn addr_of(m: &AddressMessage) -> Option<(u32, Addr)> {
    let (mut local, mut address, mut label) = (None, None, None);
    let mut addr = Addr {
        local: std::net::Ipv4Addr::UNSPECIFIED.into(),
        peer: None,
        prefixlen: m.header.prefix_len,
        scope: m.header.scope.into(),
        label: None,
        flags: u32::from(m.header.flags.bits()),
        broadcast: None,
        anycast: None,
        valid: None,
        preferred: None,
    };
    for a in &m.attributes {
        match a {
            AddressAttribute::Local(ip) => local = Some(*ip),
            AddressAttribute::Address(ip) => address = Some(*ip),
            AddressAttribute::Label(s) => label = Some(s.clone()),
            AddressAttribute::Flags(f) => addr.flags = f.bits(),
            AddressAttribute::Broadcast(b) => addr.broadcast = Some((*b).into()),
            AddressAttribute::Anycast(b) => addr.anycast = Some((*b).into()),
            AddressAttribute::CacheInfo(c) => {
                addr.valid = Some(c.ifa_valid);
                addr.preferred = Some(c.ifa_preferred);
            }
            _ => {}
        }
    }
    // iproute2: IFA_LOCAL is the address; IFA_ADDRESS is a peer only when it differs.
    (addr.local, addr.peer) = match (local, address) {
        (Some(l), Some(a)) if l != a => (l, Some(a)),
        (Some(l), _) | (None, Some(l)) => (l, None),
        (None, None) => return None,
    };
    addr.label = label;
    Some((m.header.index, addr))
}
