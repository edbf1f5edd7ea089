//! /proc scans: which processes are in a namespace (`pids`), which names a process's
//! namespace has (`identify`).

use std::ffi::{OsStr, OsString};
use std::os::fd::AsFd;
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag};
use nix::sys::stat::{Mode, fstatat};

use super::{NsId, RunDir, read_entries};

/// The names in the run dir whose namespace is `id`, in readdir order (symlinks followed,
/// unreadable entries skipped). A missing run dir has no names. Mirrors `ip netns identify`;
/// no privilege needed.
pub fn names_of(rundir: &RunDir, id: NsId) -> Result<Vec<OsString>, Errno> {
    let mut dir = match rundir.open_dir() {
        Ok(d) => d,
        Err(Errno::ENOENT) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let entries = read_entries(&mut dir);
    Ok(entries
        .into_iter()
        .filter(|e| fstatat(dir.as_fd(), e.name.as_os_str(), AtFlags::empty()).is_ok_and(|st| NsId::from(&st) == id))
        .map(|e| e.name)
        .collect())
}

/// The PIDs (processes, not threads) whose network namespace is `id`, in /proc order.
/// Processes that cannot be examined are skipped (root sees all). Mirrors `ip netns pids`.
pub fn pids_in(proc_root: &Path, id: NsId) -> Result<Vec<u32>, Errno> {
    let mut dir = nix::dir::Dir::open(
        proc_root,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )?;
    let fd = dir
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))?;
    let mut out = Vec::new();
    let mut path = Vec::with_capacity(32);
    for e in dir.iter().filter_map(|e| e.ok()) {
        let name = e.file_name().to_bytes();
        if name.is_empty() || !name.iter().all(u8::is_ascii_digit) {
            continue;
        }
        path.clear();
        path.extend_from_slice(name);
        path.extend_from_slice(b"/ns/net");
        let p = <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&path);
        if fstatat(fd.as_fd(), p, AtFlags::empty()).is_ok_and(|st| NsId::from(&st) == id)
            && let Ok(pid) = std::str::from_utf8(name).unwrap_or("").parse::<u32>()
        {
            out.push(pid);
        }
    }
    Ok(out)
}
