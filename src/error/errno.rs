//! The OS error number as the crate's own type, and its C library text.

use std::fmt;

/// An OS error number, printed as the C library prints it (`strerror`, without Rust's
/// " (os error N)"). Debug shows the symbolic name (`ENOENT`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(i32);

impl Errno {
    /// The raw `errno` value.
    pub fn raw(self) -> i32 {
        self.0
    }

    /// From a raw `errno` value.
    pub fn from_raw(raw: i32) -> Errno {
        Errno(raw)
    }

    /// The errno of an I/O error (EIO when it carries none).
    pub fn of_io(e: &std::io::Error) -> Errno {
        Errno(e.raw_os_error().unwrap_or(libc::EIO))
    }

    pub(crate) fn nix(self) -> nix::errno::Errno {
        nix::errno::Errno::from_raw(self.0)
    }
}

/// A nix errno as the crate's own (nix stays out of the public API).
pub(crate) fn errno(e: nix::errno::Errno) -> Errno {
    Errno(e as i32)
}

impl From<Errno> for std::io::Error {
    fn from(e: Errno) -> std::io::Error {
        std::io::Error::from_raw_os_error(e.0)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(*self))
    }
}

impl std::error::Error for Errno {}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.nix())
    }
}

/// The text the C library gives for an errno (`strerror`), without Rust's " (os error N)".
pub fn strerror(errno: Errno) -> String {
    let text = std::io::Error::from_raw_os_error(errno.0).to_string();
    match text.rfind(" (os error ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
