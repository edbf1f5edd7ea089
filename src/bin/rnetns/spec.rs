//! The shape of a command-registry row, and the clap pieces one row needs (the table itself
//! is in registry.rs, the rows in commands/).

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command};
use rnetns::Error;

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
/// only for exec in a batch); errors carry ip's message and status. The last argument is
/// the whole command table (for the commands that describe it: completions).
pub type Handler = fn(&Env, &[OsString], &'static [Spec]) -> Result<u8, Error>;

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

/// The global options (they go before the subcommand, as with ip; rnetns's own commands
/// also take them after their name).
pub fn globals() -> [Arg; 6] {
    let flag = |id: &'static str| Arg::new(id).action(ArgAction::SetTrue).global(true);
    [
        flag("json").short('j').long("json").help("JSON output (`-j`, `-json`)"),
        flag("pretty")
            .short('p')
            .long("pretty")
            .help("Pretty-print JSON (`-p`, `-pretty`)"),
        flag("all")
            .short('a')
            .long("all")
            .help("Apply `delete` or `exec` to every named namespace (`-a`, `-all`)"),
        Arg::new("netns")
            .short('n')
            .long("netns")
            .value_name("NAME")
            .global(true)
            .help("Run the command inside the namespace NAME (`-n`, `-netns`)"),
        Arg::new("batch")
            .short('b')
            .long("batch")
            .value_name("FILE")
            .global(true)
            .help("Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)"),
        flag("force")
            .long("force")
            .help("With -batch: go on after a failed command (`-fo`, `-force`)"),
    ]
}

/// One subcommand as the tree shows it.
pub fn subcommand(spec: &Spec) -> Command {
    let cmd = Command::new(spec.name())
        .about(spec.about)
        .visible_aliases(spec.words[1..].iter().copied());
    (spec.args)(cmd)
}

/// An rnetns-own command's parser: its arguments and the global options.
pub fn own_command(spec: &Spec) -> Command {
    subcommand(spec).args(globals()).no_binary_name(false)
}
