//! Black-box and differential tests of list, add, attach, delete, set, list-id and the
//! command-line grammar, each in its own sandbox.

use crate::common::*;

crate::tests![
    add_list_delete_like_ip,
    list_forms_order_ids_and_json_like_ip,
    list_symlink_entries_like_ip,
    deviation_list_reports_each_bad_entry_once,
    list_missing_rundir_prints_nothing_like_ip,
    add_creates_placeholder_and_shared_rundir_like_ip,
    add_keeps_existing_rundir_mode_like_ip,
    add_duplicate_of_any_entry_kind_like_ip,
    add_invalid_and_edge_names_like_ip,
    attach_pid_parsing_like_ip,
    delete_entry_kinds_like_ip,
    all_delete_ignores_arguments_and_validation_like_ip,
    all_delete_missing_rundir_like_ip,
    deviation_all_delete_continues_after_failure,
    deviation_delete_symlink_alias_keeps_target,
    set_forms_and_errors_like_ip,
    list_id_forms_like_ip,
    list_id_keyword_errors_like_ip,
    deviation_list_id_negative_value_quotes_itself,
    deviation_json_escapes_control_bytes,
    grammar_abbreviations_like_ip,
    grammar_unknown_commands_and_name_check_like_ip,
    grammar_global_options_like_ip,
    version_and_help,
    nonroot_list_add_attach_delete_set_like_ip,
    nonroot_add_without_mount_point_like_ip,
    all_option_skips_name_validation_like_ip,
    rundir_is_a_file_like_ip,
    odd_names_everywhere_like_ip,
    regression_list_id_errors_keep_name_pass_warnings,
    regression_mistyped_object_word_like_ip,
];

fn add_list_delete_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
t $N add a
t $N add b
t $N list
t $N add a
state
t $N delete a
t $N list
state
t $N delete a
"#,
    );
    assert!(ip.contains("### NETNS add a\nrc: 0"), "{ip}");
}

fn list_forms_order_ids_and_json_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
t $N list
t $IP -j netns list
t $IP -j -p netns list
for n in c a b; do $N add $n; done
$N set a 3
t $N
t $N show
t $N lst
t $N s a 5
t $N list extra words
t $IP -j netns list
t $IP -j -p netns list
t $IP -p netns list
"#,
    );
    assert!(ip.contains("b\na (id: 3)\nc\n"), "{ip}");
    assert!(ip.contains("[{\"name\":\"b\"},{\"name\":\"a\",\"id\":3},{\"name\":\"c\"}]"));
}

fn list_symlink_entries_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
in_new_netns P
ln -s /proc/$P/ns/net /run/netns/proc
ln -s /nowhere /run/netns/dangling
$N add a
$N set proc 4
t $N list
t $IP -j netns list
kill $P
"#,
    );
}

fn deviation_list_reports_each_bad_entry_once() {
    require_root();
    let out = sandbox(
        r#"
$R add a
$R set a 1
touch /run/netns/plain
mkdir /run/netns/dir
t $R list
"#,
    );
    let want = "rc: 0\n--- out\ndir\nplain\na (id: 1)\n--- err\n\
                Error: Peer netns reference is invalid.\nError: Peer netns reference is invalid.\n--- end";
    assert!(out.stdout.contains(want), "{}", out.stdout);
}

fn list_missing_rundir_prints_nothing_like_ip() {
    require_root();
    let ip = like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
t $N list
t $IP -j netns list
t $IP -j -p netns list
state
"#,
    );
    assert!(ip.contains("rc: 0\n--- out\n--- err\n--- end"), "{ip}");
}

fn add_creates_placeholder_and_shared_rundir_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
t $N add a
stat -c '%a %F' /run/netns
findmnt -no PROPAGATION /run/netns
findmnt -no PROPAGATION /run/netns/a
state
t $N add b
state
umount /run/netns/a
stat -c '%a %s %F' /run/netns/a
t $N exec b ip -br link
"#,
    );
}

fn add_keeps_existing_rundir_mode_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
mkdir -m 700 /run/netns
t $N add a
stat -c '%a' /run/netns
state
"#,
    );
}

fn add_duplicate_of_any_entry_kind_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a
touch /run/netns/f; mkdir /run/netns/d; ln -s /nowhere /run/netns/l
for n in a f d l; do t $N add $n; done
t $N add b extra words
t $N add
state
"#,
    );
}

fn add_invalid_and_edge_names_like_ip() {
    require_root();
    let ip = like_ip(
        Opts::default(),
        r#"
for n in "" . .. a/b / "$(printf 'x%.0s' {1..256})"; do t $N add "$n"; done
state
t $N add "$(printf 'y%.0s' {1..255})"
t $N add ...
t $N add .hidden
t $N add -dash
t $N add $'\xff\xfe'
t $N add $'tab\there'
t $N list
t $IP -j netns list
state
"#,
    );
    assert!(ip.contains("Invalid netns name \"a/b\"\n"), "{ip}");
}

fn attach_pid_parsing_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
t $N attach
t $N attach x
for p in abc 0 "1 " 99999999999 self; do t $N attach x "$p"; done
t $N attach neg -5
t $N attach gone 99999999
state
t $N attach hex 0x1
t $N attach oct 01 extra
t $N attach sp " 1"
state
t $N identify 1
"#,
    );
}

fn delete_entry_kinds_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a
touch /run/netns/plain; mkdir /run/netns/dir
t $N delete plain
t $N delete dir
t $N delete missing
t $N delete
t $N delete a extra
t $N delete ../x
state
"#,
    );
}

fn all_delete_ignores_arguments_and_validation_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
for n in a b c; do $N add $n; done
touch /run/netns/plain
ln -s /proc/1/ns/net /run/netns/self
t $IP -all netns delete ../x whatever
state
t $IP -all netns delete
grep -c /run/netns/ /proc/self/mountinfo
"#,
    );
}

fn all_delete_missing_rundir_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $IP -all netns delete\nstate\n",
    );
}

fn deviation_all_delete_continues_after_failure() {
    require_root();
    let out = sandbox(
        r#"
$R add a; mkdir /run/netns/dir; $R add b
t $R -all delete
state
"#,
    );
    let s = &out.stdout;
    assert!(
        s.contains("rc: 1\n--- out\n--- err\nCannot remove namespace file \"/run/netns/dir\": Is a directory\n--- end"),
        "{s}"
    );
    assert!(s.contains("entry: dir dir\nmounts: \n"), "{s}");
}

fn deviation_delete_symlink_alias_keeps_target() {
    require_root();
    let out = sandbox(
        r#"
$R add a
ln -s /run/netns/a /run/netns/alias
t $R delete alias
state
t $R exec a true
"#,
    );
    let s = &out.stdout;
    assert!(s.contains("entry: a mounted:444\nmounts: /run/netns/a*1\n"), "{s}");
    assert!(s.contains("### NETNS exec a true\nrc: 0"), "{s}");
}

fn set_forms_and_errors_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
for n in a b c d e f g h; do $N add $n; done
t $N set a auto
t $N set b 10
t $N set c 0x10
t $N set d 010
t $N set e " 9"
t $N set f +5 extra
t $N list
for v in 1x "" abc 0x 99999999999 -1 -0x2 2147483648; do t $N set g "$v"; done
t $N set g auto
t $N set b 11
t $N set h 10
touch /run/netns/plain
t $N set plain 3
t $N set nope 3
t $N set
t $N set h
"#,
    );
}

fn list_id_forms_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
t $N list-id
t $IP -j netns list-id
$N add a; $N add b; $N add c
$N set a 1; $N set b 2
$IP -n a netns set b 7
t $N list-id
t $IP -j netns list-id
t $IP -j -p netns list-id
t $N list-id nsid 2
t $N list-id nsid 0x1
t $IP -j netns list-id nsid 2
t $N list-id nsid 99
t $IP -j netns list-id nsid 99
t $N list-id target-nsid 1
t $IP -j netns list-id target-nsid 1
t $N list-id nsid 7 target-nsid 1
t $N list-id target-nsid 1 nsid 7
t $N list-id target-nsid 2
t $N list-id target-nsid 99
t $IP -j netns list-id target-nsid 99
"#,
    );
}

fn list_id_keyword_errors_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
t $N list-id foo
t $N list-id -j
t $N list-id nsid
t $N list-id target-nsid
t $N list-id nsid 1 nsid 2
t $N list-id target-nsid 1 target-nsid 1
t $N list-id nsid abc
t $N list-id nsid 1x
t $N list-id target-nsid zz
t $N list-id NSID 1
"#,
    );
}

fn deviation_list_id_negative_value_quotes_itself() {
    require_root();
    let out = sandbox(
        r#"
t $R list-id nsid -3
t $R list-id nsid -3 target-nsid 1
t $R list-id target-nsid -0x1
"#,
    );
    let s = &out.stdout;
    assert!(
        s.contains("rc: 255\n--- out\n--- err\nError: argument \"-3\" is wrong: \"nsid\" value should be >= 0\n"),
        "{s}"
    );
    assert!(
        s.contains("Error: argument \"-0x1\" is wrong: \"target-nsid\" value should be >= 0\n"),
        "{s}"
    );
    assert_eq!(s.matches("argument \"-3\"").count(), 2, "{s}");
}

fn deviation_json_escapes_control_bytes() {
    require_root();
    let out = sandbox("$R add $'a\\x01\\x1b\\x7f\\tb'\nt $R -j list\n");
    assert!(
        out.stdout.contains("[{\"name\":\"a\\u0001\\u001b\\u007f\\tb\"}]\n"),
        "{}",
        out.stdout
    );
}

fn grammar_abbreviations_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add z
for w in l li lis s sh sho ls list- list-i h he hel; do t $N $w; done
t $N a x1; t $N ad x2
t $N se x1 5; t $N d x1; t $N de x2; t $N dele z
t $N at x3 1; t $N att x4 1; t $N atta x5 1; t $N attac x6 1
for w in i id ide iden identi identif; do t $N $w; done
$N add y
for w in p pi pid; do t $N $w y; done
for w in e ex exe; do t $N $w x3 echo $w; done
t timeout 0.5 $N m
t timeout 0.5 $N mo
t $N list
"#,
    );
}

fn grammar_unknown_commands_and_name_check_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
for w in "" LIST lsx listx shows list-idx x; do t $N "$w"; done
t $N bogus a/b
t $N bogus ok
t $N help a/b
t $N list-id ..
t $N help
t $N help me
"#,
    );
}

fn grammar_global_options_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a; $N set a 2; $N add b
for o in -j -json --json -js; do t $IP $o netns list; done
t $IP -j -j netns list
t $IP -j -pretty netns list
t $IP -j --pretty netns list
t $IP -a netns delete ../x
$N add a; $N add b
t $IP -all netns exec true
t $IP -n a netns list
t $IP -netns a netns identify
t $IP --netns a netns identify
t $IP -fo -b /dev/null
t $IP -force -batch /dev/null
t $IP -f inet netns list
t $IP -f netns list
t $IP -jp netns list
t $IP -- netns list
t $IP -j -- netns list
t $IP -xyz netns list
"#,
    );
}

fn version_and_help() {
    let v = std::process::Command::new(rnetns()).arg("-V").output().unwrap();
    let want = format!("rnetns {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(String::from_utf8_lossy(&v.stdout), want);
    assert_eq!(v.status.code(), Some(0));
    let v = std::process::Command::new(rnetns()).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&v.stdout), want);
    // ip's -help (and its prefixes): the usage on stderr, exit 255. `--help` is rnetns's
    // full help on stdout, status 0 (docs/compat.md).
    let h = std::process::Command::new(rnetns()).arg("--help").output().unwrap();
    assert_eq!(h.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&h.stdout).contains("Usage: rnetns"));
    assert!(h.stderr.is_empty());
    for help in ["-help", "-he"] {
        let h = std::process::Command::new(rnetns()).arg(help).output().unwrap();
        assert_eq!(h.status.code(), Some(255), "{help}");
        assert!(h.stdout.is_empty(), "{help}");
        assert!(String::from_utf8_lossy(&h.stderr).starts_with("Usage:"), "{help}");
    }
    let h = std::process::Command::new(rnetns()).arg("--help-all").output().unwrap();
    assert_eq!(h.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&h.stdout).contains("rnetns"));
    let u = std::process::Command::new(rnetns()).arg("help").output().unwrap();
    assert_eq!(u.status.code(), Some(255));
    assert!(u.stdout.is_empty());
    assert!(String::from_utf8_lossy(&u.stderr).starts_with("Usage:"));
}

fn nonroot_list_add_attach_delete_set_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a; $N set a 3
t $NB $N list
t $NB $IP -j netns list
t $NB $N list-id
t $NB $N add b
t $NB $N attach c 1
t $NB $N delete a
t $NB $N set a 4
touch /run/netns/plain
t $NB $N set plain 4
state
chmod 700 /run/netns
t $NB $N list
t $NB $IP -all netns delete
"#,
    );
}

fn nonroot_add_without_mount_point_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        "t $NB $N add b\nt $NB $N attach b 1\nstate\n",
    );
}

fn all_option_skips_name_validation_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add a; touch /run/netns/plain
t $IP -all netns set a/b 5
t $IP -all netns identify ""
t $IP -all netns pids a/b
rm /run/netns/plain
t $IP -all netns list-id ..
touch /run/netns/plain
t $IP -batch
t $IP -batch /dev/null list
t $N list-id
t $IP -j -p netns list-id
"#,
    );
}

fn rundir_is_a_file_like_ip() {
    require_root();
    like_ip(
        Opts {
            no_rundir: true,
            ..Opts::default()
        },
        r#"
touch /run/netns
for c in list "add a" "delete a" identify "pids a" "exec a true" "set a 1" list-id; do t $N $c; done
t $IP -all netns delete
t $IP -all netns exec true
t timeout 20 $N monitor
"#,
    );
}

fn odd_names_everywhere_like_ip() {
    require_root();
    like_ip(
        Opts::default(),
        r#"
$N add -dash; $N add $'nl\nx'; $N add $'\xff'
t $N exec -dash echo ok
t $N exec $'\xff' echo ok
t $IP -all netns exec true
t $N list
t $N set $'nl\nx' 5
t $N list-id
t $IP -n $'\xff' netns identify
t $IP -all -n $'\xff' netns delete
state
"#,
    );
}

fn regression_list_id_errors_keep_name_pass_warnings() {
    require_root();
    let (ip, rn) = differential(
        Opts::default(),
        r#"
t $N add a
t $N set a 3
touch /run/netns/junk
t $N list-id foo
t $N list-id nsid 9
t $N list-id nsid x
t $N list-id target-nsid 9
"#,
    );
    assert!(ip.contains("Error: Peer netns reference is invalid."), "{ip}");
    assert_same(&ip, &rn);
}

fn regression_mistyped_object_word_like_ip() {
    require_root();
    // `ip netnsx list` is an unknown object (exit 1, ip's own hint), not a netns command.
    let ip = like_ip(Opts::default(), "t $IP netx list\nt $IP nets a/b\nt $IP -j netx\n");
    assert!(
        ip.contains("rc: 1\n--- out\n--- err\nObject \"netx\" is unknown, try \"ip help\".\n"),
        "{ip}"
    );
}
