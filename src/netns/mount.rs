//! Run-dir preparation and the mounts behind `add`, `attach` and `delete`.

use std::ffi::{CStr, OsStr, OsString};
use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use nix::errno::Errno;

use crate::error::{RunDirStep, errno};
use nix::fcntl::{OFlag, open};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};
use nix::sys::stat::{Mode, SFlag, lstat};
use nix::unistd::mkdir;
use nix::unistd::unlink;

use super::RunDir;
use super::thread::{Creators, on_fresh_thread};
use crate::error::{Error, Result};

/// The run-dir lock: an exclusive `flock` on the directory, released when dropped.
pub struct RunDirLock {
    _lock: Option<File>,
}

impl Drop for RunDirLock {
    /// Unlock, then close (the close releases the lock anyway; the unlock first means a
    /// descriptor that somehow stays open never keeps the lock). A failure changes nothing
    /// and is not a panic.
    fn drop(&mut self) {
        if let Some(f) = &self._lock {
            let _ = crate::sys::flock_unlock(f.as_fd());
        }
    }
}

/// `file` with the exclusive lock taken (waiting for it, or not with `nonblock`).
fn locked(file: File, nonblock: bool) -> std::result::Result<File, Errno> {
    crate::sys::flock_exclusive(file.as_fd(), nonblock).map(|()| file)
}

impl RunDir {
    /// Take the run-dir lock if the directory can be opened (no message otherwise): used
    /// by delete and prune, which must not create the directory.
    pub fn lock_existing(&self) -> RunDirLock {
        RunDirLock {
            _lock: self.lock_file().and_then(|f| locked(f, false).ok()),
        }
    }

    /// The run dir opened for `flock`, if it can be.
    fn lock_file(&self) -> Option<File> {
        open(
            self.path(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .ok()
        .map(File::from)
    }

    /// The run-dir lock if it comes free within a short wait; without it otherwise. `delete`
    /// takes it this way: it is serialised with the run-dir preparation of adds and
    /// attaches (they hold the lock for a moment, as ip does), but ip's delete takes no
    /// lock, so a lock held for long by someone else must not make it hang.
    pub fn lock_existing_briefly(&self) -> RunDirLock {
        const PATIENCE: std::time::Duration = std::time::Duration::from_millis(200);
        let Some(file) = self.lock_file() else {
            return RunDirLock { _lock: None };
        };
        let start = std::time::Instant::now();
        loop {
            match crate::sys::flock_exclusive(file.as_fd(), true) {
                Ok(()) => return RunDirLock { _lock: Some(file) },
                Err(Errno::EWOULDBLOCK) if start.elapsed() < PATIENCE => {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Err(_) => return RunDirLock { _lock: None },
            }
        }
    }

    /// A failed step of preparing the run dir (the path is copied only when one fails:
    /// add runs this on a fresh thread, whose first allocation would set up a malloc arena).
    fn step_error(&self, step: RunDirStep, e: Errno) -> Error {
        Error::RunDir {
            step,
            dir: self.path().to_path_buf(),
            errno: errno(e),
        }
    }

    /// iproute2's `create_netns_dir` + the propagation loop of `netns_add` (with the
    /// private step of iproute2 7.0 on first set-up). Returns the held lock, and ip's
    /// warning when the lock could not be taken. Needs CAP_SYS_ADMIN.
    pub(crate) fn prepare(&self) -> Result<(RunDirLock, Option<Error>)> {
        let (lock, warning) = self.open_locked()?;
        Self::share(self.path()).map_err(|(step, e)| self.step_error(step, e))?;
        Ok((RunDirLock { _lock: lock }, warning))
    }

    /// The first half of [`RunDir::prepare`]: the run dir made if missing, opened and locked.
    /// The locked file (None when it could not be locked), and ip's warning then.
    fn open_locked(&self) -> Result<(Option<File>, Option<Error>)> {
        match mkdir(self.path(), Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => return Err(self.step_error(RunDirStep::Mkdir, e)),
        }
        let fd = open(
            self.path(),
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| self.step_error(RunDirStep::Open, e))?;
        match locked(File::from(fd), false) {
            Ok(l) => Ok((Some(l), None)),
            Err(e) => Ok((
                None,
                Some(Error::FlockWarning {
                    dir: self.path().to_path_buf(),
                    errno: errno(e),
                }),
            )),
        }
    }

    /// The second half: the run dir `dir` (this run dir's path) made a shared mount, bound
    /// onto itself first if it is not a mount yet. Allocates nothing for a path as short
    /// as a run dir's (or given as a `CStr`).
    fn share<P: ?Sized + nix::NixPath>(dir: &P) -> std::result::Result<(), (RunDirStep, Errno)> {
        let mut bound = false;
        loop {
            match mount(
                Some(""),
                dir,
                Some("none"),
                MsFlags::MS_SHARED | MsFlags::MS_REC,
                None::<&str>,
            ) {
                Ok(()) => return Ok(()),
                Err(Errno::EINVAL) if !bound => {
                    mount(
                        Some(dir),
                        dir,
                        Some("none"),
                        MsFlags::MS_BIND | MsFlags::MS_REC,
                        None::<&str>,
                    )
                    .map_err(|e| (RunDirStep::Bind, e))?;
                    // iproute2 7.0: a new peer group, so a shared parent does not double
                    // every namespace mount.
                    mount(
                        Some(""),
                        dir,
                        Some("none"),
                        MsFlags::MS_PRIVATE | MsFlags::MS_REC,
                        None::<&str>,
                    )
                    .map_err(|e| (RunDirStep::MakePrivate, e))?;
                    bound = true;
                }
                Err(e) => return Err((RunDirStep::MakeShared, e)),
            }
        }
    }

    /// `RUNDIR/NAME` for a new entry, refusing a NAME that would leave the run dir. ip skips
    /// its name check under `-all`, and `-all add ../x` creates and mounts `/run/x`; rnetns
    /// refuses exactly those: a NAME with `/` whose parent directory resolves outside the run
    /// dir. Every other NAME goes on as with ip (`sub/x` in a subdirectory of the run dir,
    /// or a NAME whose creation fails anyway: `..`, `a/b` with no `a`).
    fn confined_entry(&self, name: &OsStr) -> Result<std::path::PathBuf> {
        let path = self.entry(name);
        if !name.as_encoded_bytes().contains(&b'/') {
            return Ok(path);
        }
        let Some(parent) = path.parent() else {
            return Ok(path);
        };
        match (std::fs::canonicalize(parent), std::fs::canonicalize(self.path())) {
            (Ok(real), Ok(base)) if !real.starts_with(&base) => Err(Error::InvalidName(name.to_os_string())),
            _ => Ok(path),
        }
    }

    /// The empty mode-000 placeholder: `open(O_RDONLY|O_CREAT|O_EXCL, 0)`, kept open: the
    /// mount goes onto this very file ([`Placeholder::bind`]).
    fn create_entry(&self, path: &Path) -> Result<Placeholder> {
        open(
            path,
            OFlag::O_RDONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map(|fd| Placeholder { fd })
        .map_err(|e| entry_error(path, e))
    }

    /// `err` ended an add or attach after the placeholder was made: remove the placeholder,
    /// if the name is still this placeholder (someone may have deleted it and made another
    /// entry of that name since). When that fails too, both are reported in ip's order (the
    /// failure, then the cleanup's); otherwise `err` goes back to the caller as is.
    fn discard(&self, path: &Path, ours: &Placeholder, err: Error) -> Error {
        match ours.identity() {
            Some(id) => self.discard_entry(path, id, err),
            None => err,
        }
    }

    /// [`RunDir::discard`] for the placeholder that is the file `id` (device, inode): removed
    /// only while `path` is still that file.
    fn discard_entry(&self, path: &Path, id: (u64, u64), err: Error) -> Error {
        if !lstat(path).is_ok_and(|st| (st.st_dev, st.st_ino) == id) {
            return err;
        }
        match unlink(path) {
            Ok(()) => err,
            Err(e) => Error::Several(vec![
                err,
                Error::RemoveEntry {
                    path: path.to_path_buf(),
                    errno: errno(e),
                },
            ]),
        }
    }

    /// `ip netns add NAME`: a new network namespace, bind-mounted at `RUNDIR/NAME`. Needs
    /// CAP_SYS_ADMIN. Returns the warnings ip prints on the way (a run dir that cannot be
    /// locked). See [`RunDir::add_from`].
    pub fn add(&self, name: &OsStr) -> Result<Vec<Error>> {
        self.add_from(name, None)
    }

    /// `add` with the mounts made in the mount namespace `home` (rnetns `-n X add Y`).
    ///
    /// The run dir made, opened and locked on the calling thread (ip 6.1's lock), then, in a
    /// child task that shares this process's memory and dies after it
    /// ([`crate::sys::in_vm_child`]), the rest of ip's steps in ip's order: the run dir made
    /// a shared mount, the lock released, the O_EXCL placeholder, `unshare(CLONE_NEWNET)`
    /// and the bind mount of the new namespace onto the placeholder through its descriptor.
    /// One task makes every mount, as ip's one thread does (a fault injected at the Nth
    /// mount meets the same call), and a task costs the add about 0.2 ms less than a
    /// throwaway thread (docs/performance.md). With `home`, the whole add runs on a
    /// throwaway thread that has entered it. The caller's thread never changes namespace;
    /// on failure only NAME is removed. When not even a child task can be made (a full pids
    /// cgroup), the add fails cleanly: `Cannot start a thread for the new namespace` (ip's
    /// way, entering and leaving the namespace on the calling thread, is what STYLE rule 1
    /// forbids).
    pub(crate) fn add_from(&self, name: &OsStr, home: Option<&OwnedFd>) -> Result<Vec<Error>> {
        let path = self.confined_entry(name)?;
        if home.is_none() {
            return self.add_in_child(name, &path);
        }
        on_fresh_thread(home, || self.add_here(name, &path).map(|(w, _)| w)).map_err(|e| Error::Thread(errno(e)))?
    }

    /// [`RunDir::add_from`] without `home`: the steps after the lock in a child task.
    fn add_in_child(&self, name: &OsStr, path: &Path) -> Result<Vec<Error>> {
        use std::os::unix::ffi::OsStrExt;
        let (lock, warning) = self.open_locked()?;
        // The child allocates nothing: its paths are made here.
        let (Ok(dir), Ok(entry)) = (
            std::ffi::CString::new(self.path().as_os_str().as_bytes()),
            std::ffi::CString::new(path.as_os_str().as_bytes()),
        ) else {
            return Err(after_warnings(warning, entry_error(path, Errno::EINVAL)));
        };
        let mut made = ChildAdd::default();
        let held = lock.as_ref().map(|f| f.as_fd());
        let ran = crate::sys::in_vm_child(&mut || {
            made.failed = child_add(&dir, &entry, held, &mut made.entry).err();
        });
        drop(lock); // unlocked by the child: only closed here
        let failed = match ran {
            Ok(true) => made.failed,
            // Killed before it could say.
            Ok(false) => Some((AddStep::Task, Errno::EINTR)),
            Err(e) => Some((AddStep::Task, e)),
        };
        let Some((step, e)) = failed else {
            return Ok(warning.into_iter().collect());
        };
        let err = match step {
            AddStep::RunDir(step) => self.step_error(step, e),
            AddStep::CreateEntry => entry_error(path, e),
            AddStep::InitNetns => Error::InitNetns(errno(e)),
            AddStep::Netns(step) => step.error(name, path, e),
            AddStep::Task => Error::Thread(errno(e)),
        };
        let err = match made.entry {
            Some(id) => self.discard_entry(path, id, err),
            None => err,
        };
        Err(after_warnings(warning, err))
    }

    /// `add` on a batch's [`Creators`] instead of a fresh thread (same steps).
    pub(crate) fn add_on(&self, name: &OsStr, creators: &Creators) -> Result<Vec<Error>> {
        let path = self.confined_entry(name)?;
        let (rundir, name) = (self.clone(), name.to_os_string());
        creators
            .run(move || rundir.add_here(&name, &path).map(|(w, _)| w))
            .map_err(|e| Error::Thread(errno(e)))?
    }

    /// `f` after the run dir is prepared: its result with the preparation's warning first
    /// (on failure the warning and the error are both reported, in that order).
    fn prepared<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<(Vec<Error>, T)> {
        // The run-dir lock is held only while the run dir is prepared, as ip 6.1 holds it:
        // an ip waiting for it never waits for a namespace to be made.
        let (lock, warning) = self.prepare()?;
        drop(lock);
        match f() {
            Ok(t) => Ok((warning.into_iter().collect(), t)),
            Err(e) => Err(after_warnings(warning, e)),
        }
    }

    /// The body of `add`, on a thread that may change namespace: prepare the run dir under
    /// the lock, the placeholder, `unshare(CLONE_NEWNET)`, the bind mount of
    /// `/proc/thread-self/ns/net`. Returns the warnings and the new namespace's identity.
    /// Allocates nothing on success (a thread's first allocation costs a malloc arena).
    pub(crate) fn add_here(&self, name: &OsStr, path: &Path) -> Result<(Vec<Error>, Created)> {
        self.prepared(|| {
            let ours = self.create_entry(path)?;
            self.make_netns(name, path, ours)
        })
    }

    /// The first half of an add, which changes no namespace (a batch's main thread makes
    /// its entries this way, in line order): the run dir prepared and the placeholder made.
    /// Returns ip's warnings with the placeholder, for [`RunDir::add_into`].
    pub(crate) fn add_entry(&self, path: &Path) -> Result<(Vec<Error>, Placeholder)> {
        self.prepared(|| self.create_entry(path))
    }

    /// The second half, on a thread that may change namespace: `unshare(CLONE_NEWNET)` and
    /// the bind mount onto the placeholder [`RunDir::add_entry`] made (removed again on
    /// failure). `warnings` come first, on failure too, as with a whole add.
    pub(crate) fn add_into(
        &self,
        name: &OsStr,
        path: &Path,
        (warnings, ours): (Vec<Error>, Placeholder),
    ) -> Result<(Vec<Error>, Created)> {
        match self.make_netns(name, path, ours) {
            Ok(made) => Ok((warnings, made)),
            Err(e) => Err(after_warnings(warnings, e)),
        }
    }

    /// The namespace for the placeholder `ours` at `path`, made on the calling thread; on
    /// failure the placeholder is removed.
    fn make_netns(&self, name: &OsStr, path: &Path, ours: Placeholder) -> Result<Created> {
        // ip opens its own namespace here, to return to it afterwards; rnetns needs no way
        // back, but an unusable /proc fails the same way, with ip's message (and, unlike ip,
        // without leaving the placeholder behind).
        if let Err(e) = open("/proc/self/ns/net", OFlag::O_RDONLY | OFlag::O_CLOEXEC, Mode::empty()) {
            return Err(self.discard(path, &ours, Error::InitNetns(errno(e))));
        }
        ours.make_netns()
            .map_err(|(step, e)| self.discard(path, &ours, step.error(name, path, e)))
    }

    /// Take back an add a batch made ahead of a line that failed: if `path` is still the
    /// namespace `made` (the same nsfs inode), unmount and unlink it, with catchable signals
    /// blocked in between; anything else under that name is left alone.
    pub(crate) fn undo_add(&self, path: &Path, made: Created) -> Result<()> {
        let _signals = crate::sys::SignalsBlocked::new();
        match nix::sys::stat::stat(path) {
            Ok(st) if made.ino != 0 && st.st_dev == made.dev && st.st_ino == made.ino => {}
            _ => return Ok(()),
        }
        let remove = |e: Errno| Error::RemoveEntry {
            path: path.to_path_buf(),
            errno: errno(e),
        };
        umount2(path, MntFlags::MNT_DETACH | MntFlags::UMOUNT_NOFOLLOW).map_err(remove)?;
        unlink(path).map_err(remove)
    }

    /// `ip netns attach NAME PID`: bind-mount `/proc/PID/ns/net` at `RUNDIR/NAME`. Needs
    /// CAP_SYS_ADMIN (and CAP_SYS_PTRACE for another user's process).
    pub fn attach(&self, name: &OsStr, pid: i32) -> Result<Vec<Error>> {
        let path = self.confined_entry(name)?;
        self.prepared(|| {
            let ours = self.create_entry(&path)?;
            let source = format!("/proc/{pid}/ns/net");
            let mut c = source.clone().into_bytes();
            c.push(0);
            ours.bind(&c)
                .map_err(|e| self.discard(&path, &ours, bind_error(&source, &path, e)))
        })
        .map(|(w, ())| w)
    }

    /// `ip netns delete NAME`: unmount and unlink one entry under the run-dir lock.
    /// A symlink is only unlinked (its target stays mounted); if the entry cannot be
    /// unlinked, the namespace is mounted back under its name and the error reported.
    /// Needs CAP_SYS_ADMIN.
    pub fn delete(&self, name: &OsStr) -> Result<()> {
        let _lock = self.lock_existing_briefly();
        self.delete_locked(name)
    }

    fn delete_locked(&self, name: &OsStr) -> Result<()> {
        let path = self.entry(name);
        // SIGTERM, SIGINT, SIGHUP... wait until the entry is either whole or gone (SIGKILL
        // cannot be blocked: its one window is between the last umount2 and the unlink, as
        // with ip).
        let _signals = crate::sys::SignalsBlocked::new();
        // Every mount peeled off the entry, top first, held so that it can be put back: if
        // the unlink then fails and a namespace was among them, the whole stack goes back as
        // it was and nothing is lost. A layer that cannot be held is never unmounted.
        let mut layers: Vec<Layer> = Vec::new();
        let result = loop {
            if layers.len() >= 64 {
                break unlink(&path);
            }
            let layer = match Layer::hold(&path, layers.is_empty()) {
                Ok(Some(layer)) => layer,
                // A symlink: only unlinked (its target stays mounted).
                Ok(None) => break unlink(&path),
                // Not there (ip's unlink message), or no privilege (umount2 fails the same
                // way, and ip goes on to its unlink).
                Err(Errno::ENOENT | Errno::EPERM) => break unlink(&path),
                Err(e) => {
                    if self.is_mount_point(&path) {
                        // It cannot be put back: leave it mounted.
                        break Err(e);
                    }
                    break unlink(&path);
                }
            };
            match umount2(&path, MntFlags::MNT_DETACH | MntFlags::UMOUNT_NOFOLLOW) {
                Ok(()) => layers.push(layer),
                // Not (or no longer) a mount point, or a refusal as ip ignores it: the
                // unlink decides.
                Err(_) => break unlink(&path),
            }
            match unlink(&path) {
                // Another mount was stacked below: peel it too.
                Err(Errno::EBUSY) => continue,
                r => break r,
            }
        };
        if let Err(e) = result {
            // Put the stack back only when a namespace would otherwise be lost; any other
            // mount (a tmpfs on a directory entry, a file bind) stays removed, as with ip.
            // (A namespace still under the peeled layers counts: the unlink may fail before
            // the kernel looks for mounts, as in an append-only run dir.)
            let nsfs = |st: nix::sys::statfs::Statfs| st.filesystem_type() == nix::sys::statfs::NSFS_MAGIC;
            let namespace = layers.iter().any(Layer::is_namespace)
                || (!layers.is_empty() && nix::sys::statfs::statfs(&path).is_ok_and(nsfs));
            if namespace {
                for layer in layers.iter().rev() {
                    layer.put_back(&path);
                }
            }
            return Err(Error::RemoveEntry { path, errno: errno(e) });
        }
        Ok(())
    }

    /// Whether `path` is a mount point (its device differs from the run dir's; a bind of a
    /// file of the run dir's own file system is not told apart, and then the unlink fails
    /// with EBUSY and nothing is lost). An unknown answer is yes.
    fn is_mount_point(&self, path: &Path) -> bool {
        match (lstat(path), nix::sys::stat::stat(self.path())) {
            (Ok(e), Ok(d)) => e.st_dev != d.st_dev,
            _ => true,
        }
    }

    /// `ip -all netns delete`: every entry, in readdir order. Unlike ip 6.1 it goes on after
    /// a failure; every failure is reported, in order. Needs CAP_SYS_ADMIN.
    pub fn delete_all(&self) -> Result<()> {
        let _lock = self.lock_existing_briefly();
        let mut dir = match self.open_dir() {
            Ok(d) => d,
            Err(Errno::ENOENT) => return Ok(()),
            Err(e) => return Err(self.read_dir_error(e)),
        };
        // A piece of the directory at a time, deleted before the next is read (a run dir of
        // 10000 names is never held whole). Reading on after removing entries already read
        // returns every other entry once (POSIX leaves only the removed ones unspecified).
        const PIECE: usize = 1024;
        let mut failures: Vec<Error> = Vec::new();
        let mut piece: Vec<OsString> = Vec::with_capacity(PIECE);
        let mut names = dir
            .iter()
            .filter_map(|e| e.ok())
            .filter_map(super::DirEntry::of)
            .map(|e| e.name);
        loop {
            piece.extend(names.by_ref().take(PIECE));
            if piece.is_empty() {
                break;
            }
            failures.extend(piece.drain(..).filter_map(|name| self.delete_locked(&name).err()));
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(Error::Several(failures))
        }
    }
}

/// `e` after the warnings printed before it (ip's order), as one error.
fn after_warnings(warnings: impl IntoIterator<Item = Error>, e: Error) -> Error {
    let mut all: Vec<Error> = warnings.into_iter().collect();
    if all.is_empty() {
        return e;
    }
    all.push(e);
    Error::Several(all)
}

/// ip's message for the placeholder `path` that could not be made.
fn entry_error(path: &Path, e: Errno) -> Error {
    Error::CreateEntry {
        path: path.to_path_buf(),
        errno: errno(e),
    }
}

fn bind_error(source: &str, path: &Path, e: Errno) -> Error {
    Error::Bind {
        source: source.into(),
        path: path.to_path_buf(),
        errno: errno(e),
    }
}

/// The identity of a namespace an `add` made: its nsfs device and inode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Created {
    dev: u64,
    ino: u64,
}

/// The step of an add's child task that failed ([`RunDir::add_from`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddStep {
    RunDir(RunDirStep),
    CreateEntry,
    InitNetns,
    Netns(Step),
    /// The child task itself: not made, or killed.
    Task,
}

/// What an add's child task reports: the failed step, and the placeholder it made (device
/// and inode), so that the caller can remove exactly that file on failure.
#[derive(Debug, Default)]
struct ChildAdd {
    failed: Option<(AddStep, Errno)>,
    entry: Option<(u64, u64)>,
}

/// The steps of an add after the run-dir lock, in ip's order, in the add's child task
/// ([`crate::sys::in_vm_child`]): make the run dir `dir` shared, release the lock, the
/// placeholder `entry` (its identity into `made`), ip's check that its namespace file
/// opens, the namespace and its bind mount. Allocates nothing.
fn child_add(
    dir: &CStr,
    entry: &CStr,
    lock: Option<BorrowedFd<'_>>,
    made: &mut Option<(u64, u64)>,
) -> std::result::Result<(), (AddStep, Errno)> {
    RunDir::share(dir).map_err(|(step, e)| (AddStep::RunDir(step), e))?;
    if let Some(lock) = lock {
        let _ = crate::sys::flock_unlock(lock);
    }
    let ours = open(
        entry,
        OFlag::O_RDONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map(|fd| Placeholder { fd })
    .map_err(|e| (AddStep::CreateEntry, e))?;
    *made = ours.identity();
    // ip's check of its own namespace file. In this one-task child `/proc/thread-self` is
    // `/proc/self`, and the bind below names the same file, whose /proc entries this look-up
    // has made by then.
    open(
        c"/proc/thread-self/ns/net",
        OFlag::O_RDONLY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| (AddStep::InitNetns, e))?;
    // No identity of the new namespace: only a batch takes an add back.
    ours.make_netns_only().map_err(|(step, e)| (AddStep::Netns(step), e))
}

/// The step of making a namespace that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Unshare,
    Bind,
}

impl Step {
    /// ip's message for this step of making the namespace `name` at `path` failing with `e`.
    fn error(self, name: &OsStr, path: &Path, e: Errno) -> Error {
        match self {
            Step::Unshare => Error::CreateNetns {
                name: name.to_os_string(),
                errno: errno(e),
            },
            Step::Bind => bind_error("/proc/self/ns/net", path, e),
        }
    }
}

/// One mount peeled off an entry by `delete`, held until the entry is gone, so that it can
/// be put back when the unlink fails.
enum Layer {
    /// A namespace's nsfs file, held by an `O_PATH` descriptor (which keeps the namespace
    /// alive). The kernel binds nsfs files from anywhere, so this is enough to mount it
    /// again after the unmount; and closing it costs nothing, where a detached copy's close
    /// dissolves a mount tree and waits for an RCU grace period (a second one per entry
    /// besides the unmount's, which ip's delete does not wait for).
    Namespace(OwnedFd),
    /// Any other mount, as a detached copy (`open_tree(OPEN_TREE_CLONE)`): the kernel
    /// mounts only those again once they are unmounted.
    Copy(OwnedFd),
}

impl Layer {
    /// Hold the top mount at `path` before it is unmounted; None for a symlink (checked on
    /// the entry itself, the `first` layer: a symlink is only unlinked).
    fn hold(path: &Path, first: bool) -> std::result::Result<Option<Layer>, Errno> {
        let held = crate::sys::hold_mount(path)?;
        match nix::sys::statfs::fstatfs(&held) {
            Ok(st) if st.filesystem_type() == nix::sys::statfs::NSFS_MAGIC => return Ok(Some(Layer::Namespace(held))),
            Ok(_) if first => {
                let st = nix::sys::stat::fstat(&held)?;
                if SFlag::from_bits_truncate(st.st_mode) & SFlag::S_IFMT == SFlag::S_IFLNK {
                    return Ok(None);
                }
            }
            _ => {}
        }
        drop(held);
        crate::sys::clone_mount(path).map(|copy| Some(Layer::Copy(copy)))
    }

    /// Whether this layer is a namespace (a copy is looked at: it may be one too, when
    /// the statfs of its hold failed).
    fn is_namespace(&self) -> bool {
        match self {
            Layer::Namespace(_) => true,
            Layer::Copy(copy) => {
                nix::sys::statfs::fstatfs(copy).is_ok_and(|st| st.filesystem_type() == nix::sys::statfs::NSFS_MAGIC)
            }
        }
    }

    /// Mount the layer at `path` again (a failure is not reported: the caller reports the
    /// unlink's). A namespace is copied from its hold and the copy attached, or, when no
    /// copy can be made (no descriptor left), its file bind-mounted through /proc.
    fn put_back(&self, path: &Path) {
        match self {
            Layer::Copy(copy) => {
                let _ = crate::sys::attach_mount(copy.as_fd(), path);
            }
            Layer::Namespace(held) => {
                let attached =
                    crate::sys::clone_held(held.as_fd()).and_then(|copy| crate::sys::attach_mount(copy.as_fd(), path));
                if attached.is_err() {
                    use std::os::fd::AsRawFd;
                    let source = format!("/proc/thread-self/fd/{}", held.as_raw_fd());
                    let _ = mount(
                        Some(source.as_str()),
                        path,
                        Some("none"),
                        MsFlags::MS_BIND,
                        None::<&str>,
                    );
                }
            }
        }
    }
}

/// The placeholder an `add` or `attach` made, open. The bind mount goes onto this file
/// through its descriptor (`/proc/thread-self/fd/N`), never onto whatever the name holds by
/// then: if the placeholder was deleted meanwhile (and the name perhaps made again by
/// someone else), the kernel refuses to mount on the unlinked file (ENOENT), so a name is
/// never mounted twice, without a lock held across the namespace's creation.
pub(crate) struct Placeholder {
    fd: OwnedFd,
}

impl Placeholder {
    /// Bind-mount `source` (NUL-terminated) onto the placeholder. Allocates nothing.
    fn bind(&self, source: &[u8]) -> std::result::Result<(), Errno> {
        use std::io::Write;
        use std::os::fd::AsRawFd;
        let mut target = [0u8; 48];
        let mut w = &mut target[..];
        write!(w, "/proc/thread-self/fd/{}\0", self.fd.as_raw_fd()).map_err(|_| Errno::ENAMETOOLONG)?;
        let src = std::ffi::CStr::from_bytes_until_nul(source).map_err(|_| Errno::EINVAL)?;
        let dst = std::ffi::CStr::from_bytes_until_nul(&target).map_err(|_| Errno::EINVAL)?;
        mount(Some(src), dst, Some("none"), MsFlags::MS_BIND, None::<&str>)
    }

    /// `unshare(CLONE_NEWNET)` on the calling thread and the bind mount of its new
    /// namespace onto the placeholder. Allocates nothing.
    fn make_netns_only(&self) -> std::result::Result<(), (Step, Errno)> {
        unshare(CloneFlags::CLONE_NEWNET).map_err(|e| (Step::Unshare, e))?;
        self.bind(b"/proc/thread-self/ns/net\0").map_err(|e| (Step::Bind, e))
    }

    /// [`Placeholder::make_netns_only`], and the new namespace's identity. Allocates nothing.
    fn make_netns(&self) -> std::result::Result<Created, (Step, Errno)> {
        self.make_netns_only()?;
        // What was made, so that a batch can take back exactly this namespace (and nothing
        // that replaced it under the same name since). Unknown only if /proc fails now.
        Ok(nix::sys::stat::stat("/proc/thread-self/ns/net")
            .map(|st| Created {
                dev: st.st_dev,
                ino: st.st_ino,
            })
            .unwrap_or_default())
    }

    /// This file's device and inode (None only if `fstat` fails).
    fn identity(&self) -> Option<(u64, u64)> {
        nix::sys::stat::fstat(&self.fd).ok().map(|st| (st.st_dev, st.st_ino))
    }
}
