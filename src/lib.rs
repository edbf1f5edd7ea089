//! rnetns: iproute2's `ip netns` as a Rust library and a drop-in command.
//!
//! The library manages named network namespaces the way `ip netns` does (the run directory
//! `/run/netns`, bind mounts of nsfs files, namespace ids over rtnetlink) and exposes the
//! pieces as plain functions that return records; it never prints.
//!
//! ```no_run
//! use rnetns::RunDir;
//! # fn main() -> Result<(), rnetns::Error> {
//! let rundir = RunDir::default();
//! rundir.add("demo".as_ref())?; // ip netns add demo (root)
//! for name in rundir.names()? {
//!     println!("{}", name.to_string_lossy());
//! }
//! rundir.delete("demo".as_ref())?; // ip netns delete demo
//! # Ok(()) }
//! ```
//!
//! [`ops`] has one typed function per `ip netns` command (and per rnetns extra), the
//! records they return are in [`model`], errors in [`error`]: each [`Error`] prints ip's
//! exact message and knows ip's exit status.
//!
//! Every public item names the `ip netns` behaviour it mirrors and the privilege it needs:
//! reading (`list`, `identify`, `pids`, `monitor`) needs none, changing the run dir or
//! entering a namespace needs CAP_SYS_ADMIN, assigning ids needs CAP_NET_ADMIN.
//! `examples/` shows the library from Rust: `add_delete` (create and delete a named
//! namespace), `run_in_netns` (a closure inside a namespace on a throwaway thread) and
//! `list_links` (rtnetlink from a socket created inside a namespace).

#![warn(missing_docs)]

pub mod error;
pub mod model;
pub mod netlink;
pub mod netns;
pub mod ops;
pub mod owners;
mod sys;

pub use error::{Errno, Error, Flow, Result};
pub use netns::{Netns, RunDir, Target};

/// Process-wide set-up for a short-lived command-line program: one malloc arena for the
/// whole process (the library's helper threads live for one operation, and a thread's first
/// allocation would otherwise reserve a fresh 128 MiB arena). Call first in `main`, before
/// any thread exists.
pub fn tune_allocator_for_cli() {
    sys::single_malloc_arena();
}
