//! `ip netns list` (also `show`, `lst`, and no subcommand at all).

use std::ffi::OsString;

use rnetns::{Error, ops};

use crate::env::Env;
use crate::output::{eprint_error, flush_stdout, print};
use crate::render::{json, text};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["list", "show", "lst"],
    usage: Some("list"),
    usage_rank: 0,
    about: "List named network namespaces with their ids (also: show, lst; the default)",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

fn run(env: &Env, _words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let l = ops::list(&env.ctx)?;
    for w in &l.warnings {
        eprint_error(&Error::Netlink(w.clone()));
    }
    if let Some(entries) = l.entries {
        if env.globals.json {
            print(&json::list(&entries, env.globals.pretty));
            flush_stdout();
        } else {
            print(&text::list(&entries));
        }
    }
    Ok(0)
}
