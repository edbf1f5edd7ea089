//! Namespace switches off the main thread: a fresh `std::thread` enters, does its work and
//! dies. It is never switched back and never reused (../STYLE rule 1).

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::sched::{CloneFlags, setns, unshare};

/// Run `f` on a fresh thread that dies afterwards, so `f` may change the thread's
/// namespaces. `home`, when given, is a mount namespace the thread enters first.
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
/// sockets that must be born inside a namespace).
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
