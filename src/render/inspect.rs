//! `rnetns inspect`: a namespace's links, addresses and routes, as text in the shape of
//! `ip addr` + `ip route` + `ip -6 route`, or as JSON with the keys of `ip -j addr` and
//! `ip -j route`.

use std::os::unix::ffi::OsStrExt;

use super::ipnames as n;
use super::json::Json;
use crate::model::{Addr, Link, NsReport, Route};
use crate::netns::Target;

/// ip's `ll_index_to_name`: the name of ifindex `i` in the same namespace, `ifN` if unknown.
fn ifname(links: &[Link], i: u32) -> String {
    links
        .iter()
        .find(|l| l.index == i)
        .map_or_else(|| format!("if{i}"), |l| l.name.clone())
}

/// ip's `M-DOWN`: the lower device lives in this namespace and is not up.
fn mdown(links: &[Link], l: &Link) -> bool {
    match (l.link, l.link_netnsid) {
        (Some(i), None) if i != 0 => links.iter().find(|x| x.index == i).is_none_or(|x| x.flags & 1 == 0),
        _ => false,
    }
}

fn family(inet6: bool) -> &'static str {
    if inet6 { "inet6" } else { "inet" }
}

/// A route's destination as ip prints it: `default`, `PREFIX/LEN`, or a host address.
fn dst(r: &Route) -> String {
    let host = if r.inet6 { 128 } else { 32 };
    match r.dst {
        Some(a) if r.dst_len == host => a.to_string(),
        Some(a) => format!("{a}/{}", r.dst_len),
        None if r.dst_len != 0 => format!("0/{}", r.dst_len),
        None => "default".into(),
    }
}

/// `-j inspect`: one object per namespace: `name` or `path`, `id` when assigned, `links`
/// (`ip -j addr` objects) and `routes` (`ip -j route` objects, IPv4 then IPv6, each with an
/// extra `family`).
pub fn json(reports: &[NsReport]) -> Json {
    Json::Arr(reports.iter().map(report_json).collect())
}

fn report_json(r: &NsReport) -> Json {
    let mut o = match &r.target {
        Target::Name(name) => vec![("name", Json::str(name.as_bytes()))],
        Target::Path(p) => vec![("path", Json::str(p.as_os_str().as_bytes()))],
    };
    if let Some(id) = r.id {
        o.push(("id", Json::Int(id.into())));
    }
    o.push((
        "links",
        Json::Arr(r.links.iter().map(|l| link_json(&r.links, l)).collect()),
    ));
    o.push((
        "routes",
        Json::Arr(r.routes.iter().map(|rt| route_json(&r.links, rt)).collect()),
    ));
    Json::Obj(o)
}

fn link_json(links: &[Link], l: &Link) -> Json {
    let mut o = vec![("ifindex", Json::Uint(l.index.into()))];
    match (l.link, l.link_netnsid) {
        (Some(0), _) => o.push(("link", Json::Null)),
        (Some(i), Some(_)) => o.push(("link_index", Json::Uint(i.into()))),
        (Some(i), None) => o.push(("link", Json::str(ifname(links, i)))),
        (None, _) => {}
    }
    o.push(("ifname", Json::str(&l.name)));
    let flags = n::link_flags(l.flags, mdown(links, l));
    o.push(("flags", Json::Arr(flags.into_iter().map(Json::str).collect())));
    if let Some(mtu) = l.mtu {
        o.push(("mtu", Json::Uint(mtu.into())));
    }
    if let Some(m) = l.master {
        o.push(("master", Json::str(ifname(links, m))));
    }
    if let Some(s) = l.operstate {
        o.push(("operstate", Json::str(n::operstate(s))));
    }
    o.push(("link_type", Json::str(n::link_type(l.link_type))));
    if let Some(a) = &l.address {
        o.push(("address", Json::str(n::hw_addr(l.link_type, a))));
    }
    if let Some(id) = l.link_netnsid {
        o.push(("link_netnsid", Json::Int(id.into())));
    }
    let mut info = Vec::new();
    if let Some(k) = &l.kind {
        info.push(("info_kind", Json::str(k)));
    }
    if let Some(k) = &l.slave_kind {
        info.push(("info_slave_kind", Json::str(k)));
    }
    if !info.is_empty() {
        o.push(("linkinfo", Json::Obj(info)));
    }
    o.push(("addr_info", Json::Arr(l.addrs.iter().map(addr_json).collect())));
    Json::Obj(o)
}

fn addr_json(a: &Addr) -> Json {
    let mut o = vec![
        ("family", Json::str(family(a.local.is_ipv6()))),
        ("local", Json::str(a.local.to_string())),
    ];
    if let Some(p) = a.peer {
        o.push(("address", Json::str(p.to_string())));
    }
    o.push(("prefixlen", Json::Uint(a.prefixlen.into())));
    o.push(("scope", Json::str(n::scope(a.scope))));
    if let Some(label) = &a.label {
        o.push(("label", Json::str(label)));
    }
    Json::Obj(o)
}

fn route_json(links: &[Link], r: &Route) -> Json {
    let mut o = vec![("family", Json::str(family(r.inet6)))];
    if r.kind != 1 {
        o.push(("type", Json::str(n::route_type(r.kind))));
    }
    o.push(("dst", Json::str(dst(r))));
    if let Some(g) = r.gateway {
        o.push(("gateway", Json::str(g.to_string())));
    }
    if let Some(i) = r.oif {
        o.push(("dev", Json::str(ifname(links, i))));
    }
    // iproute2: `boot` (the default of `ip route add`) and scope universe go unsaid.
    if r.protocol != 3 {
        o.push(("protocol", Json::str(n::protocol(r.protocol))));
    }
    if r.scope != 0 {
        o.push(("scope", Json::str(n::scope(r.scope))));
    }
    if let Some(s) = r.prefsrc {
        o.push(("prefsrc", Json::str(s.to_string())));
    }
    if let Some(m) = r.metric {
        o.push(("metric", Json::Uint(m.into())));
    }
    let flags = n::route_flags(r.flags).into_iter().map(Json::str).collect();
    o.push(("flags", Json::Arr(flags)));
    if let Some(p) = r.pref {
        o.push(("pref", Json::str(n::pref(p))));
    }
    Json::Obj(o)
}

/// Text `inspect`: per namespace a header line (`netns NAME (id: N)`, or the path), the
/// links and addresses as `ip addr` lays them out, then the routes as `ip route` and
/// `ip -6 route` print them; a blank line between namespaces.
pub fn text(reports: &[NsReport]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"netns ");
        out.extend_from_slice(r.target.label().as_bytes());
        if let Some(id) = r.id {
            out.extend_from_slice(format!(" (id: {id})").as_bytes());
        }
        out.push(b'\n');
        for l in &r.links {
            link_text(&mut out, &r.links, l);
        }
        for rt in &r.routes {
            out.extend_from_slice(route_text(&r.links, rt).as_bytes());
            out.push(b'\n');
        }
    }
    out
}

fn link_text(out: &mut Vec<u8>, links: &[Link], l: &Link) {
    let mut s = format!("{}: {}", l.index, l.name);
    match (l.link, l.link_netnsid) {
        (Some(0), _) => s.push_str("@NONE"),
        (Some(i), Some(_)) => s.push_str(&format!("@if{i}")),
        (Some(i), None) => s.push_str(&format!("@{}", ifname(links, i))),
        (None, _) => {}
    }
    s.push_str(&format!(": <{}>", n::link_flags(l.flags, mdown(links, l)).join(",")));
    if let Some(mtu) = l.mtu {
        s.push_str(&format!(" mtu {mtu}"));
    }
    if let Some(m) = l.master {
        s.push_str(&format!(" master {}", ifname(links, m)));
    }
    if let Some(st) = l.operstate {
        s.push_str(&format!(" state {}", n::operstate(st)));
    }
    s.push_str(&format!("\n    link/{}", n::link_type(l.link_type)));
    if let Some(a) = &l.address {
        s.push_str(&format!(" {}", n::hw_addr(l.link_type, a)));
    }
    if let Some(id) = l.link_netnsid {
        s.push_str(&format!(" link-netnsid {id}"));
    }
    if let Some(k) = &l.kind {
        s.push_str(&format!(" {k}"));
    }
    if let Some(k) = &l.slave_kind {
        s.push_str(&format!(" {k}_slave"));
    }
    s.push('\n');
    for a in &l.addrs {
        s.push_str(&format!("    {} {}", family(a.local.is_ipv6()), a.local));
        if let Some(p) = a.peer {
            s.push_str(&format!(" peer {p}"));
        }
        s.push_str(&format!("/{} scope {}", a.prefixlen, n::scope(a.scope)));
        if let Some(label) = &a.label {
            s.push_str(&format!(" {label}"));
        }
        s.push('\n');
    }
    out.extend_from_slice(s.as_bytes());
}

fn route_text(links: &[Link], r: &Route) -> String {
    let mut s = String::new();
    if r.kind != 1 {
        s.push_str(&n::route_type(r.kind));
        s.push(' ');
    }
    s.push_str(&dst(r));
    if let Some(g) = r.gateway {
        s.push_str(&format!(" via {g}"));
    }
    if let Some(i) = r.oif {
        s.push_str(&format!(" dev {}", ifname(links, i)));
    }
    if r.protocol != 3 {
        s.push_str(&format!(" proto {}", n::protocol(r.protocol)));
    }
    if r.scope != 0 {
        s.push_str(&format!(" scope {}", n::scope(r.scope)));
    }
    if let Some(p) = r.prefsrc {
        s.push_str(&format!(" src {p}"));
    }
    if let Some(m) = r.metric {
        s.push_str(&format!(" metric {m}"));
    }
    for f in n::route_flags(r.flags) {
        s.push(' ');
        s.push_str(f);
    }
    if let Some(p) = r.pref {
        s.push_str(&format!(" pref {}", n::pref(p)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::json::to_bytes;

    fn report() -> NsReport {
        let lo = Link {
            index: 1,
            name: "lo".into(),
            flags: 0x10049,
            mtu: Some(65536),
            operstate: Some(0),
            link_type: 772,
            address: Some(vec![0; 6]),
            addrs: vec![Addr {
                local: "127.0.0.1".parse().unwrap(),
                peer: None,
                prefixlen: 8,
                scope: 254,
                label: Some("lo".into()),
            }],
            ..Link::default()
        };
        let va = Link {
            index: 2,
            name: "va".into(),
            flags: 0x11043,
            mtu: Some(1500),
            operstate: Some(6),
            link_type: 1,
            address: Some(vec![0xba, 0x76, 0x35, 0xae, 0x5b, 0xa4]),
            kind: Some("veth".into()),
            master: Some(3),
            link: Some(2),
            link_netnsid: Some(0),
            addrs: vec![Addr {
                local: "fd00::1".parse().unwrap(),
                peer: None,
                prefixlen: 64,
                scope: 0,
                label: None,
            }],
            ..Link::default()
        };
        let gw = Route {
            inet6: false,
            kind: 1,
            dst: None,
            dst_len: 0,
            gateway: Some("10.0.0.2".parse().unwrap()),
            oif: Some(2),
            protocol: 3,
            scope: 0,
            prefsrc: None,
            metric: Some(100),
            flags: 0,
            pref: None,
        };
        let host = Route {
            kind: 6,
            dst: Some("10.9.0.1".parse().unwrap()),
            dst_len: 32,
            gateway: None,
            oif: None,
            protocol: 4,
            scope: 253,
            metric: None,
            flags: 16,
            ..gw.clone()
        };
        NsReport {
            target: Target::Name("a".into()),
            id: Some(3),
            links: vec![lo, va],
            routes: vec![gw, host],
        }
    }

    #[test]
    fn text_golden() {
        let mut p = report();
        p.target = Target::Path("/proc/7/ns/net".into());
        p.id = None;
        p.links.truncate(1);
        p.routes.clear();
        let got = String::from_utf8(text(&[report(), p])).unwrap();
        let want = "\
netns a (id: 3)
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN
    link/loopback 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
2: va@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master if3 state UP
    link/ether ba:76:35:ae:5b:a4 link-netnsid 0 veth
    inet6 fd00::1/64 scope global
default via 10.0.0.2 dev va metric 100
blackhole 10.9.0.1 proto static scope link linkdown

netns /proc/7/ns/net
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN
    link/loopback 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
";
        assert_eq!(got, want);
    }

    #[test]
    fn json_golden() {
        let got = String::from_utf8(to_bytes(&json(&[report()]), false)).unwrap();
        let want = concat!(
            r#"[{"name":"a","id":3,"links":["#,
            r#"{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"#,
            r#""operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00","#,
            r#""addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo"}]},"#,
            r#"{"ifindex":2,"link_index":2,"ifname":"va","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"#,
            r#""mtu":1500,"master":"if3","operstate":"UP","link_type":"ether","address":"ba:76:35:ae:5b:a4","#,
            r#""link_netnsid":0,"linkinfo":{"info_kind":"veth"},"#,
            r#""addr_info":[{"family":"inet6","local":"fd00::1","prefixlen":64,"scope":"global"}]}],"#,
            r#""routes":[{"family":"inet","dst":"default","gateway":"10.0.0.2","dev":"va","metric":100,"flags":[]},"#,
            r#"{"family":"inet","type":"blackhole","dst":"10.9.0.1","protocol":"static","scope":"link","flags":["linkdown"]}]}]"#,
            "\n"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn destinations() {
        let mut r = report().routes[0].clone();
        assert_eq!(dst(&r), "default");
        r.dst = Some("10.0.0.0".parse().unwrap());
        r.dst_len = 24;
        assert_eq!(dst(&r), "10.0.0.0/24");
        r.inet6 = true;
        r.dst = Some("fd00::1".parse().unwrap());
        r.dst_len = 128;
        assert_eq!(dst(&r), "fd00::1");
    }
}
