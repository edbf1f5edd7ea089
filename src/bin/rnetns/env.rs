//! What every command gets besides its words: the global options and the library context.

use rnetns::ops::Context;

use crate::options::Globals;
use crate::output::{flush_stdout, print};
use crate::render::json;

/// Everything a command needs besides its words.
pub struct Env {
    pub globals: Globals,
    pub ctx: Context,
    /// Inside `-batch`: exec forks and returns the command's status.
    pub batch: bool,
}

impl Env {
    /// Print a JSON document and flush it: iproute2's JSON writer flushes stdout when it
    /// closes the document, so JSON output is never held back behind later stderr lines.
    pub fn json(&self, v: &json::Json) {
        print(&json::to_bytes(v, self.globals.pretty));
        flush_stdout();
    }
}
