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
mod completions;
mod discover;
mod dispatch;
mod exit;
mod extra;
mod inspect;
#[cfg(test)]
mod props;

use std::ffi::OsString;

use clap::CommandFactory;
use rnetns::netns::exec::switch;
use rnetns::ops::Context;
use rnetns::output::{flush_stdout, init_process, print};
use rnetns::{Error, Target};

/// The entry point the C runtime calls (see the module docs). A panic is a bug: it is
/// reported by the panic hook and ends the process with status 101, as under std's `main`.
#[cfg_attr(not(test), unsafe(export_name = "main"))]
#[cfg_attr(test, allow(dead_code))]
pub extern "C" fn c_main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    init_process();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = std::panic::catch_unwind(|| run(&args)).unwrap_or(101);
    flush_stdout();
    code.into()
}

/// `-n NAME`: remember where we came from (mounts made later go back there), then enter
/// NAME on the main thread, before anything else runs.
fn enter(ctx: &mut Context, name: &std::ffi::OsStr) -> Result<(), Error> {
    if ctx.home_mnt.is_none() {
        ctx.home_mnt = rnetns::Netns::open(std::path::Path::new("/proc/self/ns/mnt"))
            .ok()
            .map(|n| n.into_fd());
    }
    switch(&Target::Name(name.to_os_string()), &ctx.rundir)
}

fn run(args: &[OsString]) -> u8 {
    let mut ctx = Context::default();
    let parsed = argv::parse(args, |name| enter(&mut ctx, name));
    let (globals, rest) = match parsed {
        Err(e) => return exit::report(&e),
        Ok(argv::Parsed::Version) => {
            print(format!("rnetns {}\n", env!("CARGO_PKG_VERSION")).as_bytes());
            return 0;
        }
        Ok(argv::Parsed::Help) => {
            print(args::Cli::command().render_long_help().to_string().as_bytes());
            return 0;
        }
        Ok(argv::Parsed::Run { globals, rest }) => (globals, rest),
    };
    let batch_file = globals.batch.clone();
    ctx.reuse_creator = batch_file.is_some();
    let env = dispatch::Env {
        globals,
        ctx,
        batch: batch_file.is_some(),
    };
    if let Some(file) = batch_file {
        return batch::run(&env, &file);
    }
    match argv::command(&rest, env.globals.all).and_then(|cmd| dispatch::run(&env, cmd)) {
        Ok(code) => code,
        Err(e) => exit::report(&e),
    }
}
