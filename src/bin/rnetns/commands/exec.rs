//! `ip netns exec NAME|PATH CMD...`, `ip -all netns exec CMD...`.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::error::Missing;
use rnetns::netns::exec::ChildEnd;
use rnetns::ops::{self, ExecMode};

use super::first;
use crate::env::Env;
use crate::output::{eprint_error, flush_stdout, print};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["exec"],
    usage: Some("[-all] exec [NAME] cmd ..."),
    usage_rank: 7,
    about: "Run a command inside a namespace: exec NAME|PATH CMD [ARGS...] (with -all: every one)",
    paths: Paths::Namespace,
    completes_name: true,
    selects: true,
    args: raw_words,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let report = |e: &Error| eprint_error(e);
    if env.globals.all {
        if words.is_empty() {
            return Err(Error::Missing(Missing::Command));
        }
        let header = |name: &std::ffi::OsStr| {
            let mut h = b"\nnetns: ".to_vec();
            h.extend_from_slice(name.as_encoded_bytes());
            h.push(b'\n');
            print(&h);
            // The child writes to the same stdout: what is buffered goes first.
            flush_stdout();
        };
        let killed = ops::exec_all(&env.ctx, words, header, &report)?;
        return Ok(u8::from(killed));
    }
    let name = first(words, Missing::Name)?;
    if words.len() < 2 {
        return Err(Error::Missing(Missing::Command));
    }
    let target = super::target(env, name, true)?;
    flush_stdout();
    let mode = if env.batch { ExecMode::Child } else { ExecMode::Replace };
    match ops::exec(&env.ctx, &target, &words[1..], mode, &report)? {
        ChildEnd::Exited(code) => Ok(code as u8),
        ChildEnd::Signaled(_) => Ok(1),
    }
}
