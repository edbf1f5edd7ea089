//! The files generated from the clap tree (the man page, the completion scripts) stay in
//! sync with the code, the help lists every subcommand, and bash completion offers the
//! namespaces that exist.
//!
//! To regenerate docs/rnetns.8 and docs/completions/*: `RNETNS_BLESS=1 cargo test --test ecosystem`.

#[allow(dead_code)]
#[path = "../src/bin/rnetns/args.rs"]
mod args;
mod common;

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;
use common::*;

const BLESS: &str = "RNETNS_BLESS";

/// Compare `got` with the committed file; with RNETNS_BLESS set, write it instead.
#[track_caller]
fn check_generated(rel: &str, got: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os(BLESS).is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_default();
    if want != got {
        assert_same(&String::from_utf8_lossy(&want), &String::from_utf8_lossy(got));
        panic!(
            "{rel} is out of date (differs in bytes only); regenerate it with\n  {BLESS}=1 cargo test --test ecosystem"
        );
    }
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(rnetns()).args(args).output().unwrap()
}

/// rnetns(8): clap_mangen's sections from the clap tree, with the hand-written ones of
/// docs/man/ around them.
fn man_page() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let man = clap_mangen::Man::new(args::Cli::command())
        .section("8")
        .manual("System Administration")
        .source(format!("rnetns {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    man.render_title(&mut out).unwrap();
    man.render_name_section(&mut out).unwrap();
    man.render_synopsis_section(&mut out).unwrap();
    out.extend(read("description.roff"));
    man.render_options_section(&mut out).unwrap();
    subcommands_section(&mut out);
    out.extend(read("sections.roff"));
    out
}

/// Roff text: backslashes and dashes escaped, no control line by accident.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with(['.', '\'']) {
        format!("\\&{t}")
    } else {
        t
    }
}

/// SUBCOMMANDS: one entry per subcommand of the clap tree (clap_mangen would point at
/// rnetns-SUB(8) pages, which do not exist), with aliases and rnetns's own arguments.
fn subcommands_section(out: &mut Vec<u8>) {
    let mut s = String::from(".SH SUBCOMMANDS\n");
    for sub in args::Cli::command().get_subcommands() {
        let mut head = format!("\\fB{}\\fR", roff(sub.get_name()));
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_global_set() && a.get_id() != "words")
        {
            let word = match (arg.get_long(), arg.get_value_names()) {
                (Some(long), _) => format!("\\-\\-{}", roff(long)),
                (None, Some(names)) => names.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" "),
                (None, None) => arg.get_id().to_string().to_uppercase(),
            };
            let word = if arg.is_required_set() {
                word
            } else {
                format!("[{word}]")
            };
            let many = matches!(arg.get_num_args(), Some(r) if r.max_values() > 1);
            head.push_str(&format!(" {word}{}", if many { "..." } else { "" }));
        }
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        s.push_str(&format!(".TP\n{head}\n{}\n", roff(&about)));
    }
    out.extend(s.into_bytes());
}

#[test]
fn man_page_is_current() {
    check_generated("docs/rnetns.8", &man_page());
}

#[test]
fn completion_files_are_current() {
    for (shell, file) in [
        ("bash", "docs/completions/rnetns.bash"),
        ("zsh", "docs/completions/_rnetns"),
        ("fish", "docs/completions/rnetns.fish"),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("rnetns list"), "{shell} script must list namespaces");
        check_generated(file, &out.stdout);
    }
}

#[test]
fn help_lists_every_subcommand() {
    for help in ["--help-all"] {
        let out = run(&[help]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0));
        for sub in args::Cli::command().get_subcommands() {
            let name = sub.get_name();
            assert!(
                text.lines().any(|l| l.trim_start().starts_with(&format!("{name} "))),
                "{help} does not list {name}:\n{text}"
            );
        }
        for extra in ["inspect", "discover", "prune", "exists", "completions"] {
            assert!(text.contains(&format!("  {extra} ")), "{help} lacks {extra}");
        }
    }
}

/// zsh and fish: syntax checks only where the shells are installed.
#[test]
fn zsh_and_fish_scripts_parse() {
    for (shell, check) in [("zsh", ["-n"]), ("fish", ["-n"])] {
        let out = run(&["completions", shell]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("command rnetns list") && text.contains("exec"), "{shell}");
        if Command::new(shell).arg("-c").arg("true").output().is_err() {
            eprintln!("SKIPPED: {shell} is not installed; syntax not checked");
            continue;
        }
        let file = std::env::temp_dir().join(format!("rnetns-completion-{}.{shell}", std::process::id()));
        std::fs::write(&file, &text).unwrap();
        let st = Command::new(shell).args(check).arg(&file).output().unwrap();
        let _ = std::fs::remove_file(&file);
        assert!(
            st.status.success(),
            "{shell} -n: {}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
}

#[test]
fn bash_completes_existing_namespaces() {
    if !root() {
        return;
    }
    let out = sandbox(
        r#"
$R add a >/dev/null && $R add b >/dev/null || echo "add failed"
export PATH="$(dirname "$R"):$PATH"
source <("$R" completions bash)
comp() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
  _rnetns_main rnetns "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' '
}
echo "exec: $(comp rnetns exec '')"
echo "exec b: $(comp rnetns exec b)"
echo "del: $(comp rnetns del '')"
echo "set: $(comp rnetns set '')"
echo "pids: $(comp rnetns pids '')"
echo "attach: $(comp rnetns attach '')"
echo "inspect: $(comp rnetns inspect a '')"
echo "exists: $(comp rnetns netns exists '')"
echo "-n: $(comp rnetns -j -n '')"
echo "first: $(comp rnetns e)"
echo "after -n: $(comp rnetns -n a li)"
echo "add: $(comp rnetns add '')"
echo "-all delete: $(comp rnetns -all delete '')"
echo "completions: $(comp rnetns completions '' | tr ' ' '\n' | grep -v '^-' | paste -sd' ')"
"#,
    );
    let want = "\
exec: a b
exec b: b
del: a b
set: a b
pids: a b
attach: a b
inspect: a b
exists: a b
-n: a b
first: exec exists
after -n: list list-id
add: 
-all delete: 
completions: bash fish zsh
";
    assert_same(want, &out.stdout);
    assert_eq!(out.stderr, "");
}
