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
    // A piece of the run dir at a time: its warnings, then its lines (a run dir of 10000
    // names is never held whole, as ip prints each name as it reads it).
    let mut writer = env.globals.json.then(|| json::ListWriter::new(env.globals.pretty));
    let readable = ops::list_each(&env.ctx, &mut |piece| {
        for w in &piece.warnings {
            eprint_error(&Error::Netlink(w.clone()));
        }
        if let Some(entries) = piece.entries {
            match writer.as_mut() {
                Some(w) => print(&w.entries(&entries)),
                None => print(&text::list(&entries)),
            }
        }
    })?;
    // An unreadable run dir prints nothing at all, not even `[]`.
    if let Some(w) = writer
        && readable
    {
        print(&w.finish());
        flush_stdout();
    }
    Ok(0)
}
