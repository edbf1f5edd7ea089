//! One file per command: its registry row (`SPEC`) and its wiring (words to typed
//! arguments, the library call, the rendering).

pub mod add;
pub mod attach;
pub mod completions;
pub mod delete;
pub mod discover;
pub mod exec;
pub mod exists;
pub mod help;
pub mod identify;
pub mod inspect;
pub mod list;
pub mod list_id;
pub mod monitor;
pub mod pids;
pub mod prune;
pub mod set;

use std::ffi::OsString;

use rnetns::Error;
use rnetns::error::Missing;

use crate::output::{eprint_bytes, eprint_error, print};
use crate::spec::Spec;

/// The first word, or ip's "No ... specified".
pub fn first(words: &[OsString], missing: Missing) -> Result<&OsString, Error> {
    words.first().ok_or(Error::Missing(missing))
}

/// A NAME or PATH word as a target: a run-dir name, an absolute path, or (where no run-dir
/// entry has that exact name) a `container:`, `pod:` or `pid:` selector. `setup`: a failure
/// is part of exec's set-up (status 255).
pub fn target(env: &crate::env::Env, word: &std::ffi::OsStr, setup: bool) -> Result<rnetns::Target, Error> {
    rnetns::owners::select::target(word, env.ctx.rundir(), setup)
}

/// Print warnings the library returned, in order.
pub fn warn(warnings: &[Error]) {
    warnings.iter().for_each(eprint_error);
}

/// Parse an rnetns-own command's words with its clap arguments (and the global `-j`/`-p`,
/// which these commands also take after their name). A usage error is clap's message on
/// stderr with status 255; a help request prints on stdout and gives None.
pub fn matches(spec: &Spec, words: &[OsString]) -> Result<Option<clap::ArgMatches>, Error> {
    let argv = std::iter::once(OsString::from(spec.name())).chain(words.iter().cloned());
    match crate::spec::own_command(spec).try_get_matches_from(argv) {
        Ok(m) => Ok(Some(m)),
        Err(e) => {
            let rendered = e.render().to_string();
            if e.use_stderr() {
                eprint_bytes(rendered.as_bytes());
                Err(Error::Reported(255))
            } else {
                print(rendered.as_bytes());
                Ok(None)
            }
        }
    }
}

/// `-j` / `-p` given before the subcommand or after it (rnetns's own commands).
pub fn json_flags(env: &crate::env::Env, m: &clap::ArgMatches) -> (bool, bool) {
    (
        env.globals.json || m.get_flag("json"),
        env.globals.pretty || m.get_flag("pretty"),
    )
}
