//! Plain records that operations return and renderers print. No I/O here.

use std::ffi::OsString;

/// One line of `list`: a run-dir entry and its id in the caller's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsEntry {
    /// The entry's name (bytes, not necessarily UTF-8).
    pub name: OsString,
    /// Its namespace id in the caller's namespace (`list`'s `(id: N)`), if assigned.
    pub id: Option<i32>,
}

/// One line of `list-id`: the attributes the kernel sent (negative = unassigned) and the
/// run-dir name found for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NsidLine {
    /// NETNSA_NSID: the id in the namespace that answered.
    pub nsid: Option<i32>,
    /// NETNSA_CURRENT_NSID: the id in the caller's namespace (with `target-nsid`).
    pub current_nsid: Option<i32>,
    /// The run-dir name of the namespace, if one has that id.
    pub name: Option<OsString>,
}

/// One network device as `ip link` sees it (RTM_NEWLINK), with its addresses.
/// Numbers stay raw (kernel values); renderers turn them into ip's words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Link {
    /// `ifindex`.
    pub index: u32,
    /// `ifname` (IFLA_IFNAME).
    pub name: String,
    /// `IFF_*` bits of the header.
    pub flags: u32,
    /// IFLA_MTU.
    pub mtu: Option<u32>,
    /// IFLA_OPERSTATE (`IF_OPER_*`).
    pub operstate: Option<u8>,
    /// `ARPHRD_*` of the header.
    pub link_type: u16,
    /// IFLA_ADDRESS (hardware address).
    pub address: Option<Vec<u8>>,
    /// IFLA_INFO_KIND (`veth`, `bridge`, ...).
    pub kind: Option<String>,
    /// IFLA_INFO_SLAVE_KIND (`bridge` for a bridge port).
    pub slave_kind: Option<String>,
    /// IFLA_MASTER: the ifindex of the controller (bridge, bond, vrf).
    pub master: Option<u32>,
    /// IFLA_LINK: the lower or peer device's ifindex (0 = none).
    pub link: Option<u32>,
    /// IFLA_LINK_NETNSID: the namespace (id as seen from this one) of `link`.
    pub link_netnsid: Option<i32>,
    /// The link's addresses, in dump order (IPv4 first, as the kernel dumps them).
    pub addrs: Vec<Addr>,
}

/// One interface address (RTM_NEWADDR), as `ip addr` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    /// IFA_LOCAL, or IFA_ADDRESS when there is no local address.
    pub local: std::net::IpAddr,
    /// IFA_ADDRESS when it differs from IFA_LOCAL (the peer of a point-to-point address).
    pub peer: Option<std::net::IpAddr>,
    /// Prefix length (`/N`).
    pub prefixlen: u8,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// IFA_LABEL (IPv4 only).
    pub label: Option<String>,
}

/// One route of the main table (RTM_NEWROUTE), as `ip route` / `ip -6 route` print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// True for IPv6.
    pub inet6: bool,
    /// `RTN_*` (1 = unicast).
    pub kind: u8,
    /// RTA_DST, absent for a default route.
    pub dst: Option<std::net::IpAddr>,
    /// Destination prefix length (0 for a default route).
    pub dst_len: u8,
    /// RTA_GATEWAY.
    pub gateway: Option<std::net::IpAddr>,
    /// RTA_OIF.
    pub oif: Option<u32>,
    /// `RTPROT_*`.
    pub protocol: u8,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// RTA_PREFSRC.
    pub prefsrc: Option<std::net::IpAddr>,
    /// RTA_PRIORITY.
    pub metric: Option<u32>,
    /// `rtm_flags` (`RTNH_F_*`, `RTM_F_*`).
    pub flags: u32,
    /// RTA_PREF (IPv6 router preference).
    pub pref: Option<u8>,
}

/// What `rnetns inspect` reports for one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsReport {
    /// The name in the run dir, or the path as given.
    pub target: crate::netns::Target,
    /// The id the caller's namespace has for this one, when assigned.
    pub id: Option<i32>,
    /// Links in ifindex (dump) order, each with its addresses.
    pub links: Vec<Link>,
    /// Main-table routes: IPv4 first, then IPv6, each in dump order.
    pub routes: Vec<Route>,
}
