//! Sockets in the columns of `ss -tuapn` (Netid, State, Recv-Q, Send-Q, Local and Peer
//! Address:Port, Process), and as JSON objects of rnetns's own (ss has no JSON).
//!
//! The values are ss's (`*` for the port 0 and for the any address of a dual-stack socket,
//! `[v6]`, `%dev` of a bound socket, `users:(("cmd",pid=N,fd=M),...)`); the column widths
//! are rnetns's: each column as wide as its widest cell (ss pads after the terminal width).

use std::net::{IpAddr, SocketAddr};

use super::ipaddr::ifname;
use super::ipnames as n;
use super::json::Json;
use rnetns::model::{Link, Socket};

fn netid(s: &Socket) -> &'static str {
    if s.protocol == 6 { "tcp" } else { "udp" }
}

/// `ADDR[%DEV]:PORT` as `ss -n` prints it.
fn endpoint(links: &[Link], s: &Socket, a: &SocketAddr, local: bool) -> String {
    // iproute2: a dual-stack socket bound to the IPv6 any address shows `*` (and so does
    // its peer).
    let dual = s.local.ip().is_unspecified() && s.v6only == Some(false);
    let ip = match a.ip() {
        ip if dual && ip.is_unspecified() => "*".to_string(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    let dev = if local && s.ifindex != 0 {
        format!("%{}", ifname(links, s.ifindex))
    } else {
        String::new()
    };
    let port = if a.port() == 0 {
        "*".to_string()
    } else {
        a.port().to_string()
    };
    format!("{ip}{dev}:{port}")
}

fn users(s: &Socket) -> String {
    if s.users.is_empty() {
        return String::new();
    }
    let u: Vec<String> = s
        .users
        .iter()
        .map(|u| format!("(\"{}\",pid={},fd={})", u.command, u.pid, u.fd))
        .collect();
    format!("users:({})", u.join(","))
}

fn cells(links: &[Link], s: &Socket) -> [String; 7] {
    [
        netid(s).to_string(),
        n::sock_state(s.state).to_string(),
        s.recv_q.to_string(),
        s.send_q.to_string(),
        endpoint(links, s, &s.local, true),
        endpoint(links, s, &s.peer, false),
        users(s),
    ]
}

/// The table of `ss -tuapn` for `socks`, header included. Two passes over the sockets (the
/// widths, then the rows), so that no table of cells is held for 10000 sockets; `spill`
/// is given `out` after each row (it may hand the text on and empty it).
pub fn text(out: &mut Vec<u8>, links: &[Link], socks: &[Socket], spill: &mut dyn FnMut(&mut Vec<u8>)) {
    let head = [
        "Netid",
        "State",
        "Recv-Q",
        "Send-Q",
        "Local Address:Port",
        "Peer Address:Port",
        "Process",
    ];
    let mut width = head.map(str::len);
    for s in socks {
        for (w, c) in width.iter_mut().zip(cells(links, s)) {
            *w = (*w).max(c.len());
        }
    }
    let line = |out: &mut Vec<u8>, cells: [&str; 7]| {
        let start = out.len();
        for (i, c) in cells.iter().enumerate() {
            out.extend_from_slice(c.as_bytes());
            if i < 6 {
                out.resize(out.len() + width[i] - c.len() + 1, b' ');
            }
        }
        while out.len() > start && out.last() == Some(&b' ') {
            out.pop();
        }
        out.push(b'\n');
    };
    line(out, head);
    for s in socks {
        let c = cells(links, s);
        line(
            out,
            [&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6]].map(|s| s.as_str()),
        );
        spill(out);
    }
}

/// One socket as a JSON object: `netid`, `state`, `recv_q`, `send_q`, `local`,
/// `local_port`, `peer`, `peer_port`, `dev` (when bound to one), `v6only` (IPv6),
/// `uid`, `inode`, `users` (`command`, `pid`, `fd`).
pub fn json(links: &[Link], s: &Socket) -> Json {
    let mut o = vec![
        ("netid", Json::str(netid(s))),
        ("state", Json::str(n::sock_state(s.state))),
        ("recv_q", Json::Uint(s.recv_q.into())),
        ("send_q", Json::Uint(s.send_q.into())),
        ("local", Json::str(s.local.ip().to_string())),
        ("local_port", Json::Uint(s.local.port().into())),
        ("peer", Json::str(s.peer.ip().to_string())),
        ("peer_port", Json::Uint(s.peer.port().into())),
    ];
    if s.ifindex != 0 {
        o.push(("dev", Json::str(ifname(links, s.ifindex).as_bytes())));
    }
    if let Some(v) = s.v6only {
        o.push(("v6only", Json::Bool(v)));
    }
    o.push(("uid", Json::Uint(s.uid.into())));
    o.push(("inode", Json::Uint(s.inode.into())));
    let users = s
        .users
        .iter()
        .map(|u| {
            Json::Obj(vec![
                ("command", Json::str(u.command.as_bytes())),
                ("pid", Json::Uint(u.pid.into())),
                ("fd", Json::Uint(u.fd.into())),
            ])
        })
        .collect();
    o.push(("users", Json::Arr(users)));
    Json::Obj(o)
}
