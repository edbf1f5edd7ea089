//! RTM_GETROUTE dumps for `inspect`: requests and the records made of the answers.

use std::net::IpAddr;

use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteFlags, RouteMessage, RouteMetric, RouteNextHop, RouteVia,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use crate::model::{Nexthop, Route, TableSel};

/// RTM_GETROUTE for one family, every table: no table filter in the request (a namespace
/// whose main table was never created would answer ENOENT); tables are chosen on receipt.
pub fn request(family: AddressFamily) -> RouteNetlinkMessage {
    let mut msg = RouteMessage::default();
    msg.header.address_family = family;
    RouteNetlinkMessage::GetRoute(msg)
}

fn ip_of(a: &RouteAddress) -> Option<IpAddr> {
    match a {
        RouteAddress::Inet(v4) => Some((*v4).into()),
        RouteAddress::Inet6(v6) => Some((*v6).into()),
        _ => None,
    }
}

fn via_of(v: &RouteVia) -> Option<IpAddr> {
    match v {
        RouteVia::Inet(v4) => Some((*v4).into()),
        RouteVia::Inet6(v6) => Some((*v6).into()),
        _ => None,
    }
}

/// `RTAX_*` number of a metric (RTAX_LOCK = 1, RTAX_MTU = 2, ...).
fn metric_of(m: &RouteMetric) -> Option<(u16, u32)> {
    Some(match m {
        RouteMetric::Lock(v) => (1, *v),
        RouteMetric::Mtu(v) => (2, *v),
        RouteMetric::Window(v) => (3, *v),
        RouteMetric::Rtt(v) => (4, *v),
        RouteMetric::RttVar(v) => (5, *v),
        RouteMetric::SsThresh(v) => (6, *v),
        RouteMetric::Cwnd(v) => (7, *v),
        RouteMetric::Advmss(v) => (8, *v),
        RouteMetric::Reordering(v) => (9, *v),
        RouteMetric::Hoplimit(v) => (10, *v),
        RouteMetric::InitCwnd(v) => (11, *v),
        RouteMetric::Features(v) => (12, *v),
        RouteMetric::RtoMin(v) => (13, *v),
        RouteMetric::InitRwnd(v) => (14, *v),
        RouteMetric::QuickAck(v) => (15, *v),
        RouteMetric::FastopenNoCookie(v) => (17, *v),
        _ => return None,
    })
}

fn nexthop_of(h: &RouteNextHop) -> Nexthop {
    let mut n = Nexthop {
        oif: h.interface_index,
        weight: u32::from(h.hops) + 1,
        flags: u32::from(h.flags.bits()),
        ..Nexthop::default()
    };
    for a in &h.attributes {
        match a {
            RouteAttribute::Gateway(g) => n.gateway = ip_of(g),
            RouteAttribute::Via(v) => n.via = via_of(v),
            _ => {}
        }
    }
    n
}

/// A route of the table `table` selects, or None for other tables and cached clones
/// (which ip hides too).
pub fn route_of(m: &RouteMessage, table: TableSel) -> Option<Route> {
    if m.header.flags.contains(RouteFlags::Cloned) {
        return None;
    }
    let mut r = Route {
        inet6: m.header.address_family == AddressFamily::Inet6,
        kind: m.header.kind.into(),
        table: u32::from(m.header.table),
        dst_len: m.header.destination_prefix_length,
        tos: m.header.tos,
        protocol: m.header.protocol.into(),
        scope: m.header.scope.into(),
        flags: m.header.flags.bits(),
        ..Route::default()
    };
    for a in &m.attributes {
        match a {
            RouteAttribute::Table(t) => r.table = *t,
            RouteAttribute::Destination(d) => r.dst = ip_of(d),
            RouteAttribute::Source(s) => r.src = ip_of(s).map(|ip| (ip, m.header.source_prefix_length)),
            RouteAttribute::Gateway(g) => r.gateway = ip_of(g),
            RouteAttribute::Via(v) => r.via = via_of(v),
            RouteAttribute::Oif(i) => r.oif = Some(*i),
            RouteAttribute::Iif(i) => r.iif = Some(*i),
            RouteAttribute::PrefSource(s) => r.prefsrc = ip_of(s),
            RouteAttribute::Priority(p) => r.metric = Some(*p),
            RouteAttribute::Preference(p) => r.pref = Some((*p).into()),
            RouteAttribute::Mark(v) => r.mark = Some(*v),
            RouteAttribute::NhId(v) => r.nhid = Some(*v),
            RouteAttribute::CacheInfo(c) => r.expires = c.expires as i32,
            RouteAttribute::Metrics(ms) => r.metrics = ms.iter().filter_map(metric_of).collect(),
            RouteAttribute::MultiPath(hops) => r.nexthops = hops.iter().map(nexthop_of).collect(),
            _ => {}
        }
    }
    let keep = match table {
        TableSel::All => true,
        TableSel::Main => r.table == 254,
        TableSel::Id(t) => r.table == t,
    };
    keep.then_some(r)
}
