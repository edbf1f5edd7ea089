//! The kill and error sweeps (issue 15): for add, attach, delete, `-all delete`, set and a
//! batch, every syscall point of one run is found with `strace -f`, and then, one run per
//! point, the process is killed (SIGKILL) or the syscall fails (EIO) there. After each run
//! the run dir must be consistent: every entry a live namespace mounted once, or (only where
//! a kill can leave it, as with ip) the empty mode-000 placeholder of an add that `prune`
//! removes; never a stacked mount or anything else; no panic (101), abort (134) or hang.
//!
//! A point is `SYSCALL:K`, the K-th call of SYSCALL by one thread (strace counts `when=` per
//! thread); the runs inject `inject=SYSCALL:signal=KILL:when=K` (the call is made, then the
//! process dies before the call is made) or `inject=SYSCALL:error=EIO:when=K` (the call
//! fails without being made; not for futex, exit, exit_group, execve, rt_sigreturn).

use crate::common::*;

crate::tests![
    sweep_add,
    sweep_attach,
    sweep_delete,
    sweep_all_delete,
    sweep_set,
    sweep_batch,
];

const LIB: &str = r#"
reset() {
  local f
  for f in /run/netns/* /run/netns/.[!.]*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    while umount -l "$f" 2>/dev/null; do :; done
    rm -rf "$f"
  done
}
# One word per entry: NAME:L live (nsfs, mounted once), NAME:P placeholder (empty, mode 000,
# not mounted), NAME:S stacked mounts, NAME:O anything else.
summary() {
  local f n c k out=""
  for f in /run/netns/* /run/netns/.[!.]*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    n=${f##*/}
    c=$(awk -v p="$f" '$5 == p' /proc/self/mountinfo | wc -l)
    if [ "$c" -gt 1 ]; then k=S
    elif [ "$c" = 1 ] && [ "$(stat -f -c %T "$f")" = nsfs ]; then k=L
    elif [ "$c" = 0 ] && [ -f "$f" ] && [ ! -L "$f" ] && [ "$(stat -c %a:%s "$f")" = 0:0 ]; then k=P
    else k=O; fi
    out="$out $n:$k"
  done
  echo "${out# }"
}
points() {
  awk '$2 ~ /^[a-z_0-9]+\(/ { s = $2; sub(/\(.*/, "", s); k = $1 " " s; n[k]++; p = s ":" n[k]; if (!(p in seen)) { seen[p] = 1; print p } }' "$1"
}
# sweep SETUP CMD...: one line per point and mode: `MODE SYSCALL:K rc=RC STATE`.
sweep() {
  local setup=$1; shift
  reset; eval "$setup"; strace -f -qq -o /tmp/log "$@" >/dev/null 2>&1
  local p s k rc
  for p in $(points /tmp/log); do
    s=${p%:*}; k=${p#*:}
    reset; eval "$setup"
    timeout 10 strace -f -qq -o /dev/null -e inject=$s:signal=KILL:when=$k "$@" >/dev/null 2>&1; rc=$?
    echo "kill $p rc=$rc $(summary)"
    # No error where the kernel has none to give (futex: std aborts on an impossible futex
    # error by design) or where a call cannot fail and return (exit, execve of the command).
    case $s in execve|exit|exit_group|rt_sigreturn|futex) continue ;; esac
    reset; eval "$setup"
    timeout 10 strace -f -qq -o /dev/null -e inject=$s:error=EIO:when=$k "$@" >/dev/null 2>&1; rc=$?
    echo "error $p rc=$rc $(summary)"
  done
}
"#;

/// One sweep's lines, checked: `placeholder_ok(mode, point)` says where a placeholder may
/// be left. Returns the number of runs (printed with the runs that left a placeholder).
#[track_caller]
fn check(out: &str, allowed: &[&str], placeholder_ok: impl Fn(&str, &str) -> bool) -> usize {
    let mut runs = 0;
    for line in out.lines() {
        let mut f = line.split(' ');
        let (mode, point, rc) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        runs += 1;
        for bad in ["rc=101", "rc=134", "rc=124"] {
            assert!(rc != bad, "{line}: panic, abort or hang\n{out}");
        }
        for entry in f.filter(|e| !e.is_empty()) {
            let (name, kind) = entry.split_once(':').expect("NAME:KIND");
            assert!(allowed.contains(&name), "{line}: unexpected entry {name}\n{out}");
            match kind {
                "L" => {}
                "P" => assert!(placeholder_ok(mode, point), "{line}: half-made entry\n{out}"),
                _ => panic!("{line}: inconsistent entry {entry}\n{out}"),
            }
        }
    }
    assert!(runs > 20, "too few points:\n{out}");
    let left: Vec<_> = out
        .lines()
        .filter(|l| l.contains(":P"))
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    eprintln!("{runs} runs; placeholder left by: {left:?}");
    runs
}

#[track_caller]
fn sweep(setup: &str, cmd: &str) -> String {
    let out = sandbox(&format!("{LIB}\nsweep '{setup}' {cmd}\n"));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    out.stdout
}

/// A kill between an add's O_EXCL create and its bind mount leaves the placeholder (ip's
/// window too; `prune` repairs it); a failure never does unless its cleanup failed too.
fn add_window(mode: &str, point: &str) -> bool {
    mode == "kill" || point.starts_with("unlink")
}

/// delete's one kill window per entry, as ip's: after the umount2, before the unlink (a
/// SIGKILL at a syscall's entry kills before the call is made).
fn delete_window(mode: &str, point: &str) -> bool {
    mode == "kill" && point.starts_with("unlink:")
}

fn sweep_add() {
    require_root();
    let out = sweep("", "$R add x");
    eprintln!("add: {} runs", check(&out, &["x"], add_window));
}

fn sweep_attach() {
    require_root();
    let out = sweep("", "$R attach x 1");
    eprintln!("attach: {} runs", check(&out, &["x"], add_window));
}

fn sweep_delete() {
    require_root();
    let out = sweep("$R add x", "$R delete x");
    eprintln!("delete: {} runs", check(&out, &["x"], delete_window));
}

fn sweep_all_delete() {
    require_root();
    let out = sweep("$R add a; $R add b; $R add c", "$R -all delete");
    eprintln!("-all delete: {} runs", check(&out, &["a", "b", "c"], delete_window));
}

fn sweep_set() {
    require_root();
    let out = sweep("$R add x", "$R set x 7");
    let runs = check(&out, &["x"], |_, _| false);
    for line in out.lines() {
        assert!(line.ends_with(" x:L"), "{line}\n{out}");
    }
    eprintln!("set: {runs} runs");
}

fn sweep_batch() {
    require_root();
    let out = sweep(
        "printf \"add a\\nadd b\\ndelete a\\nset b 3\\n\" >/run/b",
        "$R -batch /run/b",
    );
    let runs = check(&out, &["a", "b"], |m, p| add_window(m, p) || delete_window(m, p));
    eprintln!("batch: {runs} runs");
}
