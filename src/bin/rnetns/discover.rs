//! `rnetns discover`, `prune`, `exists`: wiring only (issue 6 fills it in).

use std::ffi::OsString;

use rnetns::Error;

use crate::dispatch::Env;

pub fn discover(_env: &Env, _json: bool, _pretty: bool) -> Result<u8, Error> {
    Err(Error::text("rnetns: discover is not available yet"))
}

pub fn prune(_env: &Env, _dry_run: bool, _json: bool, _pretty: bool) -> Result<u8, Error> {
    Err(Error::text("rnetns: prune is not available yet"))
}

pub fn exists(_env: &Env, _target: &OsString) -> Result<u8, Error> {
    Err(Error::text("rnetns: exists is not available yet"))
}
