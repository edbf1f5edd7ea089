//! Entering a namespace the way `ip netns exec` and `ip -n` do (iproute2 `netns_switch`),
//! on the main thread, just before exec or before anything else runs.

use std::ffi::{OsStr, OsString};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use nix::errno::Errno;
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, setns, unshare};
use nix::sys::statvfs::{FsFlags, statvfs};

use super::{ETC_DIR, RunDir, Target};
use crate::error::{Error, Flow, Result};

fn quoted(prefix: &str, label: &OsStr, suffix: &str) -> Vec<u8> {
    let mut m = prefix.as_bytes().to_vec();
    m.extend_from_slice(label.as_bytes());
    m.extend_from_slice(suffix.as_bytes());
    m
}

/// Enter `target` on the calling thread: network namespace, a new mount namespace whose
/// mounts are slaves of the caller's, a sysfs of the target on /sys, and the bind mounts of
/// `/etc/netns/NAME`. Errors are iproute2's, with exit status 255.
///
/// The caller must be single-threaded (rnetns calls it from `main` before exec or `-n`).
/// Needs CAP_SYS_ADMIN (setns, unshare of the mount namespace, mounts).
pub fn switch(target: &Target, rundir: &RunDir) -> Result<()> {
    let label = target.label();
    // A path target is checked to be a network namespace before anything changes.
    let ns = super::open_checked(
        target,
        rundir,
        |e| Error::os_fatal(quoted("Cannot open network namespace \"", label, "\""), e),
        255,
    )?;
    setns(ns.fd().as_fd(), CloneFlags::CLONE_NEWNET)
        .map_err(|e| Error::os_fatal(quoted("setting the network namespace \"", label, "\" failed"), e))?;
    drop(ns);
    unshare(CloneFlags::CLONE_NEWNS).map_err(|e| Error::os_fatal("unshare failed", e))?;
    mount(
        Some(""),
        "/",
        Some("none"),
        MsFlags::MS_SLAVE | MsFlags::MS_REC,
        None::<&str>,
    )
    .map_err(|e| Error::os_fatal("\"mount --make-rslave /\" failed", e))?;
    let mut flags = MsFlags::empty();
    if umount2("/sys", MntFlags::MNT_DETACH).is_err()
        && statvfs("/sys").is_ok_and(|v| v.flags().contains(FsFlags::ST_RDONLY))
    {
        flags |= MsFlags::MS_RDONLY;
    }
    mount(Some(target.sysfs_source()), "/sys", Some("sysfs"), flags, None::<&str>)
        .map_err(|e| Error::os_fatal("mount of /sys failed", e))?;
    if let Some(name) = target.etc_name()
        && name.len() < crate::parse::NAME_MAX
    {
        bind_etc(name);
    }
    Ok(())
}

/// Bind every entry of `/etc/netns/NAME` over `/etc/ENTRY`; failures are printed and skipped.
fn bind_etc(name: &OsStr) {
    let mut dir = PathBuf::from(ETC_DIR).into_os_string();
    dir.push("/");
    dir.push(name);
    let Ok(mut d) = nix::dir::Dir::open(
        dir.as_os_str(),
        nix::fcntl::OFlag::O_RDONLY | nix::fcntl::OFlag::O_DIRECTORY | nix::fcntl::OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    ) else {
        return;
    };
    // rnetns: a bind never follows a symlink out of /etc/netns/NAME (ip's mount does).
    let base = std::fs::canonicalize(ETC_DIR).map(|p| p.join(name)).ok();
    for entry in super::read_entries(&mut d) {
        let mut src: OsString = dir.clone();
        src.push("/");
        src.push(&entry.name);
        let mut dst = OsString::from("/etc/");
        dst.push(&entry.name);
        let confined = match std::fs::canonicalize(&src) {
            Ok(real) if base.as_ref().is_some_and(|b| real.starts_with(b)) => Ok(()),
            Ok(_) => Err(Errno::ELOOP),
            Err(e) => Err(Errno::from_raw(e.raw_os_error().unwrap_or(libc::ENOENT))),
        }
        // Refused before the mount: report what the kernel would, which looks the target up
        // before the source (a missing /etc/NAME is "No such file or directory").
        .map_err(|e| nix::sys::stat::stat(dst.as_os_str()).err().unwrap_or(e));
        if let Err(e) = confined.and_then(|()| {
            mount(
                Some(src.as_os_str()),
                dst.as_os_str(),
                Some("none"),
                MsFlags::MS_BIND,
                None::<&str>,
            )
        }) {
            let mut m = b"Bind ".to_vec();
            m.extend_from_slice(src.as_bytes());
            m.extend_from_slice(b" -> ");
            m.extend_from_slice(dst.as_bytes());
            m.extend_from_slice(b" failed");
            crate::output::eprint_error(&Error::os(m, e));
        }
    }
}

/// iproute2's `vrf_reset`: a process inside a VRF cgroup (`.../vrf/NAME` on the unified
/// hierarchy) is moved back to the default VRF, the cgroup that holds the `vrf` directory,
/// so the command does not inherit the VRF binding. A no-op on ordinary systems.
pub fn vrf_reset() {
    let Ok(cg) = std::fs::read("/proc/self/cgroup") else {
        return;
    };
    let Some(line) = cg.split(|&b| b == b'\n').find(|l| l.starts_with(b"0::/")) else {
        return;
    };
    let path = &line[3..];
    let Some(pos) = path.windows(5).position(|w| w == b"/vrf/") else {
        return;
    };
    let parent = &path[..pos];
    let Some(root) = cgroup2_root() else { return };
    let mut procs = root.into_os_string().into_encoded_bytes();
    procs.extend_from_slice(parent);
    procs.extend_from_slice(b"/cgroup.procs");
    // SAFETY-free: a plain write of our PID; failure leaves the process where it was.
    let procs = PathBuf::from(OsStr::from_bytes(&procs));
    let _ = std::fs::write(procs, std::process::id().to_string());
}

fn cgroup2_root() -> Option<PathBuf> {
    let mounts = std::fs::read("/proc/self/mounts").ok()?;
    mounts.split(|&b| b == b'\n').find_map(|l| {
        let mut f = l.split(|&b| b == b' ');
        let (_, dir, fstype) = (f.next()?, f.next()?, f.next()?);
        (fstype == b"cgroup2").then(|| PathBuf::from(OsStr::from_bytes(dir)))
    })
}

/// The result of trying to exec: only returns on failure, with iproute2's message and
/// status 1.
pub fn exec_command(argv: &[OsString]) -> Error {
    use std::os::unix::process::CommandExt;
    crate::output::flush_stdout();
    let mut cmd = std::process::Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    crate::sys::keep_sigpipe(&mut cmd);
    let err = cmd.exec();
    let errno = Errno::from_raw(err.raw_os_error().unwrap_or(libc::ENOEXEC));
    Error::Os {
        context: quoted("exec of \"", &argv[0], "\" failed"),
        sep: ": ",
        errno,
        code: 1,
        flow: Flow::Return,
    }
}

/// How a child run by [`run_child`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildEnd {
    /// It exited with this status.
    Exited(i32),
    /// A signal with this number killed it.
    Signaled(i32),
}

/// Fork, enter `target` in the child and exec `argv` there; wait for it. This is how
/// `-all exec` and `exec` inside a batch run a command per namespace. A child whose set-up
/// fails prints the error and exits with status 1 (iproute2 6.9 behaviour): it never returns
/// into the caller's loop.
///
/// The process must be single-threaded when this is called. The child needs
/// CAP_SYS_ADMIN, as for [`switch`].
pub fn run_child(target: &Target, rundir: &RunDir, argv: &[OsString]) -> Result<ChildEnd> {
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::ForkResult;
    crate::output::flush_stdout();
    // SAFETY contract of sys::fork: rnetns is single-threaded on this path (no runtime and no
    // helper thread is alive while exec commands run).
    match unsafe { crate::sys::fork() } {
        Err(e) => Err(Error::os("fork", e)),
        Ok(ForkResult::Child) => {
            crate::output::discard_stdout();
            vrf_reset();
            let err = match switch(target, rundir) {
                Ok(()) => exec_command(argv),
                Err(e) => e,
            };
            crate::output::eprint_error(&err);
            crate::sys::exit_now(1)
        }
        Ok(ForkResult::Parent { child }) => loop {
            match waitpid(child, None) {
                Ok(WaitStatus::Exited(_, code)) => return Ok(ChildEnd::Exited(code)),
                Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(ChildEnd::Signaled(sig as i32)),
                Ok(_) | Err(Errno::EINTR) => continue,
                // ip exits 1 at once (no "Command failed" in a batch): with SIGCHLD
                // ignored by the caller, the kernel reaps the child itself (ECHILD).
                Err(e) => {
                    return Err(Error::Os {
                        context: b"waitpid".to_vec(),
                        sep: ": ",
                        errno: e,
                        code: 1,
                        flow: Flow::Exit,
                    });
                }
            }
        },
    }
}
