//! Plain records that operations return and renderers print. No I/O here.

use std::ffi::OsString;

/// One line of `list`: a run-dir entry and its id in the caller's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsEntry {
    pub name: OsString,
    pub id: Option<i32>,
}

/// One line of `list-id`: the attributes the kernel sent (negative = unassigned) and the
/// run-dir name found for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NsidLine {
    pub nsid: Option<i32>,
    pub current_nsid: Option<i32>,
    pub name: Option<OsString>,
}
