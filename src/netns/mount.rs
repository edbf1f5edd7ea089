//! Run-dir preparation and the mounts behind `add`, `attach` and `delete`.

use std::ffi::OsStr;
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg, OFlag, open};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};
use nix::sys::stat::{Mode, SFlag, lstat};
use nix::unistd::mkdir;
use nix::unistd::unlink;

use super::thread::{Creator, on_fresh_thread};
use super::{Netns, RunDir};
use crate::error::{Error, Result};

/// A path shown in a message (formatted only when the message is made).
struct DisplayPath<'a>(&'a [u8]);

impl std::fmt::Display for DisplayPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.0))
    }
}

/// The run-dir lock: an exclusive `flock` on the directory, released when dropped.
pub struct RunDirLock {
    _lock: Option<Flock<File>>,
}

impl RunDir {
    /// Take the run-dir lock if the directory can be opened (no message otherwise): used
    /// by delete and prune, which must not create the directory.
    pub fn lock_existing(&self) -> RunDirLock {
        let lock = open(
            self.path(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .ok()
        .and_then(|fd| Flock::lock(File::from(fd), FlockArg::LockExclusive).ok());
        RunDirLock { _lock: lock }
    }

    /// iproute2's `create_netns_dir` + the propagation loop of `netns_add` (with the
    /// private step of iproute2 7.0 on first set-up). Returns the held lock. Needs
    /// CAP_SYS_ADMIN.
    pub fn prepare(&self) -> Result<RunDirLock> {
        // The path for messages, made only when one is printed (add runs this on a fresh
        // thread, whose first allocation would set up a whole malloc arena).
        let d = DisplayPath(self.display());
        match mkdir(self.path(), Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(Error::os(format!("mkdir {d} failed"), e)),
        }
        let fd = open(
            self.path(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::os(format!("Cannot open netns runtime directory \"{d}\""), e))?;
        let lock = match Flock::lock(File::from(fd), FlockArg::LockExclusive) {
            Ok(l) => Some(l),
            Err((_, e)) => {
                eprintln!(
                    "Warning: could not flock netns runtime directory \"{d}\": {}",
                    crate::error::strerror(e)
                );
                None
            }
        };
        let mut bound = false;
        loop {
            match mount(
                Some(""),
                self.path(),
                Some("none"),
                MsFlags::MS_SHARED | MsFlags::MS_REC,
                None::<&str>,
            ) {
                Ok(()) => break,
                Err(Errno::EINVAL) if !bound => {
                    mount(
                        Some(self.path()),
                        self.path(),
                        Some("none"),
                        MsFlags::MS_BIND | MsFlags::MS_REC,
                        None::<&str>,
                    )
                    .map_err(|e| Error::os(format!("mount --bind {d} {d} failed"), e))?;
                    // iproute2 7.0: a new peer group, so a shared parent does not double
                    // every namespace mount.
                    mount(
                        Some(""),
                        self.path(),
                        Some("none"),
                        MsFlags::MS_PRIVATE | MsFlags::MS_REC,
                        None::<&str>,
                    )
                    .map_err(|e| Error::os(format!("mount --make-private {d} failed"), e))?;
                    bound = true;
                }
                Err(e) => return Err(Error::os(format!("mount --make-shared {d} failed"), e)),
            }
        }
        Ok(RunDirLock { _lock: lock })
    }

    /// `RUNDIR/NAME` for a new entry, refusing a NAME that would leave the run dir (`/` or
    /// `..`). ip skips its name check under `-all` and creates `-all add ../x` outside it.
    fn confined_entry(&self, name: &OsStr) -> Result<std::path::PathBuf> {
        let b = name.as_encoded_bytes();
        if b.contains(&b'/') || b == b".." {
            return Err(Error::InvalidName(name.to_os_string()));
        }
        Ok(self.entry(name))
    }

    /// The empty mode-000 placeholder: `open(O_RDONLY|O_CREAT|O_EXCL, 0)`.
    fn create_entry(&self, path: &Path) -> Result<()> {
        open(
            path,
            OFlag::O_RDONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map(drop)
        .map_err(|e| Error::os(entry_msg("Cannot create namespace file", path), e))
    }

    /// Remove an entry that this process created and could not finish.
    fn discard(&self, path: &Path, was_mounted: bool) {
        if was_mounted {
            let _ = umount2(path, MntFlags::MNT_DETACH | MntFlags::UMOUNT_NOFOLLOW);
        }
        if let Err(e) = unlink(path) {
            eprintln!("{}", Error::os(entry_msg("Cannot remove namespace file", path), e));
        }
    }

    /// `ip netns add NAME`: a new network namespace, bind-mounted at `RUNDIR/NAME`. Needs
    /// CAP_SYS_ADMIN. See [`RunDir::add_from`].
    pub fn add(&self, name: &OsStr) -> Result<()> {
        self.add_from(name, None)
    }

    /// `add` with the mounts made in the mount namespace `home` (rnetns `-n X add Y`).
    ///
    /// Everything happens on a throwaway thread: run-dir preparation, the O_EXCL placeholder,
    /// `unshare(CLONE_NEWNET)` and the bind mount of `/proc/thread-self/ns/net`, all under
    /// the run-dir lock. The caller's thread never changes namespace; on failure only NAME
    /// is removed.
    pub fn add_from(&self, name: &OsStr, home: Option<&OwnedFd>) -> Result<()> {
        let path = self.confined_entry(name)?;
        on_fresh_thread(home, || self.add_here(name, &path))
            .map_err(|e| Error::os("Cannot start a thread for the new namespace", e))?
    }

    /// `add` on a batch's [`Creator`] thread instead of a fresh one (same steps).
    pub fn add_on(&self, name: &OsStr, creator: &Creator) -> Result<()> {
        let path = self.confined_entry(name)?;
        let (rundir, name) = (self.clone(), name.to_os_string());
        creator
            .run(move || rundir.add_here(&name, &path))
            .map_err(|e| Error::os("Cannot start a thread for the new namespace", e))?
    }

    /// The body of `add`, on a thread that may change namespace: lock and prepare the run
    /// dir, the placeholder, `unshare(CLONE_NEWNET)`, the bind mount of
    /// `/proc/thread-self/ns/net`. Allocates nothing on success (a thread's first
    /// allocation costs a malloc arena).
    fn add_here(&self, name: &OsStr, path: &Path) -> Result<()> {
        let _lock = self.prepare()?;
        self.create_entry(path)?;
        if let Err(e) = unshare(CloneFlags::CLONE_NEWNET) {
            self.discard(path, false);
            let mut m = b"Failed to create a new network namespace \"".to_vec();
            m.extend_from_slice(name.as_encoded_bytes());
            m.push(b'"');
            return Err(Error::os(m, e));
        }
        mount(
            Some("/proc/thread-self/ns/net"),
            path,
            Some("none"),
            MsFlags::MS_BIND,
            None::<&str>,
        )
        .map_err(|e| {
            self.discard(path, false);
            bind_error(b"/proc/self/ns/net", path, e)
        })
    }

    /// `ip netns attach NAME PID`: bind-mount `/proc/PID/ns/net` at `RUNDIR/NAME`. Needs
    /// CAP_SYS_ADMIN (and CAP_SYS_PTRACE for another user's process).
    pub fn attach(&self, name: &OsStr, pid: i32) -> Result<()> {
        let path = self.confined_entry(name)?;
        let _lock = self.prepare()?;
        self.create_entry(&path)?;
        let source = format!("/proc/{pid}/ns/net");
        mount(
            Some(source.as_str()),
            &path,
            Some("none"),
            MsFlags::MS_BIND,
            None::<&str>,
        )
        .map_err(|e| {
            self.discard(&path, false);
            bind_error(source.as_bytes(), &path, e)
        })
    }

    /// `ip netns delete NAME`: unmount and unlink one entry under the run-dir lock.
    /// A symlink is only unlinked (its target stays mounted); if the entry cannot be
    /// unlinked, the namespace is mounted back under its name and the error reported.
    /// Needs CAP_SYS_ADMIN.
    pub fn delete(&self, name: &OsStr) -> Result<()> {
        let _lock = self.lock_existing();
        self.delete_locked(name)
    }

    fn delete_locked(&self, name: &OsStr) -> Result<()> {
        let path = self.entry(name);
        let is_link =
            lstat(&path).is_ok_and(|st| SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFLNK);
        let mut keep: Option<OwnedFd> = None;
        let mut unmounted = false;
        if !is_link {
            keep = Netns::open_nofollow(&path)
                .ok()
                .filter(|ns| ns.check().is_ok())
                .map(Netns::into_fd);
            // Stacked mounts (left by racing tools) would make the unlink fail: peel them all.
            for _ in 0..64 {
                match umount2(&path, MntFlags::MNT_DETACH | MntFlags::UMOUNT_NOFOLLOW) {
                    Ok(()) => unmounted = true,
                    Err(_) => break,
                }
            }
        }
        if let Err(e) = unlink(&path) {
            if unmounted && let Some(fd) = &keep {
                let src = format!("/proc/self/fd/{}", fd.as_raw_fd());
                let _ = mount(Some(src.as_str()), &path, Some("none"), MsFlags::MS_BIND, None::<&str>);
            }
            return Err(Error::os(entry_msg("Cannot remove namespace file", &path), e));
        }
        Ok(())
    }

    /// `ip -all netns delete`: every entry, in readdir order. Unlike ip 6.1 it goes on after
    /// a failure; every failure is printed and the result is the first error's status.
    /// Needs CAP_SYS_ADMIN.
    pub fn delete_all(&self) -> Result<()> {
        let _lock = self.lock_existing();
        let entries = match self.entries() {
            Ok(e) => e,
            Err(Errno::ENOENT) => return Ok(()),
            Err(e) => {
                return Err(Error::os(
                    format!("Failed to open directory {}", String::from_utf8_lossy(self.display())),
                    e,
                ));
            }
        };
        let mut failed = false;
        for entry in entries {
            if let Err(e) = self.delete_locked(&entry.name) {
                eprintln!("{}", String::from_utf8_lossy(&e.message()));
                failed = true;
            }
        }
        if failed { Err(Error::Reported(1)) } else { Ok(()) }
    }
}

impl Netns {
    /// Open without following a final symlink and without blocking on FIFOs (delete's
    /// safety net only).
    fn open_nofollow(path: &Path) -> std::result::Result<Netns, Errno> {
        let fd = open(
            path,
            OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK,
            Mode::empty(),
        )?;
        Ok(Netns { fd })
    }
}

fn entry_msg(what: &str, path: &Path) -> Vec<u8> {
    let mut m = what.as_bytes().to_vec();
    m.extend_from_slice(b" \"");
    m.extend_from_slice(path.as_os_str().as_encoded_bytes());
    m.push(b'"');
    m
}

fn bind_error(source: &[u8], path: &Path, e: Errno) -> Error {
    let mut m = b"Bind ".to_vec();
    m.extend_from_slice(source);
    m.extend_from_slice(b" -> ");
    m.extend_from_slice(path.as_os_str().as_encoded_bytes());
    m.extend_from_slice(b" failed");
    Error::os(m, e)
}
