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
/// the last column unpadded. The text goes to `out` in pieces of about 64 KiB (a table of
/// 10000 namespaces is never held twice): the cells are kept in one buffer with their
/// offsets, which the column widths need before the first row is written.
pub fn text(found: &[Discovered], mut out: impl FnMut(&[u8])) {
    const HEAD: [&str; 7] = ["NS", "NSID", "NPROCS", "PID", "OWNERS", "WHERE", "COMMAND"];
    const RIGHT: [bool; 7] = [false, true, true, true, false, false, false];
    use std::io::Write;
    // cells[ends[r*7 + c - 1] .. ends[r*7 + c]] (0 before the first) is row r, column c.
    let mut cells: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity((found.len() + 1) * 7);
    for h in HEAD {
        cells.extend_from_slice(h.as_bytes());
        ends.push(cells.len());
    }
    let dash = |cells: &mut Vec<u8>| cells.push(b'-');
    for d in found {
        let _ = write!(cells, "net:[{}]", d.ino);
        ends.push(cells.len());
        match d.nsid {
            Some(n) => {
                let _ = write!(cells, "{n}");
            }
            None => dash(&mut cells),
        }
        ends.push(cells.len());
        let _ = write!(cells, "{}", d.pids.len());
        ends.push(cells.len());
        match d.shown_pid() {
            Some(p) => {
                let _ = write!(cells, "{p}");
            }
            None => dash(&mut cells),
        }
        ends.push(cells.len());
        cells.extend_from_slice(&owners_cell(d));
        ends.push(cells.len());
        let place = where_cell(d);
        if place.is_empty() {
            dash(&mut cells);
        } else {
            cells.extend_from_slice(&place);
        }
        ends.push(cells.len());
        safe(&mut cells, d.command.as_ref().map_or(&b"-"[..], |c| c.as_bytes()));
        ends.push(cells.len());
    }
    let cell = |i: usize| {
        let start = if i == 0 { 0 } else { ends[i - 1] };
        &cells[start..ends[i]]
    };
    let mut width = [0usize; 7];
    for i in 0..ends.len() {
        width[i % 7] = width[i % 7].max(cell(i).len());
    }
    let mut buf = Vec::with_capacity(64 * 1024 + 1024);
    for row in 0..ends.len() / 7 {
        let start = buf.len();
        for (i, w) in width.iter().enumerate() {
            let c = cell(row * 7 + i);
            if i > 0 {
                buf.push(b' ');
            }
            let pad = w - c.len();
            if RIGHT[i] {
                buf.resize(buf.len() + pad, b' ');
                buf.extend_from_slice(c);
            } else {
                buf.extend_from_slice(c);
                if i + 1 < 7 {
                    buf.resize(buf.len() + pad, b' ');
                }
            }
        }
        while buf.len() > start && buf.last() == Some(&b' ') {
            buf.pop();
        }
        buf.push(b'\n');
        if buf.len() >= 64 * 1024 {
            out(&buf);
            buf.clear();
        }
    }
    out(&buf);
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
/// Written to `out` in pieces of about 64 KiB, one namespace's tree at a time.
pub fn json(found: &[Discovered], pretty: bool, mut out: impl FnMut(&[u8])) {
    let mut w = super::json::Stream::new(pretty);
    w.start_array();
    for d in found {
        w.value(&namespace_json(d));
        if w.pending() >= 64 * 1024 {
            out(&w.take());
        }
    }
    w.end_array();
    out(&w.finish());
}

/// One namespace of `-j discover`.
fn namespace_json(d: &Discovered) -> Json {
    let strs = |v: &[std::ffi::OsString]| Json::Arr(v.iter().map(|s| Json::lossy(s.as_bytes())).collect());
    let nums = |v: &[u32]| Json::Arr(v.iter().map(|&n| Json::Uint(n.into())).collect());
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
    let text = |c: &Option<std::ffi::OsString>| c.as_ref().map_or(Json::Null, |c| Json::lossy(c.as_bytes()));
    o.push(("command", text(&d.command)));
    o.push(("comm", text(&d.comm)));
    o.push(("owners", Json::Arr(d.owners.iter().map(owner_json).collect())));
    Json::Obj(o)
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

    /// What a renderer writes, in one piece.
    fn collect(render: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Vec<u8> {
        let mut all = Vec::new();
        render(&mut |b: &[u8]| all.extend_from_slice(b));
        all
    }

    /// Streaming in pieces writes the same text and JSON as one tree: many namespaces (more
    /// than one 64 KiB piece), compact and pretty.
    #[test]
    fn pieces_are_the_whole() {
        let many: Vec<Discovered> = (0..3000).flat_map(|_| sample()).collect();
        for pretty in [false, true] {
            let mut pieces = 0;
            let streamed = {
                let mut all = Vec::new();
                json(&many, pretty, |b: &[u8]| {
                    pieces += 1;
                    all.extend_from_slice(b)
                });
                all
            };
            assert!(pieces > 2, "{pieces}");
            let tree = Json::Arr(many.iter().map(namespace_json).collect());
            assert_eq!(streamed, super::super::json::to_bytes(&tree, pretty));
        }
        let t = collect(|o| text(&many, o));
        assert_eq!(t.iter().filter(|&&b| b == b'\n').count(), many.len() + 1);
        let one = collect(|o| text(&sample(), o));
        assert!(t.starts_with(&one[..one.iter().position(|&b| b == b'\n').unwrap()]));
    }

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
        assert_eq!(String::from_utf8(collect(|o| text(&sample(), o))).unwrap(), want);
    }

    #[test]
    fn json_shape() {
        let got = String::from_utf8(collect(|o| json(&sample()[1..2], false, o))).unwrap();
        assert_eq!(
            got,
            "[{\"inode\":4026532179,\"nsid\":3,\"current\":false,\"names\":[\"a b\"],\
\"mounts\":[\"/run/docker/netns/x\"],\"nprocs\":0,\"pids\":[],\"tids\":[],\"fds\":[],\"command\":null,\
\"comm\":null,\"owners\":[]}]\n"
        );
        let got = String::from_utf8(collect(|o| json(&sample()[3..4], false, o))).unwrap();
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
