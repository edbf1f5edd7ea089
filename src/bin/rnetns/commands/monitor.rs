//! `ip netns monitor`.

use std::ffi::OsString;

use rnetns::{Error, ops};

use crate::env::Env;
use crate::output::{flush_stdout, print};
use crate::render::{json, text};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["monitor"],
    usage: Some("monitor"),
    usage_rank: 8,
    about: "Print add/delete events of the namespace directory as they happen",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

fn run(env: &Env, _words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let m = ops::monitor(&env.ctx)?;
    loop {
        let (events, end) = m.next_events()?;
        for ev in &events {
            if env.globals.json {
                print(&json::event(ev));
            } else {
                print(&text::event(ev));
            }
        }
        flush_stdout();
        // A dead watch (the run dir removed or unmounted) is ip's silent wait: nothing more
        // arrives and the command runs until it is killed, as `ip netns monitor` does.
        let _ = end;
    }
}
