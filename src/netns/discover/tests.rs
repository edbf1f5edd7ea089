use super::*;

#[test]
fn inode_links() {
    assert_eq!(net_ino(b"net:[4026531840]"), Some(4026531840));
    assert_eq!(net_ino(b"mnt:[4026531840]"), None);
    assert_eq!(net_ino(b"net:[]"), None);
    assert_eq!(net_ino(b"net:[12"), None);
    assert_eq!(net_ino(b"socket:[12]"), None);
}

#[test]
fn octal_escapes() {
    assert_eq!(
        unescape_mount_path(br"/tmp/a\040b\011c\012d\134e"),
        b"/tmp/a b\tc\nd\\e"
    );
    assert_eq!(unescape_mount_path(br"/x\04"), br"/x\04");
    assert_eq!(unescape_mount_path(br"/x\999"), br"/x\999");
    assert_eq!(unescape_mount_path(b"/x\\"), b"/x\\");
}

/// A fake /proc: links that read `net:[N]` are all the scan needs.
#[test]
fn scan_of_a_fixture_proc() {
    use std::os::unix::fs::symlink;
    let root = std::env::temp_dir().join(format!("rnetns-discover-fixture-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let mk = |p: &str| std::fs::create_dir_all(root.join(p)).unwrap();
    let ln = |to: &str, at: &str| symlink(to, root.join(at)).unwrap();
    mk("self/ns");
    ln("net:[100]", "self/ns/net");
    std::fs::write(
        root.join("self/mountinfo"),
        "70 65 0:4 net:[300] /tmp/a\\040b rw - nsfs nsfs rw\n71 65 0:4 mnt:[301] /tmp/m rw - nsfs nsfs rw\n",
    )
    .unwrap();
    for (pid, ns) in [("1", "100"), ("20", "200"), ("5", "100")] {
        mk(&format!("{pid}/ns"));
        mk(&format!("{pid}/fd"));
        ln(&format!("net:[{ns}]"), &format!("{pid}/ns/net"));
        std::fs::write(root.join(format!("{pid}/comm")), format!("cmd{pid}\n")).unwrap();
    }
    for tid in ["20", "21", "22"] {
        mk(&format!("20/task/{tid}/ns"));
    }
    ln("net:[200]", "20/task/20/ns/net");
    ln("net:[200]", "20/task/21/ns/net");
    ln("net:[400]", "20/task/22/ns/net");
    ln("net:[500]", "1/fd/7");
    ln("socket:[9]", "1/fd/3");
    ln("/dev/null", "1/fd/0");
    mk("notapid");
    let found = scan_all(&root, &RunDir::new(root.join("no-rundir")))
        .unwrap()
        .namespaces;
    std::fs::remove_dir_all(&root).unwrap();
    let short: Vec<_> = found
        .iter()
        .map(|d| {
            (
                d.ino,
                d.current,
                d.pids.clone(),
                d.tids.clone(),
                d.fds.len(),
                d.command.clone(),
            )
        })
        .collect();
    assert_eq!(
        short,
        vec![
            (100, true, vec![1, 5], vec![], 0, Some("cmd1".into())),
            (200, false, vec![20], vec![], 0, Some("cmd20".into())),
            (300, false, vec![], vec![], 0, None),
            (400, false, vec![], vec![22], 0, None),
            (500, false, vec![], vec![], 1, None),
        ]
    );
    assert_eq!(found[2].mounts, vec![OsString::from("/tmp/a b")]);
    assert_eq!(found[4].fds, vec![FdRef { pid: 1, fd: 7 }]);
}

#[test]
fn mountinfo_lines() {
    let text = b"22 1 0:21 / /proc rw,nosuid - proc proc rw\n\
66 64 0:4 net:[4026532179] /run/netns/a rw - nsfs nsfs rw\n\
68 67 0:4 net:[4026532179] /run/netns/a rw shared:2 - nsfs nsfs rw\n\
70 65 0:4 mnt:[4026532317] /tmp/mnt rw - nsfs nsfs rw\n\
71 65 0:4 net:[4026532318] /tmp/a\\040b rw master:1 shared:3 - nsfs nsfs rw\n";
    let got = parse_mountinfo(text);
    assert_eq!(
        got,
        vec![
            (4026532179, OsString::from("/run/netns/a")),
            (4026532179, OsString::from("/run/netns/a")),
            (4026532318, OsString::from("/tmp/a b")),
        ]
    );
}
