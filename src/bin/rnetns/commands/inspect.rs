//! `rnetns inspect [--section S,...] [--table T] [--all-sockets] [NAME|PATH...]`: links,
//! addresses, routes, neighbours and sockets of namespaces, from the host.

use std::ffi::OsString;

use clap::builder::EnumValueParser;
use clap::{Arg, ArgAction, ValueEnum};
use rnetns::model::{Sections, TableSel};
use rnetns::ops::Found;
use rnetns::{Error, Target, ops};

use super::{json_flags, matches};
use crate::env::Env;
use crate::output::{eprint_bytes, print_block};
use crate::render::inspect;
use crate::spec::{Paths, Spec};

pub const SPEC: Spec = Spec {
    words: &["inspect"],
    usage: Some("inspect [--section S,...] [--table T] [--all-sockets] [NAME|PATH...]"),
    usage_rank: 10,
    about: "Show links, addresses, routes, neighbours and listening sockets of namespaces (default: every named one)",
    paths: Paths::Any,
    completes_name: true,
    selects: true,
    args,
    run,
};

/// One section of `inspect --section`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    /// Links only, as `ip link` shows them
    Links,
    /// Links with their addresses, as `ip addr` shows them
    #[value(alias = "addr")]
    Addrs,
    /// Routes, as `ip route` and `ip -6 route` show them
    #[value(alias = "route")]
    Routes,
    /// Neighbours, as `ip neigh` and `ip neigh show proxy` show them
    #[value(alias = "neighbours")]
    Neigh,
    /// Listening TCP and UDP sockets with their processes, as `ss -tulpn` shows them (with
    /// --all-sockets: every one, as `ss -tuapn`)
    #[value(alias = "ss")]
    Sockets,
}

fn args(cmd: clap::Command) -> clap::Command {
    cmd.arg(
        Arg::new("section")
            .long("section")
            .short('s')
            .value_name("SECTION")
            .value_delimiter(',')
            .action(ArgAction::Append)
            .value_parser(EnumValueParser::<Section>::new())
            .help("Sections to show (comma-separated or repeated; default: all but links, which addrs includes)"),
    )
    .arg(
        Arg::new("table")
            .long("table")
            .value_name("TABLE")
            .help("Route table: main (default), all, local, default or a number"),
    )
    .arg(
        Arg::new("all_sockets")
            .long("all-sockets")
            .action(ArgAction::SetTrue)
            .help("Connected sockets too (ss -tuapn), not only listening ones (ss -tulpn)"),
    )
    .arg(
        Arg::new("targets")
            .num_args(0..)
            .value_name("TARGETS")
            .help("NAME in the run dir, or an absolute path to a namespace file")
            .value_parser(clap::value_parser!(OsString)),
    )
}

/// The sections asked for (all but `links` when none is named) and the route table.
fn sections(asked: &[Section], table: Option<&str>, all_sockets: bool) -> Result<Sections, Error> {
    let has = |x| asked.is_empty() || asked.contains(&x);
    let table = match table {
        None | Some("main") => TableSel::Main,
        Some("all") => TableSel::All,
        Some("local") => TableSel::Id(255),
        Some("default") => TableSel::Id(253),
        Some(t) => TableSel::Id(t.parse().map_err(|_| {
            eprint_bytes(format!("Error: argument \"{t}\" is wrong: table id value is invalid\n\n").as_bytes());
            Error::Reported(255)
        })?),
    };
    Ok(Sections {
        // Without --section: everything; `addrs` shows the links with their addresses.
        links: has(Section::Links) || has(Section::Addrs),
        addrs: has(Section::Addrs),
        routes: has(Section::Routes),
        neigh: has(Section::Neigh),
        sockets: has(Section::Sockets),
        all_sockets,
        table,
    })
}

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    let Some(m) = matches(&SPEC, words)? else {
        return Ok(0);
    };
    let (json, pretty) = json_flags(env, &m);
    let asked: Vec<Section> = m
        .get_many::<Section>("section")
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let table = m.get_one::<String>("table").map(String::as_str);
    let what = sections(&asked, table, m.get_flag("all_sockets"))?;
    let targets: Vec<Target> = m
        .get_many::<OsString>("targets")
        .into_iter()
        .flatten()
        .map(|w| super::target(env, w, false))
        .collect::<Result<_, _>>()?;
    // Each piece is written as it comes and the text handed to stdout in blocks; skipped
    // entries are reported on stderr as they come.
    let mut emit = |b: &[u8]| print_block(b);
    let mut out = inspect::Render::new(&what, json, pretty, &mut emit);
    let mut denied = 0;
    let done = ops::inspect(&env.ctx, &targets, &what, !json && what.links, &mut |f| match f {
        Found::Skipped(e) => {
            let mut m = e.message();
            m.extend_from_slice(b", skipped\n");
            eprint_bytes(&m);
            if e.errno().is_some_and(|e| matches!(e.raw(), libc::EPERM | libc::EACCES)) {
                denied += 1;
            }
        }
        f => out.found(f),
    });
    // A failure before anything was found leaves no output; one after (an explicit target
    // that could not be read) leaves what was written before it, the JSON document closed.
    if done.is_ok() || out.begun() {
        out.finish();
    }
    done?;
    // Entries that are not network namespaces are skipped with a word and status 0; one
    // that could not be entered for want of privilege is skipped too, but the command then
    // fails with a last line saying what it needs: the output is incomplete for a reason
    // the caller can fix.
    if denied > 0 {
        let s = if denied == 1 { "" } else { "s" };
        eprint_bytes(
            format!("Cannot inspect {denied} namespace{s}: entering a network namespace needs CAP_SYS_ADMIN (root)\n")
                .as_bytes(),
        );
        return Ok(1);
    }
    Ok(0)
}
