//! `rnetns inspect [TARGET...]`: links, addresses and routes of namespaces, from the host.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::ops;
use rnetns::output::{eprint_bytes, print};
use rnetns::render::{inspect, json};

use crate::dispatch::Env;

pub fn run(env: &Env, targets: &[OsString], json: bool, pretty: bool) -> Result<u8, Error> {
    let found = ops::inspect(&env.ctx, targets)?;
    for e in &found.skipped {
        let mut m = e.message();
        m.extend_from_slice(b", skipped\n");
        eprint_bytes(&m);
    }
    if json {
        print(&json::to_bytes(&inspect::json(&found.reports), pretty));
    } else {
        print(&inspect::text(&found.reports));
    }
    Ok(0)
}
