//! iproute2's command words after the options: the optional object word, the subcommand (the
//! registry's prefix table, in ip's order) and ip's check of the second word.

use std::ffi::{OsStr, OsString};

use rnetns::Error;

use crate::parse::matches;
use crate::registry;
use crate::spec::{Paths, Spec};
/// Whether an absolute path names a network namespace file (one this caller may open or not):
/// the only `/` words rnetns takes where ip reports an invalid name.
fn is_namespace_path(path: &OsStr) -> bool {
    use rnetns::netns::stale::EntryState;
    let target = rnetns::Target::Path(path.into());
    matches!(
        rnetns::ops::exists(&rnetns::ops::Context::default(), &target),
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
pub struct Command {
    pub spec: &'static Spec,
    pub args: Vec<OsString>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Command")
            .field("spec", &self.spec.name())
            .field("args", &self.args)
            .finish()
    }
}

impl PartialEq for Command {
    fn eq(&self, other: &Command) -> bool {
        std::ptr::eq(self.spec, other.spec) && self.args == other.args
    }
}

/// `SUB --help`: the subcommand's help (rnetns; ip takes the word as a NAME).
pub const HELP: &str = "--help";

/// Resolve the subcommand and validate the second word as ip does (unless `-all`).
///
/// The words are given away: none is copied (the arguments are the same allocation, a word
/// an error names is moved into it), so a batch line of 150 MB is held once.
pub fn command(mut words: Vec<OsString>, all: bool) -> Result<Command, Error> {
    let skip = words.len() - strip_object(&words).len();
    words.drain(..skip);
    let Some(first) = words.first() else {
        return Ok(Command {
            spec: registry::by_name("list"),
            args: Vec::new(),
        });
    };
    let sub = registry::resolve(first);
    // A word in ip's object position that looks like a mistyped `netns` (`netnsx`, `nets`)
    // is what ip reports as an unknown object; other unknown words are netns commands.
    let w = first.as_encoded_bytes();
    if sub.is_none() && w.starts_with(b"net") && !matches(w, "netns") && !matches(w, "netconf") {
        return Err(Error::UnknownObject(words.swap_remove(0)));
    }
    if !all
        && let Some(second) = words.get(1)
        && rnetns::netns::is_invalid_name(second)
    {
        // rnetns's extension: an absolute path to a namespace file. For ip's own subcommands
        // only a path that really is one; any other word stays ip's invalid name.
        // A `pod:NAMESPACE/NAME` selector has a slash too, where selectors are taken.
        let selector = sub.is_some_and(|s| s.selects) && rnetns::owners::select::Selector::parse(second).is_some();
        let absolute = second.as_encoded_bytes().first() == Some(&b'/');
        let path_ok = selector
            || match sub.map(|s| s.paths) {
                Some(Paths::Any) => absolute,
                Some(Paths::Namespace) => absolute && is_namespace_path(second),
                Some(Paths::No) | None => false,
            };
        if !path_ok {
            return Err(Error::InvalidName(words.swap_remove(1)));
        }
    }
    let Some(spec) = sub else {
        return Err(Error::UnknownCommand(words.swap_remove(0)));
    };
    words.remove(0);
    Ok(Command { spec, args: words })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn validation_before_dispatch() {
        assert_eq!(
            command(Vec::new(), false).unwrap(),
            Command {
                spec: registry::by_name("list"),
                args: vec![]
            }
        );
        assert!(command(os(&["netns"]), false).unwrap().spec.is("list"));
        assert_eq!(
            command(os(&["net", "a", "x"]), false).unwrap(),
            Command {
                spec: registry::by_name("add"),
                args: os(&["x"])
            }
        );
        assert!(matches!(
            command(os(&["bogus", "a/b"]), false),
            Err(Error::InvalidName(_))
        ));
        assert!(matches!(
            command(os(&["bogus", "a"]), false),
            Err(Error::UnknownCommand(_))
        ));
        assert!(matches!(command(os(&["add", ".."]), false), Err(Error::InvalidName(_))));
        assert!(matches!(command(os(&["add", "/x"]), false), Err(Error::InvalidName(_))));
        // A path to a network namespace file is rnetns's extension; any other `/` word is
        // ip's invalid name.
        assert!(command(os(&["exec", "/proc/self/ns/net", "true"]), false).is_ok());
        for w in ["/", "/nonexistent", "/proc/self/ns/uts"] {
            assert!(
                matches!(command(os(&["exec", w, "true"]), false), Err(Error::InvalidName(_))),
                "{w}"
            );
        }
        assert!(command(os(&["exists", "/nonexistent"]), false).is_ok());
        assert!(command(os(&["delete", "a/b"]), true).is_ok());
        // `pod:NAMESPACE/NAME` where a selector is taken; ip's invalid name elsewhere.
        assert!(command(os(&["exec", "pod:default/web-0", "true"]), false).is_ok());
        for sub in ["identify", "add", "delete", "attach"] {
            assert!(
                matches!(
                    command(os(&[sub, "pod:default/web-0"]), false),
                    Err(Error::InvalidName(_))
                ),
                "{sub}"
            );
        }
        assert!(matches!(
            command(os(&["list-id", ""]), false),
            Err(Error::InvalidName(_))
        ));
    }
}
