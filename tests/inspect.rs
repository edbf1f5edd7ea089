//! `rnetns inspect`: differential tests against `ip -n NS addr|link|route|neigh` (text byte
//! for byte, `-j` byte for byte once rnetns's extra keys are taken out) and against
//! `ip netns exec NS ss -tuapn` / `ss -tulpn` for sockets, on namespaces built in the
//! sandbox; then headers, selection, skips and refusals.

use crate::common::*;

crate::tests![
    text_is_ip_byte_for_byte,
    json_is_ip_byte_for_byte,
    sockets_agree_with_ss,
    large_namespaces_stream_in_order,
    headers_order_and_skips,
    refusals,
    no_run_dir_is_empty,
];

/// Two named namespaces joined by a veth pair, and in `a`: a bridge with an enslaved veth,
/// vlan, vxlan, dummy, macvlan, ipvlan, wireguard and tun/tap links (kinds this kernel
/// lacks are skipped), a veth into a namespace reachable only as /proc/PID/ns/net;
/// secondary, labelled, broadcast, peer, tentative, deprecated, dynamic and noprefixroute
/// addresses; IPv4 and IPv6 routes with gateways, metrics, protocols, scopes, a blackhole,
/// multipath, RTA_VIA, an expiring route and a second table; permanent, stale, router and
/// proxy neighbours. DAD is off where links are created (their link-local addresses would
/// go from tentative to valid between two dumps) and on for br0 (no carrier: its address
/// stays tentative).
const NET: &str = r#"
ip netns add a; ip netns add b
ip netns set a 5
for n in a b; do
  ip netns exec $n sh -c 'for c in all default; do echo 0 > /proc/sys/net/ipv6/conf/$c/accept_dad; done'
done
ip -n a link set lo up
ip -n a link add va type veth peer name vb netns b
ip -n a link add br0 type bridge
ip -n a link add vx type veth peer name vy
ip -n a link set vx master br0
ip -n a link add link va name va.10 type vlan id 10 2>/dev/null
ip -n a link add vxl0 type vxlan id 42 dstport 4789 dev va
ip -n a link add d0 type dummy 2>/dev/null
ip -n a link add mv0 link va type macvlan mode bridge
ip -n a link add iv0 link va type ipvlan mode l2 2>/dev/null
ip -n a link add wg0 type wireguard 2>/dev/null
ip -n a tuntap add tun0 mode tun
ip -n a tuntap add tap0 mode tap
for l in va br0 vx va.10 vxl0 d0 mv0 iv0 wg0 tun0; do ip -n a link set $l up 2>/dev/null; done
ip -n b link set vb up
ip -n a link set va txqueuelen 0
ip -n a link property add dev mv0 altname mvalt
ip -n a link set mv0 alias "hello world" group 5 promisc on
ip netns exec a sh -c 'echo 1 > /proc/sys/net/ipv6/conf/br0/accept_dad'
ip -n a addr add 10.0.0.1/24 dev va
ip -n a addr add 10.0.0.5/24 dev va label va:1
ip -n a addr add 10.0.0.9/24 brd + dev va
ip -n a addr add fd00::1/64 dev va
ip -n a addr add fd00::8/64 dev va valid_lft 1000 preferred_lft 0
ip -n a addr add 10.3.0.1/24 dev mv0 noprefixroute valid_lft 500 preferred_lft 300
ip -n a addr add 10.4.0.1 peer 10.4.0.2/32 dev tun0
ip -n a addr add 192.168.7.1/24 dev br0
ip -n a addr add fd07::1/64 dev br0
ip -n b addr add 10.0.0.2/24 dev vb
ip -n b addr add fd00::2/64 dev vb
ip -n a route add default via 10.0.0.2 metric 100
ip -n a route add 172.16.0.0/16 via 10.0.0.2 dev va proto static metric 50
ip -n a route add 172.17.0.1 dev br0 scope link src 192.168.7.1
ip -n a route add blackhole 10.9.0.0/16
ip -n a route add 10.8.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2
ip -n a route add 10.20.0.0/16 via inet6 fe80::1 dev va
ip -n a route add 10.21.0.0/16 via 10.0.0.2 mtu 1400 advmss 1360
ip -n a route add 10.30.0.0/16 via 10.0.0.2 table 100
ip -n a -6 route add fd01::/64 via fd00::2 metric 7
ip -n a -6 route add fd02::/64 nexthop via fd00::2 nexthop via fd00::3
ip -n a -6 route add fd03::/64 via fd00::2 expires 300
ip -n a -6 route add unreachable fd04::/64
ip -n a neigh add 10.0.0.44 lladdr 02:00:00:00:00:44 dev va nud permanent
ip -n a neigh add 10.0.0.45 lladdr 02:00:00:00:00:45 dev va nud stale
ip -n a neigh add fd00::45 lladdr 02:00:00:00:00:46 dev va nud stale router
ip -n a neigh add proxy 10.0.0.99 dev va
ip -n a neigh add proxy fd00::99 dev va
in_new_netns P
ip -n a link add vp type veth peer name vq netns $P
ip -n a link set vp up
nsenter --net=/proc/$P/ns/net ip link set vq up
nsenter --net=/proc/$P/ns/net ip addr add 10.1.0.2/30 dev vq
# Remaining lifetimes count down between two dumps: compare them as N.
norm() { sed -E 's/(valid_lft|preferred_lft|expires) [0-9]+sec/\1 Nsec/g; s/"(valid_life_time|preferred_life_time|expires)":[0-9]{1,9}([^0-9])/"\1":N\2/g'; }
"#;

/// Split `=== KEY` sections of a transcript into (key, body).
fn sections(out: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for line in out.lines() {
        if let Some(k) = line.strip_prefix("=== ") {
            v.push((k.to_string(), String::new()));
        } else if let Some((_, body)) = v.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    v
}

fn get<'a>(s: &'a [(String, String)], key: &str) -> &'a str {
    &s.iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no section {key}"))
        .1
}

/// The `# COMMAND` blocks of one namespace's text: (command, body), the header line
/// (`netns ...`) left out.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    for line in text.lines().skip(1) {
        if let Some(k) = line.strip_prefix("# ") {
            v.push((k.to_string(), String::new()));
        } else if let Some((_, body)) = v.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    v
}

fn text_is_ip_byte_for_byte() {
    require_root();
    let out = sandbox(&format!(
        r#"{NET}
for n in a b; do
  echo "=== rn $n"; $R inspect -s addrs,routes,neigh $n | norm
  echo "=== rn links $n"; $R inspect -s links $n
  echo "=== rn all $n"; $R inspect -s routes --table all $n | norm
  echo "=== rn 100 $n"; $R inspect -s routes --table 100 $n
  echo "=== ip addr $n"; ip -n $n addr | norm
  echo "=== ip link $n"; ip -n $n link
  echo "=== ip route $n"; ip -n $n route
  echo "=== ip -6 route $n"; ip -n $n -6 route | norm
  echo "=== ip route show table all $n"; ip -n $n route show table all | norm
  echo "=== ip route show table 100 $n"; ip -n $n route show table 100
  echo "=== ip -6 route show table 100 $n"; ip -n $n -6 route show table 100
  echo "=== ip neigh $n"; ip -n $n neigh
  echo "=== ip neigh show proxy $n"; ip -n $n neigh show proxy
done
echo "=== rn pid"; $R inspect -s addrs /proc/$P/ns/net | norm
echo "=== ip addr pid"; nsenter --net=/proc/$P/ns/net ip addr | norm
echo "=== kinds"; ip -n a -d link | grep -oE '^    (veth|bridge|vlan|vxlan|dummy|macvlan|ipvlan|wireguard|tun) ' | sort -u
kill $P
"#
    ));
    let s = sections(&out.stdout);
    let mut compared = 0;
    for n in ["a", "b"] {
        for (key, cmds) in [
            (
                format!("rn {n}"),
                vec!["ip addr", "ip route", "ip -6 route", "ip neigh", "ip neigh show proxy"],
            ),
            (format!("rn links {n}"), vec!["ip link"]),
            (format!("rn all {n}"), vec!["ip route show table all"]),
            (
                format!("rn 100 {n}"),
                vec!["ip route show table 100", "ip -6 route show table 100"],
            ),
        ] {
            let b = blocks(get(&s, &key));
            let names: Vec<&str> = b.iter().map(|(c, _)| c.as_str()).collect();
            assert_eq!(names, cmds, "{key}: sections");
            for (cmd, body) in &b {
                assert_same(get(&s, &format!("{cmd} {n}")), body);
                compared += body.lines().count();
            }
        }
    }
    let pid = blocks(get(&s, "rn pid"));
    assert_same(get(&s, "ip addr pid"), &pid[0].1);
    // What the scenario promises is there, so the comparison covered it.
    let a = get(&s, "rn a");
    for want in [
        "link-netns b",
        " secondary va:1\n",
        "brd 10.0.0.255 scope global secondary va\n",
        "scope global deprecated dynamic \n       valid_lft Nsec preferred_lft Nsec\n",
        "dynamic noprefixroute mv0\n",
        "inet 10.4.0.1 peer 10.4.0.2/32",
        "fd07::1/64 scope global tentative \n",
        "\n    altname mvalt\n",
        "\n\tnexthop via 10.0.0.3 dev va weight 2 \n",
        "10.20.0.0/16 via inet6 fe80::1 dev va \n",
        "mtu 1400 advmss 1360 \n",
        "expires Nsec pref medium\n",
        "unreachable fd04::/64 ",
        "lladdr 02:00:00:00:00:46 router STALE \n",
        "PERMANENT \n",
        "10.0.0.99 dev va proxy \n",
    ] {
        assert!(a.contains(want), "{want:?} missing in\n{a}");
    }
    assert!(get(&s, "rn links a").contains("\n    alias hello world\n"));
    assert!(get(&s, "rn all a").contains("\nbroadcast 10.0.0.255 dev va table local "));
    assert!(get(&s, "rn 100 a").contains("10.30.0.0/16 via 10.0.0.2 dev va \n"));
    let kinds = get(&s, "kinds");
    for k in ["veth", "bridge"] {
        assert!(kinds.contains(k), "{kinds}");
    }
    eprintln!(
        "link kinds compared: {}",
        kinds.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    assert!(compared > 80, "{compared} lines compared");
}

/// `"linkinfo":{...}` taken out of a JSON text (rnetns's extra key of links).
fn drop_linkinfo(mut j: String) -> String {
    while let Some(at) = j.find(",\"linkinfo\":{") {
        let end = at + j[at..].find('}').expect("linkinfo closes") + 1;
        j.replace_range(at..end, "");
    }
    j
}

/// rnetns's extra `family` key of routes taken out.
fn drop_route_family(j: &str) -> String {
    let mut j = j.to_string();
    for f in ["inet", "inet6"] {
        for next in ["dst", "type"] {
            j = j.replace(&format!("{{\"family\":\"{f}\",\"{next}\""), &format!("{{\"{next}\""));
        }
    }
    j
}

/// ip's arrays (one per command) joined into one, as rnetns lists them.
fn join_arrays(parts: &[&str]) -> String {
    let inner: Vec<&str> = parts
        .iter()
        .map(|p| p.trim().trim_start_matches('[').trim_end_matches(']'))
        .filter(|p| !p.is_empty())
        .collect();
    format!("[{}]", inner.join(","))
}

/// The value of `"key":` in a one-namespace `-j inspect` answer with a single section.
fn only_section<'a>(j: &'a str, key: &str) -> &'a str {
    let at = j.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {j}")) + key.len() + 3;
    j[at..].trim_end().strip_suffix("}]").expect("the object closes")
}

fn json_is_ip_byte_for_byte() {
    require_root();
    let out = sandbox(&format!(
        r#"{NET}
for n in a b; do
  echo "=== addrs $n"; $R -j inspect -s addrs $n | norm
  echo "=== links $n"; $R -j inspect -s links $n
  echo "=== routes $n"; $R -j inspect -s routes $n | norm
  echo "=== table $n"; $R -j inspect -s routes --table all $n | norm
  echo "=== neigh $n"; $R -j inspect -s neigh $n
  echo "=== ip addr $n"; ip -j -n $n addr | norm
  echo "=== ip link $n"; ip -j -n $n link
  echo "=== ip route $n"; ip -j -n $n route
  echo "=== ip -6 route $n"; ip -j -n $n -6 route | norm
  echo "=== ip table $n"; ip -j -n $n route show table all | norm
  echo "=== ip neigh $n"; ip -j -n $n neigh
  echo "=== ip proxy $n"; ip -j -n $n neigh show proxy
done
# Table 100 exists for IPv4 in a only (ip fails on an absent table; rnetns shows none).
echo "=== t100"; $R -j inspect -s routes --table 100 a
echo "=== ip t100"; ip -j -n a route show table 100
echo "=== rn pid"; $R -j inspect -s addrs /proc/$P/ns/net | norm
echo "=== ip pid"; nsenter --net=/proc/$P/ns/net ip -j addr | norm
echo "=== pidpath"; echo "/proc/$P/ns/net"
echo "=== all"; $R -j inspect -s links
echo "=== pretty"; $R -j -p inspect -s links b
kill $P
"#
    ));
    let s = sections(&out.stdout);
    for n in ["a", "b"] {
        let g = |k: &str| get(&s, &format!("{k} {n}")).to_string();
        let head = if n == "a" {
            "[{\"name\":\"a\",\"id\":5,"
        } else {
            "[{\"name\":\"b\","
        };
        assert!(g("addrs").starts_with(head), "{}", g("addrs"));
        assert_same(
            g("ip addr").trim(),
            &drop_linkinfo(only_section(&g("addrs"), "links").to_string()),
        );
        assert_same(
            g("ip link").trim(),
            &drop_linkinfo(only_section(&g("links"), "links").to_string()),
        );
        assert_same(
            &join_arrays(&[&g("ip route"), &g("ip -6 route")]),
            &drop_route_family(only_section(&g("routes"), "routes")),
        );
        assert_same(
            g("ip table").trim(),
            &drop_route_family(only_section(&g("table"), "routes")),
        );
        assert_same(
            &join_arrays(&[&g("ip neigh"), &g("ip proxy")]),
            only_section(&g("neigh"), "neigh"),
        );
    }
    assert_same(
        get(&s, "ip t100").trim(),
        &drop_route_family(only_section(get(&s, "t100"), "routes")),
    );
    assert!(get(&s, "t100").contains("10.30.0.0/16"));
    assert_same(
        get(&s, "ip pid").trim(),
        &drop_linkinfo(only_section(get(&s, "rn pid"), "links").to_string()),
    );
    let pid: serde_json::Value = serde_json::from_str(get(&s, "rn pid")).unwrap();
    assert_eq!(pid[0]["path"], get(&s, "pidpath").trim());
    assert!(pid[0].get("name").is_none());
    // The extra keys are there.
    let a: serde_json::Value = serde_json::from_str(get(&s, "links a")).unwrap();
    let link = |name: &str| {
        a[0]["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["ifname"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(link("va")["linkinfo"]["info_kind"], "veth");
    assert_eq!(link("vx")["linkinfo"]["info_slave_kind"], "bridge");
    // Without targets: every named namespace, in readdir order.
    let all: serde_json::Value = serde_json::from_str(get(&s, "all")).unwrap();
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"a") && names.contains(&"b"));
    assert!(get(&s, "pretty").starts_with("[ {\n        \"name\": \"b\",\n        \"links\": [ {\n"));
}

/// A server that holds TCP and UDP sockets (listening, connected, bound to a device,
/// dual-stack and IPv6-only), forks so that two processes hold each, names itself
/// `rn-srv`, and writes its readiness to the FIFO $1 once everything is in place. Both
/// processes wait until the sandbox ends (its pid namespace goes, and they with it).
const SERVER: &str = r#"
cat > /tmp/srv.py <<'PY'
import os, socket, sys
open('/proc/self/comm', 'w').write(sys.argv[2])
port = int(sys.argv[3])
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('127.0.0.1', port)); t.listen(5)
t6 = socket.socket(socket.AF_INET6); t6.bind(('::', port + 1)); t6.listen(128)
o6 = socket.socket(socket.AF_INET6); o6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
o6.bind(('::', port + 2)); o6.listen(3)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('0.0.0.0', port))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(('::1', port + 1))
ub = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ub.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'lo'); ub.bind(('0.0.0.0', port + 2))
c = socket.create_connection(('127.0.0.1', port)); a, _ = t.accept(); c.send(b'hello')
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(('127.0.0.1', port))
import signal
if os.fork() == 0:
    while True: signal.pause()
open(sys.argv[1], 'w').write('%d\n' % os.getpid())
while True: signal.pause()
PY
serve() {  # NS COMMAND PORT: start the server in NS, wait for its readiness
  mkfifo /tmp/$1.ready
  ip netns exec $1 python3 /tmp/srv.py /tmp/$1.ready $2 $3 &
  read SRV_PID < /tmp/$1.ready
  echo "=== pid $1"; echo $SRV_PID
}
"#;

/// The rows of an ss-shaped table as whitespace-separated cells, header left out.
fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .filter(|l| !l.starts_with("Netid") && !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

fn sockets_agree_with_ss() {
    require_root();
    let out = sandbox(&format!(
        r#"{SERVER}
ip netns add a; ip netns add b
ip -n a link set lo up; ip -n b link set lo up
serve a rn-srv 8080
serve b rn-other 9090
echo "=== rn"; $R inspect -s sockets --all-sockets a
echo "=== rn -l"; $R inspect -s sockets a
echo "=== ss"; ip netns exec a ss -tuapn
echo "=== ss -l"; ip netns exec a ss -tulpn
echo "=== rn b"; $R inspect --all-sockets -s sockets b
echo "=== ss b"; ip netns exec b ss -tuapn
echo "=== json"; $R -j inspect -s sockets --all-sockets a
"#
    ));
    let s = sections(&out.stdout);
    let ours = rows(&blocks(get(&s, "rn"))[0].1);
    assert_eq!(ours, rows(get(&s, "ss")), "\n{}", out.stdout);
    let listening: Vec<_> = ours
        .iter()
        .filter(|r| r[1] == "LISTEN" || r[1] == "UNCONN")
        .cloned()
        .collect();
    assert_eq!(listening, rows(get(&s, "ss -l")));
    let l = blocks(get(&s, "rn -l"));
    assert_eq!(l[0].0, "ss -tulpn");
    assert_eq!(rows(&l[0].1), listening);
    assert_eq!(rows(&blocks(get(&s, "rn b"))[0].1), rows(get(&s, "ss b")));
    // The server's own sockets, each held by both of its processes (the child first).
    let pid: u32 = get(&s, "pid a").trim().parse().unwrap();
    let owners = |r: &Vec<String>| r.get(6).cloned().unwrap_or_default();
    for (netid, state, local) in [
        ("tcp", "LISTEN", "127.0.0.1:8080"),
        ("tcp", "LISTEN", "*:8081"),
        ("tcp", "LISTEN", "[::]:8082"),
        ("udp", "UNCONN", "0.0.0.0:8080"),
        ("udp", "UNCONN", "[::1]:8081"),
        ("udp", "UNCONN", "0.0.0.0%lo:8082"),
    ] {
        let r = ours
            .iter()
            .find(|r| r[0] == netid && r[1] == state && r[4] == local)
            .unwrap_or_else(|| panic!("{netid} {state} {local} in {ours:?}"));
        assert!(owners(r).starts_with("users:((\"rn-srv\",pid="), "{r:?}");
        assert!(owners(r).contains(&format!("),(\"rn-srv\",pid={pid},fd=")), "{r:?}");
    }
    assert_eq!(ours.iter().filter(|r| r[1] == "ESTAB").count(), 3, "{ours:?}");
    assert!(!get(&s, "rn").contains("rn-other") && get(&s, "rn b").contains("rn-other"));
    let j: serde_json::Value = serde_json::from_str(get(&s, "json")).unwrap();
    let socks = j[0]["sockets"].as_array().unwrap();
    assert_eq!(socks.len(), ours.len());
    let l = socks
        .iter()
        .find(|x| x["state"] == "LISTEN" && x["local_port"] == 8080)
        .unwrap();
    assert_eq!(
        (&l["netid"], &l["local"], &l["send_q"]),
        (&"tcp".into(), &"127.0.0.1".into(), &5.into())
    );
    assert_eq!(l["users"][1]["pid"], pid);
    assert_eq!(l["users"][1]["command"], "rn-srv");
    let o6 = socks
        .iter()
        .find(|x| x["local_port"] == 8082 && x["netid"] == "tcp")
        .unwrap();
    assert_eq!(o6["v6only"], true);
    let b = socks
        .iter()
        .find(|x| x["netid"] == "udp" && x["local_port"] == 8082)
        .unwrap();
    assert_eq!(b["dev"], "lo");
}

/// Namespaces whose routes and neighbours span many chunks and datagrams (the library hands
/// them on piece by piece, several namespaces read side by side): every byte as ip prints it,
/// in order, text and `-j` (`-p` too).
fn large_namespaces_stream_in_order() {
    require_root();
    let out = sandbox(
        r##"
k=0
for n in a b c; do
  ip netns add $n; k=$((k + 1))
  {
    echo "link set lo up"; echo "link add v0 type veth peer name v1"
    echo "link set v0 up"; echo "link set v1 up"; echo "addr add 10.0.0.1/8 dev v0"
    for i in $(seq 0 1499); do echo "route add 11.$((i / 256)).$((i % 256)).0/24 via 10.0.0.2 metric $k$i"; done
    for i in $(seq 0 299); do echo "neigh add 10.1.$((i / 256)).$((i % 256)) lladdr 02:00:00:00:$((i / 256)):$((i % 100)) dev v0 nud permanent"; done
  } >/tmp/$n.batch
  ip -n $n -batch /tmp/$n.batch
done
echo "=== rn"; $R inspect -s routes,neigh a b c
for n in a b c; do
  echo "=== ip $n"; echo "netns $n"
  echo "# ip route"; ip -n $n route; echo "# ip -6 route"; ip -n $n -6 route
  echo "# ip neigh"; ip -n $n neigh; echo "# ip neigh show proxy"; ip -n $n neigh show proxy
  [ $n = c ] || echo
done
echo "=== rn -j"; $R -j inspect -s routes b
echo "=== ip -j"; ip -j -n b route; ip -j -n b -6 route
echo "=== rn -j -p"; $R -j -p inspect -s neigh c
echo "=== ip -j -p"; ip -j -p -n c neigh
"##,
    );
    let s = sections(&out.stdout);
    let ip: String = ["ip a", "ip b", "ip c"].iter().map(|k| get(&s, k)).collect();
    assert_same(&ip, get(&s, "rn"));
    assert!(get(&s, "rn").lines().count() > 3 * 1800, "{}", out.stdout.len());
    let ip_j: Vec<&str> = get(&s, "ip -j").lines().collect();
    assert_same(
        &join_arrays(&ip_j),
        &drop_route_family(only_section(get(&s, "rn -j"), "routes")),
    );
    let pretty = get(&s, "rn -j -p");
    let ours: serde_json::Value = serde_json::from_str(pretty).expect("valid JSON");
    let theirs: serde_json::Value = serde_json::from_str(get(&s, "ip -j -p")).expect("ip's JSON");
    assert_eq!(ours[0]["neigh"], theirs, "{pretty}");
    assert!(pretty.contains("\n    } ]\n"), "{pretty}");
}

fn headers_order_and_skips() {
    require_root();
    let out = sandbox(
        r#"
ip netns add a; ip netns add b
ip netns set a 5
in_new_netns P
echo "=== order"; ls -U /run/netns
echo "=== ab"; $R inspect a b
echo "=== pid"; $R inspect -s routes /proc/$P/ns/net
touch /run/netns/stale
echo "=== all"; t $R inspect -s links
kill $P
"#,
    );
    let s = sections(&out.stdout);
    let ab = get(&s, "ab");
    assert!(
        ab.starts_with("netns a (id: 5)\n# ip addr\n1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN "),
        "{ab}"
    );
    let heads: Vec<&str> = ab
        .lines()
        .filter(|l| l.starts_with("# ") || l.starts_with("netns "))
        .collect();
    let one = [
        "# ip addr",
        "# ip route",
        "# ip -6 route",
        "# ip neigh",
        "# ip neigh show proxy",
        "# ss -tulpn",
    ];
    let mut want = vec!["netns a (id: 5)"];
    want.extend(one);
    want.push("netns b");
    want.extend(one);
    assert_eq!(heads, want);
    assert!(ab.contains("\n\nnetns b\n") && !ab.ends_with("\n\n"), "{ab}");
    let pid = get(&s, "pid");
    assert!(
        pid.starts_with("netns /proc/") && pid.lines().next().unwrap().ends_with("/ns/net"),
        "{pid}"
    );
    assert_eq!(pid.lines().skip(1).collect::<Vec<_>>(), ["# ip route", "# ip -6 route"]);
    // The stale entry is skipped with a warning; the others come in readdir order.
    let all = get(&s, "all");
    assert!(all.contains("rc: 0\n"), "{all}");
    assert!(
        all.contains(
            "--- err\n\"stale\" is not a network namespace: not an nsfs file (a stale entry or an ordinary file), skipped\n--- end"
        ),
        "{all}"
    );
    let headers: Vec<&str> = all.lines().filter_map(|l| l.strip_prefix("netns ")).collect();
    let order: Vec<String> = get(&s, "order")
        .lines()
        .filter(|n| *n != "stale")
        .map(|n| {
            if n == "a" {
                "a (id: 5)".to_string()
            } else {
                n.to_string()
            }
        })
        .collect();
    assert_eq!(headers, order);
}

fn refusals() {
    require_root();
    let out = sandbox(
        r#"
ip netns add a
touch /tmp/x /run/netns/stale
t $R inspect nope
t $R inspect a nope
t $R inspect /tmp/x
t $R inspect /proc/self/ns/mnt
t $R inspect stale
t $R inspect /tmp/none
t $R -j inspect a/b
t $R inspect --table nope a
"#,
    );
    let want = r#"### NETNS inspect nope
rc: 1
--- out
--- err
Cannot open network namespace "nope": No such file or directory
--- end
### NETNS inspect a nope
rc: 1
--- out
--- err
Cannot open network namespace "nope": No such file or directory
--- end
### NETNS inspect /tmp/x
rc: 1
--- out
--- err
"/tmp/x" is not a network namespace: not an nsfs file (a stale entry or an ordinary file)
--- end
### NETNS inspect /proc/self/ns/mnt
rc: 1
--- out
--- err
"/proc/self/ns/mnt" is not a network namespace: a namespace of another type
--- end
### NETNS inspect stale
rc: 1
--- out
--- err
"stale" is not a network namespace: not an nsfs file (a stale entry or an ordinary file)
--- end
### NETNS inspect /tmp/none
rc: 1
--- out
--- err
Cannot open network namespace "/tmp/none": No such file or directory
--- end
### NETNS -j inspect a/b
rc: 255
--- out
--- err
Invalid netns name "a/b"
--- end
### NETNS inspect --table nope a
rc: 255
--- out
--- err
Error: argument "nope" is wrong: table id value is invalid

--- end
"#;
    assert_same(want, &out.stdout);
}

fn no_run_dir_is_empty() {
    require_root();
    let out = sandbox_with(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $R inspect\nt $R -j inspect",
    );
    let want = "### NETNS inspect\nrc: 0\n--- out\n--- err\n--- end\n\
### NETNS -j inspect\nrc: 0\n--- out\n[]\n--- err\n--- end\n";
    assert_same(want, &out.stdout);
}
