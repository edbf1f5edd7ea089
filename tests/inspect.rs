//! `rnetns inspect`: JSON compared field by field with `ip -j addr` / `ip -j route` /
//! `ip -j -6 route` of the same namespaces, text output, and the refusals.

use crate::common::*;

use serde_json::{Map, Value};

crate::tests![json_agrees_with_ip, text_output, refusals, no_run_dir_is_empty,];

/// Two named namespaces joined by a veth pair, a bridge with an enslaved veth, a veth
/// whose peer sits in a namespace reachable only as /proc/PID/ns/net, IPv4 and IPv6
/// addresses, routes with gateways, metrics, a protocol, a scope and a blackhole.
const NET: &str = r#"
ip netns add a; ip netns add b
ip netns set a 5
ip -n a link add va type veth peer name vb netns b
ip -n a link add br0 type bridge
ip -n a link add vx type veth peer name vy
ip -n a link set vx master br0
for l in lo va br0 vx; do ip -n a link set $l up; done
ip -n b link set vb up
ip -n a addr add 10.0.0.1/24 dev va
ip -n a addr add 10.0.0.5/24 dev va label va:1
ip -n a addr add fd00::1/64 dev va nodad
ip -n a addr add 192.168.7.1/24 dev br0
ip -n b addr add 10.0.0.2/24 dev vb
ip -n b addr add fd00::2/64 dev vb nodad
ip -n a route add default via 10.0.0.2 metric 100
ip -n a route add 172.16.0.0/16 via 10.0.0.2 dev va proto static metric 50
ip -n a route add 172.17.0.1 dev br0 scope link src 192.168.7.1
ip -n a route add blackhole 10.9.0.0/16
ip -n a -6 route add fd01::/64 via fd00::2 metric 7
ip -n b -6 route add default via fd00::1
in_new_netns P
ip -n a link add vp type veth peer name vq netns $P
ip -n a link set vp up
nsenter --net=/proc/$P/ns/net ip link set vq up
nsenter --net=/proc/$P/ns/net ip addr add 10.1.0.2/30 dev vq
# The kernel's link watch acts on carrier changes later (operstate, IPv6 link-local address):
# wait until every link with a carrier is UP and has its link-local address.
settled() {
  local ns dev rest
  for ns in /run/netns/a /run/netns/b /proc/$P/ns/net; do
    nsenter --net=$ns ip -o link | grep LOWER_UP | grep -v LOOPBACK | while read -r _ dev rest; do
      dev=${dev%:}; dev=${dev%@*}
      case $rest in *" state UP "*) ;; *) exit 1;; esac
      [ -n "$(nsenter --net=$ns ip -6 -o addr show dev "$dev" scope link)" ] || exit 1
    done || return 1
  done
}
wait_until "links settled" settled
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

fn parse(sections: &[(String, String)], key: &str) -> Value {
    let body = &sections.iter().find(|(k, _)| k == key).expect(key).1;
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{key}: {e}\n{body}"))
}

/// The keys rnetns emits with ip's meaning; when ip prints one of them, so must rnetns.
const KNOWN: &[&str] = &[
    "ifindex",
    "link",
    "link_index",
    "ifname",
    "flags",
    "mtu",
    "master",
    "operstate",
    "link_type",
    "address",
    "link_netnsid",
    "addr_info",
    "family",
    "local",
    "prefixlen",
    "scope",
    "label",
    "type",
    "dst",
    "gateway",
    "dev",
    "protocol",
    "prefsrc",
    "metric",
    "pref",
];

/// Every key rnetns emits has ip's value; every known key ip emits is there.
fn agree(ours: &Value, ip: &Value, at: &str) {
    match (ours, ip) {
        (Value::Object(o), Value::Object(i)) => {
            for (k, v) in o {
                let iv = i
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k}: ip has no such key; ip: {ip}"));
                agree(v, iv, &format!("{at}.{k}"));
            }
            for k in i.keys().filter(|k| KNOWN.contains(&k.as_str())) {
                assert!(o.contains_key(k), "{at}: rnetns lacks {k:?}: ip {ip} rnetns {ours}");
            }
        }
        (Value::Array(o), Value::Array(i)) if o.iter().chain(i).any(Value::is_object) => {
            assert_eq!(o.len(), i.len(), "{at}: lengths differ\nrnetns {ours}\nip {ip}");
            for (n, (a, b)) in o.iter().zip(i).enumerate() {
                agree(a, b, &format!("{at}[{n}]"));
            }
        }
        _ => assert_eq!(ours, ip, "{at}"),
    }
}

/// rnetns-only keys: `linkinfo` of links, `family` of routes.
fn strip(mut v: Value, key: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.remove(key);
    }
    v
}

fn check_ns(ns: &Map<String, Value>, addr: &Value, route4: &Value, route6: &Value, at: &str) {
    let links: Vec<Value> = ns["links"]
        .as_array()
        .unwrap()
        .iter()
        .cloned()
        .map(|l| strip(l, "linkinfo"))
        .collect();
    agree(&Value::Array(links), addr, &format!("{at}.links"));
    let routes = ns["routes"].as_array().unwrap();
    let fam = |f: &str| -> Value {
        Value::Array(
            routes
                .iter()
                .filter(|r| r["family"] == f)
                .cloned()
                .map(|r| strip(r, "family"))
                .collect(),
        )
    };
    agree(&fam("inet"), route4, &format!("{at}.routes(inet)"));
    agree(&fam("inet6"), route6, &format!("{at}.routes(inet6)"));
}

fn json_agrees_with_ip() {
    require_root();
    let out = sandbox(&format!(
        r#"{NET}
for n in a b; do
  echo "=== rn $n"; $R -j inspect $n
  echo "=== addr $n"; ip -j -n $n addr
  echo "=== route $n"; ip -j -n $n route
  echo "=== route6 $n"; ip -j -n $n -6 route
done
echo "=== rn pid"; $R -j -p inspect /proc/$P/ns/net
echo "=== addr pid"; nsenter --net=/proc/$P/ns/net ip -j addr
echo "=== route pid"; nsenter --net=/proc/$P/ns/net ip -j route
echo "=== route6 pid"; nsenter --net=/proc/$P/ns/net ip -j -6 route
echo "=== all"; $R -j inspect
echo "=== pidpath"; echo "\"/proc/$P/ns/net\""
kill $P
"#
    ));
    let s = sections(&out.stdout);
    for n in ["a", "b", "pid"] {
        let rn = parse(&s, &format!("rn {n}"));
        let arr = rn.as_array().expect("an array");
        assert_eq!(arr.len(), 1, "{rn}");
        let ns = arr[0].as_object().unwrap();
        check_ns(
            ns,
            &parse(&s, &format!("addr {n}")),
            &parse(&s, &format!("route {n}")),
            &parse(&s, &format!("route6 {n}")),
            n,
        );
    }
    // Names, ids and paths.
    let a = &parse(&s, "rn a")[0];
    assert_eq!((&a["name"], &a["id"]), (&Value::from("a"), &Value::from(5)));
    assert!(parse(&s, "rn b")[0].get("id").is_none());
    let pid = &parse(&s, "rn pid")[0];
    assert_eq!(pid["path"], parse(&s, "pidpath"));
    assert!(pid.get("name").is_none());
    // What the scenario promises is really there (so the comparison covers it).
    let links = a["links"].as_array().unwrap();
    let link = |name: &str| links.iter().find(|l| l["ifname"] == name).unwrap().clone();
    assert_eq!(link("va")["linkinfo"]["info_kind"], "veth");
    assert!(link("va")["link_netnsid"].is_i64());
    assert!(link("vp")["link_netnsid"].is_i64());
    assert_eq!(link("br0")["linkinfo"]["info_kind"], "bridge");
    assert_eq!(link("vx")["master"], "br0");
    assert_eq!(link("vx")["linkinfo"]["info_slave_kind"], "bridge");
    let routes = a["routes"].as_array().unwrap();
    assert!(routes.iter().any(|r| r["dst"] == "default" && r["metric"] == 100));
    assert!(routes.iter().any(|r| r["type"] == "blackhole"));
    assert!(routes.iter().any(|r| r["gateway"] == "fd00::2" && r["metric"] == 7));
    // Without targets: every named namespace, in readdir order.
    let all: Vec<Value> = parse(&s, "all")
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].clone())
        .collect();
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.contains(&Value::from("a")) && all.contains(&Value::from("b")));
}

fn text_output() {
    require_root();
    let out = sandbox(&format!(
        r#"{NET}
echo "=== order"; ls -U /run/netns
echo "=== ab"; $R inspect a b
echo "=== pid"; $R inspect /proc/$P/ns/net
touch /run/netns/stale
echo "=== all"; t $R inspect
kill $P
"#
    ));
    let s = sections(&out.stdout);
    let get = |k: &str| s.iter().find(|(n, _)| n == k).unwrap().1.clone();
    let ab = get("ab");
    assert!(
        ab.starts_with("netns a (id: 5)\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN\n"),
        "{ab}"
    );
    assert!(
        ab.contains("\n2: va@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\n    link/ether "),
        "{ab}"
    );
    assert!(ab.contains("\n    inet 10.0.0.5/24 scope global va:1\n"), "{ab}");
    assert!(ab.contains(" master br0 state "), "{ab}");
    assert!(ab.contains("\ndefault via 10.0.0.2 dev va metric 100\n"), "{ab}");
    assert!(ab.contains("\nblackhole 10.9.0.0/16\n"), "{ab}");
    assert!(
        ab.contains("\nfd01::/64 via fd00::2 dev va metric 7 pref medium\n"),
        "{ab}"
    );
    assert!(ab.contains("\n\nnetns b\n1: lo: "), "{ab}");
    assert!(!ab.ends_with("\n\n"), "{ab}");
    let pid = get("pid");
    assert!(
        pid.starts_with("netns /proc/") && pid.lines().next().unwrap().ends_with("/ns/net"),
        "{pid}"
    );
    assert!(pid.contains("    inet 10.1.0.2/30 scope global vq\n"), "{pid}");
    // The stale entry is skipped with a warning; the others come in readdir order.
    let all = get("all");
    assert!(all.contains("rc: 0\n"), "{all}");
    assert!(
        all.contains(
            "--- err\n\"stale\" is not a network namespace: not an nsfs file (a stale entry or an ordinary file), skipped\n--- end"
        ),
        "{all}"
    );
    let headers: Vec<&str> = all.lines().filter_map(|l| l.strip_prefix("netns ")).collect();
    let order: Vec<String> = get("order")
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
"#;
    assert_same(want, &out.stdout);
}

fn no_run_dir_is_empty() {
    require_root();
    let out = sandbox_with(Opts { no_rundir: true }, "t $R inspect\nt $R -j inspect");
    let want = "### NETNS inspect\nrc: 0\n--- out\n--- err\n--- end\n\
### NETNS -j inspect\nrc: 0\n--- out\n[]\n--- err\n--- end\n";
    assert_same(want, &out.stdout);
}
