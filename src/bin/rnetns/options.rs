//! iproute2's global options, resolved before clap sees anything: ip.c's option list with its
//! prefix rule and order, `--` folding, and `-n NAME` taken as it is read.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStringExt;

use rnetns::Error;

use crate::parse::matches;

/// Global options that change what rnetns does (the rest are accepted and ignored).
#[derive(Debug, Default, Clone)]
pub struct Globals {
    pub json: bool,
    pub pretty: bool,
    pub all: bool,
    pub force: bool,
    pub batch: Option<OsString>,
}

/// What the option pass decided.
#[derive(Debug)]
pub enum Parsed {
    /// `--help` / `--help-all` (options ip rejects as such): rnetns's full help on stdout,
    /// status 0. ip's single-dash `-help` prints the usage on stderr with status 255, as ip
    /// does.
    Help,
    /// `-V` / `-Version` / `--version`.
    Version,
    /// Run with these options; `rest` starts at the first word that is not an option.
    Run { globals: Globals, rest: Vec<OsString> },
}

#[derive(Clone, Copy)]
enum Opt {
    Loops,
    Family,
    Exact,
    Flag,
    Version,
    Force,
    Batch,
    Json,
    Pretty,
    Rcvbuf,
    Color,
    Help,
    Netns,
    All,
}

/// ip.c's option list, in its order (first prefix match wins).
const OPTIONS: &[(&str, Opt)] = &[
    ("-loops", Opt::Loops),
    ("-family", Opt::Family),
    ("-4", Opt::Exact),
    ("-6", Opt::Exact),
    ("-0", Opt::Exact),
    ("-M", Opt::Exact),
    ("-B", Opt::Exact),
    ("-human", Opt::Flag),
    ("-human-readable", Opt::Flag),
    ("-iec", Opt::Flag),
    ("-stats", Opt::Flag),
    ("-statistics", Opt::Flag),
    ("-details", Opt::Flag),
    ("-resolve", Opt::Flag),
    ("-oneline", Opt::Flag),
    ("-timestamp", Opt::Flag),
    ("-tshort", Opt::Flag),
    ("-Version", Opt::Version),
    ("-force", Opt::Force),
    ("-batch", Opt::Batch),
    ("-brief", Opt::Flag),
    ("-json", Opt::Json),
    ("-pretty", Opt::Pretty),
    ("-rcvbuf", Opt::Rcvbuf),
    ("-color", Opt::Color),
    ("-help", Opt::Help),
    ("-netns", Opt::Netns),
    ("-Numeric", Opt::Flag),
    ("-all", Opt::All),
    ("-echo", Opt::Exact),
];

fn lookup(opt: &[u8]) -> Option<Opt> {
    for (name, kind) in OPTIONS {
        let hit = match kind {
            Opt::Exact => opt == name.as_bytes(),
            // `-color[=always|auto|never]`
            Opt::Color => {
                let (head, val) = match opt.iter().position(|&b| b == b'=') {
                    Some(i) => (&opt[..i], Some(&opt[i + 1..])),
                    None => (opt, None),
                };
                // An empty value is `always`, as in ip's matches_color.
                matches(head, name) && matches!(val, None | Some(b"" | b"always" | b"auto" | b"never"))
            }
            _ => matches(opt, name),
        };
        if hit {
            return Some(*kind);
        }
    }
    None
}

/// The global options for completion scripts: names without the dash in ip's order, with a
/// trailing `=` on those that take a value.
pub fn option_words() -> Vec<String> {
    OPTIONS
        .iter()
        .map(|(name, kind)| {
            let value = matches!(kind, Opt::Loops | Opt::Family | Opt::Batch | Opt::Rcvbuf | Opt::Netns);
            format!("{}{}", &name[1..], if value { "=" } else { "" })
        })
        .collect()
}

/// The families ip 6.1's `-family` accepts (`ipx` support was removed from iproute2).
const FAMILIES: &[&str] = &["inet", "inet6", "link", "mpls", "bridge"];

/// Parse global options left to right. `on_netns` runs for each `-n NAME` at the moment it
/// is read, as ip switches there and then.
pub fn parse(args: &[OsString], mut on_netns: impl FnMut(&OsStr) -> Result<(), Error>) -> Result<Parsed, Error> {
    let mut g = Globals::default();
    let mut i = 0;
    while i < args.len() {
        let raw = args[i].as_encoded_bytes();
        if raw == b"--" {
            i += 1;
            break;
        }
        if raw.first() != Some(&b'-') {
            break;
        }
        if raw == b"--version" {
            return Ok(Parsed::Version);
        }
        // rnetns: the long help convention (ip prints its usage and fails here).
        if raw == b"--help" || raw == b"--help-all" {
            return Ok(Parsed::Help);
        }
        let opt = if raw.get(1) == Some(&b'-') { &raw[1..] } else { raw };
        let Some(kind) = lookup(opt) else {
            // The option's own bytes, as ip prints them.
            return Err(Error::UnknownOption(OsString::from_vec(opt.to_vec())));
        };
        let mut value = || -> Result<&OsString, Error> {
            i += 1;
            args.get(i).ok_or(Error::Usage)
        };
        match kind {
            Opt::Loops => {
                value()?;
            }
            Opt::Family => {
                let v = value()?;
                if v.as_encoded_bytes() == b"help" {
                    return Err(Error::Usage);
                }
                if !FAMILIES.iter().any(|f| f.as_bytes() == v.as_encoded_bytes()) {
                    return Err(Error::BadArgument {
                        value: v.clone(),
                        what: "invalid protocol family",
                    });
                }
            }
            Opt::Rcvbuf => {
                let v = value()?;
                if crate::parse::parse_c_uint(v).is_none() {
                    return Err(Error::InvalidRcvbuf(v.clone()));
                }
            }
            Opt::Exact | Opt::Flag | Opt::Color => {}
            Opt::Version => return Ok(Parsed::Version),
            Opt::Help => return Err(Error::Usage),
            Opt::Force => g.force = true,
            Opt::Batch => g.batch = Some(value()?.clone()),
            Opt::Json => g.json = true,
            Opt::Pretty => g.pretty = true,
            Opt::All => g.all = true,
            // rnetns: a missing NAME is a usage error (ip 6.1 switches to "(null)").
            Opt::Netns => on_netns(value().map_err(|_| Error::Incomplete)?)?,
        }
        i += 1;
    }
    Ok(Parsed::Run {
        globals: g,
        rest: args[i.min(args.len())..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn options_in_ip_order() {
        let run = |v: &[&str]| match parse(&os(v), |_| Ok(())).unwrap() {
            Parsed::Run { globals, rest } => (globals, rest),
            other => panic!("{other:?}"),
        };
        let (g, rest) = run(&["-j", "-p", "-a", "list"]);
        assert!(g.json && g.pretty && g.all);
        assert_eq!(rest, os(&["list"]));
        let (g, _) = run(&["--json", "-js", "-fo"]);
        assert!(g.json && g.force);
        let (g, rest) = run(&["-b", "file", "ignored"]);
        assert_eq!(g.batch, Some(OsString::from("file")));
        assert_eq!(rest, os(&["ignored"]));
        let (_, rest) = run(&["-h", "-s", "-d", "-c", "-color=never", "--", "-j"]);
        assert_eq!(rest, os(&["-j"]));
        assert!(matches!(parse(&os(&["-V"]), |_| Ok(())), Ok(Parsed::Version)));
        assert!(matches!(parse(&os(&["--version"]), |_| Ok(())), Ok(Parsed::Version)));
        assert!(matches!(parse(&os(&["-he"]), |_| Ok(())), Err(Error::Usage)));
        assert!(matches!(parse(&os(&["-help"]), |_| Ok(())), Err(Error::Usage)));
        assert!(matches!(parse(&os(&["--help"]), |_| Ok(())), Ok(Parsed::Help)));
        assert!(matches!(parse(&os(&["--help-all"]), |_| Ok(())), Ok(Parsed::Help)));
        assert!(matches!(
            parse(&os(&["-help-all"]), |_| Ok(())),
            Err(Error::UnknownOption(_))
        ));
    }

    #[test]
    fn option_errors() {
        let err = |v: &[&str]| parse(&os(v), |_| Ok(())).unwrap_err();
        assert_eq!(
            err(&["-jp"]).to_string(),
            "Option \"-jp\" is unknown, try \"rnetns -help\"."
        );
        assert_eq!(
            err(&["--jp"]).to_string(),
            "Option \"-jp\" is unknown, try \"rnetns -help\"."
        );
        assert_eq!(err(&["-e"]).exit_code(), 255);
        assert_eq!(
            err(&["-f", "netns"]).to_string(),
            "Error: argument \"netns\" is wrong: invalid protocol family"
        );
        assert!(matches!(err(&["-n"]), Error::Incomplete));
        assert!(matches!(err(&["-batch"]), Error::Usage));
        assert_eq!(err(&["-rcvbuf", "x"]).to_string(), "Invalid rcvbuf size 'x'");
    }

    #[test]
    fn netns_switch_happens_in_order() {
        let mut seen = Vec::new();
        let r = parse(&os(&["-n", "a", "-netns", "b", "list"]), |n| {
            seen.push(n.to_os_string());
            Ok(())
        });
        assert!(r.is_ok());
        assert_eq!(seen, os(&["a", "b"]));
    }
}
