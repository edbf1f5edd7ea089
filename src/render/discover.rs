//! Renderers of `rnetns discover` (an `lsns`-style table, or JSON) and `rnetns prune`.

use std::os::unix::ffi::OsStrExt;

use super::json::Json;
use crate::netns::discover::Discovered;
use crate::netns::stale::Pruned;

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

/// `discover` as a table: NS, NSID, NPROCS, PID, COMMAND, WHERE; numbers right-aligned,
/// text left-aligned, one space between columns, the last column unpadded (like `lsns`).
pub fn text(found: &[Discovered]) -> Vec<u8> {
    const HEAD: [&str; 6] = ["NS", "NSID", "NPROCS", "PID", "COMMAND", "WHERE"];
    const RIGHT: [bool; 6] = [false, true, true, true, false, false];
    let dash = || b"-".to_vec();
    let mut rows: Vec<[Vec<u8>; 6]> = vec![HEAD.map(|h| h.as_bytes().to_vec())];
    for d in found {
        let mut command = Vec::new();
        safe(&mut command, d.command.as_ref().map_or(&b"-"[..], |c| c.as_bytes()));
        rows.push([
            format!("net:[{}]", d.ino).into_bytes(),
            d.nsid.map_or_else(dash, |n| n.to_string().into_bytes()),
            d.pids.len().to_string().into_bytes(),
            d.shown_pid().map_or_else(dash, |p| p.to_string().into_bytes()),
            command,
            where_cell(d),
        ]);
    }
    let mut width = [0usize; 6];
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

/// `-j discover`: one object per namespace with `inode`, `nsid` (only when assigned),
/// `current`, `names`, `mounts`, `pids`, `tids`, `fds` (`{"pid","fd"}`), `command`.
pub fn json(found: &[Discovered]) -> Json {
    let strs = |v: &[std::ffi::OsString]| Json::Arr(v.iter().map(|s| Json::str(s.as_bytes())).collect());
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
                o.push(("pids", nums(&d.pids)));
                o.push(("tids", nums(&d.tids)));
                let fds = d
                    .fds
                    .iter()
                    .map(|f| Json::Obj(vec![("pid", Json::Uint(f.pid.into())), ("fd", Json::Uint(f.fd.into()))]))
                    .collect();
                o.push(("fds", Json::Arr(fds)));
                o.push((
                    "command",
                    d.command.as_ref().map_or(Json::Null, |c| Json::str(c.as_bytes())),
                ));
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
                    ("name", Json::str(p.name.as_bytes())),
                    ("kind", Json::str(p.kind.word())),
                    ("action", Json::str(action)),
                ];
                if let Some(e) = p.error {
                    o.push(("error", Json::str(crate::error::strerror(e))));
                }
                Json::Obj(o)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns::discover::FdRef;
    use crate::netns::stale::StaleKind;

    fn sample() -> Vec<Discovered> {
        vec![
            Discovered {
                ino: 4026531840,
                current: true,
                pids: vec![1, 20],
                command: Some("systemd".into()),
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
        ]
    }

    #[test]
    fn table() {
        let want = "\
NS               NSID NPROCS PID COMMAND WHERE
net:[4026531840]    -      2   1 systemd (current)
net:[4026532179]    3      0   - -       a b, /run/docker/netns/x
net:[4026532300]    -      0   - -       (fd 7/8)
";
        assert_eq!(String::from_utf8(text(&sample())).unwrap(), want);
    }

    #[test]
    fn json_shape() {
        let got = String::from_utf8(super::super::json::to_bytes(&json(&sample()[1..2]), false)).unwrap();
        assert_eq!(
            got,
            "[{\"inode\":4026532179,\"nsid\":3,\"current\":false,\"names\":[\"a b\"],\
\"mounts\":[\"/run/docker/netns/x\"],\"pids\":[],\"tids\":[],\"fds\":[],\"command\":null}]\n"
        );
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
                error: Some(crate::Errno::from_raw(libc::EROFS)),
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
