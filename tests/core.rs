//! Black-box and differential tests of list, add, attach, delete, set, list-id and the
//! command-line grammar, each in its own sandbox.

mod common;
use common::*;

#[test]
fn add_list_delete_like_ip() {
    if !root() {
        return;
    }
    let (ip, rn) = differential(
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
    assert_same(&ip, &rn);
}
