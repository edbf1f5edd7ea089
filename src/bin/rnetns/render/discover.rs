//! Renderers of `rnetns discover` (an `lsns`-style table, or JSON) and `rnetns prune`.

use std::os::unix::ffi::OsStrExt;

use super::json::Json;
use rnetns::netns::discover::Discovered;
use rnetns::netns::stale::Pruned;
use rnetns::owners::Owner;

/// Control bytes as `\xNN` (as lsns shows them), everything else raw.
fn safe(out: &mut Vec<u8>, s: &[u8]) {
    for &c in s {
        if c < 0x20 || c == 0x7f {
            out.extend_from_slice(format!("\\x{c:02x}").as_bytes());
        } else {
            out.push(c);
        }
    }
}

/// The WHERE cell: names, other mount points, `(current)`; for a namespace no process is
/// in, the threads and descriptors that hold it.
fn where_cell(d: &Discovered) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    parts.extend(d.names.iter().map(|n| n.as_bytes().to_vec()));
    parts.extend(d.mounts.iter().map(|m| m.as_bytes().to_vec()));
    if d.current {
        parts.push(b"(current)".to_vec());
    }
    if d.pids.is_empty() {
        parts.extend(d.tids.iter().map(|t| format!("(thread {t})").into_bytes()));
        parts.extend(d.fds.iter().map(|f| format!("(fd {}/{})", f.pid, f.fd).into_bytes()));
    }
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        safe(&mut out, p);
    }
    out
}

/// One owner in the OWNERS cell: `RUNTIME:NAME` (the short id when the name is unknown),
/// `RUNTIME:NAMESPACE/POD/CONTAINER` for a pod's container, `RUNTIME:NAMESPACE/POD (sandbox)`
/// for its sandbox, `systemd:UNIT`, `cgroup:PATH`.
pub fn owner_label(o: &Owner) -> String {
    let name = o
        .name
        .clone()
        .or_else(|| o.id.as_ref().map(|id| id[..id.len().min(12)].to_string()))
        .unwrap_or_else(|| "?".into());
    let mut s = format!("{}:", o.runtime.word());
    match &o.pod {
        Some(p) if p.name.is_some() || p.namespace.is_some() => {
            s.push_str(p.namespace.as_deref().unwrap_or("?"));
            s.push('/');
            s.push_str(p.name.as_deref().unwrap_or("?"));
            if o.sandbox {
                s.push_str(" (sandbox)");
            } else {
                s.push('/');
                s.push_str(&name);
            }
        }
        _ => {
            s.push_str(&name);
            if o.sandbox {
                s.push_str(" (sandbox)");
            }
        }
    }
    s
}

fn owners_cell(d: &Discovered) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, o) in d.owners.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        safe(&mut out, owner_label(o).as_bytes());
    }
    if out.is_empty() {
        out.push(b'-');
    }
    out
}

/// `discover` as a table: NS, NSID, NPROCS, PID, OWNERS, WHERE, COMMAND (the command line,
/// last as in `lsns`); numbers right-aligned, text left-aligned, one space between columns,
/// the last column unpadded.
pub fn text(found: &[Discovered]) -> Vec<u8> {
    const HEAD: [&str; 7] = ["NS", "NSID", "NPROCS", "PID", "OWNERS", "WHERE", "COMMAND"];
    const RIGHT: [bool; 7] = [false, true, true, true, false, false, false];
    let dash = || b"-".to_vec();
    let mut rows: Vec<[Vec<u8>; 7]> = vec![HEAD.map(|h| h.as_bytes().to_vec())];
    for d in found {
        let mut command = Vec::new();
        safe(&mut command, d.command.as_ref().map_or(&b"-"[..], |c| c.as_bytes()));
        let mut place = where_cell(d);
        if place.is_empty() {
            place.push(b'-');
        }
        rows.push([
            format!("net:[{}]", d.ino).into_bytes(),
            d.nsid.map_or_else(dash, |n| n.to_string().into_bytes()),
            d.pids.len().to_string().into_bytes(),
            d.shown_pid().map_or_else(dash, |p| p.to_string().into_bytes()),
            owners_cell(d),
            place,
            command,
        ]);
    }
    let mut width = [0usize; 7];
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = Vec::new();
    for r in &rows {
        let start = out.len();
        for (i, cell) in r.iter().enumerate() {
            if i > 0 {
                out.push(b' ');
            }
            let pad = width[i] - cell.len();
            if RIGHT[i] {
                out.resize(out.len() + pad, b' ');
                out.extend_from_slice(cell);
            } else {
                out.extend_from_slice(cell);
                if i + 1 < r.len() {
                    out.resize(out.len() + pad, b' ');
                }
            }
        }
        while out.len() > start && out.last() == Some(&b' ') {
            out.pop();
        }
        out.push(b'\n');
    }
    out
}

/// One owner as JSON: `runtime`, `id`, `name`, `pod` (`{"namespace","name","uid"}` or
/// null), `sandbox`, `pids`; unknown strings are null.
pub fn owner_json(o: &Owner) -> Json {
    let opt = |s: &Option<String>| s.as_deref().map_or(Json::Null, Json::str);
    let pod = o.pod.as_ref().map_or(Json::Null, |p| {
        Json::Obj(vec![
            ("namespace", opt(&p.namespace)),
            ("name", opt(&p.name)),
            ("uid", opt(&p.uid)),
        ])
    });
    Json::Obj(vec![
        ("runtime", Json::str(o.runtime.word())),
        ("id", opt(&o.id)),
        ("name", opt(&o.name)),
        ("pod", pod),
        ("sandbox", Json::Bool(o.sandbox)),
        (
            "pids",
            Json::Arr(o.pids.iter().map(|&p| Json::Uint(p.into())).collect()),
        ),
    ])
}

/// `-j discover`: one object per namespace with `inode`, `nsid` (only when assigned),
/// `current`, `names`, `mounts`, `nprocs`, `pids`, `tids`, `fds` (`{"pid","fd"}`),
/// `command` (the command line as lsns shows it), `comm`, `owners` (see [`owner_json`]).
pub fn json(found: &[Discovered]) -> Json {
    let strs = |v: &[std::ffi::OsString]| Json::Arr(v.iter().map(|s| Json::lossy(s.as_bytes())).collect());
    let nums = |v: &[u32]| Json::Arr(v.iter().map(|&n| Json::Uint(n.into())).collect());
    Json::Arr(
        found
            .iter()
            .map(|d| {
                let mut o = vec![("inode", Json::Uint(d.ino))];
                if let Some(n) = d.nsid {
                    o.push(("nsid", Json::Int(n.into())));
                }
                o.push(("current", Json::Bool(d.current)));
                o.push(("names", strs(&d.names)));
                o.push(("mounts", strs(&d.mounts)));
                o.push(("nprocs", Json::Uint(d.pids.len() as u64)));
                o.push(("pids", nums(&d.pids)));
                o.push(("tids", nums(&d.tids)));
                let fds = d
                    .fds
                    .iter()
                    .map(|f| Json::Obj(vec![("pid", Json::Uint(f.pid.into())), ("fd", Json::Uint(f.fd.into()))]))
                    .collect();
                o.push(("fds", Json::Arr(fds)));
                let text =
                    |c: &Option<std::ffi::OsString>| c.as_ref().map_or(Json::Null, |c| Json::lossy(c.as_bytes()));
                o.push(("command", text(&d.command)));
                o.push(("comm", text(&d.comm)));
                o.push(("owners", Json::Arr(d.owners.iter().map(owner_json).collect())));
                Json::Obj(o)
            })
            .collect(),
    )
}

/// `prune`: `prune NAME` per removed (or, dry run, removable) entry; failures are errors,
/// printed elsewhere.
pub fn prune_text(pruned: &[Pruned]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pruned.iter().filter(|p| p.error.is_none()) {
        out.extend_from_slice(b"prune ");
        out.extend_from_slice(p.name.as_bytes());
        out.push(b'\n');
    }
    out
}

/// `-j prune`: `[{"name":..,"kind":"file"|"dangling-symlink","action":"pruned"|"dry-run"|"failed"}]`,
/// with `"error"` (strerror) on failures.
pub fn prune_json(pruned: &[Pruned], dry_run: bool) -> Json {
    Json::Arr(
        pruned
            .iter()
            .map(|p| {
                let action = match (p.error, dry_run) {
                    (Some(_), _) => "failed",
                    (None, true) => "dry-run",
                    (None, false) => "pruned",
                };
                let mut o = vec![
                    ("name", Json::lossy(p.name.as_bytes())),
                    ("kind", Json::str(p.kind.word())),
                    ("action", Json::str(action)),
                ];
                if let Some(e) = p.error {
                    o.push(("error", Json::str(rnetns::error::strerror(e))));
                }
                Json::Obj(o)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rnetns::netns::discover::FdRef;
    use rnetns::netns::stale::StaleKind;
    use rnetns::owners::{Pod, Runtime};

    fn sample() -> Vec<Discovered> {
        vec![
            Discovered {
                ino: 4026531840,
                current: true,
                pids: vec![1, 20],
                command: Some("/sbin/init splash".into()),
                comm: Some("systemd".into()),
                ..Default::default()
            },
            Discovered {
                ino: 4026532179,
                nsid: Some(3),
                names: vec!["a b".into()],
                mounts: vec!["/run/docker/netns/x".into()],
                ..Default::default()
            },
            Discovered {
                ino: 4026532300,
                fds: vec![FdRef { pid: 7, fd: 8 }],
                ..Default::default()
            },
            Discovered {
                ino: 4026532400,
                pids: vec![300, 301, 302],
                command: Some("/pause".into()),
                comm: Some("pause".into()),
                mounts: vec!["/run/netns/cni-1".into()],
                owners: vec![
                    Owner {
                        runtime: Runtime::Containerd,
                        id: Some("5".repeat(64)),
                        name: None,
                        pod: Some(Pod {
                            namespace: Some("default".into()),
                            name: Some("web-0".into()),
                            uid: Some("u1".into()),
                        }),
                        sandbox: true,
                        pids: vec![300],
                    },
                    Owner {
                        runtime: Runtime::Containerd,
                        id: Some("6".repeat(64)),
                        name: Some("app".into()),
                        pod: Some(Pod {
                            namespace: Some("default".into()),
                            name: Some("web-0".into()),
                            uid: None,
                        }),
                        sandbox: false,
                        pids: vec![301, 302],
                    },
                    Owner {
                        runtime: Runtime::Docker,
                        id: Some("7".repeat(64)),
                        name: None,
                        pod: None,
                        sandbox: false,
                        pids: vec![303],
                    },
                ],
                ..Default::default()
            },
        ]
    }

    #[test]
    fn table() {
        let want = "\
NS               NSID NPROCS PID OWNERS                                                                                WHERE                    COMMAND
net:[4026531840]    -      2   1 -                                                                                     (current)                /sbin/init splash
net:[4026532179]    3      0   - -                                                                                     a b, /run/docker/netns/x -
net:[4026532300]    -      0   - -                                                                                     (fd 7/8)                 -
net:[4026532400]    -      3 300 containerd:default/web-0 (sandbox), containerd:default/web-0/app, docker:777777777777 /run/netns/cni-1         /pause
";
        assert_eq!(String::from_utf8(text(&sample())).unwrap(), want);
    }

    #[test]
    fn json_shape() {
        let got = String::from_utf8(super::super::json::to_bytes(&json(&sample()[1..2]), false)).unwrap();
        assert_eq!(
            got,
            "[{\"inode\":4026532179,\"nsid\":3,\"current\":false,\"names\":[\"a b\"],\
\"mounts\":[\"/run/docker/netns/x\"],\"nprocs\":0,\"pids\":[],\"tids\":[],\"fds\":[],\"command\":null,\
\"comm\":null,\"owners\":[]}]\n"
        );
        let got = String::from_utf8(super::super::json::to_bytes(&json(&sample()[3..4]), false)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v[0]["nprocs"], 3);
        assert_eq!(v[0]["command"], "/pause");
        assert_eq!(v[0]["comm"], "pause");
        assert_eq!(
            v[0]["owners"][0],
            serde_json::json!({"runtime": "containerd", "id": "5".repeat(64), "name": null,
                "pod": {"namespace": "default", "name": "web-0", "uid": "u1"}, "sandbox": true, "pids": [300]})
        );
        assert_eq!(v[0]["owners"][2]["pod"], serde_json::Value::Null);
    }

    #[test]
    fn prune_lines() {
        let p = vec![
            Pruned {
                name: "old".into(),
                kind: StaleKind::PlainFile,
                error: None,
            },
            Pruned {
                name: "bad".into(),
                kind: StaleKind::DanglingSymlink,
                error: Some(rnetns::Errno::from_raw(libc::EROFS)),
            },
        ];
        assert_eq!(prune_text(&p), b"prune old\n");
        let j = String::from_utf8(super::super::json::to_bytes(&prune_json(&p, false), false)).unwrap();
        assert_eq!(
            j,
            "[{\"name\":\"old\",\"kind\":\"file\",\"action\":\"pruned\"},\
{\"name\":\"bad\",\"kind\":\"dangling-symlink\",\"action\":\"failed\",\"error\":\"Read-only file system\"}]\n"
        );
    }
}
