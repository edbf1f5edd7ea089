#!/usr/bin/env python3
"""Side-by-side benchmark of rnetns against iproute2's `ip netns` (issues 7 and 18).

Run as root from the repository root:

    sudo python3 scripts/bench.py [--quick] [--only NAME...] [--rounds N] [--no-build]
                                  [--scale-sizes N...] [--out DIR]

It builds the release binary and the C floor probes (scripts/floor.c), re-executes itself
inside a private sandbox (`unshare --mount --net --pid --fork --mount-proc --propagation
private`, tmpfs on /run/netns and on /tmp), so the host's namespaces are never touched, and
for every operation runs ip, rnetns and (where there is one) the C floor alternately
(A B F A F B ...) for several rounds.  It prints a Markdown table (medians, ratio
ip/rnetns, target, met?, floor, at floor?) and writes it with the machine description to
OUT/bench-results.md, the raw numbers to OUT/bench-results.json and, from the `scaling`
case (list, -j list, identify, discover and -all delete at 100..10000 namespaces, time and
peak RSS), a scaling table in the same files and the plots OUT/scaling-time.svg,
OUT/scaling-rss.svg and OUT/list-scaling.svg.  OUT is docs/ for a full run and
target/bench/ for --quick or --only runs.  A missed target is reported, not an error:
the exit status is 0 unless the harness itself fails.

Python 3 standard library only.
"""

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in scripts/ from a run as root
from bench_plot import svg_plot, svg_scale  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILT = os.path.join(REPO, "target", "release", "rnetns")
FLOOR_BUILT = os.path.join(REPO, "target", "bench", "floor")  # built from scripts/floor.c
# What is timed: copies of both read back from disk, as ip is (install_copies).
BIN = os.path.join(REPO, "target", "bench", "bin")
RNETNS = os.path.join(BIN, "rnetns")
FLOOR = os.path.join(BIN, "floor")
IP = shutil.which("ip") or "/usr/sbin/ip"
RUN = "/run/netns"
SCRATCH = "/tmp"  # a private tmpfs inside the sandbox

# name, label, target kind, target value
#   kind "ratio": ip/rnetns >= value; "le": rnetns <= value * reference
OPS = [
    ("version", "`-V` start-up, shell loop", "ratio", 1.5),
    # issue 18: within 10 % of the C floor's ratio (ip/floor 1.89 and 1.94 when set)
    ("add", "add, one process each, shell loop", "ratio", 1.7),
    ("delete", "delete, one process each, shell loop", "ratio", 1.75),
    ("batch", "`-batch` add", "ratio", 1.5),
    ("batch-add-force", "`-force -batch` add, every 10th name exists", "ratio", 1.5),
    ("list", "list, no ids", "ratio", 1.0),
    ("list-json", "`-j list`, no ids", "ratio", 1.0),
    ("list-ids", "list, all with ids", "ratio", 2),
    ("list-id-all", "list-id, every name with an id", "ratio", 1.0),
    ("list-id", "list-id with 10 unnamed ids", "ratio", 10),
    ("identify", "identify PID", "ratio", 1.4),
    ("exec", "exec NS true, shell loop", "ratio", 1.0),
    ("pids", "pids NS", "ratio", 1.2),
    ("rss", "peak RSS of list", "le", 1.0),
    ("inspect", "`-j inspect` (all sections) vs `ip -j -n X addr; route; neigh; ip netns exec X ss -tulpn` per ns", "ratio", 5),
    ("inspect-routes", "`-j inspect -s routes` vs `ip -j route; ip -j -6 route`", "le", 1.0),
    ("inspect-routes-rss", "peak RSS of the two above", "le", 1.0),
    ("inspect-sockets", "`inspect -s sockets` vs `ip netns exec X ss -tulpn`", "le", 1.0),
    ("inspect-sockets-rss", "peak RSS of the two above", "le", 1.0),
    ("discover", "discover vs `lsns -t net`", "le", 2.0),
]
OP_NAMES = [o[0] for o in OPS] + ["scaling"]
# ops with a C floor measured serially and by a thread pool (scripts/floor.c batch-add)
PARALLEL_FLOOR = ("batch", "batch-add-force")

# --only scaling: every op at each size, time and peak RSS, ip's counterpart on the left.
# name, label, ip argv, rnetns argv ("{pid}" is a process in one of the namespaces)
SCALE_SIZES = [100, 1000, 3000, 10000]
SCALE_OPS = [
    ("list", "list", [IP, "netns", "list"], [RNETNS, "list"]),
    ("list-json", "`-j list`", [IP, "-j", "netns", "list"], [RNETNS, "-j", "list"]),
    ("identify", "identify PID", [IP, "netns", "identify", "{pid}"], [RNETNS, "identify", "{pid}"]),
    ("discover", "discover (ip: `lsns -t net`)", ["lsns", "-t", "net"], [RNETNS, "discover"]),
    ("delete-all", "`-all delete`", [IP, "-all", "netns", "delete"], [RNETNS, "-all", "delete"]),
]
LINEAR_FACTOR = 1.5  # per-namespace cost at the top size <= this times the one at 1/10 of it


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- outer: build, sandbox


def find_cargo():
    c = shutil.which("cargo")
    if c:
        return c
    for home in (os.path.expanduser("~" + os.environ.get("SUDO_USER", "")), "/root"):
        p = os.path.join(home, ".cargo", "bin", "cargo")
        if os.access(p, os.X_OK):
            return p
    sys.exit("bench: cargo not found (use --no-build after `cargo build --release`)")


def build_floor():
    """The C floor probe, when a C compiler is there (static if libc.a is): optional. It also
    holds the processes of the scaling case and measures peak RSS; without it the harness
    falls back to nsenter + sleep, GNU time, and ip -batch for populating."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        log("bench: no C compiler: the C floor column stays empty")
        return
    os.makedirs(os.path.dirname(FLOOR_BUILT), exist_ok=True)
    if os.path.exists(FLOOR_BUILT):
        os.unlink(FLOOR_BUILT)  # never time a stale build
    src = os.path.join(REPO, "scripts", "floor.c")
    for extra in (["-static"], []):
        if subprocess.run([cc, "-O2", "-pthread", *extra, "-o", FLOOR_BUILT, src],
                          stderr=subprocess.DEVNULL).returncode == 0:
            return
    log("bench: scripts/floor.c did not build: the C floor column stays empty")


def install_copies():
    """rnetns and the floor are timed as installed programs are run, in the state ip's own
    executable is in: copied to target/bench/bin/ (front to back, as `cargo install` or
    dpkg write a file), written out, their cached pages dropped, and read back from disk by
    the first run. How a file came into the page cache moves both a run's time and its peak
    RSS (the linker's own output, a fresh copy and a file read from disk measured 1263, 1226
    and 1274 us per add, and 1388, 1772 and 1452 kB for `list`: docs/performance.md)."""
    os.makedirs(BIN, exist_ok=True)
    for src, dst in ((BUILT, RNETNS), (FLOOR_BUILT, FLOOR)):
        if os.path.exists(dst):
            os.unlink(dst)
        if os.path.exists(src):
            shutil.copyfile(src, dst)
            os.chmod(dst, 0o755)
            fd = os.open(dst, os.O_RDONLY)
            try:
                os.fsync(fd)  # clean pages only can be dropped
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def outer(args):
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (sudo python3 scripts/bench.py)")
    if not args.no_build:
        log("bench: cargo build --release")
        subprocess.run([find_cargo(), "build", "--release"], cwd=REPO, check=True)
    if not os.access(BUILT, os.X_OK):
        sys.exit(f"bench: {BUILT} missing")
    out = os.path.abspath(args.out) if args.out else ""
    if any(out == d or out.startswith(d + "/") for d in (SCRATCH, "/run")):
        sys.exit(f"bench: --out {args.out}: {SCRATCH} and /run are private tmpfs mounts "
                 "inside the sandbox; choose a directory elsewhere")
    build_floor()
    install_copies()
    env = dict(os.environ)
    env["BENCH_HOST_MNTNS"] = str(os.stat("/proc/self/ns/mnt").st_ino)
    env["BENCH_HOST_NETNS"] = str(os.stat("/proc/self/ns/net").st_ino)
    env["LC_ALL"] = "C"
    cmd = ["unshare", "--mount", "--net", "--pid", "--fork", "--mount-proc",
           "--propagation", "private", sys.executable, os.path.abspath(__file__),
           "--inner"] + sys.argv[1:]
    return subprocess.run(cmd, env=env).returncode


# ---------------------------------------------------------------- inner: sandbox checks


def sandbox_setup():
    host_mnt = os.environ.get("BENCH_HOST_MNTNS")
    host_net = os.environ.get("BENCH_HOST_NETNS")
    if not host_mnt or str(os.stat("/proc/self/ns/mnt").st_ino) == host_mnt:
        sys.exit("bench: refusing to run: not in a private mount namespace")
    if not host_net or str(os.stat("/proc/self/ns/net").st_ino) == host_net:
        sys.exit("bench: refusing to run: not in a private network namespace")
    with open("/proc/self/mountinfo") as f:
        for line in f:
            parts = line.split()
            if parts[4] == "/":
                opt = parts[6:parts.index("-")]
                if any(o.startswith("shared:") for o in opt):
                    sys.exit("bench: refusing to run: / is shared with the host")
    if not os.path.isdir(RUN):
        # create the mount point inside the private mount namespace only
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755", "bench-run", "/run"], check=True)
        os.makedirs(RUN)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755", "bench-netns", RUN], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=1777", "bench-scratch", SCRATCH], check=True)
    if os.listdir(RUN):
        sys.exit("bench: /run/netns is not empty after the tmpfs mount")
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)


# ---------------------------------------------------------------- measuring helpers


def bash_time(script, n=1):
    """Seconds per iteration of `script` (bash, $i is the index) run n times in a loop,
    timed inside bash with $EPOCHREALTIME (the shell's fork+exec is part of it, as for users)."""
    prog = ('s=$EPOCHREALTIME; for ((i=0;i<%d;i++)); do %s; done; e=$EPOCHREALTIME; '
            'echo "$s $e"' % (n, script))
    r = subprocess.run(["bash", "-c", prog], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True, check=True)
    s, e = r.stdout.split()[-2:]
    return (float(e) - float(s)) / n


DEVNULL_FD = None


def time_cmd(argv, expect=0):
    """Seconds of one run of argv (stdout/stderr to /dev/null), from posix_spawn to the
    child's exit: the least launcher overhead Python allows (subprocess.run adds about a
    millisecond of its own, which would flatten every ratio of a fast command)."""
    global DEVNULL_FD
    if DEVNULL_FD is None:
        DEVNULL_FD = os.open(os.devnull, os.O_WRONLY)
    path = shutil.which(argv[0]) or argv[0]
    actions = [(os.POSIX_SPAWN_DUP2, DEVNULL_FD, 1), (os.POSIX_SPAWN_DUP2, DEVNULL_FD, 2)]
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(path, argv, os.environ, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    t1 = time.perf_counter_ns()
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        log(f"bench: warning: {' '.join(argv[:4])} exited {code}")
    return (t1 - t0) / 1e9


def measure(argv, expect=0):
    """(seconds, peak RSS kB) of one run of argv, from the same run: `floor measure` spawns
    it from a small static process and reports wall time and wait4's ru_maxrss (Python's
    own wait4 would report at least Python's RSS: exec keeps the high-water mark of the mm
    it replaces, and a posix_spawn child starts on its parent's). Without the floor binary:
    time_cmd, then a second run under GNU time for the RSS (None where a second run would
    not do the same work, i.e. when expect is None)."""
    if os.access(FLOOR, os.X_OK):
        r = subprocess.run([FLOOR, "measure"] + argv, stdout=subprocess.PIPE, text=True)
        if len(r.stdout.split()) != 3:
            sys.exit(f"bench: could not run {argv[0]}")
        secs, kb, code = r.stdout.split()
        if int(code) != (expect or 0):
            log(f"bench: warning: {' '.join(argv[:4])} exited {code}")
        return float(secs), int(kb)
    t = time_cmd(argv, expect or 0)
    return t, (peak_rss_kb(argv) if expect is not None else None)


def peak_rss_kb(argv):
    if os.access("/usr/bin/time", os.X_OK):
        out = os.path.join(SCRATCH, "rss.txt")
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            return int(f.read().split()[-1])
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return ru.ru_maxrss


def netns_slab():
    try:
        with open("/proc/slabinfo") as f:
            for line in f:
                if line.startswith("net_namespace "):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def sunreclaim():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("SUnreclaim:"):
                return int(line.split()[1])
    return 0


BASE = {}


def settle(timeout=20.0):
    """Wait for the kernel's async netns teardown: net_namespace slab objects (or
    SUnreclaim) back near the level seen at start, or no longer falling."""
    t0 = time.monotonic()
    probe = netns_slab if netns_slab() is not None else sunreclaim
    base = BASE.setdefault("settle", probe())
    tol = 8 if probe is netns_slab else max(base // 10, 1)
    last, last_change = None, time.monotonic()
    while time.monotonic() - t0 < timeout:
        # a dying netns frees the previous cleanup batch (defer_free_list since ~6.3)
        subprocess.run(["unshare", "-n", "true"], check=False)
        v = probe()
        if v <= base + tol:
            break
        if last is None or v < last:
            last, last_change = v, time.monotonic()
        elif time.monotonic() - last_change > 1.5:
            break  # not falling any more (other tenants' namespaces)
        time.sleep(0.05)
    time.sleep(0.2)


def clean_all():
    subprocess.run([IP, "-all", "netns", "delete"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    for n in os.listdir(RUN):  # leftovers (e.g. plain files), never expected
        p = os.path.join(RUN, n)
        subprocess.run(["umount", "-l", p], stderr=subprocess.DEVNULL)
        os.unlink(p)
    settle()


def count_names():
    return len(os.listdir(RUN))


def populate(names, ids=None):
    """Create names with one `ip -batch` (the same setup for both tools)."""
    path = os.path.join(SCRATCH, "populate.batch")
    with open(path, "w") as f:
        for n in names:
            f.write(f"netns add {n}\n")
        if ids is not None:
            for n, i in zip(names, ids):
                f.write(f"netns set {n} {i}\n")
    subprocess.run([IP, "-batch", path], check=True, stdout=subprocess.DEVNULL)


def populate_fast(prefix, first, count):
    """Create PREFIX{first}..PREFIX{first+count-1} with the C floor's thread pool (the
    harness's set-up for the scaling sizes; the entries are the same nsfs bind mounts ip
    makes), or with ip -batch without it."""
    if count <= 0:
        return
    if os.access(FLOOR, os.X_OK):
        subprocess.run([FLOOR, "batch-add", RUN, str(count), str(len(os.sched_getaffinity(0))),
                        prefix, str(first)], check=True)
    else:
        populate([f"{prefix}{i}" for i in range(first, first + count)])


SLEEPERS = []


def spawn_sleep(ns=None):
    argv = ["sleep", "3600"]
    if ns:
        argv = ["nsenter", f"--net={RUN}/{ns}"] + argv
    p = subprocess.Popen(argv)
    SLEEPERS.append(p)
    return p


def hold(n):
    """n processes spread over the named namespaces (scripts/floor.c `hold`), as one
    Popen (in SLEEPERS) and {pid: name}; stop() ends them (the holder kills its children
    by PID and reaps them)."""
    if not os.access(FLOOR, os.X_OK):
        names = sorted(os.listdir(RUN))
        ps = [spawn_sleep(names[i * len(names) // n]) for i in range(n)]
        time.sleep(0.3)
        return ps, {str(p.pid): None for p in ps}
    p = subprocess.Popen([FLOOR, "hold", RUN, str(n)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    SLEEPERS.append(p)
    pids = {}
    for line in p.stdout:
        if line.startswith("ready") or line.startswith("failed"):
            if not line.startswith("ready"):
                log(f"  hold: {line.strip()}")
            break
        pid, name = line.split(None, 1)
        pids[pid] = name.rstrip("\n")
    return [p], pids


def stop_hold(ps):
    for p in ps:
        if p.stdin:
            p.stdin.close()
            p.wait()
            SLEEPERS.remove(p)
    kill_sleepers([p for p in ps if p in SLEEPERS])


def kill_sleepers(ps=None):
    ps = list(SLEEPERS) if ps is None else ps
    for p in ps:
        try:
            os.kill(p.pid, signal.SIGKILL)  # by PID, only processes we started
        except ProcessLookupError:
            pass
        p.wait()
        SLEEPERS.remove(p)


# ---------------------------------------------------------------- the benchmark


def fair_order(tools, k):
    """The tools of rotation k: ip first, then the others as given on even k and reversed on
    odd k. A run leaves the kernel's caches in the state of its own work, so whichever tool
    always ran right after ip (ip's list is 4x the work) ran colder: rnetns `list` of 3000
    names took 4.02 ms right after ip and 3.57 right after the floor (61 alternations each)."""
    return tools[:1] + (tools[1:] if k % 2 == 0 else tools[:0:-1])


class Bench:
    def __init__(self, quick, only, rounds, scale_sizes=None):
        self.quick = quick
        self.div = 10 if quick else 1
        self.scale_sizes = sorted(scale_sizes or [max(1, n // self.div) for n in SCALE_SIZES])
        self.rounds = rounds or (2 if quick else 5)
        self.reps = 3 if quick else 11
        # Single calls judged against a floor (list, -j list, identify: a few ms each): the
        # floor itself moved 10 % between two rows of one run with 11, so more of them.
        self.floor_reps = 3 if quick else 41
        self.only = set(only or OP_NAMES)
        self.res = {}  # name -> dict(ip=[...], rn=[...], size=..., unit=...)
        self.scaling = []  # (N, ip median s, rnetns median s) of list, from the scale phase
        self.scale = {}  # op -> [{size, procs, ip, rn, ip_kb, rn_kb}] (phase_scale)
        self.durations = {}  # phase -> seconds
        self.notes = []

    def want(self, *names):
        return any(n in self.only for n in names)

    def sz(self, n):
        return max(1, n // self.div)

    def record(self, name, size, a, b, unit="s", floor=None):
        self.res[name] = {"size": size, "ip": a, "rn": b, "unit": unit}
        if floor:
            self.res[name]["floor"] = floor
        ma = statistics.median(a) if a else None
        mb = statistics.median(b) if b else None
        log(f"  {name:10} size {size:>6}: ip {fmt(ma, unit)}  rnetns {fmt(mb, unit)}")

    def alternate(self, fa, fb, n):
        a, b = [], []
        for _ in range(n):
            a.append(fa())
            b.append(fb())
        return a, b

    def with_floor(self, fa, fb, argv):
        """ip, rnetns and the C floor probe (scripts/floor.c, when it could be built) in one
        rotation, in the orders A B F and A F B by turns (fair_order)."""
        a, b, f = [], [], []
        runs = [(fa, a), (fb, b)]
        if os.access(FLOOR, os.X_OK):
            runs.append((lambda: time_cmd([FLOOR] + argv), f))
        for k in range(self.floor_reps):
            for fn, out in fair_order(runs, k):
                out.append(fn())
        return a, b, f

    # -- ops without namespaces
    def op_version(self):
        n = self.sz(200)
        a, b = self.alternate(lambda: bash_time(f"{IP} -V >/dev/null", n),
                              lambda: bash_time(f"{RNETNS} -V >/dev/null", n), self.rounds)
        self.record("version", f"{n} calls", a, b)

    def op_exec(self):
        clean_all()
        populate(["e"])
        n = self.sz(100)
        a, b, f = [], [], []
        tools = [(f"{IP} netns exec e true", a), (f"{RNETNS} exec e true", b)]
        if os.access(FLOOR, os.X_OK):
            tools.append((f"{FLOOR} exec {RUN} e true", f))
        for r in range(self.rounds):
            for script, out in fair_order(tools, r):
                out.append(bash_time(script, n))
        self.record("exec", f"1 name, {n} calls", a, b, floor=f)

    def op_pids(self):
        clean_all()
        populate(["p"])
        n = self.sz(500)
        ps = [spawn_sleep("p") for _ in range(5)] + [spawn_sleep() for _ in range(n - 5)]
        time.sleep(0.3)
        nproc = len([d for d in os.listdir("/proc") if d.isdigit()])
        a, b = self.alternate(lambda: time_cmd([IP, "netns", "pids", "p"]),
                              lambda: time_cmd([RNETNS, "pids", "p"]), self.reps)
        self.record("pids", f"{nproc} procs", a, b)
        kill_sleepers(ps)

    # -- add / delete / batch
    def op_add(self):
        n = self.sz(300)
        a, b = [], []
        clean_all()
        f = []
        bare = []
        tools = [(f"{IP} netns add", a), (f"{RNETNS} add", b)]
        if os.access(FLOOR, os.X_OK):
            # The row's floor does ip's run-dir set-up before each add, as ip and rnetns
            # must; the bare one (file, unshare, bind) is shown beside it.
            tools += [(f"{FLOOR} add-prepared {RUN}", f), (f"{FLOOR} add {RUN}", bare)]
        for r in range(self.rounds):
            for tool, out in fair_order(tools, r):
                out.append(bash_time(f"{tool} a$i", n))
                assert count_names() == n, "add loop did not create every name"
                clean_all()
        self.record("add", f"{n} names", a, b, floor=f)
        if bare:
            self.res["add"]["floor_bare"] = bare

    def op_delete(self):
        n = self.sz(300)
        names = [f"d{i}" for i in range(n)]
        a, b = [], []
        clean_all()
        f = []
        tools = [(f"{IP} netns delete", a), (f"{RNETNS} delete", b)]
        if os.access(FLOOR, os.X_OK):
            tools.append((f"{FLOOR} delete {RUN}", f))
        for r in range(self.rounds):
            for tool, out in fair_order(tools, r):
                populate(names)
                out.append(bash_time(f"{tool} d$i", n))
                assert count_names() == 0, "delete loop left names behind"
                settle()
        self.record("delete", f"{n} names", a, b, floor=f)

    def op_batch(self, force=False):
        """N `netns add` lines (b1..bN) with ip -batch, rnetns -batch (the same file) and the
        C floor serial and with one thread per CPU, A B F P A B F P ... With force, every
        10th name exists beforehand (made before each run, not timed) and the batch runs
        with -force: those lines fail and the others go on (exit 1)."""
        n = self.sz(1000)
        path = os.path.join(SCRATCH, "add.batch")
        with open(path, "w") as f:
            f.writelines(f"netns add b{i}\n" for i in range(1, n + 1))
        existing = [f"b{i}" for i in range(10, n + 1, 10)] if force else []
        opt = ["-force"] if force else []
        expect = 1 if existing else 0
        a, b, f, par = [], [], [], []
        threads = len(os.sched_getaffinity(0))
        tools = [([IP] + opt + ["-batch", path], a), ([RNETNS] + opt + ["-batch", path], b)]
        if os.access(FLOOR, os.X_OK):
            # The floors do what ip's batch does per line to the run dir too (mkdir, open,
            # flock, MS_SHARED, unlock, close): the least work with ip's semantics.
            tools += [([FLOOR, "batch-add-prepared", RUN, str(n), "1"], f),
                      ([FLOOR, "batch-add-prepared", RUN, str(n), str(threads)], par)]
        clean_all()
        for r in range(self.rounds):
            for argv, out in fair_order(tools, r):
                if existing:
                    populate(existing)
                out.append(time_cmd(argv, expect) / n)
                assert count_names() == n, "batch did not create every name"
                clean_all()
        name = "batch-add-force" if force else "batch"
        size = f"{n} lines" + (f", {len(existing)} fail" if existing else "")
        self.record(name, size, a, b, floor=f)
        if par:
            self.res[name]["floor_par"] = par
            self.res[name]["floor_threads"] = threads

    def op_batch_force(self):
        self.op_batch(force=True)

    # -- growing population: list, -j list, rss at 3000; identify, discover at 1000
    def phase_population(self):
        n_ident = self.sz(1000)
        sizes = [n_ident]
        if self.want("list", "list-json", "rss"):
            sizes.append(self.sz(3000))
        top = sizes[-1]
        clean_all()
        have = 0
        for size in sizes:
            if size > have:
                populate([f"n{i}" for i in range(have, size)])
                have = size
            if size == top and "list" in self.only:
                a, b, f = self.with_floor(lambda: time_cmd([IP, "netns", "list"]),
                                          lambda: time_cmd([RNETNS, "list"]),
                                          ["list-checked", RUN])
                self.record("list", f"{size} names", a, b, floor=f)
            if size == n_ident:
                if self.want("identify"):
                    sp = spawn_sleep(f"n{size // 2}")
                    time.sleep(0.2)
                    pid = str(sp.pid)
                    a, b, f = self.with_floor(lambda: time_cmd([IP, "netns", "identify", pid]),
                                              lambda: time_cmd([RNETNS, "identify", pid]),
                                              ["identify", RUN, pid])
                    self.record("identify", f"{size} names", a, b, floor=f)
                    kill_sleepers([sp])
                if self.want("discover"):
                    self.op_discover(size)
            if size == top:
                if "list-json" in self.only:
                    a, b, f = self.with_floor(lambda: time_cmd([IP, "-j", "netns", "list"]),
                                              lambda: time_cmd([RNETNS, "-j", "list"]),
                                              ["list-checked", RUN])
                    self.record("list-json", f"{size} names", a, b, floor=f)
                if "rss" in self.only:
                    a, b = self.alternate(lambda: peak_rss_kb([IP, "netns", "list"]),
                                          lambda: peak_rss_kb([RNETNS, "list"]), self.rounds)
                    self.record("rss", f"{size} names", a, b, unit="kB")
        clean_all()

    # -- scaling: every SCALE_OPS op at each size, wall time and peak RSS of the same runs
    def phase_scale(self):
        """Sizes ascending; the population grows by the difference (the C floor's thread
        pool, not timed) and N/2 processes (at least 1) are held spread over the names while
        list, -j list, identify and discover run; then they are stopped and -all delete is
        timed: each run deletes the whole population, which is made again (not timed) after
        the kernel's teardown of the previous one has settled."""
        clean_all()
        have = 0
        delete = SCALE_OPS[-1]
        for size in self.scale_sizes:
            if have > size:
                clean_all()
                have = 0
            populate_fast("n", have, size - have)
            have = size
            procs = max(1, size // 2)
            ps, pids = hold(procs)
            pid = list(pids)[len(pids) // 2]
            for name, _, ipa, rna in SCALE_OPS:
                if name == delete[0]:
                    continue
                ipa = [x.replace("{pid}", pid) for x in ipa]
                rna = [x.replace("{pid}", pid) for x in rna]
                a, b = self.alternate(lambda: measure(ipa), lambda: measure(rna), self.reps)
                self.scale_record(name, size, len(pids), a, b)
            stop_hold(ps)
            rounds = 2 if self.quick else 3
            a, b = [], []
            for _ in range(rounds):
                for argv, out in ((delete[2], a), (delete[3], b)):
                    if count_names() != size:
                        if count_names():
                            clean_all()
                        populate_fast("n", 0, size)
                    out.append(measure(argv, expect=None))
                    if count_names():
                        log(f"  warning: {argv[0]} -all delete left {count_names()} names")
                    settle(60)
            have = 0
            self.scale_record(delete[0], size, 0, a, b)
        self.scaling = [(r["size"], statistics.median(r["ip"]), statistics.median(r["rn"]))
                        for r in self.scale.get("list", [])]
        clean_all()

    def scale_record(self, name, size, procs, a, b):
        r = {"size": size, "procs": procs, "ip": [x[0] for x in a], "rn": [x[0] for x in b],
             "ip_kb": [x[1] for x in a if x[1] is not None],
             "rn_kb": [x[1] for x in b if x[1] is not None]}
        self.scale.setdefault(name, []).append(r)
        kb = lambda v: fmt(statistics.median(v), "kB") if v else "n/a"
        log(f"  scale {name:10} N={size:>5}: ip {fmt(statistics.median(r['ip']))} "
            f"{kb(r['ip_kb'])}  rnetns {fmt(statistics.median(r['rn']))} {kb(r['rn_kb'])}")

    def op_discover(self, size):
        if subprocess.run([RNETNS, "discover"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0:
            self.res["discover"] = {"size": f"{size} names", "na": True}
            log("  discover: rnetns discover is not available: n/a")
            return
        ps = [spawn_sleep() for _ in range(self.sz(500))]
        time.sleep(0.3)
        a, b = self.alternate(lambda: time_cmd(["lsns", "-t", "net"]),
                              lambda: time_cmd([RNETNS, "discover"]), self.reps)
        self.record("discover", f"{size} names, {len(ps)} procs", a, b)
        kill_sleepers(ps)

    # -- ids: list with ids, list-id with unnamed ids
    def phase_ids(self):
        n = self.sz(1000)
        clean_all()
        # unnamed ids get 0..9 so that they come first in the RTM_GETNSID dump (on 6.18
        # the dump stops after its first skb, ~134 entries)
        unnamed = [f"u{i}" for i in range(10)]
        names = [f"i{i}" for i in range(n)]
        populate(names, ids=range(100, 100 + n))
        if "list-ids" in self.only:
            a, b = self.alternate(lambda: time_cmd([IP, "netns", "list"]),
                                  lambda: time_cmd([RNETNS, "list"]), self.reps)
            self.record("list-ids", f"{n} names", a, b)
        if "list-id-all" in self.only:
            a, b = self.alternate(lambda: time_cmd([IP, "netns", "list-id"]),
                                  lambda: time_cmd([RNETNS, "list-id"]), self.reps)
            self.record("list-id-all", f"{n} names, all with ids", a, b)
        if "list-id" in self.only:
            populate(unnamed, ids=range(10))
            ps = [spawn_sleep(u) for u in unnamed]
            time.sleep(0.3)
            for u in unnamed:
                subprocess.run([IP, "netns", "delete", u], check=True)
            out = subprocess.run([IP, "netns", "list-id"], stdout=subprocess.PIPE,
                                 text=True).stdout
            unnamed_seen = sum(1 for l in out.splitlines() if "(iproute2 netns name" not in l)
            if unnamed_seen < 10:
                log(f"  warning: only {unnamed_seen} unnamed ids in ip's list-id output")
            a, b = self.alternate(lambda: time_cmd([IP, "netns", "list-id"]),
                                  lambda: time_cmd([RNETNS, "list-id"]), self.reps)
            self.record("list-id", f"{n} names + {unnamed_seen} unnamed ids", a, b)
            kill_sleepers(ps)
        clean_all()

    # -- inspect
    def op_inspect(self):
        n = self.sz(100)
        clean_all()
        populate(["x0"])
        ok = subprocess.run([RNETNS, "-j", "inspect"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode == 0
        if not ok:
            self.res["inspect"] = {"size": f"{n} namespaces", "na": True}
            log("  inspect: rnetns inspect is not available: n/a")
            clean_all()
            return
        populate([f"x{i}" for i in range(1, n)])
        loop = (f"for x in /run/netns/*; do x=${{x##*/}}; {IP} -j -n $x addr >/dev/null; "
                f"{IP} -j -n $x route >/dev/null; {IP} -j -n $x neigh >/dev/null; "
                f"{IP} netns exec $x ss -tulpn >/dev/null; done")
        a, b = self.alternate(lambda: bash_time(loop, 1),
                              lambda: bash_time(f"{RNETNS} -j inspect >/dev/null", 1),
                              self.rounds)
        self.record("inspect", f"{n} namespaces", a, b)
        clean_all()

    # -- inspect of one large namespace: 10000 routes, 10000 listening sockets
    def op_inspect_big(self):
        n = self.sz(10000)
        clean_all()
        populate(["big"])
        script = os.path.join(SCRATCH, "routes.batch")
        with open(script, "w") as f:
            f.write("link set lo up\nlink add r0 type veth peer name r1\n"
                    "link set r0 up\nlink set r1 up\naddr add 10.0.0.1/8 dev r0\n")
            for i in range(n):
                f.write(f"route add 11.{i // 256 % 256}.{i % 256}.0/24 via 10.0.0.2\n")
        subprocess.run([IP, "-n", "big", "-batch", script], check=True)
        if self.want("inspect-routes", "inspect-routes-rss"):
            ipr = f"{IP} -j -n big route >/dev/null; {IP} -j -n big -6 route >/dev/null"
            rnr = f"{RNETNS} -j inspect -s routes big >/dev/null"
            a, b = self.alternate(lambda: bash_time(ipr, 1), lambda: bash_time(rnr, 1), self.reps)
            self.record("inspect-routes", f"{n} routes", a, b)
            a, b = self.alternate(lambda: peak_rss_kb([IP, "-j", "-n", "big", "route"]),
                                  lambda: peak_rss_kb([RNETNS, "-j", "inspect", "-s", "routes", "big"]),
                                  self.rounds)
            self.record("inspect-routes-rss", f"{n} routes", a, b, unit="kB")
        if self.want("inspect-sockets", "inspect-sockets-rss"):
            # A process holding n listening TCP sockets; it says so on its stdout.
            prog = ("import resource, socket, sys\n"
                    "h = resource.getrlimit(resource.RLIMIT_NOFILE)[1]; resource.setrlimit(resource.RLIMIT_NOFILE, (h, h))\n"
                    "s = []\n"
                    f"for p in range(20000, 20000 + {n}):\n"
                    "    t = socket.socket(); t.bind(('127.0.0.1', p)); t.listen(1); s.append(t)\n"
                    "print('ready', flush=True); sys.stdin.read()\n")
            srv = subprocess.Popen([IP, "netns", "exec", "big", sys.executable, "-c", prog],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            if srv.stdout.readline().strip() != "ready":
                log("  inspect-sockets: the socket holder did not start")
            else:
                a, b = self.alternate(lambda: time_cmd([IP, "netns", "exec", "big", "ss", "-tulpn"]),
                                      lambda: time_cmd([RNETNS, "inspect", "-s", "sockets", "big"]),
                                      self.reps)
                self.record("inspect-sockets", f"{n} sockets", a, b)
                a, b = self.alternate(lambda: peak_rss_kb([IP, "netns", "exec", "big", "ss", "-tulpn"]),
                                      lambda: peak_rss_kb([RNETNS, "inspect", "-s", "sockets", "big"]),
                                      self.rounds)
                self.record("inspect-sockets-rss", f"{n} sockets", a, b, unit="kB")
            srv.stdin.close()
            srv.wait()
        clean_all()

    def run(self):
        BASE["settle"] = (netns_slab() if netns_slab() is not None else sunreclaim())
        steps = [
            ("version", self.op_version), ("exec", self.op_exec), ("pids", self.op_pids),
            ("add", self.op_add), ("delete", self.op_delete), ("batch", self.op_batch),
            ("batch-add-force", self.op_batch_force),
        ]
        steps = [(n, [n], fn) for n, fn in steps] + [
            ("population", ["list", "list-json", "rss", "identify", "discover"],
             self.phase_population),
            ("ids", ["list-ids", "list-id-all", "list-id"], self.phase_ids),
            ("inspect", ["inspect"], self.op_inspect),
            ("inspect-big", ["inspect-routes", "inspect-routes-rss", "inspect-sockets",
                             "inspect-sockets-rss"], self.op_inspect_big),
            ("scaling", ["scaling"], self.phase_scale),
        ]
        for name, wanted, fn in steps:
            if self.want(*wanted):
                log(f"bench: {name}" + ("" if wanted == [name] else f" ({', '.join(wanted)})"))
                t0 = time.monotonic()
                fn()
                clean_all()
                self.durations[name] = round(time.monotonic() - t0, 1)
                log(f"bench: {name} took {self.durations[name]:.0f} s")


# ---------------------------------------------------------------- reporting


def fmt(v, unit="s"):
    if v is None:
        return "n/a"
    if unit == "kB":
        return f"{v / 1024:.1f} MiB" if v >= 10240 else f"{v:.0f} kB"
    if v >= 1:
        return f"{v:.2f} s"
    if v >= 1e-3:
        return f"{v * 1e3:.2f} ms"
    return f"{v * 1e6:.0f} µs"


FLOOR_SHARE = 0.9  # issue 18: ip/rnetns within 10 % of ip/floor


def table(b):
    """The results table. C floor and ip/floor: scripts/floor.c in the same rotation; for
    the batch rows "serial / parallel (THREADS threads)". At floor?: ip/rnetns >= 0.9 x the
    best ip/floor of the row."""
    rows = ["| op | size | ip (median) | rnetns (median) | ip/rnetns | target | met? | C floor | ip/floor | at floor? |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name, label, kind, target in OPS:
        r = b.res.get(name)
        if r is None:
            continue
        tgt = (f"≥ {target}" if kind == "ratio" else
               ("rnetns ≤ ip" if target == 1.0 else f"rnetns ≤ {target:g}× lsns"))
        if name == "discover":
            label = label  # reference column holds lsns
        if r.get("na"):
            rows.append(f"| {label} | {r['size']} | | n/a | n/a | {tgt} | n/a | | | |")
            continue
        ma, mb = statistics.median(r["ip"]), statistics.median(r["rn"])
        ratio = ma / mb if mb else float("inf")
        met = ratio >= target if kind == "ratio" else mb <= target * ma
        per = " per op" if name in ("version", "add", "delete", "exec") + PARALLEL_FLOOR else ""
        floor, best, near = "", "", ""
        floors = [r[k] for k in ("floor", "floor_par") if r.get(k)]
        if floors:
            mfs = [statistics.median(v) for v in floors]
            floor = " / ".join(fmt(mf, r["unit"]) for mf in mfs)
            best = " / ".join(f"{ma / mf:.2f}" for mf in mfs)
            if len(mfs) == 2:
                floor += f" ({r.get('floor_threads', '?')} threads)"
            if r.get("floor_bare"):
                mb_ = statistics.median(r["floor_bare"])
                floor += f" (bare: {fmt(mb_, r['unit'])}, ip/bare {ma / mb_:.2f})"
            near = "yes" if ratio >= FLOOR_SHARE * max(ma / mf for mf in mfs) else "**no**"
        rows.append(f"| {label} | {r['size']} | {fmt(ma, r['unit'])}{per} | "
                    f"{fmt(mb, r['unit'])}{per} | {ratio:.2f} | {tgt} | "
                    f"{'yes' if met else '**no**'} | {floor} | {best} | {near} |")
    return "\n".join(rows)


def med(v):
    return statistics.median(v) if v else None


def scale_verdicts(scale):
    """Per op: the growth of the per-namespace time and peak RSS from the reference size
    (the one nearest a tenth of the top, log scale) to the top size, for ip and rnetns;
    linear when every growth is <= LINEAR_FACTOR; and whether rnetns's peak RSS is at or
    below ip's (or lsns's) at every size."""
    out = {}
    for name, rows in scale.items():
        if len(rows) < 2:
            continue
        top = rows[-1]
        ref = min(rows[:-1], key=lambda r: abs(math.log(r["size"] * 10 / top["size"])))
        v = {"ref": ref["size"], "top": top["size"]}
        for tool in ("ip", "rn"):
            for key, suffix in ((tool, "time"), (tool + "_kb", "rss")):
                a, b = med(ref[key]), med(top[key])
                v[f"{tool}_{suffix}_growth"] = (
                    round((b / top["size"]) / (a / ref["size"]), 3) if a and b else None)
        for what in ("time", "rss"):
            v[f"{what}_linear"] = all(v[f"{t}_{what}_growth"] is None or
                                      v[f"{t}_{what}_growth"] <= LINEAR_FACTOR for t in ("ip", "rn"))
        v["linear"] = v["time_linear"] and v["rss_linear"]
        pairs = [(med(r["ip_kb"]), med(r["rn_kb"])) for r in rows]
        v["rss_le_ip"] = (all(rn <= ip for ip, rn in pairs)
                          if all(ip and rn for ip, rn in pairs) else None)
        out[name] = v
    return out


def scale_table(b):
    labels = {o[0]: o[1] for o in SCALE_OPS}
    rows = ["| op | names | procs | ip (median) | rnetns (median) | ip/rnetns | "
            "ip peak RSS | rnetns peak RSS |", "|---|---|---|---|---|---|---|---|"]
    for name, rs in b.scale.items():
        for r in rs:
            ma, mb = med(r["ip"]), med(r["rn"])
            rows.append(f"| {labels[name]} | {r['size']} | {r['procs'] or ''} | {fmt(ma)} | "
                        f"{fmt(mb)} | {ma / mb:.2f} | {fmt(med(r['ip_kb']), 'kB')} | "
                        f"{fmt(med(r['rn_kb']), 'kB')} |")
    g = lambda x: "n/a" if x is None else f"{x:.2f}×"
    yn = lambda x: "n/a" if x is None else ("yes" if x else "**no**")
    rows += ["", f"Growth = per-namespace cost at the top size / at the reference size "
             f"(linear: every growth ≤ {LINEAR_FACTOR}).", "",
             "| op | sizes | time growth ip | time growth rnetns | RSS growth ip | "
             "RSS growth rnetns | linear? | rnetns RSS ≤ ip at every size? |",
             "|---|---|---|---|---|---|---|---|"]
    for name, v in scale_verdicts(b.scale).items():
        rows.append(f"| {labels[name]} | {v['ref']} → {v['top']} | {g(v['ip_time_growth'])} | "
                    f"{g(v['rn_time_growth'])} | {g(v['ip_rss_growth'])} | "
                    f"{g(v['rn_rss_growth'])} | {yn(v['linear'])} | {yn(v['rss_le_ip'])} |")
    return "\n".join(rows)


def sh(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True).stdout.strip()
    except OSError:
        return "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    return {"nproc": sh(["nproc"]), "cpu": model, "kernel": sh(["uname", "-r"]),
            "ip": sh([IP, "-V"]), "rnetns": f"{sh([RNETNS, '-V'])} (commit {commit})",
            "python": sys.version.split()[0]}


def report(b, out_dir, started, load0):
    os.makedirs(out_dir, exist_ok=True)
    m = machine()
    load1 = sh(["uptime"])
    cmdline = "sudo python3 scripts/bench.py" + (" " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "")
    cmdline = cmdline.replace(" --inner", "")
    md = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))} "
        f"({'quick smoke run' if b.quick else 'full run'}, {b.rounds} rounds for loops, "
        f"{b.reps} alternations for single calls, {b.floor_reps} for those with a C floor; "
        "medians).",
        "",
        table(b),
        "",
        f"- machine: {m['nproc']} CPUs ({m['cpu']}), kernel {m['kernel']}",
        f"- tools: {m['ip']}; {m['rnetns']}",
        f"- load: before `{load0}`; after `{load1}`",
        f"- rerun: `{cmdline}` (as root, from the repository root)",
        f"- duration: {time.time() - started:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in b.durations.items()) + ")",
    ]
    if b.scale:
        md += ["", "## Scaling", "",
               "Each op at each number of named namespaces, ip (discover: `lsns -t net`) and "
               "rnetns alternately; time and peak RSS (wait4 `ru_maxrss`) of the same runs. "
               "N/2 processes are held spread over the namespaces (none for `-all delete`).",
               "", scale_table(b)]
    text = "\n".join(md) + "\n"
    with open(os.path.join(out_dir, "bench-results.md"), "w") as f:
        f.write(text)
    raw = {"machine": m, "load_before": load0, "load_after": load1, "quick": b.quick,
           "durations": b.durations, "results": b.res, "scaling": b.scaling,
           "scale": b.scale, "scale_verdicts": scale_verdicts(b.scale)}
    with open(os.path.join(out_dir, "bench-results.json"), "w") as f:
        json.dump(raw, f, indent=1)
    wrote = ["bench-results.md", "bench-results.json"]
    if len(b.scaling) >= 2:
        svg_plot(b.scaling, os.path.join(out_dir, "list-scaling.svg"))
        wrote.append("list-scaling.svg")
    for what in ("time", "rss"):
        if svg_scale(b.scale, [o[:2] for o in SCALE_OPS], scale_verdicts(b.scale),
                     os.path.join(out_dir, f"scaling-{what}.svg"), what):
            wrote.append(f"scaling-{what}.svg")
    print(text)
    log(f"bench: wrote {out_dir}/: {', '.join(wrote)}")


def inner(args):
    sandbox_setup()
    started = time.time()
    load0 = sh(["uptime"])
    b = Bench(args.quick, args.only, args.rounds, args.scale_sizes)
    try:
        b.run()
    finally:
        kill_sleepers()
        subprocess.run([IP, "-all", "netns", "delete"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    out = args.out or (os.path.join(REPO, "docs") if not (args.quick or args.only)
                       else os.path.join(REPO, "target", "bench"))
    report(b, out, started, load0)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="sizes / 10, fewer rounds (smoke run)")
    ap.add_argument("--only", nargs="+", choices=OP_NAMES, metavar="NAME",
                    help="run only these: " + ", ".join(OP_NAMES))
    ap.add_argument("--rounds", type=int, help="rounds for loop ops (default 5, quick 2)")
    ap.add_argument("--scale-sizes", type=int, nargs="+", metavar="N",
                    help="numbers of namespaces for scaling (default "
                    + " ".join(map(str, SCALE_SIZES)) + ", quick / 10)")
    ap.add_argument("--no-build", action="store_true", help="skip cargo build --release")
    ap.add_argument("--out", help="output directory (default docs/, or target/bench/ "
                    "for --quick and --only)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.exit(inner(args) if args.inner else outer(args))


if __name__ == "__main__":
    main()
