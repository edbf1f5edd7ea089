//! Namespace switches off the main thread: a fresh `std::thread` enters, does its work and
//! dies. It is never switched back and never reused for anything else (../STYLE rule 1).
//! The one long-lived variant, [`Creators`], is a pool of threads whose only job is making
//! new namespaces for a batch.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::{Arc, Mutex, mpsc};

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

/// [`run_in_netns`] for several namespaces at once, for work that streams back to the
/// calling thread: one fresh thread per namespace of `nss`, all started before `meanwhile`
/// runs on the calling thread (which may wait for what they send), then all joined. Job
/// `jobs[i]` runs on its thread after entering `nss[i]` and is given the outcome (on a
/// failure it still runs, in the caller's namespace, to say so); `meanwhile` is told which
/// threads could not be started (their jobs are dropped unrun). A panicking job is joined
/// like the others (whatever it held is dropped).
pub(crate) fn run_in_each_netns<J, R>(
    nss: &[BorrowedFd<'_>],
    jobs: Vec<J>,
    meanwhile: impl FnOnce(&[Option<Errno>]) -> R,
) -> R
where
    J: FnOnce(Result<(), Errno>) + Send,
{
    std::thread::scope(|s| {
        let mut threads = Vec::with_capacity(nss.len());
        let mut unstarted = Vec::with_capacity(nss.len());
        for (ns, job) in nss.iter().zip(jobs) {
            match builder().spawn_scoped(s, move || job(setns(ns, CloneFlags::CLONE_NEWNET))) {
                Ok(t) => {
                    threads.push(t);
                    unstarted.push(None);
                }
                Err(e) => unstarted.push(Some(spawn_errno(e))),
            }
        }
        let r = meanwhile(&unstarted);
        for t in threads {
            let _ = t.join();
        }
        r
    })
}

pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// Threads dedicated to creating network namespaces for a batch (`rnetns -batch` with many
/// `add` lines): every job they run starts with its own `unshare(CLONE_NEWNET)`, so the
/// namespace a thread happens to be in never matters, and they run nothing else. They take
/// jobs from one queue, so a run of adds is spread over them (the kernel makes network
/// namespaces in parallel). A pool for the whole batch costs less than a thread per line.
/// The threads end when the pool is dropped.
pub(crate) struct Creators {
    jobs: Option<mpsc::Sender<Job>>,
    queue: Arc<Mutex<mpsc::Receiver<Job>>>,
    home: Option<OwnedFd>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Creators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Creators({})", self.threads.len())
    }
}

impl Creators {
    /// Start the pool with one thread; with `home`, each thread first enters that mount
    /// namespace (as [`on_fresh_thread`] does), which needs CAP_SYS_ADMIN.
    pub fn start(home: Option<&OwnedFd>) -> Result<Creators, Errno> {
        let home = match home {
            Some(fd) => Some(
                fd.try_clone()
                    .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EBADF)))?,
            ),
            None => None,
        };
        let (jobs, queue) = mpsc::channel::<Job>();
        let mut pool = Creators {
            jobs: Some(jobs),
            queue: Arc::new(Mutex::new(queue)),
            home,
            threads: Vec::new(),
        };
        pool.grow()?;
        Ok(pool)
    }

    /// The number of threads.
    pub fn len(&self) -> usize {
        self.threads.len()
    }

    /// One more thread. A thread that cannot be started (EAGAIN under `ulimit -u` or a full
    /// pids cgroup, ENOMEM for its stack) leaves the pool as it was.
    pub fn grow(&mut self) -> Result<(), Errno> {
        let home = match &self.home {
            Some(fd) => Some(
                fd.try_clone()
                    .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EBADF)))?,
            ),
            None => None,
        };
        let queue = Arc::clone(&self.queue);
        let (ready_tx, ready) = mpsc::channel::<Result<(), Errno>>();
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
                loop {
                    // The lock is held while waiting: the other threads wait for the lock
                    // instead, and whoever holds it takes the next job.
                    let job = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            })
            .map_err(spawn_errno)?;
        match ready.recv().unwrap_or(Err(Errno::EINTR)) {
            Ok(()) => {
                self.threads.push(thread);
                Ok(())
            }
            Err(e) => {
                let _ = thread.join();
                Err(e)
            }
        }
    }

    /// Queue `job` for the next free thread.
    pub fn submit(&self, job: Job) -> Result<(), Errno> {
        self.jobs
            .as_ref()
            .ok_or(Errno::EINTR)?
            .send(job)
            .map_err(|_| Errno::EINTR)
    }

    /// Run `f` on one of the threads and wait for its result. A panic in `f` (or a dead
    /// thread) is reported as `EINTR`.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Errno> {
        let (tx, rx) = mpsc::channel();
        self.submit(Box::new(move || {
            let _ = tx.send(f());
        }))?;
        rx.recv().map_err(|_| Errno::EINTR)
    }
}

impl Drop for Creators {
    fn drop(&mut self) {
        drop(self.jobs.take());
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}
