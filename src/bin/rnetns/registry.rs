//! The command registry: one row per command, ip's first and in ip's prefix order, then
//! rnetns's own (whose shortest forms are words ip rejects). The prefix table, the names,
//! the usage text, the clap tree (help, man page, completions), the completion hints and
//! dispatch all derive from it. A command's wiring is its own file in `commands/`.

use std::ffi::OsStr;

use crate::commands as c;
use crate::parse::matches;
use crate::spec::{Paths, Spec};

/// Every command, in ip's prefix order.
pub static COMMANDS: &[Spec] = &[
    c::list::SPEC,
    c::list_id::SPEC,
    c::help::SPEC,
    c::add::SPEC,
    c::set::SPEC,
    c::delete::SPEC,
    c::identify::SPEC,
    c::pids::SPEC,
    c::exec::SPEC,
    c::monitor::SPEC,
    c::attach::SPEC,
    c::inspect::SPEC,
    c::discover::SPEC,
    c::prune::SPEC,
    c::exists::SPEC,
    c::completions::SPEC,
];

/// The command a word names: the first prefix match in table order.
pub fn resolve(word: &OsStr) -> Option<&'static Spec> {
    let w = word.as_encoded_bytes();
    COMMANDS.iter().find(|s| s.words.iter().any(|full| matches(w, full)))
}

/// The command called `name` exactly.
pub fn by_name(name: &str) -> &'static Spec {
    COMMANDS.iter().find(|s| s.is(name)).unwrap_or(&COMMANDS[0])
}

/// The usage summary, on stderr as ip prints its own (exit 255).
pub fn usage() -> String {
    let mut rows: Vec<&Spec> = COMMANDS.iter().filter(|s| s.usage.is_some()).collect();
    rows.sort_by_key(|s| s.usage_rank);
    let mut out = String::from("Usage:");
    for s in &rows {
        out.push_str("\trnetns ");
        out.push_str(s.usage.unwrap_or_default());
        out.push('\n');
    }
    let paths: Vec<&str> = rows.iter().filter(|s| s.paths != Paths::No).map(|s| s.name()).collect();
    out.push_str("NETNSID := auto | POSITIVE-INT\n");
    out.push_str(&format!(
        "NAME may be an absolute path to a namespace file for {}.\n",
        paths.join(", ")
    ));
    out.push_str("Full help: rnetns --help; manual: man rnetns.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(w: &str) -> Option<&'static str> {
        resolve(OsStr::new(w)).map(Spec::name)
    }

    #[test]
    fn prefix_table_in_ip_order() {
        for w in ["l", "li", "lis", "list", "s", "sh", "sho", "show", "ls", "lst"] {
            assert_eq!(sub(w), Some("list"), "{w}");
        }
        for w in ["list-", "list-i", "list-id"] {
            assert_eq!(sub(w), Some("list-id"), "{w}");
        }
        let expect = [
            ("a", "add"),
            ("at", "attach"),
            ("se", "set"),
            ("d", "delete"),
            ("del", "delete"),
            ("i", "identify"),
            ("in", "inspect"),
            ("p", "pids"),
            ("pr", "prune"),
            ("e", "exec"),
            ("ex", "exec"),
            ("exi", "exists"),
            ("m", "monitor"),
            ("h", "help"),
            ("di", "discover"),
            ("c", "completions"),
        ];
        for (w, name) in expect {
            assert_eq!(sub(w), Some(name), "{w}");
        }
        for w in [
            "", "LIST", "List", "lsx", "listx", "shows", "list-idx", "-j", "--help", "x",
        ] {
            assert_eq!(sub(w), None, "{w:?}");
        }
    }

    #[test]
    fn usage_lists_every_command_but_help_in_ip_order() {
        let u = usage();
        let lines: Vec<&str> = u.lines().collect();
        assert_eq!(lines[0], "Usage:\trnetns list");
        assert_eq!(lines[1], "\trnetns add NAME");
        assert_eq!(
            lines[9],
            "\trnetns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]"
        );
        assert_eq!(lines.len(), COMMANDS.len() - 1 + 3);
        assert!(!u.contains("rnetns help"));
        assert!(u.contains("for set, identify, pids, exec, inspect, exists.\n"));
        let mut ranks: Vec<u8> = COMMANDS.iter().map(|s| s.usage_rank).collect();
        ranks.sort();
        ranks.dedup();
        assert_eq!(ranks.len(), COMMANDS.len(), "usage ranks are distinct");
    }
}
