//! The words iproute2 prints for kernel numbers (flags, states, link types, scopes, route
//! protocols, types and flags). Written from ip's documented output, not its source.

const IFF_UP: u32 = 1 << 0;
const IFF_RUNNING: u32 = 1 << 6;

/// `IFF_*` bits in the order ip prints them.
const LINK_FLAGS: &[(u32, &str)] = &[
    (1 << 3, "LOOPBACK"),
    (1 << 1, "BROADCAST"),
    (1 << 4, "POINTOPOINT"),
    (1 << 12, "MULTICAST"),
    (1 << 7, "NOARP"),
    (1 << 9, "ALLMULTI"),
    (1 << 8, "PROMISC"),
    (1 << 10, "MASTER"),
    (1 << 11, "SLAVE"),
    (1 << 2, "DEBUG"),
    (1 << 15, "DYNAMIC"),
    (1 << 14, "AUTOMEDIA"),
    (1 << 13, "PORTSEL"),
    (1 << 5, "NOTRAILERS"),
    (IFF_UP, "UP"),
    (1 << 16, "LOWER_UP"),
    (1 << 17, "DORMANT"),
    (1 << 18, "ECHO"),
];

/// A link's flags as `ip link` lists them: `NO-CARRIER` for a device that is up without
/// carrier, the known bits by name, the rest in hex, `M-DOWN` when the lower device in the
/// same namespace is down.
pub fn link_flags(flags: u32, mdown: bool) -> Vec<String> {
    let mut out = Vec::new();
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        out.push("NO-CARRIER".to_string());
    }
    let mut rest = flags & !IFF_RUNNING;
    for &(bit, name) in LINK_FLAGS {
        if rest & bit != 0 {
            rest &= !bit;
            out.push(name.to_string());
        }
    }
    if rest != 0 {
        out.push(format!("{rest:x}"));
    }
    if mdown {
        out.push("M-DOWN".to_string());
    }
    out
}

/// IFLA_OPERSTATE as ip names it.
pub fn operstate(s: u8) -> String {
    const NAMES: [&str; 7] = [
        "UNKNOWN",
        "NOTPRESENT",
        "DOWN",
        "LOWERLAYERDOWN",
        "TESTING",
        "DORMANT",
        "UP",
    ];
    NAMES.get(s as usize).map_or_else(|| s.to_string(), |n| n.to_string())
}

/// `ARPHRD_*` as ip names it (`link/ether`), `[N]` when unknown.
pub fn link_type(t: u16) -> String {
    let n = match t {
        0 => "netrom",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "atalk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        27 => "eui64",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "hdlc",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        519 => "rawip",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "ltalk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        800 => "tr",
        801 => "ieee802.11",
        802 => "ieee802.11/prism",
        803 => "ieee802.11/radiotap",
        804 => "ieee802.15.4",
        805 => "ieee802.15.4/monitor",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "gre6",
        824 => "netlink",
        825 => "6lowpan",
        0xfffe => "none",
        0xffff => "void",
        _ => return format!("[{t}]"),
    };
    n.to_string()
}

/// A hardware address as ip prints it: an IP address for IPv4/IPv6 tunnels, else
/// lowercase hex bytes joined by `:`.
pub fn hw_addr(link_type: u16, a: &[u8]) -> String {
    match (link_type, a.len()) {
        (768 | 776 | 778, 4) => std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]).to_string(),
        (769 | 823, 16) => {
            let b: [u8; 16] = a.try_into().expect("length checked");
            std::net::Ipv6Addr::from(b).to_string()
        }
        _ => a.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"),
    }
}

/// `RT_SCOPE_*` as ip names it.
pub fn scope(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        _ => s.to_string(),
    }
}

/// `RTPROT_*` as ip names it (the names of iproute2's rt_protos table).
pub fn protocol(p: u8) -> String {
    let n = match p {
        0 => "unspec",
        1 => "redirect",
        2 => "kernel",
        3 => "boot",
        4 => "static",
        8 => "gated",
        9 => "ra",
        10 => "mrt",
        11 => "zebra",
        12 => "bird",
        13 => "dnrouted",
        14 => "xorp",
        15 => "ntk",
        16 => "dhcp",
        18 => "keepalived",
        42 => "babel",
        99 => "openr",
        186 => "bgp",
        187 => "isis",
        188 => "ospf",
        189 => "rip",
        192 => "eigrp",
        _ => return p.to_string(),
    };
    n.to_string()
}

/// `RTN_*` as ip names it.
pub fn route_type(t: u8) -> String {
    const NAMES: [&str; 12] = [
        "none",
        "unicast",
        "local",
        "broadcast",
        "anycast",
        "multicast",
        "blackhole",
        "unreachable",
        "prohibit",
        "throw",
        "nat",
        "xresolve",
    ];
    NAMES.get(t as usize).map_or_else(|| t.to_string(), |n| n.to_string())
}

/// `rtm_flags` as ip lists them after a route.
pub fn route_flags(f: u32) -> Vec<&'static str> {
    const FLAGS: &[(u32, &str)] = &[
        (1, "dead"),
        (4, "onlink"),
        (2, "pervasive"),
        (8, "offload"),
        (64, "trap"),
        (0x100, "notify"),
        (16, "linkdown"),
        (32, "unresolved"),
        (0x4000, "rt_offload"),
        (0x8000, "rt_trap"),
        (0x2000_0000, "rt_offload_failed"),
    ];
    FLAGS.iter().filter(|(b, _)| f & b != 0).map(|&(_, n)| n).collect()
}

/// RTA_PREF (IPv6 router preference) as ip names it.
pub fn pref(p: u8) -> String {
    match p {
        0 => "medium".into(),
        1 => "high".into(),
        3 => "low".into(),
        _ => p.to_string(),
    }
}

/// `IFA_F_*` bits in the order ip lists them after `scope`, with the name for IPv4 and for
/// IPv6 (bit 0 is `secondary` or `temporary`). IFA_F_PERMANENT is special: ip prints
/// `dynamic` when it is absent.
const ADDR_FLAGS: &[(u32, &str, &str)] = &[
    (0x01, "secondary", "temporary"),
    (0x02, "nodad", "nodad"),
    (0x04, "optimistic", "optimistic"),
    (0x08, "dadfailed", "dadfailed"),
    (0x10, "home", "home"),
    (0x20, "deprecated", "deprecated"),
    (0x40, "tentative", "tentative"),
    (0x80, "dynamic", "dynamic"),
    (0x100, "mngtmpaddr", "mngtmpaddr"),
    (0x200, "noprefixroute", "noprefixroute"),
    (0x400, "autojoin", "autojoin"),
    (0x800, "stable-privacy", "stable-privacy"),
];

/// An address's flags as ip names them (`secondary`, `tentative`, `dynamic`, ...); bits
/// ip has no name for come last as `flags XX` (hex) in text.
pub fn addr_flags(flags: u32, inet6: bool) -> (Vec<&'static str>, u32) {
    let mut out = Vec::new();
    for &(bit, v4, v6) in ADDR_FLAGS {
        let set = flags & bit != 0;
        // iproute2: `dynamic` means "not permanent".
        if (bit == 0x80) != set {
            out.push(if inet6 { v6 } else { v4 });
        }
    }
    (out, flags & !0xfff)
}

/// `NUD_*` bits as ip names them (`STALE`, `PERMANENT`, ...), `NONE` for 0.
pub fn nud_states(state: u16) -> Vec<String> {
    const NAMES: &[(u16, &str)] = &[
        (0x01, "INCOMPLETE"),
        (0x02, "REACHABLE"),
        (0x04, "STALE"),
        (0x08, "DELAY"),
        (0x10, "PROBE"),
        (0x20, "FAILED"),
        (0x40, "NOARP"),
        (0x80, "PERMANENT"),
    ];
    if state == 0 {
        return vec!["NONE".into()];
    }
    let mut out: Vec<String> = NAMES
        .iter()
        .filter(|(b, _)| state & b != 0)
        .map(|(_, n)| n.to_string())
        .collect();
    let rest = state & !0xff;
    if rest != 0 {
        out.push(format!("{rest:x}"));
    }
    out
}

/// `NTF_*` neighbour flags ip prints between `lladdr` and the state.
pub fn neigh_flags(flags: u8) -> Vec<&'static str> {
    const FLAGS: &[(u8, &str)] = &[
        (0x80, "router"),
        (0x08, "proxy"),
        (0x10, "extern_learn"),
        (0x20, "offload"),
    ];
    FLAGS.iter().filter(|(b, _)| flags & b != 0).map(|&(_, n)| n).collect()
}

/// A route table as ip names it (`main`, `local`, `default`, else the number).
pub fn table(t: u32) -> String {
    match t {
        253 => "default".into(),
        254 => "main".into(),
        255 => "local".into(),
        _ => t.to_string(),
    }
}

/// A device group as ip names it (0 = `default`, else the number).
pub fn group(g: u32) -> String {
    if g == 0 { "default".into() } else { g.to_string() }
}

/// `RTAX_*` route metrics by name (ip's `mtu`, `advmss`, ...).
pub fn route_metric(n: u16) -> Option<&'static str> {
    Some(match n {
        2 => "mtu",
        3 => "window",
        4 => "rtt",
        5 => "rttvar",
        6 => "ssthresh",
        7 => "cwnd",
        8 => "advmss",
        9 => "reordering",
        10 => "hoplimit",
        11 => "initcwnd",
        12 => "features",
        13 => "rto_min",
        14 => "initrwnd",
        15 => "quickack",
        17 => "fastopen_no_cookie",
        _ => return None,
    })
}

/// A TCP state as `ss` names it (UDP uses ESTAB and UNCONN).
pub fn sock_state(s: u8) -> &'static str {
    match s {
        1 => "ESTAB",
        2 => "SYN-SENT",
        3 | 12 => "SYN-RECV",
        4 => "FIN-WAIT-1",
        5 => "FIN-WAIT-2",
        6 => "TIME-WAIT",
        7 => "UNCONN",
        8 => "CLOSE-WAIT",
        9 => "LAST-ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_like_ip() {
        // lo up: LOOPBACK|UP|LOWER_UP|RUNNING
        assert_eq!(link_flags(0x10049, false), ["LOOPBACK", "UP", "LOWER_UP"]);
        // bridge up without carrier
        assert_eq!(
            link_flags(0x1003, false),
            ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"]
        );
        assert_eq!(
            link_flags(0x1003 | 0x800, true),
            ["NO-CARRIER", "BROADCAST", "MULTICAST", "SLAVE", "UP", "M-DOWN"]
        );
        assert_eq!(link_flags(1 << 20, false), ["100000"]);
    }

    #[test]
    fn names() {
        assert_eq!(operstate(6), "UP");
        assert_eq!(operstate(3), "LOWERLAYERDOWN");
        assert_eq!(operstate(9), "9");
        assert_eq!(link_type(1), "ether");
        assert_eq!(link_type(772), "loopback");
        assert_eq!(link_type(0xfffe), "none");
        assert_eq!(link_type(4242), "[4242]");
        assert_eq!(scope(253), "link");
        assert_eq!(scope(7), "7");
        assert_eq!(protocol(2), "kernel");
        assert_eq!(protocol(77), "77");
        assert_eq!(route_type(6), "blackhole");
        assert_eq!(route_flags(16 | 4), ["onlink", "linkdown"]);
        assert_eq!(pref(3), "low");
        assert_eq!(addr_flags(0x80 | 0x01, false).0, ["secondary"]);
        assert_eq!(addr_flags(0x22, true).0, ["nodad", "deprecated", "dynamic"]);
        assert_eq!(addr_flags(0x280, false).0, ["noprefixroute"]);
        assert_eq!(nud_states(0x84), ["STALE", "PERMANENT"]);
        assert_eq!(nud_states(0), ["NONE"]);
        assert_eq!(neigh_flags(0x88), ["router", "proxy"]);
        assert_eq!(
            (table(255), table(100), group(0), group(5)),
            ("local".into(), "100".into(), "default".into(), "5".into())
        );
        assert_eq!(sock_state(10), "LISTEN");
    }

    #[test]
    fn hardware_addresses() {
        assert_eq!(hw_addr(1, &[0xba, 0x76, 0, 0xae, 0x5b, 0xa4]), "ba:76:00:ae:5b:a4");
        assert_eq!(hw_addr(768, &[10, 0, 0, 1]), "10.0.0.1");
        assert_eq!(hw_addr(1, &[]), "");
    }
}
