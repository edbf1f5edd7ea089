//! `rnetns exists NAME|PATH`: silent; 0 live, 1 missing (or not openable), 2 stale.

use std::ffi::OsString;

use clap::Arg;
use rnetns::netns::stale::EntryState;
use rnetns::{Error, ops};

use super::matches;
use crate::env::Env;
use crate::spec::{Paths, Spec};

pub const SPEC: Spec = Spec {
    words: &["exists"],
    usage: Some("exists NAME|PATH"),
    usage_rank: 13,
    about: "Exit 0 if NAME|PATH is a usable network namespace, 1 if absent, 2 if stale",
    paths: Paths::Any,
    completes_name: true,
    selects: true,
    args,
    run,
};

fn args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("target")
            .required(true)
            .value_name("TARGET")
            .value_parser(clap::value_parser!(OsString)),
    )
}

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let Some(word) = m.get_one::<OsString>("target") else {
        return Err(Error::Reported(255));
    };
    // An unknown or ambiguous selector: missing, silently.
    let Ok(target) = super::target(env, word, false) else {
        return Ok(1);
    };
    Ok(match ops::exists(&env.ctx, &target) {
        EntryState::Live => 0,
        EntryState::Missing | EntryState::Unreadable(_) => 1,
        EntryState::Stale(_) => 2,
    })
}
