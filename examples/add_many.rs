//! Create many named network namespaces at once, in parallel, with one result per name in
//! the order given (what `ip -force -batch` of `netns add NAME` lines would report).
//!
//! Needs root (CAP_SYS_ADMIN): `sudo cargo run --example add_many NAME...`. Prints
//! `NAME ok` or `NAME error: MESSAGE` per name; exits 1 if any failed.

use std::ffi::OsString;

use rnetns::{RunDir, ops};

fn main() -> std::process::ExitCode {
    let names: Vec<OsString> = std::env::args_os().skip(1).collect();
    let ctx = ops::Context::new(RunDir::default());
    let mut failed = false;
    for (name, result) in names.iter().zip(ops::add_many(&ctx, &names)) {
        match result {
            Ok(_warnings) => println!("{} ok", name.to_string_lossy()),
            Err(e) => {
                failed = true;
                println!("{} error: {e}", name.to_string_lossy());
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
