//! Whether a run-dir entry is mounted in some other mount namespace of the host.
//!
//! A namespace bound at `RUNDIR/NAME` only inside another mount namespace (an `ip netns add`
//! inside `ip netns exec`, a service with private mounts) looks like an empty placeholder
//! from here; unlinking it would detach that mount there too and destroy a live namespace.
//! `prune` asks this module first.
//!
//! An entry is named by the file system it lives on and its path inside that file system
//! (not by its path in a mount tree, which differs between namespaces). Every distinct mount
//! namespace that a process of this /proc is in is read once (`/proc/PID/mountinfo`): a
//! mount whose parent mount is of the same file system and whose mount point, taken relative
//! to that parent, is the entry's path, is a mount on the entry. Mount namespaces that no
//! process is in are found too: those bound on a file (an nsfs mount whose root is
//! `mnt:[INODE]`, as `unshare --mount=FILE` makes, in any table read) and those a process
//! holds open (`/proc/PID/fd/N` reading `mnt:[INODE]`); each is entered on a fresh thread to
//! read its table (`/proc/thread-self/mountinfo`).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// One line of mountinfo: the fields this module needs.
#[derive(Debug, Clone)]
struct Mount {
    id: u64,
    parent: u64,
    /// The file system type is nsfs.
    nsfs: bool,
    /// `major:minor` as written.
    dev: Vec<u8>,
    /// The mount's root inside its file system.
    root: Vec<u8>,
    /// The mount point in this namespace.
    point: Vec<u8>,
}

/// Undo mountinfo's octal escapes (`\040` for a space, `\011`, `\012`, `\134`).
fn unescape(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 3 < s.len() && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let v = s[i + 1..i + 4].iter().fold(0u32, |a, c| a * 8 + u32::from(c - b'0'));
            out.push(v as u8);
            i += 4;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn parse(text: &[u8]) -> Vec<Mount> {
    text.split(|&b| b == b'\n')
        .filter_map(|line| {
            let mut f = line.split(|&b| b == b' ');
            let id = std::str::from_utf8(f.next()?).ok()?.parse().ok()?;
            let parent = std::str::from_utf8(f.next()?).ok()?.parse().ok()?;
            let dev = f.next()?.to_vec();
            let root = unescape(f.next()?);
            let point = unescape(f.next()?);
            // The optional fields end at `-`; the file system type follows.
            let nsfs = f.by_ref().any(|w| w == b"-") && f.next() == Some(&b"nsfs"[..]);
            Some(Mount {
                id,
                parent,
                nsfs,
                dev,
                root,
                point,
            })
        })
        .collect()
}

/// The mount table of the mount namespace `path` opens (an nsfs file or a descriptor's
/// /proc link), read on a fresh thread that enters it. Needs CAP_SYS_ADMIN.
fn read_entered(path: &std::path::Path) -> Option<Vec<u8>> {
    use std::os::fd::OwnedFd;
    let fd: OwnedFd = std::fs::File::open(path).ok()?.into();
    if crate::sys::ns_type(std::os::fd::AsFd::as_fd(&fd)) != Some(libc::CLONE_NEWNS) {
        return None;
    }
    super::thread::on_fresh_thread(Some(&fd), || std::fs::read("/proc/thread-self/mountinfo").ok())
        .ok()
        .flatten()
}

/// `path` relative to the mount point `point` (both absolute), if it lies under it.
fn under<'a>(path: &'a [u8], point: &[u8]) -> Option<&'a [u8]> {
    if point == b"/" {
        return Some(path);
    }
    let rest = path.strip_prefix(point)?;
    (rest.is_empty() || rest[0] == b'/').then_some(rest)
}

/// `root` + `rel`, the path inside the file system.
fn join(root: &[u8], rel: &[u8]) -> Vec<u8> {
    let mut p = if root == b"/" { Vec::new() } else { root.to_vec() };
    p.extend_from_slice(rel);
    if p.is_empty() {
        p.push(b'/');
    }
    p
}

/// Where an entry lives: its file system's device and its path inside that file system.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    dev: Vec<u8>,
    path: Vec<u8>,
}

/// The place of the mount point of `m`, from its parent in the same table.
fn place_of(m: &Mount, by_id: &std::collections::HashMap<u64, &Mount>) -> Option<Place> {
    let parent = by_id.get(&m.parent)?;
    let rel = under(&m.point, &parent.point)?;
    Some(Place {
        dev: parent.dev.clone(),
        path: join(&parent.root, rel),
    })
}

/// The mount tables of every other mount namespace, read once per `prune`.
pub struct OtherMounts {
    /// Every mount of the other namespaces, as the place it is mounted on.
    places: Vec<Place>,
    /// This namespace's table, to place an entry.
    own: Vec<Mount>,
}

impl OtherMounts {
    /// Read `/proc/self/mountinfo` and the mountinfo of every other mount namespace: one
    /// process's per namespace processes are in, then those held only by a bind mount or a
    /// descriptor (entered to be read). Processes that vanish or cannot be read are skipped.
    pub fn read() -> OtherMounts {
        let own = std::fs::read("/proc/self/mountinfo")
            .map(|t| parse(&t))
            .unwrap_or_default();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        if let Ok(me) = std::fs::read_link("/proc/self/ns/mnt") {
            seen.insert(me.into_os_string().into_encoded_bytes());
        }
        let mut places = Vec::new();
        // Mount namespaces held without a process: where to open each (a path from here).
        let mut held: Vec<(Vec<u8>, std::path::PathBuf)> = Vec::new();
        let bound = |table: &[Mount], via: &std::path::Path, held: &mut Vec<(Vec<u8>, std::path::PathBuf)>| {
            for m in table.iter().filter(|m| m.nsfs && m.root.starts_with(b"mnt:[")) {
                let point = std::path::Path::new(OsStr::from_bytes(&m.point));
                held.push((m.root.clone(), via.join(point.strip_prefix("/").unwrap_or(point))));
            }
        };
        bound(&own, "/".as_ref(), &mut held);
        let pids = std::fs::read_dir("/proc").into_iter().flatten().flatten();
        for e in pids {
            let name = e.file_name();
            if !name.as_bytes().iter().all(u8::is_ascii_digit) {
                continue;
            }
            let dir = e.path();
            // Descriptors of mount namespaces (`mnt:[INODE]`).
            for fd in std::fs::read_dir(dir.join("fd")).into_iter().flatten().flatten() {
                if let Ok(link) = std::fs::read_link(fd.path()) {
                    let link = link.into_os_string().into_encoded_bytes();
                    if link.starts_with(b"mnt:[") {
                        held.push((link, fd.path()));
                    }
                }
            }
            let Ok(ns) = std::fs::read_link(dir.join("ns/mnt")) else {
                continue;
            };
            let ns = ns.into_os_string().into_encoded_bytes();
            if seen.contains(&ns) {
                continue;
            }
            // Seen only once its table is read: a process exiting meanwhile leaves the
            // namespace to another process, or to whatever holds it open.
            let Ok(text) = std::fs::read(dir.join("mountinfo")) else {
                continue;
            };
            seen.insert(ns);
            let table = parse(&text);
            bound(&table, &dir.join("root"), &mut held);
            let by_id = table.iter().map(|m| (m.id, m)).collect();
            places.extend(table.iter().filter_map(|m| place_of(m, &by_id)));
        }
        // Each held namespace once; a table read this way may name more (bounded: a
        // namespace is read once, and there are only so many).
        while let Some((ns, path)) = held.pop() {
            if !seen.insert(ns) {
                continue;
            }
            let Some(text) = read_entered(&path) else {
                continue;
            };
            let table = parse(&text);
            // (A namespace bound only inside this one is not followed: its file is not
            // reachable from here.)
            let by_id = table.iter().map(|m| (m.id, m)).collect();
            places.extend(table.iter().filter_map(|m| place_of(m, &by_id)));
        }
        OtherMounts { places, own }
    }

    /// Whether `rundir/name` has a mount on it in another mount namespace. `rundir` is the
    /// run dir's absolute path in this namespace (symlinks resolved). When the entry cannot
    /// be placed (the run dir is in no mount of the table), the answer is yes: unknown is
    /// treated as mounted.
    pub fn mounted(&self, rundir: &std::path::Path, name: &OsStr) -> bool {
        if self.places.is_empty() {
            return false;
        }
        let mut path = rundir.as_os_str().as_bytes().to_vec();
        path.push(b'/');
        path.extend_from_slice(name.as_bytes());
        // The mount of this namespace that holds the entry: the last one (mounts stack in
        // table order) whose mount point is the longest prefix of the run dir's path.
        let holder = self
            .own
            .iter()
            .enumerate()
            .filter(|(_, m)| under(rundir.as_os_str().as_bytes(), &m.point).is_some())
            .max_by_key(|(i, m)| (m.point.len(), *i));
        let Some((_, holder)) = holder else {
            return true;
        };
        let rel = under(&path, &holder.point).unwrap_or(&path);
        let want = Place {
            dev: holder.dev.clone(),
            path: join(&holder.root, rel),
        };
        self.places.contains(&want)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_a_mount_through_its_parent() {
        let t = b"22 1 0:20 / /run rw - tmpfs t rw\n30 22 0:20 /netns /srv/ns\\040x rw - tmpfs t rw\n31 30 0:4 net:[1] /srv/ns\\040x/red rw - nsfs nsfs rw\n";
        let table = parse(t);
        assert_eq!(table[1].point, b"/srv/ns x");
        let by_id = table.iter().map(|m| (m.id, m)).collect();
        let p = place_of(&table[2], &by_id).unwrap();
        assert_eq!(
            p,
            Place {
                dev: b"0:20".to_vec(),
                path: b"/netns/red".to_vec()
            }
        );
        let own = parse(b"22 1 0:20 / /run rw - tmpfs t rw\n");
        let om = OtherMounts { places: vec![p], own };
        assert!(om.mounted("/run/netns".as_ref(), OsStr::new("red")));
        assert!(!om.mounted("/run/netns".as_ref(), OsStr::new("blue")));
    }
}
