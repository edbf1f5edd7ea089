//! `rnetns completions SHELL`: clap_complete's script (options, subcommands, `completions`'
//! shells) with a hand-written layer on top (`shell/rnetns.*`) that knows what clap cannot:
//! ip's grammar (global options first, prefix abbreviations in ip's order, the optional
//! `netns` word) and the namespaces that exist when TAB is pressed (`rnetns list`).
//!
//! The layer's word lists come from argv.rs, so they cannot drift from the parser.

use crate::options::option_words;
use crate::spec::Spec;

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

const BASH: &str = include_str!("shell/rnetns.bash");
const ZSH: &str = include_str!("shell/rnetns.zsh");
const FISH: &str = include_str!("shell/rnetns.fish");

/// The complete script for `shell`.
pub fn script(shell: Shell, commands: &[Spec]) -> String {
    let (sh, layer) = match shell {
        Shell::Bash => (clap_complete::Shell::Bash, BASH),
        Shell::Zsh => (clap_complete::Shell::Zsh, ZSH),
        Shell::Fish => (clap_complete::Shell::Fish, FISH),
    };
    let mut out = Vec::new();
    clap_complete::generate(sh, &mut crate::args::command(commands), "rnetns", &mut out);
    let generated = String::from_utf8_lossy(&out).into_owned();
    let layer = fill(layer, commands);
    match shell {
        // The layer ends with its own `complete -F _rnetns_main`, which replaces clap's.
        Shell::Bash | Shell::Fish => generated + &layer,
        // zsh calls the function named after the file (`_rnetns`): clap's becomes
        // `_rnetns_clap` and the layer's `_rnetns` goes before the closing dispatch.
        Shell::Zsh => {
            let generated = generated.replacen("\n_rnetns() {", "\n_rnetns_clap() {", 1);
            let tail = "if [ \"$funcstack[1]\" = \"_rnetns\" ]; then";
            match generated.find(tail) {
                Some(at) => format!("{}{layer}{}", &generated[..at], &generated[at..]),
                None => format!("{generated}{layer}{tail}\n    _rnetns \"$@\"\nelse\n    compdef _rnetns rnetns\nfi\n"),
            }
        }
    }
}

/// Substitute the word lists into a layer.
fn fill(layer: &str, commands: &[Spec]) -> String {
    let subs: Vec<&str> = commands.iter().flat_map(|s| s.words.iter().copied()).collect();
    let named: Vec<&str> = commands.iter().filter(|s| s.completes_name).map(|s| s.name()).collect();
    layer
        .replace("@OPTIONS@", &option_words().join(" "))
        .replace("@SUBCOMMANDS@", &subs.join(" "))
        .replace("@NAME_SUBCOMMANDS@", &named.join(" | "))
        .replace("@NAME_LIST@", &named.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_are_filled_and_bound() {
        for sh in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let s = script(sh, crate::registry::COMMANDS);
            assert!(!s.contains("@OPTIONS@") && !s.contains("@SUBCOMMANDS@"), "{sh:?}");
            assert!(!s.contains("@NAME_"), "{sh:?}");
            assert!(s.contains("command rnetns list"), "{sh:?}");
            assert!(s.contains("set | delete | pids | exec | attach | inspect | exists") || sh == Shell::Fish);
        }
        let bash = script(Shell::Bash, crate::registry::COMMANDS);
        assert!(bash.trim_end().ends_with("fi") && bash.contains("complete -F _rnetns_main"));
        let zsh = script(Shell::Zsh, crate::registry::COMMANDS);
        assert!(zsh.contains("\n_rnetns_clap() {") && zsh.starts_with("#compdef rnetns"));
        let (layer, tail) = (
            zsh.find("\n_rnetns() {").unwrap(),
            zsh.rfind("if [ \"$funcstack[1]\"").unwrap(),
        );
        assert!(layer < tail);
    }
}
