//! The only unsafe code of the crate. Each block says why it is sound.
#![allow(unsafe_code)]

use std::os::fd::{AsRawFd, BorrowedFd};

use nix::errno::Errno;
use nix::sys::statfs::{NSFS_MAGIC, fstatfs};

/// `NS_GET_NSTYPE` = `_IO(0xb7, 0x3)`.
const NS_GET_NSTYPE: libc::c_ulong = 0xb703;

/// Whether SIGPIPE is ignored in this process right now.
pub fn sigpipe_ignored() -> bool {
    // SAFETY: an all-zero sigaction is a valid value of this plain C struct.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: sigaction with a null new action only reads the current disposition into
    // `old`, a struct we own.
    let r = unsafe { libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut old) };
    r == 0 && old.sa_sigaction == libc::SIG_IGN
}

/// Let the program `cmd` execs start with SIGPIPE as this process has it. std resets SIGPIPE
/// to its default in every program it starts; a C program such as ip passes an ignored
/// SIGPIPE on, and the command run by `exec` must see what its caller gave it.
pub fn keep_sigpipe(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    if !sigpipe_ignored() {
        return;
    }
    // SAFETY: the closure runs between fork (or in place, for exec) and execve; it only
    // calls signal(2), which is async-signal-safe, and allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGPIPE, libc::SIG_IGN);
            Ok(())
        });
    }
}

/// One malloc arena for the whole process: rnetns's threads are short-lived helpers, and a
/// thread's first allocation would otherwise reserve and trim a fresh 128 MiB arena.
pub fn single_malloc_arena() {
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only changes an allocator tunable; called at start-up before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// The namespace type of an nsfs file (`NS_GET_NSTYPE`: CLONE_NEWNET, ...), or None when
/// `fd` is not a file of the nsfs file system.
pub fn ns_type(fd: BorrowedFd<'_>) -> Option<libc::c_int> {
    match fstatfs(fd) {
        Ok(st) if st.filesystem_type() == NSFS_MAGIC => {}
        _ => return None,
    }
    // SAFETY: NS_GET_NSTYPE takes no argument and only reads the fd, which is borrowed and
    // therefore open for the duration of the call.
    Some(unsafe { libc::ioctl(fd.as_raw_fd(), NS_GET_NSTYPE as _) })
}

/// `fork()` for the process-per-namespace paths (`-all exec`, `exec` in a batch), refused
/// with EBUSY when this process has more than one thread: only a single-threaded process
/// may let the child allocate and run ordinary code before it execs or exits.
pub fn fork_single_threaded() -> Result<nix::unistd::ForkResult, Errno> {
    // A thread that was just joined may still be counted for a moment while the kernel
    // finishes its exit: give that a bounded while before refusing.
    let mut tries = 0;
    while thread_count().is_some_and(|n| n > 1) {
        tries += 1;
        if tries > 1000 {
            return Err(Errno::EBUSY);
        }
        std::thread::yield_now();
        if tries > 100 {
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
    }
    // SAFETY: the process has a single thread: checked just above where /proc can be read,
    // and by construction on these paths (no runtime and no helper thread is alive while
    // exec commands run), so no lock is held by a thread that would not exist in the child.
    unsafe { nix::unistd::fork() }
}

/// The number of threads of this process (`Threads:` of /proc/self/status).
fn thread_count() -> Option<u32> {
    let status = std::fs::read("/proc/self/status").ok()?;
    let line = status.split(|&b| b == b'\n').find(|l| l.starts_with(b"Threads:"))?;
    std::str::from_utf8(&line[8..]).ok()?.trim().parse().ok()
}

/// Replace a soft resource limit reading with the current open-file limit.
pub fn nofile_limit() -> u64 {
    nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map(|(s, _)| s)
        .unwrap_or(1024)
}

/// Run `f` in a child task that shares this process's memory, the calling thread suspended
/// until the child has exited (`clone(CLONE_VM | CLONE_VFORK)`, the way posix_spawn makes
/// its child): what `f` changes of its task (namespaces above all) dies with the child,
/// while what it writes to memory it borrows is there for the caller. The child shares the
/// caller's memory and descriptor table (`CLONE_VM | CLONE_FILES`); the rest of its task
/// state (fs, signal handlers, namespaces) is a copy of its own.
///
/// Returns whether `f` ran to its end (false: the child was killed first), or the errno of
/// a child that could not be made. Every catchable signal is blocked across the child, so
/// no handler ever runs on its stack.
///
/// `f` runs on a 32 KiB stack of its own (a mapping above a guard page) and on the caller's
/// thread-local storage: it must not allocate, take a lock or panic, and should only make
/// system calls. A new task is far cheaper than a thread here: a throwaway thread that makes
/// a network namespace costs an `add` about 0.2 ms more (docs/performance.md), and a `fork`
/// copies the page tables.
pub fn in_vm_child<F: FnMut()>(f: &mut F) -> Result<bool, Errno> {
    struct Call<'a> {
        f: &'a mut dyn FnMut(),
        done: bool,
    }
    extern "C" fn child(arg: *mut libc::c_void) -> libc::c_int {
        // SAFETY: `arg` is the `Call` below, borrowed exclusively for the child's life: the
        // parent's thread is suspended (CLONE_VFORK) until the child has exited, and no other
        // thread knows the value.
        let call = unsafe { &mut *arg.cast::<Call<'_>>() };
        (call.f)();
        call.done = true;
        0
    }
    let stack = ChildStack::new()?;
    let mut call = Call { f, done: false };
    let _signals = SignalsBlocked::new();
    // SAFETY: the stack is a mapping of its own that outlives the child (the parent is
    // suspended until the child has exited, and unmaps it only then), page-aligned, and
    // handed over as its top (stacks grow down) above a guard page; `arg` points to `call`,
    // alive as long. CLONE_VM|CLONE_VFORK is the posix_spawn pattern: the child only runs
    // `child` (the caller's `f` may not allocate, lock or panic) and then returns, which
    // glibc's wrapper turns into the exit system call of the child alone; signals are
    // blocked, so no handler runs in it. CLONE_FILES: the child's descriptors are the
    // caller's table (what it opens it closes; a descriptor it opened before being killed
    // stays open in the caller, close-on-exec).
    let pid = unsafe {
        libc::clone(
            child,
            stack.top(),
            libc::CLONE_VM | libc::CLONE_VFORK | libc::CLONE_FILES | libc::SIGCHLD,
            (&raw mut call).cast(),
        )
    };
    if pid < 0 {
        return Err(Errno::last());
    }
    // Reap it (ECHILD when the caller ignores SIGCHLD: reaped already).
    while let Err(Errno::EINTR) = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None) {}
    Ok(call.done)
}

/// The stack of [`in_vm_child`]: an anonymous mapping whose lowest page is a guard, so that
/// the child touches (and the kernel allocates) only the pages it uses, and an overflow
/// faults instead of writing into the caller's memory. (A 32 KiB array in the caller's
/// frame cost 8 page faults to its stack probes, for a child that uses one or two pages.)
struct ChildStack {
    base: *mut libc::c_void,
}

impl ChildStack {
    const SIZE: usize = 36 * 1024;
    const GUARD: usize = 4096;

    fn new() -> Result<ChildStack, Errno> {
        // SAFETY: a fresh private anonymous mapping chosen by the kernel: no memory of ours
        // is touched; the result is checked.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                Self::SIZE,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        let stack = ChildStack { base };
        // SAFETY: the range is inside the mapping just made, which only `stack` knows.
        let rw = unsafe {
            libc::mprotect(
                base.cast::<u8>().add(Self::GUARD).cast(),
                Self::SIZE - Self::GUARD,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        };
        if rw != 0 {
            return Err(Errno::last());
        }
        Ok(stack)
    }

    fn top(&self) -> *mut libc::c_void {
        // SAFETY: one past the end of the mapping (the initial stack pointer of a stack
        // growing down), 16-byte aligned as the mapping is page-aligned.
        unsafe { self.base.cast::<u8>().add(Self::SIZE).cast() }
    }
}

impl Drop for ChildStack {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours alone and nothing runs on it any more (the child has
        // exited before the stack is dropped).
        unsafe { libc::munmap(self.base, Self::SIZE) };
    }
}

/// A new close-on-exec descriptor for the open file behind `fd` (`F_DUPFD_CLOEXEC`), for a
/// descriptor the caller owns but cannot lend right now (a directory being iterated).
pub fn dup_cloexec(fd: std::os::fd::RawFd) -> Result<std::os::fd::OwnedFd, Errno> {
    use std::os::fd::FromRawFd;
    // SAFETY: fcntl(F_DUPFD_CLOEXEC) only reads the descriptor number and returns a new
    // descriptor or -1; it touches no memory of ours.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if new < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just made this descriptor for us; nothing else owns it.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(new) })
}

/// `_exit(code)`: leave a forked child without running the parent's exit handlers or
/// flushing buffers it inherited.
pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit is async-signal-safe and never returns.
    unsafe { libc::_exit(code) }
}

/// `open_tree(dir, path, flags)` (Linux 5.2): a new descriptor, or the errno.
fn open_tree(dir: libc::c_int, path: &std::path::Path, flags: libc::c_uint) -> Result<std::os::fd::OwnedFd, Errno> {
    use nix::NixPath;
    use std::os::fd::FromRawFd;
    let fd = path.with_nix_path(|p| {
        // SAFETY: open_tree reads the NUL-terminated path for the duration of the call and
        // returns a new descriptor or -1; it touches no memory of ours (`dir` is AT_FDCWD or
        // a descriptor the caller borrows, so open for the call).
        unsafe { libc::syscall(libc::SYS_open_tree, dir, p.as_ptr(), flags) }
    })?;
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this descriptor to us; nothing else owns it.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd as libc::c_int) })
}

const OPEN_TREE_CLONE: libc::c_uint = 1;
const OPEN_TREE_CLOEXEC: libc::c_uint = libc::O_CLOEXEC as libc::c_uint;

/// A detached copy of the mount at `path` (the top one; `open_tree(OPEN_TREE_CLONE)`,
/// Linux 5.2), kept as a descriptor: [`attach_mount`] puts it back. Needs CAP_SYS_ADMIN.
/// Closing it dissolves the copy, which costs an RCU grace period.
pub fn clone_mount(path: &std::path::Path) -> Result<std::os::fd::OwnedFd, Errno> {
    let flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | libc::AT_SYMLINK_NOFOLLOW as libc::c_uint;
    open_tree(libc::AT_FDCWD, path, flags)
}

/// An `O_PATH` descriptor of the root of the top mount at `path` (`open_tree` without
/// OPEN_TREE_CLONE; a symlink itself, not followed). It keeps that mount alive after an
/// unmount, and, for an nsfs file, the namespace; closing it is cheap.
pub fn hold_mount(path: &std::path::Path) -> Result<std::os::fd::OwnedFd, Errno> {
    open_tree(
        libc::AT_FDCWD,
        path,
        OPEN_TREE_CLOEXEC | libc::AT_SYMLINK_NOFOLLOW as libc::c_uint,
    )
}

/// A detached copy (as [`clone_mount`] makes) of what `held` names, a descriptor from
/// [`hold_mount`]. The mount it names may be unmounted already when it is an nsfs file (the
/// kernel copies those from anywhere, as `ip netns add` binds /proc/self/ns/net).
pub fn clone_held(held: BorrowedFd<'_>) -> Result<std::os::fd::OwnedFd, Errno> {
    let flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | libc::AT_EMPTY_PATH as libc::c_uint;
    open_tree(held.as_raw_fd(), std::path::Path::new(""), flags)
}

/// Attach a mount made by [`clone_mount`] at `path` (`move_mount`, Linux 5.2).
pub fn attach_mount(mnt: BorrowedFd<'_>, path: &std::path::Path) -> Result<(), Errno> {
    use nix::NixPath;
    const MOVE_MOUNT_F_EMPTY_PATH: libc::c_uint = 4;
    let r = path.with_nix_path(|p| {
        // SAFETY: move_mount reads two NUL-terminated paths (an empty one for the source,
        // which is named by the borrowed, open `mnt`) and touches no memory of ours.
        unsafe {
            libc::syscall(
                libc::SYS_move_mount,
                mnt.as_raw_fd(),
                c"".as_ptr(),
                libc::AT_FDCWD,
                p.as_ptr(),
                MOVE_MOUNT_F_EMPTY_PATH,
            )
        }
    })?;
    if r < 0 { Err(Errno::last()) } else { Ok(()) }
}

/// `FILEID_NSFS`: the handle type of an nsfs file (Linux 6.18 file handles for namespaces).
const FILEID_NSFS: i32 = 0xf1;

/// `struct file_handle` with room for the handles rnetns reads (an nsfs handle is 16 bytes:
/// `struct nsfs_file_handle { u64 ns_id; u32 ns_type; u32 ns_inum; }`).
#[repr(C)]
struct FileHandle {
    handle_bytes: u32,
    handle_type: i32,
    f_handle: [u8; 32],
}

/// Whether `dir/name` (symlinks followed) is a network namespace file, from its file handle
/// alone: one path lookup, no open. `Some(true)`/`Some(false)` for an nsfs file (Linux 6.18
/// and later give nsfs files handles that carry the namespace type); `None` when the handle
/// cannot say (an older kernel, another file system, a lookup error): ask another way.
pub fn is_netns_by_handle(dir: BorrowedFd<'_>, name: &std::ffi::OsStr) -> Option<bool> {
    nsfs_handle(dir, name).map(|(netns, _)| netns)
}

/// What the file handle of `dir/name` (symlinks followed) tells of an nsfs file: whether it
/// is a network namespace, and the namespace's inode number (the `st_ino` of its nsfs
/// file). `None` as for [`is_netns_by_handle`].
pub fn nsfs_handle(dir: BorrowedFd<'_>, name: &std::ffi::OsStr) -> Option<(bool, u32)> {
    use nix::NixPath;
    let mut h = FileHandle {
        handle_bytes: 32,
        handle_type: 0,
        f_handle: [0; 32],
    };
    let mut mount_id: libc::c_int = 0;
    let r = name
        .with_nix_path(|path| {
            // SAFETY: `path` is NUL-terminated for the call; `h` is a file_handle whose
            // `handle_bytes` states the room after its header (32 bytes), which the kernel
            // never writes past; `mount_id` is a c_int we own; `dir` is borrowed, so open.
            unsafe {
                libc::name_to_handle_at(
                    dir.as_raw_fd(),
                    path.as_ptr(),
                    (&mut h as *mut FileHandle).cast(),
                    &mut mount_id,
                    libc::AT_SYMLINK_FOLLOW,
                )
            }
        })
        .ok()?;
    if r != 0 || h.handle_type != FILEID_NSFS || h.handle_bytes < 16 {
        return None;
    }
    let ns_type = i32::from_ne_bytes([h.f_handle[8], h.f_handle[9], h.f_handle[10], h.f_handle[11]]);
    let ns_inum = u32::from_ne_bytes([h.f_handle[12], h.f_handle[13], h.f_handle[14], h.f_handle[15]]);
    Some((ns_type == libc::CLONE_NEWNET, ns_inum))
}

/// `readlinkat(dir, name)` into a caller's buffer: the link text (cut at the buffer's
/// length), or None. For /proc scans that read thousands of short links without allocating.
pub fn readlinkat_into<'a>(dir: BorrowedFd<'_>, name: &std::ffi::CStr, buf: &'a mut [u8]) -> Option<&'a [u8]> {
    // SAFETY: `name` is NUL-terminated, `buf` is valid for writes of `buf.len()` bytes and
    // the kernel writes at most that many; `dir` is borrowed, so it stays open for the call.
    let n = unsafe { libc::readlinkat(dir.as_raw_fd(), name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 { None } else { Some(&buf[..n as usize]) }
}

/// Every catchable signal blocked on this thread until dropped (the old mask comes back):
/// a signal that arrives meanwhile waits and is delivered at the end.
pub struct SignalsBlocked(Option<nix::sys::signal::SigSet>);

impl SignalsBlocked {
    /// Block them now (SIGKILL and SIGSTOP cannot be blocked).
    pub fn new() -> SignalsBlocked {
        use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};
        let mut old = SigSet::empty();
        let ok = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&SigSet::all()), Some(&mut old)).is_ok();
        SignalsBlocked(ok.then_some(old))
    }
}

impl Default for SignalsBlocked {
    fn default() -> Self {
        SignalsBlocked::new()
    }
}

impl Drop for SignalsBlocked {
    fn drop(&mut self) {
        if let Some(old) = self.0.take() {
            let _ = nix::sys::signal::pthread_sigmask(nix::sys::signal::SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
    }
}

/// `flock(fd, LOCK_EX)`, or `LOCK_EX|LOCK_NB` with `nonblock`. The lock goes with the open
/// file: closing the descriptor releases it. (nix's `Flock` panics when its unlock in
/// `Drop` fails; these calls only return the errno.)
pub fn flock_exclusive(fd: BorrowedFd<'_>, nonblock: bool) -> Result<(), Errno> {
    let op = if nonblock {
        libc::LOCK_EX | libc::LOCK_NB
    } else {
        libc::LOCK_EX
    };
    // SAFETY: flock only acts on the borrowed descriptor, open for the duration of the call.
    let r = unsafe { libc::flock(fd.as_raw_fd(), op) };
    if r < 0 { Err(Errno::last()) } else { Ok(()) }
}

/// `flock(fd, LOCK_UN)`.
pub fn flock_unlock(fd: BorrowedFd<'_>) -> Result<(), Errno> {
    // SAFETY: flock only acts on the borrowed descriptor, open for the duration of the call.
    let r = unsafe { libc::flock(fd.as_raw_fd(), libc::LOCK_UN) };
    if r < 0 { Err(Errno::last()) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closure runs in another task (its own pid, its own copy of the task state: an
    /// umask set there stays there) and what it writes to borrowed memory is there for the
    /// caller, who was suspended until it had exited; the caller's signal mask is back.
    #[test]
    fn in_vm_child_runs_in_a_task_of_its_own_and_writes_back() {
        use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};
        use nix::sys::stat::{Mode, umask};
        let mut before = SigSet::empty();
        pthread_sigmask(SigmaskHow::SIG_SETMASK, None, Some(&mut before)).expect("mask");
        let parent = nix::unistd::getpid();
        let mut seen = None;
        let ran = in_vm_child(&mut || {
            // Raw system calls only: the child may not allocate.
            // SAFETY: getpid has no preconditions.
            let pid = unsafe { libc::getpid() };
            // The fs state is the child's own copy (no CLONE_FS).
            let old = umask(Mode::from_bits_truncate(0o077));
            seen = Some((pid, old));
        });
        assert_eq!(ran, Ok(true));
        let (child, old) = seen.expect("the child wrote its answer");
        assert_ne!(child, parent.as_raw(), "a task of its own");
        // The child's umask change did not reach the caller.
        let now = umask(old);
        assert_eq!(now, old);
        let mut after = SigSet::empty();
        pthread_sigmask(SigmaskHow::SIG_SETMASK, None, Some(&mut after)).expect("mask");
        assert_eq!(before, after, "signal mask restored");
    }

    /// The child shares the caller's descriptor table (a descriptor it opens is the caller's
    /// to close) and has a stack of its own to use (24 KiB of its 32 written here).
    #[test]
    fn in_vm_child_shares_descriptors_and_has_its_stack() {
        let mut opened = -1;
        let mut sum = 0usize;
        let ran = in_vm_child(&mut || {
            // SAFETY: open of a constant path; the result is only a number here.
            opened = unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
            // 24 KiB of the child's stack, written and read back.
            let mut big = [0u8; 24 * 1024];
            for (i, b) in big.iter_mut().enumerate() {
                *b = i as u8;
            }
            sum = std::hint::black_box(&big).iter().map(|&b| b as usize).sum();
        });
        assert_eq!(ran, Ok(true));
        assert!(opened >= 0, "the child's open failed");
        // SAFETY: fcntl(F_GETFD) and close only take the number the child opened.
        unsafe {
            assert_eq!(
                libc::fcntl(opened, libc::F_GETFD),
                libc::FD_CLOEXEC,
                "the caller has the child's descriptor"
            );
            assert_eq!(libc::close(opened), 0);
        }
        assert_eq!(sum, (0..24 * 1024).map(|i| i % 256).sum::<usize>());
    }

    /// A child killed before the closure returns is `Ok(false)`, never a hang or a panic.
    #[test]
    fn in_vm_child_killed_is_not_done() {
        let ran = in_vm_child(&mut || {
            // SAFETY: tgkill only sends a signal, here SIGKILL to the child task itself (its
            // own pid and tid from the kernel: glibc's raise would read the caller's cached
            // thread id from the shared thread block and kill the caller).
            unsafe {
                let tid = libc::syscall(libc::SYS_gettid);
                libc::syscall(libc::SYS_tgkill, libc::getpid(), tid, libc::SIGKILL);
            }
        });
        assert_eq!(ran, Ok(false));
    }
}
