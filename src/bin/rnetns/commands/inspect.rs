//! `rnetns inspect [NAME|PATH...]`: links, addresses and routes of namespaces, from the host.

use std::ffi::OsString;

use clap::Arg;
use rnetns::{Error, Target, ops};

use super::{json_flags, matches};
use crate::env::Env;
use crate::output::{eprint_bytes, print};
use crate::registry::{Paths, Spec};
use crate::render::{inspect, json};

pub const SPEC: Spec = Spec {
    words: &["inspect"],
    usage: Some("inspect [NAME|PATH...]"),
    usage_rank: 10,
    about: "Show links, addresses and routes of namespaces (default: every named one)",
    paths: Paths::Any,
    completes_name: true,
    selects: true,
    args,
    run,
};

fn args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("targets")
            .num_args(0..)
            .value_name("TARGETS")
            .help("NAME in the run dir, or an absolute path to a namespace file")
            .value_parser(clap::value_parser!(OsString)),
    )
}

fn run(env: &Env, words: &[OsString]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let (json, pretty) = json_flags(env, &m);
    let targets: Vec<Target> = m
        .get_many::<OsString>("targets")
        .into_iter()
        .flatten()
        .map(|w| super::target(env, w, false))
        .collect::<Result<_, _>>()?;
    let found = ops::inspect(&env.ctx, &targets)?;
    let mut denied = 0;
    for e in &found.skipped {
        let mut m = e.message();
        m.extend_from_slice(b", skipped\n");
        eprint_bytes(&m);
        if e.errno().is_some_and(|e| matches!(e.raw(), libc::EPERM | libc::EACCES)) {
            denied += 1;
        }
    }
    if json {
        print(&json::to_bytes(&inspect::json(&found.reports), pretty));
    } else {
        print(&inspect::text(&found.reports));
    }
    // Entries that are not network namespaces are skipped with a word and status 0; one
    // that could not be entered for want of privilege is skipped too, but the command then
    // fails with a last line saying what it needs: the output is incomplete for a reason
    // the caller can fix.
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
