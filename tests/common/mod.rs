//! Sandboxes for the black-box tests. Every privileged test runs its script under
//! `unshare --mount --net --pid --fork --mount-proc --propagation private` with private
//! tmpfs mounts on /run (and /run/netns), /tmp, and an overlay on /etc, so it never touches
//! the host's namespaces, /run/netns or /etc, and tests can run in parallel.
//!
//! In the script: `$R` is the rnetns binary; `t ARGS...` runs one command and writes a
//! transcript record (command, status, stdout, stderr); `state` describes /run/netns;
//! `$NB` is a setpriv prefix that runs a command as uid 65534 without capabilities.
//! [`record`], [`records`], [`pieces`] and [`text_after`] read such transcripts back
//! ([`Record`]: label, rc, stdout, stderr).
//!
//! A test starts with [`require_root`] if it needs root: not root, the harness reports it
//! ignored; with `CI` set it fails. (`if !root() { return; }` still works the same way.)
//!
//! ## Waiting in scripts: for facts, never for time
//! No script sleeps "long enough" for something to happen: it waits for the fact, polling
//! at most 20 s (a limit only a broken build reaches); a wait that gives up prints
//! `WAIT_FAILED: ...`, which fails the test. `timeout N` stays as a hang guard only.
//! - `in_new_netns VAR [CMD...]`: start CMD (default `sleep infinity`) in a new network
//!   namespace in the background; VAR is its PID, already in that namespace when the helper
//!   returns (the child writes to a FIFO after unsharing, then execs CMD: same PID).
//! - `F=$(ready_fifo)` / `await_ready "$F"`: a handshake; the waited-for process writes a
//!   line to `$F` once it is ready (for example `sh -c 'echo >"$0"; exec CMD' "$F"`).
//! - `wait_until WHAT CMD...`: until CMD succeeds (e.g. `wait_until x test -e /run/netns/x`).
//! - `await_watch PID`: until PID or a descendant holds an inotify watch (read from
//!   /proc/*/fdinfo); sets `WATCHER` to that process. Start monitors, then await_watch,
//!   then make the events.
//! - `await_inotify_read PID`, `await_blocked PID WCHAN`: until PID sleeps in the kernel at
//!   WCHAN (a glob on /proc/PID/wchan): a watcher back in read (ip) or poll (rnetns) has
//!   handled every event so far.
//! - `await_lines FILE N`: until FILE has N lines (a monitor's output).
//! - `children_of VAR PID`: VAR = PID's first child once it has forked (a `timeout` or
//!   `strace` wrapper's command).
//!
//! Every sandbox also runs under a hang guard (`timeout -k 5 300`, `unshare --kill-child`):
//! a script still running after 5 minutes is killed and its test fails.
#![allow(dead_code)]

pub mod harness;

use std::process::Command;

pub use harness::{require_example, require_root};

crate::tests![
    transcript_pieces_and_records,
    waits_fail_loudly,
    hang_guard_ends_a_stuck_sandbox
];

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

/// The older spelling of [`require_root`], kept so that `if !root() { return; }` still works:
/// it returns true or does not return (not root: the test is reported ignored; under CI it
/// fails). New tests call `require_root();`.
#[track_caller]
pub fn root() -> bool {
    require_root();
    true
}

/// Sandbox options.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opts {
    /// Start without /run/netns (tmpfs on /run only).
    pub no_rundir: bool,
    /// Seconds before the hang guard ends the sandbox (default [`HANG_GUARD_SECS`]).
    pub hang_guard: Option<u32>,
}

/// No test script runs this long: the sandbox is then killed and the test fails.
pub const HANG_GUARD_SECS: u32 = 300;

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
# Waiting for facts, never for time (see the module docs). Each wait gives up after 20 s
# with WAIT_FAILED, which makes the test fail (sandbox_with looks for it).
__wait_failed() { echo "WAIT_FAILED: $*"; echo "WAIT_FAILED: $*" >&2; }
wait_until() { # wait_until WHAT CMD...: until CMD succeeds
  local what=$1 end=$((SECONDS + 20)); shift
  until "$@"; do
    if [ "$SECONDS" -ge "$end" ]; then __wait_failed "$what"; return 1; fi
    sleep 0.02
  done
}
ready_fifo() { local f; f=$(mktemp -u -p /tmp ready.XXXXXX); mkfifo "$f"; echo "$f"; }
await_ready() { # await_ready FIFO: until a process writes a line into FIFO
  timeout 20 head -n 1 "$1" >/dev/null || __wait_failed "handshake on $1"
  rm -f "$1"
}
in_new_netns() { # in_new_netns VAR [CMD...]: VAR=PID of CMD (default sleep infinity), in its own netns
  local __v=$1 __f; shift; __f=$(ready_fifo)
  [ $# -gt 0 ] || set -- sleep infinity
  unshare -n sh -c 'echo >"$0"; exec "$@"' "$__f" "$@" &
  printf -v "$__v" %s $!
  await_ready "$__f"
}
__tree() { local p c; for p in "$@"; do echo "$p"; for c in $(cat /proc/$p/task/*/children 2>/dev/null); do __tree "$c"; done; done; }
__watcher() { local p; for p in $(__tree "$1"); do grep -qs '^inotify wd:' /proc/$p/fdinfo/* && { echo "$p"; return 0; }; done; return 1; }
await_watch() { # await_watch PID: until PID or a descendant has an inotify watch; WATCHER=its PID
  wait_until "an inotify watch under $1" __watcher "$1" >/dev/null && WATCHER=$(__watcher "$1")
}
__idle() {
  local w; w=$(cat /proc/$1/wchan 2>/dev/null) || return 1
  # shellcheck disable=SC2254
  case $w in $2) [ "$(awk '{print $3}' /proc/$1/stat)" = S ] ;; *) return 1 ;; esac
}
await_blocked() { # await_blocked PID WCHAN: until PID sleeps in a kernel function matching WCHAN
  wait_until "$1 blocked in $2" __idle "$1" "$2"
}
__watch_idle() { __idle "$1" wait_woken || __idle "$1" 'poll_schedule_timeout*'; }
# A watcher waiting for events: in read (ip), or in poll on its inotify fd and the mount
# table (rnetns, which holds an add's placeholder back until it is mounted).
await_inotify_read() { wait_until "$1 waiting for events" __watch_idle "$1"; }
await_lines() { # await_lines FILE N: until FILE has N lines
  wait_until "$2 lines in $1" sh -c '[ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ]' sh "$1" "$2"
}
__child() { local c; c=$(cat "/proc/$1/task/$1/children" 2>/dev/null) && echo "${c%% *}"; }
__has_child() { [ -n "$(__child "$1")" ]; }
children_of() { # children_of VAR PID: VAR=PID's (first) child, once it has forked one
  wait_until "a child of $2" __has_child "$2"
  printf -v "$1" %s "$(__child "$2")"
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
    // Hang guard. The sandbox's shell is pid 1 of its pid namespace, which ignores SIGTERM,
    // and unshare ignores it while it waits: only the SIGKILL of `-k` ends them (unshare's
    // --kill-child takes the sandbox with it). A SIGTERM still reaches the script's
    // current command first (timeout signals its process group).
    let guard = opts.hang_guard.unwrap_or(HANG_GUARD_SECS).to_string();
    let out = Command::new("timeout")
        .args([
            "-k",
            "5",
            &guard,
            "unshare",
            "--kill-child",
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
    // timeout's status 124 after its SIGTERM, or timeout itself killed by its SIGKILL (it
    // signals its whole process group).
    use std::os::unix::process::ExitStatusExt;
    assert!(
        !matches!(out.status.code(), Some(124 | 137)) && out.status.signal() != Some(libc::SIGKILL),
        "the sandbox ran past its hang guard ({guard} s):\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    // A line of its own (the script's text, pid 1's command line, shows in discover's output).
    let gave_up = |t: &str| t.lines().any(|l| l.starts_with("WAIT_FAILED: "));
    assert!(
        !gave_up(&out.stdout) && !gave_up(&out.stderr),
        "a wait in the script gave up (20 s):\n--- stdout\n{}\n--- stderr\n{}",
        out.stdout,
        out.stderr
    );
    out
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

/// One record of a transcript, as the prelude's `t` writes it:
/// `### LABEL\nrc: N\n--- out\nSTDOUT--- err\nSTDERR--- end\n` (STDOUT and STDERR verbatim,
/// so without a final newline when the command printed none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The record's exact text (`--- end` with its newline if the transcript has one).
    pub raw: &'a str,
    pub label: &'a str,
    pub rc: i32,
    pub out: &'a str,
    pub err: &'a str,
}

/// A transcript cut into records and the text between them (what the script printed itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Record(Record<'a>),
}

impl<'a> Record<'a> {
    /// Parse the record at the start of `s` (which begins with `### `); return it and the rest.
    fn parse(s: &'a str) -> Option<(Record<'a>, &'a str)> {
        let (label, rest) = s.strip_prefix("### ")?.split_once('\n')?;
        let (rc, rest) = rest.strip_prefix("rc: ")?.split_once('\n')?;
        let rest = rest.strip_prefix("--- out\n")?;
        let (out, rest) = rest.split_once("--- err\n")?;
        let (err, rest) = match rest.split_once("--- end\n") {
            Some(x) => x,
            None => (rest.strip_suffix("--- end")?, ""),
        };
        let rc = rc.parse().ok()?;
        let raw = &s[..s.len() - rest.len()];
        Some((
            Record {
                raw,
                label,
                rc,
                out,
                err,
            },
            rest,
        ))
    }

    /// The record's text without its label line and `--- end`, as tests quote it:
    /// `rc: N\n--- out\nSTDOUT--- err\nSTDERR`.
    pub fn body(&self) -> String {
        format!("rc: {}\n--- out\n{}--- err\n{}", self.rc, self.out, self.err)
    }

    /// The record with another stderr, in the same layout as `raw`.
    pub fn with_err(&self, err: &str) -> String {
        let nl = if self.raw.ends_with('\n') { "\n" } else { "" };
        format!(
            "### {}\nrc: {}\n--- out\n{}--- err\n{err}--- end{nl}",
            self.label, self.rc, self.out
        )
    }
}

/// Cut a transcript into pieces: every `### ` line that starts a well-formed record begins one.
pub fn pieces(t: &str) -> Vec<Piece<'_>> {
    let mut v = Vec::new();
    let (mut pos, mut text_start) = (0, 0);
    while pos < t.len() {
        let rest = &t[pos..];
        if let Some((r, after)) = Record::parse(rest) {
            if text_start < pos {
                v.push(Piece::Text(&t[text_start..pos]));
            }
            v.push(Piece::Record(r));
            pos = t.len() - after.len();
            text_start = pos;
        } else {
            pos += rest.find('\n').map_or(rest.len(), |i| i + 1);
        }
    }
    if text_start < t.len() {
        v.push(Piece::Text(&t[text_start..]));
    }
    v
}

/// Every record of a transcript, in order.
pub fn records(t: &str) -> Vec<Record<'_>> {
    pieces(t)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Record(r) => Some(r),
            Piece::Text(_) => None,
        })
        .collect()
}

/// The value of a `KEY=VALUE` line a script printed (panics with the output if there is
/// none).
#[track_caller]
pub fn var<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no {key} in:\n{out}"))
}

/// [`var`] as a number.
#[track_caller]
pub fn var_num(out: &str, key: &str) -> u64 {
    let v = var(out, key);
    v.trim().parse().unwrap_or_else(|_| panic!("{key}={v}"))
}

/// The first record labelled exactly `label` (panics with the transcript if there is none).
#[track_caller]
pub fn record<'a>(t: &'a str, label: &str) -> Record<'a> {
    records(t)
        .into_iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no record {label:?} in:\n{t}"))
}

/// The text a script printed between the record labelled `label` and the next record (for
/// example a `state` after a `t` command); empty if there is none.
#[track_caller]
pub fn text_after<'a>(t: &'a str, label: &str) -> &'a str {
    let p = pieces(t);
    let i = p
        .iter()
        .position(|p| matches!(p, Piece::Record(r) if r.label == label))
        .unwrap_or_else(|| panic!("no record {label:?} in:\n{t}"));
    match p.get(i + 1) {
        Some(Piece::Text(s)) => s,
        _ => "",
    }
}

fn transcript_pieces_and_records() {
    let t = "state 1\n### a b\nrc: 0\n--- out\nx\n--- err\n--- end\nmid\n\
             ### c\nrc: 255\n--- out\nno newline--- err\ne\n--- end";
    let p = pieces(t);
    assert_eq!(p.len(), 4, "{p:?}");
    assert_eq!(p[0], Piece::Text("state 1\n"));
    assert_eq!(p[2], Piece::Text("mid\n"));
    let a = record(t, "a b");
    assert_eq!((a.rc, a.out, a.err), (0, "x\n", ""));
    assert_eq!(a.body(), "rc: 0\n--- out\nx\n--- err\n");
    let c = record(t, "c");
    assert_eq!((c.rc, c.out, c.err), (255, "no newline", "e\n"));
    assert_eq!(c.with_err(""), "### c\nrc: 255\n--- out\nno newline--- err\n--- end");
    assert_eq!(text_after(t, "a b"), "mid\n");
    assert_eq!(text_after(t, "c"), "");
    let rebuilt: String = p
        .iter()
        .map(|p| match p {
            Piece::Text(s) => *s,
            Piece::Record(r) => r.raw,
        })
        .collect();
    assert_eq!(rebuilt, t);
}

/// A script that never ends (a loop in the sandbox's pid-1 shell, which no SIGTERM ends) is
/// killed by the hang guard and fails the test (here with a 1 s guard instead of 300 s).
/// Only the guard's message is asserted: what the script printed by then depends on how long
/// the sandbox took to set up.
fn hang_guard_ends_a_stuck_sandbox() {
    require_root();
    let out = std::panic::catch_unwind(|| {
        sandbox_with(
            Opts {
                hang_guard: Some(1),
                ..Opts::default()
            },
            "while :; do sleep 0.01; done",
        )
    });
    let msg = out.expect_err("the sandbox helper fails the test");
    let msg = msg.downcast_ref::<String>().expect("a message");
    assert!(msg.contains("ran past its hang guard (1 s)"), "{msg}");
}

/// A wait that never sees its fact fails the test (here with a 1 s limit instead of 20 s).
fn waits_fail_loudly() {
    require_root();
    let out = std::panic::catch_unwind(|| {
        sandbox(
            "wait_until() { local what=$1; shift; \"$@\" || __wait_failed \"$what\"; }\nwait_until never false\necho after",
        )
    });
    let msg = out.expect_err("the sandbox helper fails the test");
    let msg = msg.downcast_ref::<String>().expect("a message");
    assert!(msg.contains("WAIT_FAILED: never") && msg.contains("after"), "{msg}");
}
