//! rnetns's own subcommands (beyond ip), parsed by clap.

use std::ffi::OsString;

use clap::Parser;
use rnetns::Error;
use rnetns::output::print;

use crate::args::{Cli, Cmd};
use crate::argv::Sub;
use crate::dispatch::Env;

pub fn run(env: &Env, sub: Sub, args: &[OsString]) -> Result<u8, Error> {
    let mut argv = vec![OsString::from("rnetns"), OsString::from(sub.name())];
    argv.extend_from_slice(args);
    let cli = match Cli::try_parse_from(argv) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 255 } else { 0 };
            let rendered = e.render().to_string();
            if code == 0 {
                print(rendered.as_bytes());
                return Ok(0);
            }
            rnetns::output::eprint_bytes(rendered.as_bytes());
            return Err(Error::Reported(255));
        }
    };
    let json = env.globals.json || cli.json;
    let pretty = env.globals.pretty || cli.pretty;
    match cli.cmd {
        Some(Cmd::Inspect { targets }) => crate::inspect::run(env, &targets, json, pretty),
        Some(Cmd::Discover) => crate::discover::discover(env, json, pretty),
        Some(Cmd::Prune { dry_run }) => crate::discover::prune(env, dry_run, json, pretty),
        Some(Cmd::Exists { target }) => crate::discover::exists(env, &target),
        Some(Cmd::Completions { shell }) => {
            print(crate::completions::script(shell).as_bytes());
            Ok(0)
        }
        _ => Err(Error::text(format!("rnetns: {} is not available yet", sub.name()))),
    }
}
