//! One function per subcommand: glue between the namespace layer, netlink and the records.
//! Nothing here prints; warnings that iproute2 prints on the way come back in the result.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::{AT_FDCWD, OFlag, openat};
use nix::sys::stat::Mode;

use crate::error::{Error, Result};
use crate::model::{NsEntry, NsReport, NsidLine};
use crate::netlink::{NetlinkError, Rtnl};
use crate::netns::{DirEntry, Netns, NsId, RunDir, Target, open_checked, procfs, thread};
use crate::parse;

/// Where commands run: the run dir, and the caller's mount namespace when `-n` moved this
/// process into another one (mounts made by add/attach/delete go back there).
#[derive(Debug, Default)]
pub struct Context {
    /// The run dir (`/run/netns` unless embedded elsewhere).
    pub rundir: RunDir,
    /// The mount namespace this process started in, when `-n` has left it.
    pub home_mnt: Option<OwnedFd>,
    /// Create namespaces on one dedicated thread for the whole run (a batch) instead of a
    /// fresh thread per `add`.
    pub reuse_creator: bool,
    /// That thread, started by the first `add`.
    pub creator: std::sync::OnceLock<thread::Creator>,
}

/// What `list` found: `None` when the run dir cannot be read (ip prints nothing at all).
#[derive(Debug, Default)]
pub struct Listing {
    /// The entries with their ids; `None` when the run dir cannot be read.
    pub entries: Option<Vec<NsEntry>>,
    /// Kernel refusals met on the way (one per entry that is not a namespace).
    pub warnings: Vec<NetlinkError>,
}

fn peer_invalid() -> NetlinkError {
    NetlinkError {
        errno: Errno::EINVAL,
        ext_msg: Some("Peer netns reference is invalid".into()),
        unsent: None,
    }
}

fn open_rtnl() -> Result<Rtnl> {
    Rtnl::open().map_err(|_| Error::text("Cannot open rtnetlink"))
}

/// How many namespace fds may be open at once while asking for their ids.
fn query_batch() -> usize {
    (crate::sys::nofile_limit().saturating_sub(24) / 2).clamp(1, 256) as usize
}

/// The id of every entry in the caller's namespace, asked once per entry, pipelined in
/// batches that fit the open-file limit. Entries that cannot be opened have no id; entries
/// the kernel refuses give a warning. Entries are opened by path (no directory fd held),
/// so that one spare descriptor is enough, as with ip (`ulimit -n 8`).
fn ids_of(rtnl: &Rtnl, rundir: &RunDir, entries: &[DirEntry], warnings: &mut Vec<NetlinkError>) -> Vec<Option<i32>> {
    let mut ids = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(query_batch()) {
        let fds: Vec<Option<OwnedFd>> = chunk
            .iter()
            .map(|e| {
                openat(
                    AT_FDCWD,
                    &rundir.entry(&e.name),
                    OFlag::O_RDONLY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK,
                    Mode::empty(),
                )
                .ok()
            })
            .collect();
        let open: Vec<_> = fds.iter().flatten().map(|fd| fd.as_fd()).collect();
        let mut answers = rtnl.nsids_of_fds(&open).into_iter();
        for fd in &fds {
            ids.push(match fd {
                None => None,
                Some(_) => match answers.next().expect("an answer per fd") {
                    Ok(id) => id,
                    Err(e) => {
                        warnings.push(e);
                        None
                    }
                },
            });
        }
    }
    ids
}

/// Without any assigned id there is nothing to ask the kernel an id for, but ip's query
/// also reports every entry that is not a network namespace: the same verdict, found locally
/// ([`crate::netns::stale::refused_by_kernel`]); a large run dir is checked on two CPUs.
fn refused_entries(dir: &nix::dir::Dir, entries: &[DirEntry]) -> Vec<NetlinkError> {
    let dfd = dir.as_fd();
    procfs::par_map(entries, |e| crate::netns::stale::refused_by_kernel(dfd, &e.name))
        .into_iter()
        .filter(|r| *r)
        .map(|_| peer_invalid())
        .collect()
}

/// The run dir read with ids: `entries` is None when it cannot be read; `rtnl` is the
/// connection opened on the way, if any.
struct Scan {
    entries: Option<Vec<DirEntry>>,
    /// The id of each entry (same order), empty when there are no entries.
    ids: Vec<Option<i32>>,
    warnings: Vec<NetlinkError>,
    rtnl: Option<Rtnl>,
}

/// Entries and ids of the run dir: one dump first; per-entry queries only when some id
/// is assigned at all.
fn entries_with_ids(rundir: &RunDir) -> Result<Scan> {
    let mut dir = match rundir.open_dir() {
        Ok(d) => d,
        Err(_) => {
            return Ok(Scan {
                entries: None,
                ids: Vec::new(),
                warnings: Vec::new(),
                rtnl: None,
            });
        }
    };
    let entries = crate::netns::read_entries(&mut dir);
    if entries.is_empty() {
        return Ok(Scan {
            entries: Some(Vec::new()),
            ids: Vec::new(),
            warnings: Vec::new(),
            rtnl: None,
        });
    }
    let rtnl = open_rtnl()?;
    let any_id = rtnl
        .dump_nsids(None)
        .map(|d| d.iter().any(|r| r.nsid.is_some_and(|n| n >= 0)))
        .unwrap_or(true);
    let mut warnings = Vec::new();
    let ids = if any_id {
        drop(dir);
        ids_of(&rtnl, rundir, &entries, &mut warnings)
    } else {
        warnings = refused_entries(&dir, &entries);
        vec![None; entries.len()]
    };
    Ok(Scan {
        entries: Some(entries),
        ids,
        warnings,
        rtnl: Some(rtnl),
    })
}

/// `ip netns list`: every run-dir entry in readdir order with its id, if assigned. No
/// privilege needed.
pub fn list(ctx: &Context) -> Result<Listing> {
    let Scan {
        entries, ids, warnings, ..
    } = entries_with_ids(&ctx.rundir)?;
    // Same size and alignment: the entries' allocation is reused in place.
    let entries = entries.map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, e)| NsEntry {
                name: e.name,
                id: ids.get(i).copied().flatten(),
            })
            .collect()
    });
    Ok(Listing { entries, warnings })
}

/// Arguments of `list-id`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListIdArgs {
    /// `target-nsid N`: list the ids as the namespace with id N sees them.
    pub target_nsid: Option<i32>,
    /// `nsid N`: only this id.
    pub nsid: Option<i32>,
}

/// Parse `list-id` words: exact keywords, values like `get_integer`, ip's messages.
pub fn parse_list_id(words: &[OsString]) -> Result<ListIdArgs> {
    let mut a = ListIdArgs::default();
    let mut i = 0;
    while i < words.len() {
        let key: &'static str = match words[i].as_encoded_bytes() {
            b"target-nsid" => "target-nsid",
            b"nsid" => "nsid",
            _ => return Err(Error::Usage),
        };
        let slot = if key == "nsid" { &mut a.nsid } else { &mut a.target_nsid };
        if slot.is_some() {
            return Err(Error::Duplicate(key));
        }
        let value = words.get(i + 1).ok_or(Error::Incomplete)?;
        let v = parse::parse_c_int(value).ok_or(Error::BadArgument {
            value: value.clone(),
            what: if key == "nsid" {
                "\"nsid\" value is invalid"
            } else {
                "\"target-nsid\" value is invalid"
            },
        })?;
        if v < 0 {
            // rnetns quotes the wrong value itself (ip 6.1 quotes the next word).
            return Err(Error::BadArgument {
                value: value.clone(),
                what: if key == "nsid" {
                    "\"nsid\" value should be >= 0"
                } else {
                    "\"target-nsid\" value should be >= 0"
                },
            });
        }
        *slot = Some(v);
        i += 2;
    }
    Ok(a)
}

/// What `list-id` found, plus the warnings of its name pass.
#[derive(Debug)]
pub struct IdListing {
    /// The lines, or the error that ended the command after the name pass.
    pub lines: Result<Vec<NsidLine>>,
    /// Kernel refusals met while naming the ids.
    pub warnings: Vec<NetlinkError>,
}

/// `ip netns list-id [target-nsid N] [nsid N]`. The name map is built once. No privilege
/// needed.
pub fn list_id(ctx: &Context, words: &[OsString]) -> Result<IdListing> {
    let Scan {
        entries,
        ids,
        warnings,
        rtnl,
    } = entries_with_ids(&ctx.rundir)?;
    // The name map: id -> name, the first name in readdir order winning (ip's cache answers
    // with the first entry it holds for an id).
    let mut names: HashMap<i32, OsString> = HashMap::new();
    for (e, id) in entries.unwrap_or_default().into_iter().zip(ids) {
        if let Some(id) = id {
            names.entry(id).or_insert(e.name);
        }
    }
    let lines = list_id_lines(rtnl, names, words);
    Ok(IdListing { lines, warnings })
}

/// The part of `list-id` after the name pass: its failures still come with the warnings of
/// that pass, which ip prints first.
fn list_id_lines(rtnl: Option<Rtnl>, mut names: HashMap<i32, OsString>, words: &[OsString]) -> Result<Vec<NsidLine>> {
    let args = parse_list_id(words)?;
    let rtnl = match rtnl {
        Some(r) => r,
        None => open_rtnl()?,
    };
    let replies = match args.nsid {
        Some(n) => vec![rtnl.get_nsid(n, args.target_nsid).map_err(Error::Netlink)?],
        // What the kernel's dump holds, as ip prints it (on kernels whose dump stops after
        // its first batch, ids past it are missing for ip too).
        None => rtnl.dump_nsids(args.target_nsid).map_err(Error::DumpTerminated)?,
    };
    Ok(replies
        .into_iter()
        .map(|r| {
            let key = if args.target_nsid.is_some() {
                r.current_nsid
            } else {
                r.nsid
            };
            let name = key.filter(|k| *k >= 0).and_then(|k| names.remove(&k));
            NsidLine {
                nsid: r.nsid,
                current_nsid: r.current_nsid,
                name,
            }
        })
        .collect())
}

/// `ip netns set NAME NETNSID|auto`: give the namespace an id in the caller's namespace.
/// Needs CAP_NET_ADMIN.
pub fn set(ctx: &Context, words: &[OsString]) -> Result<()> {
    let name = words.first().ok_or_else(|| Error::text("No netns name specified"))?;
    let value = words.get(1).ok_or_else(|| Error::text("No nsid specified"))?;
    let nsid = if value.as_encoded_bytes() == b"auto" {
        -1
    } else {
        let v = parse::parse_c_int(value).ok_or(Error::BadArgument {
            value: value.clone(),
            what: "Invalid \"netnsid\" value",
        })?;
        if v < 0 {
            return Err(Error::BadArgument {
                value: value.clone(),
                what: "\"netnsid\" value should be >= 0",
            });
        }
        v
    };
    let target = crate::owners::select::target(name, &ctx.rundir, 1)?;
    let ns = open_checked(
        &target,
        &ctx.rundir,
        |e| {
            let mut m = b"Cannot open network namespace \"".to_vec();
            m.extend_from_slice(target.label().as_encoded_bytes());
            m.push(b'"');
            Error::os(m, e)
        },
        1,
    )?;
    // ip opens the entry a second time for the request, and then (6.1's netns_get_fd) a
    // name with a `/` (only `-all` lets one through) is a path from the working directory:
    // when that open fails, ip ends with status 1 and says nothing.
    if let Target::Name(n) = &target
        && n.as_encoded_bytes().contains(&b'/')
    {
        let fd = openat(
            AT_FDCWD,
            n.as_os_str(),
            OFlag::O_RDONLY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|_| Error::text(""))?;
        return open_rtnl()?.set_nsid(fd.as_fd(), nsid).map_err(Error::Netlink);
    }
    open_rtnl()?.set_nsid(ns.fd(), nsid).map_err(Error::Netlink)
}

/// `ip netns add NAME`: see [`RunDir::add`]. Needs CAP_SYS_ADMIN.
pub fn add(ctx: &Context, words: &[OsString]) -> Result<()> {
    let name = words.first().ok_or_else(|| Error::text("No netns name specified"))?;
    if !ctx.reuse_creator {
        return ctx.rundir.add_from(name, ctx.home_mnt.as_ref());
    }
    let creator = match ctx.creator.get() {
        Some(c) => c,
        None => {
            let c = thread::Creator::start(ctx.home_mnt.as_ref())
                .map_err(|e| Error::os("Cannot start a thread for the new namespace", e))?;
            ctx.creator.get_or_init(|| c)
        }
    };
    ctx.rundir.add_on(name, creator)
}

/// `ip netns attach NAME PID`: see [`RunDir::attach`]. Needs CAP_SYS_ADMIN (and
/// CAP_SYS_PTRACE for another user's process).
pub fn attach(ctx: &Context, words: &[OsString]) -> Result<()> {
    if words.len() < 2 {
        return Err(Error::text("No netns name and PID specified"));
    }
    if let Some(pid) = crate::owners::select::attach_pid(&words[1], &ctx.rundir) {
        let pid = pid?;
        return in_home(ctx, || ctx.rundir.attach(&words[0], pid));
    }
    let pid = parse::parse_c_int(&words[1]).filter(|p| *p != 0).ok_or_else(|| {
        let mut m = b"Invalid PID: ".to_vec();
        m.extend_from_slice(words[1].as_encoded_bytes());
        Error::text(m)
    })?;
    in_home(ctx, || ctx.rundir.attach(&words[0], pid))
}

/// `ip netns delete NAME`, or every entry with `-all`: see [`RunDir::delete`]. Needs
/// CAP_SYS_ADMIN.
pub fn delete(ctx: &Context, words: &[OsString], all: bool) -> Result<()> {
    if all {
        return in_home(ctx, || ctx.rundir.delete_all());
    }
    let name = words.first().ok_or_else(|| Error::text("No netns name specified"))?;
    in_home(ctx, || ctx.rundir.delete(name))
}

/// Run a run-dir change where the caller's mounts live: on this thread normally, on a
/// fresh thread back in the caller's mount namespace after `-n`.
fn in_home(ctx: &Context, f: impl FnOnce() -> Result<()> + Send) -> Result<()> {
    match &ctx.home_mnt {
        None => f(),
        Some(home) => thread::on_fresh_thread(Some(home), f)
            .map_err(|e| Error::os("Cannot return to the caller's mount namespace", e))?,
    }
}

/// `ip netns identify [PID|PATH]`: every name (readdir order) of the namespace of PID
/// (default: this process); rnetns also takes a path to a namespace file. Needs read
/// access to `/proc/PID/ns/net` (the owner or CAP_SYS_PTRACE).
pub fn identify(ctx: &Context, words: &[OsString]) -> Result<Vec<OsString>> {
    if words.len() > 1 {
        return Err(Error::text("extra arguments specified"));
    }
    let ns = match words.first() {
        Some(w) if w.as_encoded_bytes().first() == Some(&b'/') => open_checked(
            &Target::Path(w.into()),
            &ctx.rundir,
            |e| Error::os("Cannot open network namespace", e),
            1,
        )?,
        Some(w) => {
            if !parse::is_all_digits(w) {
                let mut m = b"Specified string '".to_vec();
                m.extend_from_slice(w.as_encoded_bytes());
                m.extend_from_slice(b"' is not a pid");
                return Err(Error::text(m));
            }
            let mut p = b"/proc/".to_vec();
            p.extend_from_slice(w.as_encoded_bytes());
            p.extend_from_slice(b"/ns/net");
            crate::netns::Netns::open(std::path::Path::new(OsStr::from_bytes_(&p)))
                .map_err(|e| Error::os("Cannot open network namespace", e))?
        }
        None => crate::netns::Netns::open(std::path::Path::new("/proc/self/ns/net"))
            .map_err(|e| Error::os("Cannot open network namespace", e))?,
    };
    let id = ns.identity().map_err(|e| Error::os("Stat of netns failed", e))?;
    procfs::names_of(&ctx.rundir, id).map_err(|e| Error::Os {
        context: format!(
            "Failed to open directory {}",
            String::from_utf8_lossy(ctx.rundir.display())
        )
        .into_bytes(),
        sep: ":",
        errno: e,
        code: 1,
        flow: crate::error::Flow::Return,
    })
}

/// `ip netns pids NAME|PATH`: the processes whose network namespace it is. Processes the
/// caller may not examine are skipped (root sees all).
pub fn pids(ctx: &Context, words: &[OsString]) -> Result<Vec<u32>> {
    let name = words.first().ok_or_else(|| Error::text("No netns name specified"))?;
    if words.len() > 1 {
        return Err(Error::text("extra arguments specified"));
    }
    let ns = open_checked(
        &crate::owners::select::target(name, &ctx.rundir, 1)?,
        &ctx.rundir,
        |e| Error::os("Cannot open network namespace", e),
        1,
    )?;
    let id: NsId = ns.identity().map_err(|e| Error::os("Stat of netns failed", e))?;
    procfs::pids_in(std::path::Path::new("/proc/"), id).map_err(|e| Error::os("Open of /proc failed", e))
}

/// What `inspect` found: one report per namespace, and (without targets) the run-dir
/// entries that were skipped, each with the reason.
#[derive(Debug, Default)]
pub struct Inspection {
    /// One report per namespace, in the order asked (or readdir order).
    pub reports: Vec<NsReport>,
    /// Run-dir entries skipped because they are not network namespaces.
    pub skipped: Vec<Error>,
}

/// `rnetns inspect [TARGET...]`: links, addresses and main-table routes of each target
/// (`ip link; ip addr; ip route; ip -6 route` inside it), or of every named namespace in
/// readdir order. Needs CAP_SYS_ADMIN (to enter the namespaces). An explicit target that
/// cannot be opened or is not a network namespace fails the command; without targets
/// such entries are skipped.
pub fn inspect(ctx: &Context, words: &[OsString]) -> Result<Inspection> {
    let rtnl = open_rtnl()?;
    let explicit = !words.is_empty();
    let targets: Vec<Target> = if explicit {
        words
            .iter()
            .map(|w| crate::owners::select::target(w, &ctx.rundir, 1))
            .collect::<Result<_>>()?
    } else {
        match ctx.rundir.entries() {
            Ok(e) => e.into_iter().map(|e| Target::Name(e.name)).collect(),
            Err(Errno::ENOENT) => Vec::new(),
            Err(e) => {
                let dir = String::from_utf8_lossy(ctx.rundir.display());
                return Err(Error::os(format!("Failed to open directory {dir}"), e));
            }
        }
    };
    let mut out = Inspection::default();
    // A failure ends the command for explicit targets; it skips the entry otherwise.
    let fail = |e: Error, out: &mut Inspection| -> Result<()> {
        if explicit {
            return Err(e);
        }
        out.skipped.push(e);
        Ok(())
    };
    let mut targets = targets.into_iter().peekable();
    while targets.peek().is_some() {
        // A batch of namespaces at a time: a namespace fd and a socket each stay open.
        let mut opened = Vec::new();
        for t in targets.by_ref().take(query_batch().min(64)) {
            match open_netns(&t, &ctx.rundir) {
                Ok(ns) => opened.push((t, ns)),
                Err(e) => fail(e, &mut out)?,
            }
        }
        let fds: Vec<_> = opened.iter().map(|(_, ns)| ns.fd()).collect();
        let ids = rtnl.nsids_of_fds(&fds);
        let socks = crate::netlink::inspect::sockets_in(&fds);
        for (((target, _), id), sock) in opened.iter().zip(ids).zip(socks) {
            let dump = sock
                .map_err(|e| {
                    let mut m = b"Cannot open rtnetlink in \"".to_vec();
                    m.extend_from_slice(target.label().as_encoded_bytes());
                    m.push(b'"');
                    Error::os(m, Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))
                })
                .and_then(|s| rtnl.inspect_socket(s).map_err(Error::Netlink));
            match dump {
                Ok((links, routes)) => out.reports.push(NsReport {
                    target: target.clone(),
                    // No id (or a refusal) only leaves the header without one.
                    id: id.ok().flatten(),
                    links,
                    routes,
                }),
                Err(e) => fail(e, &mut out)?,
            }
        }
    }
    Ok(out)
}

/// Open a target and make sure it is a network namespace (names too: a stale run-dir
/// entry is refused rather than read as an empty namespace).
fn open_netns(target: &Target, rundir: &RunDir) -> Result<Netns> {
    let ns = Netns::open(&target.path(rundir)).map_err(|e| {
        let mut m = b"Cannot open network namespace \"".to_vec();
        m.extend_from_slice(target.label().as_encoded_bytes());
        m.push(b'"');
        Error::os(m, e)
    })?;
    ns.check().map_err(|w| Error::NotNetns {
        target: target.label().to_os_string(),
        why: w.why(),
        code: 1,
    })?;
    Ok(ns)
}

trait FromBytes {
    fn from_bytes_(b: &[u8]) -> &OsStr;
}

impl FromBytes for OsStr {
    fn from_bytes_(b: &[u8]) -> &OsStr {
        std::os::unix::ffi::OsStrExt::from_bytes(b)
    }
}

/// `rnetns discover`: every network namespace visible from here (see
/// [`crate::netns::discover::scan`]), with the caller's ids when netlink can be opened.
/// Root sees all; an unprivileged caller sees what /proc lets it read.
pub fn discover(ctx: &Context) -> Result<Vec<crate::netns::discover::Discovered>> {
    use crate::netns::discover;
    let proc_root = std::path::Path::new("/proc");
    let mut found = discover::scan(proc_root, &ctx.rundir).map_err(|e| Error::os("Cannot open /proc", e))?;
    if let Ok(rtnl) = Rtnl::open() {
        discover::assign_nsids(&rtnl, &mut found, proc_root, &ctx.rundir, query_batch());
    }
    Ok(found)
}
