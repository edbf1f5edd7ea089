//! The clap command tree. It checks shape only: iproute2's grammar has already been applied
//! (argv.rs), and ip-compatible subcommands take their words raw because ip ignores extra
//! words and reports missing ones in its own wording. It also gives `--help-all`.

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Manage network namespaces: a drop-in replacement for `ip netns`, and more.";

const AFTER: &str = "\
Every `ip netns ARGS` works as `rnetns ARGS` with the same output and exit status; global
options come before the subcommand as with ip (`rnetns -j list` = `ip -j netns list`), and
subcommands may be abbreviated in ip's order (a = add, s = list, del = delete, e = exec).
Where ip takes a NAME for exec, pids, identify, set, inspect and exists, rnetns also takes an
absolute path to a namespace file such as /proc/PID/ns/net.

Exit status: 0 success, 1 failure, 2 refused by the kernel over netlink, 255 usage error or
exec set-up failure; exec returns the command's own status.";

#[derive(Debug, Parser)]
#[command(
    name = "rnetns",
    version,
    about = ABOUT,
    after_help = AFTER,
    disable_help_subcommand = true,
    disable_help_flag = true
)]
pub struct Cli {
    /// JSON output (`-j`, `-json`)
    #[arg(short = 'j', long = "json", global = true)]
    pub json: bool,
    /// Pretty-print JSON (`-p`, `-pretty`)
    #[arg(short = 'p', long = "pretty", global = true)]
    pub pretty: bool,
    /// Apply `delete` or `exec` to every named namespace (`-a`, `-all`)
    #[arg(short = 'a', long = "all", global = true)]
    pub all: bool,
    /// Run the command inside the namespace NAME (`-n`, `-netns`)
    #[arg(short = 'n', long = "netns", value_name = "NAME", global = true)]
    pub netns: Option<OsString>,
    /// Read commands from FILE (`-` for stdin), one per line (`-b`, `-batch`)
    #[arg(short = 'b', long = "batch", value_name = "FILE", global = true)]
    pub batch: Option<OsString>,
    /// With -batch: go on after a failed command (`-fo`, `-force`)
    #[arg(long = "force", global = true)]
    pub force: bool,
    /// Print this help (`-help`/`--help` print the usage and exit 255, as with ip; `-h` is
    /// ip's `-human`, accepted and ignored)
    #[arg(long = "help-all", action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    #[command(subcommand)]
    pub cmd: Option<Cmd>,
}

/// Raw words of an ip-compatible subcommand.
#[derive(Debug, Args)]
#[command(disable_help_flag = true)]
pub struct Words {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub words: Vec<OsString>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List named network namespaces with their ids (also: show, lst; the default)
    #[command(visible_aliases = ["show", "lst"])]
    List(Words),
    /// List namespace ids: list-id [target-nsid N] [nsid N]
    #[command(name = "list-id")]
    ListId(Words),
    /// Print the usage summary (on stderr, exit 255, as ip does)
    Help(Words),
    /// Create a named network namespace: add NAME
    Add(Words),
    /// Give a namespace an id: set NAME|PATH NETNSID|auto
    Set(Words),
    /// Delete a named namespace: delete NAME (with -all: every one)
    Delete(Words),
    /// Print the name(s) of the namespace of a process: identify [PID|PATH]
    Identify(Words),
    /// Print the processes in a namespace: pids NAME|PATH
    Pids(Words),
    /// Run a command inside a namespace: exec NAME|PATH CMD [ARGS...] (with -all: every one)
    Exec(Words),
    /// Print add/delete events of the namespace directory as they happen
    Monitor(Words),
    /// Name the namespace of a process: attach NAME PID
    Attach(Words),
    /// Show links, addresses and routes of namespaces (default: every named one)
    Inspect {
        /// NAME in the run dir, or an absolute path to a namespace file
        targets: Vec<OsString>,
    },
    /// Find every network namespace on the host: names, mounts, processes, open fds
    Discover,
    /// Remove stale entries (plain files, dangling symlinks) from the run dir
    Prune {
        /// Only print what would be removed
        #[arg(long)]
        dry_run: bool,
    },
    /// Exit 0 if NAME|PATH is a usable network namespace, 1 if absent, 2 if stale
    Exists { target: OsString },
    /// Print a shell completion script
    Completions { shell: Shell },
}

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}
