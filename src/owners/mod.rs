//! Who uses a network namespace: the containers and Kubernetes pods (Docker, podman,
//! containerd, CRI-O), else the systemd unit or cgroup, of the processes in it.
//!
//! Only files are read, never a daemon's API, so this works with every daemon down and adds
//! no client: each process's `/proc/PID/cgroup` (see [`cgroup`]) and the runtimes' state on
//! disk (see [`state`]). A container is attributed to a namespace when
//! 1. a process in the namespace has a cgroup that names the container's id, or
//! 2. the container's recorded first process (Docker's `State.Pid` while `State.Running`,
//!    containers/storage's `pidfile`, containerd's `init.pid`) is alive in the namespace,
//!    in a mount namespace of its own (a container always has one; a reused PID of a host
//!    process does not), and its cgroup names no other container.
//!
//! A missing, unreadable, oversized or malformed state file costs only what it would have
//! told (a name, a pod); symlinks below a state root are never followed (see [`files`]).
//! Every root is injectable ([`Roots`], [`Roots::from_env`]) so tests run on fixture trees.
//! Reading needs root for other users' processes and for the state directories.

pub mod cgroup;
pub mod files;
pub mod select;
pub mod state;

use std::collections::HashMap;
use std::ffi::CStr;
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::PathBuf;

use nix::fcntl::{OFlag, open, openat};
use nix::sys::stat::Mode;

pub use crate::model::{Owner, Pod, Runtime};
use crate::netns::discover::{Discovered, net_ino};

impl Runtime {
    /// The word shown in text and JSON: `docker`, `podman`, `containerd`, `cri-o`,
    /// `container`, `systemd`, `cgroup`.
    pub fn word(self) -> &'static str {
        match self {
            Runtime::Docker => "docker",
            Runtime::Podman => "podman",
            Runtime::Containerd => "containerd",
            Runtime::CriO => "cri-o",
            Runtime::Container => "container",
            Runtime::Systemd => "systemd",
            Runtime::Cgroup => "cgroup",
        }
    }
}

/// Where the state is read. `None` (or an empty list) skips a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    /// The proc file system (`/proc`).
    pub proc: PathBuf,
    /// Docker's data root (`/var/lib/docker`).
    pub docker: Option<PathBuf>,
    /// containers/storage (graphroot, runroot) pairs (`/var/lib/containers/storage`,
    /// `/run/containers/storage`: rootful podman and CRI-O).
    pub storage: Vec<(PathBuf, PathBuf)>,
    /// containerd's state directory (`/run/containerd`).
    pub containerd: Option<PathBuf>,
}

impl Default for Roots {
    fn default() -> Self {
        Roots {
            proc: PathBuf::from("/proc"),
            docker: Some(PathBuf::from("/var/lib/docker")),
            storage: vec![(
                PathBuf::from("/var/lib/containers/storage"),
                PathBuf::from("/run/containers/storage"),
            )],
            containerd: Some(PathBuf::from("/run/containerd")),
        }
    }
}

impl Roots {
    /// The defaults, each overridden by its environment variable when set (an empty value
    /// turns the source off): `RNETNS_DOCKER_ROOT`, `RNETNS_STORAGE_ROOT` and
    /// `RNETNS_STORAGE_RUNROOT`, `RNETNS_CONTAINERD_STATE`.
    pub fn from_env() -> Roots {
        let var = |k: &str| std::env::var_os(k).map(PathBuf::from);
        let mut r = Roots::default();
        if let Some(p) = var("RNETNS_DOCKER_ROOT") {
            r.docker = (!p.as_os_str().is_empty()).then_some(p);
        }
        if let Some(p) = var("RNETNS_CONTAINERD_STATE") {
            r.containerd = (!p.as_os_str().is_empty()).then_some(p);
        }
        let (g, run) = (var("RNETNS_STORAGE_ROOT"), var("RNETNS_STORAGE_RUNROOT"));
        if g.is_some() || run.is_some() {
            let (dg, dr) = r.storage[0].clone();
            let (g, run) = (g.unwrap_or(dg), run.unwrap_or(dr));
            r.storage = if g.as_os_str().is_empty() && run.as_os_str().is_empty() {
                Vec::new()
            } else {
                vec![(g, run)]
            };
        }
        r
    }
}

fn read_at(dir: BorrowedFd<'_>, name: &CStr, cap: u64) -> Option<Vec<u8>> {
    let fd = openat(dir, name, OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty()).ok()?;
    let mut out = Vec::new();
    std::fs::File::from(fd).take(cap).read_to_end(&mut out).ok()?;
    Some(out)
}

fn cpath(s: String) -> Option<std::ffi::CString> {
    std::ffi::CString::new(s).ok()
}

/// The cgroup hint of a process.
fn hint_of(proc: BorrowedFd<'_>, pid: u32) -> cgroup::Hint {
    cpath(format!("{pid}/cgroup"))
        .and_then(|p| read_at(proc, &p, 64 << 10))
        .map(|t| cgroup::parse(&t))
        .unwrap_or_default()
}

fn ns_link(proc: BorrowedFd<'_>, pid: u32, kind: &str) -> Option<Vec<u8>> {
    let p = cpath(format!("{pid}/ns/{kind}"))?;
    let mut buf = [0u8; 64];
    crate::sys::readlinkat_into(proc, &p, &mut buf).map(<[u8]>::to_vec)
}

fn container_owner(id: &str, rt: Option<Runtime>, pod_uid: Option<&str>, rec: Option<&state::Record>) -> Owner {
    let mut pod = rec.and_then(|r| r.pod.clone());
    if let Some(uid) = pod_uid {
        let p = pod.get_or_insert_with(Pod::default);
        if p.uid.is_none() {
            p.uid = Some(uid.to_string());
        }
    }
    Owner {
        runtime: rec.and_then(|r| r.runtime).or(rt).unwrap_or(Runtime::Container),
        id: Some(id.to_string()),
        name: rec.and_then(|r| r.name.clone()),
        pod,
        sandbox: rec.is_some_and(|r| r.sandbox),
        pids: Vec::new(),
    }
}

fn add(owners: &mut Vec<Owner>, o: Owner, pid: u32) {
    let same = |x: &Owner| x.runtime == o.runtime && x.id == o.id && (o.id.is_some() || x.name == o.name);
    match owners.iter_mut().find(|x| same(x)) {
        Some(x) => x.pids.push(pid),
        None => {
            let mut o = o;
            o.pids.push(pid);
            // Most namespaces have one owner: room for exactly one at first (a Vec's first
            // growth makes room for four, 3 MB of unused owners at 5000 namespaces).
            owners.reserve_exact(1);
            owners.push(o);
        }
    }
}

/// Fill [`Discovered::owners`] for every namespace of `found` (see the module docs). The
/// caller's own namespace gets containers only (host-network ones), not every unit.
pub fn attribute(found: &mut [Discovered], roots: &Roots) {
    let Ok(proc_fd) = open(
        roots.proc.as_path(),
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    ) else {
        return;
    };
    let proc = proc_fd.as_fd();
    let records = state::all(roots);
    let mut hints: HashMap<u32, cgroup::Hint> = HashMap::new();
    let mut by_ino: HashMap<u64, usize> = HashMap::new();
    for (i, d) in found.iter_mut().enumerate() {
        by_ino.insert(d.ino, i);
        for &pid in &d.pids {
            let h = hint_of(proc, pid);
            if let Some((rt, id)) = &h.container {
                let o = container_owner(id, *rt, h.pod_uid.as_deref(), records.get(id));
                add(&mut d.owners, o, pid);
            } else if !d.current {
                let (runtime, name) = match (&h.unit, &h.path) {
                    (Some(u), _) => (Runtime::Systemd, u.clone()),
                    (None, Some(p)) => (Runtime::Cgroup, p.clone()),
                    (None, None) => {
                        hints.insert(pid, h);
                        continue;
                    }
                };
                let o = Owner {
                    runtime,
                    id: None,
                    name: Some(name),
                    pod: None,
                    sandbox: false,
                    pids: Vec::new(),
                };
                add(&mut d.owners, o, pid);
            }
            hints.insert(pid, h);
        }
    }
    let my_mnt = {
        let mut buf = [0u8; 64];
        crate::sys::readlinkat_into(proc, c"self/ns/mnt", &mut buf).map(<[u8]>::to_vec)
    };
    let mut ids: Vec<&String> = records.keys().collect();
    ids.sort();
    for id in ids {
        let rec = &records[id];
        let Some(pid) = rec.pid else { continue };
        let h = hints.remove(&pid).unwrap_or_else(|| hint_of(proc, pid));
        let named = h.container.as_ref().map(|(_, c)| c.clone());
        hints.insert(pid, h);
        if named.is_some() {
            continue; // rule 1 has it, or the PID is another container's
        }
        let mnt = ns_link(proc, pid, "mnt");
        if mnt.is_none() || mnt == my_mnt {
            continue;
        }
        let Some(&i) = ns_link(proc, pid, "net")
            .and_then(|l| net_ino(&l))
            .and_then(|ino| by_ino.get(&ino))
        else {
            continue;
        };
        let owners = &mut found[i].owners;
        // The process is this container's, not its cgroup's or unit's.
        for x in owners.iter_mut().filter(|x| x.id.is_none()) {
            x.pids.retain(|&p| p != pid);
        }
        owners.retain(|x| x.id.is_some() || !x.pids.is_empty());
        add(owners, container_owner(id, None, None, Some(rec)), pid);
    }
    for d in found.iter_mut() {
        for o in &mut d.owners {
            o.pids.sort_unstable();
            o.pids.dedup();
        }
        // By runtime, then pod (namespace and name: a member may lack the uid its sandbox
        // has), the sandbox first, then name and id.
        d.owners.sort_by_cached_key(|o| {
            let pod = o.pod.as_ref().map(|p| (p.namespace.clone(), p.name.clone()));
            (o.runtime, pod, !o.sandbox, o.name.clone(), o.id.clone())
        });
    }
}
