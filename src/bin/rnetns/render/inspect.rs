//! `rnetns inspect`: per namespace, the sections asked for, as text in the shape of
//! `ip addr` (or `ip link`), `ip route` + `ip -6 route`, `ip neigh` + `ip neigh show proxy`
//! and `ss -tuapn`, or as JSON with the keys of `ip -j addr`, `ip -j route`, `ip -j neigh`
//! and rnetns's socket objects.

use std::os::unix::ffi::OsStrExt;

use super::ipaddr::{link_json, link_text};
use super::iproute::{neigh_json, neigh_text, route_json, route_text};
use super::json::{Json, Stream};
use super::ss;
use rnetns::model::{NsReport, Sections, TableSel};
use rnetns::netns::Target;

/// `-j inspect`: one object per namespace: `name` or `path`, `id` when assigned, then the
/// sections asked for: `links` (`ip -j addr` objects, or `ip -j link` ones without
/// addresses), `routes` (`ip -j route` objects, IPv4 then IPv6, each with an extra
/// `family`), `neigh` (`ip -j neigh` objects, then `ip -j neigh show proxy` ones) and
/// `sockets`. Written object by object (a tree of 10000 routes would weigh more than its
/// text), `-p` layout with `pretty`.
pub fn json(reports: &[NsReport], what: &Sections, pretty: bool) -> Vec<u8> {
    let mut w = Stream::new(pretty);
    w.start_array();
    for r in reports {
        report_json(&mut w, r, what);
    }
    w.end_array();
    w.finish()
}

fn report_json(w: &mut Stream, r: &NsReport, what: &Sections) {
    w.start_object();
    match &r.target {
        Target::Name(name) => {
            w.key("name");
            w.value(&Json::lossy(name.as_bytes()));
        }
        Target::Path(p) => {
            w.key("path");
            w.value(&Json::lossy(p.as_os_str().as_bytes()));
        }
    }
    if let Some(id) = r.id {
        w.key("id");
        w.value(&Json::Int(id.into()));
    }
    let list = |w: &mut Stream, key: &str, items: &mut dyn Iterator<Item = Json>| {
        w.key(key);
        w.start_array();
        for item in items {
            w.value(&item);
        }
        w.end_array();
    };
    if what.links {
        list(w, "links", &mut r.links.iter().map(|l| link_json(r, l, what.addrs)));
    }
    if what.routes {
        let one = matches!(what.table, TableSel::Id(_));
        w.key("routes");
        w.start_array();
        for rt in &r.routes {
            route_json(w, &r.links, rt, one);
        }
        w.end_array();
    }
    if what.neigh {
        list(w, "neigh", &mut r.neighs.iter().map(|x| neigh_json(&r.links, x)));
    }
    if what.sockets {
        list(w, "sockets", &mut r.sockets.iter().map(|s| ss::json(&r.links, s)));
    }
    w.end_object();
}

/// Text `inspect`: per namespace a header line (`netns NAME (id: N)`, or the path), then
/// each section under a `# COMMAND` line naming the command whose output follows byte for
/// byte (`# ip addr`, `# ip route`, `# ip -6 route`, `# ip neigh`, `# ip neigh show proxy`,
/// `# ss -tulpn`, or `# ss -tuapn` with all sockets); a blank line between namespaces.
pub fn text(reports: &[NsReport], what: &Sections) -> Vec<u8> {
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
        if what.links {
            out.extend_from_slice(if what.addrs { b"# ip addr\n" } else { b"# ip link\n" });
            for l in &r.links {
                link_text(&mut out, r, l, what.addrs);
            }
        }
        if what.routes {
            let routes = |out: &mut Vec<u8>, inet6: Option<bool>| {
                for rt in r.routes.iter().filter(|rt| inet6.is_none_or(|f| rt.inet6 == f)) {
                    route_text(out, &r.links, rt, matches!(what.table, TableSel::Id(_)));
                }
            };
            match what.table {
                TableSel::All => {
                    out.extend_from_slice(b"# ip route show table all\n");
                    routes(&mut out, None);
                }
                t => {
                    let tail = match t {
                        TableSel::Id(n) => format!(" show table {n}"),
                        _ => String::new(),
                    };
                    out.extend_from_slice(format!("# ip route{tail}\n").as_bytes());
                    routes(&mut out, Some(false));
                    out.extend_from_slice(format!("# ip -6 route{tail}\n").as_bytes());
                    routes(&mut out, Some(true));
                }
            }
        }
        if what.neigh {
            out.extend_from_slice(b"# ip neigh\n");
            let proxy = |x: &&rnetns::model::Neigh| x.flags & 0x08 != 0;
            for x in r.neighs.iter().filter(|x| !proxy(x)) {
                neigh_text(&mut out, &r.links, x);
            }
            out.extend_from_slice(b"# ip neigh show proxy\n");
            for x in r.neighs.iter().filter(proxy) {
                neigh_text(&mut out, &r.links, x);
            }
        }
        if what.sockets {
            out.extend_from_slice(if what.all_sockets {
                b"# ss -tuapn\n"
            } else {
                b"# ss -tulpn\n"
            });
            ss::text(&mut out, &r.links, &r.sockets);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rnetns::model::{Addr, Link, Neigh, Nexthop, Route, SockUser, Socket};

    fn addr(local: &str, prefixlen: u8, scope: u8, label: Option<&str>, flags: u32) -> Addr {
        Addr {
            local: local.parse().unwrap(),
            peer: None,
            prefixlen,
            scope,
            label: label.map(Into::into),
            flags,
            broadcast: None,
            anycast: None,
            valid: Some(u32::MAX),
            preferred: Some(u32::MAX),
        }
    }

    fn report() -> NsReport {
        let lo = Link {
            index: 1,
            name: "lo".into(),
            flags: 0x10049,
            mtu: Some(65536),
            qdisc: Some("noqueue".into()),
            operstate: Some(0),
            group: Some(0),
            txqlen: Some(1000),
            link_type: 772,
            address: Some(vec![0; 6]),
            broadcast: Some(vec![0; 6]),
            addrs: vec![addr("127.0.0.1", 8, 254, Some("lo"), 0x80)],
            ..Link::default()
        };
        let mut deprecated = addr("fd00::8", 64, 0, None, 0x22);
        (deprecated.valid, deprecated.preferred) = (Some(1000), Some(0));
        let va = Link {
            index: 2,
            name: "va".into(),
            flags: 0x11043,
            mtu: Some(1500),
            qdisc: Some("noqueue".into()),
            operstate: Some(6),
            group: Some(0),
            txqlen: Some(0),
            link_type: 1,
            address: Some(vec![0xba, 0x76, 0x35, 0xae, 0x5b, 0xa4]),
            broadcast: Some(vec![0xff; 6]),
            kind: Some("veth".into()),
            master: Some(3),
            link: Some(2),
            link_netnsid: Some(0),
            addrs: vec![addr("10.0.0.5", 24, 0, Some("va:1"), 0x81), deprecated],
            ..Link::default()
        };
        let gw = Route {
            kind: 1,
            table: 254,
            gateway: Some("10.0.0.2".parse().unwrap()),
            oif: Some(2),
            protocol: 3,
            metric: Some(100),
            ..Route::default()
        };
        let multi = Route {
            inet6: true,
            kind: 1,
            table: 254,
            dst: Some("fd02::".parse().unwrap()),
            dst_len: 64,
            protocol: 3,
            metric: Some(1024),
            pref: Some(0),
            expires: 29_950,
            nexthops: vec![Nexthop {
                gateway: Some("fd00::2".parse().unwrap()),
                oif: 2,
                weight: 1,
                ..Nexthop::default()
            }],
            ..Route::default()
        };
        let neigh = Neigh {
            dst: "fd00::45".parse().unwrap(),
            dev: 2,
            lladdr: Some(vec![2, 0, 0, 0, 0, 0x46]),
            state: 4,
            flags: 0x80,
            protocol: None,
        };
        let proxy = Neigh {
            dst: "10.0.0.99".parse().unwrap(),
            lladdr: None,
            state: 0,
            flags: 0x08,
            ..neigh.clone()
        };
        let sock = Socket {
            protocol: 6,
            state: 10,
            recv_q: 0,
            send_q: 128,
            local: "[::]:8081".parse().unwrap(),
            peer: "[::]:0".parse().unwrap(),
            ifindex: 0,
            v6only: Some(false),
            uid: 0,
            inode: 7,
            users: vec![SockUser {
                command: "srv".into(),
                pid: 5,
                fd: 4,
            }],
        };
        NsReport {
            target: Target::Name("a".into()),
            id: Some(3),
            links: vec![lo, va],
            routes: vec![gw, multi],
            neighs: vec![neigh, proxy],
            sockets: vec![sock],
            peer_names: vec![(0, "b".into())],
        }
    }

    #[test]
    fn text_golden() {
        let mut p = report();
        p.target = Target::Path("/proc/7/ns/net".into());
        p.id = None;
        let only_links = Sections {
            links: true,
            addrs: false,
            routes: false,
            neigh: false,
            sockets: false,
            all_sockets: false,
            table: TableSel::Main,
        };
        let got = String::from_utf8(text(&[report()], &Sections::default())).unwrap()
            + "\n"
            + &String::from_utf8(text(&[p], &only_links)).unwrap();
        let want = "\
netns a (id: 3)
# ip addr
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: va@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master if3 state UP group default 
    link/ether ba:76:35:ae:5b:a4 brd ff:ff:ff:ff:ff:ff link-netns b
    inet 10.0.0.5/24 scope global secondary va:1
       valid_lft forever preferred_lft forever
    inet6 fd00::8/64 scope global nodad deprecated dynamic 
       valid_lft 1000sec preferred_lft 0sec
# ip route
default via 10.0.0.2 dev va metric 100 
# ip -6 route
fd02::/64 metric 1024 expires 299sec pref medium
\tnexthop via fd00::2 dev va weight 1 
# ip neigh
fd00::45 dev va lladdr 02:00:00:00:00:46 router STALE 
# ip neigh show proxy
10.0.0.99 dev va proxy 
# ss -tulpn
Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
tcp   LISTEN 0      128    *:8081             *:*               users:((\"srv\",pid=5,fd=4))

netns /proc/7/ns/net
# ip link
1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: va@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master if3 state UP group default 
    link/ether ba:76:35:ae:5b:a4 brd ff:ff:ff:ff:ff:ff link-netns b
";
        assert_eq!(got, want);
    }

    #[test]
    fn json_golden() {
        let mut r = report();
        r.links.truncate(1);
        let got = String::from_utf8(json(&[r], &Sections::default(), false)).unwrap();
        let want = concat!(
            r#"[{"name":"a","id":3,"links":["#,
            r#"{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","#,
            r#""operstate":"UNKNOWN","group":"default","txqlen":1000,"link_type":"loopback","#,
            r#""address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00","#,
            r#""addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","#,
            r#""valid_life_time":4294967295,"preferred_life_time":4294967295}]}],"#,
            r#""routes":[{"family":"inet","dst":"default","gateway":"10.0.0.2","dev":"if2","metric":100,"flags":[]},"#,
            r#"{"family":"inet6","dst":"fd02::/64","metric":1024,"flags":[],"expires":299,"pref":"medium","#,
            r#""nexthops":[{"gateway":"fd00::2","dev":"if2","weight":1,"flags":[]}]}],"#,
            r#""neigh":[{"dst":"fd00::45","dev":"if2","lladdr":"02:00:00:00:00:46","router":null,"state":["STALE"]},"#,
            r#"{"dst":"10.0.0.99","dev":"if2","proxy":null}],"#,
            r#""sockets":[{"netid":"tcp","state":"LISTEN","recv_q":0,"send_q":128,"local":"::","local_port":8081,"#,
            r#""peer":"::","peer_port":0,"v6only":false,"uid":0,"inode":7,"#,
            r#""users":[{"command":"srv","pid":5,"fd":4}]}]}]"#,
            "\n"
        );
        assert_eq!(got, want);
    }

    #[test]
    fn destinations() {
        let mut r = report().routes[0].clone();
        assert_eq!(super::super::iproute::dst(&r), "default");
        r.dst = Some("10.0.0.0".parse().unwrap());
        r.dst_len = 24;
        assert_eq!(super::super::iproute::dst(&r), "10.0.0.0/24");
        r.inet6 = true;
        r.dst = Some("fd00::1".parse().unwrap());
        r.dst_len = 128;
        assert_eq!(super::super::iproute::dst(&r), "fd00::1");
    }
}
