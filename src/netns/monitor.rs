//! `ip netns monitor`: inotify on the run dir, one event per created or deleted entry.
//!
//! Unlike ip, `add NAME` is announced once NAME is usable: ip (and rnetns) create the entry
//! first and mount the namespace on it a moment later, so ip's monitor prints `add NAME`
//! before `exec NAME` can work. rnetns holds back a new entry that is an add's placeholder
//! (an empty mode-000 file) until it is a live namespace, watching the mount table
//! (`/proc/self/mountinfo` polled for POLLPRI) for the bind. A placeholder that goes away
//! before it ever was one (a failed add) is announced when it goes, `add` then `delete`, as
//! ip prints them; one that stays (a killed add) is not announced. Any other new entry (a file, a directory, a symlink) is announced
//! at once, as ip does.

use std::ffi::OsString;

use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use nix::sys::stat::Mode;
use nix::unistd::mkdir;

use super::stale::EntryState;
use super::{RunDir, Target};
use crate::error::{Error, Result, WatchStep, errno};

fn watch_error(step: WatchStep) -> impl FnOnce(Errno) -> Error {
    move |e| Error::Watch { step, errno: errno(e) }
}

/// One change in the run dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An entry appeared (IN_CREATE): `add NAME`.
    Add(OsString),
    /// An entry went away (IN_DELETE): `delete NAME`.
    Delete(OsString),
}

/// A watch on the run dir (created as `ip netns monitor` creates it, never made a mount).
/// Needs only read access to the run dir (and write access to its parent to create it).
pub struct Monitor {
    inotify: Inotify,
    rundir: RunDir,
    /// The mount table, polled for changes (None if /proc is not there: then a new entry is
    /// announced at once, as ip does).
    mounts: Option<std::fs::File>,
    /// Entries created but not yet live, in order of creation.
    pending: std::cell::RefCell<Vec<OsString>>,
}

impl Monitor {
    /// `inotify_init`, `mkdir RUNDIR 0755`, `inotify_add_watch(IN_CREATE|IN_DELETE)`, with
    /// ip's messages. The watch also reports when it dies (IN_IGNORED).
    pub fn new(rundir: &RunDir) -> Result<Monitor> {
        let inotify = Inotify::init(InitFlags::IN_CLOEXEC).map_err(watch_error(WatchStep::Init))?;
        // Opened before the watch: every mount after a new entry is seen not live is a
        // change this descriptor reports.
        let mounts = std::fs::File::open("/proc/self/mountinfo").ok();
        match mkdir(rundir.path(), Mode::from_bits_truncate(0o755)) {
            Ok(()) | Err(Errno::EEXIST) => {}
            Err(e) => {
                return Err(Error::RunDir {
                    step: crate::error::RunDirStep::Mkdir,
                    dir: rundir.path().to_path_buf(),
                    errno: errno(e),
                });
            }
        }
        inotify
            .add_watch(rundir.path(), AddWatchFlags::IN_CREATE | AddWatchFlags::IN_DELETE)
            .map_err(watch_error(WatchStep::AddWatch))?;
        Ok(Monitor {
            inotify,
            rundir: rundir.clone(),
            mounts,
            pending: Default::default(),
        })
    }

    /// Whether `name` is a usable namespace now (or cannot be watched for becoming one).
    fn ready(&self, name: &OsString) -> bool {
        self.mounts.is_none() || self.rundir.state(&Target::Name(name.clone())) == EntryState::Live
    }

    /// Whether a new `name` is to be announced now: anything but an add's placeholder (an
    /// empty mode-000 regular file not yet mounted on).
    fn announce_now(&self, name: &OsString) -> bool {
        if self.ready(name) {
            return true;
        }
        let placeholder = nix::sys::stat::lstat(&self.rundir.entry(name))
            .is_ok_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG && st.st_mode & 0o7777 == 0 && st.st_size == 0);
        !placeholder
    }

    /// Wait until the run dir or the mount table changes: (inotify readable, mounts changed).
    fn wait(&self) -> Result<(bool, bool)> {
        let Some(mounts) = &self.mounts else {
            return Ok((true, false));
        };
        let mut fds = [
            PollFd::new(self.inotify.as_fd(), PollFlags::POLLIN),
            PollFd::new(mounts.as_fd(), PollFlags::POLLPRI),
        ];
        loop {
            match poll(&mut fds, PollTimeout::NONE) {
                Ok(_) => break,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(watch_error(WatchStep::Read)(e)),
            }
        }
        let got = |f: &PollFd| f.revents().is_some_and(|r| !r.is_empty());
        Ok((got(&fds[0]), got(&fds[1])))
    }

    /// Block for the next batch of events. A second value means the watch is gone (the run
    /// dir was removed or unmounted): the caller says so. A queue overflow (events lost) is
    /// skipped, as ip skips it.
    pub fn next_events(&self) -> Result<(Vec<Event>, Option<&'static str>)> {
        loop {
            let (dir, mounts) = self.wait()?;
            let mut out = Vec::new();
            let mut end = None;
            if dir {
                end = self.read_dir_events(&mut out)?;
            }
            if mounts || !self.pending.borrow().is_empty() {
                let mut pending = self.pending.borrow_mut();
                let mut still = Vec::new();
                for name in pending.drain(..) {
                    if self.ready(&name) {
                        out.push(Event::Add(name));
                    } else {
                        still.push(name);
                    }
                }
                *pending = still;
            }
            if !out.is_empty() || end.is_some() {
                return Ok((out, end));
            }
        }
    }

    /// The inotify events: a delete is passed on, a new entry too unless it is a placeholder,
    /// which waits in `pending` (checked by the caller right after).
    fn read_dir_events(&self, out: &mut Vec<Event>) -> Result<Option<&'static str>> {
        let events = loop {
            match self.inotify.read_events() {
                Ok(ev) => break ev,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(watch_error(WatchStep::Read)(e)),
            }
        };
        let mut end = None;
        for ev in events {
            if ev.mask.contains(AddWatchFlags::IN_Q_OVERFLOW) {
                // ip skips the overflow event and goes on watching; so does rnetns.
                continue;
            } else if ev.mask.contains(AddWatchFlags::IN_IGNORED) {
                end = Some("the run directory is no longer watched (removed or unmounted)");
            } else if let Some(name) = ev.name {
                if ev.mask.contains(AddWatchFlags::IN_CREATE) {
                    if self.announce_now(&name) {
                        out.push(Event::Add(name));
                    } else {
                        self.pending.borrow_mut().push(name);
                    }
                } else if ev.mask.contains(AddWatchFlags::IN_DELETE) {
                    let mut pending = self.pending.borrow_mut();
                    if let Some(i) = pending.iter().position(|n| *n == name) {
                        // A failed add: announced now, with its end, as ip announces both.
                        out.push(Event::Add(pending.remove(i)));
                    }
                    out.push(Event::Delete(name));
                }
            }
        }
        Ok(end)
    }
}
