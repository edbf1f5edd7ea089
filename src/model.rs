//! Plain records that operations return and renderers print. No I/O here.

use std::ffi::OsString;

/// One line of `list`: a run-dir entry and its id in the caller's namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsEntry {
    /// The entry's name (bytes, not necessarily UTF-8).
    pub name: OsString,
    /// Its namespace id in the caller's namespace (`list`'s `(id: N)`), if assigned.
    pub id: Option<i32>,
}

/// One line of `list-id`: the attributes the kernel sent (negative = unassigned) and the
/// run-dir name found for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NsidLine {
    /// NETNSA_NSID: the id in the namespace that answered.
    pub nsid: Option<i32>,
    /// NETNSA_CURRENT_NSID: the id in the caller's namespace (with `target-nsid`).
    pub current_nsid: Option<i32>,
    /// The run-dir name of the namespace, if one has that id.
    pub name: Option<OsString>,
}
