//! The exit policy: how errors and usage reach the user.

use rnetns::Error;
use rnetns::output::{eprint_bytes, eprint_error};

/// rnetns's usage summary, on stderr as ip prints its own (exit 255).
pub const USAGE: &str = "Usage:\trnetns list
\trnetns add NAME
\trnetns attach NAME PID
\trnetns set NAME NETNSID
\trnetns [-all] delete [NAME]
\trnetns identify [PID]
\trnetns pids NAME
\trnetns [-all] exec [NAME] cmd ...
\trnetns monitor
\trnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
\trnetns inspect [NAME|PATH...]
\trnetns discover
\trnetns prune [--dry-run]
\trnetns exists NAME|PATH
\trnetns completions bash|zsh|fish
NETNSID := auto | POSITIVE-INT
NAME may be an absolute path to a namespace file for exec, pids, identify, set, inspect, exists.
Full help: rnetns --help-all; manual: man rnetns.
";

/// Print an error the way ip does and give its exit status.
pub fn report(e: &Error) -> u8 {
    match e {
        Error::Usage => eprint_bytes(USAGE.as_bytes()),
        _ => eprint_error(e),
    }
    e.exit_code()
}
