//! Runtime state on disk, read without any daemon: what each runtime records per container
//! (name, Kubernetes pod, sandbox or not, the container's first process).
//!
//! - Docker: `DOCKER/containers/ID/config.v2.json`: `Name` (`/web1`), `State.Running`,
//!   `State.Pid`, and the dockershim labels in `Config.Labels`.
//! - containers/storage (podman, CRI-O): `GRAPHROOT/overlay-containers/containers.json` (an
//!   array of `{"id", "names"}`), `…/ID/userdata/config.json` (the OCI spec; its annotations
//!   tell podman (`io.container.manager: libpod`) from CRI-O (`io.kubernetes.cri-o.*`) and
//!   carry the pod) and `RUNROOT/overlay-containers/ID/userdata/pidfile`.
//! - containerd: `STATE/io.containerd.runtime.v2.task/NS/ID/config.json` (the OCI bundle,
//!   CRI annotations `io.kubernetes.cri.*`) and `…/init.pid`; namespace `moby` is Docker's.

use std::collections::HashMap;

use super::files::{FILE_CAP, INDEX_CAP, Root, json, str_at};
use super::{Pod, Roots, Runtime};

/// One container as its runtime's files describe it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// The runtime that wrote the record (None: containers/storage without a spec).
    pub runtime: Option<Runtime>,
    /// The container id.
    pub id: String,
    /// The container's name.
    pub name: Option<String>,
    /// The Kubernetes pod.
    pub pod: Option<Pod>,
    /// The pod's sandbox (pause) container.
    pub sandbox: bool,
    /// The container's first process as recorded (only while it is said to run).
    pub pid: Option<u32>,
}

fn pid_of(bytes: &[u8]) -> Option<u32> {
    std::str::from_utf8(bytes).ok()?.trim().parse().ok().filter(|&p| p > 0)
}

fn pod_from(ann: &serde_json::Value, keys: [&str; 3]) -> Option<Pod> {
    let [ns, name, uid] = keys.map(|k| str_at(ann, k).map(str::to_string));
    (ns.is_some() || name.is_some() || uid.is_some()).then_some(Pod {
        namespace: ns,
        name,
        uid,
    })
}

/// Docker's containers.
pub fn docker(roots: &Roots) -> Vec<Record> {
    let Some(root) = roots.docker.as_deref().and_then(Root::open) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in root.subdirs(&[b"containers"]) {
        let Some(v) = root
            .read(&[b"containers", &id], b"config.v2.json", FILE_CAP)
            .and_then(|b| json(&b))
        else {
            continue;
        };
        let Ok(id) = String::from_utf8(id) else { continue };
        let state = v.get("State");
        let running = state.and_then(|s| s.get("Running")).and_then(|r| r.as_bool()) == Some(true);
        let pid = state
            .and_then(|s| s.get("Pid"))
            .and_then(|p| p.as_u64())
            .and_then(|p| u32::try_from(p).ok())
            .filter(|&p| p > 0 && running);
        let labels = v
            .get("Config")
            .and_then(|c| c.get("Labels"))
            .cloned()
            .unwrap_or_default();
        let pod = pod_from(
            &labels,
            [
                "io.kubernetes.pod.namespace",
                "io.kubernetes.pod.name",
                "io.kubernetes.pod.uid",
            ],
        );
        let sandbox = str_at(&labels, "io.kubernetes.docker.type") == Some("podsandbox");
        let name = str_at(&labels, "io.kubernetes.container.name")
            .filter(|_| pod.is_some() && !sandbox)
            .or_else(|| str_at(&v, "Name").map(|n| n.trim_start_matches('/')))
            .filter(|_| !sandbox)
            .map(str::to_string);
        out.push(Record {
            runtime: Some(Runtime::Docker),
            id,
            name,
            pod,
            sandbox,
            pid,
        });
    }
    out
}

/// The records of an OCI spec's annotations (containers/storage or containerd).
fn from_spec(spec: &serde_json::Value, r: &mut Record) {
    let ann = spec.get("annotations").cloned().unwrap_or_default();
    if str_at(&ann, "io.container.manager") == Some("libpod") {
        r.runtime = Some(Runtime::Podman);
    } else if let Some(t) = str_at(&ann, "io.kubernetes.cri-o.ContainerType") {
        r.runtime = Some(Runtime::CriO);
        r.sandbox = t == "sandbox";
        r.pod = pod_from(
            &ann,
            [
                "io.kubernetes.pod.namespace",
                "io.kubernetes.pod.name",
                "io.kubernetes.pod.uid",
            ],
        );
        // A sandbox is shown as the pod's; its storage name (`k8s_POD_…`) says no more.
        r.name = str_at(&ann, "io.kubernetes.container.name")
            .filter(|_| !r.sandbox)
            .map(str::to_string)
            .or(r.name.take().filter(|_| !r.sandbox));
    } else if let Some(t) = str_at(&ann, "io.kubernetes.cri.container-type") {
        r.sandbox = t == "sandbox";
        r.pod = pod_from(
            &ann,
            [
                "io.kubernetes.cri.sandbox-namespace",
                "io.kubernetes.cri.sandbox-name",
                "io.kubernetes.cri.sandbox-uid",
            ],
        );
        if let Some(n) = str_at(&ann, "io.kubernetes.cri.container-name").filter(|_| !r.sandbox) {
            r.name = Some(n.to_string());
        }
    }
}

/// containers/storage's containers (podman, CRI-O) of every (graphroot, runroot) pair.
pub fn storage(roots: &Roots) -> Vec<Record> {
    let mut out = Vec::new();
    for (graph, run) in &roots.storage {
        let graph = Root::open(graph);
        let run = Root::open(run);
        let mut names: HashMap<String, String> = HashMap::new();
        let index = graph
            .as_ref()
            .and_then(|g| g.read(&[b"overlay-containers"], b"containers.json", INDEX_CAP))
            .and_then(|b| json(&b));
        for c in index.as_ref().and_then(|v| v.as_array()).into_iter().flatten() {
            let name = c.get("names").and_then(|n| n.get(0)).and_then(|n| n.as_str());
            if let (Some(id), Some(name)) = (str_at(c, "id"), name) {
                names.insert(id.to_string(), name.to_string());
            }
        }
        let mut ids: Vec<Vec<u8>> = Vec::new();
        for r in [&graph, &run].into_iter().flatten() {
            for id in r.subdirs(&[b"overlay-containers"]) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        for id in ids {
            let Ok(sid) = String::from_utf8(id.clone()) else {
                continue;
            };
            let dirs: [&[u8]; 3] = [b"overlay-containers", &id, b"userdata"];
            let mut r = Record {
                name: names.get(&sid).cloned(),
                id: sid,
                ..Default::default()
            };
            let spec = [&graph, &run]
                .into_iter()
                .flatten()
                .find_map(|root| root.read(&dirs, b"config.json", FILE_CAP).and_then(|b| json(&b)));
            if let Some(spec) = spec {
                from_spec(&spec, &mut r);
            }
            r.pid = [&run, &graph]
                .into_iter()
                .flatten()
                .find_map(|root| root.read(&dirs, b"pidfile", 64))
                .and_then(|b| pid_of(&b));
            out.push(r);
        }
    }
    out
}

/// containerd's tasks (v2 shims and the old v1 linux runtime), every containerd namespace.
pub fn containerd(roots: &Roots) -> Vec<Record> {
    let Some(root) = roots.containerd.as_deref().and_then(Root::open) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in [&b"io.containerd.runtime.v2.task"[..], b"io.containerd.runtime.v1.linux"] {
        for ns in root.subdirs(&[kind]) {
            for id in root.subdirs(&[kind, &ns]) {
                let Ok(sid) = String::from_utf8(id.clone()) else {
                    continue;
                };
                let dirs: [&[u8]; 3] = [kind, &ns, &id];
                let mut r = Record {
                    runtime: Some(if ns == b"moby" {
                        Runtime::Docker
                    } else {
                        Runtime::Containerd
                    }),
                    id: sid,
                    ..Default::default()
                };
                if let Some(spec) = root.read(&dirs, b"config.json", FILE_CAP).and_then(|b| json(&b)) {
                    from_spec(&spec, &mut r);
                }
                r.pid = root.read(&dirs, b"init.pid", 64).and_then(|b| pid_of(&b));
                out.push(r);
            }
        }
    }
    out
}

/// Every record by id. Where two runtimes know the same id (Docker's containers are also
/// containerd tasks in namespace `moby`), the later source fills what the earlier left out
/// and its runtime wins: containerd, then containers/storage, then Docker.
pub fn all(roots: &Roots) -> HashMap<String, Record> {
    let mut map: HashMap<String, Record> = HashMap::new();
    for r in containerd(roots).into_iter().chain(storage(roots)).chain(docker(roots)) {
        match map.get_mut(&r.id) {
            None => {
                map.insert(r.id.clone(), r);
            }
            Some(old) => {
                old.runtime = r.runtime.or(old.runtime);
                old.name = r.name.or(old.name.take());
                old.pod = r.pod.or(old.pod.take());
                old.sandbox |= r.sandbox;
                old.pid = r.pid.or(old.pid);
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Docker's containers are also containerd tasks in namespace `moby`: one record, with
    /// Docker's name; dockershim labels give the pod.
    #[test]
    fn sources_merge_by_id() {
        let root = std::env::temp_dir().join(format!("rnetns-owners-state-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let w = |p: &str, text: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            &format!("docker/containers/{a}/config.v2.json"),
            r#"{"Name":"/web","State":{"Running":true,"Pid":42}}"#,
        );
        w(
            &format!("docker/containers/{b}/config.v2.json"),
            r#"{"Name":"/k8s_POD_x","State":{"Running":false,"Pid":43},"Config":{"Labels":{
               "io.kubernetes.docker.type":"podsandbox","io.kubernetes.pod.name":"x",
               "io.kubernetes.pod.namespace":"ns","io.kubernetes.pod.uid":"u"}}}"#,
        );
        w(
            &format!("containerd/io.containerd.runtime.v2.task/moby/{a}/config.json"),
            "{}",
        );
        w(
            &format!("containerd/io.containerd.runtime.v2.task/moby/{a}/init.pid"),
            "42\n",
        );
        w("containerd/io.containerd.runtime.v2.task/default/my-ctr/init.pid", "77");
        w(
            "containerd/io.containerd.runtime.v2.task/default/bad-pid/init.pid",
            "-1",
        );
        let roots = Roots {
            proc: "/proc".into(),
            docker: Some(root.join("docker")),
            storage: vec![(root.join("none"), root.join("none"))],
            containerd: Some(root.join("containerd")),
        };
        let all = all(&roots);
        std::fs::remove_dir_all(&root).unwrap();
        let r = &all[&a];
        assert_eq!(
            (r.runtime, r.name.as_deref(), r.pid),
            (Some(Runtime::Docker), Some("web"), Some(42))
        );
        let r = &all[&b];
        assert!(r.sandbox);
        assert_eq!(r.name, None, "a sandbox is shown as its pod's");
        assert_eq!(r.pid, None, "not running: no PID");
        assert_eq!(r.pod.as_ref().and_then(|p| p.name.as_deref()), Some("x"));
        assert_eq!(all["my-ctr"].runtime, Some(Runtime::Containerd));
        assert_eq!(all["my-ctr"].pid, Some(77));
        assert_eq!(all["bad-pid"].pid, None);
        assert_eq!(all.len(), 4);
    }
}
