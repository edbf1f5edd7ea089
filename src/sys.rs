//! The only unsafe code of the crate. Each block says why it is sound.

use std::os::fd::{AsRawFd, BorrowedFd};

use nix::errno::Errno;
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::sys::statfs::{NSFS_MAGIC, fstatfs};

use crate::netns::NotNetns;

/// `NS_GET_NSTYPE` = `_IO(0xb7, 0x3)`.
const NS_GET_NSTYPE: libc::c_ulong = 0xb703;

/// Restore the default SIGPIPE action, as a C program has it: writing into a closed pipe
/// then ends the process quietly, like `ip`.
pub fn default_sigpipe() {
    // SAFETY: called at start-up on the main thread before any other thread exists; SIG_DFL
    // installs no Rust handler, so nothing can run in signal context.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
}

/// Whether `fd` is a network namespace: an nsfs file whose type is CLONE_NEWNET.
pub fn netns_type_check(fd: BorrowedFd<'_>) -> Result<(), NotNetns> {
    match fstatfs(fd) {
        Ok(st) if st.filesystem_type() == NSFS_MAGIC => {}
        _ => return Err(NotNetns::NotNsfs),
    }
    // SAFETY: NS_GET_NSTYPE takes no argument and only reads the fd, which is borrowed and
    // therefore open for the duration of the call.
    let t = unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE as _) };
    if t == libc::CLONE_NEWNET {
        Ok(())
    } else {
        Err(NotNetns::OtherType)
    }
}

/// `fork()` for the process-per-namespace paths (`-all exec`, `exec` in a batch).
///
/// # Safety
/// The caller must be single-threaded (no runtime, no helper thread alive), so that the
/// child may allocate and run ordinary code before it execs or exits.
pub unsafe fn fork() -> Result<nix::unistd::ForkResult, Errno> {
    // SAFETY: forwarded to the caller's contract above.
    unsafe { nix::unistd::fork() }
}

/// Replace a soft resource limit reading with the current open-file limit.
pub fn nofile_limit() -> u64 {
    nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map(|(s, _)| s)
        .unwrap_or(1024)
}

/// `_exit(code)`: leave a forked child without running the parent's exit handlers or
/// flushing buffers it inherited.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and never returns.
    unsafe { libc::_exit(code) }
}

/// Hand a netlink socket to tokio. Call it inside a runtime context (tokio registers the
/// descriptor with the runtime's reactor).
pub fn tokio_socket(sock: netlink_sys::Socket) -> netlink_sys::TokioSocket {
    use std::os::fd::{FromRawFd, IntoRawFd};
    let fd = sock.into_raw_fd();
    // SAFETY: `into_raw_fd` ended the Socket's ownership of `fd`, an open netlink socket, so
    // the TokioSocket becomes its only owner and closes it exactly once.
    unsafe { netlink_sys::TokioSocket::from_raw_fd(fd) }
}
