//! `rnetns inspect`: the dumps behind `ip link`, `ip addr`, `ip route` and `ip -6 route`,
//! read over a socket that was created inside the inspected namespace.
//!
//! Each socket is born on a fresh thread that entered the namespace and dies right after
//! (STYLE rule 1); the dumps then run on the caller's current-thread runtime, which is
//! shared by every namespace of one command, so no runtime is built per namespace.

use std::io;
use std::net::IpAddr;
use std::os::fd::BorrowedFd;

use netlink_packet_core::{NLM_F_DUMP, NLM_F_REQUEST, NetlinkMessage};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::link::{LinkAttribute, LinkInfo, LinkMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteFlags, RouteHeader, RouteMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_sys::Socket;
use netlink_sys::protocols::NETLINK_ROUTE;

use super::{NetlinkError, Rtnl};
use crate::model::{Addr, Link, Route};
use crate::netns::thread::run_in_each_netns;

/// A NETLINK_ROUTE socket in each of the network namespaces `nss`, in order. Each is
/// opened by a throwaway thread that entered its namespace (a netlink socket stays in the
/// namespace it was created in); the threads run side by side. Needs the privilege to
/// `setns` into each namespace (CAP_SYS_ADMIN over it).
pub fn sockets_in(nss: &[BorrowedFd<'_>]) -> Vec<io::Result<Socket>> {
    run_in_each_netns(nss, || {
        let sock = Socket::new(NETLINK_ROUTE)?;
        sock.set_ext_ack(true)?;
        // Strict mode: the kernel refuses malformed dump requests instead of guessing.
        sock.set_netlink_get_strict_chk(true)?;
        Ok(sock)
    })
    .into_iter()
    .map(|r| r.map_err(io::Error::from).and_then(|s| s))
    .collect()
}

/// Links (with their addresses) and main-table routes (IPv4, then IPv6) of one namespace.
pub type Dump = (Vec<Link>, Vec<Route>);

impl Rtnl {
    /// Dump links, addresses and routes over `sock` (from [`sockets_in`]), as `ip link`,
    /// `ip addr`, `ip route` and `ip -6 route` read them. The connection lives on this
    /// Rtnl's runtime only for the duration of the call.
    pub fn inspect_socket(&self, sock: Socket) -> Result<Dump, NetlinkError> {
        self.block_on(async move {
            let (mut conn, handle, _) = rtnetlink::from_socket(crate::sys::tokio_socket(sock));
            conn.set_forward_done(true);
            let task = tokio::spawn(conn);
            let out = dump_all(&handle).await;
            task.abort();
            out
        })
    }
}

/// One dump at a time: the kernel runs a single dump per socket.
async fn dump_all(handle: &rtnetlink::Handle) -> Result<Dump, NetlinkError> {
    let mut links: Vec<Link> = dump(handle, RouteNetlinkMessage::GetLink(LinkMessage::default()))
        .await?
        .iter()
        .filter_map(|m| match m {
            RouteNetlinkMessage::NewLink(l) => Some(link_of(l)),
            _ => None,
        })
        .collect();
    for m in dump(handle, RouteNetlinkMessage::GetAddress(AddressMessage::default())).await? {
        if let RouteNetlinkMessage::NewAddress(a) = &m
            && let Some((index, addr)) = addr_of(a)
            && let Some(link) = links.iter_mut().find(|l| l.index == index)
        {
            link.addrs.push(addr);
        }
    }
    let mut routes = Vec::new();
    for family in [AddressFamily::Inet, AddressFamily::Inet6] {
        let mut msg = RouteMessage::default();
        // No table filter in the request: a namespace whose main table was never
        // created would answer ENOENT; other tables are dropped below.
        msg.header.address_family = family;
        for m in dump(handle, RouteNetlinkMessage::GetRoute(msg)).await? {
            if let RouteNetlinkMessage::NewRoute(r) = &m {
                routes.extend(route_of(r));
            }
        }
    }
    Ok((links, routes))
}

async fn dump(handle: &rtnetlink::Handle, msg: RouteNetlinkMessage) -> Result<Vec<RouteNetlinkMessage>, NetlinkError> {
    let mut req = NetlinkMessage::from(msg);
    req.header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    Rtnl::exchange(handle.clone(), req).await
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
            LinkAttribute::Controller(i) => l.master = Some(*i),
            LinkAttribute::Link(i) => l.link = Some(*i),
            LinkAttribute::LinkNetNsId(i) => l.link_netnsid = Some(*i),
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
    for a in &m.attributes {
        match a {
            AddressAttribute::Local(ip) => local = Some(*ip),
            AddressAttribute::Address(ip) => address = Some(*ip),
            AddressAttribute::Label(s) => label = Some(s.clone()),
            _ => {}
        }
    }
    // iproute2: IFA_LOCAL is the address; IFA_ADDRESS is a peer only when it differs.
    let (local, peer) = match (local, address) {
        (Some(l), Some(a)) if l != a => (l, Some(a)),
        (Some(l), _) | (None, Some(l)) => (l, None),
        (None, None) => return None,
    };
    let addr = Addr {
        local,
        peer,
        prefixlen: m.header.prefix_len,
        scope: m.header.scope.into(),
        label,
    };
    Some((m.header.index, addr))
}

fn ip_of(a: &RouteAddress) -> Option<IpAddr> {
    match a {
        RouteAddress::Inet(v4) => Some((*v4).into()),
        RouteAddress::Inet6(v6) => Some((*v6).into()),
        _ => None,
    }
}

/// A main-table route, or None for other tables and cached clones (which ip hides too).
fn route_of(m: &RouteMessage) -> Option<Route> {
    if m.header.flags.contains(RouteFlags::Cloned) {
        return None;
    }
    let mut table = u32::from(m.header.table);
    let mut r = Route {
        inet6: m.header.address_family == AddressFamily::Inet6,
        kind: m.header.kind.into(),
        dst: None,
        dst_len: m.header.destination_prefix_length,
        gateway: None,
        oif: None,
        protocol: m.header.protocol.into(),
        scope: m.header.scope.into(),
        prefsrc: None,
        metric: None,
        flags: m.header.flags.bits(),
        pref: None,
    };
    for a in &m.attributes {
        match a {
            RouteAttribute::Table(t) => table = *t,
            RouteAttribute::Destination(d) => r.dst = ip_of(d),
            RouteAttribute::Gateway(g) => r.gateway = ip_of(g),
            RouteAttribute::Oif(i) => r.oif = Some(*i),
            RouteAttribute::PrefSource(s) => r.prefsrc = ip_of(s),
            RouteAttribute::Priority(p) => r.metric = Some(*p),
            RouteAttribute::Preference(p) => r.pref = Some((*p).into()),
            _ => {}
        }
    }
    (table == u32::from(RouteHeader::RT_TABLE_MAIN)).then_some(r)
}
