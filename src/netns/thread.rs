//! Namespace switches off the main thread: a fresh `std::thread` enters, does its work and
//! dies. It is never switched back and never reused for anything else (../STYLE rule 1).
//! The one long-lived variant, [`Creator`], is a thread whose only job is making new
//! namespaces, one after the other, for a batch.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::sched::{CloneFlags, setns, unshare};

/// The stack of a helper thread. Their work is a few syscalls and a netlink exchange; a
/// small stack keeps them possible under a tight `ulimit -v` (ip needs no thread at all).
const STACK: usize = 256 * 1024;

/// A thread builder with the helpers' stack size.
pub(crate) fn builder() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(STACK)
}

/// The errno of a failed thread start (EAGAIN: no task left in the pids cgroup, or no
/// memory for the stack).
pub(crate) fn spawn_errno(e: std::io::Error) -> Errno {
    Errno::from_raw(e.raw_os_error().unwrap_or(libc::EAGAIN))
}

/// Run `f` on a fresh thread that dies afterwards, so `f` may change the thread's
/// namespaces. `home`, when given, is a mount namespace the thread enters first (which
/// needs CAP_SYS_ADMIN). A thread that cannot be started is its errno (`f` not run); a
/// panic in `f` is reported as `EINTR`.
pub(crate) fn on_fresh_thread<T: Send>(home: Option<&OwnedFd>, f: impl FnOnce() -> T + Send) -> Result<T, Errno> {
    std::thread::scope(|s| {
        builder()
            .spawn_scoped(s, || {
                if let Some(mnt) = home {
                    unshare(CloneFlags::CLONE_FS)?;
                    setns(mnt.as_fd(), CloneFlags::CLONE_NEWNS)?;
                }
                Ok(f())
            })
            .map_err(spawn_errno)?
            .join()
            .unwrap_or(Err(Errno::EINTR))
    })
}

/// Like [`on_fresh_thread`] without a mount namespace to enter, telling a thread that could
/// not be started (`Err(Spawn::Failed)`, `f` not run: the caller may do the work another
/// way) from one that ran.
pub fn try_fresh_thread<T: Send>(f: impl FnOnce() -> T + Send) -> Result<T, Spawn> {
    std::thread::scope(|s| {
        builder()
            .spawn_scoped(s, f)
            .map_err(|e| Spawn::Failed(spawn_errno(e)))?
            .join()
            .map_err(|_| Spawn::Died)
    })
}

/// Why [`try_fresh_thread`] has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spawn {
    /// The thread could not be started; the closure never ran.
    Failed(Errno),
    /// The thread panicked (a bug).
    Died,
}

/// Run `f` on a fresh thread that has entered the network namespace `ns` (for netlink
/// sockets that must be born inside a namespace). Entering needs CAP_SYS_ADMIN; the
/// caller's thread never changes namespace. A panic in `f` is reported as `EINTR`.
///
/// ```no_run
/// use rnetns::Netns;
/// use std::os::fd::AsFd;
/// use rnetns::netns::thread::run_in_netns;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ns = Netns::open("/run/netns/blue".as_ref())?.into_fd();
/// let inode = run_in_netns(ns.as_fd(), || std::fs::metadata("/proc/thread-self/ns/net").map(|m| {
///     use std::os::unix::fs::MetadataExt;
///     m.ino()
/// }))??;
/// println!("blue is net:[{inode}]");
/// # Ok(()) }
/// ```
pub fn run_in_netns<T: Send>(ns: BorrowedFd<'_>, f: impl FnOnce() -> T + Send) -> Result<T, crate::Errno> {
    in_netns(ns, f).map_err(crate::error::errno)
}

fn in_netns<T: Send>(ns: BorrowedFd<'_>, f: impl FnOnce() -> T + Send) -> Result<T, Errno> {
    std::thread::scope(|s| {
        builder()
            .spawn_scoped(s, || {
                setns(ns, CloneFlags::CLONE_NEWNET)?;
                Ok(f())
            })
            .map_err(spawn_errno)?
            .join()
            .unwrap_or(Err(Errno::EINTR))
    })
}

/// [`run_in_netns`] for several namespaces at once: one fresh thread per namespace, all
/// started before any is joined (so their start-up latencies overlap). Each thread enters
/// its namespace, runs `f` and dies; the answers come back in the order of `nss`.
pub(crate) fn run_in_each_netns<T: Send>(nss: &[BorrowedFd<'_>], f: impl Fn() -> T + Sync) -> Vec<Result<T, Errno>> {
    let f = &f;
    std::thread::scope(|s| {
        let threads: Vec<_> = nss
            .iter()
            .map(|ns| {
                builder().spawn_scoped(s, move || {
                    setns(ns, CloneFlags::CLONE_NEWNET)?;
                    Ok(f())
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| match t {
                Ok(t) => t.join().unwrap_or(Err(Errno::EINTR)),
                Err(e) => Err(spawn_errno(e)),
            })
            .collect()
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// A thread dedicated to creating network namespaces for a batch (`rnetns -batch` with many
/// `add` lines): every job it runs starts with its own `unshare(CLONE_NEWNET)`, so the
/// namespace the thread happens to be in never matters, and it runs nothing else. One
/// thread for the whole batch costs less than a thread per line and keeps the kernel's
/// namespace set-up on one warm CPU. It ends when dropped.
pub(crate) struct Creator {
    jobs: Option<std::sync::mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Creator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Creator")
    }
}

impl Creator {
    /// Start the thread; with `home`, it first enters that mount namespace (as
    /// [`on_fresh_thread`] does), which needs CAP_SYS_ADMIN.
    pub fn start(home: Option<&OwnedFd>) -> Result<Creator, Errno> {
        let home = match home {
            Some(fd) => Some(
                fd.try_clone()
                    .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EBADF)))?,
            ),
            None => None,
        };
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (ready_tx, ready) = std::sync::mpsc::channel::<Result<(), Errno>>();
        let thread = builder()
            .name("rnetns-creator".into())
            .spawn(move || {
                if let Some(mnt) = home {
                    let entered =
                        unshare(CloneFlags::CLONE_FS).and_then(|_| setns(mnt.as_fd(), CloneFlags::CLONE_NEWNS));
                    let failed = entered.is_err();
                    let _ = ready_tx.send(entered);
                    if failed {
                        return;
                    }
                } else {
                    let _ = ready_tx.send(Ok(()));
                }
                for job in queue {
                    job();
                }
            })
            .map_err(spawn_errno)?;
        ready.recv().unwrap_or(Err(Errno::EINTR))?;
        Ok(Creator {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Run `f` on the creator thread and wait for its result. A panic in `f` (or a dead
    /// thread) is reported as `EINTR`.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Errno> {
        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs
            .as_ref()
            .ok_or(Errno::EINTR)?
            .send(job)
            .map_err(|_| Errno::EINTR)?;
        rx.recv().map_err(|_| Errno::EINTR)
    }
}

impl Drop for Creator {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
