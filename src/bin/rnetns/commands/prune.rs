//! `rnetns prune [--dry-run]`: remove stale run-dir entries.

use std::ffi::OsString;

use clap::{Arg, ArgAction};
use rnetns::{Error, ops};

use super::{json_flags, matches};
use crate::env::Env;
use crate::output::{eprint_error, print};
use crate::render::{discover as render, json};
use crate::spec::{Paths, Spec};

pub const SPEC: Spec = Spec {
    words: &["prune"],
    usage: Some("prune [--dry-run]"),
    usage_rank: 12,
    about: "Remove stale entries (plain files, dangling symlinks) from the run dir",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args,
    run,
};

fn args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("dry_run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Only print what would be removed"),
    )
}

/// `prune NAME` per stale entry; status 1 if an unlink failed.
fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let (json, pretty) = json_flags(env, &m);
    let dry_run = m.get_flag("dry_run");
    let pruned = ops::prune(&env.ctx, dry_run)?;
    if json {
        print(&json::to_bytes(&render::prune_json(&pruned, dry_run), pretty));
    } else {
        print(&render::prune_text(&pruned));
    }
    let mut failed = false;
    for e in pruned.iter().filter_map(|p| p.failure(env.ctx.rundir())) {
        eprint_error(&e);
        failed = true;
    }
    if failed { Err(Error::Reported(1)) } else { Ok(0) }
}
