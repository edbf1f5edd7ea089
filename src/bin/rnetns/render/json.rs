//! iproute2's JSON writer (lib/json_writer.c behaviour, rewritten): compact output with no
//! spaces, or `-p` pretty layout with 4-space indentation and `[ {`/`},{`/`} ]` joints.
//! Strings are bytes: control characters are escaped as iproute2 7.0 does, bytes >= 0x80 are
//! written raw as ip writes them (ip's commands); rnetns's own commands make their strings
//! valid UTF-8 first ([`Json::lossy`]), so their JSON is always valid.

/// A JSON value with byte strings, in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A signed number.
    Int(i64),
    /// An unsigned number.
    Uint(u64),
    /// A string of bytes (escaped on output, non-UTF-8 bytes written raw).
    Str(Vec<u8>),
    /// An array.
    Arr(Vec<Json>),
    /// An object, keys in insertion order.
    Obj(Vec<(&'static str, Json)>),
}

impl Json {
    /// A string value from anything byte-like.
    pub fn str(s: impl AsRef<[u8]>) -> Json {
        Json::Str(s.as_ref().to_vec())
    }

    /// A string for rnetns's own JSON (discover, prune, inspect, identify, pids, monitor):
    /// valid UTF-8 kept as it is, each maximal invalid byte sequence written as U+FFFD, so
    /// the document is always valid JSON (text output keeps the exact bytes).
    pub fn lossy(s: impl AsRef<[u8]>) -> Json {
        Json::Str(String::from_utf8_lossy(s.as_ref()).into_owned().into_bytes())
    }
}

/// Serialise `value` followed by a newline, as iproute2 does at the end of a command.
pub fn to_bytes(value: &Json, pretty: bool) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        pretty,
        depth: 0,
        sep: None,
    };
    w.value(value);
    w.out.push(b'\n');
    w.out
}

struct Writer {
    out: Vec<u8>,
    pretty: bool,
    depth: usize,
    sep: Option<u8>,
}

impl Writer {
    fn eor(&mut self) {
        if let Some(c) = self.sep {
            self.out.push(c);
        }
        self.sep = Some(b',');
    }

    fn eol(&mut self) {
        if self.pretty {
            self.out.push(b'\n');
            for _ in 0..self.depth {
                self.out.extend_from_slice(b"    ");
            }
        }
    }

    fn begin(&mut self, c: u8) {
        self.eor();
        self.out.push(c);
        self.depth += 1;
        self.sep = None;
    }

    fn end(&mut self, c: u8) {
        self.depth -= 1;
        if self.sep.is_some() {
            self.eol();
        }
        self.out.push(c);
        self.sep = Some(b',');
    }

    fn start_array(&mut self) {
        self.begin(b'[');
        if self.pretty {
            self.out.push(b' ');
        }
    }

    fn end_array(&mut self) {
        if self.pretty && self.sep.is_some() {
            self.out.push(b' ');
        }
        self.sep = None;
        self.end(b']');
    }

    fn key(&mut self, k: &str) {
        self.eor();
        self.eol();
        self.sep = None;
        escape(&mut self.out, k.as_bytes());
        self.out.push(b':');
        if self.pretty {
            self.out.push(b' ');
        }
    }

    fn value(&mut self, v: &Json) {
        match v {
            Json::Arr(items) => {
                self.start_array();
                for item in items {
                    self.value(item);
                }
                self.end_array();
            }
            Json::Obj(members) => {
                self.begin(b'{');
                for (k, item) in members {
                    self.key(k);
                    self.value(item);
                }
                self.end(b'}');
            }
            scalar => {
                self.eor();
                match scalar {
                    Json::Null => self.out.extend_from_slice(b"null"),
                    Json::Bool(b) => self.out.extend_from_slice(if *b { b"true" } else { b"false" }),
                    Json::Int(i) => self.out.extend_from_slice(i.to_string().as_bytes()),
                    Json::Uint(u) => self.out.extend_from_slice(u.to_string().as_bytes()),
                    Json::Str(s) => escape(&mut self.out, s),
                    Json::Arr(_) | Json::Obj(_) => unreachable!("handled above"),
                }
            }
        }
    }
}

/// A JSON text written piece by piece (ip's streaming `json_writer`): containers opened and
/// closed by hand, values given as trees. For long lists whose trees would cost more memory
/// than their text.
pub struct Stream(Writer);

impl Stream {
    /// An empty text, compact or in `-p` layout.
    pub fn new(pretty: bool) -> Stream {
        Stream(Writer {
            out: Vec::new(),
            pretty,
            depth: 0,
            sep: None,
        })
    }

    /// `[`.
    pub fn start_array(&mut self) {
        self.0.start_array();
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.0.end_array();
    }

    /// `{`.
    pub fn start_object(&mut self) {
        self.0.begin(b'{');
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.0.end(b'}');
    }

    /// `"k":` inside an object.
    pub fn key(&mut self, k: &str) {
        self.0.key(k);
    }

    /// A whole value (after a key, or as an array item).
    pub fn value(&mut self, v: &Json) {
        self.0.value(v);
    }

    /// `"k":"v"` (no tree built).
    pub fn str(&mut self, k: &str, v: &[u8]) {
        self.0.key(k);
        self.0.eor();
        escape(&mut self.0.out, v);
    }

    /// `"k":N` (no tree built).
    pub fn int(&mut self, k: &str, v: i64) {
        use std::io::Write;
        self.0.key(k);
        self.0.eor();
        let _ = write!(self.0.out, "{v}");
    }

    /// The length of the text not taken yet.
    pub fn pending(&self) -> usize {
        self.0.out.len()
    }

    /// The text written so far, handed out (the writer goes on where it was): a long list
    /// is printed in pieces.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0.out)
    }

    /// Hand what is written so far to `emit` once it is `min` bytes or more, and forget it.
    pub fn drain(&mut self, min: usize, emit: &mut dyn FnMut(&[u8])) {
        if self.0.out.len() >= min.max(1) {
            emit(&self.0.out);
            self.0.out.clear();
        }
    }

    /// The text (what was not taken or drained) and its final newline.
    pub fn finish(mut self) -> Vec<u8> {
        self.0.out.push(b'\n');
        self.0.out
    }
}

/// A quoted JSON string: `\t \n \r \f \b \\ \"` by name, other bytes below 0x20 and 0x7f as
/// `\u00XX` (iproute2 7.0), everything else raw: ip's own writer, byte for byte, for the
/// JSON of ip's commands (`list`, `list-id`), whose names may be any bytes (ip's JSON is then
/// not valid UTF-8). rnetns's own JSON passes names through [`Json::lossy`] first.
pub fn escape(out: &mut Vec<u8>, s: &[u8]) {
    let plain = |c: u8| c >= 0x20 && c != 0x7f && c != b'\\' && c != b'"';
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s;
    while !rest.is_empty() {
        // Runs of bytes that need no escape are copied whole.
        let n = rest.iter().position(|&c| !plain(c)).unwrap_or(rest.len());
        out.extend_from_slice(&rest[..n]);
        let Some((&c, tail)) = rest[n..].split_first() else {
            break;
        };
        match c {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x0c => out.extend_from_slice(b"\\f"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            c => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
        }
        rest = tail;
    }
    out.push(b'"');
}

/// `-j list`: `[{"name":..,"id":..}]` and its newline, written straight out (a large run
/// dir would otherwise build a tree of thousands of small values first). The reference
/// for [`ListWriter`], which the command uses.
#[cfg(test)]
pub fn list(entries: &[rnetns::model::NsEntry], pretty: bool) -> Vec<u8> {
    let mut w = ListWriter::new(pretty);
    let mut out = w.entries(entries);
    out.extend_from_slice(&w.finish());
    out
}

/// `-j list` written a piece of the listing at a time (see [`list`]).
pub struct ListWriter(Writer);

impl ListWriter {
    /// The array opened.
    pub fn new(pretty: bool) -> ListWriter {
        let mut w = Writer {
            out: Vec::new(),
            pretty,
            depth: 0,
            sep: None,
        };
        w.start_array();
        ListWriter(w)
    }

    /// The text of more entries (with what came before it, not yet handed out).
    pub fn entries(&mut self, entries: &[rnetns::model::NsEntry]) -> Vec<u8> {
        use std::os::unix::ffi::OsStrExt;
        let w = &mut self.0;
        w.out.reserve(entries.len() * 24);
        for e in entries {
            w.begin(b'{');
            w.key("name");
            w.eor();
            escape(&mut w.out, e.name.as_bytes());
            if let Some(id) = e.id {
                w.key("id");
                w.eor();
                w.out.extend_from_slice(id.to_string().as_bytes());
            }
            w.end(b'}');
        }
        std::mem::take(&mut w.out)
    }

    /// The array closed, and the final newline.
    pub fn finish(mut self) -> Vec<u8> {
        self.0.end_array();
        self.0.out.push(b'\n');
        self.0.out
    }
}

/// `-j list-id`: keys `nsid`, `current-nsid` (only when >= 0), `name`.
pub fn list_id(lines: &[rnetns::model::NsidLine]) -> Json {
    use std::os::unix::ffi::OsStrExt;
    Json::Arr(
        lines
            .iter()
            .map(|l| {
                let mut o = Vec::new();
                if let Some(n) = l.nsid.filter(|n| *n >= 0) {
                    o.push(("nsid", Json::Int(n.into())));
                }
                if let Some(c) = l.current_nsid.filter(|c| *c >= 0) {
                    o.push(("current-nsid", Json::Int(c.into())));
                }
                if let Some(name) = &l.name {
                    o.push(("name", Json::str(name.as_bytes())));
                }
                Json::Obj(o)
            })
            .collect(),
    )
}

/// `-j identify`: every matching name, readdir order.
pub fn names(names: &[std::ffi::OsString]) -> Json {
    use std::os::unix::ffi::OsStrExt;
    Json::Arr(
        names
            .iter()
            .map(|n| Json::Obj(vec![("name", Json::lossy(n.as_bytes()))]))
            .collect(),
    )
}

/// `-j pids`: `[{"pid":N},...]`.
pub fn pids(pids: &[u32]) -> Json {
    Json::Arr(
        pids.iter()
            .map(|p| Json::Obj(vec![("pid", Json::Uint((*p).into()))]))
            .collect(),
    )
}

/// `-j monitor`: one compact object per event.
pub fn event(ev: &rnetns::netns::monitor::Event) -> Vec<u8> {
    use rnetns::netns::monitor::Event;
    use std::os::unix::ffi::OsStrExt;
    let (verb, name) = match ev {
        Event::Add(n) => ("add", n),
        Event::Delete(n) => ("delete", n),
    };
    to_bytes(
        &Json::Obj(vec![("event", Json::str(verb)), ("name", Json::lossy(name.as_bytes()))]),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Json {
        Json::Arr(vec![
            Json::Obj(vec![("name", Json::str("b"))]),
            Json::Obj(vec![("name", Json::str("a")), ("id", Json::Int(7))]),
        ])
    }

    #[test]
    fn compact() {
        assert_eq!(
            to_bytes(&list(), false),
            b"[{\"name\":\"b\"},{\"name\":\"a\",\"id\":7}]\n"
        );
        assert_eq!(to_bytes(&Json::Arr(vec![]), false), b"[]\n");
    }

    #[test]
    fn pretty_matches_iproute2() {
        let want = "[ {\n        \"name\": \"b\"\n    },{\n        \"name\": \"a\",\n        \"id\": 7\n    } ]\n";
        assert_eq!(String::from_utf8(to_bytes(&list(), true)).unwrap(), want);
        assert_eq!(to_bytes(&Json::Arr(vec![]), true), b"[ ]\n");
    }

    #[test]
    fn nested_pretty() {
        let v = Json::Arr(vec![Json::Obj(vec![
            ("name", Json::str("a")),
            ("links", Json::Arr(vec![Json::Obj(vec![("ifindex", Json::Int(1))])])),
            ("empty", Json::Arr(vec![])),
        ])]);
        let got = String::from_utf8(to_bytes(&v, true)).unwrap();
        let want = "[ {\n        \"name\": \"a\",\n        \"links\": [ {\n                \"ifindex\": 1\n            } ],\n        \"empty\": [ ]\n    } ]\n";
        assert_eq!(got, want);
    }

    #[test]
    fn escaping() {
        let mut out = Vec::new();
        escape(&mut out, b"t\tn\nx\x01y\x1bz\x7f\xff/\"\\");
        assert_eq!(out, b"\"t\\tn\\nx\\u0001y\\u001bz\\u007f\xff/\\\"\\\\\"");
        // rnetns's own JSON: UTF-8 kept, each maximal invalid sequence one U+FFFD.
        assert_eq!(Json::lossy("é\u{1F600}"), Json::Str("é\u{1F600}".into()));
        assert_eq!(
            Json::lossy(b"a\xc3\xff\x80b\xe2\x82"),
            Json::Str("a\u{fffd}\u{fffd}\u{fffd}b\u{fffd}".into())
        );
    }

    #[test]
    fn streamed_list_equals_the_tree() {
        use rnetns::model::NsEntry;
        let entries = vec![
            NsEntry {
                name: "b".into(),
                id: None,
            },
            NsEntry {
                name: "a\u{1}".into(),
                id: Some(7),
            },
        ];
        let tree = Json::Arr(vec![
            Json::Obj(vec![("name", Json::str("b"))]),
            Json::Obj(vec![("name", Json::str("a\u{1}")), ("id", Json::Int(7))]),
        ]);
        for pretty in [false, true] {
            assert_eq!(
                super::list(&entries, pretty),
                to_bytes(&tree, pretty),
                "pretty={pretty}"
            );
        }
        assert_eq!(super::list(&[], false), b"[]\n");
        assert_eq!(super::list(&[], true), b"[ ]\n");
        // In pieces (the command writes one per piece of the run dir): the same bytes.
        for pretty in [false, true] {
            let mut w = ListWriter::new(pretty);
            let mut out = w.entries(&entries[..1]);
            out.extend(w.entries(&[]));
            out.extend(w.entries(&entries[1..]));
            out.extend(w.finish());
            assert_eq!(out, to_bytes(&tree, pretty), "pretty={pretty}");
        }
    }
}
