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

use super::{ETC_DIR, NAME_MAX, Report, RunDir, Target};
use crate::error::{Error, Result, SwitchStep, errno};

fn switch_error(step: SwitchStep) -> impl FnOnce(Errno) -> Error {
    move |e| Error::Switch { step, errno: errno(e) }
}

/// Enter `target` on the calling thread: network namespace, a new mount namespace whose
/// mounts are slaves of the caller's, a sysfs of the target on /sys, and the bind mounts of
/// `/etc/netns/NAME`. Errors are iproute2's, with exit status 255; the bind mounts that
/// fail come back as warnings (ip prints them and goes on).
///
/// The caller must be single-threaded (rnetns calls it from `main` before exec or `-n`).
/// Needs CAP_SYS_ADMIN (setns, unshare of the mount namespace, mounts).
pub(crate) fn switch(target: &Target, rundir: &RunDir) -> Result<Vec<Error>> {
    // A path target is checked to be a network namespace before anything changes.
    let ns = super::open_checked(target, rundir, Report::Setup)?;
    setns(ns.fd().as_fd(), CloneFlags::CLONE_NEWNET)
        .map_err(switch_error(SwitchStep::Setns(target.label().to_os_string())))?;
    drop(ns);
    unshare(CloneFlags::CLONE_NEWNS).map_err(switch_error(SwitchStep::Unshare))?;
    mount(
        Some(""),
        "/",
        Some("none"),
        MsFlags::MS_SLAVE | MsFlags::MS_REC,
        None::<&str>,
    )
    .map_err(switch_error(SwitchStep::MakeRslave))?;
    let mut flags = MsFlags::empty();
    if umount2("/sys", MntFlags::MNT_DETACH).is_err()
        && statvfs("/sys").is_ok_and(|v| v.flags().contains(FsFlags::ST_RDONLY))
    {
        flags |= MsFlags::MS_RDONLY;
    }
    mount(Some(target.sysfs_source()), "/sys", Some("sysfs"), flags, None::<&str>)
        .map_err(switch_error(SwitchStep::MountSys))?;
    match target.etc_name() {
        Some(name) if name.len() < NAME_MAX => Ok(bind_etc(name)),
        _ => Ok(Vec::new()),
    }
}

/// Bind every entry of `/etc/netns/NAME` over `/etc/ENTRY`; failures are returned (in
/// order) and skipped.
fn bind_etc(name: &OsStr) -> Vec<Error> {
    let mut failures = Vec::new();
    let mut dir = PathBuf::from(ETC_DIR).into_os_string();
    dir.push("/");
    dir.push(name);
    let Ok(mut d) = nix::dir::Dir::open(
        dir.as_os_str(),
        nix::fcntl::OFlag::O_RDONLY | nix::fcntl::OFlag::O_DIRECTORY | nix::fcntl::OFlag::O_CLOEXEC,
        nix::sys::stat::Mode::empty(),
    ) else {
        return failures;
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
            failures.push(Error::Bind {
                source: src,
                path: dst.into(),
                errno: errno(e),
            });
        }
    }
    failures
}

/// iproute2's `vrf_reset`: a process inside a VRF cgroup (`.../vrf/NAME` on the unified
/// hierarchy) is moved back to the default VRF, the cgroup that holds the `vrf` directory,
/// so the command does not inherit the VRF binding. A no-op on ordinary systems.
pub(crate) fn vrf_reset() {
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
/// status 1. Anything the caller buffered for stdout must be written out first.
pub(crate) fn exec_command(argv: &[OsString]) -> Error {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(&argv[0]);
    cmd.args(&argv[1..]);
    crate::sys::keep_sigpipe(&mut cmd);
    let err = cmd.exec();
    Error::Exec {
        program: argv[0].clone(),
        errno: crate::error::Errno::from_raw(err.raw_os_error().unwrap_or(libc::ENOEXEC)),
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
/// `-all exec` and `exec` inside a batch run a command per namespace. The child hands each
/// message it has (the warnings of [`switch`], then its set-up or exec failure) to
/// `report` and, on failure, exits with status 1 (iproute2 6.9 behaviour): it never returns
/// into the caller's loop. Anything the caller buffered for stdout must be written out
/// first (the child would write it a second time).
///
/// The process must be single-threaded when this is called (checked: a second thread makes
/// it fail with EBUSY). The child needs CAP_SYS_ADMIN, as for [`switch`].
pub(crate) fn run_child(
    target: &Target,
    rundir: &RunDir,
    argv: &[OsString],
    report: &dyn Fn(&Error),
) -> Result<ChildEnd> {
    use nix::sys::wait::{WaitStatus, waitpid};
    use nix::unistd::ForkResult;
    match crate::sys::fork_single_threaded() {
        Err(e) => Err(Error::Fork(errno(e))),
        Ok(ForkResult::Child) => {
            vrf_reset();
            let err = match switch(target, rundir) {
                Ok(warnings) => {
                    warnings.iter().for_each(report);
                    exec_command(argv)
                }
                Err(e) => e,
            };
            report(&err);
            crate::sys::exit_now(1)
        }
        Ok(ForkResult::Parent { child }) => loop {
            match waitpid(child, None) {
                Ok(WaitStatus::Exited(_, code)) => return Ok(ChildEnd::Exited(code)),
                Ok(WaitStatus::Signaled(_, sig, _)) => return Ok(ChildEnd::Signaled(sig as i32)),
                Ok(_) | Err(Errno::EINTR) => continue,
                // ip exits 1 at once (no "Command failed" in a batch): with SIGCHLD
                // ignored by the caller, the kernel reaps the child itself (ECHILD).
                Err(e) => return Err(Error::Wait(errno(e))),
            }
        },
    }
}
