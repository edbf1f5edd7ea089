//! `ip netns set NAME|PATH NETNSID|auto`.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::error::Missing;
use rnetns::ops::{self, Nsid};

use super::first;
use crate::env::Env;
use crate::parse::parse_c_int;
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["set"],
    usage: Some("set NAME NETNSID"),
    usage_rank: 3,
    about: "Give a namespace an id: set NAME|PATH NETNSID|auto",
    paths: Paths::Namespace,
    completes_name: true,
    selects: true,
    args: raw_words,
    run,
};

/// `NETNSID|auto`: `get_integer`, then ip's range check.
pub fn parse_nsid(value: &OsString) -> Result<Nsid, Error> {
    if value.as_encoded_bytes() == b"auto" {
        return Ok(Nsid::Auto);
    }
    let bad = |what| Error::BadArgument {
        value: value.clone(),
        what,
    };
    match parse_c_int(value) {
        None => Err(bad("Invalid \"netnsid\" value")),
        Some(v) if v < 0 => Err(bad("\"netnsid\" value should be >= 0")),
        Some(v) => Ok(Nsid::Id(v)),
    }
}

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let name = first(words, Missing::Name)?;
    let value = words.get(1).ok_or(Error::Missing(Missing::Nsid))?;
    let target = super::target(env, name, false)?;
    let nsid = parse_nsid(value)?;
    ops::set(&env.ctx, &target, nsid)?;
    Ok(0)
}
