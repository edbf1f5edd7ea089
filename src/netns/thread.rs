//! Namespace switches off the main thread: a fresh `std::thread` enters, does its work and
//! dies. It is never switched back and never reused (../STYLE rule 1).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::sched::{CloneFlags, setns, unshare};

/// Run `f` on a fresh thread that dies afterwards, so `f` may change the thread's
/// namespaces. `home`, when given, is a mount namespace the thread enters first (which
/// needs CAP_SYS_ADMIN). A panic in `f` is reported as `EINTR`.
pub fn on_fresh_thread<T: Send>(home: Option<&OwnedFd>, f: impl FnOnce() -> T + Send) -> Result<T, Errno> {
    std::thread::scope(|s| {
        s.spawn(|| {
            if let Some(mnt) = home {
                unshare(CloneFlags::CLONE_FS)?;
                setns(mnt.as_fd(), CloneFlags::CLONE_NEWNS)?;
            }
            Ok(f())
        })
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
pub fn run_in_netns<T: Send>(ns: BorrowedFd<'_>, f: impl FnOnce() -> T + Send) -> Result<T, Errno> {
    std::thread::scope(|s| {
        s.spawn(|| {
            setns(ns, CloneFlags::CLONE_NEWNET)?;
            Ok(f())
        })
        .join()
        .unwrap_or(Err(Errno::EINTR))
    })
}

/// [`run_in_netns`] for several namespaces at once: one fresh thread per namespace, all
/// started before any is joined (so their start-up latencies overlap). Each thread enters
/// its namespace, runs `f` and dies; the answers come back in the order of `nss`.
pub fn run_in_each_netns<T: Send>(nss: &[BorrowedFd<'_>], f: impl Fn() -> T + Sync) -> Vec<Result<T, Errno>> {
    let f = &f;
    std::thread::scope(|s| {
        let threads: Vec<_> = nss
            .iter()
            .map(|ns| {
                s.spawn(move || {
                    setns(ns, CloneFlags::CLONE_NEWNET)?;
                    Ok(f())
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or(Err(Errno::EINTR)))
            .collect()
    })
}
