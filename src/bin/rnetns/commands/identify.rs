//! `ip netns identify [PID|PATH]`.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::ops::{self, Identify};

use crate::env::Env;
use crate::output::print;
use crate::render::{json, text};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["identify"],
    usage: Some("identify [PID]"),
    usage_rank: 5,
    about: "Print the name(s) of the namespace of a process: identify [PID|PATH]",
    paths: Paths::Namespace,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

/// `[PID|PATH]`: an absolute path, or digits only (ip's check; leading zeros kept).
pub fn parse(words: &[OsString]) -> Result<Identify, Error> {
    match words {
        [] => Ok(Identify::Current),
        [w] if w.as_encoded_bytes().first() == Some(&b'/') => Ok(Identify::Path(w.into())),
        [w] if crate::parse::is_all_digits(w) => Ok(Identify::Pid(w.clone())),
        [w] => Err(Error::NotAPid(w.clone())),
        _ => Err(Error::ExtraArguments),
    }
}

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let names = ops::identify(&env.ctx, &parse(words)?)?;
    if env.globals.json {
        env.json(&json::names(&names));
    } else {
        print(&text::identify(&names));
    }
    Ok(0)
}
