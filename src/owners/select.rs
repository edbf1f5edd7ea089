//! Selectors: `container:NAME|ID-PREFIX`, `pod:[NAMESPACE/]NAME` and `pid:PID` name the
//! network namespace of a container, of a pod (its sandbox's), or of a process, wherever a
//! command takes a namespace NAME or PATH. A run-dir entry of that exact name always wins
//! (`container:x` is a valid ip netns name), so nothing that works with ip changes.
//! Resolution costs one discovery scan without netlink ([`crate::netns::discover::scan`]
//! and [`super::attribute`]); `pid:` costs none.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use super::{Owner, Pod, Roots};
pub use crate::error::SelectError;
use crate::netns::discover::Discovered;
use crate::netns::{RunDir, Target};

/// A parsed selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// `container:X`: a container whose name is X, or whose id is or starts with X.
    Container(String),
    /// `pod:[NAMESPACE/]NAME`.
    Pod {
        /// The Kubernetes namespace, when given.
        namespace: Option<String>,
        /// The pod's name.
        name: String,
    },
    /// `pid:PID`.
    Pid(u32),
}

impl Selector {
    /// The selector of a word, or `None` when the word is not one (no known prefix, an
    /// empty rest, a PID that is not a positive decimal number, not UTF-8).
    pub fn parse(word: &OsStr) -> Option<Selector> {
        let w = std::str::from_utf8(word.as_bytes()).ok()?;
        let (kind, rest) = w.split_once(':')?;
        if rest.is_empty() {
            return None;
        }
        match kind {
            "container" => Some(Selector::Container(rest.to_string())),
            "pod" => Some(match rest.split_once('/') {
                Some((ns, name)) if !ns.is_empty() && !name.is_empty() => Selector::Pod {
                    namespace: Some(ns.to_string()),
                    name: name.to_string(),
                },
                Some(_) => return None,
                None => Selector::Pod {
                    namespace: None,
                    name: rest.to_string(),
                },
            }),
            "pid" if rest.bytes().all(|c| c.is_ascii_digit()) => {
                rest.parse().ok().filter(|&p| p > 0).map(Selector::Pid)
            }
            _ => None,
        }
    }
}

/// What a selector resolved to: a namespace file to open, and a process in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// A path to the namespace: its run-dir entry, another nsfs mount, or
    /// `/proc/PID/ns/net`.
    pub path: PathBuf,
    /// A process in it (the container's or the pod sandbox's lowest), for `attach`.
    pub pid: u32,
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

fn describe(o: &Owner) -> String {
    let mut s = format!("{} {}", o.runtime.word(), o.id.as_deref().map_or("-", short));
    if let Some(p) = &o.pod {
        s.push_str(&format!(
            " pod {}/{}",
            p.namespace.as_deref().unwrap_or("?"),
            p.name.as_deref().unwrap_or("?")
        ));
    }
    if o.sandbox {
        s.push_str(" (sandbox)");
    } else if let Some(n) = &o.name {
        s.push(' ');
        s.push_str(n);
    }
    s
}

/// The best path to a discovered namespace.
fn path_of(d: &Discovered, rundir: &RunDir, pid: u32) -> PathBuf {
    d.names
        .first()
        .map(|n| rundir.entry(n))
        .or_else(|| d.mounts.first().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(format!("/proc/{pid}/ns/net")))
}

/// Pick among the matches of one tier: one container (by id) resolves, several are
/// ambiguous.
fn pick(word: &OsStr, hits: Vec<(&Discovered, &Owner)>, rundir: &RunDir) -> Option<Result<Resolved, SelectError>> {
    let mut ids: Vec<&str> = hits.iter().filter_map(|(_, o)| o.id.as_deref()).collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.len() {
        0 => None,
        1 => {
            let (d, o) = hits
                .iter()
                .min_by_key(|(_, o)| o.pids.first().copied().unwrap_or(u32::MAX))?;
            let pid = *o.pids.first()?;
            Some(Ok(Resolved {
                path: path_of(d, rundir, pid),
                pid,
            }))
        }
        _ => {
            let mut lines: Vec<String> = hits.iter().map(|(_, o)| describe(o)).collect();
            lines.sort();
            lines.dedup();
            Some(Err(SelectError::Ambiguous(word.to_os_string(), lines)))
        }
    }
}

/// Resolve a container or pod selector against discovered (and attributed) namespaces.
pub fn resolve_in(
    word: &OsStr,
    sel: &Selector,
    found: &[Discovered],
    rundir: &RunDir,
) -> Result<Resolved, SelectError> {
    let all: Vec<(&Discovered, &Owner)> = found
        .iter()
        .flat_map(|d| d.owners.iter().map(move |o| (d, o)))
        .filter(|(_, o)| o.id.is_some())
        .collect();
    let unknown = || SelectError::Unknown(word.to_os_string());
    match sel {
        Selector::Pid(pid) => Ok(Resolved {
            path: PathBuf::from(format!("/proc/{pid}/ns/net")),
            pid: *pid,
        }),
        Selector::Container(x) => {
            let tiers: [&dyn Fn(&Owner) -> bool; 3] = [
                &|o| o.id.as_deref() == Some(x.as_str()),
                &|o| o.name.as_deref() == Some(x.as_str()),
                &|o| o.id.as_deref().is_some_and(|id| id.starts_with(x.as_str())),
            ];
            for t in tiers {
                let hits: Vec<_> = all.iter().copied().filter(|(_, o)| t(o)).collect();
                if let Some(r) = pick(word, hits, rundir) {
                    return r;
                }
            }
            Err(unknown())
        }
        Selector::Pod { namespace, name } => {
            let hits: Vec<_> = all
                .iter()
                .copied()
                .filter(|(_, o)| {
                    o.pod.as_ref().is_some_and(|p| {
                        p.name.as_deref() == Some(name.as_str())
                            && namespace
                                .as_ref()
                                .is_none_or(|ns| p.namespace.as_deref() == Some(ns.as_str()))
                    })
                })
                .collect();
            let mut pods: Vec<_> = hits
                .iter()
                .filter_map(|(_, o)| o.pod.as_ref().map(|p| Pod { uid: None, ..p.clone() }))
                .collect();
            pods.sort();
            pods.dedup();
            if pods.len() > 1 {
                let mut lines: Vec<String> = pods
                    .iter()
                    .map(|p| {
                        format!(
                            "pod {}/{}",
                            p.namespace.as_deref().unwrap_or("?"),
                            p.name.as_deref().unwrap_or("?")
                        )
                    })
                    .collect();
                lines.dedup();
                return Err(SelectError::Ambiguous(word.to_os_string(), lines));
            }
            // The sandbox holds the pod's namespace; without one, any member.
            let best = hits
                .iter()
                .filter(|(_, o)| o.sandbox)
                .chain(hits.iter())
                .next()
                .ok_or_else(unknown)?;
            let (d, o) = *best;
            let pid = *o.pids.first().ok_or_else(unknown)?;
            Ok(Resolved {
                path: path_of(d, rundir, pid),
                pid,
            })
        }
    }
}

/// Resolve `word` when it is a selector and the run dir has no entry of that exact name;
/// `None` otherwise (the word is ip's NAME or PATH as before). One /proc scan and the
/// runtimes' state files, read as [`super::attribute`] does; `pid:` reads nothing.
pub fn resolve(word: &OsStr, rundir: &RunDir, roots: &Roots) -> Option<Result<Resolved, SelectError>> {
    Selector::parse(word)?;
    if std::fs::symlink_metadata(rundir.entry(word)).is_ok() {
        return None;
    }
    resolve_anyway(word, rundir, roots)
}

/// [`resolve`] without the run-dir check.
fn resolve_anyway(word: &OsStr, rundir: &RunDir, roots: &Roots) -> Option<Result<Resolved, SelectError>> {
    let sel = Selector::parse(word)?;
    if let Selector::Pid(_) = sel {
        return Some(resolve_in(word, &sel, &[], rundir));
    }
    let mut found = match crate::netns::discover::scan_all(&roots.proc, rundir).map(|d| d.namespaces) {
        Ok(f) => f,
        Err(e) => return Some(Err(SelectError::Scan(word.to_os_string(), crate::error::errno(e)))),
    };
    super::attribute(&mut found, roots);
    Some(resolve_in(word, &sel, &found, rundir))
}

/// The wiring point for commands: `word` as [`Target::parse`] reads it, or, when it is a
/// selector that no run-dir entry is named after, the namespace it selects (a path target).
/// An unknown or ambiguous selector fails ([`crate::Error::Select`]; with `setup`, as part
/// of exec's set-up: status 255, which ends a batch as exec's other set-up failures do).
/// Roots come from [`Roots::from_env`].
pub fn target(word: &OsStr, rundir: &RunDir, setup: bool) -> crate::Result<Target> {
    match resolve(word, rundir, &Roots::from_env()) {
        None => Ok(Target::parse(word)),
        Some(Ok(r)) => Ok(Target::Path(r.path)),
        Some(Err(error)) => Err(crate::Error::Select { error, setup }),
    }
}

/// The PID of `attach NAME PID` when the word is a selector (`container:`, `pod:`, `pid:`):
/// a process in the selected namespace. `None`: not a selector, ip's PID parsing applies.
pub fn attach_pid(word: &OsStr, rundir: &RunDir) -> Option<crate::Result<i32>> {
    Selector::parse(word)?;
    let r = resolve_anyway(word, rundir, &Roots::from_env())?;
    let fail = |error| crate::Error::Select { error, setup: false };
    Some(
        r.map_err(fail)
            .and_then(|r| i32::try_from(r.pid).map_err(|_| fail(SelectError::Unknown(word.to_os_string())))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::owners::Runtime;

    #[test]
    fn words() {
        let p = |w: &str| Selector::parse(OsStr::new(w));
        assert_eq!(p("container:web1"), Some(Selector::Container("web1".into())));
        assert_eq!(
            p("pod:web-0"),
            Some(Selector::Pod {
                namespace: None,
                name: "web-0".into()
            })
        );
        assert_eq!(
            p("pod:default/web-0"),
            Some(Selector::Pod {
                namespace: Some("default".into()),
                name: "web-0".into()
            })
        );
        assert_eq!(p("pid:42"), Some(Selector::Pid(42)));
        for w in [
            "container:",
            "pod:",
            "pod:/x",
            "pod:x/",
            "pid:0",
            "pid:-1",
            "pid:0x10",
            "pid:",
            "web1",
            "foo:bar",
            "pid:99999999999",
        ] {
            assert_eq!(p(w), None, "{w}");
        }
    }

    fn owner(id: &str, name: &str, pod: Option<(&str, &str)>, sandbox: bool, pid: u32) -> Owner {
        Owner {
            runtime: Runtime::Containerd,
            id: Some(id.into()),
            name: (!name.is_empty()).then(|| name.into()),
            pod: pod.map(|(ns, n)| Pod {
                namespace: Some(ns.into()),
                name: Some(n.into()),
                uid: Some(format!("uid-{n}")),
            }),
            sandbox,
            pids: vec![pid],
        }
    }

    #[test]
    fn matching() {
        let rd = RunDir::new("/nonexistent-rundir");
        let a = "ab".repeat(32);
        let b = format!("abc{}", "0".repeat(61));
        let s = "5".repeat(64);
        let found = vec![
            Discovered {
                ino: 1,
                owners: vec![owner(&a, "web1", None, false, 10)],
                mounts: vec!["/run/docker/netns/x".into()],
                ..Default::default()
            },
            Discovered {
                ino: 2,
                owners: vec![
                    owner(&s, "", Some(("default", "web-0")), true, 20),
                    owner(&b, "app", Some(("default", "web-0")), false, 21),
                ],
                ..Default::default()
            },
            Discovered {
                ino: 3,
                owners: vec![owner(&"7".repeat(64), "app", Some(("other", "web-0")), false, 30)],
                ..Default::default()
            },
        ];
        let r = |w: &str| {
            let sel = Selector::parse(OsStr::new(w)).unwrap();
            resolve_in(OsStr::new(w), &sel, &found, &rd)
        };
        assert_eq!(r("container:web1").unwrap().path, PathBuf::from("/run/docker/netns/x"));
        assert_eq!(r(&format!("container:{a}")).unwrap().pid, 10);
        assert_eq!(r("container:abc").unwrap().pid, 21, "abc prefixes only one id");
        match r("container:ab") {
            Err(SelectError::Ambiguous(_, c)) => assert_eq!(c.len(), 2, "{c:?}"),
            x => panic!("{x:?}"),
        }
        match r("container:app") {
            Err(SelectError::Ambiguous(_, c)) => assert_eq!(c.len(), 2, "{c:?}"),
            x => panic!("{x:?}"),
        }
        assert_eq!(
            r("pod:default/web-0").unwrap(),
            Resolved {
                path: "/proc/20/ns/net".into(),
                pid: 20
            }
        );
        assert_eq!(r("pod:other/web-0").unwrap().pid, 30);
        assert!(matches!(r("pod:web-0"), Err(SelectError::Ambiguous(..))));
        let e = r("container:nope").unwrap_err();
        assert_eq!(e.to_string(), "Cannot find container \"nope\"");
        assert_eq!(r("pod:x").unwrap_err().to_string(), "Cannot find pod \"x\"");
        let amb = r("container:ab").unwrap_err().to_string();
        assert!(
            amb.starts_with("\"container:ab\" is ambiguous, it matches:\n  "),
            "{amb}"
        );
    }
}
