//! Black-box and differential tests of identify, pids and monitor, each in its own sandbox.

mod common;
use common::*;

/// The PID a script announced with `echo "pid: $P"` (PIDs in the sandbox depend on how many
/// processes its set-up ran, so tests never hard-code them).
fn announced_pid(t: &str) -> &str {
    t.lines()
        .find_map(|l| l.strip_prefix("pid: "))
        .expect("the script announces its PID")
}

/// The stdout of the record labelled `label` in a transcript.
fn record_out<'a>(t: &'a str, label: &str) -> &'a str {
    let start = t.find(&format!("### {label}\n")).expect("record present");
    let rest = &t[start..];
    let out = rest.find("--- out\n").unwrap() + 8;
    let end = rest.find("--- err\n").unwrap();
    &rest[out..end]
}

#[test]
fn identify_like_ip() {
    if !root() {
        return;
    }
    let ip = like_ip(
        Opts::default(),
        r#"
unshare -n sleep 30 & P=$!
sleep 0.3
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

#[test]
fn identify_missing_and_unreadable_rundir_like_ip() {
    if !root() {
        return;
    }
    like_ip(
        Opts { no_rundir: true },
        "t $N identify\nmkdir -m 700 /run/netns\nt $NB $N identify\nt $NB $N identify 1\n",
    );
}

#[test]
fn pids_like_ip() {
    if !root() {
        return;
    }
    let ip = like_ip(
        Opts::default(),
        r#"
unshare -n sleep 30 & P=$!
sleep 0.3
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

#[test]
fn deviation_json_identify_and_pids() {
    if !root() {
        return;
    }
    let out = sandbox(
        r#"
unshare -n sleep 30 & P=$!
sleep 0.3
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
    let names: serde_json::Value = serde_json::from_str(record_out(s, &format!("NETNS -j identify {pid}"))).unwrap();
    assert_eq!(names, serde_json::json!([{"name": "two"}, {"name": "one"}]));
    assert_eq!(record_out(s, "NETNS -j identify"), "[]\n");
    let pids: serde_json::Value = serde_json::from_str(record_out(s, "NETNS -j pids one")).unwrap();
    assert_eq!(pids, serde_json::json!([{"pid": pid.parse::<u32>().unwrap()}]));
    assert_eq!(record_out(s, "NETNS -j pids e"), "[]\n");
    let pretty = record_out(s, &format!("NETNS -j -p identify {pid}"));
    assert!(
        pretty.starts_with("[ {\n        \"name\": \"two\"\n    },{"),
        "{pretty}"
    );
}

#[test]
fn path_targets_for_pids_and_identify() {
    if !root() {
        return;
    }
    let out = sandbox(
        r#"
unshare -n sleep 30 & P=$!
sleep 0.3
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
    assert_eq!(record_out(s, &format!("NETNS pids /proc/{pid}/ns/net")), line, "{s}");
    assert_eq!(record_out(s, "NETNS pids /run/netns/p"), line, "{s}");
    assert!(
        s.contains("### NETNS pids /tmp/f\nrc: 0\n--- out\n--- err\n--- end"),
        "{s}"
    );
}

const EVENTS: &str = r#"
sleep 0.3
$R add a
touch /run/netns/f
mkdir /run/netns/d
ln -s /nowhere /run/netns/l
mv /run/netns/f /run/netns/g
rm /run/netns/g; rmdir /run/netns/d; rm /run/netns/l
$R delete a
sleep 0.3
"#;

#[test]
fn deviation_monitor_lines_flushed_when_killed() {
    if !root() {
        return;
    }
    let out = sandbox(&format!(
        "timeout 3 $R monitor extra > /tmp/out & M=$!\n{EVENTS}kill -TERM $M; wait $M; echo rc=$?\ncat /tmp/out\n"
    ));
    assert_eq!(
        out.stdout,
        "rc=143\nadd a\nadd f\nadd d\nadd l\ndelete g\ndelete d\ndelete l\ndelete a\n"
    );
}

#[test]
fn monitor_json_one_object_per_line() {
    if !root() {
        return;
    }
    let out = sandbox(&format!(
        "timeout 2 $R -j monitor > /tmp/out &\n{EVENTS}wait\ncat /tmp/out\n"
    ));
    let lines: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 8, "{}", out.stdout);
    assert_eq!(lines[0], serde_json::json!({"event": "add", "name": "a"}));
    assert_eq!(lines[7], serde_json::json!({"event": "delete", "name": "a"}));
}

#[test]
fn monitor_creates_rundir_without_mount_point_like_ip() {
    if !root() {
        return;
    }
    like_ip(
        Opts { no_rundir: true },
        "t timeout 0.5 $N monitor\nstate\nstat -c %a /run/netns\nfindmnt /run/netns || echo not a mount point\n",
    );
}

#[test]
fn regression_monitor_waits_on_after_rundir_removed_like_ip() {
    if !root() {
        return;
    }
    // ip's watch dies silently with the run dir and ip waits until it is killed (spec S094);
    // rnetns used to say so and exit 1.
    let ip = like_ip(
        Opts { no_rundir: true },
        "timeout 1.5 $N monitor > /tmp/out 2> /tmp/err & M=$!\nsleep 0.3\nrmdir /run/netns\nmkdir /run/netns\ntouch /run/netns/late\nwait $M; echo rc=$?\ncat /tmp/out /tmp/err\n",
    );
    assert_eq!(ip.trim_end(), "rc=124", "killed by timeout, nothing printed");
}
