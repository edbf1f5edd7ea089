//! The files generated from the clap tree stay in sync with the code: the man page
//! (docs/rnetns.8) and the completion scripts (docs/completions/). To regenerate:
//! `RNETNS_BLESS=1 cargo test --release --bin rnetns generated`.

use std::path::Path;

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
    assert!(
        want == got,
        "{rel} is out of date; regenerate it with\n  {BLESS}=1 cargo test --bin rnetns generated\n--- want ---\n{}\n--- got ---\n{}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(got)
    );
}

/// rnetns(8): clap_mangen's sections from the clap tree, with the hand-written ones of
/// docs/man/ around them.
fn man_page() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let man = clap_mangen::Man::new(crate::args::command(crate::registry::COMMANDS))
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
    unmark(&String::from_utf8(out).unwrap()).into_bytes()
}

/// The help text's markdown code spans (`-j`) as roff: bold in the text, plain in NAME
/// (whatis(1) reads that line as text). Control lines are left alone.
fn unmark(page: &str) -> String {
    let mut out = String::new();
    let mut section = "";
    for line in page.lines() {
        if let Some(name) = line.strip_prefix(".SH ") {
            section = name;
        }
        if line.starts_with(['.', '\'']) || !line.contains('`') {
            out.push_str(line);
        } else if section == "NAME" {
            out.push_str(&line.replace('`', ""));
        } else {
            // An unpaired backtick stays a grave accent.
            let parts: Vec<&str> = line.split('`').collect();
            let paired = if parts.len() % 2 == 1 {
                parts.len()
            } else {
                parts.len() - 1
            };
            for (i, part) in parts.iter().enumerate() {
                match i {
                    0 => {}
                    _ if i >= paired => out.push_str("\\(ga"),
                    _ if i % 2 == 1 => out.push_str("\\fB"),
                    _ => out.push_str("\\fR"),
                }
                out.push_str(part);
            }
        }
        out.push('\n');
    }
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
    for sub in crate::args::command(crate::registry::COMMANDS).get_subcommands() {
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
    let page = man_page();
    let text = String::from_utf8_lossy(&page);
    assert!(!text.contains('`'), "markdown code spans left in the man page");
    check_generated("docs/rnetns.8", &page);
}

#[test]
fn man_page_code_spans_become_bold() {
    let page = ".SH NAME\nrnetns \\- for `ip netns`\n.SH OPTIONS\nJSON (`\\-j`, `\\-json`) and a lone ` here\n.TP\n";
    assert_eq!(
        unmark(page),
        ".SH NAME\nrnetns \\- for ip netns\n.SH OPTIONS\nJSON (\\fB\\-j\\fR, \\fB\\-json\\fR) and a lone \\(ga here\n.TP\n"
    );
}

#[test]
fn completion_files_are_current() {
    use crate::completions::{Shell, script};
    for (shell, file) in [
        (Shell::Bash, "docs/completions/rnetns.bash"),
        (Shell::Zsh, "docs/completions/_rnetns"),
        (Shell::Fish, "docs/completions/rnetns.fish"),
    ] {
        let text = script(shell, crate::registry::COMMANDS);
        assert!(text.contains("rnetns list"), "{shell:?} script must list namespaces");
        check_generated(file, text.as_bytes());
    }
}

#[test]
fn help_lists_every_subcommand() {
    let text = crate::args::command(crate::registry::COMMANDS)
        .render_long_help()
        .to_string();
    for spec in crate::registry::COMMANDS {
        let name = spec.name();
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(&format!("{name} "))),
            "--help does not list {name}:\n{text}"
        );
    }
}

#[test]
fn every_subcommand_has_help() {
    for spec in crate::registry::COMMANDS {
        let help = crate::args::subcommand_help(spec, crate::registry::COMMANDS);
        assert!(help.contains(spec.about), "{}:\n{help}", spec.name());
        assert!(
            help.contains(&format!("rnetns {}", spec.name())),
            "{}:\n{help}",
            spec.name()
        );
    }
}
