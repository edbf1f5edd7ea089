//! rnetns: `ip netns` as a command of its own. main stays short: grammar, then dispatch.
//!
//! The process starts at a C `main`, without std's runtime start-up: that start-up would
//! ignore SIGPIPE and reopen closed descriptors 0-2 on /dev/null, and ip does neither. A
//! command run by `exec` sees the signal dispositions and the closed descriptors its caller
//! left, and output into a closed pipe ends rnetns as it ends ip.
#![cfg_attr(not(test), no_main)]

mod args;
mod argv;
mod batch;
mod commands;
mod completions;
mod dispatch;
mod env;
mod exit;
#[cfg(test)]
mod generated;
mod options;
mod output;
mod parse;
#[cfg(test)]
mod props;
mod registry;
mod render;
mod spec;

use std::ffi::OsString;

use rnetns::ops::{self, Context};

use crate::output::{eprint_error, flush_stdout, init_process, print};

/// The entry point the C runtime calls (see the module docs). A panic is a bug: it is
/// reported by the panic hook and ends the process with status 101, as under std's `main`.
// SAFETY: `main` is the one symbol of that name in the executable (std's own `main` is
// not generated under `no_main`), with the C signature the C runtime calls it with.
#[allow(unsafe_code)]
#[cfg_attr(not(test), unsafe(export_name = "main"))]
#[cfg_attr(test, allow(dead_code))]
pub extern "C" fn c_main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    init_process();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = std::panic::catch_unwind(|| run(&args)).unwrap_or(101);
    flush_stdout();
    code.into()
}

fn run(args: &[OsString]) -> u8 {
    let mut ctx = Context::default();
    // `-n NAME`: enter NAME on the main thread as the option is read, before anything else
    // runs (mounts made later go back to where we came from).
    let parsed = options::parse(args, |name| {
        ops::enter(&mut ctx, name).map(|warnings| warnings.iter().for_each(eprint_error))
    });
    let (globals, rest) = match parsed {
        Err(e) => return exit::report(&e),
        Ok(options::Parsed::Version) => {
            print(format!("rnetns {}\n", env!("CARGO_PKG_VERSION")).as_bytes());
            return 0;
        }
        Ok(options::Parsed::Help) => {
            print(
                args::command(registry::COMMANDS)
                    .render_long_help()
                    .to_string()
                    .as_bytes(),
            );
            return 0;
        }
        Ok(options::Parsed::Run { globals, rest }) => (globals, rest),
    };
    let batch_file = globals.batch.clone();
    if batch_file.is_some() {
        ctx = ctx.for_batch();
    }
    let env = env::Env {
        globals,
        ctx,
        batch: batch_file.is_some(),
    };
    if let Some(file) = batch_file {
        return batch::run(&env, &file);
    }
    match argv::command(rest, env.globals.all).and_then(|cmd| dispatch::run(&env, cmd)) {
        Ok(code) => code,
        Err(e) => exit::report(&e),
    }
}
