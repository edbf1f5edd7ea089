//! The clap command tree, built from the registry. It checks shape only: iproute2's grammar
//! has already been applied (argv.rs), and ip-compatible subcommands take their words raw.
//! It gives `--help`, each subcommand's help, the man page and the completion scripts.

use clap::{Arg, ArgAction, Command};

use crate::spec::{Spec, globals, subcommand};

const ABOUT: &str = "Manage network namespaces: a drop-in replacement for `ip netns`, and more.";

const AFTER: &str = "\
Every `ip netns ARGS` works as `rnetns ARGS` with the same output and exit status; global
options come before the subcommand as with ip (`rnetns -j list` = `ip -j netns list`), and
subcommands may be abbreviated in ip's order (a = add, s = list, del = delete, e = exec).
Where ip takes a NAME for exec, pids, identify, set, inspect and exists, rnetns also takes an
absolute path to a namespace file such as /proc/PID/ns/net.

Exit status: 0 success, 1 failure, 2 refused by the kernel over netlink, 255 usage error or
exec set-up failure; exec returns the command's own status.";

/// The whole tree of `commands` (the registry's): `rnetns --help`, the man page, the
/// completion scripts.
pub fn command(commands: &[Spec]) -> Command {
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
        .subcommands(commands.iter().map(subcommand))
}

/// `rnetns SUB --help`: the subcommand's long help, as the tree renders it.
pub fn subcommand_help(spec: &Spec, commands: &[Spec]) -> String {
    let mut tree = command(commands);
    tree.build();
    match tree.find_subcommand_mut(spec.name()) {
        Some(sub) => sub.render_long_help().to_string(),
        None => tree.render_long_help().to_string(),
    }
}
