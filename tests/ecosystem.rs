//! The files generated from the clap tree (the man page, the completion scripts) stay in
//! sync with the code, the help lists every subcommand, and bash completion offers the
//! namespaces that exist.
//!
//! To regenerate docs/rnetns.8 and docs/completions/*: `RNETNS_BLESS=1 cargo test --test ecosystem`.

mod common;

use std::path::Path;
use std::process::Command;

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
fn help_is_on_stdout_with_status_0() {
    for help in [
        &["--help"][..],
        &["--help-all"],
        &["inspect", "--help"],
        &["completions", "--help"],
    ] {
        let out = run(help);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{help:?}");
        assert!(text.contains("Usage: rnetns"), "{help:?}:\n{text}");
        assert!(out.stderr.is_empty(), "{help:?}");
    }
    let out = run(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for extra in ["inspect", "discover", "prune", "exists", "completions"] {
        assert!(text.contains(&format!("  {extra} ")), "--help lacks {extra}");
    }
    // ip's single-dash -help keeps ip's usage on stderr and status 255.
    let out = run(&["-help"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Usage:"));
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
