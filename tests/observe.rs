//! Black-box and differential tests of identify, pids and monitor, each in its own sandbox.

use crate::common::*;

crate::tests![
    identify_like_ip,
    identify_missing_and_unreadable_rundir_like_ip,
    pids_like_ip,
    deviation_json_identify_and_pids,
    path_targets_for_pids_and_identify,
    deviation_monitor_lines_flushed_when_killed,
    monitor_json_one_object_per_line,
    monitor_creates_rundir_without_mount_point_like_ip,
    regression_monitor_waits_on_after_rundir_removed_like_ip,
];

/// The PID a script announced with `echo "pid: $P"` (PIDs in the sandbox depend on how many
/// processes its set-up ran, so tests never hard-code them).
fn announced_pid(t: &str) -> &str {
    t.lines()
        .find_map(|l| l.strip_prefix("pid: "))
        .expect("the script announces its PID")
}

fn identify_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
in_new_netns P
t $N identify
$N attach one 1; $N attach two 1; $N add other
t $N identify
t $N identify 1
t $N identify 001
for w in abc -1 +1 self " " ""; do t $N identify "$w"; done
t $N identify 1 2
t $N identify 99999999
ln -s /proc/$P/ns/net /run/netns/proc
t $N identify $P
kill $P
"#,
    );
    assert!(ip.contains("### NETNS identify 1\nrc: 0\n--- out\none\n"), "{ip}");
    assert!(ip.contains("Specified string 'abc' is not a pid\n"), "{ip}");
}

fn identify_missing_and_unreadable_rundir_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $N identify\nmkdir -m 700 /run/netns\nt $NB $N identify\nt $NB $N identify 1\n",
    );
}

fn pids_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
in_new_netns P
echo "pid: $P"
$N attach p $P; $N add empty; touch /run/netns/plain; ln -s /nowhere /run/netns/dang
t $N pids p
t $N pids empty
t $N pids plain
t $N pids dang
t $N pids nope
t $N pids
t $N pids p extra
t $NB $N pids p
t $NB $N identify $P
kill $P
"#,
    );
    let pid = announced_pid(&ip);
    assert!(
        ip.contains(&format!("### NETNS pids p\nrc: 0\n--- out\n{pid}\n")),
        "{ip}"
    );
}

fn deviation_json_identify_and_pids() {
    require_root();
    let out = sandbox(
        r#"
in_new_netns P
echo "pid: $P"
$R attach one $P; $R attach two $P; $R add e
t $R -j identify $P
t $R -j identify
t $R -j pids one
t $R -j pids e
t $R -j -p identify $P
kill $P
"#,
    );
    let s = &out.stdout;
    let pid = announced_pid(s);
    let names: serde_json::Value = serde_json::from_str(record(s, &format!("NETNS -j identify {pid}")).out).unwrap();
    assert_eq!(names, serde_json::json!([{"name": "two"}, {"name": "one"}]));
    assert_eq!(record(s, "NETNS -j identify").out, "[]\n");
    let pids: serde_json::Value = serde_json::from_str(record(s, "NETNS -j pids one").out).unwrap();
    assert_eq!(pids, serde_json::json!([{"pid": pid.parse::<u32>().unwrap()}]));
    assert_eq!(record(s, "NETNS -j pids e").out, "[]\n");
    let pretty = record(s, &format!("NETNS -j -p identify {pid}")).out;
    assert!(
        pretty.starts_with("[ {\n        \"name\": \"two\"\n    },{"),
        "{pretty}"
    );
}

fn path_targets_for_pids_and_identify() {
    require_root();
    let out = sandbox(
        r#"
in_new_netns P
echo "pid: $P"
$R attach p $P
t $R pids /proc/$P/ns/net
t $R pids /run/netns/p
touch /tmp/f; unshare --net=/tmp/f true
t $R pids /tmp/f
t $R identify /proc/$P/ns/net
kill $P
"#,
    );
    let s = &out.stdout;
    let pid = announced_pid(s);
    let line = format!("{pid}\n");
    assert_eq!(record(s, &format!("NETNS pids /proc/{pid}/ns/net")).out, line, "{s}");
    assert_eq!(record(s, "NETNS pids /run/netns/p").out, line, "{s}");
    assert!(
        s.contains("### NETNS pids /tmp/f\nrc: 0\n--- out\n--- err\n--- end"),
        "{s}"
    );
}

/// Run-dir events, once the monitor started as `$M` watches; then wait for its 8 lines.
const EVENTS: &str = r#"
await_watch $M
$R add a
touch /run/netns/f
mkdir /run/netns/d
ln -s /nowhere /run/netns/l
mv /run/netns/f /run/netns/g
rm /run/netns/g; rmdir /run/netns/d; rm /run/netns/l
$R delete a
await_lines /tmp/out 8
"#;

fn deviation_monitor_lines_flushed_when_killed() {
    require_root();
    let out = sandbox(&format!(
        "timeout 20 $R monitor extra > /tmp/out & M=$!\n{EVENTS}kill -TERM $M; wait $M; echo rc=$?\ncat /tmp/out\n"
    ));
    assert_eq!(
        out.stdout,
        "rc=143\nadd a\nadd f\nadd d\nadd l\ndelete g\ndelete d\ndelete l\ndelete a\n"
    );
}

fn monitor_json_one_object_per_line() {
    require_root();
    let out = sandbox(&format!(
        "timeout 20 $R -j monitor > /tmp/out & M=$!\n{EVENTS}kill $M; wait $M; echo rc=$?\ncat /tmp/out\n"
    ));
    let (rc, json) = out.stdout.split_once('\n').expect("an rc line");
    assert_eq!(rc, "rc=143", "{}", out.stdout);
    let lines: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 8, "{}", out.stdout);
    assert_eq!(lines[0], serde_json::json!({"event": "add", "name": "a"}));
    assert_eq!(lines[7], serde_json::json!({"event": "delete", "name": "a"}));
}

fn monitor_creates_rundir_without_mount_point_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
timeout 20 $N monitor >/tmp/out 2>&1 & M=$!
await_watch $M; kill $M; wait $M; echo "monitor rc=$?"; cat /tmp/out
state
stat -c %a /run/netns
findmnt /run/netns || echo not a mount point
"#,
    );
}

fn regression_monitor_waits_on_after_rundir_removed_like_ip() {
    require_root();
    // ip's watch dies silently with the run dir and ip waits until it is killed (spec S094);
    // rnetns used to say so and exit 1.
    let ip = like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
timeout 20 $N monitor > /tmp/out 2> /tmp/err & M=$!
await_watch $M
rmdir /run/netns
mkdir /run/netns
touch /run/netns/late
# rmdir woke the watcher; once it sleeps in read again it has seen the event and waits on.
await_inotify_read $WATCHER
kill $M; wait $M; echo rc=$?
cat /tmp/out /tmp/err
"#,
    );
    assert_eq!(ip.trim_end(), "rc=143", "still waiting when killed, nothing printed");
}
