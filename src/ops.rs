//! One typed function per command: the library's whole surface for the binary. Words have
//! already been parsed (names, PIDs, ids, keywords); nothing here prints: warnings that
//! iproute2 prints on the way come back in the result.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;

use nix::errno::Errno as NixErrno;
use nix::fcntl::{AT_FDCWD, OFlag, openat};
use nix::sys::stat::Mode;

use crate::error::{Error, Result, errno};
use crate::model::{NsEntry, NsidLine, Sections};
use crate::netlink::names::{Scan, names_of_ids, open_rtnl, query_batch, refused_entries};
pub use crate::netlink::survey::Found;
use crate::netlink::survey::inspect_each;
use crate::netlink::{NetlinkError, NsidReply, Rtnl};
use crate::netns::bulk::BulkAdd;
use crate::netns::discover::Discovery;
use crate::netns::exec::{self, ChildEnd};
use crate::netns::monitor::Monitor;
use crate::netns::stale::{EntryState, Pruned};
use crate::netns::{Netns, NsId, Report, RunDir, Target, open_checked, procfs, read_entries, thread};

/// Where commands run: the run dir, and the caller's mount namespace when `-n` moved this
/// process into another one (mounts made by add/attach/delete go back there).
#[derive(Debug, Default)]
pub struct Context {
    rundir: RunDir,
    /// The mount namespace this process started in, once `-n` has left it.
    home_mnt: Option<OwnedFd>,
    /// Create namespaces on dedicated threads for the whole run (a batch) instead of a
    /// child task per `add` (a fresh thread after `-n`).
    reuse_creator: bool,
    /// Those threads (a pool, several for a run of adds), started by the first `add` and
    /// stopped before exec forks: a child may only be forked from a single-threaded process.
    creators: std::sync::Mutex<Option<thread::Creators>>,
}

impl Context {
    /// Commands on `rundir` (`/run/netns` by default).
    pub fn new(rundir: RunDir) -> Context {
        Context {
            rundir,
            ..Context::default()
        }
    }

    /// The run dir.
    pub fn rundir(&self) -> &RunDir {
        &self.rundir
    }

    /// Many commands in one run (a batch): every `add` creates its namespace on a dedicated
    /// thread instead of a child task each.
    pub fn for_batch(mut self) -> Context {
        self.reuse_creator = true;
        self
    }
}

/// `ip -n NAME ...`: enter NAME (network namespace, mounts, /sys, /etc/netns binds) on the
/// calling thread, remembering the mount namespace it came from: run-dir changes made later
/// go back there. Returns ip's warnings (failed /etc binds). The process must be
/// single-threaded. Needs CAP_SYS_ADMIN.
pub fn enter(ctx: &mut Context, name: &OsStr) -> Result<Vec<Error>> {
    if ctx.home_mnt.is_none() {
        ctx.home_mnt = Netns::open_raw("/proc/self/ns/mnt".as_ref()).ok().map(Netns::into_fd);
    }
    exec::switch(&Target::Name(name.to_os_string()), &ctx.rundir)
}

/// What `list` found.
#[derive(Debug, Default)]
pub struct Listing {
    /// The entries with their ids; `None` when the run dir cannot be read (ip prints
    /// nothing at all).
    pub entries: Option<Vec<NsEntry>>,
    /// Kernel refusals met on the way (one per entry that is not a namespace).
    pub warnings: Vec<NetlinkError>,
}

/// `ip netns list`: every run-dir entry in readdir order with its id, if assigned. No
/// privilege needed.
pub fn list(ctx: &Context) -> Result<Listing> {
    let (mut entries, mut warnings) = (Vec::new(), Vec::new());
    let readable = list_each(ctx, &mut |piece| {
        warnings.extend(piece.warnings);
        entries.extend(piece.entries.into_iter().flatten());
    })?;
    Ok(Listing {
        entries: readable.then_some(entries),
        warnings,
    })
}

/// `ip netns list` a piece at a time (see [`list`]): `each` gets consecutive pieces of the
/// listing in readdir order, each with the kernel refusals met in it, so that a run dir of
/// thousands of names is never held whole. Returns false when the run dir cannot be read
/// (ip prints nothing at all; `each` is not called). No privilege needed.
pub fn list_each(ctx: &Context, each: &mut dyn FnMut(Listing)) -> Result<bool> {
    Scan::run_dir_each(&ctx.rundir, &mut |scan: Scan| {
        let Scan {
            entries, ids, warnings, ..
        } = scan;
        // Same size and alignment: the entries' allocation is reused in place.
        let entries = entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| NsEntry {
                name: e.name,
                id: ids.get(i).copied().flatten(),
            })
            .collect();
        each(Listing {
            entries: Some(entries),
            warnings,
        });
    })
}

/// Arguments of `list-id`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListIdArgs {
    /// `target-nsid N`: list the ids as the namespace with id N sees them.
    pub target_nsid: Option<i32>,
    /// `nsid N`: only this id.
    pub nsid: Option<i32>,
}

/// The first pass of `list-id`: the run-dir names of the ids (ip builds this map before it
/// reads its arguments, so its warnings come first).
pub struct IdNames {
    names: HashMap<i32, OsString>,
    rtnl: Option<Rtnl>,
    /// The kernel's answer for the arguments the names were looked up for (asked first, so
    /// that only the names it shows are looked up).
    listing: Option<(ListIdArgs, Result<Vec<NsidReply>>)>,
    /// Kernel refusals met while naming the ids.
    pub warnings: Vec<NetlinkError>,
}

impl std::fmt::Debug for IdNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdNames")
            .field("names", &self.names)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// `ip netns list-id [target-nsid N] [nsid N]`, first pass: see [`IdNames`]. `args` are the
/// command's arguments when they are valid (None: no listing follows, only the warnings
/// are wanted); [`list_id`] then lists with the answer asked here. The warnings are ip's,
/// whichever entries are asked about (see [`crate::netlink::names::names_of_ids`]). No
/// privilege needed.
pub fn list_id_names(ctx: &Context, args: Option<ListIdArgs>) -> Result<IdNames> {
    let mut id_names = IdNames {
        names: HashMap::new(),
        rtnl: None,
        listing: None,
        warnings: Vec::new(),
    };
    let Ok(mut dir) = ctx.rundir.open_dir() else {
        return Ok(id_names);
    };
    let entries = read_entries(&mut dir);
    if entries.is_empty() {
        return Ok(id_names);
    }
    let rtnl = open_rtnl()?;
    let listing = args.map(|a| (a, list_id_replies(&rtnl, a)));
    let wanted: HashSet<i32> = match &listing {
        Some((a, Ok(replies))) => replies.iter().filter_map(|r| list_id_key(a, r)).collect(),
        _ => HashSet::new(),
    };
    if wanted.is_empty() {
        id_names.warnings = refused_entries(&dir, &entries);
    } else {
        drop(dir);
        (id_names.names, id_names.warnings) = names_of_ids(&rtnl, &ctx.rundir, &entries, &wanted);
    }
    id_names.rtnl = Some(rtnl);
    id_names.listing = listing;
    Ok(id_names)
}

/// The kernel's answer `list-id` lists: the one id asked for, or the dump.
fn list_id_replies(rtnl: &Rtnl, args: ListIdArgs) -> Result<Vec<NsidReply>> {
    match args.nsid {
        Some(n) => Ok(vec![rtnl.get_nsid(n, args.target_nsid).map_err(Error::Netlink)?]),
        // What the kernel's dump holds, as ip prints it (on kernels whose dump stops after
        // its first batch, ids past it are missing for ip too).
        None => rtnl.dump_nsids(args.target_nsid).map_err(Error::DumpTerminated),
    }
}

/// The caller's id of the namespace a reply is about, which names it.
fn list_id_key(args: &ListIdArgs, r: &NsidReply) -> Option<i32> {
    let key = if args.target_nsid.is_some() {
        r.current_nsid
    } else {
        r.nsid
    };
    key.filter(|k| *k >= 0)
}

/// `ip netns list-id [target-nsid N] [nsid N]`: the ids as the kernel lists them, each with
/// its run-dir name. A failed dump is [`Error::DumpTerminated`].
pub fn list_id(names: IdNames, args: ListIdArgs) -> Result<Vec<NsidLine>> {
    let IdNames {
        mut names,
        rtnl,
        listing,
        ..
    } = names;
    let replies = match listing {
        Some((a, replies)) if a == args => replies?,
        _ => {
            let rtnl = match rtnl {
                Some(r) => r,
                None => open_rtnl()?,
            };
            list_id_replies(&rtnl, args)?
        }
    };
    Ok(replies
        .into_iter()
        .map(|r| {
            let name = list_id_key(&args, &r).and_then(|k| names.remove(&k));
            NsidLine {
                nsid: r.nsid,
                current_nsid: r.current_nsid,
                name,
            }
        })
        .collect())
}

/// The id `set` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nsid {
    /// `auto`: the kernel picks one.
    Auto,
    /// This id (>= 0).
    Id(i32),
}

/// `ip netns set NAME|PATH NETNSID|auto`: give the namespace an id in the caller's
/// namespace. Needs CAP_NET_ADMIN.
pub fn set(ctx: &Context, target: &Target, nsid: Nsid) -> Result<()> {
    let nsid = match nsid {
        Nsid::Auto => -1,
        Nsid::Id(n) => n,
    };
    let ns = open_checked(target, &ctx.rundir, Report::Named)?;
    // ip opens the entry a second time for the request, and then (6.1's netns_get_fd) a
    // name with a `/` (only `-all` lets one through) is a path from the working directory:
    // when that open fails, ip ends with status 1 and says nothing.
    if let Target::Name(n) = target
        && n.as_encoded_bytes().contains(&b'/')
    {
        let fd = openat(
            AT_FDCWD,
            n.as_os_str(),
            OFlag::O_RDONLY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|_| Error::Reported(1))?;
        return open_rtnl()?.set_nsid(fd.as_fd(), nsid).map_err(Error::Netlink);
    }
    open_rtnl()?.set_nsid(ns.fd(), nsid).map_err(Error::Netlink)
}

/// `ip netns add NAME`: see [`RunDir::add`]; returns ip's warnings. Needs CAP_SYS_ADMIN.
pub fn add(ctx: &Context, name: &OsStr) -> Result<Vec<Error>> {
    if !ctx.reuse_creator {
        return ctx.rundir.add_from(name, ctx.home_mnt.as_ref());
    }
    let mut slot = ctx.creators.lock().unwrap_or_else(|p| p.into_inner());
    let creators = match slot.take() {
        Some(c) => c,
        None => match thread::Creators::start(ctx.home_mnt.as_ref()) {
            Ok(c) => c,
            // No thread for the batch: this add on its own, as a single add does.
            Err(_) => return ctx.rundir.add_from(name, ctx.home_mnt.as_ref()),
        },
    };
    Ok(slot.insert(creators)).and_then(|c| ctx.rundir.add_on(name, c))
}

/// Many `ip netns add NAME` in one run, made several at a time on a pool of threads (one
/// per CPU, capped) with the results of one after the other: see [`BulkAdd`]. Push names
/// while [`BulkAdd::takes`] them and the run is not full, take results in order with
/// [`BulkAdd::take`]; [`BulkAdd::cancel`] takes back what was not handed out. The pool
/// stays with the context for later runs (a batch). Needs CAP_SYS_ADMIN.
pub fn add_bulk<T>(ctx: &Context) -> BulkAdd<'_, T> {
    BulkAdd::new(&ctx.rundir, &ctx.creators, ctx.home_mnt.as_ref())
}

/// `ip netns add NAME` for every name, as `ip -force -batch` of those lines runs them
/// (every name tried, each result in order), with the namespaces made in parallel: see
/// [`add_bulk`]. Needs CAP_SYS_ADMIN.
///
/// ```no_run
/// use rnetns::{RunDir, ops};
/// let ctx = ops::Context::new(RunDir::default());
/// let names: Vec<std::ffi::OsString> = (0..100).map(|i| format!("lab{i}").into()).collect();
/// for (name, result) in names.iter().zip(ops::add_many(&ctx, &names)) {
///     if let Err(e) = result {
///         eprintln!("{}: {e}", name.to_string_lossy());
///     }
/// }
/// ```
pub fn add_many<N: AsRef<OsStr>>(ctx: &Context, names: &[N]) -> Vec<Result<Vec<Error>>> {
    let mut results: Vec<Option<Result<Vec<Error>>>> = (0..names.len()).map(|_| None).collect();
    let mut bulk = add_bulk::<usize>(ctx);
    let take = |bulk: &mut BulkAdd<'_, usize>, results: &mut Vec<Option<Result<Vec<Error>>>>| {
        if let Some((i, r)) = bulk.take() {
            results[i] = Some(r);
        }
    };
    for (i, name) in names.iter().enumerate() {
        let name = name.as_ref();
        if !crate::netns::is_invalid_name(name) {
            // A name pending already: its first add goes first.
            while !bulk.takes(name) || bulk.is_full() {
                take(&mut bulk, &mut results);
            }
            bulk.push(name.to_os_string(), i);
        } else {
            while !bulk.is_empty() {
                take(&mut bulk, &mut results);
            }
            results[i] = Some(add(ctx, name));
        }
    }
    while !bulk.is_empty() {
        take(&mut bulk, &mut results);
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(Error::Thread(errno(NixErrno::EINTR)))))
        .collect()
}

/// End the batch's creator threads, if any run (before a fork).
fn stop_creator(ctx: &Context) {
    drop(ctx.creators.lock().unwrap_or_else(|p| p.into_inner()).take());
}

/// `ip netns attach NAME PID`: see [`RunDir::attach`]; returns ip's warnings. Needs
/// CAP_SYS_ADMIN (and CAP_SYS_PTRACE for another user's process).
pub fn attach(ctx: &Context, name: &OsStr, pid: i32) -> Result<Vec<Error>> {
    in_home(ctx, || ctx.rundir.attach(name, pid))
}

/// What `delete` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delete<'a> {
    /// `ip netns delete NAME`.
    Name(&'a OsStr),
    /// `ip -all netns delete`: every entry.
    All,
}

/// `ip netns delete NAME` or `ip -all netns delete`: see [`RunDir::delete`]. Needs
/// CAP_SYS_ADMIN.
pub fn delete(ctx: &Context, what: Delete<'_>) -> Result<()> {
    match what {
        Delete::All => in_home(ctx, || ctx.rundir.delete_all()),
        Delete::Name(name) => in_home(ctx, || ctx.rundir.delete(name)),
    }
}

/// Run a run-dir change where the caller's mounts live: on this thread normally, on a
/// fresh thread back in the caller's mount namespace after `-n`.
fn in_home<T: Send>(ctx: &Context, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    match &ctx.home_mnt {
        None => f(),
        Some(home) => thread::on_fresh_thread(Some(home), f).map_err(|e| Error::HomeMount(errno(e)))?,
    }
}

/// Whose namespace `identify` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identify {
    /// This process's.
    Current,
    /// The process with this PID (the digits as given).
    Pid(OsString),
    /// A namespace file (rnetns only).
    Path(PathBuf),
}

/// `ip netns identify [PID|PATH]`: every name (readdir order) of the namespace of PID
/// (default: this process); rnetns also takes a path to a namespace file. Needs read
/// access to `/proc/PID/ns/net` (the owner or CAP_SYS_PTRACE).
pub fn identify(ctx: &Context, of: &Identify) -> Result<Vec<OsString>> {
    let proc_file = |path: &std::path::Path| {
        Netns::open_raw(path).map_err(|errno| Error::OpenNetns {
            target: None,
            errno,
            setup: false,
        })
    };
    let ns = match of {
        Identify::Path(p) => open_checked(&Target::Path(p.clone()), &ctx.rundir, Report::Unnamed)?,
        Identify::Pid(digits) => {
            let mut p = OsString::from("/proc/");
            p.push(digits);
            p.push("/ns/net");
            proc_file(p.as_ref())?
        }
        Identify::Current => proc_file("/proc/self/ns/net".as_ref())?,
    };
    let id = ns.identity().map_err(Error::StatNetns)?;
    procfs::names_of(&ctx.rundir, id).map_err(|e| Error::IdentifyReadDir {
        dir: ctx.rundir.path().to_path_buf(),
        errno: errno(e),
    })
}

/// `ip netns pids NAME|PATH`: the processes whose network namespace it is. Processes the
/// caller may not examine are skipped (root sees all).
pub fn pids(ctx: &Context, target: &Target) -> Result<Vec<u32>> {
    let ns = open_checked(target, &ctx.rundir, Report::Unnamed)?;
    let id: NsId = ns.identity().map_err(Error::StatNetns)?;
    procfs::pids_in("/proc/".as_ref(), id).map_err(|e| Error::OpenProc(errno(e)))
}

/// How `exec` runs its command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecMode {
    /// Replace this process (`ip netns exec`): returns only on failure. The process must
    /// be single-threaded.
    Replace,
    /// Fork, run the command in the child and wait (`exec` inside a batch, `-all exec`).
    Child,
}

/// `ip netns exec NAME|PATH CMD...`: run `argv` inside the namespace with ip's mounts
/// (a private mount namespace, the target's /sys, `/etc/netns/NAME` bound over /etc).
/// `report` gets each message ip prints on the way (failed /etc binds, a child's set-up
/// failure); anything the caller buffered for stdout must be written out first. Needs
/// CAP_SYS_ADMIN.
pub fn exec(
    ctx: &Context,
    target: &Target,
    argv: &[OsString],
    mode: ExecMode,
    report: &dyn Fn(&Error),
) -> Result<ChildEnd> {
    match mode {
        ExecMode::Child => {
            stop_creator(ctx);
            exec::run_child(target, &ctx.rundir, argv, report)
        }
        ExecMode::Replace => {
            exec::vrf_reset();
            exec::switch(target, &ctx.rundir)?.iter().for_each(report);
            Err(exec::exec_command(argv))
        }
    }
}

/// `ip -all netns exec CMD...`: for each run-dir entry in readdir order, `before(NAME)`
/// (ip prints a header there), then `argv` in a child inside it. Returns whether any
/// child was killed by a signal (ip's status 1). A missing run dir runs nothing.
pub fn exec_all(
    ctx: &Context,
    argv: &[OsString],
    mut before: impl FnMut(&OsStr),
    report: &dyn Fn(&Error),
) -> Result<bool> {
    let entries = match ctx.rundir.entries() {
        Ok(e) => e,
        Err(NixErrno::ENOENT) => return Ok(false),
        Err(e) => return Err(ctx.rundir.read_dir_error(e)),
    };
    stop_creator(ctx);
    let mut killed = false;
    for entry in entries {
        before(&entry.name);
        if let ChildEnd::Signaled(_) = exec::run_child(&Target::Name(entry.name), &ctx.rundir, argv, report)? {
            killed = true;
        }
    }
    Ok(killed)
}

/// `ip netns monitor`: a watch on the run dir (created if missing). Needs read access to
/// the run dir.
pub fn monitor(ctx: &Context) -> Result<Monitor> {
    Monitor::new(&ctx.rundir)
}

/// `rnetns inspect [TARGET...]`: what `what` selects of each target (`ip link`, `ip addr`,
/// `ip route`, `ip -6 route`, `ip neigh`, `ss -tulpn` inside it), or of every named
/// namespace in readdir order when `targets` is empty. `peer_names` also looks up the
/// run-dir names of the namespaces that links point into (text's `link-netns NAME`). Needs
/// CAP_SYS_ADMIN (to enter the namespaces). An explicit target that cannot be opened or is
/// not a network namespace fails the command before anything is found; without targets such
/// entries are skipped ([`Found::Skipped`]).
///
/// What is read goes to `sink` as it is read, piece by piece in output order ([`Found`]):
/// a namespace's routes and neighbours are never all held at once, so the caller can render
/// each as it comes and a namespace of 10000 routes costs no more memory than one of ten.
pub fn inspect(
    ctx: &Context,
    targets: &[Target],
    what: &Sections,
    peer_names: bool,
    sink: &mut dyn FnMut(Found),
) -> Result<()> {
    let rtnl = open_rtnl()?;
    let explicit = !targets.is_empty();
    let entries = || -> Result<Vec<std::ffi::OsString>> {
        match ctx.rundir.entries() {
            Ok(e) => Ok(e.into_iter().map(|e| e.name).collect()),
            Err(NixErrno::ENOENT) => Ok(Vec::new()),
            Err(e) => Err(ctx.rundir.read_dir_error(e)),
        }
    };
    let targets = if explicit {
        targets.to_vec()
    } else {
        entries()?.into_iter().map(Target::Name).collect()
    };
    // `link-netns NAME`: the run-dir entries, asked about inside each namespace.
    let peers = if peer_names {
        let names = entries().unwrap_or_default();
        names
            .into_iter()
            .map(|n| (ctx.rundir.entry(&n), n))
            .map(|(p, n)| (n, p))
            .collect()
    } else {
        Vec::new()
    };
    inspect_each(&rtnl, &ctx.rundir, targets, explicit, what, &peers, sink)
}

/// `rnetns discover`: every network namespace visible from here (see
/// [`crate::netns::discover`]), with the caller's ids when netlink can be opened. Root
/// sees all; an unprivileged caller sees what /proc lets it read: `refused` counts the
/// processes that could not be read (the records are then partial).
pub fn discover(ctx: &Context) -> Result<Discovery> {
    use crate::netns::discover;
    let proc_root = std::path::Path::new("/proc");
    let mut found = discover::scan_all(proc_root, &ctx.rundir).map_err(|e| Error::ScanProc(errno(e)))?;
    if let Ok(rtnl) = Rtnl::open() {
        crate::netlink::names::assign_nsids(&rtnl, &mut found.namespaces, proc_root, &ctx.rundir, query_batch());
    }
    Ok(found)
}

/// `rnetns prune [--dry-run]`: see [`RunDir::prune`]. Needs write access to the run dir.
pub fn prune(ctx: &Context, dry_run: bool) -> Result<Vec<Pruned>> {
    ctx.rundir.prune(dry_run)
}

/// `rnetns exists NAME|PATH`: what the target is (live, missing, unreadable, stale). No
/// privilege needed for names.
pub fn exists(ctx: &Context, target: &Target) -> EntryState {
    ctx.rundir.state(target)
}
