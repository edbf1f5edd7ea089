//! One error type for the whole crate: a named variant per message. Each variant prints
//! iproute2's exact wording ([`Error::message`], bytes: namespace names need not be UTF-8)
//! and owns its exit status ([`Error::exit_code`]) and whether it ends a batch
//! ([`Error::flow`]); no call site picks either.
//!
//! This file is longer than most: the enum and its messages stay side by side, so that a
//! variant's wording is read (and reviewed against ip's) next to its definition.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

mod errno;
mod kinds;

pub(crate) use errno::errno;
pub use errno::{Errno, strerror};
pub use kinds::{Flow, Missing, NetlinkError, RunDirStep, SelectError, SwitchStep, WatchStep};

/// An rnetns error. [`Error::message`] is the line(s) printed on stderr, `Display` the same
/// text (lossy UTF-8), `Debug` the variant with its fields.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The netns usage text (printed by the binary), exit 255.
    Usage,
    /// `Invalid netns name "NAME"`, exit 255.
    InvalidName(OsString),
    /// `Command "WORD" is unknown, try "rnetns help".`, exit 255.
    UnknownCommand(OsString),
    /// `Option "OPT" is unknown, try "rnetns -help".`, exit 255.
    UnknownOption(OsString),
    /// `Object "WORD" is unknown, try "ip help".`, exit 1: the word stands where ip expects
    /// its object (`netns`) and is none of ip's (ip's own wording: it names `ip help`).
    UnknownObject(OsString),
    /// `Error: argument "VALUE" is wrong: WHAT`, exit 255 (iproute2 `invarg`).
    BadArgument {
        /// The word as given.
        value: OsString,
        /// What is wrong with it (iproute2's text after the colon).
        what: &'static str,
    },
    /// `Error: duplicate "KEY": "KEY" is the second value.`, exit 255 (`duparg`).
    Duplicate(&'static str),
    /// `Command line is not complete. Try option "help"`, exit 255.
    Incomplete,
    /// `Invalid rcvbuf size 'VALUE'`, exit 255.
    InvalidRcvbuf(OsString),
    /// `No ... specified`, exit 1.
    Missing(Missing),
    /// `extra arguments specified`, exit 1.
    ExtraArguments,
    /// `Invalid PID: WORD`, exit 1.
    InvalidPid(OsString),
    /// `Specified string 'WORD' is not a pid`, exit 1.
    NotAPid(OsString),
    /// `Cannot open network namespace "NAME": strerror` (without a name where ip gives
    /// none); exit 1, or 255 and fatal while `exec`/`-n` sets up.
    OpenNetns {
        /// The name or path as given, when ip names it.
        target: Option<OsString>,
        /// Why the open failed.
        errno: Errno,
        /// Part of `exec`/`-n` set-up (status 255, ends a batch).
        setup: bool,
    },
    /// `"PATH" is not a network namespace: WHY` (rnetns's own check), exit 1 or 255.
    NotNetns {
        /// The path as given.
        target: OsString,
        /// Why it is refused ([`crate::netns::NotNetns::why`]).
        why: &'static str,
        /// Part of `exec`/`-n` set-up (status 255, ends a batch).
        setup: bool,
    },
    /// `Failed to open directory DIR: strerror`, exit 1.
    ReadDir {
        /// The directory.
        dir: PathBuf,
        /// Why it could not be read.
        errno: Errno,
    },
    /// `Failed to open directory DIR:strerror` (identify's wording, without the space),
    /// exit 1.
    IdentifyReadDir {
        /// The directory.
        dir: PathBuf,
        /// Why it could not be read.
        errno: Errno,
    },
    /// A run-dir preparation step failed: `mkdir DIR failed: strerror` etc., exit 1.
    RunDir {
        /// Which step.
        step: RunDirStep,
        /// The run dir.
        dir: PathBuf,
        /// Why it failed.
        errno: Errno,
    },
    /// `Cannot create namespace file "PATH": strerror`, exit 1.
    CreateEntry {
        /// The entry.
        path: PathBuf,
        /// Why it failed.
        errno: Errno,
    },
    /// `Cannot remove namespace file "PATH": strerror`, exit 1.
    RemoveEntry {
        /// The entry.
        path: PathBuf,
        /// Why it failed.
        errno: Errno,
    },
    /// `Bind SOURCE -> PATH failed: strerror`, exit 1.
    Bind {
        /// What was bound (`/proc/self/ns/net`, `/proc/PID/ns/net`, `/etc/netns/N/F`).
        source: OsString,
        /// Where.
        path: PathBuf,
        /// Why it failed.
        errno: Errno,
    },
    /// `Failed to create a new network namespace "NAME": strerror`, exit 1.
    CreateNetns {
        /// The name being added.
        name: OsString,
        /// Why `unshare(CLONE_NEWNET)` failed.
        errno: Errno,
    },
    /// `Cannot open init namespace: strerror`, exit 1.
    InitNetns(Errno),
    /// `Cannot start a thread for the new namespace: strerror`, exit 1.
    Thread(Errno),
    /// `Cannot return to the caller's mount namespace: strerror`, exit 1.
    HomeMount(Errno),
    /// `Stat of netns failed: strerror`, exit 1.
    StatNetns(Errno),
    /// `Open of /proc failed: strerror`, exit 1.
    OpenProc(Errno),
    /// `Cannot open /proc: strerror` (discover), exit 1.
    ScanProc(Errno),
    /// A step of entering a namespace failed (`unshare failed: strerror`, ...), exit 255,
    /// fatal.
    Switch {
        /// Which step.
        step: SwitchStep,
        /// Why it failed.
        errno: Errno,
    },
    /// `exec of "PROGRAM" failed: strerror`, exit 1.
    Exec {
        /// The program.
        program: OsString,
        /// Why execvp failed.
        errno: Errno,
    },
    /// `fork: strerror`, exit 1.
    Fork(Errno),
    /// `waitpid: strerror`, exit 1, fatal (ip exits at once).
    Wait(Errno),
    /// A step of `monitor`'s watch failed, exit 1.
    Watch {
        /// Which step.
        step: WatchStep,
        /// Why it failed.
        errno: Errno,
    },
    /// `Cannot open rtnetlink`, exit 1.
    OpenRtnetlink,
    /// `Cannot open rtnetlink in "NAME": strerror` (inspect), exit 1.
    RtnetlinkIn {
        /// The namespace as given.
        target: OsString,
        /// Why the socket could not be made there.
        errno: Errno,
    },
    /// A `container:`, `pod:` or `pid:` selector that names no namespace, or several
    /// (the candidates listed); exit 1, or 255 and fatal in exec's set-up.
    Select {
        /// Why it did not resolve.
        error: SelectError,
        /// Part of `exec` set-up (status 255, ends a batch).
        setup: bool,
    },
    /// A kernel refusal over rtnetlink (`Error: MSG.` or `RTNETLINK answers: ...`), exit 2.
    Netlink(NetlinkError),
    /// A failed dump: the kernel's line, then `Dump terminated`, exit 1.
    DumpTerminated(NetlinkError),
    /// `Warning: could not flock netns runtime directory "DIR": strerror`: printed, never
    /// fatal on its own (status 0 when it comes back among warnings).
    FlockWarning {
        /// The run dir.
        dir: PathBuf,
        /// Why flock failed.
        errno: Errno,
    },
    /// Several messages in the order ip prints them (a failure and its failed cleanup,
    /// every failed entry of `-all delete`); status and flow are the last one's.
    Several(Vec<Error>),
    /// A failure whose messages were already printed, or that ip reports with no message
    /// at all; only the status.
    Reported(u8),
}

/// The crate's result type, [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `"TEXT"`: the one way messages quote a name or path (bytes as they are).
pub fn push_quoted(m: &mut Vec<u8>, s: &OsStr) {
    m.push(b'"');
    m.extend_from_slice(s.as_bytes());
    m.push(b'"');
}

fn path_bytes(p: &Path) -> &[u8] {
    p.as_os_str().as_bytes()
}

impl Error {
    /// `Cannot open network namespace "TARGET"` for a command that reports (status 1).
    pub fn open_netns(target: &OsStr, errno: Errno) -> Error {
        Error::OpenNetns {
            target: Some(target.to_os_string()),
            errno,
            setup: false,
        }
    }

    /// Usage and parse errors, and failures while `exec` or `-n` sets up: ip prints them
    /// and calls `exit(255)`.
    fn is_fatal_usage_or_setup(&self) -> bool {
        matches!(
            self,
            Error::Usage
                | Error::InvalidName(_)
                | Error::UnknownCommand(_)
                | Error::UnknownOption(_)
                | Error::BadArgument { .. }
                | Error::Duplicate(_)
                | Error::Incomplete
                | Error::InvalidRcvbuf(_)
                | Error::Switch { .. }
                | Error::OpenNetns { setup: true, .. }
                | Error::NotNetns { setup: true, .. }
                | Error::Select { setup: true, .. }
        )
    }

    /// The exit status iproute2 gives for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            e if e.is_fatal_usage_or_setup() => 255,
            Error::Reported(code) => *code,
            Error::Netlink(_) => 2,
            Error::Several(all) => all.last().map_or(1, Error::exit_code),
            _ => 1,
        }
    }

    /// Whether iproute2 ends the process here (`exit()`), which also ends a batch.
    pub fn flow(&self) -> Flow {
        match self {
            e if e.is_fatal_usage_or_setup() => Flow::Exit,
            // ip exits 1 at once when waitpid fails; a thread stuck in a namespace must not
            // go on.
            Error::Wait(_) => Flow::Exit,
            Error::Several(all) => all.last().map_or(Flow::Return, Error::flow),
            _ => Flow::Return,
        }
    }

    /// The errno behind this error, if one is (the first of [`Error::Several`] that has one).
    pub fn errno(&self) -> Option<Errno> {
        match self {
            Error::OpenNetns { errno, .. }
            | Error::ReadDir { errno, .. }
            | Error::IdentifyReadDir { errno, .. }
            | Error::RunDir { errno, .. }
            | Error::CreateEntry { errno, .. }
            | Error::RemoveEntry { errno, .. }
            | Error::Bind { errno, .. }
            | Error::CreateNetns { errno, .. }
            | Error::Switch { errno, .. }
            | Error::Exec { errno, .. }
            | Error::Watch { errno, .. }
            | Error::RtnetlinkIn { errno, .. }
            | Error::FlockWarning { errno, .. } => Some(*errno),
            Error::InitNetns(e)
            | Error::Thread(e)
            | Error::HomeMount(e)
            | Error::StatNetns(e)
            | Error::OpenProc(e)
            | Error::ScanProc(e)
            | Error::Fork(e)
            | Error::Wait(e) => Some(*e),
            Error::Netlink(e) | Error::DumpTerminated(e) => Some(e.errno),
            Error::Select {
                error: SelectError::Scan(_, e),
                ..
            } => Some(*e),
            Error::Several(all) => all.iter().find_map(Error::errno),
            _ => None,
        }
    }

    /// The last line of a failed dump, after the kernel's reason (iproute2's wording).
    pub const DUMP_TERMINATED: &str = "Dump terminated";

    /// A message that is a user's word quoted in fixed text, as its three pieces (the
    /// word not copied): the binary writes a huge word (a batch line of 150 MB) from where
    /// it is, so the message costs no second copy of it.
    pub fn around_word(&self) -> Option<(&'static [u8], &[u8], &'static [u8])> {
        let (before, word, after): (&'static [u8], &OsStr, &'static [u8]) = match self {
            Error::InvalidName(n) => (b"Invalid netns name \"", n, b"\""),
            Error::UnknownCommand(w) => (b"Command \"", w, b"\" is unknown, try \"rnetns help\"."),
            Error::UnknownObject(w) => (b"Object \"", w, b"\" is unknown, try \"ip help\"."),
            Error::UnknownOption(o) => (b"Option \"", o, b"\" is unknown, try \"rnetns -help\"."),
            _ => return None,
        };
        Some((before, word.as_bytes(), after))
    }

    /// The exact bytes printed on stderr (without the final newline). Empty for `Usage`,
    /// whose text the binary owns, and for `Reported`.
    pub fn message(&self) -> Vec<u8> {
        if let Some((before, word, after)) = self.around_word() {
            let mut m = Vec::with_capacity(before.len() + word.len() + after.len());
            m.extend_from_slice(before);
            m.extend_from_slice(word);
            m.extend_from_slice(after);
            return m;
        }
        // Room for the quoted word and the rest at once: a huge word (a batch line of
        // 150 MB) is copied once, never doubled by the closing bytes.
        let word = match self {
            Error::BadArgument { value, .. } => value.len(),
            _ => 0,
        };
        let mut m = Vec::with_capacity(word + 128);
        let os = |m: &mut Vec<u8>, context: &[u8], errno: &Errno| {
            m.extend_from_slice(context);
            m.extend_from_slice(b": ");
            m.extend_from_slice(strerror(*errno).as_bytes());
        };
        match self {
            Error::Usage | Error::Reported(_) => {}
            Error::InvalidName(_) | Error::UnknownCommand(_) | Error::UnknownObject(_) | Error::UnknownOption(_) => {
                unreachable!("around_word")
            }
            Error::BadArgument { value, what } => {
                m.extend_from_slice(b"Error: argument ");
                push_quoted(&mut m, value);
                m.extend_from_slice(b" is wrong: ");
                m.extend_from_slice(what.as_bytes());
            }
            Error::Duplicate(key) => {
                m.extend_from_slice(format!("Error: duplicate \"{key}\": \"{key}\" is the second value.").as_bytes());
            }
            Error::Incomplete => m.extend_from_slice(b"Command line is not complete. Try option \"help\""),
            Error::InvalidRcvbuf(v) => {
                m.extend_from_slice(b"Invalid rcvbuf size '");
                m.extend_from_slice(v.as_bytes());
                m.push(b'\'');
            }
            Error::Missing(what) => m.extend_from_slice(match what {
                Missing::Name => b"No netns name specified".as_slice(),
                Missing::Command => b"No command specified",
                Missing::Nsid => b"No nsid specified",
                Missing::NameAndPid => b"No netns name and PID specified",
            }),
            Error::ExtraArguments => m.extend_from_slice(b"extra arguments specified"),
            Error::InvalidPid(w) => {
                m.extend_from_slice(b"Invalid PID: ");
                m.extend_from_slice(w.as_bytes());
            }
            Error::NotAPid(w) => {
                m.extend_from_slice(b"Specified string '");
                m.extend_from_slice(w.as_bytes());
                m.extend_from_slice(b"' is not a pid");
            }
            Error::OpenNetns { target, errno, .. } => {
                let mut c = b"Cannot open network namespace".to_vec();
                if let Some(t) = target {
                    c.push(b' ');
                    push_quoted(&mut c, t);
                }
                os(&mut m, &c, errno);
            }
            Error::NotNetns { target, why, .. } => {
                push_quoted(&mut m, target);
                m.extend_from_slice(b" is not a network namespace: ");
                m.extend_from_slice(why.as_bytes());
            }
            Error::ReadDir { dir, errno } => {
                let mut c = b"Failed to open directory ".to_vec();
                c.extend_from_slice(path_bytes(dir));
                os(&mut m, &c, errno);
            }
            Error::IdentifyReadDir { dir, errno } => {
                m.extend_from_slice(b"Failed to open directory ");
                m.extend_from_slice(path_bytes(dir));
                m.push(b':');
                m.extend_from_slice(strerror(*errno).as_bytes());
            }
            Error::RunDir { step, dir, errno } => {
                let d = path_bytes(dir);
                let c = match step {
                    RunDirStep::Mkdir => [b"mkdir ", d, b" failed"].concat(),
                    RunDirStep::Open => [b"Cannot open netns runtime directory \"", d, b"\""].concat(),
                    RunDirStep::Bind => [b"mount --bind ", d, b" ", d, b" failed"].concat(),
                    RunDirStep::MakePrivate => [b"mount --make-private ", d, b" failed"].concat(),
                    RunDirStep::MakeShared => [b"mount --make-shared ", d, b" failed"].concat(),
                };
                os(&mut m, &c, errno);
            }
            Error::CreateEntry { path, errno } | Error::RemoveEntry { path, errno } => {
                let mut c = if matches!(self, Error::CreateEntry { .. }) {
                    b"Cannot create namespace file ".to_vec()
                } else {
                    b"Cannot remove namespace file ".to_vec()
                };
                push_quoted(&mut c, path.as_os_str());
                os(&mut m, &c, errno);
            }
            Error::Bind { source, path, errno } => {
                let c = [b"Bind ", source.as_bytes(), b" -> ", path_bytes(path), b" failed"].concat();
                os(&mut m, &c, errno);
            }
            Error::CreateNetns { name, errno } => {
                let mut c = b"Failed to create a new network namespace ".to_vec();
                push_quoted(&mut c, name);
                os(&mut m, &c, errno);
            }
            Error::InitNetns(e) => os(&mut m, b"Cannot open init namespace", e),
            Error::Thread(e) => os(&mut m, b"Cannot start a thread for the new namespace", e),
            Error::HomeMount(e) => os(&mut m, b"Cannot return to the caller's mount namespace", e),
            Error::StatNetns(e) => os(&mut m, b"Stat of netns failed", e),
            Error::OpenProc(e) => os(&mut m, b"Open of /proc failed", e),
            Error::ScanProc(e) => os(&mut m, b"Cannot open /proc", e),
            Error::Switch { step, errno } => {
                let c = match step {
                    SwitchStep::Setns(label) => {
                        let mut c = b"setting the network namespace ".to_vec();
                        push_quoted(&mut c, label);
                        c.extend_from_slice(b" failed");
                        c
                    }
                    SwitchStep::Unshare => b"unshare failed".to_vec(),
                    SwitchStep::MakeRslave => b"\"mount --make-rslave /\" failed".to_vec(),
                    SwitchStep::MountSys => b"mount of /sys failed".to_vec(),
                };
                os(&mut m, &c, errno);
            }
            Error::Exec { program, errno } => {
                let mut c = b"exec of ".to_vec();
                push_quoted(&mut c, program);
                c.extend_from_slice(b" failed");
                os(&mut m, &c, errno);
            }
            Error::Fork(e) => os(&mut m, b"fork", e),
            Error::Wait(e) => os(&mut m, b"waitpid", e),
            Error::Watch { step, errno } => {
                let c: &[u8] = match step {
                    WatchStep::Init => b"inotify_init failed",
                    WatchStep::AddWatch => b"inotify_add_watch failed",
                    WatchStep::Read => b"read failed",
                };
                os(&mut m, c, errno);
            }
            Error::FlockWarning { dir, errno } => {
                let mut c = b"Warning: could not flock netns runtime directory ".to_vec();
                push_quoted(&mut c, dir.as_os_str());
                os(&mut m, &c, errno);
            }
            Error::Several(all) => {
                for e in all {
                    let one = e.message();
                    if one.is_empty() {
                        continue;
                    }
                    if !m.is_empty() {
                        m.push(b'\n');
                    }
                    m.extend_from_slice(&one);
                }
            }
            Error::Select { error, .. } => m.extend_from_slice(error.to_string().as_bytes()),
            Error::OpenRtnetlink => m.extend_from_slice(b"Cannot open rtnetlink"),
            Error::RtnetlinkIn { target, errno } => {
                let mut c = b"Cannot open rtnetlink in ".to_vec();
                push_quoted(&mut c, target);
                os(&mut m, &c, errno);
            }
            Error::Netlink(e) => m.extend_from_slice(e.to_string().as_bytes()),
            Error::DumpTerminated(e) => {
                m.extend_from_slice(e.to_string().as_bytes());
                if e.unsent.is_none() {
                    m.push(b'\n');
                    m.extend_from_slice(Self::DUMP_TERMINATED.as_bytes());
                }
            }
        }
        m
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage => f.write_str("usage"),
            Error::Reported(code) => write!(f, "failed with status {code}"),
            _ => f.write_str(&String::from_utf8_lossy(&self.message())),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests;
