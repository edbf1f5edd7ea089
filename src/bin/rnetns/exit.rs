//! The exit policy: how errors and usage reach the user.

use rnetns::Error;

use crate::output::{eprint_bytes, eprint_error};

/// Print an error the way ip does and give its exit status.
pub fn report(e: &Error) -> u8 {
    match e {
        Error::Usage => eprint_bytes(crate::registry::usage().as_bytes()),
        _ => eprint_error(e),
    }
    e.exit_code()
}
