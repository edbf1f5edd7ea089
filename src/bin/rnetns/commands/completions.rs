//! `rnetns completions bash|zsh|fish`: a shell completion script on stdout.

use std::ffi::OsString;

use clap::Arg;
use rnetns::Error;

use super::matches;
use crate::completions::{Shell, script};
use crate::env::Env;
use crate::output::print;
use crate::spec::{Paths, Spec};

pub const SPEC: Spec = Spec {
    words: &["completions"],
    usage: Some("completions bash|zsh|fish"),
    usage_rank: 14,
    about: "Print a shell completion script",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args,
    run,
};

fn args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("shell")
            .required(true)
            .value_name("SHELL")
            .value_parser(clap::builder::EnumValueParser::<Shell>::new()),
    )
}

fn run(_env: &Env, words: &[OsString], commands: &'static [Spec]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let Some(shell) = m.get_one::<Shell>("shell") else {
        return Err(Error::Reported(255));
    };
    print(script(*shell, commands).as_bytes());
    Ok(0)
}
