//! `rnetns inspect`: per namespace, the sections asked for, as text in the shape of
//! `ip addr` (or `ip link`), `ip route` + `ip -6 route`, `ip neigh` + `ip neigh show proxy`
//! and `ss -tuapn`, or as JSON with the keys of `ip -j addr`, `ip -j route`, `ip -j neigh`
//! and rnetns's socket objects.
//!
//! [`Render`] takes what the library finds piece by piece ([`Found`]), writes each piece as
//! it comes and hands the text on in blocks of 16 KiB: neither the routes of a namespace of
//! 10000 routes nor their text are ever held whole.

use std::os::unix::ffi::OsStrExt;

use super::ipaddr::{link_json, link_text};
use super::iproute::{neigh_json, neigh_text, route_json, route_text};
use super::json::{Json, Stream};
use super::ss;
use rnetns::model::{NsReport, Sections, TableSel};
use rnetns::netns::Target;
use rnetns::ops::Found;

/// Bytes gathered before they are handed on.
const BLOCK: usize = 16 * 1024;

/// `inspect`'s output, written as [`Found`] pieces arrive and handed to `emit` in blocks.
///
/// Text: per namespace a header line (`netns NAME (id: N)`, or the path), then each section
/// under a `# COMMAND` line naming the command whose output follows byte for byte
/// (`# ip addr`, `# ip route`, `# ip -6 route`, `# ip neigh`, `# ip neigh show proxy`,
/// `# ss -tulpn`, or `# ss -tuapn` with all sockets); a blank line between namespaces.
///
/// `-j`: an array of one object per namespace: `name` or `path`, `id` when assigned, then
/// the sections asked for: `links` (`ip -j addr` objects, or `ip -j link` ones without
/// addresses), `routes` (`ip -j route` objects, IPv4 then IPv6, each with an extra
/// `family`), `neigh` (`ip -j neigh` objects, then `ip -j neigh show proxy` ones) and
/// `sockets`; `-p` layout with `pretty`.
pub struct Render<'a> {
    what: Sections,
    /// The JSON text (`-j`), or None for text.
    json: Option<Stream>,
    /// The text not yet handed on.
    text: Vec<u8>,
    /// The namespace being written (its links name the devices of what follows).
    ns: Option<NsReport>,
    /// A JSON array of routes or neighbours is open.
    open: bool,
    /// Namespaces begun so far.
    count: usize,
    emit: &'a mut dyn FnMut(&[u8]),
}

impl<'a> Render<'a> {
    /// Output for `what`, as JSON with `json` (`-p` layout with `pretty`), handed to `emit`.
    pub fn new(what: &Sections, json: bool, pretty: bool, emit: &'a mut dyn FnMut(&[u8])) -> Render<'a> {
        let json = json.then(|| {
            let mut w = Stream::new(pretty);
            w.start_array();
            w
        });
        Render {
            what: *what,
            json,
            text: Vec::new(),
            ns: None,
            open: false,
            count: 0,
            emit,
        }
    }

    /// Write one piece (`Skipped` writes nothing: the caller reports it).
    pub fn found(&mut self, f: Found) {
        if let Found::Namespace(_) = f {
            self.count += 1;
        }
        match &mut self.json {
            Some(w) => {
                self.open = json_piece(w, &mut self.ns, self.open, &self.what, f, &mut *self.emit);
                w.drain(BLOCK, &mut *self.emit);
            }
            None => {
                let out = &mut self.text;
                match f {
                    Found::Sockets(socks) => {
                        let links = self.ns.as_ref().map_or(&[][..], |r| &r.links[..]);
                        out.extend_from_slice(if self.what.all_sockets {
                            b"# ss -tuapn\n"
                        } else {
                            b"# ss -tulpn\n"
                        });
                        ss::text(out, links, &socks, &mut |out| {
                            if out.len() >= BLOCK {
                                (self.emit)(out);
                                out.clear();
                            }
                        });
                    }
                    f => text_piece(out, &mut self.ns, self.count, &self.what, f),
                }
                if self.text.len() >= BLOCK {
                    (self.emit)(&self.text);
                    self.text.clear();
                }
            }
        }
    }

    /// Whether a namespace has been written.
    pub fn begun(&self) -> bool {
        self.count > 0
    }

    /// Write the end (for JSON the array's `]` and the newline) and hand everything on.
    pub fn finish(self) {
        match self.json {
            Some(mut w) => {
                w.end_array();
                (self.emit)(&w.finish());
            }
            None => (self.emit)(&self.text),
        }
    }
}

/// One piece as JSON (a long one handed to `emit` as it is written); returns whether an
/// array of routes or neighbours is open after it.
fn json_piece(
    w: &mut Stream,
    ns: &mut Option<NsReport>,
    open: bool,
    what: &Sections,
    f: Found,
    emit: &mut dyn FnMut(&[u8]),
) -> bool {
    let close = |w: &mut Stream| {
        if open {
            w.end_array();
        }
    };
    match f {
        Found::Namespace(r) => {
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
            if what.links {
                w.key("links");
                w.start_array();
                for l in &r.links {
                    w.value(&link_json(&r, l, what.addrs));
                }
                w.end_array();
            }
            *ns = Some(r);
            false
        }
        Found::Routes { inet6: false } => {
            close(w);
            w.key("routes");
            w.start_array();
            true
        }
        Found::Neighs { proxy: false } => {
            close(w);
            w.key("neigh");
            w.start_array();
            true
        }
        Found::Routes { inet6: true } | Found::Neighs { proxy: true } => open,
        Found::Route(rt) => {
            let links = ns.as_ref().map_or(&[][..], |r| &r.links[..]);
            route_json(w, links, &rt, matches!(what.table, TableSel::Id(_)));
            open
        }
        Found::Neigh(x) => {
            let links = ns.as_ref().map_or(&[][..], |r| &r.links[..]);
            w.value(&neigh_json(links, &x));
            open
        }
        Found::Sockets(socks) => {
            close(w);
            let links = ns.as_ref().map_or(&[][..], |r| &r.links[..]);
            w.key("sockets");
            w.start_array();
            for s in &socks {
                w.value(&ss::json(links, s));
                w.drain(BLOCK, emit);
            }
            w.end_array();
            false
        }
        Found::End => {
            close(w);
            w.end_object();
            *ns = None;
            false
        }
        Found::Skipped(_) => open,
    }
}

/// One piece (other than the sockets) as text; `count` namespaces have begun.
fn text_piece(out: &mut Vec<u8>, ns: &mut Option<NsReport>, count: usize, what: &Sections, f: Found) {
    let one = matches!(what.table, TableSel::Id(_));
    let tail = match what.table {
        TableSel::Id(n) => format!(" show table {n}"),
        _ => String::new(),
    };
    match f {
        Found::Namespace(r) => {
            if count > 1 {
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
                    link_text(out, &r, l, what.addrs);
                }
            }
            *ns = Some(r);
        }
        Found::Routes { inet6 } => match (what.table, inet6) {
            (TableSel::All, false) => out.extend_from_slice(b"# ip route show table all\n"),
            (TableSel::All, true) => {}
            (_, false) => out.extend_from_slice(format!("# ip route{tail}\n").as_bytes()),
            (_, true) => out.extend_from_slice(format!("# ip -6 route{tail}\n").as_bytes()),
        },
        Found::Route(rt) => {
            let links = ns.as_ref().map_or(&[][..], |r| &r.links[..]);
            route_text(out, links, &rt, one);
        }
        Found::Neighs { proxy } => out.extend_from_slice(if proxy {
            b"# ip neigh show proxy\n"
        } else {
            b"# ip neigh\n"
        }),
        Found::Neigh(x) => {
            let links = ns.as_ref().map_or(&[][..], |r| &r.links[..]);
            neigh_text(out, links, &x);
        }
        Found::End => *ns = None,
        Found::Sockets(_) | Found::Skipped(_) => {}
    }
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

    /// A namespace's report and the records that follow it.
    struct Ns {
        head: NsReport,
        routes: Vec<Route>,
        neighs: Vec<Neigh>,
        sockets: Vec<Socket>,
    }

    /// What `inspect` prints for `nss`, fed to [`Render`] piece by piece in the library's
    /// order (each section's records in the order given).
    fn render(nss: Vec<Ns>, what: &Sections, json: bool, pretty: bool) -> String {
        let mut got = Vec::new();
        let mut emit = |b: &[u8]| got.extend_from_slice(b);
        let mut r = Render::new(what, json, pretty, &mut emit);
        for ns in nss {
            r.found(Found::Namespace(ns.head));
            if what.routes {
                for inet6 in [false, true] {
                    r.found(Found::Routes { inet6 });
                    for rt in ns.routes.iter().filter(|rt| rt.inet6 == inet6) {
                        r.found(Found::Route(rt.clone()));
                    }
                }
            }
            if what.neigh {
                for proxy in [false, true] {
                    r.found(Found::Neighs { proxy });
                    for x in ns.neighs.iter().filter(|x| (x.flags & 0x08 != 0) == proxy) {
                        r.found(Found::Neigh(x.clone()));
                    }
                }
            }
            if what.sockets {
                r.found(Found::Sockets(ns.sockets));
            }
            r.found(Found::End);
        }
        r.finish();
        String::from_utf8(got).unwrap()
    }

    fn text(nss: Vec<Ns>, what: &Sections) -> String {
        render(nss, what, false, false)
    }

    fn report() -> Ns {
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
        Ns {
            head: NsReport {
                target: Target::Name("a".into()),
                id: Some(3),
                links: vec![lo, va],
                peer_names: vec![(0, "b".into())],
            },
            routes: vec![gw, multi],
            neighs: vec![neigh, proxy],
            sockets: vec![sock],
        }
    }

    #[test]
    fn text_golden() {
        let mut p = report();
        p.head.target = Target::Path("/proc/7/ns/net".into());
        p.head.id = None;
        let only_links = Sections {
            links: true,
            addrs: false,
            routes: false,
            neigh: false,
            sockets: false,
            all_sockets: false,
            table: TableSel::Main,
        };
        let got = text(vec![report()], &Sections::default()) + "\n" + &text(vec![p], &only_links);
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
        r.head.links.truncate(1);
        let got = render(vec![r], &Sections::default(), true, false);
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
