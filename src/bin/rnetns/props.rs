//! Property tests of the pure grammar: hostile words never panic the option pass, the
//! subcommand resolution or the batch reader, and their invariants hold.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use proptest::prelude::*;

use crate::argv;
use crate::batch::{Lines, make_args};
use crate::options::{self, Parsed};
use crate::spec::Paths;

/// Words from ip's vocabulary mixed with random bytes (no NUL: argv cannot hold one).
fn word() -> impl Strategy<Value = OsString> {
    let vocab = prop::sample::select(vec![
        "list",
        "s",
        "a",
        "add",
        "del",
        "exec",
        "set",
        "attach",
        "prune",
        "exists",
        "netns",
        "net",
        "-n",
        "-netns",
        "-all",
        "-a",
        "-j",
        "-p",
        "-b",
        "-batch",
        "-f",
        "-family",
        "inet",
        "-rcvbuf",
        "-V",
        "-help",
        "--",
        "--json",
        "-color=auto",
        "-color=bad",
        "-jp",
        "-",
        "..",
        ".",
        "/",
        "a/b",
        "/proc/1/ns/net",
        "",
        "0x10",
        "-1",
    ]);
    prop_oneof![
        vocab.prop_map(OsString::from),
        prop::collection::vec(1u8..=255, 0..12).prop_map(OsString::from_vec),
        (250usize..300).prop_map(|n| OsString::from("x".repeat(n))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn option_pass_and_command_never_panic(args in prop::collection::vec(word(), 0..8), fail_netns: bool) {
        let mut switched = Vec::new();
        let parsed = options::parse(&args, |name| {
            switched.push(name.to_os_string());
            if fail_netns { Err(rnetns::Error::Incomplete) } else { Ok(()) }
        });
        // `-n NAME` is taken at most once per word pair, and only the words given.
        prop_assert!(switched.len() <= args.len() / 2);
        prop_assert!(switched.iter().all(|n| args.contains(n)));
        if let Ok(Parsed::Run { globals, rest }) = parsed {
            prop_assert!(rest.len() <= args.len());
            prop_assert!(args.ends_with(&rest));
            if let Ok(cmd) = argv::command(rest.clone(), globals.all) {
                // Without -all, a second word that reaches a subcommand is a valid name or
                // an absolute path for the subcommands that take one.
                if !globals.all && let Some(second) = cmd.args.first() {
                    let b = second.as_bytes();
                    prop_assert!(
                        !rnetns::netns::is_invalid_name(second) || (cmd.spec.paths != Paths::No && b.first() == Some(&b'/'))
                    );
                }
            }
        }
    }

    #[test]
    fn make_args_never_panics_and_keeps_bytes(line in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(words) = make_args(&line) {
            prop_assert!(words.len() <= 99);
            let total: usize = words.iter().map(|w| w.len()).sum();
            prop_assert!(total <= line.len());
            for w in &words {
                let b = w.as_bytes();
                // Unquoted words never hold separators; every word is a slice of the line.
                prop_assert!(line.windows(b.len().max(1)).any(|x| b.is_empty() || x == b));
            }
        }
    }

    #[test]
    fn lines_never_panic_and_count_forward(input in prop::collection::vec(
        prop_oneof![Just(b'\n'), Just(b'\\'), Just(b'#'), Just(b' '), Just(b'a'), any::<u8>()], 0..300)) {
        let physical = input.iter().filter(|&&c| c == b'\n').count() + usize::from(!input.ends_with(b"\n"));
        let mut lines = Lines::new(&input[..]);
        let mut last = 0;
        let mut n = 0;
        while let Some((cmd, lineno)) = lines.next_command() {
            prop_assert!(lineno > last && lineno <= physical);
            prop_assert!(!cmd.contains(&b'#'));
            last = lineno;
            n += 1;
            prop_assert!(n <= physical);
        }
    }
}
