//! iproute2's exact text output.

use std::os::unix::ffi::OsStrExt;

use rnetns::model::{NsEntry, NsidLine};
use rnetns::netns::monitor::Event;

/// `list`: `NAME` or `NAME (id: N)` per line, names as raw bytes.
pub fn list(entries: &[NsEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 16);
    for e in entries {
        out.extend_from_slice(e.name.as_bytes());
        if let Some(id) = e.id {
            out.extend_from_slice(format!(" (id: {id})").as_bytes());
        }
        out.push(b'\n');
    }
    out
}

/// `list-id`: `nsid N [current-nsid M] [(iproute2 netns name: NAME)]`, each part followed by
/// a space, so a line without a name ends with one.
pub fn list_id(lines: &[NsidLine]) -> Vec<u8> {
    let mut out = Vec::new();
    for l in lines {
        if let Some(n) = l.nsid {
            if n < 0 {
                out.extend_from_slice(b"nsid unassigned ");
            } else {
                out.extend_from_slice(format!("nsid {n} ").as_bytes());
            }
        }
        if let Some(c) = l.current_nsid {
            if c < 0 {
                out.extend_from_slice(b"current-nsid unassigned ");
            } else {
                out.extend_from_slice(format!("current-nsid {c} ").as_bytes());
            }
        }
        if let Some(name) = &l.name {
            out.extend_from_slice(b"(iproute2 netns name: ");
            out.extend_from_slice(name.as_bytes());
            out.push(b')');
        }
        out.push(b'\n');
    }
    out
}

/// `identify`: the last matching name (readdir order), or an empty line.
pub fn identify(names: &[std::ffi::OsString]) -> Vec<u8> {
    let mut out = names.last().map(|n| n.as_bytes().to_vec()).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `pids`: one PID per line.
pub fn pids(pids: &[u32]) -> Vec<u8> {
    pids.iter().map(|p| format!("{p}\n")).collect::<String>().into_bytes()
}

/// `monitor`: `add NAME` / `delete NAME`.
pub fn event(ev: &Event) -> Vec<u8> {
    let (verb, name) = match ev {
        Event::Add(n) => ("add ", n),
        Event::Delete(n) => ("delete ", n),
    };
    let mut out = verb.as_bytes().to_vec();
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_lines() {
        let e = vec![
            NsEntry {
                name: "b".into(),
                id: None,
            },
            NsEntry {
                name: "a".into(),
                id: Some(7),
            },
        ];
        assert_eq!(list(&e), b"b\na (id: 7)\n");
    }

    #[test]
    fn list_id_lines() {
        let l = vec![
            NsidLine {
                nsid: Some(1),
                current_nsid: None,
                name: Some("a".into()),
            },
            NsidLine {
                nsid: Some(5),
                current_nsid: None,
                name: None,
            },
            NsidLine {
                nsid: Some(22),
                current_nsid: Some(12),
                name: Some("foo".into()),
            },
            NsidLine {
                nsid: Some(-1),
                current_nsid: Some(-1),
                name: None,
            },
        ];
        assert_eq!(
            String::from_utf8(list_id(&l)).unwrap(),
            "nsid 1 (iproute2 netns name: a)\nnsid 5 \nnsid 22 current-nsid 12 (iproute2 netns name: foo)\nnsid unassigned current-nsid unassigned \n"
        );
    }

    #[test]
    fn identify_and_pids() {
        assert_eq!(identify(&[]), b"\n");
        assert_eq!(identify(&["x".into(), "y".into()]), b"y\n");
        assert_eq!(pids(&[1, 22]), b"1\n22\n");
        assert_eq!(event(&Event::Add("a".into())), b"add a\n");
        assert_eq!(event(&Event::Delete("a".into())), b"delete a\n");
    }
}
