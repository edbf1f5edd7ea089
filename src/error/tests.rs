//! Every message's text, status and flow.
use super::*;

#[test]
fn strerror_has_no_rust_suffix() {
    assert_eq!(strerror(Errno::from_raw(libc::ENOENT)), "No such file or directory");
    assert_eq!(strerror(Errno::from_raw(libc::EROFS)), "Read-only file system");
    assert_eq!(strerror(Errno::from_raw(libc::ENOSPC)), "No space left on device");
}

#[test]
fn messages_and_codes() {
    let e = Error::InvalidName(OsString::from("a/b"));
    assert_eq!(e.to_string(), "Invalid netns name \"a/b\"");
    assert_eq!(e.exit_code(), 255);
    assert_eq!(e.flow(), Flow::Exit);
    let e = Error::RemoveEntry {
        path: "/run/netns/x".into(),
        errno: Errno::from_raw(libc::ENOENT),
    };
    assert_eq!(
        e.to_string(),
        "Cannot remove namespace file \"/run/netns/x\": No such file or directory"
    );
    assert_eq!(e.exit_code(), 1);
    assert_eq!(e.flow(), Flow::Return);
    let e = Error::Switch {
        step: SwitchStep::Unshare,
        errno: Errno::from_raw(libc::EPERM),
    };
    assert_eq!(e.to_string(), "unshare failed: Operation not permitted");
    assert_eq!((e.exit_code(), e.flow()), (255, Flow::Exit));
    assert_eq!(
        Error::Duplicate("nsid").to_string(),
        "Error: duplicate \"nsid\": \"nsid\" is the second value."
    );
    assert_eq!(
        Error::BadArgument {
            value: "x".into(),
            what: "Invalid \"netnsid\" value"
        }
        .to_string(),
        "Error: argument \"x\" is wrong: Invalid \"netnsid\" value"
    );
    assert_eq!(
        Error::UnknownCommand("x".into()).to_string(),
        "Command \"x\" is unknown, try \"rnetns help\"."
    );
    assert_eq!(Error::Incomplete.exit_code(), 255);
    assert_eq!(Error::Missing(Missing::Name).to_string(), "No netns name specified");
    let e = Error::RunDir {
        step: RunDirStep::Bind,
        dir: "/run/netns".into(),
        errno: Errno::from_raw(libc::EPERM),
    };
    assert_eq!(
        e.to_string(),
        "mount --bind /run/netns /run/netns failed: Operation not permitted"
    );
    let open = |setup| Error::OpenNetns {
        target: Some("a".into()),
        errno: Errno::from_raw(libc::ENOENT),
        setup,
    };
    assert_eq!(
        open(false).to_string(),
        "Cannot open network namespace \"a\": No such file or directory"
    );
    assert_eq!((open(false).exit_code(), open(false).flow()), (1, Flow::Return));
    assert_eq!((open(true).exit_code(), open(true).flow()), (255, Flow::Exit));
    assert_eq!(Error::Wait(Errno::from_raw(libc::ECHILD)).flow(), Flow::Exit);
}

#[test]
fn debug_is_readable() {
    let e = Error::CreateEntry {
        path: "/run/netns/x".into(),
        errno: Errno::from_raw(libc::EEXIST),
    };
    assert_eq!(
        format!("{e:?}"),
        "CreateEntry { path: \"/run/netns/x\", errno: EEXIST }"
    );
}

#[test]
fn names_stay_bytes() {
    use std::os::unix::ffi::OsStringExt;
    let e = Error::InvalidName(OsString::from_vec(vec![0xff, b'/']));
    assert_eq!(e.message(), b"Invalid netns name \"\xff/\"");
}
