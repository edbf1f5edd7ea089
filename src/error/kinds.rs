//! The parts of [`super::Error`]'s variants: kernel refusals over rtnetlink, selector
//! failures, and the named steps whose failures ip words one by one.

use std::ffi::OsString;
use std::fmt;

use super::{Errno, strerror};

/// A refusal from the kernel over rtnetlink: errno plus the extended-ack text when the
/// kernel sent one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetlinkError {
    /// The negated error code of NLMSG_ERROR (or of a failed dump's NLMSG_DONE).
    pub errno: Errno,
    /// NLMSGERR_ATTR_MSG, the kernel's explanation, when it sent one.
    pub ext_msg: Option<String>,
    /// Set when the request never reached the kernel: iproute2's own wording for that
    /// (`Cannot talk to rtnetlink`, `Cannot send dump request`).
    pub unsent: Option<&'static str>,
}

impl NetlinkError {
    /// A refusal with no explanation.
    pub fn from_errno(errno: Errno) -> Self {
        NetlinkError {
            errno,
            ext_msg: None,
            unsent: None,
        }
    }
}

impl fmt::Display for NetlinkError {
    /// iproute2's wording: `Error: MSG.` when the kernel explained, else
    /// `RTNETLINK answers: strerror`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(what) = self.unsent {
            return write!(f, "{what}: {}", strerror(self.errno));
        }
        match &self.ext_msg {
            Some(m) if !m.is_empty() => {
                let dot = if m.ends_with('.') { "" } else { "." };
                write!(f, "Error: {m}{dot}")
            }
            _ => write!(f, "RTNETLINK answers: {}", strerror(self.errno)),
        }
    }
}

impl std::error::Error for NetlinkError {}

/// Why a selector did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// Nothing matches; the word as given.
    Unknown(OsString),
    /// Several containers or pods match: the word, and one line per candidate.
    Ambiguous(OsString, Vec<String>),
    /// The process scan could not run.
    Scan(OsString, Errno),
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Unknown(w) => {
                let w = w.to_string_lossy();
                let what = if w.starts_with("pod:") { "pod" } else { "container" };
                write!(f, "Cannot find {what} \"{}\"", w.split_once(':').map_or(&*w, |x| x.1))
            }
            SelectError::Ambiguous(w, c) => {
                write!(f, "\"{}\" is ambiguous, it matches:", w.to_string_lossy())?;
                for line in c {
                    write!(f, "\n  {line}")?;
                }
                Ok(())
            }
            SelectError::Scan(w, e) => write!(f, "Cannot resolve \"{}\": {}", w.to_string_lossy(), strerror(*e)),
        }
    }
}

impl std::error::Error for SelectError {}

/// How the error ends a command: `exit()` in iproute2 (fatal, also ends a batch) or a
/// returned status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The handler returns; exit status 1 or 2, a batch may continue.
    Return,
    /// iproute2 calls `exit()`: the whole process (and a batch) ends with this status.
    Exit,
}

/// A word a command needs and did not get (iproute2's "No ... specified").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// `No netns name specified`
    Name,
    /// `No command specified`
    Command,
    /// `No nsid specified`
    Nsid,
    /// `No netns name and PID specified`
    NameAndPid,
}

/// A step of preparing the run dir (iproute2's `create_netns_dir` and the propagation loop
/// of `netns_add`), each with ip's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunDirStep {
    /// `mkdir DIR failed`
    Mkdir,
    /// `Cannot open netns runtime directory "DIR"`
    Open,
    /// `mount --bind DIR DIR failed`
    Bind,
    /// `mount --make-private DIR failed`
    MakePrivate,
    /// `mount --make-shared DIR failed`
    MakeShared,
}

/// A step of entering a namespace for `exec` or `-n` (iproute2's `netns_switch`); all are
/// fatal (status 255).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SwitchStep {
    /// `setting the network namespace "NAME" failed`
    Setns(OsString),
    /// `unshare failed`
    Unshare,
    /// `"mount --make-rslave /" failed`
    MakeRslave,
    /// `mount of /sys failed`
    MountSys,
}

/// A step of `monitor`'s watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchStep {
    /// `inotify_init failed`
    Init,
    /// `inotify_add_watch failed`
    AddWatch,
    /// `read failed`
    Read,
}
