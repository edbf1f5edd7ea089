//! What users and packagers meet around the binary: the files generated from the clap tree
//! (the man page, the completion scripts) stay in sync with the code; the help lists every
//! subcommand; each shell's completion, driven for real, offers and inserts the namespaces
//! that exist (odd names included) and the commands after `exec NAME`; the Debian package
//! passes lintian; the crate's metadata and contents suit crates.io; docs/json.md lists every
//! JSON key; the default build is a static PIE; unprivileged inspect/discover say what is
//! missing.
//!
//! docs/rnetns.8 and docs/completions/* are kept in sync by the binary's unit tests
//! (src/bin/rnetns/generated.rs): `RNETNS_BLESS=1 cargo test --release --bin rnetns generated`.

use std::path::Path;
use std::process::Command;

use crate::common::*;

crate::tests![
    help_is_on_stdout_with_status_0,
    bash_completes_existing_namespaces,
    debian_package_passes_lintian,
    debian_metadata_matches_the_crate,
    bash_completion_quotes_names_and_completes_commands,
    zsh_completion_inserts_names_and_commands,
    fish_completion_offers_names_and_commands,
    unprivileged_inspect_fails_and_discover_says_partial,
    default_build_is_static_pie,
    json_keys_are_documented,
    crate_metadata_and_package_contents,
];

fn run(args: &[&str]) -> std::process::Output {
    Command::new(rnetns()).args(args).output().unwrap()
}

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

fn bash_completes_existing_namespaces() {
    require_root();
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

/// The Debian package as distributions build it (the dynamic executable, see
/// .cargo/dynamic.toml) passes lintian without errors or warnings, has a real Depends and
/// carries the binary, the man page and the completions. Needs cargo-deb and lintian
/// (.ci/run installs both); without them the test is skipped, except under CI.
fn debian_package_passes_lintian() {
    let have = |cmd: &str, args: &[&str]| Command::new(cmd).args(args).output().is_ok_and(|o| o.status.success());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (tool, ok) in [
        ("cargo-deb", have(&cargo, &["deb", "--version"])),
        ("lintian", have("lintian", &["--version"])),
    ] {
        if !ok {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is missing; CI must build and check the package"
            );
            eprintln!("SKIPPED: {tool} is not installed; the Debian package is not checked");
            return;
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join(".cargo/dynamic.toml").exists() {
        // The crate as published carries no .cargo/: the package is built from the repository.
        eprintln!("SKIPPED: not a checkout of the repository (no .cargo/dynamic.toml)");
        return;
    }
    // Its own target dir: the tests' target/release/rnetns (static) is never replaced.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deb");
    let out_dir = target.join("out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let build = Command::new(&cargo)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .args(["deb", "--quiet", "--output"])
        .arg(&out_dir)
        .args(["--", "--locked", "--config", ".cargo/dynamic.toml"])
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "cargo deb failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let deb = std::fs::read_dir(&out_dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .expect("cargo deb wrote a .deb");
    let field = |f: &str| {
        let o = Command::new("dpkg-deb").arg("-f").arg(&deb).arg(f).output().unwrap();
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    assert!(field("Depends").starts_with("libc6"), "Depends: {:?}", field("Depends"));
    assert!(
        field("Maintainer").contains('@'),
        "Maintainer: {:?}",
        field("Maintainer")
    );
    let listing = Command::new("dpkg-deb").arg("-c").arg(&deb).output().unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    for f in [
        "./usr/sbin/rnetns",
        "./usr/share/man/man8/rnetns.8.gz",
        "./usr/share/doc/rnetns/copyright",
        "./usr/share/doc/rnetns/changelog.Debian.gz",
        "./usr/share/bash-completion/completions/rnetns",
        "./usr/share/zsh/vendor-completions/_rnetns",
        "./usr/share/fish/vendor_completions.d/rnetns.fish",
    ] {
        assert!(
            listing.lines().any(|l| l.ends_with(&format!(" {f}"))),
            "{f} missing from the package:\n{listing}"
        );
    }
    let lint = Command::new("lintian")
        .arg("--tag-display-limit")
        .arg("0")
        .arg(&deb)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&lint.stdout);
    let bad: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("E: ") || l.starts_with("W: "))
        .collect();
    assert!(
        bad.is_empty(),
        "lintian:\n{report}{}",
        String::from_utf8_lossy(&lint.stderr)
    );
}

/// What the package ships beside the binary is consistent with the crate: the changelog's
/// newest entry is this version (cargo deb's revision -1), the copyright's license text is
/// LICENSE's, and the synopsis does not start with an article (Debian policy 3.4.1).
fn debian_metadata_matches_the_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |f: &str| std::fs::read_to_string(root.join(f)).unwrap();
    let changelog = read("packaging/debian/changelog");
    let want = format!("rnetns ({}-1) ", env!("CARGO_PKG_VERSION"));
    assert!(changelog.starts_with(&want), "changelog must start with {want:?}");
    let license = read("LICENSE");
    let body: Vec<&str> = license.lines().skip_while(|l| !l.starts_with("Permission")).collect();
    let copyright = read("packaging/debian/copyright");
    let text: Vec<String> = copyright
        .split("\nLicense: Expat\n")
        .nth(2)
        .expect("a stand-alone License: Expat paragraph")
        .lines()
        .map(|l| match l {
            " ." => String::new(),
            l => l.strip_prefix(' ').expect("license lines are indented").to_string(),
        })
        .collect();
    assert_eq!(text, body, "packaging/debian/copyright's license text is not LICENSE's");
    let synopsis = env!("CARGO_PKG_DESCRIPTION");
    let first = synopsis.split_whitespace().next().unwrap_or("").to_lowercase();
    assert!(!["a", "an", "the"].contains(&first.as_str()), "synopsis {synopsis:?}");
    assert!(
        synopsis.len() <= 80 && !synopsis.ends_with('.'),
        "synopsis {synopsis:?}"
    );
}

/// Namespaces whose names a shell would take apart: a space, `$`, both quotes, non-ASCII.
const ODD_NAMES: &str = r#"
set +u  # completion scripts run in interactive shells, where unset variables are empty
for n in a 'sp ace' 'we$ird' "it's" 'q"uote' 'né'; do $R add "$n" >/dev/null || echo "add $n failed"; done
export PATH="$(dirname "$R"):$PATH"
mkdir -p /run/sh-home && export HOME=/run/sh-home XDG_CONFIG_HOME=/run/sh-home/.config XDG_DATA_HOME=/run/sh-home/.local
printf '#!/bin/sh\n' > /run/sh-home/rnetnstestcmd && chmod +x /run/sh-home/rnetnstestcmd
export PATH="/run/sh-home:$PATH"
"#;

/// True when `shell` runs; a skip is printed, and under CI a missing shell is a failure.
fn have_shell(shell: &str) -> bool {
    if Command::new(shell)
        .arg("-c")
        .arg("true")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{shell} is missing; CI must test its completion"
    );
    eprintln!("SKIPPED: {shell} is not installed; its completion is not tested");
    false
}

/// bash: the completion function on COMP_WORDS as readline would set them. Each reply is
/// what readline inserts, so `eval` of it must give the name back (the reply after `:`),
/// and running it as a NAME works; after `exec NAME` and `-all exec` come commands.
fn bash_completion_quotes_names_and_completes_commands() {
    if !root() || !have_shell("bash") {
        return;
    }
    let out = sandbox(&format!(
        "{ODD_NAMES}{}",
        r#"
[ -f /usr/share/bash-completion/bash_completion ] && source /usr/share/bash-completion/bash_completion
source <("$R" completions bash)
comp() {
  COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
  COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
  _rnetns_main rnetns "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
}
# A reply, and the word the shell makes of it (a reply inside an opened quote gets the
# closing quote readline adds).
show() {
  local w=$1 q=$2 r got
  for r in "${COMPREPLY[@]}"; do
    eval "got=$q$r$q"
    printf '%s -> %s\n' "$r" "$got"
  done | LC_ALL=C sort
}
for w in s w i q n "sp\\ a" a; do echo "== exec $w"; comp rnetns exec "$w"; show; done
echo "== exec 's"; comp rnetns exec "'s"; show "'s" "'"
echo "== exec 'i"; comp rnetns exec "'i"; show "'i" "'"
echo "== exec \"w"; comp rnetns exec '"w'; show '"w' '"'
echo "== exec \"q"; comp rnetns exec '"q'; show '"q' '"'
echo "== -n w"; comp rnetns -n w; show
echo "== del ''"; comp rnetns del ''; show
comp rnetns exec "we\\\$ird"; eval "rnetns exec ${COMPREPLY[0]} true" && echo "exec by the reply: ok"
echo "== exec 'sp ace' rnetnstestc"; comp rnetns exec 'sp\ ace' rnetnstestc; printf '%s\n' "${COMPREPLY[@]}" | sort -u
echo "== -all exec rnetnstestc"; comp rnetns -all exec rnetnstestc; printf '%s\n' "${COMPREPLY[@]}" | sort -u
"#
    ));
    let want = r#"== exec s
sp\ ace -> sp ace
== exec w
we\$ird -> we$ird
== exec i
it\'s -> it's
== exec q
q\"uote -> q"uote
== exec n
né -> né
== exec sp\ a
sp\ ace -> sp ace
== exec a
a -> a
== exec 's
sp ace -> sp ace
== exec 'i
it'\''s -> it's
== exec "w
we\$ird -> we$ird
== exec "q
q\"uote -> q"uote
== -n w
we\$ird -> we$ird
== del ''
a -> a
it\'s -> it's
né -> né
q\"uote -> q"uote
sp\ ace -> sp ace
we\$ird -> we$ird
exec by the reply: ok
== exec 'sp ace' rnetnstestc
rnetnstestcmd
== -all exec rnetnstestc
rnetnstestcmd
"#;
    assert_same(want, &out.stdout);
    assert_eq!(out.stderr, "");
}

/// zsh: an interactive zsh on a pseudo-terminal (zpty) with the script on its fpath; a
/// line is typed with TAB in it and run against a shell function `rnetns` that prints its
/// arguments, so what is checked is the word the shell made of the completion.
fn zsh_completion_inserts_names_and_commands() {
    if !root() || !have_shell("zsh") {
        return;
    }
    let out = sandbox(&format!(
        "{ODD_NAMES}{}",
        r#"
mkdir -p /run/zc && "$R" completions zsh > /run/zc/_rnetns
export ZDOTDIR=/run/sh-home
cat > /run/zc/drive.zsh <<'ZSH'
zmodload zsh/zpty
zpty -b z zsh -f -i
zpty -w z 'PS1=; PS2=; RPS1=; fpath=(/run/zc $fpath); autoload -Uz compinit; compinit -u -D -d /run/sh-home/dump'
zpty -w z 'rnetns() { print -r -- "<<${(j:|:)@}>>"; }'
# The echo of this line does not match READY; only its output does.
zpty -w z 'print RE""ADY'
zpty -r z line '*READY*'
try() {
  local out
  zpty -w -n z "$1"$'\t'" end"$'\n'
  zpty -r z out '*>>*'
  print -r -- "$1<TAB> -> ${${out##*<<}%%>>*}"
}
for l in 'rnetns exec s' 'rnetns exec w' 'rnetns exec i' 'rnetns exec q' 'rnetns exec n' \
  'rnetns exec "w' "rnetns exec 'i" 'rnetns -n w' 'rnetns exec a rnetnstestc' 'rnetns -all exec rnetnstestc'; do
  try "$l"
done
zpty -d z
ZSH
timeout 60 zsh -f /run/zc/drive.zsh || echo "zsh driver failed: $?"
"#
    ));
    let want = r#"rnetns exec s<TAB> -> exec|sp ace|end
rnetns exec w<TAB> -> exec|we$ird|end
rnetns exec i<TAB> -> exec|it's|end
rnetns exec q<TAB> -> exec|q"uote|end
rnetns exec n<TAB> -> exec|né|end
rnetns exec "w<TAB> -> exec|we$ird|end
rnetns exec 'i<TAB> -> exec|it's|end
rnetns -n w<TAB> -> -n|we$ird|end
rnetns exec a rnetnstestc<TAB> -> exec|a|rnetnstestcmd|end
rnetns -all exec rnetnstestc<TAB> -> -all|exec|rnetnstestcmd|end
"#;
    assert_same(want, &out.stdout);
}

/// fish: `complete -C` gives the candidates fish inserts (fish quotes them itself): the
/// names as they are, and after `exec NAME` and `-all exec` the commands and their
/// arguments, not files.
fn fish_completion_offers_names_and_commands() {
    if !root() || !have_shell("fish") {
        return;
    }
    let out = sandbox(&format!(
        "{ODD_NAMES}{}",
        r#"
"$R" completions fish > /run/sh-home/rnetns.fish
mkdir -p /run/sh-home/d && : > /run/sh-home/d/somefile && cd /run/sh-home/d
fish --no-config -c '
source /run/sh-home/rnetns.fish
for line in "rnetns exec s" "rnetns exec w" "rnetns exec q" "rnetns exec \"it" "rnetns pids " "rnetns -n n" \
    "rnetns exec \"sp ace\" rnetnstestc" "rnetns -all exec rnetnstestc" "rnetns exec a " "rnetns exec a ls --al" \
    "rnetns exec a rnetnstestcmd so" "rnetns frobnicate x"
  echo "== $line"
  complete -C "$line" | string replace -r "\t.*" "" | sort -u
end
' 2>&1 | awk '/^== rnetns exec a $/ { print; getline; n = 0; while ($0 !~ /^==/) { if ($0 == "rnetnstestcmd" || $0 == "somefile") print; if ((getline) <= 0) exit } } { print }'
"#
    ));
    let want = r#"== rnetns exec s
sp ace
== rnetns exec w
we$ird
== rnetns exec q
q"uote
== rnetns exec "it
it's
== rnetns pids 
a
it's
né
q"uote
sp ace
we$ird
== rnetns -n n
né
== rnetns exec "sp ace" rnetnstestc
rnetnstestcmd
== rnetns -all exec rnetnstestc
rnetnstestcmd
== rnetns exec a 
rnetnstestcmd
== rnetns exec a ls --al
--all
== rnetns exec a rnetnstestcmd so
somefile
== rnetns frobnicate x
"#;
    assert_same(want, &out.stdout);
}

/// Without privilege inspect cannot enter the namespaces: each is skipped with the reason,
/// a last line says what is needed and the status is 1; discover's table is partial (it
/// cannot read root's processes) and says so on stderr. As root both are complete.
fn unprivileged_inspect_fails_and_discover_says_partial() {
    require_root();
    let out = sandbox(
        r#"
$R add a && $R add b || echo "add failed"
t $NB $R inspect
t $NB $R -j inspect
t $R inspect
$NB $R discover >/dev/null 2>/tmp/err; echo "discover rc=$?"; sed -E 's/: [1-9][0-9]* process(es)? could/: N could/' /tmp/err
$R discover >/dev/null 2>/tmp/err; echo "root discover rc=$? stderr=$(wc -c </tmp/err)"
"#,
    );
    let text = out.stdout.replace(&in_sandbox(Path::new(rnetns())), "RNETNS");
    let (unpriv, rest) = text.split_once("### NETNS inspect\n").expect("root inspect ran");
    let want_unpriv = format!(
        "### {nb} NETNS inspect\nrc: 1\n--- out\n--- err\n{skip}### {nb} NETNS -j inspect\nrc: 1\n--- out\n[]\n--- err\n{skip}",
        nb = "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all",
        skip = "Cannot open rtnetlink in \"b\": Operation not permitted, skipped\n\
                Cannot open rtnetlink in \"a\": Operation not permitted, skipped\n\
                Cannot inspect 2 namespaces: entering a network namespace needs CAP_SYS_ADMIN (root)\n--- end\n",
    );
    assert_same(&want_unpriv, unpriv);
    assert!(rest.starts_with("rc: 0\n"), "root inspect:\n{rest}");
    let tail = rest.split("--- end\n").nth(1).unwrap_or("");
    assert_same(
        "discover rc=0\nResults are partial: N could not be read; run as root to see every namespace\nroot discover rc=0 stderr=0\n",
        tail,
    );
}

/// The default build is a static PIE (.cargo/config.toml): an ELF without a program
/// interpreter (PT_INTERP). The linker driver falls back to a dynamic link where the machine
/// has no libc.a; that is a skip outside CI, a failure under it.
fn default_build_is_static_pie() {
    let elf = std::fs::read(rnetns()).unwrap();
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    assert_eq!(&elf[..5], b"\x7fELF\x02", "a 64-bit ELF");
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    let types: Vec<u32> = (0..count)
        .map(|i| u32::from_le_bytes(elf[phoff + i * size..][..4].try_into().unwrap()))
        .collect();
    const PT_DYNAMIC: u32 = 2;
    const PT_INTERP: u32 = 3;
    assert!(
        types.contains(&PT_DYNAMIC),
        "a PIE has a dynamic section (self-relocation)"
    );
    if types.contains(&PT_INTERP) {
        assert!(
            std::env::var_os("CI").is_none(),
            "the default build must link a static PIE"
        );
        eprintln!("SKIPPED: linked dynamically (no static libc here?)");
    }
}

/// Every key path of a JSON value: `key` for the objects of the top-level array (or a
/// top-level object), `parent[].key` inside arrays of objects, `parent.key` inside objects.
fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Array(items) => {
            let p = if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}[]")
            };
            for i in items {
                key_paths(i, &p, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, val) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(path.clone());
                key_paths(val, &path, out);
            }
        }
        _ => {}
    }
}

/// docs/json.md lists, per `## COMMAND` section, every key the command prints: the keys
/// printed here by real commands in a sandbox (names with ids, a bridge port, a veth pair
/// in one namespace, a peer address, typed and gatewayed routes, a target by path, an nsfs
/// mount, an fd holder, stale entries, monitor events) must all be listed there.
fn json_keys_are_documented() {
    require_root();
    let out = sandbox(
        r#"
{
$R add blue && $R add red && $R set blue 7
ip link add vb type veth peer name vr && ip link set vr netns red && ip link set vb netns blue
$R exec blue sh -c 'ip link set lo up && ip link add br0 type bridge && ip link set vb master br0 &&
  ip link set br0 up && ip link set vb up && ip link add va type veth peer name vc &&
  ip link set va up && ip link set vc up && ip addr add 10.1.0.1/24 dev br0 &&
  ip addr add 10.9.0.1 peer 10.9.0.2 dev va && ip route add default via 10.1.0.2 &&
  ip route add unreachable 10.8.0.0/16 && ip route add 10.7.0.0/16 dev br0 metric 50 proto static'
$R exec red ip link set vr up
touch /run/m && unshare --net=/run/m true
mkfifo /tmp/ready
$R exec blue sh -c 'echo > /tmp/ready; exec sleep 1000' & sleeper=$!
read -r _ < /tmp/ready
( exec 9</proc/$sleeper/ns/net; echo > /tmp/ready; exec sleep 1000 ) & holder=$!
read -r _ < /tmp/ready
touch /run/netns/stale && ln -s /nowhere /run/netns/dangling
} >/dev/null 2>&1 || echo "setup failed"
echo "== list"; $R -j list 2>/dev/null
echo "== list-id"; $R -j list-id; $R -j list-id target-nsid 7
echo "== identify"; $R -j identify $sleeper
echo "== pids"; $R -j pids blue
echo "== inspect"; $R -j inspect blue; $R -j inspect /proc/$sleeper/ns/net
echo "== discover"; $R -j discover
echo "== prune"; $R -j prune --dry-run
echo "== monitor"
$R -j monitor > /tmp/mon & mon=$!
for i in $(seq 1 1000); do $R add "g$i"; $R delete "g$i"; grep -q '"delete"' /tmp/mon && break; done
kill $mon; wait $mon 2>/dev/null
grep -m2 . /tmp/mon
kill $holder $sleeper
"#,
    );
    // A line of its own: discover's command lines hold the script's text.
    assert!(!out.stdout.lines().any(|l| l == "setup failed"), "{}", out.stderr);
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md")).unwrap();
    let mut documented = std::collections::BTreeMap::new();
    for section in doc.split("\n## ").skip(1) {
        let (title, body) = section.split_once('\n').unwrap();
        let keys: std::collections::BTreeSet<String> = body
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split('`').next().map(str::to_string))
            .collect();
        documented.insert(title.trim().to_string(), keys);
    }
    let mut checked = 0;
    // Sections start at a line `== COMMAND` (discover's command lines hold the script's
    // text, but as JSON strings, on the JSON line).
    let mut sections: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in out.stdout.lines() {
        match line.strip_prefix("== ") {
            Some(cmd) => sections.push((cmd, Vec::new())),
            None => {
                if let Some((_, body)) = sections.last_mut() {
                    body.push(line);
                }
            }
        }
    }
    for (cmd, lines) in &sections {
        let (cmd, body) = (*cmd, lines.join("\n"));
        let mut seen = std::collections::BTreeSet::new();
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{cmd}: not JSON ({e}): {line}"));
            key_paths(&v, "", &mut seen);
        }
        assert!(!seen.is_empty(), "{cmd} printed no keys:\n{body}");
        if cmd == "discover" {
            assert!(seen.contains("fds[].fd"), "the fd holder was not found:\n{body}");
        }
        let doc_keys = documented
            .get(cmd)
            .unwrap_or_else(|| panic!("docs/json.md has no section `## {cmd}`"));
        let missing: Vec<&String> = seen.difference(doc_keys).collect();
        assert!(missing.is_empty(), "docs/json.md, ## {cmd}, lacks {missing:?}");
        checked += 1;
    }
    assert_eq!(checked, 8, "every command's JSON was checked:\n{}", out.stdout);
}

/// crates.io: the metadata a package page needs, no unused or test-only dependency among
/// the normal ones, and a package without CI files, bench results or other repository-only
/// files (but with what its tests read).
fn crate_metadata_and_package_contents() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let meta = Command::new(&cargo)
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .output()
        .unwrap();
    assert!(meta.status.success(), "{}", String::from_utf8_lossy(&meta.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout).unwrap();
    let pkg = &meta["packages"][0];
    for key in [
        "description",
        "license",
        "repository",
        "homepage",
        "readme",
        "rust_version",
    ] {
        assert!(pkg[key].is_string(), "Cargo.toml lacks {key}");
    }
    for key in ["keywords", "categories"] {
        assert!(
            pkg[key].as_array().is_some_and(|a| !a.is_empty()),
            "Cargo.toml lacks {key}"
        );
    }
    let deps = pkg["dependencies"].as_array().unwrap();
    let kind = |name: &str| deps.iter().find(|d| d["name"] == name).map(|d| d["kind"].clone());
    assert_eq!(kind("anyhow"), None, "anyhow is not used");
    // serde_json reads the container runtimes' state files (src/owners); tokio's macros and
    // thiserror are not used.
    assert_eq!(
        kind("serde_json"),
        Some(serde_json::Value::Null),
        "the library parses runtime state"
    );
    assert_eq!(kind("thiserror"), None, "thiserror is not used");
    if !root.join(".git").exists() {
        eprintln!("SKIPPED: not a git checkout; the package contents are not checked");
        return;
    }
    let list = Command::new(&cargo)
        .current_dir(root)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let warnings = String::from_utf8_lossy(&list.stderr);
    assert!(!warnings.contains("warning"), "cargo package warns:\n{warnings}");
    let list = String::from_utf8_lossy(&list.stdout);
    for f in list.lines() {
        assert!(
            !f.starts_with(".ci/") && !f.starts_with(".github/") && !f.starts_with(".cargo/") && !f.contains("bench"),
            "{f} must not be in the crate"
        );
    }
    for f in [
        "src/lib.rs",
        "src/bin/rnetns/shell/rnetns.bash",
        "README.md",
        "LICENSE",
        "tests/ecosystem.rs",
        "docs/json.md",
    ] {
        assert!(list.lines().any(|l| l == f), "{f} missing from the crate:\n{list}");
    }
}
