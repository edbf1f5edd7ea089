//! The command registry: one row per command, ip's first and in ip's prefix order, then
//! rnetns's own (whose shortest forms are words ip rejects). The prefix table, the names,
//! the usage text, the clap tree (help, man page, completions), the completion hints and
//! dispatch all derive from it. A command's wiring is its own file in `commands/`.

use std::ffi::{OsStr, OsString};

use rnetns::Error;

use crate::commands as c;
use crate::env::Env;

/// Whether a command's NAME may be an absolute path (words ip rejects as names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paths {
    /// Never: ip's invalid name.
    No,
    /// Only a path to a network namespace file (ip's own commands: any other `/` word stays
    /// ip's invalid name).
    Namespace,
    /// Any absolute path (rnetns's own commands, which report on it themselves).
    Any,
}

/// Runs a command: its words after the subcommand, and the status it ends with (non-zero
/// only for exec in a batch); errors carry ip's message and status.
pub type Handler = fn(&Env, &[OsString]) -> Result<u8, Error>;

/// One command.
pub struct Spec {
    /// Its words in prefix order: the canonical name first, then aliases.
    pub words: &'static [&'static str],
    /// Its line in the usage text, after `rnetns ` (None: not listed, as ip's `help`).
    pub usage: Option<&'static str>,
    /// Where that line stands in the usage text (ip's order, which is not the prefix
    /// order).
    pub usage_rank: u8,
    /// One line for `--help` and the man page.
    pub about: &'static str,
    /// Whether its NAME may be an absolute path.
    pub paths: Paths,
    /// Whether its first argument is a namespace NAME (shell completion offers the
    /// namespaces that exist).
    pub completes_name: bool,
    /// Whether its NAME may also be a `container:`, `pod:` or `pid:` selector (where no
    /// run-dir entry has that exact name).
    pub selects: bool,
    /// Its arguments for clap: ip's commands take their words raw ([`raw_words`]), rnetns's
    /// own declare theirs.
    pub args: fn(clap::Command) -> clap::Command,
    /// Its wiring.
    pub run: Handler,
}

impl Spec {
    /// The canonical name (clap's subcommand name).
    pub fn name(&self) -> &'static str {
        self.words[0]
    }

    /// Whether this is the command `name`.
    pub fn is(&self, name: &str) -> bool {
        self.name() == name
    }
}

/// ip's commands take their words raw: ip ignores extra words and reports missing ones in
/// its own wording.
pub fn raw_words(cmd: clap::Command) -> clap::Command {
    cmd.disable_help_flag(true).arg(
        clap::Arg::new("words")
            .num_args(0..)
            .trailing_var_arg(true)
            .allow_hyphen_values(true)
            .value_parser(clap::value_parser!(OsString)),
    )
}

/// Every command, in ip's prefix order.
pub static COMMANDS: &[Spec] = &[
    c::list::SPEC,
    c::list_id::SPEC,
    c::help::SPEC,
    c::add::SPEC,
    c::set::SPEC,
    c::delete::SPEC,
    c::identify::SPEC,
    c::pids::SPEC,
    c::exec::SPEC,
    c::monitor::SPEC,
    c::attach::SPEC,
    c::inspect::SPEC,
    c::discover::SPEC,
    c::prune::SPEC,
    c::exists::SPEC,
    c::completions::SPEC,
];

/// iproute2 `matches(word, full)`: a non-empty prefix.
pub fn matches(word: &[u8], full: &str) -> bool {
    !word.is_empty() && full.as_bytes().starts_with(word)
}

/// The command a word names: the first prefix match in table order.
pub fn resolve(word: &OsStr) -> Option<&'static Spec> {
    let w = word.as_encoded_bytes();
    COMMANDS.iter().find(|s| s.words.iter().any(|full| matches(w, full)))
}

/// The command called `name` exactly.
pub fn by_name(name: &str) -> &'static Spec {
    COMMANDS.iter().find(|s| s.is(name)).unwrap_or(&COMMANDS[0])
}

/// Every command word in prefix order, aliases included.
pub fn words() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().flat_map(|s| s.words.iter().copied())
}

/// The usage summary, on stderr as ip prints its own (exit 255).
pub fn usage() -> String {
    let mut rows: Vec<&Spec> = COMMANDS.iter().filter(|s| s.usage.is_some()).collect();
    rows.sort_by_key(|s| s.usage_rank);
    let mut out = String::from("Usage:");
    for s in &rows {
        out.push_str("\trnetns ");
        out.push_str(s.usage.unwrap_or_default());
        out.push('\n');
    }
    let paths: Vec<&str> = rows.iter().filter(|s| s.paths != Paths::No).map(|s| s.name()).collect();
    out.push_str("NETNSID := auto | POSITIVE-INT\n");
    out.push_str(&format!(
        "NAME may be an absolute path to a namespace file for {}.\n",
        paths.join(", ")
    ));
    out.push_str("Full help: rnetns --help; manual: man rnetns.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(w: &str) -> Option<&'static str> {
        resolve(OsStr::new(w)).map(Spec::name)
    }

    #[test]
    fn prefix_table_in_ip_order() {
        for w in ["l", "li", "lis", "list", "s", "sh", "sho", "show", "ls", "lst"] {
            assert_eq!(sub(w), Some("list"), "{w}");
        }
        for w in ["list-", "list-i", "list-id"] {
            assert_eq!(sub(w), Some("list-id"), "{w}");
        }
        let expect = [
            ("a", "add"),
            ("at", "attach"),
            ("se", "set"),
            ("d", "delete"),
            ("del", "delete"),
            ("i", "identify"),
            ("in", "inspect"),
            ("p", "pids"),
            ("pr", "prune"),
            ("e", "exec"),
            ("ex", "exec"),
            ("exi", "exists"),
            ("m", "monitor"),
            ("h", "help"),
            ("di", "discover"),
            ("c", "completions"),
        ];
        for (w, name) in expect {
            assert_eq!(sub(w), Some(name), "{w}");
        }
        for w in [
            "", "LIST", "List", "lsx", "listx", "shows", "list-idx", "-j", "--help", "x",
        ] {
            assert_eq!(sub(w), None, "{w:?}");
        }
    }

    #[test]
    fn usage_lists_every_command_but_help_in_ip_order() {
        let u = usage();
        let lines: Vec<&str> = u.lines().collect();
        assert_eq!(lines[0], "Usage:\trnetns list");
        assert_eq!(lines[1], "\trnetns add NAME");
        assert_eq!(
            lines[9],
            "\trnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]"
        );
        assert_eq!(lines.len(), COMMANDS.len() - 1 + 3);
        assert!(!u.contains("rnetns help"));
        assert!(u.contains("for set, identify, pids, exec, inspect, exists.\n"));
        let mut ranks: Vec<u8> = COMMANDS.iter().map(|s| s.usage_rank).collect();
        ranks.sort();
        ranks.dedup();
        assert_eq!(ranks.len(), COMMANDS.len(), "usage ranks are distinct");
    }
}
