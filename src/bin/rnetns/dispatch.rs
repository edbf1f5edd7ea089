//! From a resolved command to its handler: `SUB --help` first, then the registry row's
//! wiring.

use rnetns::Error;

use crate::argv::{Command, HELP};
use crate::env::Env;
use crate::output::print;
use crate::registry::COMMANDS;

/// Run one command. `Ok(status)` is the command's own status (non-zero only for exec in a
/// batch); errors carry ip's message and status.
pub fn run(env: &Env, cmd: Command) -> Result<u8, Error> {
    let Command { spec, args } = cmd;
    // rnetns: `SUB --help` is that subcommand's help (ip would take `--help` as a NAME;
    // docs/compat.md). `exec NAME --help` still hands `--help` to the command.
    if args.first().is_some_and(|w| w.as_encoded_bytes() == HELP.as_bytes()) {
        print(crate::args::subcommand_help(spec, COMMANDS).as_bytes());
        return Ok(0);
    }
    (spec.run)(env, &args, COMMANDS)
}
