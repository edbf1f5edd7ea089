//! `ip netns list-id [target-nsid N] [nsid N]`.

use std::ffi::OsString;

use rnetns::Error;
use rnetns::ops::{self, ListIdArgs};

use crate::env::Env;
use crate::output::{eprint_bytes, eprint_error, print};
use crate::parse::parse_c_int;
use crate::render::{json, text};
use crate::spec::{Paths, Spec, raw_words};

pub const SPEC: Spec = Spec {
    words: &["list-id"],
    usage: Some("list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]"),
    usage_rank: 9,
    about: "List namespace ids: list-id [target-nsid N] [nsid N]",
    paths: Paths::No,
    completes_name: false,
    selects: false,
    args: raw_words,
    run,
};

/// `list-id` words: exact keywords, values like `get_integer`, ip's messages.
pub fn parse(words: &[OsString]) -> Result<ListIdArgs, Error> {
    let mut a = ListIdArgs::default();
    let mut i = 0;
    while i < words.len() {
        let key: &'static str = match words[i].as_encoded_bytes() {
            b"target-nsid" => "target-nsid",
            b"nsid" => "nsid",
            _ => return Err(Error::Usage),
        };
        let slot = if key == "nsid" { &mut a.nsid } else { &mut a.target_nsid };
        if slot.is_some() {
            return Err(Error::Duplicate(key));
        }
        let value = words.get(i + 1).ok_or(Error::Incomplete)?;
        let bad = |what| Error::BadArgument {
            value: value.clone(),
            what,
        };
        let v = parse_c_int(value).ok_or_else(|| {
            bad(if key == "nsid" {
                "\"nsid\" value is invalid"
            } else {
                "\"target-nsid\" value is invalid"
            })
        })?;
        if v < 0 {
            // rnetns quotes the wrong value itself (ip 6.1 quotes the next word).
            return Err(bad(if key == "nsid" {
                "\"nsid\" value should be >= 0"
            } else {
                "\"target-nsid\" value should be >= 0"
            }));
        }
        *slot = Some(v);
        i += 2;
    }
    Ok(a)
}

fn run(env: &Env, words: &[OsString], _commands: &'static [Spec]) -> Result<u8, Error> {
    // ip names the ids first (its warnings come first), then reads its arguments. The
    // arguments are read first here (that prints nothing) so that only the names the
    // listing shows are looked up.
    let args = parse(words);
    let names = ops::list_id_names(&env.ctx, args.as_ref().ok().copied())?;
    for w in &names.warnings {
        eprint_error(&Error::Netlink(w.clone()));
    }
    let lines = args.and_then(|args| ops::list_id(names, args));
    match lines {
        Ok(lines) if env.globals.json => env.json(&json::list_id(&lines)),
        Ok(lines) => print(&text::list_id(&lines)),
        // ip prints the kernel's reason as the dump fails, then closes (and flushes) its
        // JSON array, then says `Dump terminated`.
        Err(Error::DumpTerminated(why)) if env.globals.json && why.unsent.is_none() => {
            eprint_error(&Error::Netlink(why));
            env.json(&json::Json::Arr(Vec::new()));
            eprint_bytes(format!("{}\n", Error::DUMP_TERMINATED).as_bytes());
            return Err(Error::Reported(1));
        }
        // A dump that could not even be sent: `[]`, then the reason.
        Err(e @ Error::DumpTerminated(_)) if env.globals.json => {
            env.json(&json::Json::Arr(Vec::new()));
            return Err(e);
        }
        Err(e) => return Err(e),
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn keywords_values_and_errors() {
        assert_eq!(
            parse(&os(&["nsid", "0x10", "target-nsid", "2"])).unwrap(),
            ListIdArgs {
                target_nsid: Some(2),
                nsid: Some(16)
            }
        );
        assert!(matches!(parse(&os(&["bogus"])), Err(Error::Usage)));
        assert!(matches!(parse(&os(&["nsid"])), Err(Error::Incomplete)));
        assert!(matches!(
            parse(&os(&["nsid", "1", "nsid", "2"])),
            Err(Error::Duplicate("nsid"))
        ));
        assert_eq!(
            parse(&os(&["nsid", "-1"])).unwrap_err().to_string(),
            "Error: argument \"-1\" is wrong: \"nsid\" value should be >= 0"
        );
        assert_eq!(
            parse(&os(&["target-nsid", "x"])).unwrap_err().to_string(),
            "Error: argument \"x\" is wrong: \"target-nsid\" value is invalid"
        );
    }
}
