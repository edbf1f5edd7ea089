//! `ip netns monitor`: inotify on the run dir, one event per created or deleted entry.

use std::ffi::OsString;

use nix::errno::Errno;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify};
use nix::sys::stat::Mode;
use nix::unistd::mkdir;

use super::RunDir;
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
}

impl Monitor {
    /// `inotify_init`, `mkdir RUNDIR 0755`, `inotify_add_watch(IN_CREATE|IN_DELETE)`, with
    /// ip's messages. The watch also reports when it dies (IN_IGNORED).
    pub fn new(rundir: &RunDir) -> Result<Monitor> {
        let inotify = Inotify::init(InitFlags::IN_CLOEXEC).map_err(watch_error(WatchStep::Init))?;
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
        Ok(Monitor { inotify })
    }

    /// Block for the next batch of events. A second value means the watch is gone (the run
    /// dir was removed or unmounted): the caller says so. A queue overflow (events lost) is
    /// skipped, as ip skips it.
    pub fn next_events(&self) -> Result<(Vec<Event>, Option<&'static str>)> {
        let events = loop {
            match self.inotify.read_events() {
                Ok(ev) => break ev,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(watch_error(WatchStep::Read)(e)),
            }
        };
        let mut out = Vec::new();
        let mut end = None;
        for ev in events {
            if ev.mask.contains(AddWatchFlags::IN_Q_OVERFLOW) {
                // ip skips the overflow event and goes on watching; so does rnetns.
                continue;
            } else if ev.mask.contains(AddWatchFlags::IN_IGNORED) {
                end = Some("the run directory is no longer watched (removed or unmounted)");
            } else if let Some(name) = ev.name {
                let name = name.clone();
                if ev.mask.contains(AddWatchFlags::IN_CREATE) {
                    out.push(Event::Add(name));
                } else if ev.mask.contains(AddWatchFlags::IN_DELETE) {
                    out.push(Event::Delete(name));
                }
            }
        }
        Ok((out, end))
    }
}
