//! Create a named network namespace, show that it is listed, delete it: `ip netns add`,
//! `ip netns list`, `ip netns delete` from Rust.
//!
//! Needs root (CAP_SYS_ADMIN): `sudo cargo run --example add_delete [NAME]`.

use std::ffi::OsString;

use rnetns::RunDir;

fn main() -> Result<(), rnetns::Error> {
    let name = std::env::args_os()
        .nth(1)
        .unwrap_or_else(|| OsString::from("rnetns-example"));
    let rundir = RunDir::default(); // /run/netns

    // ip netns add NAME: a new namespace, bind-mounted at /run/netns/NAME.
    rundir.add(&name)?;

    // ip netns list (names only, in readdir order).
    for entry in rundir.names()? {
        let mark = if entry == name { "  <- new" } else { "" };
        println!("{}{mark}", entry.to_string_lossy());
    }

    // ip netns delete NAME: unmount and unlink.
    rundir.delete(&name)?;
    println!("deleted {}", name.to_string_lossy());
    Ok(())
}
