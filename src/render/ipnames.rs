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
    }

    #[test]
    fn hardware_addresses() {
        assert_eq!(hw_addr(1, &[0xba, 0x76, 0, 0xae, 0x5b, 0xa4]), "ba:76:00:ae:5b:a4");
        assert_eq!(hw_addr(768, &[10, 0, 0, 1]), "10.0.0.1");
        assert_eq!(hw_addr(1, &[]), "");
    }
}
