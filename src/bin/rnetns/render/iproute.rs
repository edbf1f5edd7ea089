//! Routes and neighbours as `ip route` / `ip -6 route` / `ip neigh` print them (text byte
//! for byte with ip's trailing spaces, JSON with `ip -j`'s keys in its order). Written from
//! ip's observed output.

use std::net::IpAddr;

use super::ipaddr::{family, ifname};
use super::ipnames as n;
use super::json::{Json, Stream};
use rnetns::model::{Link, Neigh, Nexthop, Route};

/// Clock ticks per second of `rta_expires` (USER_HZ).
const USER_HZ: i32 = 100;

/// A route's destination as ip prints it: `default`, `PREFIX/LEN`, or a host address.
pub fn dst(r: &Route) -> String {
    let host = if r.inet6 { 128 } else { 32 };
    match r.dst {
        Some(a) if r.dst_len == host => a.to_string(),
        Some(a) => format!("{a}/{}", r.dst_len),
        None if r.dst_len != 0 => format!("0/{}", r.dst_len),
        None => "default".into(),
    }
}

fn prefix(a: IpAddr, len: u8) -> String {
    let host = if a.is_ipv6() { 128 } else { 32 };
    if len == host {
        a.to_string()
    } else {
        format!("{a}/{len}")
    }
}

fn via_json(v: IpAddr) -> Json {
    Json::Obj(vec![
        ("family", Json::str(family(v.is_ipv6()))),
        ("host", Json::str(v.to_string())),
    ])
}

fn metric_words(r: &Route) -> Vec<(&'static str, bool, u32)> {
    let lock = r.metrics.iter().find(|(k, _)| *k == 1).map_or(0, |m| m.1);
    r.metrics
        .iter()
        .filter_map(|&(k, v)| n::route_metric(k).map(|name| (name, lock & (1 << k) != 0, v)))
        .collect()
}

/// One route as `ip route` prints it, newline included. `one_table`: a single table was
/// asked for (ip names the table only when it shows several).
pub fn route_text(out: &mut Vec<u8>, links: &[Link], r: &Route, one_table: bool) {
    use std::io::Write;
    let s = out;
    if r.kind != 1 {
        s.extend_from_slice(n::route_type(r.kind).as_bytes());
        s.push(b' ');
    }
    s.extend_from_slice(dst(r).as_bytes());
    s.push(b' ');
    if let Some((a, len)) = r.src {
        let _ = write!(s, "from {} ", prefix(a, len));
    }
    if r.tos != 0 {
        let _ = write!(s, "tos 0x{:02x} ", r.tos);
    }
    if let Some(g) = r.gateway {
        let _ = write!(s, "via {g} ");
    }
    if let Some(v) = r.via {
        let _ = write!(s, "via {} {v} ", family(v.is_ipv6()));
    }
    if let Some(i) = r.nhid {
        let _ = write!(s, "nhid {i} ");
    }
    if let Some(i) = r.oif {
        let _ = write!(s, "dev {} ", ifname(links, i));
    }
    if r.table != 254 && !one_table {
        let _ = write!(s, "table {} ", n::table(r.table));
    }
    // iproute2: `boot` (the default of `ip route add`) and scope universe go unsaid.
    if r.protocol != 3 {
        let _ = write!(s, "proto {} ", n::protocol(r.protocol));
    }
    if r.scope != 0 {
        let _ = write!(s, "scope {} ", n::scope(r.scope));
    }
    if let Some(p) = r.prefsrc {
        let _ = write!(s, "src {p} ");
    }
    if let Some(m) = r.metric {
        let _ = write!(s, "metric {m} ");
    }
    for f in n::route_flags(r.flags) {
        s.extend_from_slice(f.as_bytes());
        s.push(b' ');
    }
    if let Some(m) = r.mark {
        let _ = write!(s, "mark 0x{m:x} ");
    }
    if r.expires != 0 {
        let _ = write!(s, "expires {}sec ", r.expires / USER_HZ);
    }
    for (name, lock, v) in metric_words(r) {
        let lock = if lock { "lock " } else { "" };
        let _ = write!(s, "{name} {lock}{v} ");
    }
    if let Some(i) = r.iif {
        let _ = write!(s, "iif {} ", ifname(links, i));
    }
    if let Some(p) = r.pref {
        let _ = write!(s, "pref {}", n::pref(p));
    }
    for h in &r.nexthops {
        s.extend_from_slice(b"\n\tnexthop ");
        if let Some(g) = h.gateway {
            let _ = write!(s, "via {g} ");
        }
        if let Some(v) = h.via {
            let _ = write!(s, "via {} {v} ", family(v.is_ipv6()));
        }
        if h.oif != 0 {
            let _ = write!(s, "dev {} ", ifname(links, h.oif));
        }
        let _ = write!(s, "weight {} ", h.weight);
        for f in n::route_flags(h.flags) {
            s.extend_from_slice(f.as_bytes());
            s.push(b' ');
        }
    }
    s.push(b'\n');
}

fn flags_json(f: u32) -> Json {
    Json::Arr(n::route_flags(f).into_iter().map(Json::str).collect())
}

fn nexthop_json(links: &[Link], h: &Nexthop) -> Json {
    let mut o = Vec::new();
    if let Some(g) = h.gateway {
        o.push(("gateway", Json::str(g.to_string())));
    }
    if let Some(v) = h.via {
        o.push(("via", via_json(v)));
    }
    if h.oif != 0 {
        o.push(("dev", Json::str(ifname(links, h.oif).as_bytes())));
    }
    o.push(("weight", Json::Uint(h.weight.into())));
    o.push(("flags", flags_json(h.flags)));
    Json::Obj(o)
}

/// One route as `ip -j route` prints it, plus rnetns's `family` first, written straight
/// into `w` (10000 routes make no tree).
pub fn route_json(w: &mut Stream, links: &[Link], r: &Route, one_table: bool) {
    w.start_object();
    w.str("family", family(r.inet6).as_bytes());
    if r.kind != 1 {
        w.str("type", n::route_type(r.kind).as_bytes());
    }
    w.str("dst", dst(r).as_bytes());
    if let Some((a, len)) = r.src {
        w.str("from", prefix(a, len).as_bytes());
    }
    if r.tos != 0 {
        w.str("tos", format!("0x{:02x}", r.tos).as_bytes());
    }
    if let Some(g) = r.gateway {
        w.str("gateway", g.to_string().as_bytes());
    }
    if let Some(v) = r.via {
        w.key("via");
        w.value(&via_json(v));
    }
    if let Some(i) = r.nhid {
        w.int("nhid", i.into());
    }
    if let Some(i) = r.oif {
        w.str("dev", ifname(links, i).as_bytes());
    }
    if r.table != 254 && !one_table {
        w.str("table", n::table(r.table).as_bytes());
    }
    if r.protocol != 3 {
        w.str("protocol", n::protocol(r.protocol).as_bytes());
    }
    if r.scope != 0 {
        w.str("scope", n::scope(r.scope).as_bytes());
    }
    if let Some(s) = r.prefsrc {
        w.str("prefsrc", s.to_string().as_bytes());
    }
    if let Some(m) = r.metric {
        w.int("metric", m.into());
    }
    w.key("flags");
    w.value(&flags_json(r.flags));
    if let Some(m) = r.mark {
        w.int("mark", m.into());
    }
    if r.expires != 0 {
        w.int("expires", (r.expires / USER_HZ).into());
    }
    let metrics = metric_words(r);
    if !metrics.is_empty() {
        let m = metrics.into_iter().map(|(k, _, v)| (k, Json::Uint(v.into()))).collect();
        w.key("metrics");
        w.value(&Json::Arr(vec![Json::Obj(m)]));
    }
    if let Some(i) = r.iif {
        w.str("iif", ifname(links, i).as_bytes());
    }
    if let Some(p) = r.pref {
        w.str("pref", n::pref(p).as_bytes());
    }
    if !r.nexthops.is_empty() {
        w.key("nexthops");
        w.value(&Json::Arr(r.nexthops.iter().map(|h| nexthop_json(links, h)).collect()));
    }
    w.end_object();
}

fn lladdr(links: &[Link], x: &Neigh, ll: &[u8]) -> String {
    let t = links.iter().find(|l| l.index == x.dev).map_or(1, |l| l.link_type);
    n::hw_addr(t, ll)
}

/// One neighbour as `ip neigh` (or `ip neigh show proxy`) prints it, newline included.
pub fn neigh_text(out: &mut Vec<u8>, links: &[Link], x: &Neigh) {
    let mut s = format!("{} dev {} ", x.dst, ifname(links, x.dev));
    if let Some(ll) = &x.lladdr {
        s.push_str(&format!("lladdr {} ", lladdr(links, x, ll)));
    }
    for f in n::neigh_flags(x.flags) {
        s.push_str(f);
        s.push(' ');
    }
    if x.state != 0 {
        for st in n::nud_states(x.state) {
            s.push_str(&st);
            s.push(' ');
        }
    }
    s.push('\n');
    out.extend_from_slice(s.as_bytes());
}

/// One neighbour as `ip -j neigh` prints it.
pub fn neigh_json(links: &[Link], x: &Neigh) -> Json {
    let mut o = vec![
        ("dst", Json::str(x.dst.to_string())),
        ("dev", Json::str(ifname(links, x.dev).as_bytes())),
    ];
    if let Some(ll) = &x.lladdr {
        o.push(("lladdr", Json::str(lladdr(links, x, ll))));
    }
    for f in n::neigh_flags(x.flags) {
        o.push((f, Json::Null));
    }
    if x.state != 0 {
        o.push((
            "state",
            Json::Arr(n::nud_states(x.state).into_iter().map(Json::str).collect()),
        ));
    }
    Json::Obj(o)
}
