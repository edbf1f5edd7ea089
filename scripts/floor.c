/*
 * Kernel-floor probes for scripts/bench.py: the least work a small static C program needs
 * for an operation, timed in the same run as ip and rnetns. Written for rnetns; no
 * iproute2 code.
 *
 *   floor list DIR          readdir, print every name
 *   floor list-checked DIR  the same, plus one lookup per entry that tells a network
 *                           namespace from anything else (name_to_handle_at: an nsfs
 *                           handle carries the namespace type, Linux 6.18)
 *   floor identify DIR PID  readdir, fstatat every entry, print those that are PID's netns
 *   floor add DIR NAME      create DIR/NAME, unshare(CLONE_NEWNET), bind the new namespace
 *                           there (no run-dir set-up, no checks)
 *   floor add-prepared DIR NAME
 *                           the same after what ip does to the run dir before every add
 *                           (mkdir, open, flock, MS_SHARED, unlock, close), and opening the
 *                           caller's namespace file before the unshare as ip does (its
 *                           "Cannot open init namespace" check): the floor of a one-shot add
 *                           with ip's semantics
 *   floor delete DIR NAME   umount2(MNT_DETACH) and unlink DIR/NAME
 *   floor exec DIR NAME CMD...
 *                           what `ip netns exec` semantics need: open DIR/NAME, setns
 *                           CLONE_NEWNET, unshare CLONE_NEWNS, make / rslave, detach /sys and
 *                           mount a fresh sysfs, bind each /etc/netns/NAME entry (none when the
 *                           directory is missing: one failed open), execvp CMD
 *   floor batch-add-prepared DIR N THREADS [PREFIX [FIRST]]
 *                           the same, each add first doing what ip does to the run dir
 *                           before every add (mkdir, open, flock, MS_SHARED, unlock, close)
 *                           and opening the thread's namespace file before its unshare, as
 *                           add-prepared: the floor of a batch with ip's semantics
 *   floor batch-add DIR N THREADS [PREFIX [FIRST]]
 *                           create DIR/b1 .. DIR/bN (PREFIXFIRST .. PREFIX(FIRST+N-1) when
 *                           given; the harness also uses it to populate), each: placeholder
 *                           (O_CREAT|O_EXCL),
 *                           unshare(CLONE_NEWNET), bind /proc/thread-self/ns/net onto it.
 *                           THREADS=1: serially on the main thread; more: a pthread pool
 *                           taking names from a shared counter. A name that cannot be made
 *                           (e.g. it exists) is counted and skipped; exit 1 if any was.
 *
 * Harness helpers (not floors):
 *   floor hold DIR N        fork N children spread over DIR's entries (readdir order), each
 *                           setns into its entry and pause; print "PID NAME" per child, then
 *                           "ready"; when stdin reaches EOF, SIGKILL every child by PID, reap
 *                           them and exit. Children die with the parent (PR_SET_PDEATHSIG).
 *   floor measure CMD...    run CMD (stdout and stderr to /dev/null), print
 *                           "SECONDS MAXRSS_KB STATUS": wall time from spawn to exit and the
 *                           child's ru_maxrss from wait4. The child is spawned from this small
 *                           process, so its peak RSS does not inherit a big launcher's
 *                           (exec records the old mm's high-water mark, which for a
 *                           vfork-style spawn is the parent's).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

struct handle {
	unsigned int bytes;
	int type;
	unsigned char h[32];
};

static int dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

/* ---------------------------------------------------------------- exec */

static int do_exec(int argc, char **argv)
{
	char p[4096];
	if (argc < 5)
		return 2;
	snprintf(p, sizeof p, "%s/%s", argv[2], argv[3]);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) || close(fd) || unshare(CLONE_NEWNS) ||
	    mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return 255;
	umount2("/sys", MNT_DETACH);
	if (mount(argv[3], "/sys", "sysfs", 0, NULL))
		return 255;
	snprintf(p, sizeof p, "/etc/netns/%s", argv[3]);
	DIR *d = opendir(p);
	if (d) {
		struct dirent *e;
		char src[8192], dst[8192];
		while ((e = readdir(d))) {
			if (dot(e->d_name))
				continue;
			snprintf(src, sizeof src, "%s/%s", p, e->d_name);
			snprintf(dst, sizeof dst, "/etc/%s", e->d_name);
			mount(src, dst, "none", MS_BIND, NULL);
		}
		closedir(d);
	}
	execvp(argv[4], argv + 4);
	return 1;
}

/* ---------------------------------------------------------------- batch-add */

static const char *batch_dir, *batch_prefix = "b";
static long batch_n, batch_next, batch_failed, batch_first = 1;
static int batch_prepare;

/* What ip does to the run dir before every add: mkdir, open, flock, make it a shared mount
 * (a no-op once it is one), unlock, close. */
static void prepare_dir(void)
{
	mkdir(batch_dir, 0755);
	int d = open(batch_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return;
	flock(d, LOCK_EX);
	mount("", batch_dir, "none", MS_SHARED | MS_REC, NULL);
	flock(d, LOCK_UN);
	close(d);
}


/* ip opens the caller's namespace file before it unshares (to return to it afterwards; its
 * failure is ip's "Cannot open init namespace" error): part of an add with ip's semantics. */
static int init_netns_opens(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static void add_one(long i)
{
	char p[4096];
	if (batch_prepare)
		prepare_dir();
	snprintf(p, sizeof p, "%s/%s%ld", batch_dir, batch_prefix, batch_first + i - 1);
	int fd = open(p, O_RDONLY | O_CREAT | O_EXCL, 0);
	if (fd < 0 || close(fd) || (batch_prepare && !init_netns_opens()) ||
	    unshare(CLONE_NEWNET) || mount("/proc/thread-self/ns/net", p, "none", MS_BIND, NULL))
		__atomic_add_fetch(&batch_failed, 1, __ATOMIC_RELAXED);
}

static void *add_worker(void *unused)
{
	(void)unused;
	for (;;) {
		long i = __atomic_add_fetch(&batch_next, 1, __ATOMIC_RELAXED);
		if (i > batch_n)
			return NULL;
		add_one(i);
	}
}

static int do_batch_add(int argc, char **argv)
{
	if (argc < 5)
		return 2;
	batch_prepare = !strcmp(argv[1], "batch-add-prepared");
	batch_dir = argv[2];
	batch_n = atol(argv[3]);
	int threads = atoi(argv[4]);
	if (argc > 5)
		batch_prefix = argv[5];
	if (argc > 6)
		batch_first = atol(argv[6]);
	if (threads <= 1) {
		add_worker(NULL);
	} else {
		pthread_t *t = calloc(threads, sizeof *t);
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		int started = 0;
		for (int k = 0; k < threads; k++)
			if (!pthread_create(&t[started], &attr, add_worker, NULL))
				started++;
		if (!started)
			add_worker(NULL);
		for (int k = 0; k < started; k++)
			pthread_join(t[k], NULL);
	}
	if (batch_failed) {
		fprintf(stderr, "%ld names not created\n", batch_failed);
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- hold */

static int do_hold(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	long n = atol(argv[3]), count = 0, cap = 1024;
	char **names = malloc(cap * sizeof *names);
	DIR *d = opendir(argv[2]);
	if (!d)
		return 1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (dot(e->d_name))
			continue;
		if (count == cap)
			names = realloc(names, (cap *= 2) * sizeof *names);
		names[count++] = strdup(e->d_name);
	}
	closedir(d);
	if (!count || n <= 0)
		return 1;
	pid_t *pids = calloc(n, sizeof *pids);
	long *which = calloc(n, sizeof *which);
	int ready[2];
	if (pipe(ready))
		return 1;
	pid_t parent = getpid();
	long made = 0;
	for (; made < n; made++) {
		long k = made * count / n;
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			char p[4096], ok = 'y';
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			int nul = open("/dev/null", O_RDWR);
			dup2(nul, 0);
			dup2(nul, 1);
			close(ready[0]);
			snprintf(p, sizeof p, "%s/%s", argv[2], names[k]);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || setns(fd, CLONE_NEWNET))
				ok = 'n';
			if (write(ready[1], &ok, 1) != 1)
				_exit(1);
			close(ready[1]);
			for (;;)
				pause();
		}
		pids[made] = pid;
		which[made] = k;
	}
	close(ready[1]);
	long yes = 0, got = 0;
	char buf[4096];
	while (got < made) {
		ssize_t r = read(ready[0], buf, sizeof buf);
		if (r <= 0)
			break;
		for (ssize_t j = 0; j < r; j++)
			yes += buf[j] == 'y';
		got += r;
	}
	for (long j = 0; j < made; j++)
		printf("%d %s\n", (int)pids[j], names[which[j]]);
	if (yes == n)
		printf("ready\n");
	else
		printf("failed %ld of %ld\n", n - yes, n);
	fflush(stdout);
	while (read(0, buf, sizeof buf) > 0)
		;
	for (long j = 0; j < made; j++)
		kill(pids[j], SIGKILL);
	for (long j = 0; j < made; j++)
		waitpid(pids[j], NULL, 0);
	return yes == n ? 0 : 1;
}

/* ---------------------------------------------------------------- measure */

static int do_measure(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int status;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ))
		return 1;
	if (wait4(pid, &status, 0, &ru) != pid)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%.9f %ld %d\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ru.ru_maxrss, code);
	return 0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "exec"))
		return do_exec(argc, argv);
	if (!strcmp(argv[1], "batch-add") || !strcmp(argv[1], "batch-add-prepared"))
		return do_batch_add(argc, argv);
	if (!strcmp(argv[1], "hold"))
		return do_hold(argc, argv);
	if (!strcmp(argv[1], "measure"))
		return do_measure(argc, argv);
	if (!strcmp(argv[1], "add") || !strcmp(argv[1], "add-prepared") ||
	    !strcmp(argv[1], "delete")) {
		char p[4096];
		if (argc < 4)
			return 2;
		if (!strcmp(argv[1], "add-prepared")) {
			batch_dir = argv[2];
			prepare_dir();
		}
		snprintf(p, sizeof p, "%s/%s", argv[2], argv[3]);
		if (argv[1][0] == 'd')
			return (umount2(p, MNT_DETACH) | unlink(p)) ? 1 : 0;
		int fd = open(p, O_RDONLY | O_CREAT | O_EXCL, 0);
		if (fd < 0 || close(fd) || (batch_dir && !init_netns_opens()) ||
		    unshare(CLONE_NEWNET) || mount("/proc/self/ns/net", p, "none", MS_BIND, NULL))
			return 1;
		return 0;
	}
	DIR *d = opendir(argv[2]);
	if (!d)
		return 1;
	int dfd = dirfd(d), checked = !strcmp(argv[1], "list-checked");
	struct stat ns, st;
	if (!strcmp(argv[1], "identify")) {
		char p[64];
		if (argc < 4)
			return 2;
		snprintf(p, sizeof p, "/proc/%s/ns/net", argv[3]);
		if (stat(p, &ns))
			return 1;
	}
	struct dirent *e;
	int refused = 0;
	while ((e = readdir(d))) {
		if (dot(e->d_name))
			continue;
		if (!strcmp(argv[1], "identify")) {
			if (!fstatat(dfd, e->d_name, &st, 0) && st.st_dev == ns.st_dev &&
			    st.st_ino == ns.st_ino)
				puts(e->d_name);
			continue;
		}
		if (checked) {
			struct handle h = { .bytes = sizeof h.h };
			int mnt;
			if (name_to_handle_at(dfd, e->d_name, (void *)&h, &mnt, AT_SYMLINK_FOLLOW) ||
			    h.type != 0xf1 || h.h[11] != 0x40)
				refused++;
		}
		puts(e->d_name);
	}
	if (refused)
		fprintf(stderr, "%d entries are not network namespaces\n", refused);
	return 0;
}
