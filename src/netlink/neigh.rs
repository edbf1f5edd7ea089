//! RTM_GETNEIGH dumps for `inspect`: `ip neigh` and `ip neigh show proxy`.

use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::neighbour::{NeighbourAddress, NeighbourAttribute, NeighbourFlags, NeighbourMessage};

use crate::model::Neigh;

const NUD_NOARP: u16 = 0x40;

/// RTM_GETNEIGH of every family; `proxy` asks for the proxy entries (NTF_PROXY).
pub fn request(proxy: bool) -> RouteNetlinkMessage {
    let mut msg = NeighbourMessage::default();
    if proxy {
        msg.header.flags = NeighbourFlags::Proxy;
    }
    RouteNetlinkMessage::GetNeighbour(msg)
}

/// A neighbour as `ip neigh` lists it, or None for what it leaves out by default
/// (NOARP and NONE entries; among proxy answers, anything that is not a proxy entry).
pub fn neigh_of(m: &NeighbourMessage, proxy: bool) -> Option<Neigh> {
    let state: u16 = m.header.state.into();
    let flags = m.header.flags.bits();
    if proxy != (flags & NeighbourFlags::Proxy.bits() != 0) {
        return None;
    }
    // iproute2: without `nud`, ip neigh hides NOARP entries and those in no state.
    if !proxy && (state & NUD_NOARP != 0 || state == 0) {
        return None;
    }
    let mut dst = None;
    let mut lladdr = None;
    let mut protocol = None;
    for a in &m.attributes {
        match a {
            NeighbourAttribute::Destination(NeighbourAddress::Inet(v4)) => dst = Some((*v4).into()),
            NeighbourAttribute::Destination(NeighbourAddress::Inet6(v6)) => dst = Some((*v6).into()),
            NeighbourAttribute::LinkLayerAddress(l) => lladdr = Some(l.clone()),
            NeighbourAttribute::Protocol(p) => protocol = Some((*p).into()),
            _ => {}
        }
    }
    Some(Neigh {
        dst: dst?,
        dev: m.header.ifindex,
        lladdr,
        state,
        flags,
        protocol,
    })
}
