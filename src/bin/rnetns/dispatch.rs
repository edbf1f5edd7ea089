//! From a resolved command to a library call and its rendering.

use std::ffi::OsString;

use rnetns::netns::exec::{ChildEnd, exec_command, run_child, switch, vrf_reset};
use rnetns::netns::monitor::Monitor;
use rnetns::ops::{self, Context};
use rnetns::output::{eprint_error, flush_stdout, print};
use rnetns::render::{json, text};
use rnetns::{Error, Target};

use crate::argv::{Command, Globals, Sub};

/// Everything a command needs besides its words.
pub struct Env {
    pub globals: Globals,
    pub ctx: Context,
    /// Inside `-batch`: exec forks and returns the command's status.
    pub batch: bool,
}

impl Env {
    /// Print a JSON document and flush it: iproute2's JSON writer flushes stdout when it
    /// closes the document, so JSON output is never held back behind later stderr lines.
    fn json(&self, v: &json::Json) {
        print(&json::to_bytes(v, self.globals.pretty));
        flush_stdout();
    }
}

/// Run one command. `Ok(status)` is the command's own status (non-zero only for exec in a
/// batch); errors carry ip's message and status.
pub fn run(env: &Env, cmd: Command) -> Result<u8, Error> {
    let Command { sub, args } = cmd;
    let g = &env.globals;
    match sub {
        Sub::List => {
            let l = ops::list(&env.ctx)?;
            for w in &l.warnings {
                eprint_error(&Error::Netlink(w.clone()));
            }
            if let Some(entries) = l.entries {
                if g.json {
                    print(&json::list(&entries, g.pretty));
                    flush_stdout();
                } else {
                    print(&text::list(&entries));
                }
            }
        }
        Sub::ListId => {
            let l = ops::list_id(&env.ctx, &args)?;
            for w in &l.warnings {
                eprint_error(&Error::Netlink(w.clone()));
            }
            match l.lines {
                Ok(lines) if g.json => env.json(&json::list_id(&lines)),
                Ok(lines) => print(&text::list_id(&lines)),
                // ip prints the kernel's reason as the dump fails, then closes (and flushes)
                // its JSON array, then says `Dump terminated`.
                Err(Error::DumpTerminated(why)) if g.json && why.unsent.is_none() => {
                    eprint_error(&Error::Netlink(why));
                    env.json(&json::Json::Arr(Vec::new()));
                    rnetns::output::eprint_bytes(format!("{}\n", Error::DUMP_TERMINATED).as_bytes());
                    return Err(Error::Reported(1));
                }
                // A dump that could not even be sent: `[]`, then the reason.
                Err(e @ Error::DumpTerminated(_)) if g.json => {
                    env.json(&json::Json::Arr(Vec::new()));
                    return Err(e);
                }
                Err(e) => return Err(e),
            }
        }
        Sub::Help => return Err(Error::Usage),
        Sub::Add => ops::add(&env.ctx, &args)?,
        Sub::Attach => ops::attach(&env.ctx, &args)?,
        Sub::Set => ops::set(&env.ctx, &args)?,
        Sub::Delete => ops::delete(&env.ctx, &args, g.all)?,
        Sub::Identify => {
            let names = ops::identify(&env.ctx, &args)?;
            if g.json {
                env.json(&json::names(&names));
            } else {
                print(&text::identify(&names));
            }
        }
        Sub::Pids => {
            let pids = ops::pids(&env.ctx, &args)?;
            if g.json {
                env.json(&json::pids(&pids));
            } else {
                print(&text::pids(&pids));
            }
        }
        Sub::Exec => return exec(env, &args),
        Sub::Monitor => monitor(env)?,
        Sub::Inspect | Sub::Discover | Sub::Prune | Sub::Exists | Sub::Completions => {
            return crate::extra::run(env, sub, &args);
        }
    }
    Ok(0)
}

fn exec(env: &Env, args: &[OsString]) -> Result<u8, Error> {
    let rundir = &env.ctx.rundir;
    if env.globals.all {
        if args.is_empty() {
            return Err(Error::text("No command specified"));
        }
        let entries = match rundir.entries() {
            Ok(e) => e,
            Err(nix::errno::Errno::ENOENT) => return Ok(0),
            Err(e) => {
                return Err(Error::os(
                    format!("Failed to open directory {}", String::from_utf8_lossy(rundir.display())),
                    e,
                ));
            }
        };
        let mut killed = false;
        for entry in entries {
            let mut header = b"\nnetns: ".to_vec();
            header.extend_from_slice(entry.name.as_encoded_bytes());
            header.push(b'\n');
            print(&header);
            if let ChildEnd::Signaled(_) = run_child(&Target::Name(entry.name), rundir, args)? {
                killed = true;
            }
        }
        return Ok(if killed { 1 } else { 0 });
    }
    let name = args.first().ok_or_else(|| Error::text("No netns name specified"))?;
    if args.len() < 2 {
        return Err(Error::text("No command specified"));
    }
    let target = rnetns::owners::select::target(name, rundir, 255)?;
    if env.batch {
        return match run_child(&target, rundir, &args[1..])? {
            ChildEnd::Exited(code) => Ok(code as u8),
            ChildEnd::Signaled(_) => Ok(1),
        };
    }
    vrf_reset();
    switch(&target, rundir)?;
    Err(exec_command(&args[1..]))
}

fn monitor(env: &Env) -> Result<(), Error> {
    let m = Monitor::new(&env.ctx.rundir)?;
    loop {
        let (events, end) = m.next_events()?;
        for ev in &events {
            if env.globals.json {
                print(&json::event(ev));
            } else {
                print(&text::event(ev));
            }
        }
        flush_stdout();
        // A dead watch (the run dir removed or unmounted) is ip's silent wait: nothing more
        // arrives and the command runs until it is killed, as `ip netns monitor` does.
        let _ = end;
    }
}
