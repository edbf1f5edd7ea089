//! One error type for the whole crate. Its message is iproute2's exact wording (as bytes:
//! namespace names need not be UTF-8) and it owns its exit status.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;

use nix::errno::Errno;

/// The text the C library gives for an errno (`strerror`), without Rust's " (os error N)".
pub fn strerror(errno: Errno) -> String {
    let text = std::io::Error::from_raw_os_error(errno as i32).to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// How the error ends a command: `exit()` in iproute2 (fatal, also ends a batch) or a
/// returned status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The handler returns; exit status 1 or 2, a batch may continue.
    Return,
    /// iproute2 calls `exit()`: the whole process (and a batch) ends with this status.
    Exit,
}

/// An rnetns error. [`Error::message`] is the line(s) printed on stderr.
#[derive(Debug)]
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
    /// A fixed message with its own status.
    Text {
        /// The message, without its newline.
        text: Vec<u8>,
        /// The exit status.
        code: u8,
        /// Whether iproute2 ends the process (and a batch) here.
        flow: Flow,
    },
    /// `CONTEXT: strerror(errno)` (`sep` is ": " except where iproute2 omits the space).
    Os {
        /// What was being done (`mount --make-shared /run/netns failed`, ...).
        context: Vec<u8>,
        /// Between the context and the strerror text.
        sep: &'static str,
        /// The failed system call's errno.
        errno: Errno,
        /// The exit status.
        code: u8,
        /// Whether iproute2 ends the process (and a batch) here.
        flow: Flow,
    },
    /// A kernel refusal over rtnetlink (`Error: MSG.` or `RTNETLINK answers: ...`), exit 2.
    Netlink(crate::netlink::NetlinkError),
    /// A failed dump: the kernel's line, then `Dump terminated`, exit 1.
    DumpTerminated(crate::netlink::NetlinkError),
    /// The target is not usable as a network namespace (rnetns's own check), exit 1 or 255.
    NotNetns {
        /// The path as given.
        target: OsString,
        /// Why it is refused ([`crate::netns::NotNetns::why`]).
        why: &'static str,
        /// The exit status (1, or 255 where the command is being set up).
        code: u8,
    },
    /// A failure whose messages were already printed (e.g. `-all delete`); only the status.
    Reported(u8),
}

/// The crate's result type, [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn q(out: &mut Vec<u8>, s: &OsStr) {
    out.extend_from_slice(s.as_bytes());
}

impl Error {
    /// A message with exit status 1 that returns (iproute2 `return -1`).
    pub fn text(text: impl Into<Vec<u8>>) -> Self {
        Error::Text {
            text: text.into(),
            code: 1,
            flow: Flow::Return,
        }
    }

    /// `CONTEXT: strerror`, exit 1, returning.
    pub fn os(context: impl Into<Vec<u8>>, errno: Errno) -> Self {
        Error::Os {
            context: context.into(),
            sep: ": ",
            errno,
            code: 1,
            flow: Flow::Return,
        }
    }

    /// `CONTEXT: strerror`, exit 255 via `exit()` (setup failures of exec and `-n`).
    pub fn os_fatal(context: impl Into<Vec<u8>>, errno: Errno) -> Self {
        Error::Os {
            context: context.into(),
            sep: ": ",
            errno,
            code: 255,
            flow: Flow::Exit,
        }
    }

    /// The exit status iproute2 gives for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage
            | Error::InvalidName(_)
            | Error::UnknownCommand(_)
            | Error::UnknownOption(_)
            | Error::BadArgument { .. }
            | Error::Duplicate(_)
            | Error::Incomplete => 255,
            Error::Text { code, .. } | Error::Os { code, .. } | Error::NotNetns { code, .. } => *code,
            Error::UnknownObject(_) => 1,
            Error::Reported(code) => *code,
            Error::Netlink(_) => 2,
            Error::DumpTerminated(_) => 1,
        }
    }

    /// Whether iproute2 ends the process here (`exit()`), which also ends a batch.
    pub fn flow(&self) -> Flow {
        match self {
            Error::Text { flow, .. } | Error::Os { flow, .. } => *flow,
            Error::Netlink(_) | Error::DumpTerminated(_) | Error::Reported(_) | Error::UnknownObject(_) => Flow::Return,
            Error::NotNetns { code, .. } => {
                if *code == 255 {
                    Flow::Exit
                } else {
                    Flow::Return
                }
            }
            _ => Flow::Exit,
        }
    }

    /// The errno behind this error, if any.
    pub fn errno(&self) -> Option<Errno> {
        match self {
            Error::Os { errno, .. } => Some(*errno),
            Error::Netlink(e) | Error::DumpTerminated(e) => Some(e.errno),
            _ => None,
        }
    }

    /// The last line of a failed dump, after the kernel's reason (iproute2's wording).
    pub const DUMP_TERMINATED: &str = "Dump terminated";

    /// The exact bytes printed on stderr (without the final newline). Empty for `Usage`,
    /// whose text the binary owns.
    pub fn message(&self) -> Vec<u8> {
        let mut m = Vec::new();
        match self {
            Error::Usage | Error::Reported(_) => {}
            Error::InvalidName(n) => {
                m.extend_from_slice(b"Invalid netns name \"");
                q(&mut m, n);
                m.push(b'"');
            }
            Error::UnknownCommand(w) => {
                m.extend_from_slice(b"Command \"");
                q(&mut m, w);
                m.extend_from_slice(b"\" is unknown, try \"rnetns help\".");
            }
            Error::UnknownObject(w) => {
                m.extend_from_slice(b"Object \"");
                q(&mut m, w);
                m.extend_from_slice(b"\" is unknown, try \"ip help\".");
            }
            Error::UnknownOption(o) => {
                m.extend_from_slice(b"Option \"");
                q(&mut m, o);
                m.extend_from_slice(b"\" is unknown, try \"rnetns -help\".");
            }
            Error::BadArgument { value, what } => {
                m.extend_from_slice(b"Error: argument \"");
                q(&mut m, value);
                m.extend_from_slice(b"\" is wrong: ");
                m.extend_from_slice(what.as_bytes());
            }
            Error::Duplicate(key) => {
                m.extend_from_slice(format!("Error: duplicate \"{key}\": \"{key}\" is the second value.").as_bytes());
            }
            Error::Incomplete => m.extend_from_slice(b"Command line is not complete. Try option \"help\""),
            Error::Text { text, .. } => m.extend_from_slice(text),
            Error::Os {
                context, sep, errno, ..
            } => {
                m.extend_from_slice(context);
                m.extend_from_slice(sep.as_bytes());
                m.extend_from_slice(strerror(*errno).as_bytes());
            }
            Error::Netlink(e) => m.extend_from_slice(e.to_string().as_bytes()),
            Error::DumpTerminated(e) => {
                m.extend_from_slice(e.to_string().as_bytes());
                if e.unsent.is_none() {
                    m.push(b'\n');
                    m.extend_from_slice(Self::DUMP_TERMINATED.as_bytes());
                }
            }
            Error::NotNetns { target, why, .. } => {
                m.push(b'"');
                q(&mut m, target);
                m.extend_from_slice(b"\" is not a network namespace: ");
                m.extend_from_slice(why.as_bytes());
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
mod tests {
    use super::*;

    #[test]
    fn strerror_has_no_rust_suffix() {
        assert_eq!(strerror(Errno::ENOENT), "No such file or directory");
        assert_eq!(strerror(Errno::EROFS), "Read-only file system");
        assert_eq!(strerror(Errno::ENOSPC), "No space left on device");
    }

    #[test]
    fn messages_and_codes() {
        let e = Error::InvalidName(OsString::from("a/b"));
        assert_eq!(e.to_string(), "Invalid netns name \"a/b\"");
        assert_eq!(e.exit_code(), 255);
        assert_eq!(e.flow(), Flow::Exit);
        let e = Error::os("Cannot remove namespace file \"/run/netns/x\"", Errno::ENOENT);
        assert_eq!(
            e.to_string(),
            "Cannot remove namespace file \"/run/netns/x\": No such file or directory"
        );
        assert_eq!(e.exit_code(), 1);
        assert_eq!(e.flow(), Flow::Return);
        let e = Error::os_fatal("unshare failed", Errno::EPERM);
        assert_eq!((e.exit_code(), e.flow()), (255, Flow::Exit));
        assert_eq!(
            Error::Duplicate("nsid").to_string(),
            "Error: duplicate \"nsid\": \"nsid\" is the second value."
        );
        assert_eq!(
            Error::BadArgument {
                value: "x".into(),
                what: "Invalid \"netnsid\" value"
            }
            .to_string(),
            "Error: argument \"x\" is wrong: Invalid \"netnsid\" value"
        );
        assert_eq!(
            Error::UnknownCommand("x".into()).to_string(),
            "Command \"x\" is unknown, try \"rnetns help\"."
        );
        assert_eq!(Error::Incomplete.exit_code(), 255);
    }

    #[test]
    fn names_stay_bytes() {
        use std::os::unix::ffi::OsStringExt;
        let e = Error::InvalidName(OsString::from_vec(vec![0xff, b'/']));
        assert_eq!(e.message(), b"Invalid netns name \"\xff/\"");
    }
}
