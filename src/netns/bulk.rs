//! Many `add`s at once (a batch's run of `add` lines, [`crate::ops::add_many`]): the
//! namespaces are made on a pool of creator threads, several at a time (the kernel sets up
//! network namespaces in parallel), while every result comes back in the order the names
//! were given, the one a run of the same adds one after the other would give.
//!
//! How the order is kept:
//! - results are handed out oldest first ([`BulkAdd::take`]), whatever order the threads
//!   finish in;
//! - the calling thread prepares the run dir and makes each entry (the placeholder) in line
//!   order, as ip does; only the namespace and its mount are made in parallel, by the pool.
//!   So the run dir lists the entries in the order ip's batch gives them (`list` after a
//!   batch prints the same lines). After `-n` (the calling thread is in another mount
//!   namespace) the pool has one thread, which does each whole add in turn;
//! - a name already pending is not taken (the caller finishes the run first), so two adds
//!   never race for one name;
//! - an add that failed while others were in flight may have failed because of them (a
//!   descriptor limit, the namespace limit, memory; the entries made ahead hold descriptors
//!   too): before its failure is final, every younger add is taken back and it is made again
//!   alone, then the younger ones go on. Only `File exists` is final at once (no other
//!   pending add has that name);
//! - [`BulkAdd::cancel`] (and dropping the run) takes back every add not yet handed out: a
//!   failed line without `-force` leaves no later line's namespace behind.
//!
//! An observer of the run dir (`monitor`) may see adds out of line order within the window,
//! and a namespace taken back appear and go again.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::{Mutex, mpsc};

use super::RunDir;
use super::mount::{Created, Placeholder};
use super::thread::Creators;
use crate::error::{Error, Result, errno};

/// The most creator threads one run uses (namespace set-up has kernel-wide locks; more
/// threads than this gain nothing measurable).
const MAX_THREADS: usize = 8;
/// Adds in flight per thread: enough that no thread waits while results are handed out,
/// few enough that a failure takes back little.
const PER_THREAD: usize = 4;

type Outcome = Result<(Vec<Error>, Created)>;

/// A run of adds in flight; `T` tags each name for the caller (a batch's line number).
pub struct BulkAdd<'c, T> {
    rundir: &'c RunDir,
    creators: &'c Mutex<Option<Creators>>,
    home: Option<&'c OwnedFd>,
    /// Threads wanted (CPUs, capped); 0 until the first add.
    wanted: usize,
    /// False once no pool can be started: each add then runs on its own, one at a time.
    pooled: bool,
    pending: VecDeque<Slot<T>>,
    done_tx: mpsc::Sender<(u64, Outcome)>,
    done: mpsc::Receiver<(u64, Outcome)>,
    next_id: u64,
}

impl<T> std::fmt::Debug for BulkAdd<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BulkAdd({} pending)", self.pending.len())
    }
}

struct Slot<T> {
    id: u64,
    tag: T,
    name: OsString,
    path: PathBuf,
    outcome: Option<Outcome>,
    /// Made again with nothing else in flight: its result is final.
    alone: bool,
}

/// A failure no concurrent add can have caused.
fn is_final(e: &Error) -> bool {
    matches!(e, Error::CreateEntry { errno, .. } if errno.raw() == libc::EEXIST)
}

impl<'c, T> BulkAdd<'c, T> {
    pub(crate) fn new(rundir: &'c RunDir, creators: &'c Mutex<Option<Creators>>, home: Option<&'c OwnedFd>) -> Self {
        let (done_tx, done) = mpsc::channel();
        BulkAdd {
            rundir,
            creators,
            home,
            wanted: 0,
            pooled: true,
            pending: VecDeque::new(),
            done_tx,
            done,
            next_id: 0,
        }
    }

    /// Whether `name` can join the run: a plain name (no `/`, not `.` or `..`: it names the
    /// same entry only when the bytes are the same) that no pending add has.
    pub fn takes(&self, name: &OsStr) -> bool {
        !super::is_invalid_name(name) && !self.pending.iter().any(|s| s.name == name)
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Whether the oldest pending add has finished ([`BulkAdd::take`] would not wait for
    /// it). Collects what has finished without waiting.
    pub fn is_ready(&mut self) -> bool {
        while let Ok((id, outcome)) = self.done.try_recv() {
            self.record(id, outcome);
        }
        self.pending.front().is_some_and(|s| s.outcome.is_some())
    }

    /// A result from the pool, to its slot.
    fn record(&mut self, id: u64, outcome: Outcome) {
        if let Some(s) = self.pending.iter_mut().find(|s| s.id == id) {
            s.outcome = Some(outcome);
        }
    }

    /// Whether the oldest result must be taken ([`BulkAdd::take`]) before the next push.
    pub fn is_full(&self) -> bool {
        let window = if self.pooled {
            (self.wanted.max(1) * PER_THREAD).max(2)
        } else {
            1
        };
        self.pending.len() >= window
    }

    fn pool(&self) -> std::sync::MutexGuard<'c, Option<Creators>> {
        self.creators.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Start making `name` (which [`BulkAdd::takes`]; the run is not full).
    pub fn push(&mut self, name: OsString, tag: T) {
        let path = self.rundir.entry(&name);
        let id = self.next_id;
        self.next_id += 1;
        let mut slot = Slot {
            id,
            tag,
            name,
            path,
            outcome: None,
            alone: false,
        };
        if self.wanted == 0 {
            self.wanted = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(MAX_THREADS);
        }
        if self.pooled {
            let in_flight = self.pending.len() + 1;
            let mut pool = self.pool();
            if pool.is_none() {
                *pool = Creators::start(self.home).ok();
            }
            match pool.as_mut() {
                Some(p) => {
                    if p.len() < self.wanted && in_flight > p.len() && p.grow().is_err() {
                        // No more threads now (`ulimit -u`, pids cgroup): go on with these.
                        self.wanted = p.len();
                    }
                    slot.outcome = self.start(p, &slot);
                }
                None => self.pooled = false,
            }
        }
        if !self.pooled {
            // No thread at all: this add on its own, as a single `add` makes it.
            slot.outcome = Some(
                self.rundir
                    .add_from(&slot.name, self.home)
                    .map(|w| (w, Created::default())),
            );
        }
        self.pending.push_back(slot);
    }

    /// Start the add of `slot` on the pool: its entry made here first (in line order),
    /// unless the pool makes whole adds (after `-n`). An outcome when it ends at once.
    fn start(&self, pool: &Creators, slot: &Slot<T>) -> Option<Outcome> {
        let job = if self.home.is_some() {
            Job::Whole
        } else {
            match self.rundir.add_entry(&slot.path) {
                Ok(entry) => Job::Into(entry),
                Err(e) => return Some(Err(e)),
            }
        };
        submit(pool, self.rundir, slot, self.done_tx.clone(), job)
            .err()
            .map(Err)
    }

    /// Wait until the pending add at `i` has its result.
    fn wait(&mut self, i: usize) {
        while self.pending[i].outcome.is_none() {
            // Every submitted job sends exactly one result (a panic is caught and sent as
            // one), and this run holds a sender: the receive cannot fail.
            let Ok((id, outcome)) = self.done.recv() else {
                self.pending[i].outcome = Some(Err(Error::Thread(errno(nix::errno::Errno::EINTR))));
                return;
            };
            self.record(id, outcome);
        }
    }

    /// The oldest pending add's final result, with its tag; None when nothing is pending.
    pub fn take(&mut self) -> Option<(T, Result<Vec<Error>>)> {
        if self.pending.is_empty() {
            return None;
        }
        self.wait(0);
        let front = &self.pending[0];
        // Pooled, an add always has company: other threads' adds, and (even with one thread)
        // the next lines' entries this thread makes, whose descriptors it holds. Made alone
        // (no pool, or made again below), its result is final.
        if self.pooled && !front.alone && matches!(&front.outcome, Some(Err(e)) if !is_final(e)) {
            self.again_alone();
        }
        let slot = self.pending.pop_front()?;
        let outcome = slot
            .outcome
            .unwrap_or(Err(Error::Thread(errno(nix::errno::Errno::EINTR))));
        Some((slot.tag, outcome.map(|(w, _)| w)))
    }

    /// The oldest add failed while others ran: take back every younger one, make the oldest
    /// again with nothing else in flight, then start the younger ones again.
    fn again_alone(&mut self) {
        for i in 1..self.pending.len() {
            self.wait(i);
        }
        let pool = self.pool();
        let Some(p) = pool.as_ref() else {
            return;
        };
        let mut redo = vec![false; self.pending.len()];
        for (i, s) in self.pending.iter_mut().enumerate().skip(1) {
            redo[i] = match &s.outcome {
                // Taken back (or gone already): made again below. One that cannot be
                // taken back stays made, with its result.
                Some(Ok((_, made))) => undo(p, self.rundir, &s.path, *made).is_ok(),
                _ => true,
            };
            if redo[i] {
                s.outcome = None;
            }
        }
        let front = &self.pending[0];
        let (rundir, name, path) = (self.rundir.clone(), front.name.clone(), front.path.clone());
        let again = p
            .run(move || rundir.add_here(&name, &path))
            .unwrap_or_else(|e| Err(Error::Thread(errno(e))));
        self.pending[0].outcome = Some(again);
        self.pending[0].alone = true;
        for (i, again) in redo.iter().enumerate() {
            if *again {
                let outcome = self.start(p, &self.pending[i]);
                self.pending[i].outcome = outcome;
            }
        }
    }

    /// Take back every add not handed out yet (waiting for those in flight); returns the
    /// failures to remove one (each a `Cannot remove namespace file` error).
    pub fn cancel(&mut self) -> Vec<Error> {
        for i in 0..self.pending.len() {
            self.wait(i);
        }
        let pool = self.pool();
        let mut failures = Vec::new();
        for s in self.pending.drain(..) {
            if let Some(Ok((_, made))) = s.outcome {
                let undone = match pool.as_ref() {
                    Some(p) => undo(p, self.rundir, &s.path, made),
                    // Made on this thread, one at a time: never ahead of a failed line.
                    None => Ok(()),
                };
                failures.extend(undone.err());
            }
        }
        failures
    }
}

impl<T> Drop for BulkAdd<'_, T> {
    /// A run dropped with adds pending takes them back (an early return never leaves a
    /// later line's namespace behind).
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.cancel();
        }
    }
}

/// What a pool thread does for one add.
enum Job {
    /// The whole add (after `-n`: the pool is where the mounts live).
    Whole,
    /// The namespace and its mount onto the entry already made.
    Into((Vec<Error>, Placeholder)),
}

/// Queue the add of `slot` on the pool; its result goes to `done`. (Queueing cannot fail
/// while the pool exists: it holds the queue's receiving end.)
fn submit<T>(
    pool: &Creators,
    rundir: &RunDir,
    slot: &Slot<T>,
    done: mpsc::Sender<(u64, Outcome)>,
    job: Job,
) -> std::result::Result<(), Error> {
    let (rundir, name, path, id) = (rundir.clone(), slot.name.clone(), slot.path.clone(), slot.id);
    pool.submit(Box::new(move || {
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match job {
            Job::Whole => rundir.add_here(&name, &path),
            Job::Into(entry) => rundir.add_into(&name, &path, entry),
        }))
        .unwrap_or_else(|_| Err(Error::Thread(errno(nix::errno::Errno::EINTR))));
        let _ = done.send((id, made));
    }))
    .map_err(|e| Error::Thread(errno(e)))
}

/// Take back one add on the pool (its threads are where the mounts live, after `-n`).
fn undo(pool: &Creators, rundir: &RunDir, path: &std::path::Path, made: Created) -> Result<()> {
    let (rundir, path) = (rundir.clone(), path.to_path_buf());
    pool.run(move || rundir.undo_add(&path, made))
        .unwrap_or_else(|e| Err(Error::Thread(errno(e))))
}
