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
 *   floor delete DIR NAME   umount2(MNT_DETACH) and unlink DIR/NAME
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

struct handle {
	unsigned int bytes;
	int type;
	unsigned char h[32];
};

static int dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (!strcmp(argv[1], "add") || !strcmp(argv[1], "delete")) {
		char p[4096];
		if (argc < 4)
			return 2;
		snprintf(p, sizeof p, "%s/%s", argv[2], argv[3]);
		if (argv[1][0] == 'd')
			return (umount2(p, MNT_DETACH) | unlink(p)) ? 1 : 0;
		int fd = open(p, O_RDONLY | O_CREAT | O_EXCL, 0);
		if (fd < 0 || close(fd) || unshare(CLONE_NEWNET) ||
		    mount("/proc/self/ns/net", p, "none", MS_BIND, NULL))
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
