//! `ip netns delete NAME`, `ip -all netns delete`.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::error::Missing;
use rnetns::ops::{self, Delete};

use super::first;
use crate::env::Env;
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["delete"],
    usage: Some("[-all] delete [NAME]"),
    usage_rank: 4,
    about: "Delete a named namespace: delete NAME (with -all: every one)",
    paths: Paths::No,
    completes_name: true,
    selects: false,
    args: raw_words,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let what = if env.globals.all {
        Delete::All
    } else {
        Delete::Name(first(words, Missing::Name)?)
    };
    ops::delete(&env.ctx, what)?;
    Ok(0)
}
