//! The test harness of the one integration-test binary (tests/tests.rs, `harness = false`):
//! libtest-mimic with libtest's command line and output (`test NAME ... ok`, the closing
//! `test result: ok. N passed; ...` line, filters, `--exact`, `--skip`, `--list`,
//! `--ignored`, `--test-threads`).
//!
//! Why a custom harness: a privileged test that cannot run must show as `ignored`, not `ok`,
//! and libtest can only ignore at compile time. Here [`require_root`] (and the older
//! `if !root() { return; }`) ends a test that is not root by unwinding with a marker, which
//! the harness reports as `ignored, needs root`; with `CI` set it fails the test instead.
//!
//! Each test module lists its tests with [`tests!`](crate::tests) (a `#[test]` attribute does
//! nothing without libtest, so the harness fails a run whose sources still hold one, and a
//! function left out of the list is dead code that clippy rejects).

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// One test module: its name (the trial-name prefix), its tests, and its source (checked for
/// `#[test]` attributes that no harness would run).
pub struct Module {
    pub name: &'static str,
    pub tests: &'static [(&'static str, fn())],
    pub source: &'static str,
}

/// The unwind payload of a privileged test that is not root (and not under CI).
struct NeedsRoot;

/// The unwind payload of a test whose example program was not built (and not under CI).
struct NeedsExample(&'static str);

thread_local! {
    /// True on a harness thread while it runs a test.
    static IN_TEST: Cell<bool> = const { Cell::new(false) };
    /// The last panic's message and location on this thread, for the failure report.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Privileged tests call this first. As root it returns; not root, it ends the test, which
/// the harness reports as ignored ("needs root"); not root with `CI` set it fails the test
/// (CI must run every privileged test).
#[track_caller]
pub fn require_root() {
    if nix::unistd::geteuid().is_root() {
        return;
    }
    if std::env::var_os("CI").is_some() {
        panic!("privileged test needs root, and CI must run every privileged test");
    }
    if IN_TEST.get() {
        panic::resume_unwind(Box::new(NeedsRoot));
    }
    panic!("privileged test needs root");
}

/// Tests that run an example program (`examples/NAME.rs`, built by `cargo test` with every
/// target, or `cargo build --examples`) call this: its path as a sandbox sees it. Not built,
/// the test is reported as ignored ("needs the example NAME"); with `CI` set it fails.
#[track_caller]
pub fn require_example(name: &'static str) -> String {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_rnetns"));
    let path = bin.parent().expect("TARGET/PROFILE").join("examples").join(name);
    if path.is_file() {
        return super::in_sandbox(&path);
    }
    if std::env::var_os("CI").is_some() {
        panic!("example {name} not built: CI runs `cargo test` with every target");
    }
    if IN_TEST.get() {
        panic::resume_unwind(Box::new(NeedsExample(name)));
    }
    panic!("example {name} not built (`cargo build --examples`)");
}

/// Run one test function, mapping its outcome to libtest-mimic's.
fn run(f: fn()) -> Result<Completion, Failed> {
    PANIC.set(None);
    IN_TEST.set(true);
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    IN_TEST.set(false);
    match r {
        Ok(()) => Ok(Completion::Completed),
        Err(p) if p.is::<NeedsRoot>() => Ok(Completion::ignored_with("needs root")),
        Err(p) if p.is::<NeedsExample>() => Ok(Completion::ignored_with(format!(
            "needs the example {} (cargo build --examples)",
            p.downcast_ref::<NeedsExample>().map_or("", |e| e.0)
        ))),
        Err(p) => {
            let recorded = PANIC.with_borrow_mut(Option::take);
            let payload = p
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| p.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            Err(recorded.unwrap_or_else(|| payload.to_string()).into())
        }
    }
}

/// Lines of `source` that hold a `#[test]` attribute (1-based numbers).
fn stray_test_attributes(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("#[test"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// The harness's `main`: every module's tests as trials named `MODULE::TEST`, plus a check
/// that no module still has a `#[test]` function (it would silently not run).
pub fn main(modules: &[Module]) -> ExitCode {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if IN_TEST.get() {
            let msg = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            let at = info
                .location()
                .map_or_else(String::new, |l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()));
            PANIC.set(Some(format!("panicked{at}:\n{msg}")));
        } else {
            default_hook(info);
        }
    }));

    let mut trials = Vec::new();
    let mut stray = Vec::new();
    for m in modules {
        for line in stray_test_attributes(m.source) {
            stray.push(format!("tests/{}.rs:{line}", m.name));
        }
        for &(name, f) in m.tests {
            trials.push(Trial::ignorable_test(format!("{}::{name}", m.name), move || run(f)));
        }
    }
    trials.push(Trial::test("harness::every_test_is_listed", move || {
        if stray.is_empty() {
            return Ok(());
        }
        Err(format!(
            "#[test] does nothing in this harness (tests/tests.rs, harness = false); drop the \
             attribute and add the function to its module's `tests!` list: {}",
            stray.join(", ")
        )
        .into())
    }));
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

/// A test module's list of test functions: `crate::tests![a, b, c];` at the top of the file
/// makes `TESTS` for tests/tests.rs.
#[macro_export]
macro_rules! tests {
    ($($name:ident),* $(,)?) => {
        pub(crate) const TESTS: &[(&str, fn())] = &[$((stringify!($name), $name as fn())),*];
    };
}
