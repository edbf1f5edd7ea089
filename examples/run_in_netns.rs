//! Run a closure inside a named namespace, on a throwaway thread: the calling thread never
//! changes namespace (`setns` affects one thread only, and that thread then dies).
//!
//! Needs root (CAP_SYS_ADMIN to enter): `sudo cargo run --example run_in_netns NAME`.

use std::os::unix::fs::MetadataExt;

use rnetns::netns::thread::run_in_netns;
use rnetns::{Netns, RunDir};

/// The inode of a thread's network namespace: the N of `net:[N]`.
fn netns_inode(path: &str) -> std::io::Result<u64> {
    Ok(std::fs::metadata(path)?.ino())
}

use std::os::fd::AsFd;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args_os().nth(1).ok_or("usage: run_in_netns NAME")?;
    let ns = Netns::open(&RunDir::default().entry(&name))?.into_fd();

    let here = netns_inode("/proc/thread-self/ns/net")?;
    // On the helper thread, /proc/thread-self names that thread (not /proc/self, which is
    // the main thread).
    let (there, hostname) = run_in_netns(ns.as_fd(), || {
        let ino = netns_inode("/proc/thread-self/ns/net");
        // Anything done here happens inside NAME: sockets created now stay there for life.
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
        (ino, host.trim().to_string())
    })?;
    let there = there?;

    println!("caller's namespace: net:[{here}]");
    println!("{}: net:[{there}] (hostname {hostname})", name.to_string_lossy());
    assert_eq!(netns_inode("/proc/thread-self/ns/net")?, here, "the caller stayed home");
    Ok(())
}
