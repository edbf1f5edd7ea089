//! Black-box and differential tests of exec, -all exec, -n, batch mode and path targets,
//! each in its own sandbox.

use crate::common::*;

crate::tests![
    exec_exit_codes_and_signals_like_ip,
    exec_errors_like_ip,
    exec_remounts_sys_and_sees_moved_link_like_ip,
    exec_binds_etc_netns_entries_like_ip,
    all_exec_like_ip,
    all_exec_missing_rundir_like_ip,
    deviation_all_exec_setup_failure_runs_each_entry_once,
    deviation_all_exec_goes_on_after_a_killed_child,
    netns_option_runs_inside_like_ip,
    deviation_netns_option_without_argument_is_usage_error,
    deviation_netns_option_add_makes_a_working_namespace,
    regression_batch_adds_share_one_creator_thread_and_honour_n,
    batch_file_like_ip,
    batch_lines_without_netns_word,
    deviation_batch_killed_command_is_a_failed_command,
    deviation_batch_exec_setup_failure_counts_once,
    path_target_exec_enters_process_namespace,
    nonroot_exec_and_netns_option_like_ip,
    regression_batch_unknown_object_is_a_failed_command,
    batch_exit_and_failure_rules_like_ip,
    exec_etc_binds_with_long_name_and_netns_option_like_ip,
];

fn exec_exit_codes_and_signals_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
$N add a
for c in 0 1 7 255; do t $N exec a sh -c "exit $c"; done
for s in TERM KILL INT; do t $N exec a sh -c "kill -$s \$\$"; done
t $N exec a echo --help -j
t $N exec a sh -c 'cat /proc/$PPID/comm'
t $N exec a sh -c 'echo $0 "$@"' -- -n x
"#,
    );
    assert!(ip.contains("kill -TERM $$\nrc: 143"), "{ip}");
    assert!(ip.contains("--help -j\n"), "{ip}");
}

fn exec_errors_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a; touch /run/netns/plain; mkdir /run/netns/dir; ln -s /nowhere /run/netns/dang
t $N exec
t $N exec a
t $N exec nope true
t $N exec plain true
t $N exec dir true
t $N exec dang true
t $N exec a no-such-command-x
t $N exec a /etc/passwd
t $N exec a /tmp
t $N exec a ""
t $N exec a --
t $N exec a/b true
printf 'echo script ran\n' > /tmp/s.sh; chmod +x /tmp/s.sh
t $N exec a /tmp/s.sh
"#,
    );
}

fn exec_remounts_sys_and_sees_moved_link_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
$N add a
ip link add v0 type veth peer name v1 netns a
t $N exec a ls /sys/class/net
t $N exec a findmnt -no SOURCE /sys
t $N exec a sh -c 'ip -br link show v1 | cut -c1-30'
t $N exec a sh -c 'mount -t tmpfs inside /mnt && grep -c " /mnt " /proc/self/mountinfo'
grep -c " /mnt " /proc/self/mountinfo
t $N exec a sh -c 'grep -c " /run/netns " /proc/self/mountinfo; pwd; echo ${HOME:-nohome}'
"#,
    );
    assert!(ip.contains("lo\nv1\n"), "{ip}");
    assert!(ip.contains("SOURCE /sys\nrc: 0\n--- out\na\n"), "{ip}");
}

fn exec_binds_etc_netns_entries_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
$N add a
mkdir -p /etc/netns/a/sub.d /etc/sub.d /etc/netns/a/hostname
echo inside > /etc/netns/a/hosts
echo x > /etc/netns/a/sub.d/f
echo y > /etc/netns/a/nothere
t $N exec a sh -c 'cat /etc/hosts; ls /etc/sub.d; ls /etc/nothere'
cat /etc/hosts | head -1
ls /etc/sub.d
mkdir -p /etc/netns/b; echo b > /etc/netns/b/hosts
t $N exec b true
"#,
    );
    assert!(ip.contains("inside\nf\n"), "{ip}");
}

fn all_exec_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
t $IP -all netns exec
t $IP -all netns exec echo empty
for n in a b c; do $N add $n; done
t $IP -all netns exec sh -c 'echo hi; exit 3'
t $IP -all netns exec a echo hi
t $IP -all netns exec no-such-command-x
t $IP -all netns exec $N identify
"#,
    );
    assert!(
        ip.contains("\nnetns: c\nhi\n\nnetns: b\nhi\n\nnetns: a\nhi\n--- err"),
        "{ip}"
    );
}

fn all_exec_missing_rundir_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $IP -all netns exec true\n",
    );
}

fn deviation_all_exec_setup_failure_runs_each_entry_once() {
    require_root();
    let out = sandbox("$R add a\ntouch /run/netns/plain\n$R add b\nt $R -all exec echo hi\n");
    let s = &out.stdout;
    assert!(
        s.contains(
            "rc: 0\n--- out\n\nnetns: b\nhi\n\nnetns: plain\n\nnetns: a\nhi\n--- err\n\
             setting the network namespace \"plain\" failed: Invalid argument\n--- end"
        ),
        "{s}"
    );
}

fn deviation_all_exec_goes_on_after_a_killed_child() {
    require_root();
    let out = sandbox("$R add a\n$R add b\nt $R -all exec sh -c 'echo x; kill -KILL $$'\n");
    let s = &out.stdout;
    assert!(
        s.contains("rc: 1\n--- out\n\nnetns: b\nx\n\nnetns: a\nx\n--- err\n--- end"),
        "{s}"
    );
}

fn netns_option_runs_inside_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
$N add a; $N add b; $N set b 3
t $IP -n a netns identify
t $IP -n a netns list
t $IP -n a netns set b 7
t $IP -n a netns list
t $IP -n a netns list-id
t $N list
t $IP -n a netns exec b $N identify
t $IP -n a -n b netns identify
t $IP -n nope netns list
t $IP -n a -n nope netns list
t $IP -n .. netns list
t $IP -n "" netns list
t $IP -n /run/netns/a netns list
t $IP -n a netns delete b
state
"#,
    );
    assert!(ip.contains("identify\nrc: 0\n--- out\na\n"), "{ip}");
}

fn deviation_netns_option_without_argument_is_usage_error() {
    require_root();
    let out = sandbox("t $R -n\nt $R list -n\n");
    let s = &out.stdout;
    assert!(s.contains("### NETNS -n\nrc: 255\n--- out\n--- err\n"), "{s}");
    assert!(!s.contains("(null)"), "{s}");
}

fn deviation_netns_option_add_makes_a_working_namespace() {
    require_root();
    let out = sandbox("$R add x\nt $R -n x add y\nstate\nt $R exec y true\nt $R -n x identify\n");
    let s = &out.stdout;
    assert!(s.contains("entry: y mounted:444"), "{s}");
    assert!(s.contains("### NETNS exec y true\nrc: 0"), "{s}");
    assert!(s.contains("### NETNS -n x identify\nrc: 0\n--- out\nx\n"), "{s}");
}

fn regression_batch_adds_share_one_creator_thread_and_honour_n() {
    require_root();
    // A batch creates every namespace on one dedicated thread; with -n that thread makes
    // its mounts where the caller's run dir lives, so each name works afterwards.
    let out = sandbox(
        "$R add x\nprintf 'add a\\nnetns add b\\nadd a\\nadd c\\n' > /tmp/b\nt $R -force -n x -batch /tmp/b\nstate\nt $R exec c true\nt $R -n x list\n",
    );
    let s = &out.stdout;
    assert!(
        s.contains("Cannot create namespace file \"/run/netns/a\": File exists\nCommand failed /tmp/b:3\n"),
        "{s}"
    );
    for n in ["a", "b", "c", "x"] {
        assert!(s.contains(&format!("entry: {n} mounted:444")), "{n}: {s}");
    }
    assert!(
        s.contains("mounts: /run/netns/a*1 /run/netns/b*1 /run/netns/c*1 /run/netns/x*1"),
        "{s}"
    );
    assert!(s.contains("### NETNS exec c true\nrc: 0"), "{s}");
}

fn batch_file_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
cat > /tmp/b <<'B'
# a comment
netns add a   # trailing comment

netns add \
  b
netns exec a echo "quoted  words" 'single  quoted'
netns exec a sh -c "exit 3"
netns add c
B
t $IP -batch /tmp/b
state
t $IP -force -batch /tmp/b
t $IP -batch /tmp/nope
t sh -c "$IP -batch - < /tmp/b"
printf 'netns add s\nnetns exec s echo from stdin\n' > /tmp/s
t sh -c "$IP -batch - < /tmp/s"
printf 'netns list\nnetns add "x\n' > /tmp/u
t $IP -batch /tmp/u
printf 'netns add k\nnetns add a/b\nnetns add l\n' > /tmp/v
t $IP -force -batch /tmp/v
printf 'netns identify\nnetns exec k sh -c "exit 4"\nnetns list\n' > /tmp/w
t $IP -n k -batch /tmp/w
"#,
    );
    assert!(ip.contains("Command failed /tmp/b:7"), "{ip}");
}

fn batch_lines_without_netns_word() {
    require_root();
    let out = sandbox("printf 'add a\\nnetns add b\\nnet list\\n' > /tmp/b\nt $R -batch /tmp/b\n");
    assert!(
        out.stdout.contains("rc: 0\n--- out\nb\na\n--- err\n--- end"),
        "{}",
        out.stdout
    );
}

fn deviation_batch_killed_command_is_a_failed_command() {
    require_root();
    let out = sandbox(
        r#"
$R add a
printf 'exec a sh -c "kill -TERM $$"\nexec a echo after\n' > /tmp/b
t $R -batch /tmp/b
t $R -force -batch /tmp/b
"#,
    );
    let s = &out.stdout;
    assert!(
        s.contains("-batch /tmp/b\nrc: 1\n--- out\n--- err\nCommand failed /tmp/b:1\n--- end"),
        "{s}"
    );
    assert!(
        s.contains("rc: 1\n--- out\nafter\n--- err\nCommand failed /tmp/b:1\n--- end"),
        "{s}"
    );
}

fn deviation_batch_exec_setup_failure_counts_once() {
    require_root();
    let out =
        sandbox("touch /run/netns/plain\nprintf 'exec plain true\\nlist\\n' > /tmp/b\nt $R -force -batch /tmp/b\n");
    let s = &out.stdout;
    assert!(
        s.contains(
            "rc: 1\n--- out\nplain\n--- err\nsetting the network namespace \"plain\" failed: Invalid argument\n\
             Command failed /tmp/b:1\n"
        ),
        "{s}"
    );
    assert_eq!(s.matches("Command failed").count(), 1, "{s}");
}

fn path_target_exec_enters_process_namespace() {
    require_root();
    let out = sandbox(
        r#"
in_new_netns P
ip link add v0 type veth peer name v1 netns $P
t $R exec /proc/$P/ns/net ls /sys/class/net
kill $P
touch /tmp/f; unshare --net=/tmp/f true
t $R exec /tmp/f ip -br link
touch /tmp/plain
t $R exec /tmp/plain true
state
"#,
    );
    let s = &out.stdout;
    assert!(
        s.contains("ls /sys/class/net\nrc: 0\n--- out\nlo\nv1\n--- err\n--- end"),
        "{s}"
    );
    assert!(s.contains("-br link\nrc: 0\n--- out\nlo "), "{s}");
    assert!(
        s.contains("### NETNS exec /tmp/plain true\nrc: 255\n--- out\n--- err\n"),
        "{s}"
    );
    assert!(s.contains("mounts: \n"), "{s}");
}

fn nonroot_exec_and_netns_option_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a
t $NB $N exec a true
t $NB $IP -n a netns list
t $NB $IP -all netns exec true
chmod 700 /run/netns
t $NB $IP -all netns exec true
"#,
    );
}

fn regression_batch_unknown_object_is_a_failed_command() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a
printf 'netns\n-n a netns list\nbogus a/b\n"" list\nnetns add b\nnetns help\nnetns add c\n' > /tmp/b
t $IP -force -batch /tmp/b
t $IP -batch /tmp/b
state
"#,
    );
}

fn batch_exit_and_failure_rules_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a
printf 'netns set a x\nnetns add e\n' > /tmp/e
t $IP -batch /tmp/e
printf 'netns identify 1 2\nnetns add f\n' > /tmp/f
t $IP -batch /tmp/f
printf 'netns exec a\nnetns add g\nnetns exec a sh -c "exit 2"\nnetns bogus\nnetns add h\n' > /tmp/g
t $IP -force -batch /tmp/g
printf 'netns list\nnetns exec a echo hi\nnetns list\n' > /tmp/o
$IP -batch /tmp/o > /tmp/out 2>&1; cat /tmp/out
state
"#,
    );
}

fn exec_etc_binds_with_long_name_and_netns_option_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
L=$(printf 'y%.0s' {1..255})
$N add $L; $N add a
mkdir -p /etc/netns/$L /etc/netns/a; echo bound > /etc/netns/$L/hosts; echo bound > /etc/netns/a/hosts
t $N exec $L head -1 /etc/hosts
t $IP -n a netns exec a head -1 /etc/hosts
t $IP -all netns exec head -1 /etc/hosts
"#,
    );
}
