//! The clap command tree, built from the registry. It checks shape only: iproute2's grammar
//! has already been applied (argv.rs), and ip-compatible subcommands take their words raw.
//! It gives `--help`, each subcommand's help, the man page and the completion scripts.

use clap::{Arg, ArgAction, Command};

use crate::registry::{COMMANDS, Spec};

const ABOUT: &str = "Manage network namespaces: a drop-in replacement for `ip netns`, and more.";

const AFTER: &str = "\
Every `ip netns ARGS` works as `rnetns ARGS` with the same output and exit status; global
options come before the subcommand as with ip (`rnetns -j list` = `ip -j netns list`), and
subcommands may be abbreviated in ip's order (a = add, s = list, del = delete, e = exec).
Where ip takes a NAME for exec, pids, identify, set, inspect and exists, rnetns also takes an
absolute path to a namespace file such as /proc/PID/ns/net.

Exit status: 0 success, 1 failure, 2 refused by the kernel over netlink, 255 usage error or
exec set-up failure; exec returns the command's own status.";

/// The global options (they go before the subcommand, as with ip; rnetns's own commands
/// also take them after their name).
fn globals() -> [Arg; 6] {
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
fn subcommand(spec: &Spec) -> Command {
    let cmd = Command::new(spec.name())
        .about(spec.about)
        .visible_aliases(spec.words[1..].iter().copied());
    (spec.args)(cmd)
}

/// The whole tree: `rnetns --help`, the man page, the completion scripts.
pub fn command() -> Command {
    Command::new("rnetns")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .args(globals())
        .arg(
            Arg::new("help")
                .long("help")
                .action(ArgAction::Help)
                .help("Print this help (`-help` prints ip's usage and exits 255, as ip does; `-h` is ip's `-human`, accepted and ignored)"),
        )
        .subcommands(COMMANDS.iter().map(subcommand))
}

/// An rnetns-own command's parser: its arguments and the global options.
pub fn own_command(spec: &Spec) -> Command {
    subcommand(spec).args(globals()).no_binary_name(false)
}

/// `rnetns SUB --help`: the subcommand's long help, as the tree renders it.
pub fn subcommand_help(spec: &Spec) -> String {
    let mut tree = command();
    tree.build();
    match tree.find_subcommand_mut(spec.name()) {
        Some(sub) => sub.render_long_help().to_string(),
        None => tree.render_long_help().to_string(),
    }
}
