//! Attribution of namespaces to containers and pods, and the `container:`/`pod:`/`pid:`
//! selectors, on fixture state trees (Docker, containerd/CRI, CRI-O) built here from the
//! runtimes' documented formats, with real namespaces held by real processes placed in
//! matching cgroups. The cgroups live in a private named cgroup-v1 hierarchy
//! (`name=rnetns-test`, no controllers) mounted inside the sandbox, one random subtree per
//! test, removed at the end: the host's cgroup trees are never touched. The end-to-end test
//! with a real podman is in tests/podman.rs.

use crate::common::*;

use serde_json::Value;

crate::tests![
    discover_names_containers_and_pods,
    selectors_resolve_containers_pods_and_pids,
];

pub const WEB: &str = "abcd111111111111111111111111111111111111111111111111111111111111";
pub const TWIN: &str = "abcd222222222222222222222222222222222222222222222222222222222222";
const EXITED: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const TRUNC: &str = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";
const LINK: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
const DEEP: &str = "d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2";
const BIG: &str = "d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3";
const NOCG: &str = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";
const DEAD: &str = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
const REUSED: &str = "f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1";
const SB: &str = "5555555555555555555555555555555555555555555555555555555555555555";
const C1: &str = "6666666666666666666666666666666666666666666666666666666666666666";
const C2: &str = "7777777777777777777777777777777777777777777777777777777777777777";
const UID: &str = "0d2f5d4e-7c0a-4b6e-9f6a-1d2e3f4a5b6c";
const CS: &str = "8888888888888888888888888888888888888888888888888888888888888888";
const CC: &str = "9999999999999999999999999999999999999999999999999999999999999999";
const UID2: &str = "1e3a6b5f-8d1b-4c7f-8a7b-2e3f4a5b6c7d";

/// The fixture: state trees under /tmp/state, processes in cgroups, variables printed as
/// `NAME=VALUE` (pids `P_*`, namespace inodes `NS_*`). `cleanup` runs at exit.
fn fixture() -> String {
    format!(
        r#"
T=rn$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
mkdir /tmp/cg && mount -t cgroup -o none,name=rnetns-test rnetns-cg /tmp/cg || {{ echo "NO CGROUP HIERARCHY"; exit 3; }}
CG=/tmp/cg/$T; mkdir "$CG"
PIDS=""
cleanup() {{ kill $PIDS 2>/dev/null; wait 2>/dev/null; find "$CG" -depth -type d -exec rmdir {{}} + 2>/dev/null; umount /tmp/cg; }}
trap cleanup EXIT
until_true() {{ local i; for i in $(seq 3000); do "$@" && return 0; sleep 0.01; done; echo "TIMEOUT $*"; exit 4; }}
started() {{ [ "$(cat /proc/$1/comm 2>/dev/null)" = sleep ]; }}
# spawn VAR CGROUP CMD...: start CMD (which ends in sleep), wait until it runs sleep, move it
# into CGROUP below the test's subtree (none when empty), set VAR to its pid.
spawn() {{
  local var=$1 cg=$2; shift 2
  "$@" >/dev/null 2>&1 </dev/null &
  local p=$!; PIDS="$PIDS $p"; until_true started $p
  if [ -n "$cg" ]; then mkdir -p "$CG/$cg"; echo $p > "$CG/$cg/cgroup.procs"; fi
  eval "$var=$p"; echo "$var=$p"; echo "NS_${{var#P_}}=$(stat -L -c %i /proc/$p/ns/net)"
}}
C="unshare -n -m sleep 1000"
D=/tmp/state/docker; CTD=/tmp/state/containerd; ST=/tmp/state/storage
export RNETNS_DOCKER_ROOT=$D RNETNS_CONTAINERD_STATE=$CTD RNETNS_STORAGE_ROOT=$ST/graph RNETNS_STORAGE_RUNROOT=$ST/run

# Docker.
spawn P_WEB system.slice/docker-{WEB}.scope $C
spawn P_TWIN docker/{TWIN} $C
spawn P_TRUNC system.slice/docker-{TRUNC}.scope $C
spawn P_LINK system.slice/docker-{LINK}.scope $C
spawn P_DEEP system.slice/docker-{DEEP}.scope $C
spawn P_BIG system.slice/docker-{BIG}.scope $C
spawn P_NOCG "" $C
spawn P_UNIT system.slice/rnetns-fixture.service unshare -n sleep 1000
spawn P_HOSTNET system.slice/docker-{EXITED}.scope sleep 1000
dock() {{ mkdir -p $D/containers/$1; printf '%s' "$2" > $D/containers/$1/config.v2.json; }}
dock {WEB} '{{"ID":"{WEB}","Name":"/web1","State":{{"Running":true,"Pid":'$P_WEB'}},"NetworkSettings":{{"SandboxKey":"/var/run/docker/netns/0123456789ab"}}}}'
dock {TWIN} '{{"ID":"{TWIN}","Name":"/twin","State":{{"Running":true,"Pid":'$P_TWIN'}}}}'
dock {EXITED} '{{"ID":"{EXITED}","Name":"/gone","State":{{"Running":false,"Pid":0}}}}'
dock {TRUNC} '{{"ID":"{TRUNC}","Name":"/trunc","State":{{"Runn'
mkdir -p $D/containers/{LINK}; echo '{{"Name":"/secret-read"}}' > /tmp/outside.json; ln -s /tmp/outside.json $D/containers/{LINK}/config.v2.json
dock {DEEP} "$(printf '[%.0s' $(seq 5000))"
mkdir -p $D/containers/{BIG}; {{ printf '{{"Name":"/big","Pad":"'; head -c 5000000 /dev/zero | tr '\0' x; printf '"}}'; }} > $D/containers/{BIG}/config.v2.json
dock {NOCG} '{{"ID":"{NOCG}","Name":"/nocgroup","State":{{"Running":true,"Pid":'$P_NOCG'}}}}'
dock {REUSED} '{{"ID":"{REUSED}","Name":"/reused","State":{{"Running":true,"Pid":'$$'}}}}'
mkdir -p $D/containers/not-an-id $D/containers/{TWIN}x; ln -s /etc $D/containers/{LINK}x

# containerd (CRI): a pod with its sandbox and two containers, the second without a cgroup.
POD=kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${{UID_:-}}$(echo {UID} | tr - _).slice
spawn P_SB $POD/cri-containerd-{SB}.scope $C
spawn P_C1 $POD/cri-containerd-{C1}.scope nsenter -t $P_SB -n unshare -m sleep 1000
spawn P_C2 "" nsenter -t $P_SB -n unshare -m sleep 1000
touch /run/netns/cni-4d1c; mount --bind /proc/$P_SB/ns/net /run/netns/cni-4d1c
task() {{ local dir=$CTD/io.containerd.runtime.v2.task/k8s.io/$1; mkdir -p $dir
  printf '{{"ociVersion":"1.0.2","linux":{{"namespaces":[{{"type":"network","path":"/run/netns/cni-4d1c"}}]}},"annotations":{{%s}}}}' "$2" > $dir/config.json
  [ -n "${{3:-}}" ] && echo $3 > $dir/init.pid; true; }}
K='"io.kubernetes.cri.sandbox-id":"{SB}","io.kubernetes.cri.sandbox-name":"web-0","io.kubernetes.cri.sandbox-namespace":"default","io.kubernetes.cri.sandbox-uid":"{UID}"'
task {SB} '"io.kubernetes.cri.container-type":"sandbox",'"$K" $P_SB
task {C1} '"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"app",'"$K"
task {C2} '"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"sidecar",'"$K" $P_C2

# CRI-O: a pod with its sandbox and one container; conmon in the host's namespace.
POD2=kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo {UID2} | tr - _).slice
spawn P_CS $POD2/crio-{CS}.scope $C
spawn P_CC $POD2/crio-{CC}.scope nsenter -t $P_CS -n unshare -m sleep 1000
spawn P_CONMON $POD2/crio-conmon-{CC}.scope sleep 1000
mkdir -p $ST/graph/overlay-containers $ST/run/overlay-containers
echo '[{{"id":"{CS}","names":["k8s_POD_db-0_prod_{UID2}_0"]}},{{"id":"{CC}","names":["k8s_postgres_db-0_prod_{UID2}_0"]}}]' > $ST/graph/overlay-containers/containers.json
crio() {{ mkdir -p $ST/graph/overlay-containers/$1/userdata $ST/run/overlay-containers/$1/userdata
  printf '{{"annotations":{{"io.kubernetes.cri-o.ContainerType":"%s","io.kubernetes.pod.name":"db-0","io.kubernetes.pod.namespace":"prod","io.kubernetes.pod.uid":"{UID2}","io.kubernetes.container.name":"%s"}}}}' $2 $3 > $ST/graph/overlay-containers/$1/userdata/config.json
  echo $4 > $ST/run/overlay-containers/$1/userdata/pidfile; }}
crio {CS} sandbox POD $P_CS
crio {CC} container postgres $P_CC
# A container whose process has exited (its state still says it runs).
unshare -n -m sleep 1000 & X=$!; until_true started $X; kill $X; wait $X 2>/dev/null
dock {DEAD} '{{"ID":"{DEAD}","Name":"/dead","State":{{"Running":true,"Pid":'$X'}}}}'
task {DEAD} '"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"dead",'"$K" $X
echo "SELF=$(stat -L -c %i /proc/self/ns/net)"
"#
    )
}

/// The fixture was built (its failure markers are whole lines).
fn ready(o: &str) -> bool {
    !o.lines()
        .any(|l| l == "NO CGROUP HIERARCHY" || l.starts_with("TIMEOUT "))
}

/// A section of the output: `@@ NAME` on a line of its own starts one. (Raw newlines never
/// occur inside discover's JSON strings or its table cells, so the script's own text, which
/// shows up as pid 1's command line, cannot fake a marker.)
fn section(out: &str, name: &str) -> String {
    let all = format!("\n{out}");
    let head = format!("\n@@ {name}\n");
    let start = all
        .find(&head)
        .unwrap_or_else(|| panic!("no section {name} in:\n{out}"))
        + head.len();
    let body = &all[start..];
    body[..body.find("\n@@ ").map_or(body.len(), |i| i + 1)].to_string()
}

fn owners_of(list: &Value, ino: u64) -> &Vec<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .find(|o| o["inode"] == ino)
        .unwrap_or_else(|| panic!("inode {ino} not discovered: {list:#}"))["owners"]
        .as_array()
        .unwrap()
}

#[track_caller]
fn one(list: &Value, o: &str, ns: &str) -> Value {
    let owners = owners_of(list, var_num(o, ns));
    assert_eq!(owners.len(), 1, "{ns}: {owners:#?}");
    owners[0].clone()
}

fn discover_names_containers_and_pods() {
    require_root();
    let out = sandbox(&format!(
        "{}\necho '@@ json'; $R -j discover; echo '@@ text'; $R discover; echo '@@ end'",
        fixture()
    ));
    let o = &out.stdout;
    assert!(ready(o), "{o}\n{}", out.stderr);
    let list: Value = serde_json::from_str(&section(o, "json")).unwrap_or_else(|e| panic!("{e}: {o}\n{}", out.stderr));
    let pid = |k: &str| Value::from(var_num(o, k));

    let web = one(&list, o, "NS_WEB");
    assert_eq!(
        web,
        serde_json::json!({"runtime": "docker", "id": WEB, "name": "web1", "pod": null, "sandbox": false,
            "pids": [pid("P_WEB")]})
    );
    assert_eq!(one(&list, o, "NS_TWIN")["name"], "twin", "cgroupfs /docker/ID");
    // Bad state files cost only the name.
    for (ns, id) in [
        ("NS_TRUNC", TRUNC),
        ("NS_LINK", LINK),
        ("NS_DEEP", DEEP),
        ("NS_BIG", BIG),
    ] {
        let w = one(&list, o, ns);
        assert_eq!(
            (&w["runtime"], &w["id"], &w["name"]),
            (&Value::from("docker"), &Value::from(id), &Value::Null),
            "{ns}"
        );
    }
    // No cgroup: the recorded State.Pid of a running container, in its own mount namespace.
    assert_eq!(one(&list, o, "NS_NOCG")["name"], "nocgroup");
    // A process in a unit, in its own network namespace.
    assert_eq!(
        one(&list, o, "NS_UNIT"),
        serde_json::json!({"runtime": "systemd", "id": null, "name": "rnetns-fixture.service", "pod": null,
            "sandbox": false, "pids": [pid("P_UNIT")]})
    );
    // The host's namespace: only the host-network container (its state says it exited, its
    // cgroup says it runs: the cgroup wins), not the conmon, not the reused PID, no units.
    let host = owners_of(&list, var_num(o, "SELF"));
    assert_eq!(host.len(), 1, "{host:#?}");
    assert_eq!(
        (&host[0]["id"], &host[0]["name"]),
        (&Value::from(EXITED), &Value::from("gone"))
    );
    let every: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["owners"].as_array().unwrap())
        .collect();
    for w in &every {
        assert_ne!(w["id"], REUSED, "a reused PID (the host's shell) is no container");
        assert_ne!(w["id"], DEAD, "a container whose process has exited");
        for bad in ["secret-read", "big", "trunc", "reused"] {
            assert_ne!(w["name"], bad, "{w}");
        }
        assert!(!w["name"].as_str().unwrap_or("").contains("conmon"), "{w}");
    }

    // The pod: sandbox first, then the containers by name; all in the sandbox's namespace.
    let pod = owners_of(&list, var_num(o, "NS_SB"));
    let want_pod = serde_json::json!({"namespace": "default", "name": "web-0", "uid": UID});
    let got: Vec<_> = pod
        .iter()
        .map(|w| (w["id"].as_str().unwrap(), w["name"].clone(), w["sandbox"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (SB, Value::Null, Value::Bool(true)),
            (C1, "app".into(), false.into()),
            (C2, "sidecar".into(), false.into())
        ],
        "{pod:#?}"
    );
    for w in pod {
        assert_eq!(w["runtime"], "containerd");
        assert_eq!(w["pod"], want_pod);
    }
    assert_eq!(
        pod[2]["pids"],
        serde_json::json!([pid("P_C2")]),
        "init.pid without a cgroup"
    );

    let crio = owners_of(&list, var_num(o, "NS_CS"));
    let got: Vec<_> = crio
        .iter()
        .map(|w| (w["runtime"].clone(), w["name"].clone(), w["sandbox"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("cri-o".into(), Value::Null, true.into()),
            ("cri-o".into(), "postgres".into(), false.into())
        ]
    );
    assert_eq!(
        crio[0]["pod"],
        serde_json::json!({"namespace": "prod", "name": "db-0", "uid": UID2})
    );

    let text = section(o, "text");
    let text = text.as_str();
    let row = |ns: &str| {
        let ino = var_num(o, ns);
        text.lines()
            .find(|l| l.starts_with(&format!("net:[{ino}]")))
            .unwrap_or_else(|| panic!("no row {ino}:\n{text}"))
            .to_string()
    };
    assert!(row("NS_WEB").contains(" docker:web1 "), "{text}");
    assert!(row("NS_WEB").ends_with(" sleep 1000"), "the command line: {text}");
    assert!(
        row("NS_SB").contains(
            " containerd:default/web-0 (sandbox), containerd:default/web-0/app, containerd:default/web-0/sidecar "
        ),
        "{text}"
    );
    assert!(row("NS_SB").contains(" cni-4d1c "), "{text}");
    assert!(row("NS_TRUNC").contains(" docker:c0c0c0c0c0c0 "), "{text}");
}

/// The selectors resolve through the same attribution; a run-dir entry of the same name
/// wins; ambiguous and unknown ones fail with ip's status for a namespace that cannot be
/// opened.
fn selectors_resolve_containers_pods_and_pids() {
    require_root();
    let out = sandbox(&format!(
        "{}\n{}",
        fixture(),
        r#"
me() { echo "$(stat -L -c %i /proc/self/ns/net)"; }
t $R exec container:web1 stat -L -c %i /proc/self/ns/net
t $R exec container:abcd1 stat -L -c %i /proc/self/ns/net
t $R exec pod:default/web-0 stat -L -c %i /proc/self/ns/net
t $R exec pod:db-0 stat -L -c %i /proc/self/ns/net
t $R exec pid:$P_TWIN stat -L -c %i /proc/self/ns/net
t $R exec container:abcd true
t $R exec container:nope true
t $R exec pod:prod/nope true
t $R exec container:dead true
t $R pids container:nocgroup
t $R exists container:web1
t $R exists container:nope
t $R inspect container:web1
t $R set container:web1 7
t $R -j discover
t $R attach webns container:web1
echo "WEBNS=$(stat -L -c %i /run/netns/webns)"
$R add container:web1
t $R exec container:web1 sh -c 'stat -L -c %i /proc/self/ns/net'
"#
    ));
    let o = &out.stdout;
    assert!(ready(o), "{o}\n{}", out.stderr);
    let rec = |cmd: &str| -> (i32, String, String) {
        let r = record(o, &format!("NETNS {cmd}"));
        (r.rc, r.out.to_string(), r.err.to_string())
    };
    let ns = |k: &str| format!("{}\n", var_num(o, k));
    let st = "stat -L -c %i /proc/self/ns/net";
    assert_eq!(
        rec(&format!("exec container:web1 {st}")),
        (0, ns("NS_WEB"), String::new())
    );
    assert_eq!(rec(&format!("exec container:abcd1 {st}")).1, ns("NS_WEB"));
    assert_eq!(rec(&format!("exec pod:default/web-0 {st}")).1, ns("NS_SB"));
    assert_eq!(rec(&format!("exec pod:db-0 {st}")).1, ns("NS_CS"));
    let twin = var_num(o, "P_TWIN");
    assert_eq!(rec(&format!("exec pid:{twin} {st}")).1, ns("NS_TWIN"));
    let (rc, _, err) = rec("exec container:abcd true");
    assert_eq!(rc, 255, "{err}");
    assert!(
        err.contains("ambiguous")
            && err.contains("docker abcd11111111 web1")
            && err.contains("docker abcd22222222 twin"),
        "{err}"
    );
    assert_eq!(
        rec("exec container:nope true"),
        (255, String::new(), "Cannot find container \"nope\"\n".into())
    );
    assert_eq!(
        rec("exec pod:prod/nope true"),
        (255, String::new(), "Cannot find pod \"prod/nope\"\n".into())
    );
    assert_eq!(
        rec("pids container:nocgroup"),
        (0, format!("{}\n", var_num(o, "P_NOCG")), String::new())
    );
    assert_eq!(rec("exists container:web1").0, 0);
    assert_eq!(rec("exists container:nope"), (1, String::new(), String::new()));
    let (rc, text, err) = rec("inspect container:web1");
    assert_eq!(rc, 0, "{err}");
    assert!(text.contains("lo"), "{text}");
    assert_eq!(rec("set container:web1 7").0, 0);
    let list: Value = serde_json::from_str(&rec("-j discover").1).unwrap();
    let web = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["inode"] == var_num(o, "NS_WEB"))
        .unwrap();
    assert_eq!(web["nsid"], 7, "{web}");
    assert_eq!(rec("attach webns container:web1").0, 0);
    assert_eq!(var_num(o, "WEBNS"), var_num(o, "NS_WEB"));
    // A run-dir entry of that exact name is ip's NAME, as before.
    let (rc, got, _) = rec(&format!("exec container:web1 sh -c {st}"));
    assert_eq!(rc, 0);
    assert_ne!(got, ns("NS_WEB"), "the entry wins: {o}");
}
