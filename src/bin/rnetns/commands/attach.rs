//! `ip netns attach NAME PID`.

use std::ffi::OsString;

use rnetns::error::Missing;
use rnetns::{Error, ops};

use super::warn;
use crate::env::Env;
use crate::parse::parse_c_int;
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["attach"],
    usage: Some("attach NAME PID"),
    usage_rank: 2,
    about: "Name the namespace of a process: attach NAME PID",
    paths: Paths::No,
    completes_name: true,
    selects: false,
    args: raw_words,
    run,
};

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let [name, pid, ..] = words else {
        return Err(Error::Missing(Missing::NameAndPid));
    };
    let pid = match rnetns::owners::select::attach_pid(pid, env.ctx.rundir()) {
        Some(selected) => selected?,
        None => parse_c_int(pid)
            .filter(|p| *p != 0)
            .ok_or_else(|| Error::InvalidPid(pid.clone()))?,
    };
    warn(&ops::attach(&env.ctx, name, pid)?);
    Ok(0)
}
