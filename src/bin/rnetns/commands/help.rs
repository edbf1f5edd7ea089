//! `ip netns help`: the usage summary on stderr, status 255, as ip prints it.

use std::ffi::OsString;

use rnetns::Error;

use crate::env::Env;
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["help"],
    usage: None,
    usage_rank: 15,
    about: "Print the usage summary (on stderr, exit 255, as ip does)",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

fn run(_env: &Env, _words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    Err(Error::Usage)
}
