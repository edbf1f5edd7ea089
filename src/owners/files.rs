//! Reading runtime state files defensively: every path is walked from an opened root
//! directory one component at a time with `O_NOFOLLOW`, so a symlink anywhere below the
//! root (to `/etc/shadow`, to a FIFO, to another runtime's tree) is never followed; only
//! regular files are read, opened non-blocking, and never more than a cap.

use std::ffi::OsStr;
use std::io::Read;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use nix::dir::Dir;
use nix::fcntl::{OFlag, open, openat};
use nix::sys::stat::{Mode, SFlag, fstat};

/// The largest per-container state file read (Docker's config.v2.json, an OCI spec).
pub const FILE_CAP: u64 = 4 << 20;
/// The largest `containers.json` read (one entry of about 500 bytes per container of the
/// store: some 30,000 containers).
pub const INDEX_CAP: u64 = 16 << 20;

/// An opened state root (`/var/lib/docker`, `/run/containerd`, ...). The root itself may be
/// a symlink (a relocated data directory); nothing below it is followed.
#[derive(Debug)]
pub struct Root {
    fd: OwnedFd,
}

/// A component is a plain name: not empty, no `/`, not `.` or `..`.
pub fn plain(name: &[u8]) -> bool {
    !name.is_empty() && name != b"." && name != b".." && !name.contains(&b'/') && !name.contains(&0)
}

impl Root {
    /// Open the root directory; `None` when it is missing or unreadable.
    pub fn open(path: &Path) -> Option<Root> {
        let fd = open(
            path,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        Some(Root { fd })
    }

    fn walk(&self, dirs: &[&[u8]]) -> Option<OwnedFd> {
        let mut cur = self.fd.as_fd().try_clone_to_owned().ok()?;
        for c in dirs {
            if !plain(c) {
                return None;
            }
            cur = openat(
                cur.as_fd(),
                OsStr::from_bytes(c),
                OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                Mode::empty(),
            )
            .ok()?;
        }
        Some(cur)
    }

    /// The plain entries (real directories only, no symlinks) of a directory below the
    /// root, in readdir order.
    pub fn subdirs(&self, dirs: &[&[u8]]) -> Vec<Vec<u8>> {
        let Some(fd) = self.walk(dirs) else {
            return Vec::new();
        };
        let Ok(mut dir) = Dir::from_fd(fd) else {
            return Vec::new();
        };
        dir.iter()
            .filter_map(|e| e.ok())
            .filter(|e| matches!(e.file_type(), Some(nix::dir::Type::Directory) | None))
            .map(|e| e.file_name().to_bytes().to_vec())
            .filter(|n| plain(n))
            .collect()
    }

    /// The content of a regular file below the root, or `None` when any component is
    /// missing, a symlink, not a directory / not a regular file, or the file is over `cap`.
    pub fn read(&self, dirs: &[&[u8]], file: &[u8], cap: u64) -> Option<Vec<u8>> {
        if !plain(file) {
            return None;
        }
        let dir = self.walk(dirs)?;
        let fd = openat(
            dir.as_fd(),
            OsStr::from_bytes(file),
            OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        let st = fstat(&fd).ok()?;
        if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT != SFlag::S_IFREG || st.st_size as u64 > cap {
            return None;
        }
        let mut out = Vec::new();
        std::fs::File::from(fd).take(cap + 1).read_to_end(&mut out).ok()?;
        (out.len() as u64 <= cap).then_some(out)
    }
}

/// A JSON document, or `None` when it is not valid JSON (truncated, hostile, too deep:
/// serde_json stops at 128 levels).
pub fn json(bytes: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(bytes).ok()
}

/// A string member of a JSON object, when it is a non-empty string.
pub fn str_at<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_symlinks_no_fifos_no_big_files() {
        let root = std::env::temp_dir().join(format!("rnetns-owners-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/f"), b"hello").unwrap();
        std::fs::write(root.join("secret"), b"s").unwrap();
        std::os::unix::fs::symlink("../../secret", root.join("a/b/link")).unwrap();
        std::os::unix::fs::symlink("b", root.join("a/lb")).unwrap();
        nix::unistd::mkfifo(&root.join("a/b/fifo"), Mode::from_bits_truncate(0o600)).unwrap();
        let r = Root::open(&root).unwrap();
        assert_eq!(r.read(&[b"a", b"b"], b"f", 100).as_deref(), Some(&b"hello"[..]));
        assert_eq!(r.read(&[b"a", b"b"], b"f", 4), None, "over the cap");
        assert_eq!(r.read(&[b"a", b"b"], b"link", 100), None, "symlinked file");
        assert_eq!(r.read(&[b"a", b"lb"], b"f", 100), None, "symlinked directory");
        assert_eq!(
            r.read(&[b"a", b"b"], b"fifo", 100),
            None,
            "a FIFO neither blocks nor reads"
        );
        assert_eq!(r.read(&[b"a", b".."], b"secret", 100), None);
        assert_eq!(r.read(&[b"a/b"], b"f", 100), None);
        assert_eq!(r.subdirs(&[b"a"]), vec![b"b".to_vec()]);
        std::fs::remove_dir_all(&root).unwrap();
        assert!(json(b"{\"a\":").is_none());
        assert!(json("[".repeat(10_000).as_bytes()).is_none());
    }
}
