//! Links and addresses as `ip link` / `ip addr` print them (text byte for byte, JSON with
//! `ip -j`'s keys in its order). Written from ip's observed output.

use std::os::unix::ffi::OsStrExt;

use super::ipnames as n;
use super::json::Json;
use rnetns::model::{Addr, Link, NsReport};

const IFF_POINTOPOINT: u32 = 1 << 4;

/// ip's `ll_index_to_name`: the name of ifindex `i` in the same namespace, `ifN` if unknown.
pub fn ifname(links: &[Link], i: u32) -> std::borrow::Cow<'_, str> {
    links
        .iter()
        .find(|l| l.index == i)
        .map_or_else(|| format!("if{i}").into(), |l| l.name.as_str().into())
}

/// ip's `M-DOWN`: the lower device lives in this namespace and is not up.
fn mdown(links: &[Link], l: &Link) -> bool {
    match (l.link, l.link_netnsid) {
        (Some(i), None) if i != 0 => links.iter().find(|x| x.index == i).is_none_or(|x| x.flags & 1 == 0),
        _ => false,
    }
}

pub fn family(inet6: bool) -> &'static str {
    if inet6 { "inet6" } else { "inet" }
}

fn linkmode(m: u8) -> String {
    match m {
        0 => "DEFAULT".into(),
        1 => "DORMANT".into(),
        2 => "TESTING".into(),
        _ => m.to_string(),
    }
}

/// The permanent address when it differs from the current one (ip's `permaddr`).
fn permaddr(l: &Link) -> Option<&Vec<u8>> {
    l.perm_address.as_ref().filter(|p| Some(*p) != l.address.as_ref())
}

/// One link as `ip link` (`addrs` false) or `ip addr` (`addrs` true) prints it.
pub fn link_text(out: &mut Vec<u8>, r: &NsReport, l: &Link, addrs: bool) {
    let links = &r.links[..];
    let mut s = format!("{}: {}", l.index, l.name);
    match (l.link, l.link_netnsid) {
        (Some(0), _) => s.push_str("@NONE"),
        (Some(i), Some(_)) => s.push_str(&format!("@if{i}")),
        (Some(i), None) => s.push_str(&format!("@{}", ifname(links, i))),
        (None, _) => {}
    }
    s.push_str(&format!(": <{}> ", n::link_flags(l.flags, mdown(links, l)).join(",")));
    if let Some(mtu) = l.mtu {
        s.push_str(&format!("mtu {mtu} "));
    }
    if let Some(q) = &l.qdisc {
        s.push_str(&format!("qdisc {q} "));
    }
    if let Some(m) = l.master {
        s.push_str(&format!("master {} ", ifname(links, m)));
    }
    if let Some(st) = l.operstate {
        s.push_str(&format!("state {} ", n::operstate(st)));
    }
    if !addrs && let Some(m) = l.linkmode {
        s.push_str(&format!("mode {} ", linkmode(m)));
    }
    if let Some(g) = l.group {
        s.push_str(&format!("group {} ", n::group(g)));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0) {
        s.push_str(&format!("qlen {q}"));
    }
    s.push_str(&format!("\n    link/{} ", n::link_type(l.link_type)));
    if let Some(a) = &l.address {
        s.push_str(&n::hw_addr(l.link_type, a));
    }
    if let Some(b) = &l.broadcast {
        let word = if l.flags & IFF_POINTOPOINT != 0 { "peer" } else { "brd" };
        s.push_str(&format!(" {word} {}", n::hw_addr(l.link_type, b)));
    }
    if let Some(p) = permaddr(l) {
        s.push_str(&format!(" permaddr {}", n::hw_addr(l.link_type, p)));
    }
    if let Some(id) = l.link_netnsid {
        match r.peer_names.iter().find(|(i, _)| *i == id) {
            Some((_, name)) => s.push_str(&format!(" link-netns {}", String::from_utf8_lossy(name.as_bytes()))),
            None => s.push_str(&format!(" link-netnsid {id}")),
        }
    }
    s.push('\n');
    if !addrs && let Some(a) = &l.alias {
        s.push_str(&format!("    alias {a}\n"));
    }
    for a in &l.altnames {
        s.push_str(&format!("    altname {a}\n"));
    }
    out.extend_from_slice(s.as_bytes());
    if addrs {
        for a in &l.addrs {
            addr_text(out, a);
        }
    }
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "forever".into()
    } else {
        format!("{v}sec")
    }
}

fn addr_text(out: &mut Vec<u8>, a: &Addr) {
    let inet6 = a.local.is_ipv6();
    let mut s = format!("    {} {}", family(inet6), a.local);
    if let Some(p) = a.peer {
        s.push_str(&format!(" peer {p}"));
    }
    s.push_str(&format!("/{} ", a.prefixlen));
    if let Some(b) = a.broadcast {
        s.push_str(&format!("brd {b} "));
    }
    if let Some(b) = a.anycast {
        s.push_str(&format!("any {b} "));
    }
    s.push_str(&format!("scope {} ", n::scope(a.scope)));
    let (flags, rest) = n::addr_flags(a.flags, inet6);
    for f in flags {
        s.push_str(f);
        s.push(' ');
    }
    if rest != 0 {
        s.push_str(&format!("flags {rest:02x} "));
    }
    if let Some(label) = &a.label {
        s.push_str(label);
    }
    s.push('\n');
    if let (Some(v), Some(p)) = (a.valid, a.preferred) {
        s.push_str(&format!(
            "       valid_lft {} preferred_lft {}\n",
            lifetime(v),
            lifetime(p)
        ));
    }
    out.extend_from_slice(s.as_bytes());
}

/// One link as `ip -j link` (`addrs` false) or `ip -j addr` (`addrs` true) prints it, plus
/// rnetns's `linkinfo` (`info_kind`, `info_slave_kind`; ip shows those with `-d` only).
pub fn link_json(r: &NsReport, l: &Link, addrs: bool) -> Json {
    let links = &r.links[..];
    let mut o = vec![("ifindex", Json::Uint(l.index.into()))];
    match (l.link, l.link_netnsid) {
        (Some(0), _) => o.push(("link", Json::Null)),
        (Some(i), Some(_)) => o.push(("link_index", Json::Uint(i.into()))),
        (Some(i), None) => o.push(("link", Json::str(ifname(links, i).as_bytes()))),
        (None, _) => {}
    }
    o.push(("ifname", Json::str(&l.name)));
    let flags = n::link_flags(l.flags, mdown(links, l));
    o.push(("flags", Json::Arr(flags.into_iter().map(Json::str).collect())));
    if let Some(mtu) = l.mtu {
        o.push(("mtu", Json::Uint(mtu.into())));
    }
    if let Some(q) = &l.qdisc {
        o.push(("qdisc", Json::str(q)));
    }
    if let Some(m) = l.master {
        o.push(("master", Json::str(ifname(links, m).as_bytes())));
    }
    if let Some(s) = l.operstate {
        o.push(("operstate", Json::str(n::operstate(s))));
    }
    if !addrs && let Some(m) = l.linkmode {
        o.push(("linkmode", Json::str(linkmode(m))));
    }
    if let Some(g) = l.group {
        o.push(("group", Json::str(n::group(g))));
    }
    if let Some(q) = l.txqlen.filter(|&q| q != 0) {
        o.push(("txqlen", Json::Uint(q.into())));
    }
    o.push(("link_type", Json::str(n::link_type(l.link_type))));
    if let Some(a) = &l.address {
        o.push(("address", Json::str(n::hw_addr(l.link_type, a))));
    }
    if let Some(b) = &l.broadcast {
        if l.flags & IFF_POINTOPOINT != 0 {
            o.push(("link_pointtopoint", Json::Bool(true)));
        }
        o.push(("broadcast", Json::str(n::hw_addr(l.link_type, b))));
    }
    if let Some(p) = permaddr(l) {
        o.push(("permaddr", Json::str(n::hw_addr(l.link_type, p))));
    }
    if let Some(id) = l.link_netnsid {
        o.push(("link_netnsid", Json::Int(id.into())));
    }
    if !addrs && let Some(a) = &l.alias {
        o.push(("ifalias", Json::str(a)));
    }
    if !l.altnames.is_empty() {
        o.push(("altnames", Json::Arr(l.altnames.iter().map(Json::str).collect())));
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
    if addrs {
        o.push(("addr_info", Json::Arr(l.addrs.iter().map(addr_json).collect())));
    }
    Json::Obj(o)
}

fn addr_json(a: &Addr) -> Json {
    let inet6 = a.local.is_ipv6();
    let mut o = vec![
        ("family", Json::str(family(inet6))),
        ("local", Json::str(a.local.to_string())),
    ];
    if let Some(p) = a.peer {
        o.push(("address", Json::str(p.to_string())));
    }
    o.push(("prefixlen", Json::Uint(a.prefixlen.into())));
    if let Some(b) = a.broadcast {
        o.push(("broadcast", Json::str(b.to_string())));
    }
    if let Some(b) = a.anycast {
        o.push(("anycast", Json::str(b.to_string())));
    }
    o.push(("scope", Json::str(n::scope(a.scope))));
    for f in n::addr_flags(a.flags, inet6).0 {
        o.push((f, Json::Bool(true)));
    }
    if let Some(label) = &a.label {
        o.push(("label", Json::str(label)));
    }
    if let (Some(v), Some(p)) = (a.valid, a.preferred) {
        o.push(("valid_life_time", Json::Uint(v.into())));
        o.push(("preferred_life_time", Json::Uint(p.into())));
    }
    Json::Obj(o)
}
