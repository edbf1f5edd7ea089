//! iproute2's command-line grammar, resolved before clap sees anything: global options with
//! ip's prefix rule and order, `--` folding, the optional object word, and the subcommand
//! prefix table in ip's order.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStringExt;

use rnetns::Error;

/// iproute2 `matches(word, full)`: a non-empty prefix.
pub fn matches(word: &[u8], full: &str) -> bool {
    !word.is_empty() && full.as_bytes().starts_with(word)
}

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
    /// `--help-all` (an option ip rejects): rnetns's full help on stdout. ip's own `-help` /
    /// `--help` print the usage on stderr with status 255, as ip does.
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
        if raw == b"--help-all" {
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
                if rnetns::parse::parse_c_uint(v).is_none() {
                    let mut m = b"Invalid rcvbuf size '".to_vec();
                    m.extend_from_slice(v.as_encoded_bytes());
                    m.push(b'\'');
                    return Err(Error::Text {
                        text: m,
                        code: 255,
                        flow: rnetns::Flow::Exit,
                    });
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

/// The subcommands, ip's first and in ip's order, then rnetns's own (whose shortest forms
/// are words ip rejects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sub {
    List,
    ListId,
    Help,
    Add,
    Set,
    Delete,
    Identify,
    Pids,
    Exec,
    Monitor,
    Attach,
    Inspect,
    Discover,
    Prune,
    Exists,
    Completions,
}

const TABLE: &[(&str, Sub)] = &[
    ("list", Sub::List),
    ("show", Sub::List),
    ("lst", Sub::List),
    ("list-id", Sub::ListId),
    ("help", Sub::Help),
    ("add", Sub::Add),
    ("set", Sub::Set),
    ("delete", Sub::Delete),
    ("identify", Sub::Identify),
    ("pids", Sub::Pids),
    ("exec", Sub::Exec),
    ("monitor", Sub::Monitor),
    ("attach", Sub::Attach),
    ("inspect", Sub::Inspect),
    ("discover", Sub::Discover),
    ("prune", Sub::Prune),
    ("exists", Sub::Exists),
    ("completions", Sub::Completions),
];

impl Sub {
    /// First prefix match in table order.
    pub fn resolve(word: &OsStr) -> Option<Sub> {
        let w = word.as_encoded_bytes();
        TABLE.iter().find(|(full, _)| matches(w, full)).map(|(_, s)| *s)
    }

    /// Every subcommand word in ip's order (the prefix table, aliases included).
    pub fn words() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|(w, _)| *w)
    }

    /// Subcommands whose first argument is a namespace NAME (shell completion offers the
    /// namespaces that exist).
    pub fn completes_name(self) -> bool {
        matches!(
            self,
            Sub::Exec | Sub::Delete | Sub::Set | Sub::Pids | Sub::Attach | Sub::Inspect | Sub::Exists
        )
    }

    /// The canonical name (clap's subcommand name).
    pub fn name(self) -> &'static str {
        match self {
            Sub::List => "list",
            Sub::ListId => "list-id",
            Sub::Help => "help",
            Sub::Add => "add",
            Sub::Set => "set",
            Sub::Delete => "delete",
            Sub::Identify => "identify",
            Sub::Pids => "pids",
            Sub::Exec => "exec",
            Sub::Monitor => "monitor",
            Sub::Attach => "attach",
            Sub::Inspect => "inspect",
            Sub::Discover => "discover",
            Sub::Prune => "prune",
            Sub::Exists => "exists",
            Sub::Completions => "completions",
        }
    }

    /// Subcommands whose NAME may also be an absolute path (words ip rejects as names).
    pub fn takes_path(self) -> bool {
        matches!(
            self,
            Sub::Exec | Sub::Pids | Sub::Identify | Sub::Set | Sub::Inspect | Sub::Exists
        )
    }
}

/// Whether an absolute path names a network namespace file (one this caller may open or not):
/// the only `/` words rnetns takes where ip reports an invalid name.
fn is_namespace_path(path: &OsStr) -> bool {
    use rnetns::netns::stale::EntryState;
    let target = rnetns::Target::Path(path.into());
    matches!(
        rnetns::RunDir::default().state(&target),
        EntryState::Live | EntryState::Unreadable(_)
    )
}

/// Drop a leading object word (`net`, `netn`, `netns`): `rnetns netns add a` is `rnetns add a`.
pub fn strip_object(words: &[OsString]) -> &[OsString] {
    match words.first().map(|w| w.as_encoded_bytes()) {
        Some(b"net" | b"netn" | b"netns") => &words[1..],
        _ => words,
    }
}

/// What the words ask for after the options: iproute2's `do_netns` dispatch rules.
#[derive(Debug, PartialEq, Eq)]
pub struct Command {
    pub sub: Sub,
    pub args: Vec<OsString>,
}

/// Resolve the subcommand and validate the second word as ip does (unless `-all`).
pub fn command(words: &[OsString], all: bool) -> Result<Command, Error> {
    let words = strip_object(words);
    let Some(first) = words.first() else {
        return Ok(Command {
            sub: Sub::List,
            args: Vec::new(),
        });
    };
    let sub = Sub::resolve(first);
    // A word in ip's object position that looks like a mistyped `netns` (`netnsx`, `nets`)
    // is what ip reports as an unknown object; other unknown words are netns commands.
    let w = first.as_encoded_bytes();
    if sub.is_none() && w.starts_with(b"net") && !matches(w, "netns") && !matches(w, "netconf") {
        return Err(Error::UnknownObject(first.clone()));
    }
    if !all
        && let Some(second) = words.get(1)
        && rnetns::parse::is_invalid_name(second)
    {
        // rnetns's extension: an absolute path to a namespace file. For ip's own subcommands
        // only a path that really is one; any other word stays ip's invalid name.
        // A `pod:NAMESPACE/NAME` selector (issue 16) has a slash too.
        let selector = matches!(sub, Some(Sub::Exec | Sub::Pids | Sub::Set | Sub::Inspect | Sub::Exists))
            && rnetns::owners::select::Selector::parse(second).is_some();
        let path_ok = selector
            || sub.is_some_and(Sub::takes_path)
                && second.as_encoded_bytes().first() == Some(&b'/')
                && (matches!(sub, Some(Sub::Inspect | Sub::Exists)) || is_namespace_path(second));
        if !path_ok {
            return Err(Error::InvalidName(second.clone()));
        }
    }
    let sub = sub.ok_or_else(|| Error::UnknownCommand(first.clone()))?;
    Ok(Command {
        sub,
        args: words[1..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    fn sub(w: &str) -> Option<Sub> {
        Sub::resolve(OsStr::new(w))
    }

    #[test]
    fn prefix_table_in_ip_order() {
        for w in ["l", "li", "lis", "list", "s", "sh", "sho", "show", "ls", "lst"] {
            assert_eq!(sub(w), Some(Sub::List), "{w}");
        }
        for w in ["list-", "list-i", "list-id"] {
            assert_eq!(sub(w), Some(Sub::ListId), "{w}");
        }
        assert_eq!(sub("a"), Some(Sub::Add));
        assert_eq!(sub("at"), Some(Sub::Attach));
        assert_eq!(sub("se"), Some(Sub::Set));
        assert_eq!(sub("d"), Some(Sub::Delete));
        assert_eq!(sub("del"), Some(Sub::Delete));
        assert_eq!(sub("i"), Some(Sub::Identify));
        assert_eq!(sub("in"), Some(Sub::Inspect));
        assert_eq!(sub("p"), Some(Sub::Pids));
        assert_eq!(sub("pr"), Some(Sub::Prune));
        assert_eq!(sub("e"), Some(Sub::Exec));
        assert_eq!(sub("ex"), Some(Sub::Exec));
        assert_eq!(sub("exi"), Some(Sub::Exists));
        assert_eq!(sub("m"), Some(Sub::Monitor));
        assert_eq!(sub("h"), Some(Sub::Help));
        assert_eq!(sub("di"), Some(Sub::Discover));
        assert_eq!(sub("c"), Some(Sub::Completions));
        for w in [
            "", "LIST", "List", "lsx", "listx", "shows", "list-idx", "-j", "--help", "x",
        ] {
            assert_eq!(sub(w), None, "{w:?}");
        }
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
        assert!(matches!(parse(&os(&["--help"]), |_| Ok(())), Err(Error::Usage)));
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

    #[test]
    fn validation_before_dispatch() {
        assert_eq!(
            command(&[], false).unwrap(),
            Command {
                sub: Sub::List,
                args: vec![]
            }
        );
        assert_eq!(command(&os(&["netns"]), false).unwrap().sub, Sub::List);
        assert_eq!(
            command(&os(&["net", "a", "x"]), false).unwrap(),
            Command {
                sub: Sub::Add,
                args: os(&["x"])
            }
        );
        assert!(matches!(
            command(&os(&["bogus", "a/b"]), false),
            Err(Error::InvalidName(_))
        ));
        assert!(matches!(
            command(&os(&["bogus", "a"]), false),
            Err(Error::UnknownCommand(_))
        ));
        assert!(matches!(
            command(&os(&["add", ".."]), false),
            Err(Error::InvalidName(_))
        ));
        assert!(matches!(
            command(&os(&["add", "/x"]), false),
            Err(Error::InvalidName(_))
        ));
        // A path to a network namespace file is rnetns's extension; any other `/` word is
        // ip's invalid name.
        assert!(command(&os(&["exec", "/proc/self/ns/net", "true"]), false).is_ok());
        for w in ["/", "/nonexistent", "/proc/self/ns/uts"] {
            assert!(
                matches!(command(&os(&["exec", w, "true"]), false), Err(Error::InvalidName(_))),
                "{w}"
            );
        }
        assert!(command(&os(&["exists", "/nonexistent"]), false).is_ok());
        assert!(command(&os(&["delete", "a/b"]), true).is_ok());
        // `pod:NAMESPACE/NAME` where a selector is taken; ip's invalid name elsewhere.
        assert!(command(&os(&["exec", "pod:default/web-0", "true"]), false).is_ok());
        for sub in ["identify", "add", "delete", "attach"] {
            assert!(
                matches!(
                    command(&os(&[sub, "pod:default/web-0"]), false),
                    Err(Error::InvalidName(_))
                ),
                "{sub}"
            );
        }
        assert!(matches!(
            command(&os(&["list-id", ""]), false),
            Err(Error::InvalidName(_))
        ));
    }
}
