//! `rnetns inspect [TARGET...]`: links, addresses and routes of namespaces, from the host.

use std::ffi::OsString;

use nix::errno::Errno;
use rnetns::Error;
use rnetns::ops;
use rnetns::output::{eprint_bytes, print};
use rnetns::render::{inspect, json};

use crate::dispatch::Env;

/// Entries that are not network namespaces are skipped with a word and status 0; one that
/// could not be entered for want of privilege (EPERM/EACCES, e.g. not root) is skipped
/// too, but the command then fails (status 1) with a last line saying what it needs: the
/// output is incomplete for a reason the caller can fix.
pub fn run(env: &Env, targets: &[OsString], json: bool, pretty: bool) -> Result<u8, Error> {
    let found = ops::inspect(&env.ctx, targets)?;
    let mut denied = 0;
    for e in &found.skipped {
        let mut m = e.message();
        m.extend_from_slice(b", skipped\n");
        eprint_bytes(&m);
        if matches!(e.errno(), Some(Errno::EPERM | Errno::EACCES)) {
            denied += 1;
        }
    }
    if json {
        print(&json::to_bytes(&inspect::json(&found.reports), pretty));
    } else {
        print(&inspect::text(&found.reports));
    }
    if denied > 0 {
        let s = if denied == 1 { "" } else { "s" };
        eprint_bytes(
            format!("Cannot inspect {denied} namespace{s}: entering a network namespace needs CAP_SYS_ADMIN (root)\n")
                .as_bytes(),
        );
        return Ok(1);
    }
    Ok(0)
}
