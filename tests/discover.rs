//! Black-box tests of `discover`, `prune` and `exists`, each in its own sandbox, and a
//! comparison of `discover` with `lsns -t net` for the namespaces both can see.

use crate::common::*;

use serde_json::Value;

crate::tests![
    discover_finds_every_holder,
    discover_agrees_with_lsns,
    discover_shows_nsids_and_runs_unprivileged,
    prune_removes_only_stale_entries,
    prune_reports_failed_unlink,
    prune_without_rundir,
    exists_codes,
    prune_spares_adds_in_progress,
];

/// The sections of a script's output: `@@ NAME` on a line of its own starts one. (Raw
/// newlines never occur inside discover's JSON strings or table cells, so the script's own
/// text, pid 1's command line, cannot fake a marker.)
fn section<'a>(out: &'a str, name: &str) -> &'a str {
    let head = format!("@@ {name}\n");
    let start = if out.starts_with(&head) {
        0
    } else {
        out.find(&format!("\n{head}"))
            .unwrap_or_else(|| panic!("no section {name} in:\n{out}"))
            + 1
    } + head.len();
    let body = &out[start..];
    &body[..body.find("\n@@ ").map_or(body.len(), |i| i + 1)]
}

fn by_inode(list: &Value, ino: u64) -> &Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|o| o["inode"] == ino)
        .unwrap_or_else(|| panic!("inode {ino} not discovered: {list:#}"))
}

fn has_str(v: &Value, s: &str) -> bool {
    v.as_array().unwrap().iter().any(|x| x == s)
}

const SETUP: &str = r#"
$R add a
touch /tmp/nsfile; unshare --net=/tmp/nsfile true
mkdir -p /run/docker/netns; touch "/run/docker/netns/with space"; unshare --net="/run/docker/netns/with space" true
in_new_netns P
in_new_netns Q
exec 9</proc/$Q/ns/net; sleep infinity & H=$!; exec 9<&-
kill $Q; wait $Q 2>/dev/null
F=$(ready_fifo)
python3 -c '
import ctypes, sys, threading, time
def f():
    ctypes.CDLL(None).unshare(0x40000000)
    open(sys.argv[1], "w").write("unshared\n")
    time.sleep(3600)
threading.Thread(target=f, daemon=True).start()
time.sleep(3600)' "$F" & PY=$!
await_ready "$F"
touch /run/netns/stale; ln -s /nonexistent /run/netns/dangling; mkdir /run/netns/dir
ln -s /tmp/nsfile /run/netns/viafile
for t in /proc/$PY/task/*; do
  [ "$(readlink $t/ns/net)" != "$(readlink /proc/$PY/ns/net)" ] && TID=${t##*/}
done
echo "TID=$TID"; echo "THREAD=$(stat -L -c %i /proc/$PY/task/$TID/ns/net)"
echo "P=$P"; echo "H=$H"; echo "PY=$PY"
echo "A=$(stat -L -c %i /run/netns/a)"
echo "FILE=$(stat -L -c %i /tmp/nsfile)"
echo "DOCKER=$(stat -L -c %i "/run/docker/netns/with space")"
echo "PROC=$(stat -L -c %i /proc/$P/ns/net)"
echo "FD=$(stat -L -c %i /proc/$H/fd/9)"
echo "SELF=$(stat -L -c %i /proc/self/ns/net)"
"#;

const TEARDOWN: &str = "kill $P $H $PY; wait 2>/dev/null";

fn discover_finds_every_holder() {
    require_root();
    let out = sandbox(&format!(
        "{SETUP}\necho '@@ json'; $R -j discover; echo \"rc=$?\"\necho '@@ text'; $R discover\n\
         echo '@@ pretty'; $R -j -p discover\necho '@@ end'\n{TEARDOWN}"
    ));
    let o = &out.stdout;
    let json: Value = serde_json::from_str(section(o, "json").trim_end().trim_end_matches("rc=0").trim())
        .unwrap_or_else(|e| panic!("{e}: {o}\n{}", out.stderr));
    let pretty: Value = serde_json::from_str(section(o, "pretty")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), pretty.as_array().unwrap().len());

    let a = by_inode(&json, var_num(o, "A"));
    assert_eq!(a["names"], serde_json::json!(["a"]), "{a}");
    assert_eq!(
        a["mounts"],
        serde_json::json!([]),
        "a run-dir entry is a name, not a mount: {a}"
    );
    let f = by_inode(&json, var_num(o, "FILE"));
    assert!(
        has_str(&f["mounts"], "/tmp/nsfile") && has_str(&f["names"], "viafile"),
        "{f}"
    );
    let d = by_inode(&json, var_num(o, "DOCKER"));
    assert!(
        has_str(&d["mounts"], "/run/docker/netns/with space"),
        "octal escape decoded: {d}"
    );
    let p = by_inode(&json, var_num(o, "PROC"));
    assert_eq!(p["pids"], serde_json::json!([var_num(o, "P")]), "{p}");
    assert_eq!(p["command"], "sleep infinity", "the command line, as lsns shows it");
    assert_eq!(p["comm"], "sleep");
    assert_eq!(p["nprocs"], 1);
    let h = by_inode(&json, var_num(o, "FD"));
    assert_eq!(h["pids"], serde_json::json!([]), "{h}");
    assert_eq!(h["fds"], serde_json::json!([{"pid": var_num(o, "H"), "fd": 9}]), "{h}");
    let t = by_inode(&json, var_num(o, "THREAD"));
    assert_eq!(t["tids"], serde_json::json!([var_num(o, "TID")]), "{t}");
    let me = by_inode(&json, var_num(o, "SELF"));
    assert_eq!(me["current"], true);
    assert_eq!(me["pids"][0], 1);
    assert!(
        me["pids"].as_array().unwrap().contains(&Value::from(var_num(o, "PY"))),
        "{me}"
    );
    assert_eq!(
        json.as_array().unwrap().iter().filter(|o| o["current"] == true).count(),
        1
    );
    for o in json.as_array().unwrap() {
        assert!(!has_str(&o["names"], "stale") && !has_str(&o["names"], "dangling") && !has_str(&o["names"], "dir"));
        assert!(o.get("nsid").is_none(), "no id assigned: {o}");
    }
    let inodes: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["inode"].as_u64().unwrap())
        .collect();
    assert!(inodes.windows(2).all(|w| w[0] < w[1]), "sorted by inode: {inodes:?}");

    let text = section(o, "text");
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    assert_eq!(
        head.split_whitespace().collect::<Vec<_>>(),
        ["NS", "NSID", "NPROCS", "PID", "OWNERS", "WHERE", "COMMAND"]
    );
    let (w, c) = (head.find("WHERE").unwrap(), head.find("COMMAND").unwrap());
    let row = |ino: u64| {
        text.lines()
            .find(|l| l.starts_with(&format!("net:[{ino}]")))
            .unwrap_or_else(|| panic!("no row {ino}:\n{text}"))
    };
    let place = |ino: u64| row(ino)[w..c].trim_end().to_string();
    assert_eq!(place(var_num(o, "A")), "a", "{text}");
    assert_eq!(place(var_num(o, "SELF")), "(current)", "{text}");
    assert_eq!(place(var_num(o, "DOCKER")), "/run/docker/netns/with space", "{text}");
    assert_eq!(place(var_num(o, "FD")), format!("(fd {}/9)", var_num(o, "H")), "{text}");
    assert!(row(var_num(o, "PROC")).ends_with(" sleep infinity"), "{text}");
    assert_eq!(lines.count(), inodes.len());
}

fn discover_agrees_with_lsns() {
    require_root();
    let out = sandbox(&format!(
        "{SETUP}\necho '@@ lsns'; lsns -t net -J -l -o NS,PID,NPROCS,COMMAND\necho '@@ json'; $R -j discover\n\
         echo '@@ end'\n{TEARDOWN}"
    ));
    let o = &out.stdout;
    let lsns: Value = serde_json::from_str(section(o, "lsns")).unwrap_or_else(|e| panic!("{e}: {o}"));
    let json: Value = serde_json::from_str(section(o, "json")).unwrap();
    let ours: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["inode"].as_u64().unwrap())
        .collect();
    let theirs = lsns["namespaces"].as_array().unwrap();
    assert!(theirs.len() >= 2, "{lsns}");
    for ns in theirs {
        let ino = ns["ns"].as_u64().unwrap();
        assert!(ours.contains(&ino), "lsns sees {ino}, discover does not: {json}");
        let d = by_inode(&json, ino);
        assert_eq!(d["pids"][0], ns["pid"], "lowest pid of {ino}");
        assert_eq!(d["command"], ns["command"], "the command line of {ino}");
        if d["current"] == false {
            // (The caller's own namespace also holds lsns, then rnetns: counts differ there.)
            assert_eq!(d["nprocs"], ns["nprocs"], "processes in {ino}");
        }
    }
    // Process-held namespaces: the same set (discover also sees thread-held ones).
    let with_procs: Vec<u64> = json
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["pids"].as_array().unwrap().is_empty())
        .map(|o| o["inode"].as_u64().unwrap())
        .collect();
    let mut lsns_set: Vec<u64> = theirs.iter().map(|n| n["ns"].as_u64().unwrap()).collect();
    lsns_set.sort();
    assert_eq!(with_procs, lsns_set);
}

fn discover_shows_nsids_and_runs_unprivileged() {
    require_root();
    let out = sandbox(
        r#"
$R add a; $R add b; $R set b 7
echo "B=$(stat -L -c %i /run/netns/b)"
echo '@@ root'; $R -j discover
echo '@@ text'; $R discover
echo '@@ user'; setpriv --reuid=65534 --regid=65534 --clear-groups $R -j discover; echo "@@ rc $?"
"#,
    );
    let o = &out.stdout;
    let json: Value = serde_json::from_str(section(o, "root")).unwrap_or_else(|e| panic!("{e}: {o}"));
    let b = by_inode(&json, var_num(o, "B"));
    assert_eq!(b["nsid"], 7, "{json}");
    assert_eq!(
        json.as_array()
            .unwrap()
            .iter()
            .filter(|o| o.get("nsid").is_some())
            .count(),
        1
    );
    let text = section(o, "text");
    let head = text.lines().next().unwrap();
    let (w, c) = (head.find("WHERE").unwrap(), head.find("COMMAND").unwrap());
    let row = text
        .lines()
        .find(|l| l.get(w..c).map(str::trim_end) == Some("b"))
        .unwrap();
    assert_eq!(row.split_whitespace().nth(1), Some("7"), "{text}");
    let user: Value = serde_json::from_str(section(o, "user")).unwrap_or_else(|e| panic!("{e}: {o}"));
    assert!(o.contains("@@ rc 0"), "{o}");
    // Unprivileged: names are still visible, the caller's own namespace is found.
    assert!(has_str(&by_inode(&user, var_num(o, "B"))["names"], "b"), "{user}");
    assert_eq!(
        user.as_array().unwrap().iter().filter(|o| o["current"] == true).count(),
        1
    );
}

const STALE: &str = r#"
$R add live
touch /run/netns/stale
touch -d '1 hour ago' /run/netns/old; chmod 000 /run/netns/old
install -m 000 /dev/null /run/netns/fresh
ln -s /nonexistent /run/netns/dangling
ln -s /run/netns/live /run/netns/tolive
ln -s /etc/passwd /run/netns/tofile
mkdir /run/netns/dir
touch /tmp/outside
"#;

fn lines(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.lines().collect();
    v.sort();
    v
}

fn prune_removes_only_stale_entries() {
    require_root();
    let out = sandbox(&format!(
        "{STALE}
echo '@@ dry'; $R prune --dry-run; echo \"rc=$?\"
echo '@@ state1'; state
echo '@@ json'; $R -j prune --dry-run
echo '@@ real'; $R prune; echo \"rc=$?\"
echo '@@ state2'; state; ls /tmp/outside
echo '@@ again'; $R prune; echo \"rc=$?\"
echo '@@ live'; $R exists live; echo \"rc=$?\"
echo '@@ end'"
    ));
    let o = &out.stdout;
    let want = ["prune dangling", "prune old", "prune stale", "rc=0"];
    assert_eq!(lines(section(o, "dry")), want, "{o}");
    assert_eq!(lines(section(o, "real")), want, "{o}");
    let s1 = section(o, "state1");
    for e in ["stale", "old", "dangling", "fresh", "live", "dir"] {
        assert!(s1.contains(&format!("entry: {e} ")), "dry run removed {e}: {s1}");
    }
    let s2 = section(o, "state2");
    for e in ["stale", "old", "dangling"] {
        assert!(!s2.contains(&format!("entry: {e} ")), "{e} kept: {s2}");
    }
    for e in [
        "live mounted",
        "fresh plain:0",
        "tolive symlink",
        "tofile symlink",
        "dir dir",
    ] {
        assert!(s2.contains(&format!("entry: {e}")), "{e} removed: {s2}");
    }
    assert!(s2.contains("/tmp/outside"));
    assert_eq!(section(o, "again").trim(), "rc=0");
    assert_eq!(section(o, "live").trim(), "rc=0");
    let json: Value = serde_json::from_str(section(o, "json")).unwrap();
    let mut names: Vec<(&str, &str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["kind"].as_str().unwrap(),
                p["action"].as_str().unwrap(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("dangling", "dangling-symlink", "dry-run"),
            ("old", "file", "dry-run"),
            ("stale", "file", "dry-run")
        ]
    );
}

fn prune_reports_failed_unlink() {
    require_root();
    let out = sandbox(
        "touch /run/netns/stale; mount -o remount,ro /run/netns
t $R prune
t $R -j prune",
    );
    assert_same(
        "### NETNS prune\nrc: 1\n--- out\n--- err\n\
Cannot remove namespace file \"/run/netns/stale\": Read-only file system\n--- end\n\
### NETNS -j prune\nrc: 1\n--- out\n\
[{\"name\":\"stale\",\"kind\":\"file\",\"action\":\"failed\",\"error\":\"Read-only file system\"}]\n--- err\n\
Cannot remove namespace file \"/run/netns/stale\": Read-only file system\n--- end\n",
        &out.stdout,
    );
}

fn prune_without_rundir() {
    require_root();
    let out = sandbox_with(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $R prune\nt $R prune --dry-run\nt $R -j prune",
    );
    assert_same(
        "### NETNS prune\nrc: 0\n--- out\n--- err\n--- end\n\
### NETNS prune --dry-run\nrc: 0\n--- out\n--- err\n--- end\n\
### NETNS -j prune\nrc: 0\n--- out\n[]\n--- err\n--- end\n",
        &out.stdout,
    );
}

fn exists_codes() {
    require_root();
    let out = sandbox(&format!(
        "{STALE}
touch /tmp/nsfile; unshare --net=/tmp/nsfile true
in_new_netns P
for x in live tolive stale old fresh dangling tofile dir missing /tmp/nsfile /proc/$P/ns/net \
    /proc/self/ns/net /proc/self/ns/mnt /tmp/outside /tmp/missing /run/netns/live /run/netns/dir 'a/b'; do
  $R exists \"$x\" >/tmp/o 2>&1; echo \"$x $? $(wc -c </tmp/o)\"
done | sed \"s|/proc/$P/|/proc/P/|\"
kill $P"
    ));
    assert_same(
        "live 0 0\ntolive 0 0\nstale 2 0\nold 2 0\nfresh 2 0\ndangling 2 0\ntofile 2 0\ndir 2 0\n\
missing 1 0\n/tmp/nsfile 0 0\n/proc/P/ns/net 0 0\n/proc/self/ns/net 0 0\n/proc/self/ns/mnt 2 0\n\
/tmp/outside 2 0\n/tmp/missing 1 0\n/run/netns/live 0 0\n/run/netns/dir 2 0\na/b 255 25\n",
        &out.stdout,
    );
}

/// prune next to adds in progress (rnetns's, which lock, and ip's, which do not): no add
/// may lose its entry.
fn prune_spares_adds_in_progress() {
    require_root();
    let out = sandbox(
        r#"
( for i in $(seq 60); do $R add r$i || echo "FAIL r$i"; ip netns add i$i || echo "FAIL i$i"; done ) & A=$!
while kill -0 $A 2>/dev/null; do $R prune >/dev/null || echo "PRUNE FAILED"; done
wait $A
for i in $(seq 60); do $R exists r$i || echo "LOST r$i"; $R exists i$i || echo "LOST i$i"; done
echo done
"#,
    );
    assert_eq!(out.stdout, "done\n", "{}", out.stderr);
}
