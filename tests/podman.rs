//! End to end with a real container runtime: podman (daemonless) with runc, a busybox
//! rootfs, all state in the sandbox: `--root`/`--runroot`/`--tmpdir` on the sandbox's
//! private /tmp (so the host's /var/lib/containers and /run/containers are never created
//! or read), /run and /run/netns private tmpfs, networking inside the sandbox's own network
//! namespace. The container's cgroups are the only thing outside the sandbox: runc creates
//! them below a parent named for this run, removed at the end.

use crate::common::*;

use serde_json::Value;

crate::tests![podman_container_is_named_and_entered,];

const SCRIPT: &str = r#"
command -v podman >/dev/null && command -v runc >/dev/null || { echo "NO PODMAN"; exit 3; }
BB=$(command -v busybox) && ldd "$BB" 2>&1 | grep -q 'not a dynamic' || { echo "NO PODMAN"; exit 3; }
T=rnetns-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
PM=/tmp/pm; mkdir -p $PM/root $PM/run $PM/tmp $PM/rootfs/bin $PM/rootfs/proc $PM/rootfs/sys $PM/rootfs/dev $PM/rootfs/etc $PM/rootfs/tmp
cp "$BB" $PM/rootfs/bin/busybox; for c in sh sleep; do ln -s busybox $PM/rootfs/bin/$c; done
P="podman --root $PM/root --runroot $PM/run --tmpdir $PM/tmp --runtime runc --cgroup-manager cgroupfs --events-backend file"
export RNETNS_STORAGE_ROOT=$PM/root RNETNS_STORAGE_RUNROOT=$PM/run RNETNS_DOCKER_ROOT= RNETNS_CONTAINERD_STATE=
cleanup() {
  $P rm -f -t 0 web1 >/dev/null 2>&1
  for d in /sys/fs/cgroup/$T /sys/fs/cgroup/*/$T; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; done
  true
}
trap cleanup EXIT
$P run -d --name web1 --cgroup-parent /$T --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
  --rootfs $PM/rootfs /bin/sleep 1000 >/tmp/run.out 2>&1 || { echo "PODMAN RUN FAILED"; cat /tmp/run.out; exit 5; }
ID=$($P inspect -f '{{.Id}}' web1); CP=$($P inspect -f '{{.State.Pid}}' web1)
echo "ID=$ID"; echo "CP=$CP"; echo "CNS=$(stat -L -c %i /proc/$CP/ns/net)"
grep -q "libpod-$ID" /proc/$CP/cgroup; echo "CGROUP=$?"
$R -j discover > /tmp/discover.json; echo "DISCOVER_RC=$?"
$R discover > /tmp/discover.txt
t $R exec container:web1 stat -L -c %i /proc/self/ns/net
t $R exec container:web1 ip -o link show eth0
t $R inspect container:web1
t $R pids container:web1
$P rm -f -t 0 web1 >/dev/null 2>&1; echo "REMOVED=$?"
t $R exec container:web1 true
echo "@@ json"; cat /tmp/discover.json
echo "@@ text"; cat /tmp/discover.txt
"#;

/// The record of `t NETNS CMD` (tests/common's transcript type): status, stdout, stderr.
fn record<'a>(out: &'a str, cmd: &str) -> (i32, &'a str, &'a str) {
    let r = crate::common::record(out, &format!("NETNS {cmd}"));
    (r.rc, r.out, r.err)
}

fn podman_container_is_named_and_entered() {
    require_root();
    let out = sandbox(SCRIPT);
    let o = &out.stdout;
    if o.lines().any(|l| l == "NO PODMAN") {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have podman, runc and busybox-static (.ci/run installs them)"
        );
        eprintln!("SKIPPED: podman, runc or a static busybox missing");
        return;
    }
    assert!(!o.lines().any(|l| l == "PODMAN RUN FAILED"), "{o}\n{}", out.stderr);
    let (id, cns) = (var(o, "ID"), var(o, "CNS"));
    assert_eq!(id.len(), 64, "{o}");
    assert_eq!(var(o, "CGROUP"), "0", "runc put the container in libpod-ID: {o}");
    assert_eq!(var(o, "DISCOVER_RC"), "0");

    let json = &o[o.find("\n@@ json\n").unwrap() + 9..o.find("\n@@ text\n").unwrap()];
    let list: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let ns = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["inode"].as_u64().map(|n| n.to_string()).as_deref() == Some(cns))
        .unwrap_or_else(|| panic!("the container's namespace {cns} not discovered: {list:#}"));
    let owners = ns["owners"].as_array().unwrap();
    assert_eq!(owners.len(), 1, "{ns:#}");
    assert_eq!(owners[0]["runtime"], "podman");
    assert_eq!(owners[0]["id"], id);
    assert_eq!(owners[0]["name"], "web1");
    assert_eq!(
        owners[0]["pids"],
        serde_json::json!([var(o, "CP").parse::<u64>().unwrap()])
    );
    assert!(
        ns["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap_or("").starts_with("netns-")),
        "podman's /run/netns/netns-UUID: {ns:#}"
    );
    let text = &o[o.find("\n@@ text\n").unwrap() + 9..];
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("net:[{cns}]")) && l.contains(" podman:web1 ")),
        "{text}"
    );

    let st = "stat -L -c %i /proc/self/ns/net";
    assert_eq!(
        record(o, &format!("exec container:web1 {st}")),
        (0, &*format!("{cns}\n"), "")
    );
    let (rc, link, err) = record(o, "exec container:web1 NETNS -o link show eth0");
    assert_eq!(rc, 0, "{err}");
    assert!(link.contains(": eth0@"), "{link}");
    let (rc, report, err) = record(o, "inspect container:web1");
    assert_eq!(rc, 0, "{err}");
    assert!(report.contains("eth0"), "{report}");
    assert_eq!(
        record(o, "pids container:web1"),
        (0, &*format!("{}\n", var(o, "CP")), "")
    );
    assert_eq!(var(o, "REMOVED"), "0");
    assert_eq!(
        record(o, "exec container:web1 true"),
        (255, "", "Cannot find container \"web1\"\n"),
        "gone after podman rm"
    );
}
