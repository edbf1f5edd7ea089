//! Plain records that operations return and renderers print. No I/O here.

use std::ffi::OsString;
use std::path::PathBuf;

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
    /// IFLA_BROADCAST (`brd`).
    pub broadcast: Option<Vec<u8>>,
    /// IFLA_PERM_ADDRESS (`permaddr`, printed when it differs from `address`).
    pub perm_address: Option<Vec<u8>>,
    /// IFLA_QDISC: the root qdisc's kind (`noqueue`, `noop`, `pfifo_fast`, ...).
    pub qdisc: Option<String>,
    /// IFLA_GROUP (0 = `default`).
    pub group: Option<u32>,
    /// IFLA_TXQLEN (`qlen`).
    pub txqlen: Option<u32>,
    /// IFLA_LINKMODE (0 = `DEFAULT`, 1 = `DORMANT`).
    pub linkmode: Option<u8>,
    /// IFLA_IFALIAS (`ip link`'s `alias` line).
    pub alias: Option<String>,
    /// IFLA_ALT_IFNAME entries of IFLA_PROP_LIST (`altname` lines).
    pub altnames: Vec<String>,
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
    /// `IFA_F_*`: IFA_FLAGS when sent, else the header's 8 bits.
    pub flags: u32,
    /// IFA_BROADCAST (`brd`).
    pub broadcast: Option<std::net::IpAddr>,
    /// IFA_ANYCAST (`any`).
    pub anycast: Option<std::net::IpAddr>,
    /// IFA_CACHEINFO `ifa_valid` in seconds (u32::MAX = forever).
    pub valid: Option<u32>,
    /// IFA_CACHEINFO `ifa_prefered` in seconds (u32::MAX = forever).
    pub preferred: Option<u32>,
}

/// One route (RTM_NEWROUTE), as `ip route` / `ip -6 route` print it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Route {
    /// True for IPv6.
    pub inet6: bool,
    /// `RTN_*` (1 = unicast).
    pub kind: u8,
    /// RTA_TABLE (or the header's table).
    pub table: u32,
    /// RTA_DST, absent for a default route.
    pub dst: Option<std::net::IpAddr>,
    /// Destination prefix length (0 for a default route).
    pub dst_len: u8,
    /// RTA_SRC (`from`), with the source prefix length.
    pub src: Option<(std::net::IpAddr, u8)>,
    /// The header's TOS (`tos`).
    pub tos: u8,
    /// RTA_GATEWAY.
    pub gateway: Option<std::net::IpAddr>,
    /// RTA_VIA: a gateway of another family.
    pub via: Option<std::net::IpAddr>,
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
    /// RTA_MARK.
    pub mark: Option<u32>,
    /// RTA_CACHEINFO `rta_expires` (clock ticks; 0 = none).
    pub expires: i32,
    /// RTA_METRICS: `RTAX_*` number and value, in the kernel's order (lock = RTAX_LOCK bits).
    pub metrics: Vec<(u16, u32)>,
    /// RTA_IIF.
    pub iif: Option<u32>,
    /// RTA_PREF (IPv6 router preference).
    pub pref: Option<u8>,
    /// RTA_MULTIPATH: the next hops of a multipath route.
    pub nexthops: Vec<Nexthop>,
    /// RTA_NH_ID (`nhid`).
    pub nhid: Option<u32>,
}

/// One next hop of a multipath route (`rtnexthop` + its attributes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nexthop {
    /// RTA_GATEWAY of the hop.
    pub gateway: Option<std::net::IpAddr>,
    /// RTA_VIA of the hop.
    pub via: Option<std::net::IpAddr>,
    /// `rtnh_ifindex` (0 = none).
    pub oif: u32,
    /// `rtnh_hops + 1` (`weight`).
    pub weight: u32,
    /// `rtnh_flags` (`RTNH_F_*`).
    pub flags: u32,
}

/// One neighbour entry (RTM_NEWNEIGH), as `ip neigh` (or `ip neigh show proxy`) prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neigh {
    /// NDA_DST.
    pub dst: std::net::IpAddr,
    /// `ndm_ifindex`.
    pub dev: u32,
    /// NDA_LLADDR.
    pub lladdr: Option<Vec<u8>>,
    /// `ndm_state` (`NUD_*` bits; 0 for proxy entries).
    pub state: u16,
    /// `ndm_flags` (`NTF_*`).
    pub flags: u8,
    /// NDA_PROTOCOL.
    pub protocol: Option<u8>,
}

/// One TCP or UDP socket (sock_diag `inet_diag_msg`), as `ss -tuapn` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Socket {
    /// `IPPROTO_TCP` (6) or `IPPROTO_UDP` (17).
    pub protocol: u8,
    /// `TCP_*` state (UDP uses 1 = connected, 7 = unconnected).
    pub state: u8,
    /// `idiag_rqueue` (for a listener: the accept queue length).
    pub recv_q: u32,
    /// `idiag_wqueue` (for a listener: the backlog).
    pub send_q: u32,
    /// Local address and port.
    pub local: std::net::SocketAddr,
    /// Peer address and port (port 0 = `*`).
    pub peer: std::net::SocketAddr,
    /// `SO_BINDTODEVICE` ifindex (0 = none).
    pub ifindex: u32,
    /// INET_DIAG_SKV6ONLY of an IPv6 socket.
    pub v6only: Option<bool>,
    /// `idiag_uid`.
    pub uid: u32,
    /// `idiag_inode`.
    pub inode: u32,
    /// The processes holding it: (command, pid, fd), in the order `ss -p` prints them.
    pub users: Vec<SockUser>,
}

/// A process holding a socket open (`ss -p`'s `("cmd",pid=N,fd=M)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SockUser {
    /// `comm` of the process (/proc/PID/stat), shared by all the sockets it holds.
    pub command: std::sync::Arc<str>,
    /// The process id.
    pub pid: u32,
    /// The descriptor number.
    pub fd: u32,
}

/// Which route table `inspect` reads (`ip route show table T`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableSel {
    /// The main table (254), as `ip route` shows it.
    #[default]
    Main,
    /// Every table (`table all`).
    All,
    /// One table by number.
    Id(u32),
}

/// The sections `inspect` reads and prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    /// Links (`ip link`); with `addrs`, `ip addr`'s view of them.
    pub links: bool,
    /// Links with their addresses (`ip addr`).
    pub addrs: bool,
    /// Routes (`ip route` and `ip -6 route`, or `table all`).
    pub routes: bool,
    /// Neighbours (`ip neigh`, then `ip neigh show proxy`).
    pub neigh: bool,
    /// TCP and UDP sockets with their processes: listening ones (`ss -tulpn`), or all
    /// (`ss -tuapn`) with `all_sockets`.
    pub sockets: bool,
    /// Connected sockets too, not only listening ones.
    pub all_sockets: bool,
    /// The route table to show.
    pub table: TableSel,
}

impl Default for Sections {
    /// Every section, the main route table.
    fn default() -> Self {
        Sections {
            links: true,
            addrs: true,
            routes: true,
            neigh: true,
            sockets: true,
            all_sockets: false,
            table: TableSel::Main,
        }
    }
}

/// What `rnetns inspect` reports first about a namespace: its header and links. Its
/// routes, neighbours and sockets follow it one by one (see `ops::inspect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsReport {
    /// The name in the run dir, or the path as given.
    pub target: Target,
    /// The id the caller's namespace has for this one, when assigned.
    pub id: Option<i32>,
    /// Links in ifindex (dump) order, each with its addresses.
    pub links: Vec<Link>,
    /// Names of the namespaces this one has ids for (`link-netns NAME` in text), looked
    /// up only for ids that its links name.
    pub peer_names: Vec<(i32, std::ffi::OsString)>,
}

/// What a command names: an entry of the run dir, or (rnetns only) an absolute path to any
/// namespace file such as `/proc/PID/ns/net`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `RUNDIR/NAME`, as ip takes it.
    Name(OsString),
    /// An absolute path to a namespace file (rnetns only; ip rejects such names).
    Path(PathBuf),
}

/// The software behind an owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Runtime {
    /// Docker (dockerd, also through containerd's `moby` namespace).
    Docker,
    /// podman (libpod).
    Podman,
    /// containerd (its CRI plugin for Kubernetes, or `ctr`/nerdctl).
    Containerd,
    /// CRI-O.
    CriO,
    /// A container whose runtime neither its cgroup nor any state file tells.
    Container,
    /// A systemd unit (a service or scope), for processes in no container.
    Systemd,
    /// Any other cgroup, for processes in no container and no unit.
    Cgroup,
}

/// A Kubernetes pod; any part may be unknown (a cgroup gives only the uid).
#[derive(Debug, Clone, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pod {
    /// The pod's Kubernetes namespace.
    pub namespace: Option<String>,
    /// The pod's name.
    pub name: Option<String>,
    /// The pod's uid.
    pub uid: Option<String>,
}

/// One user of a network namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The runtime, or `Systemd` / `Cgroup` for processes in no container.
    pub runtime: Runtime,
    /// The container id (None for units and cgroups).
    pub id: Option<String>,
    /// The container's name, the unit's name, or the cgroup's path.
    pub name: Option<String>,
    /// The Kubernetes pod of the container.
    pub pod: Option<Pod>,
    /// The pod's sandbox (pause) container, which holds the pod's namespaces.
    pub sandbox: bool,
    /// Its processes in the namespace, ascending.
    pub pids: Vec<u32>,
}
