//! `rnetns discover`, `prune`, `exists`: library call, then the renderer.

use std::ffi::OsString;

use rnetns::netns::stale::EntryState;
use rnetns::output::{eprint_error, print};
use rnetns::render::{discover as render, json};
use rnetns::{Error, ops};

use crate::dispatch::Env;

/// `rnetns discover`: the table, or `-j` JSON.
pub fn discover(env: &Env, json: bool, pretty: bool) -> Result<u8, Error> {
    let mut found = ops::discover(&env.ctx)?;
    rnetns::owners::attribute(&mut found, &rnetns::owners::Roots::from_env());
    if json {
        print(&json::to_bytes(&render::json(&found), pretty));
    } else {
        print(&render::text(&found));
    }
    Ok(0)
}

/// `rnetns prune [--dry-run]`: `prune NAME` per stale entry; status 1 if an unlink failed.
pub fn prune(env: &Env, dry_run: bool, json: bool, pretty: bool) -> Result<u8, Error> {
    let pruned = env.ctx.rundir.prune(dry_run)?;
    if json {
        print(&json::to_bytes(&render::prune_json(&pruned, dry_run), pretty));
    } else {
        print(&render::prune_text(&pruned));
    }
    let mut failed = false;
    for e in pruned.iter().filter_map(|p| p.failure(&env.ctx.rundir)) {
        eprint_error(&e);
        failed = true;
    }
    if failed { Err(Error::Reported(1)) } else { Ok(0) }
}

/// `rnetns exists NAME|PATH`: silent; 0 live, 1 missing (or not openable), 2 stale.
pub fn exists(env: &Env, target: &OsString) -> Result<u8, Error> {
    let Ok(target) = rnetns::owners::select::target(target, &env.ctx.rundir, 1) else {
        return Ok(1); // an unknown or ambiguous selector: missing, silently
    };
    Ok(match env.ctx.rundir.state(&target) {
        EntryState::Live => 0,
        EntryState::Missing | EntryState::Unreadable(_) => 1,
        EntryState::Stale(_) => 2,
    })
}
