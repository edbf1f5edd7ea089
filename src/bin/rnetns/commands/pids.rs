//! `ip netns pids NAME|PATH`.

use std::ffi::OsString;

use rnetns::error::Missing;
use rnetns::{Error, ops};

use super::first;
use crate::env::Env;
use crate::output::print;
use crate::render::{json, text};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["pids"],
    usage: Some("pids NAME"),
    usage_rank: 6,
    about: "Print the processes in a namespace: pids NAME|PATH",
    paths: Paths::Namespace,
    completes_name: true,
    selects: true,
    args: raw_words,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let name = first(words, Missing::Name)?;
    if words.len() > 1 {
        return Err(Error::ExtraArguments);
    }
    let pids = ops::pids(&env.ctx, &super::target(env, name, false)?)?;
    if env.globals.json {
        env.json(&json::pids(&pids));
    } else {
        print(&text::pids(&pids));
    }
    Ok(0)
}
