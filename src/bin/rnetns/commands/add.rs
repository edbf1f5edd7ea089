//! `ip netns add NAME`.

use std::ffi::OsString;

use rnetns::error::Missing;
use rnetns::{Error, ops};

use super::{first, warn};
use crate::env::Env;
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["add"],
    usage: Some("add NAME"),
    usage_rank: 1,
    about: "Create a named network namespace: add NAME",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let name = first(words, Missing::Name)?;
    warn(&ops::add(&env.ctx, name)?);
    Ok(0)
}
