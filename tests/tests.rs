//! The one integration-test binary (`autotests = false`, `harness = false` in Cargo.toml):
//! each tests/*.rs file is a module listing its tests with `crate::tests![...]`, run by the
//! libtest-compatible harness in common/harness.rs. Run one module or test with
//! `cargo test --test tests NAME` (names are `MODULE::TEST`).

mod common;

mod bulk;
mod containers;
#[path = "core.rs"]
mod core_tests;
mod discover;
mod ecosystem;
mod exec;
mod inspect;
mod observe;
mod podman;
mod regressions;
mod reliability;
mod sweep;

use common::harness::Module;

macro_rules! module {
    ($name:literal, $module:ident) => {
        Module {
            name: $name,
            tests: $module::TESTS,
            source: include_str!(concat!($name, ".rs")),
        }
    };
}

fn main() -> std::process::ExitCode {
    common::harness::main(&[
        Module {
            name: "common",
            tests: common::TESTS,
            source: include_str!("common/mod.rs"),
        },
        module!("bulk", bulk),
        module!("containers", containers),
        module!("core", core_tests),
        module!("discover", discover),
        module!("ecosystem", ecosystem),
        module!("exec", exec),
        module!("inspect", inspect),
        module!("observe", observe),
        module!("podman", podman),
        module!("regressions", regressions),
        module!("reliability", reliability),
        module!("sweep", sweep),
    ])
}
