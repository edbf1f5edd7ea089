//! `rnetns inspect [TARGET...]`: wiring only (issue 5 fills it in).

use std::ffi::OsString;

use rnetns::Error;

use crate::dispatch::Env;

pub fn run(_env: &Env, _targets: &[OsString], _json: bool, _pretty: bool) -> Result<u8, Error> {
    Err(Error::text("rnetns: inspect is not available yet"))
}
