//! Sandboxes for the black-box tests. Every privileged test runs its script under
//! `unshare --mount --net --pid --fork --mount-proc --propagation private` with private
//! tmpfs mounts on /run (and /run/netns), /tmp, and an overlay on /etc, so it never touches
//! the host's namespaces, /run/netns or /etc, and tests can run in parallel.
//!
//! In the script: `$R` is the rnetns binary; `t ARGS...` runs one command and writes a
//! transcript record (command, status, stdout, stderr); `state` describes /run/netns;
//! `$NB` is a setpriv prefix that runs a command as uid 65534 without capabilities.
#![allow(dead_code)]

use std::process::Command;

/// The binary under test, as seen from outside a sandbox.
pub fn rnetns() -> &'static str {
    env!("CARGO_BIN_EXE_rnetns")
}

/// The build's target directory (the binary is `TARGET/PROFILE/rnetns`).
fn target_dir() -> &'static std::path::Path {
    let bin = std::path::Path::new(rnetns());
    bin.parent()
        .and_then(|p| p.parent())
        .expect("the binary lives in TARGET/PROFILE")
}

/// Where the target directory is inside a sandbox: it is bind-mounted at `/run/.target`
/// before /tmp is replaced, so the tests work wherever the checkout is (even under /tmp).
pub const SANDBOX_TARGET: &str = "/run/.target";

/// A path under the target directory (the binary, `CARGO_TARGET_TMPDIR` files) as a sandbox
/// sees it.
pub fn in_sandbox(path: &std::path::Path) -> String {
    let rel = path
        .strip_prefix(target_dir())
        .expect("a path under the target directory");
    format!("{SANDBOX_TARGET}/{}", rel.display())
}

/// The result of a sandboxed script.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// True when privileged tests can run. A skip is printed; under CI (CI=true) a missing root
/// is a failure, never a silent pass.
pub fn root() -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("privileged test needs root, and CI must run every privileged test");
    }
    eprintln!("SKIPPED: privileged test needs root");
    false
}

/// Sandbox options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    /// Start without /run/netns (tmpfs on /run only).
    pub no_rundir: bool,
}

const PRELUDE: &str = r#"
set -u
NB='setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all'
t() {
  local out err rc
  out=$(mktemp -p /tmp); err=$(mktemp -p /tmp)
  "$@" >"$out" 2>"$err" </dev/null; rc=$?
  local lbl="$*"
  if [ -n "${N:-}" ]; then lbl="${lbl//"$N"/NETNS}"; fi
  lbl="${lbl//"$R"/NETNS}"
  lbl="${lbl/#ip /NETNS }"; lbl="${lbl/ ip / NETNS }"
  printf '### %s\nrc: %s\n--- out\n' "$lbl" "$rc"
  cat "$out"
  printf -- '--- err\n'
  cat "$err"
  printf -- '--- end\n'
  rm -f "$out" "$err"
}
__mntid() { local id; exec 7<"$1" 2>/dev/null || return 1; id=$(awk '/^mnt_id:/{print $2}' /proc/self/fdinfo/7); exec 7<&-; echo "$id"; }
state() {
  if [ ! -d /run/netns ]; then echo "rundir: absent"; return; fi
  local rid f k eid
  rid=$(__mntid /run/netns)
  for f in /run/netns/* /run/netns/.[!.]*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    if [ -L "$f" ]; then k="symlink->$(readlink "$f")"
    elif [ -d "$f" ]; then k=dir
    else
      eid=$(__mntid "$f")
      if [ -n "$eid" ] && [ "$eid" != "$rid" ]; then k="mounted:$(stat -c %a "$f")"; else k="plain:$(stat -c %a "$f")"; fi
    fi
    echo "entry: ${f##*/} $k"
  done
  echo "mounts: $(awk '$5 ~ "^/run/netns/" {print $5}' /proc/self/mountinfo | sort | uniq -c | awk '{printf "%s%s*%s", s, $2, $1; s=" "}')"
}
"#;

fn setup(no_rundir: bool) -> String {
    let rundir = if no_rundir {
        ""
    } else {
        "mkdir -m 755 /run/netns && mount -t tmpfs -o mode=755 rnetns-test /run/netns\n"
    };
    format!(
        "set -e
mount --make-rprivate /
mount -t tmpfs -o mode=755 rnetns-run /run
mkdir {SANDBOX_TARGET} && mount --bind \"$RNETNS_TARGET\" {SANDBOX_TARGET}
{rundir}mount -t tmpfs -o mode=1777 rnetns-tmp /tmp
mkdir /tmp/.ovl && mount -t tmpfs rnetns-ovl /tmp/.ovl && mkdir /tmp/.ovl/u /tmp/.ovl/w
mount -t overlay overlay -o lowerdir=/etc,upperdir=/tmp/.ovl/u,workdir=/tmp/.ovl/w /etc
ip link set lo up 2>/dev/null || true
cd /tmp
set +e
"
    )
}

/// Run `script` in a fresh sandbox and return what it printed.
pub fn sandbox_with(opts: Opts, script: &str) -> Out {
    let r = in_sandbox(std::path::Path::new(rnetns()));
    let full = format!("{}{PRELUDE}\nR={r}\n{script}\n", setup(opts.no_rundir));
    let out = Command::new("unshare")
        .args([
            "--mount",
            "--net",
            "--pid",
            "--fork",
            "--mount-proc",
            "--propagation",
            "private",
            "bash",
            "-c",
            &full,
        ])
        .env("R", &r)
        .env("RNETNS_TARGET", target_dir())
        .output()
        .expect("unshare runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// [`sandbox_with`] with the default options.
pub fn sandbox(script: &str) -> Out {
    sandbox_with(Opts::default(), script)
}

/// Run the same script with `$N` = `ip netns` and with `$N` = rnetns in twin sandboxes and
/// return both transcripts, normalised where rnetns names itself (usage text, help hint).
pub fn differential(opts: Opts, script: &str) -> (String, String) {
    let ip = sandbox_with(opts, &format!("N='ip netns'; IP='ip'\n{script}"));
    let rn = sandbox_with(opts, &format!("N=\"$R\"; IP=\"$R\"\n{script}"));
    (normalise(&ip.stdout), normalise(&rn.stdout))
}

/// Run `script` differentially, assert both transcripts are the same, return ip's.
#[track_caller]
pub fn like_ip(opts: Opts, script: &str) -> String {
    let (ip, rn) = differential(opts, script);
    assert_same(&ip, &rn);
    ip
}

/// Usage text is each tool's own: compare only that it is usage. rnetns says `rnetns help`
/// where ip says `ip netns help` (or `ip help` for an unknown object in a batch line).
pub fn normalise(t: &str) -> String {
    let mut out = Vec::new();
    let mut in_usage = false;
    for line in t.lines() {
        if line.starts_with("Usage:") {
            in_usage = true;
            out.push("<usage>".to_string());
            continue;
        }
        if in_usage {
            if line == "--- end" || line == "--- err" {
                in_usage = false;
            } else {
                continue;
            }
        }
        out.push(
            line.replace("\"rnetns help\"", "\"ip netns help\"")
                .replace("\"rnetns -help\"", "\"ip -help\""),
        );
    }
    out.join("\n")
}

/// Assert equality with a readable diff of the lines that differ.
#[track_caller]
pub fn assert_same(want: &str, got: &str) {
    if want != got {
        let w: Vec<_> = want.lines().collect();
        let g: Vec<_> = got.lines().collect();
        let mut diff = String::new();
        for i in 0..w.len().max(g.len()) {
            let (a, b) = (
                w.get(i).copied().unwrap_or("<none>"),
                g.get(i).copied().unwrap_or("<none>"),
            );
            if a != b {
                diff.push_str(&format!("line {}:\n  want: {a:?}\n  got:  {b:?}\n", i + 1));
            }
        }
        panic!("transcripts differ:\n{diff}\n--- want ---\n{want}\n--- got ---\n{got}");
    }
}
