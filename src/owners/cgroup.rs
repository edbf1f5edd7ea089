//! What a process's cgroup path (`/proc/PID/cgroup`) says about its owner: the container
//! id and runtime that the runtimes' naming conventions encode, the Kubernetes pod uid, or
//! the systemd unit.
//!
//! Conventions recognised (the id is always 64 lowercase hex digits):
//! `docker-ID.scope` and `/docker/ID` (Docker, systemd or cgroupfs driver),
//! `libpod-ID.scope`, `libpod-ID` and `libpod-payload-ID` (podman; the last with
//! `--cgroups=split`, as quadlet units run it), `cri-containerd-ID.scope` (containerd's CRI
//! plugin), `crio-ID.scope` and `crio-ID` (CRI-O), and a bare `ID` below a Kubernetes pod's
//! cgroup (cgroupfs driver); `kubepods…-podUID.slice` (systemd driver, `_` for `-`) and
//! `kubepods/…/podUID` (cgroupfs) give the pod. The monitors (`libpod-conmon-ID`,
//! `crio-conmon-ID`) are not the container. The deepest match wins (a container nested in
//! another is the inner one). Outside containers, the systemd unit (`*.service`, `*.scope`)
//! of the unified path, else of name=systemd, else of any other hierarchy; else the first
//! path that is not the root.

use super::Runtime;

/// What one process's cgroup file says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hint {
    /// The container: runtime (None when the convention does not say) and id.
    pub container: Option<(Option<Runtime>, String)>,
    /// The Kubernetes pod uid, dashed.
    pub pod_uid: Option<String>,
    /// The systemd unit (`*.service`, `*.scope`) of the unified (or name=systemd) path.
    pub unit: Option<String>,
    /// That path, when it is not the root and names no unit.
    pub path: Option<String>,
}

/// A container id: 64 lowercase hex digits.
pub fn is_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

fn container_of(comp: &str, parent: &str) -> Option<(Option<Runtime>, String)> {
    let base = comp.strip_suffix(".scope").unwrap_or(comp);
    for (prefix, rt) in [
        ("docker-", Runtime::Docker),
        ("libpod-payload-", Runtime::Podman),
        ("libpod-", Runtime::Podman),
        ("cri-containerd-", Runtime::Containerd),
        ("crio-", Runtime::CriO),
    ] {
        if let Some(id) = base.strip_prefix(prefix) {
            return is_id(id).then(|| (Some(rt), id.to_string()));
        }
    }
    if is_id(comp) {
        let rt = (parent == "docker").then_some(Runtime::Docker);
        if rt.is_some() || pod_of(parent).is_some() {
            return Some((rt, comp.to_string()));
        }
    }
    None
}

fn pod_of(comp: &str) -> Option<String> {
    let uid = if let Some(rest) = comp.strip_suffix(".slice") {
        // kubepods-burstable-pod<uid>.slice, kubepods-pod<uid>.slice
        if !rest.starts_with("kubepods") {
            return None;
        }
        rest.rsplit_once("-pod")?.1.replace('_', "-")
    } else {
        comp.strip_prefix("pod")?.to_string()
    };
    let ok = uid.len() == 36 && uid.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-');
    ok.then_some(uid)
}

/// Parse the text of `/proc/PID/cgroup` (`ID:CONTROLLERS:PATH` lines, cgroup v1, v2 or
/// hybrid).
pub fn parse(text: &[u8]) -> Hint {
    let mut hint = Hint::default();
    let mut unified: Option<&str> = None;
    let mut systemd: Option<&str> = None;
    let mut others: Vec<&str> = Vec::new();
    let mut depth_seen = 0;
    for line in text.split(|&c| c == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(ctrl), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if ctrl.is_empty() {
            unified = Some(path);
        } else if ctrl == "name=systemd" {
            systemd = Some(path);
        } else {
            others.push(path);
        }
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        for (i, c) in comps.iter().enumerate() {
            let parent = if i > 0 { comps[i - 1] } else { "" };
            if let Some(found) = container_of(c, parent)
                && i + 1 >= depth_seen
            {
                depth_seen = i + 1;
                hint.container = Some(found);
            }
            if let Some(uid) = pod_of(c) {
                hint.pod_uid = Some(uid);
            }
        }
    }
    // The unit: from the unified path first, then name=systemd, then any other hierarchy;
    // without a unit anywhere, the first path that is not the root.
    let paths: Vec<&str> = unified
        .into_iter()
        .chain(systemd)
        .chain(others)
        .filter(|p| p.starts_with('/') && *p != "/")
        .collect();
    let unit_of = |p: &str| {
        let last = p.rsplit('/').next().unwrap_or("");
        (last.ends_with(".service") || last.ends_with(".scope")).then(|| last.to_string())
    };
    hint.unit = paths.iter().find_map(|p| unit_of(p));
    if hint.unit.is_none() {
        hint.path = paths.first().map(|p| p.to_string());
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "d36ac05d87811d51727833ee52479d8d7033e286d7e038dd23bea885dc2dc86a";
    const UID: &str = "0d2f5d4e-7c0a-4b6e-9f6a-1d2e3f4a5b6c";

    fn c(text: &str) -> Option<(Option<Runtime>, String)> {
        parse(text.as_bytes()).container
    }

    #[test]
    fn runtimes() {
        let id = ID.to_string();
        assert_eq!(
            c(&format!("0::/system.slice/docker-{ID}.scope\n")),
            Some((Some(Runtime::Docker), id.clone()))
        );
        assert_eq!(
            c(&format!("4:memory:/docker/{ID}\n0::/\n")),
            Some((Some(Runtime::Docker), id.clone()))
        );
        assert_eq!(
            c(&format!("0::/libpod_parent/libpod-{ID}\n")),
            Some((Some(Runtime::Podman), id.clone()))
        );
        assert_eq!(
            c(&format!("0::/machine.slice/libpod-{ID}.scope/container\n")),
            Some((Some(Runtime::Podman), id.clone()))
        );
        assert_eq!(c(&format!("0::/machine.slice/libpod-conmon-{ID}.scope\n")), None);
        assert_eq!(
            c(&format!("0::/system.slice/web.service/libpod-payload-{ID}\n")),
            Some((Some(Runtime::Podman), id.clone()))
        );
        assert_eq!(c(&format!("0::/system.slice/crio-conmon-{ID}.scope\n")), None);
        let k = format!(
            "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{}.slice/cri-containerd-{ID}.scope\n",
            UID.replace('-', "_")
        );
        let h = parse(k.as_bytes());
        assert_eq!(h.container, Some((Some(Runtime::Containerd), id.clone())));
        assert_eq!(h.pod_uid.as_deref(), Some(UID));
        assert_eq!(h.unit.as_deref(), Some(&format!("cri-containerd-{ID}.scope")[..]));
        let k = format!("11:pids:/kubepods/burstable/pod{UID}/{ID}\n");
        let h = parse(k.as_bytes());
        assert_eq!(h.container, Some((None, id.clone())));
        assert_eq!(h.pod_uid.as_deref(), Some(UID));
        assert_eq!(
            c(&format!(
                "0::/kubepods.slice/kubepods-pod{}.slice/crio-{ID}.scope\n",
                UID.replace('-', "_")
            )),
            Some((Some(Runtime::CriO), id.clone()))
        );
        // Not ids: too short, upper case, a bare id under an unknown parent.
        assert_eq!(c("0::/system.slice/docker-abc.scope\n"), None);
        assert_eq!(
            c(&format!("0::/system.slice/docker-{}.scope\n", ID.to_uppercase())),
            None
        );
        assert_eq!(c(&format!("0::/foo/{ID}\n")), None);
        // Nested: the inner container.
        let inner = "a".repeat(64);
        assert_eq!(
            c(&format!("0::/docker/{ID}/docker/{inner}\n")),
            Some((Some(Runtime::Docker), inner))
        );
    }

    #[test]
    fn units_and_paths() {
        let h = parse(b"1:name=systemd:/system.slice/ssh.service\n0::/system.slice/ssh.service\n");
        assert_eq!(
            (h.container, h.unit.as_deref(), h.path),
            (None, Some("ssh.service"), None)
        );
        let h = parse(b"0::/user.slice/user-0.slice/session-4.scope\n");
        assert_eq!(h.unit.as_deref(), Some("session-4.scope"));
        let h = parse(b"0::/my/group\n");
        assert_eq!((h.unit, h.path.as_deref()), (None, Some("/my/group")));
        let h = parse(b"9:name=systemd:/\n0::/\n");
        assert_eq!(h, Hint::default());
        assert_eq!(parse(b"\xff\xfe:::\n::\ngarbage"), Hint::default());
    }
}
