//! `rnetns inspect`: the dumps behind `ip link`, `ip addr`, `ip route`, `ip -6 route`,
//! `ip neigh` and `ss -tuapn`, read over sockets that were created inside the inspected
//! namespace.
//!
//! Each namespace is read on a fresh thread that entered it and dies right after (STYLE
//! rule 1), with plain blocking socket calls: no runtime is built for it.

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST, NetlinkBuffer, NetlinkMessage, NetlinkPayload};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{LinkAttribute, LinkInfo, LinkMessage, Prop};
use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::Socket;
use netlink_sys::protocols::{NETLINK_ROUTE, NETLINK_SOCK_DIAG};

use super::NetlinkError;
use crate::model::{Addr, Link, Neigh, Route, Sections};
use crate::netns::thread::run_in_each_netns;

/// What one namespace answered.
#[derive(Debug, Default)]
pub struct Dump {
    /// Links (with their addresses when asked for).
    pub links: Vec<Link>,
    /// Routes of the table asked: IPv4, then IPv6.
    pub routes: Vec<Route>,
    /// Neighbours, then proxy entries.
    pub neighs: Vec<Neigh>,
    /// TCP and UDP sockets (without their holders).
    pub sockets: Vec<crate::model::Socket>,
    /// (id, name) of run-dir namespaces whose id its links name.
    pub peer_names: Vec<(i32, OsString)>,
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

/// Read what `what` asks for in each of the network namespaces `nss`, in order, as
/// `ip link`, `ip addr`, `ip route`, `ip -6 route`, `ip neigh` and `ss -tuapn` read it.
/// `peers` are run-dir namespaces (name, path) to name the ids that links carry
/// (`link-netns NAME`); each is opened only while it is asked about, and only by a
/// namespace whose links carry ids. Pass none to skip that lookup.
///
/// Each namespace is read by a throwaway thread that entered it, opened its sockets there
/// (a netlink socket stays in the namespace it was created in), read them with plain
/// blocking calls (no runtime) and ends; the threads run side by side, so the kernel's
/// per-namespace walks (sock_diag's TCP tables) use every CPU. Needs the privilege to
/// `setns` into each namespace (CAP_SYS_ADMIN over it).
pub fn dump_in(
    nss: &[BorrowedFd<'_>],
    what: &Sections,
    peers: &[(OsString, std::path::PathBuf)],
) -> Vec<Result<Dump, DumpError>> {
    run_in_each_netns(nss, || {
        let open = |proto| -> io::Result<Socket> {
            let mut s = Socket::new(proto)?;
            if proto == NETLINK_ROUTE {
                s.set_ext_ack(true)?;
                // Strict mode: the kernel refuses malformed dump requests.
                s.set_netlink_get_strict_chk(true)?;
            }
            s.bind_auto()?;
            s.connect(&netlink_sys::SocketAddr::new(0, 0))?;
            Ok(s)
        };
        let route = open(NETLINK_ROUTE).map_err(DumpError::Open)?;
        let diag = if what.sockets {
            Some(open(NETLINK_SOCK_DIAG).map_err(DumpError::Open)?)
        } else {
            None
        };
        let mut out = dump_route(&route, what, peers)?;
        if let Some(d) = &diag {
            out.sockets = super::sockets::dump(d, what.all_sockets)?;
        }
        Ok(out)
    })
    .into_iter()
    .map(|r| r.map_err(|e| DumpError::Open(e.into())).and_then(|d| d))
    .collect()
}

/// The route-netlink dumps, one at a time (the kernel runs a single dump per socket).
fn dump_route(sock: &Socket, what: &Sections, peers: &[(OsString, std::path::PathBuf)]) -> Result<Dump, NetlinkError> {
    let mut out = Dump::default();
    let mut seq = 0;
    let mut next = || {
        seq += 1;
        seq
    };
    // Links are needed for device names by every section.
    dump(
        sock,
        next(),
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        |m| {
            if let RouteNetlinkMessage::NewLink(l) = &m {
                out.links.push(link_of(l));
            }
        },
    )?;
    if what.addrs {
        let links = &mut out.links;
        dump(
            sock,
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
    if what.routes {
        for family in [AddressFamily::Inet, AddressFamily::Inet6] {
            dump(sock, next(), super::route::request(family), |m| {
                if let RouteNetlinkMessage::NewRoute(r) = &m {
                    out.routes.extend(super::route::route_of(r, what.table));
                }
            })?;
        }
    }
    if what.neigh {
        for proxy in [false, true] {
            dump(sock, next(), super::neigh::request(proxy), |m| {
                if let RouteNetlinkMessage::NewNeighbour(n) = &m {
                    out.neighs.extend(super::neigh::neigh_of(n, proxy));
                }
            })?;
        }
    }
    let mut wanted: Vec<i32> = out.links.iter().filter_map(|l| l.link_netnsid).collect();
    wanted.sort_unstable();
    wanted.dedup();
    if !wanted.is_empty() {
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
            let asked = exchange(sock, next(), RouteNetlinkMessage::GetNsId(msg), NLM_F_REQUEST, |m| {
                if let RouteNetlinkMessage::NewNsId(m) = &m {
                    for a in &m.attributes {
                        if let NsidAttribute::Id(i) = a {
                            id = Some(*i);
                        }
                    }
                }
            });
            if asked.is_ok()
                && let Some(id) = id
                && wanted.contains(&id)
                && !out.peer_names.iter().any(|(i, _)| *i == id)
            {
                out.peer_names.push((id, name.clone()));
            }
        }
    }
    Ok(out)
}

/// A dump request `msg` with sequence number `seq`; `each` gets every answer.
fn dump(
    sock: &Socket,
    seq: u32,
    msg: RouteNetlinkMessage,
    each: impl FnMut(RouteNetlinkMessage),
) -> Result<(), NetlinkError> {
    exchange(sock, seq, msg, NLM_F_REQUEST | NLM_F_DUMP, each)
}

/// Send `msg` and hand each answer to `each` as it is parsed (a dump's records are never
/// all held at once as messages), up to NLMSG_DONE, the ack, or the one reply.
fn exchange(
    sock: &Socket,
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
        // Each datagram read whole at its own size (peek, then read), as iproute2 does.
        let (rx, _) = sock.recv_from_full().map_err(|e| super::io_errno(&e))?;
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
