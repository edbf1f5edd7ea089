//! `rnetns discover`: every network namespace on the host.

use std::ffi::OsString;

use rnetns::{Error, ops};

use super::{json_flags, matches};
use crate::env::Env;
use crate::output::{eprint_bytes, print};
use crate::render::discover as render;
use crate::spec::{Paths, Spec};

pub const SPEC: Spec = Spec {
    words: &["discover"],
    usage: Some("discover"),
    usage_rank: 11,
    about: "Find every network namespace on the host: names, mounts, processes, open fds",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: |cmd| cmd,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let (json, pretty) = json_flags(env, &m);
    let mut scan = ops::discover(&env.ctx)?;
    rnetns::owners::attribute(&mut scan.namespaces, &rnetns::owners::Roots::from_env());
    if json {
        render::json(&scan.namespaces, pretty, print);
    } else {
        render::text(&scan.namespaces, print);
    }
    // The table is then partial, as for an unprivileged caller: a word on stderr, status 0.
    if scan.refused > 0 {
        let n = scan.refused;
        let es = if n == 1 { "" } else { "es" };
        eprint_bytes(
            format!("Results are partial: {n} process{es} could not be read; run as root to see every namespace\n")
                .as_bytes(),
        );
    }
    Ok(0)
}
