//! rnetns: `ip netns` as a command of its own. main stays short: grammar, then dispatch.

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
use std::process::ExitCode;

use clap::CommandFactory;
use rnetns::netns::exec::switch;
use rnetns::ops::Context;
use rnetns::output::{flush_stdout, init_process, print};
use rnetns::{Error, Target};

fn main() -> ExitCode {
    init_process();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let code = run(&args);
    flush_stdout();
    ExitCode::from(code)
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
