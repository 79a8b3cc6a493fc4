/*
 * minidock-shim: the one C program of minidock, built static by scripts/build.mjs.
 *
 *   minidock-shim monitor [options] -- ARGV...
 *       Runs the engine's start chain ARGV as a child and stays beside the container, doing
 *       what conmon does for podman: docker json-file logs, a pty, signal proxying, the exit
 *       status in a file, the engine's exit hook. It stays resident, so it must stay small:
 *       fixed buffers, no heap in the steady state.
 *   minidock-shim enter [options] -- CMD ARGS...
 *       The last step of that chain, doing what runc's init does last: chroot, working
 *       directory, user, a clean environment, PATH lookup, exec. Static, and fed the container
 *       environment as arguments, so that an image `ENV LD_PRELOAD=...` never reaches a
 *       dynamically linked host program.
 *
 * The start protocol between the two (fd 3 of the chain, see "start sync" below) is a
 * SOCK_SEQPACKET socket rather than a pipe that closes on exec: `unshare --fork` (and
 * `nsenter --pid`) stay alive as the parent of the container's init and keep every fd they
 * inherited, so the write end of such a pipe would close only when the container exits.
 * Instead `enter` hands the monitor a fresh close-on-exec pipe over the socket; only `enter`
 * holds its write end, so EOF on it means "exec succeeded", and the message's SCM_CREDENTIALS
 * give the container init's host pid without racing a short-lived init through /proc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#define SHIM "minidock-shim"
/* The chain passes the sync socket on untouched, so its number is part of the interface. */
#define SYNC_FD 3
/* docker's log copier cuts lines at 16 KiB (daemon/logger/copier.go, bufSize). */
#define LOG_LINE_MAX (16 * 1024)
#define READ_CHUNK (16 * 1024)
/* json_escape's worst case: every byte becomes \u00XX, plus the two quotes. */
#define ESCAPED_SIZE(n) (6 * (n) + 3)
/* Start errors: at most this many bytes of message (enter's, or the chain's stderr tail). */
#define ERR_MSG_MAX 1024
#define ERR_JSON_MAX ESCAPED_SIZE(ERR_MSG_MAX)
/* The PATH runc/Go assume when the container env has none, and the exit hook's only env. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define HANDOFF_MARK "H"

/* ------------------------------------------------------------------------------------------
 * Small helpers shared by both subcommands
 * ---------------------------------------------------------------------------------------- */

/* write(2) until done; waits out EAGAIN on non-blocking fds handed to us by the engine. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pfd = { .fd = fd, .events = POLLOUT };
				if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
					return -1;
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* vsnprintf that reports the length actually stored (it truncates, never overflows). */
static size_t vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, cap, fmt, ap);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

__attribute__((format(printf, 1, 2))) static void warnx(const char *fmt, ...)
{
	char buf[2048];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s: ", SHIM);
	va_list ap;
	va_start(ap, fmt);
	n += vformat(buf + n, sizeof buf - n - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	/* stderr is the last place to complain to; if it is gone there is nobody to tell. */
	(void)write_all(STDERR_FILENO, buf, n);
}

/* Go prints errno texts in lower case ("no such file or directory"); docker's messages
 * come from Go, and glibc's C-locale texts differ from Go's only in that first letter. */
static const char *go_strerror(int err, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* RFC 3339 in UTC with exactly nine fractional digits, as docker's json-file and inspect
 * print times (moby's jsonlog.RFC3339NanoFixed). */
static void format_time(char *out, size_t cap, const struct timespec *ts)
{
	struct tm tm;
	if (gmtime_r(&ts->tv_sec, &tm) == NULL) {
		snprintf(out, cap, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts->tv_nsec);
}

static struct timespec now_realtime(void)
{
	struct timespec ts = { 0, 0 };
	/* CLOCK_REALTIME cannot fail with a valid pointer; keep the epoch if it somehow does. */
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is invalid or cut short. Same rules
 * as Go's utf8.DecodeRune: no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return n;
}

/*
 * JSON string body (no quotes) for len bytes of s, byte for byte what moby's json-file
 * writer produces (daemon/logger/jsonfilelog/jsonlog/jsonlogbytes.go): `"` and `\` escaped,
 * \n and \r short, every other control byte (tab included) as \u00XX, < > & as \u003c
 * \u003e \u0026, U+2028/U+2029 escaped, each invalid UTF-8 byte as \ufffd.
 * out must hold ESCAPED_SIZE(len) bytes. Returns the length written.
 */
static size_t json_escape(char *out, const char *in, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;
	while (i < len) {
		unsigned char b = s[i];
		if (b < 0x80) {
			i++;
			if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
				out[o++] = (char)b;
				continue;
			}
			out[o++] = '\\';
			if (b == '\\' || b == '"') {
				out[o++] = (char)b;
			} else if (b == '\n') {
				out[o++] = 'n';
			} else if (b == '\r') {
				out[o++] = 'r';
			} else {
				memcpy(out + o, "u00", 3);
				o += 3;
				out[o++] = hex[b >> 4];
				out[o++] = hex[b & 0xF];
			}
			continue;
		}
		size_t n = utf8_seq_len(s + i, len - i);
		if (n == 0) {
			memcpy(out + o, "\\ufffd", 6);
			o += 6;
			i++;
		} else if (n == 3 && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
			memcpy(out + o, "\\u202", 5);
			o += 5;
			out[o++] = s[i + 2] == 0xA8 ? '8' : '9';
			i += 3;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	return o;
}

/* A quoted JSON string for a C string, into out (ESCAPED_SIZE(strlen) bytes at least). */
static void json_quote(char *out, size_t cap, const char *s)
{
	size_t len = strlen(s);
	if (ESCAPED_SIZE(len) > cap)
		len = (cap - 3) / 6;
	out[0] = '"';
	size_t o = 1 + json_escape(out + 1, s, len);
	out[o++] = '"';
	out[o] = '\0';
}

/* Write a small file so that readers see the old or the new content, never a torn one:
 * temp file beside it, fsync, rename (rename(2) is atomic within a filesystem). */
static int write_file_atomic(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int saved = errno;
		(void)close(fd);
		(void)unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		int saved = errno;
		(void)unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

/* close_range(2) (Linux 5.9+), or a loop up to the soft fd limit on older kernels. */
static int close_fd_range(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return 0;
	if (close_range(lo, hi, 0) == 0)
		return 0;
	if (errno != ENOSYS)
		return -1;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -1;
	for (unsigned long fd = lo; fd <= hi && fd < rl.rlim_cur; fd++)
		(void)close((int)fd); /* EBADF for fds that were not open is the normal case */
	return 0;
}

/* Close every fd >= first except keep (pass -1 to keep none). */
static int close_fds_from(int first, int keep)
{
	if (keep < first)
		return close_fd_range((unsigned)first, ~0U);
	if (close_fd_range((unsigned)first, (unsigned)keep - 1) < 0)
		return -1;
	return close_fd_range((unsigned)keep + 1, ~0U);
}

/* Make sure 0, 1 and 2 are open, so that no file we open later lands on them. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int null = open("/dev/null", O_RDWR);
		if (null < 0)
			_exit(125);
		if (null != fd) /* open takes the lowest free number, which is fd */
			_exit(125);
	}
}

/* Strict unsigned decimal: digits only, no sign, no spaces, at most max. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (s[0] < '0' || s[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* "--name VALUE" or "--name=VALUE": returns VALUE and advances *i, or NULL if argv[*i] is
 * another option. Sets *missing when the option is last and has no value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* ------------------------------------------------------------------------------------------
 * monitor: options
 * ---------------------------------------------------------------------------------------- */

struct monitor_opts {
	const char *log_path, *pid_file, *exit_file, *exit_command;
	char **exit_argv; /* [exit_command, --exit-arg values..., NULL] */
	size_t n_exit_args;
	bool tty, stdin_open, attach, detach, no_sync, pid_ns;
	bool have_size;
	unsigned short rows, cols;
	int status_fd;
	char **argv; /* the start chain, after "--" */
};

static noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static noreturn void usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	warnx("%s (see `%s --help`)", msg, SHIM);
	exit(125);
}

static void parse_tty_size(const char *v, struct monitor_opts *o)
{
	char buf[32];
	unsigned long rows, cols;
	const char *x = strchr(v, 'x');
	if (x == NULL || (size_t)(x - v) >= sizeof buf)
		usage_error("--tty-size wants ROWSxCOLS, got %s", v);
	memcpy(buf, v, (size_t)(x - v));
	buf[x - v] = '\0';
	if (parse_uint(buf, USHRT_MAX, &rows) < 0 || parse_uint(x + 1, USHRT_MAX, &cols) < 0)
		usage_error("--tty-size wants ROWSxCOLS, got %s", v);
	o->rows = (unsigned short)rows;
	o->cols = (unsigned short)cols;
	o->have_size = true;
}

static bool parse_monitor_flag(const char *a, struct monitor_opts *o)
{
	if (strcmp(a, "--tty") == 0)
		o->tty = true;
	else if (strcmp(a, "--stdin") == 0)
		o->stdin_open = true;
	else if (strcmp(a, "--attach") == 0)
		o->attach = true;
	else if (strcmp(a, "--detach") == 0)
		o->detach = true;
	else if (strcmp(a, "--no-sync") == 0)
		o->no_sync = true;
	else if (strcmp(a, "--pid-ns") == 0)
		o->pid_ns = true;
	else
		return false;
	return true;
}

static void parse_monitor_opts(int argc, char **argv, struct monitor_opts *o)
{
	memset(o, 0, sizeof *o);
	o->status_fd = -1;
	/* argc bounds the number of --exit-arg values; one small allocation at start-up. */
	o->exit_argv = calloc((size_t)argc + 2, sizeof *o->exit_argv);
	if (o->exit_argv == NULL)
		usage_error("out of memory");
	int i;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v;
		bool missing = false;
		unsigned long n;
		if (parse_monitor_flag(argv[i], o))
			continue;
		if ((v = opt_value(argc, argv, &i, "--log", &missing)))
			o->log_path = v;
		else if ((v = opt_value(argc, argv, &i, "--pid-file", &missing)))
			o->pid_file = v;
		else if ((v = opt_value(argc, argv, &i, "--exit-file", &missing)))
			o->exit_file = v;
		else if ((v = opt_value(argc, argv, &i, "--exit-command", &missing)))
			o->exit_command = v;
		else if ((v = opt_value(argc, argv, &i, "--exit-arg", &missing)))
			o->exit_argv[1 + o->n_exit_args++] = (char *)v;
		else if ((v = opt_value(argc, argv, &i, "--tty-size", &missing)))
			parse_tty_size(v, o);
		else if ((v = opt_value(argc, argv, &i, "--status-fd", &missing))) {
			if (parse_uint(v, INT_MAX, &n) < 0 || n < 3)
				usage_error("--status-fd wants a descriptor number >= 3, got %s", v);
			o->status_fd = (int)n;
		} else if (missing)
			usage_error("option %s needs a value", argv[i]);
		else
			usage_error("monitor: unknown option %s", argv[i]);
	}
	if (i >= argc - 1)
		usage_error("monitor: missing `-- ARGV...`");
	if (o->attach && o->detach)
		usage_error("monitor: --attach and --detach exclude each other");
	if (o->n_exit_args > 0 && o->exit_command == NULL)
		usage_error("monitor: --exit-arg without --exit-command");
	o->exit_argv[0] = (char *)o->exit_command;
	o->argv = argv + i + 1;
}

/* ------------------------------------------------------------------------------------------
 * monitor: state
 * ---------------------------------------------------------------------------------------- */

struct stream {
	const char *name; /* json-file "stream": stdout or stderr */
	int fd;		  /* read end (pipe, or the pty master); -1 once closed */
	int copy_fd;	  /* --attach: our own 1 or 2; -1 otherwise or after EPIPE */
	size_t len;	  /* bytes of an unfinished line in line[] */
	char line[LOG_LINE_MAX];
};

enum start_state { START_PENDING, START_OK, START_FAILED };

struct monitor {
	struct monitor_opts o;
	pid_t child, init_pid;
	int log_fd, sig_fd, report_fd, pty_master;
	int stdin_keep; /* detach --stdin without tty: the pipe's write end, held open */
	sigset_t old_mask;
	struct stream out, err;
	/* --tty --stdin --attach: our stdin relayed to the pty master */
	int relay_fd;
	size_t in_len, in_off;
	char inbuf[4096];
	bool term_saved;
	struct termios saved_term;
	/* start sync */
	enum start_state start;
	int start_code;
	int sync_sock, handoff;
	pid_t sender;
	size_t enter_len;
	char enter_line[ERR_JSON_MAX + 64];
	size_t tail_len;
	char tail[ERR_MSG_MAX];
	char error_json[ERR_JSON_MAX]; /* quoted JSON string: enter's, or the tail's */
	/* exit */
	bool exited;
	int wstatus;
	struct timespec finished;
};

/* Static: zero-filled .bss costs resident memory only for the pages actually touched. */
static struct monitor M;
static char read_buf[READ_CHUNK];
static char log_record[ESCAPED_SIZE(LOG_LINE_MAX) + 128];

static void restore_terminal(struct monitor *m)
{
	if (!m->term_saved)
		return;
	m->term_saved = false;
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &m->saved_term) < 0)
		warnx("restoring the terminal: %s", strerror(errno));
}

static void start_failed(struct monitor *m, int code, const char *quoted_error);

/* Give up on a setup step. Before the start is decided the error also becomes the start
 * line, since a detached monitor's stderr is /dev/null. */
static noreturn void monitor_die(struct monitor *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static noreturn void monitor_die(struct monitor *m, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX], quoted[ERR_JSON_MAX];
	va_list ap;
	va_start(ap, fmt);
	vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	restore_terminal(m);
	warnx("%s", msg);
	if (m->start == START_PENDING) {
		json_quote(quoted, sizeof quoted, msg);
		start_failed(m, 125, quoted);
	}
	exit(125);
}

/* ------------------------------------------------------------------------------------------
 * monitor: docker json-file logging
 * ---------------------------------------------------------------------------------------- */

/* One record, one write(2): {"log":"...","stream":"stdout","time":"..."} and a newline. */
static void log_record_write(struct monitor *m, const char *stream, const char *text, size_t len,
			     const struct timespec *ts)
{
	static bool warned;
	char when[64];
	if (m->log_fd < 0 || len == 0)
		return;
	format_time(when, sizeof when, ts);
	size_t o = 0;
	memcpy(log_record, "{\"log\":\"", 8);
	o = 8 + json_escape(log_record + 8, text, len);
	int n = snprintf(log_record + o, sizeof log_record - o, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
			 stream, when);
	if (n < 0 || (size_t)n >= sizeof log_record - o)
		return; /* cannot happen: the record buffer has room for the worst case */
	if (write_all(m->log_fd, log_record, o + (size_t)n) < 0 && !warned) {
		warned = true;
		warnx("writing log %s: %s", m->o.log_path, strerror(errno));
	}
}

static void stream_flush(struct monitor *m, struct stream *s, const struct timespec *ts)
{
	log_record_write(m, s->name, s->line, s->len, ts);
	s->len = 0;
}

/* Split output into records at \n (kept in the record) and at 16 KiB, as docker does. */
static void stream_feed(struct monitor *m, struct stream *s, const char *data, size_t n,
			const struct timespec *ts)
{
	while (n > 0) {
		size_t take = LOG_LINE_MAX - s->len;
		if (take > n)
			take = n;
		const char *nl = memchr(data, '\n', take);
		if (nl != NULL)
			take = (size_t)(nl - data) + 1;
		memcpy(s->line + s->len, data, take);
		s->len += take;
		data += take;
		n -= take;
		if (nl != NULL || s->len == LOG_LINE_MAX)
			stream_flush(m, s, ts);
	}
}

/* Keep the last ERR_MSG_MAX bytes the chain wrote before the container started. */
static void tail_append(struct monitor *m, const char *data, size_t n)
{
	if (n >= ERR_MSG_MAX) {
		memcpy(m->tail, data + n - ERR_MSG_MAX, ERR_MSG_MAX);
		m->tail_len = ERR_MSG_MAX;
		return;
	}
	if (m->tail_len + n > ERR_MSG_MAX) {
		size_t drop = m->tail_len + n - ERR_MSG_MAX;
		memmove(m->tail, m->tail + drop, m->tail_len - drop);
		m->tail_len -= drop;
	}
	memcpy(m->tail + m->tail_len, data, n);
	m->tail_len += n;
}

/* ------------------------------------------------------------------------------------------
 * monitor: start sync and the start report
 *
 * fd 3 of the chain is one end of a SOCK_SEQPACKET socketpair (SO_PASSCRED on ours).
 * `enter` sends one message: HANDOFF_MARK with the read end of a fresh O_CLOEXEC pipe
 * (SCM_RIGHTS). On any later failure it writes {"error":...,"exitCode":N} into that pipe
 * and exits; when execve succeeds the kernel closes the pipe and we read EOF. A message
 * without an fd is an error line from `enter` before the handoff. If every holder of fd 3
 * goes away without a handoff, the chain died before reaching `enter`: exit code 125 with
 * the tail of its stderr.
 * ---------------------------------------------------------------------------------------- */

/* The init is the first child of the process we forked (unshare --fork's child). Used when
 * the handoff carried no credentials. */
static pid_t find_init_pid(pid_t child)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)child, (int)child);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return child;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	(void)close(fd); /* read-only procfs file: nothing to lose on close */
	if (n <= 0)
		return child;
	buf[n] = '\0';
	long pid = strtol(buf, NULL, 10);
	return pid > 0 ? (pid_t)pid : child;
}

static void report_start(struct monitor *m)
{
	char line[sizeof m->error_json + 64];
	int n;
	unsigned char code = 0;
	if (m->start == START_OK) {
		n = snprintf(line, sizeof line, "{\"pid\":%d,\"shimPid\":%d}\n", (int)m->init_pid, (int)getpid());
	} else {
		code = (unsigned char)m->start_code;
		n = snprintf(line, sizeof line, "{\"error\":%s,\"exitCode\":%d}\n", m->error_json, m->start_code);
	}
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	/* Whoever waits for this line may be gone (an engine killed mid-start); that is fine. */
	if (m->report_fd >= 0) {
		struct iovec iov[2] = { { &code, 1 }, { line, (size_t)n } };
		(void)writev(m->report_fd, iov, 2);
		(void)close(m->report_fd);
		m->report_fd = -1;
	}
	if (m->o.status_fd >= 0) {
		(void)write_all(m->o.status_fd, line, (size_t)n);
		(void)close(m->o.status_fd);
		m->o.status_fd = -1;
	}
}

static void close_sync(struct monitor *m)
{
	if (m->sync_sock >= 0)
		(void)close(m->sync_sock);
	if (m->handoff >= 0)
		(void)close(m->handoff);
	m->sync_sock = m->handoff = -1;
}

static void start_succeeded(struct monitor *m)
{
	m->start = START_OK;
	close_sync(m);
	if (m->sender > 0)
		m->init_pid = m->sender; /* enter's own host pid, from SCM_CREDENTIALS */
	else if (m->o.no_sync || m->o.pid_ns)
		m->init_pid = m->child;
	else
		m->init_pid = find_init_pid(m->child);
	if (m->o.pid_file != NULL) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%d", (int)m->init_pid);
		if (write_file_atomic(m->o.pid_file, buf, (size_t)n) < 0)
			warnx("writing pid file %s: %s", m->o.pid_file, strerror(errno));
	}
	report_start(m);
}

static void start_failed(struct monitor *m, int code, const char *quoted_error)
{
	static const char too_long[] = "\"start failed (error message too long)\"";
	size_t len = strlen(quoted_error);
	if (len >= sizeof m->error_json) {
		quoted_error = too_long;
		len = sizeof too_long - 1;
	}
	m->start = START_FAILED;
	m->start_code = code;
	memcpy(m->error_json, quoted_error, len + 1);
	close_sync(m);
	report_start(m);
}

/* enter's line is {"error":"...","exitCode":N}\n: keep the quoted error and the code. */
static void start_failed_from_enter(struct monitor *m, char *line, size_t len)
{
	static const char head[] = "{\"error\":\"", mid[] = "\",\"exitCode\":";
	unsigned long code;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '}')
		len--;
	line[len] = '\0';
	char *tail = strstr(line, mid);
	if (strncmp(line, head, sizeof head - 1) == 0 && tail != NULL &&
	    parse_uint(tail + sizeof mid - 1, 255, &code) == 0) {
		tail[1] = '\0'; /* keep the closing quote of the error string */
		start_failed(m, (int)code, line + sizeof head - 2);
		return;
	}
	char quoted[ERR_JSON_MAX];
	json_quote(quoted, sizeof quoted, line);
	start_failed(m, 125, quoted);
}

/* Take the handoff pipe (SCM_RIGHTS) and the sender's host pid (SCM_CREDENTIALS). */
static void read_control(struct monitor *m, struct msghdr *msg)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;
			memcpy(&cred, CMSG_DATA(c), sizeof cred);
			m->sender = cred.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t k = 0; k < nfds; k++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + k * sizeof fd, sizeof fd);
				if (m->handoff < 0)
					m->handoff = fd;
				else
					(void)close(fd); /* nobody should send more than one */
			}
		}
	}
}

static void receive_sync_messages(struct monitor *m)
{
	while (m->sync_sock >= 0 && m->handoff < 0) {
		char data[sizeof m->enter_line];
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		} ctl;
		struct iovec iov = { data, sizeof data - 1 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
				      .msg_controllen = sizeof ctl.buf };
		ssize_t n = recvmsg(m->sync_sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* Every holder of fd 3 is gone without a handoff: the chain died early. The
			 * child's exit, seen by SIGCHLD, turns this into a 125. */
			(void)close(m->sync_sock);
			m->sync_sock = -1;
			return;
		}
		read_control(m, &msg);
		if (m->handoff >= 0) {
			if (set_nonblock(m->handoff) < 0)
				monitor_die(m, "start sync: %s", strerror(errno));
			(void)close(m->sync_sock);
			m->sync_sock = -1;
			return;
		}
		start_failed_from_enter(m, data, (size_t)n); /* enter failed before its handoff */
	}
}

static void read_handoff(struct monitor *m)
{
	while (m->start == START_PENDING && m->handoff >= 0) {
		size_t room = sizeof m->enter_line - 1 - m->enter_len;
		ssize_t n = read(m->handoff, m->enter_line + m->enter_len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n > 0) {
			m->enter_len += (size_t)n;
			if ((size_t)n < room)
				continue;
		}
		/* EOF (or a full buffer): nothing written means execve succeeded. */
		if (m->enter_len == 0)
			start_succeeded(m);
		else
			start_failed_from_enter(m, m->enter_line, m->enter_len);
	}
}

/* Non-blocking: consume whatever the start protocol has to say right now. */
static void sync_pump(struct monitor *m)
{
	if (m->start != START_PENDING)
		return;
	receive_sync_messages(m);
	read_handoff(m);
}

/* The chain ended before `enter` reported: 125 with what it said on stderr. */
static void start_failed_chain(struct monitor *m)
{
	char msg[ERR_MSG_MAX], quoted[ERR_JSON_MAX];
	size_t len = m->tail_len;
	while (len > 0 && (m->tail[len - 1] == '\n' || m->tail[len - 1] == '\r' || m->tail[len - 1] == ' '))
		len--;
	if (len > 0) {
		memcpy(msg, m->tail, len);
		msg[len] = '\0';
	} else if (WIFSIGNALED(m->wstatus)) {
		snprintf(msg, sizeof msg, "container start chain killed by signal %d before the container command started",
			 WTERMSIG(m->wstatus));
	} else {
		snprintf(msg, sizeof msg, "container start chain exited with status %d before the container command started",
			 WEXITSTATUS(m->wstatus));
	}
	json_quote(quoted, sizeof quoted, msg);
	start_failed(m, 125, quoted);
}

/* ------------------------------------------------------------------------------------------
 * monitor: output, input relay, signals
 * ---------------------------------------------------------------------------------------- */

/*
 * Output from the chain before the container command runs (a mount error, enter's own error
 * message) is not container output: it goes to the error tail, not the log. The check runs
 * after the read: `enter` closes its handoff pipe in execve, before the command can write,
 * so if the start is still pending after read() returned, nothing read came from the command.
 */
static void on_output(struct monitor *m, struct stream *s, const char *data, size_t n)
{
	sync_pump(m);
	if (m->start != START_OK) {
		if (s == &m->err || m->o.tty)
			tail_append(m, data, n);
		return;
	}
	if (s->copy_fd >= 0 && write_all(s->copy_fd, data, n) < 0)
		s->copy_fd = -1; /* our reader went away (EPIPE): keep logging regardless */
	struct timespec ts = now_realtime();
	stream_feed(m, s, data, n, &ts);
}

static void close_stream(struct stream *s)
{
	if (s->fd >= 0)
		(void)close(s->fd);
	s->fd = -1;
}

/* One read. Returns false when nothing more is available right now (EAGAIN) or ever. */
static bool pump_stream(struct monitor *m, struct stream *s)
{
	ssize_t n = read(s->fd, read_buf, sizeof read_buf);
	if (n > 0) {
		on_output(m, s, read_buf, (size_t)n);
		return true;
	}
	if (n < 0 && errno == EINTR)
		return true;
	if (n < 0 && errno == EAGAIN)
		return false;
	/* EOF, or EIO on a pty master once the last slave fd is closed */
	close_stream(s);
	return false;
}

/* After the child exited: take what is buffered, without waiting for writers that escaped. */
static void drain_stream(struct monitor *m, struct stream *s)
{
	while (s->fd >= 0 && pump_stream(m, s))
		;
}

static void relay_input(struct monitor *m)
{
	if (m->in_len == 0) {
		ssize_t n = read(m->relay_fd, m->inbuf, sizeof m->inbuf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0) {
			m->relay_fd = -1; /* EOF on our stdin: stop relaying, the pty stays */
			return;
		}
		m->in_len = (size_t)n;
		m->in_off = 0;
	}
	ssize_t w = write(m->pty_master, m->inbuf + m->in_off, m->in_len - m->in_off);
	if (w < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (w < 0) {
		m->in_len = 0; /* EIO: the container closed its tty; drop the input */
		m->relay_fd = -1;
		return;
	}
	m->in_off += (size_t)w;
	if (m->in_off == m->in_len)
		m->in_len = 0;
}

static void copy_window_size(struct monitor *m)
{
	struct winsize ws;
	if (m->pty_master < 0 || !isatty(STDIN_FILENO))
		return;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
		return;
	if (ioctl(m->pty_master, TIOCSWINSZ, &ws) < 0)
		warnx("setting the tty size: %s", strerror(errno));
}

static void reap_children(struct monitor *m)
{
	for (;;) {
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			return;
		if (p == m->child) {
			m->exited = true;
			m->wstatus = st;
			m->finished = now_realtime();
		}
	}
}

/* docker's sig-proxy: in attach mode the signals a user sends to `run` go to the container. */
static void forward_signal(struct monitor *m, int sig)
{
	pid_t target = m->init_pid > 0 ? m->init_pid : m->child;
	if (!m->o.attach || target <= 0 || m->exited)
		return; /* detached: the engine signals the init itself; we only keep waiting */
	if (kill(target, sig) < 0 && errno != ESRCH)
		warnx("forwarding signal %d to %d: %s", sig, (int)target, strerror(errno));
}

static void handle_signals(struct monitor *m)
{
	struct signalfd_siginfo si;
	for (;;) {
		ssize_t n = read(m->sig_fd, &si, sizeof si);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof si)
			return; /* EAGAIN: all pending signals taken */
		if (si.ssi_signo == SIGCHLD)
			reap_children(m);
		else if (si.ssi_signo == SIGWINCH)
			copy_window_size(m);
		else
			forward_signal(m, (int)si.ssi_signo);
	}
}

/* ------------------------------------------------------------------------------------------
 * monitor: setting up and starting the child
 * ---------------------------------------------------------------------------------------- */

struct child_fds {
	int in, out, err, sync; /* sources for 0, 1, 2, 3 in the child; sync -1 with --no-sync */
};

static const int HANDLED_SIGNALS[] = { SIGCHLD, SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

static void setup_signals(struct monitor *m)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof HANDLED_SIGNALS / sizeof HANDLED_SIGNALS[0]; i++)
		sigaddset(&set, HANDLED_SIGNALS[i]);
	if (sigprocmask(SIG_BLOCK, &set, &m->old_mask) < 0)
		monitor_die(m, "sigprocmask: %s", strerror(errno));
	m->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (m->sig_fd < 0)
		monitor_die(m, "signalfd: %s", strerror(errno));
	/* A reader of ours (engine, terminal) that goes away must not kill the log keeper. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		monitor_die(m, "ignoring SIGPIPE: %s", strerror(errno));
}

/* The container starts with default dispositions and an empty mask, as under runc. */
static void reset_signals(const sigset_t *mask)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL); /* EINVAL for KILL, STOP and libc's own: fine */
	(void)sigprocmask(SIG_SETMASK, mask, NULL);
}

/* dup2 that also clears close-on-exec when the fd is already in place. */
static int place_fd(int src, int dst)
{
	if (src != dst)
		return dup2(src, dst) < 0 ? -1 : 0;
	int fl = fcntl(dst, F_GETFD);
	return fl < 0 ? -1 : fcntl(dst, F_SETFD, fl & ~FD_CLOEXEC);
}

static noreturn void exec_chain(struct monitor *m, const struct child_fds *f)
{
	sigset_t empty;
	sigemptyset(&empty);
	reset_signals(&empty);
	/* Own session: a terminal's ^C reaches the engine and us, not the chain directly
	 * (docker's sig-proxy model); with a tty the session needs it as controlling tty. */
	if (setsid() < 0)
		_exit(125);
	if (place_fd(f->in, 0) < 0 || place_fd(f->out, 1) < 0 || place_fd(f->err, 2) < 0)
		_exit(125);
	/* --pid-ns: we are the new namespace's init; die with the monitor, as the init of
	 * `unshare --fork --kill-child` does with unshare. */
	if (m->o.pid_ns && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(125);
	if (m->o.tty && ioctl(0, TIOCSCTTY, 0) < 0) {
		warnx("TIOCSCTTY: %s", strerror(errno));
		_exit(125);
	}
	if (f->sync >= 0 && place_fd(f->sync, SYNC_FD) < 0)
		_exit(125);
	/* Only 0-2 and the sync fd reach the chain (and, through it, the container). */
	if (close_fds_from(f->sync >= 0 ? SYNC_FD + 1 : SYNC_FD, -1) < 0) {
		warnx("closing inherited fds: %s", strerror(errno));
		_exit(125);
	}
	execvp(m->o.argv[0], m->o.argv);
	warnx("exec %s: %s", m->o.argv[0], strerror(errno));
	_exit(127);
}

static void open_pty(struct monitor *m, struct child_fds *f)
{
	char name[64];
	m->pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m->pty_master < 0)
		monitor_die(m, "posix_openpt: %s", strerror(errno));
	if (grantpt(m->pty_master) < 0 || unlockpt(m->pty_master) < 0 ||
	    ptsname_r(m->pty_master, name, sizeof name) != 0)
		monitor_die(m, "setting up the pty: %s", strerror(errno));
	int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		monitor_die(m, "opening %s: %s", name, strerror(errno));
	if (m->o.have_size) {
		struct winsize ws = { .ws_row = m->o.rows, .ws_col = m->o.cols };
		if (ioctl(m->pty_master, TIOCSWINSZ, &ws) < 0)
			monitor_die(m, "setting the tty size: %s", strerror(errno));
	} else {
		copy_window_size(m);
	}
	if (set_nonblock(m->pty_master) < 0)
		monitor_die(m, "pty: %s", strerror(errno));
	f->in = f->out = f->err = slave;
	m->out.fd = m->pty_master; /* a tty merges both streams; docker logs it as stdout */
	m->out.copy_fd = m->o.attach ? STDOUT_FILENO : -1;
}

static int open_output_pipe(struct monitor *m, struct stream *s, int copy_fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0 || set_nonblock(p[0]) < 0)
		monitor_die(m, "pipe: %s", strerror(errno));
	s->fd = p[0];
	s->copy_fd = m->o.attach ? copy_fd : -1;
	return p[1];
}

/* Where the child's stdin comes from without a tty. */
static int open_child_stdin(struct monitor *m)
{
	if (m->o.stdin_open && m->o.attach)
		return STDIN_FILENO; /* the engine's own stdin, untouched: EOF passes through */
	if (m->o.stdin_open) {
		/* Detached -i: a pipe nobody writes to yet, held open so that `sh` keeps waiting
		 * instead of seeing EOF, as with `docker run -di`. */
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			monitor_die(m, "pipe: %s", strerror(errno));
		m->stdin_keep = p[1];
		return p[0];
	}
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0)
		monitor_die(m, "opening /dev/null: %s", strerror(errno));
	return null;
}

/* docker -it: the user's terminal goes raw so that keys reach the container's tty as typed. */
static void make_terminal_raw(struct monitor *m)
{
	if (!isatty(STDIN_FILENO))
		return;
	if (tcgetattr(STDIN_FILENO, &m->saved_term) < 0)
		monitor_die(m, "tcgetattr: %s", strerror(errno));
	struct termios raw = m->saved_term;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) < 0)
		monitor_die(m, "tcsetattr: %s", strerror(errno));
	m->term_saved = true;
}

static void prepare_child_fds(struct monitor *m, struct child_fds *f)
{
	m->out.name = "stdout";
	m->err.name = "stderr";
	if (m->o.tty) {
		open_pty(m, f);
		if (m->o.stdin_open && m->o.attach) {
			m->relay_fd = STDIN_FILENO;
			make_terminal_raw(m);
		}
	} else {
		f->in = open_child_stdin(m);
		f->out = open_output_pipe(m, &m->out, STDOUT_FILENO);
		f->err = open_output_pipe(m, &m->err, STDERR_FILENO);
	}
	if (!m->o.no_sync) {
		int sv[2], on = 1;
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
		    setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0 || set_nonblock(sv[0]) < 0)
			monitor_die(m, "sync socket: %s", strerror(errno));
		m->sync_sock = sv[0];
		f->sync = sv[1];
	}
}

/* In the parent after fork: the child's ends of everything are the child's business now. */
static void close_child_fds(const struct child_fds *f)
{
	int fds[] = { f->in, f->out, f->err, f->sync };
	for (size_t i = 0; i < 4; i++) {
		bool dup_of_earlier = false;
		for (size_t k = 0; k < i; k++)
			dup_of_earlier |= fds[k] == fds[i];
		if (fds[i] > STDERR_FILENO && !dup_of_earlier)
			(void)close(fds[i]);
	}
}

/*
 * --pid-ns: the child becomes pid 1 of a new pid namespace and our direct child, so we
 * wait(2) for the container's init itself. Through `unshare --pid --fork` we would only see
 * unshare's status, and util-linux 2.38's unshare cannot pass on a SIGKILL (its
 * signal(SIGKILL, SIG_DFL) fails: "sigprocmask unblock failed", exit 1), which would turn
 * every `kill`, stop timeout and OOM kill (137) into exit code 1. unshare(CLONE_NEWPID)
 * changes only where our next child goes; we switch back right after the fork so that the
 * exit command, which replaces us, forks into the host namespace again.
 */
static int enter_child_pid_ns(struct monitor *m)
{
	if (!m->o.pid_ns)
		return -1;
	int host_ns = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (host_ns < 0)
		monitor_die(m, "opening /proc/self/ns/pid_for_children: %s", strerror(errno));
	if (unshare(CLONE_NEWPID) < 0)
		monitor_die(m, "unshare(CLONE_NEWPID): %s", strerror(errno));
	return host_ns;
}

static void leave_child_pid_ns(struct monitor *m, int host_ns)
{
	if (host_ns < 0)
		return;
	if (setns(host_ns, CLONE_NEWPID) < 0)
		monitor_die(m, "returning to the host pid namespace: %s", strerror(errno));
	(void)close(host_ns);
}

static void start_child(struct monitor *m)
{
	struct child_fds f = { -1, -1, -1, -1 };
	prepare_child_fds(m, &f);
	int host_ns = enter_child_pid_ns(m);
	m->child = fork();
	if (m->child < 0)
		monitor_die(m, "fork: %s", strerror(errno));
	if (m->child == 0)
		exec_chain(m, &f);
	leave_child_pid_ns(m, host_ns);
	close_child_fds(&f);
	if (m->o.no_sync)
		start_succeeded(m); /* no `enter` at the end of ARGV: the child is the container */
}

/* ------------------------------------------------------------------------------------------
 * monitor: main loop and the end
 * ---------------------------------------------------------------------------------------- */

static void add_poll(struct pollfd *p, size_t *n, int fd, short events, int *slot)
{
	*slot = -1;
	if (fd < 0)
		return;
	p[*n] = (struct pollfd){ .fd = fd, .events = events };
	*slot = (int)(*n)++;
}

static bool ready(const struct pollfd *p, int slot)
{
	return slot >= 0 && p[slot].revents != 0;
}

static void monitor_loop(struct monitor *m)
{
	while (!m->exited) {
		struct pollfd p[6];
		size_t n = 0;
		int s_sig, s_sync, s_hand, s_out, s_err, s_io;
		add_poll(p, &n, m->sig_fd, POLLIN, &s_sig);
		add_poll(p, &n, m->start == START_PENDING ? m->sync_sock : -1, POLLIN, &s_sync);
		add_poll(p, &n, m->start == START_PENDING ? m->handoff : -1, POLLIN, &s_hand);
		add_poll(p, &n, m->out.fd, POLLIN, &s_out);
		add_poll(p, &n, m->err.fd, POLLIN, &s_err);
		if (m->in_len > 0)
			add_poll(p, &n, m->pty_master, POLLOUT, &s_io);
		else
			add_poll(p, &n, m->relay_fd, POLLIN, &s_io);
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			monitor_die(m, "poll: %s", strerror(errno));
		}
		if (ready(p, s_sig))
			handle_signals(m);
		if (ready(p, s_sync) || ready(p, s_hand))
			sync_pump(m);
		if (ready(p, s_out))
			pump_stream(m, &m->out);
		if (ready(p, s_err))
			pump_stream(m, &m->err);
		if (ready(p, s_io))
			relay_input(m);
	}
}

/* 128+N for a signal, as shells and docker report it; unshare --fork re-raises its init's
 * fatal signal on itself, so a SIGKILLed init shows up here as a SIGKILLed child. */
static int exit_code_of(int wstatus, char *signame, size_t cap)
{
	if (WIFSIGNALED(wstatus)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(wstatus));
		if (abbrev != NULL)
			snprintf(signame, cap, "\"SIG%s\"", abbrev);
		else
			snprintf(signame, cap, "\"SIG%d\"", WTERMSIG(wstatus));
		return 128 + WTERMSIG(wstatus);
	}
	snprintf(signame, cap, "null");
	return WEXITSTATUS(wstatus);
}

/* {"exitCode":N,"signal":"SIGKILL"|null,"finishedAt":"..."}, plus "error" when the start
 * failed (then exitCode is the start's 125/126/127). Returns the exit code. */
static int write_exit_file(struct monitor *m)
{
	char signame[32], when[64], buf[sizeof m->error_json + 160];
	int code = exit_code_of(m->wstatus, signame, sizeof signame);
	bool failed = m->start == START_FAILED;
	if (failed) {
		code = m->start_code;
		snprintf(signame, sizeof signame, "null");
	}
	format_time(when, sizeof when, &m->finished);
	int n = snprintf(buf, sizeof buf, "{\"exitCode\":%d,\"signal\":%s,\"finishedAt\":\"%s\"%s%s}\n", code,
			 signame, when, failed ? ",\"error\":" : "", failed ? m->error_json : "");
	if (n < 0 || (size_t)n >= sizeof buf)
		n = snprintf(buf, sizeof buf, "{\"exitCode\":%d,\"signal\":null,\"finishedAt\":\"%s\"}\n", code, when);
	if (m->o.exit_file != NULL && write_file_atomic(m->o.exit_file, buf, (size_t)n) < 0)
		warnx("writing exit file %s: %s", m->o.exit_file, strerror(errno));
	return code;
}

/* The engine's cleanup / restart-policy hook replaces us, with a fixed minimal environment:
 * nothing of the container's or the caller's environment leaks into it. */
static void run_exit_command(struct monitor *m)
{
	char *envp[] = { "PATH=" DEFAULT_PATH, NULL };
	reset_signals(&m->old_mask);
	execve(m->o.exit_command, m->o.exit_argv, envp);
	warnx("exec exit command %s: %s", m->o.exit_command, strerror(errno));
}

static int monitor_finish(struct monitor *m)
{
	sync_pump(m);
	drain_stream(m, &m->out);
	drain_stream(m, &m->err);
	if (m->start == START_PENDING)
		start_failed_chain(m);
	struct timespec ts = now_realtime();
	stream_flush(m, &m->out, &ts);
	stream_flush(m, &m->err, &ts);
	close_stream(&m->out);
	close_stream(&m->err);
	int code = write_exit_file(m);
	restore_terminal(m);
	if (m->log_fd >= 0 && close(m->log_fd) < 0)
		warnx("closing log %s: %s", m->o.log_path, strerror(errno));
	m->log_fd = -1;
	if (m->o.exit_command != NULL)
		run_exit_command(m);
	return code;
}

/* The original process of --detach: wait for the monitor's start report (one code byte,
 * then the JSON line), print the line, exit with the code. */
static noreturn void relay_start_report(int fd)
{
	static char buf[ERR_JSON_MAX + 128];
	size_t len = 0;
	while (len < sizeof buf) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (len < 2) {
		static const char lost[] = "{\"error\":\"" SHIM " monitor exited before the container started\",\"exitCode\":125}\n";
		(void)write_all(STDOUT_FILENO, lost, sizeof lost - 1);
		_exit(125);
	}
	if (write_all(STDOUT_FILENO, buf + 1, len - 1) < 0)
		_exit(125);
	_exit((unsigned char)buf[0]);
}

/* --detach: fork; the original waits for the start report, the monitor goes on in its own
 * session with stdio on /dev/null, so it holds none of the engine's pipes or terminal. */
static void detach_from_caller(struct monitor *m)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		monitor_die(m, "pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		monitor_die(m, "fork: %s", strerror(errno));
	if (pid > 0) {
		(void)close(p[1]);
		relay_start_report(p[0]);
	}
	(void)close(p[0]);
	m->report_fd = p[1];
	if (setsid() < 0)
		monitor_die(m, "setsid: %s", strerror(errno));
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		monitor_die(m, "redirecting stdio to /dev/null: %s", strerror(errno));
	(void)close(null);
}

static void open_log(struct monitor *m)
{
	if (m->o.log_path == NULL)
		return;
	/* 0640 as docker's json-file; O_APPEND so that a reader's truncation stays consistent. */
	m->log_fd = open(m->o.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (m->log_fd < 0)
		monitor_die(m, "opening log file %s: %s", m->o.log_path, strerror(errno));
}

static int monitor_main(int argc, char **argv)
{
	struct monitor *m = &M;
	parse_monitor_opts(argc, argv, &m->o);
	m->log_fd = m->sig_fd = m->report_fd = m->pty_master = m->stdin_keep = -1;
	m->relay_fd = m->sync_sock = m->handoff = -1;
	m->out.fd = m->err.fd = m->out.copy_fd = m->err.copy_fd = -1;
	ensure_std_fds();
	if (m->o.status_fd >= 0 && fcntl(m->o.status_fd, F_SETFD, FD_CLOEXEC) < 0)
		usage_error("--status-fd %d: %s", m->o.status_fd, strerror(errno));
	/* Whatever else the engine left open must not stay pinned for the container's life. */
	if (close_fds_from(3, m->o.status_fd) < 0)
		monitor_die(m, "closing inherited fds: %s", strerror(errno));
	if (m->o.detach)
		detach_from_caller(m);
	open_log(m);
	setup_signals(m);
	start_child(m);
	monitor_loop(m);
	return monitor_finish(m);
}

/* ------------------------------------------------------------------------------------------
 * enter: the container's side
 * ---------------------------------------------------------------------------------------- */

struct enter_opts {
	const char *root, *wd, *groups;
	bool have_user, have_caps, no_new_privs, pivot_root;
	int mount_ns, pid_ns; /* exec: namespace fds to join, or -1 */
	unsigned long long caps; /* bounding set to keep, as /proc/PID/status shows it */
	uid_t uid;
	gid_t gid;
	char **env;
	size_t n_env;
	int sync_fd;
	char **argv;
};

/* Where failures are reported besides stderr: the handoff pipe, or the plain sync fd. */
static int enter_report_fd = -1;

/* stderr gets docker's wording; the monitor gets the same as {"error":...,"exitCode":N}. */
static noreturn void enter_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static noreturn void enter_fail(int code, const char *fmt, ...)
{
	static char msg[ERR_MSG_MAX], line[ERR_JSON_MAX + 64];
	va_list ap;
	va_start(ap, fmt);
	size_t len = vformat(msg, sizeof msg - 1, fmt, ap);
	va_end(ap);
	/* a reader that went away must not turn this report into a silent SIGPIPE death */
	(void)signal(SIGPIPE, SIG_IGN);
	msg[len] = '\n';
	(void)write_all(STDERR_FILENO, msg, len + 1);
	msg[len] = '\0';
	if (enter_report_fd >= 0) {
		size_t o = (size_t)snprintf(line, sizeof line, "{\"error\":");
		json_quote(line + o, sizeof line - o, msg);
		o += strlen(line + o);
		snprintf(line + o, sizeof line - o, ",\"exitCode\":%d}\n", code);
		(void)write_all(enter_report_fd, line, strlen(line));
	}
	_exit(code);
}

static void parse_user(const char *v, struct enter_opts *o)
{
	char buf[32];
	unsigned long uid, gid;
	const char *colon = strchr(v, ':');
	if (colon == NULL || (size_t)(colon - v) >= sizeof buf)
		enter_fail(125, "--user wants numeric UID:GID, got %s", v);
	memcpy(buf, v, (size_t)(colon - v));
	buf[colon - v] = '\0';
	/* (uid_t)-1 means "unchanged" to setuid(2); refuse it as an id */
	if (parse_uint(buf, UINT_MAX - 1, &uid) < 0 || parse_uint(colon + 1, UINT_MAX - 1, &gid) < 0)
		enter_fail(125, "--user wants numeric UID:GID, got %s", v);
	o->uid = (uid_t)uid;
	o->gid = (gid_t)gid;
	o->have_user = true;
}

static void parse_enter_opts(int argc, char **argv, struct enter_opts *o)
{
	memset(o, 0, sizeof *o);
	o->root = ".";
	o->sync_fd = -1;
	o->mount_ns = o->pid_ns = -1;
	o->env = calloc((size_t)argc + 1, sizeof *o->env);
	if (o->env == NULL)
		enter_fail(125, "out of memory");
	int i;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v;
		bool missing = false;
		unsigned long n;
		if ((v = opt_value(argc, argv, &i, "--root", &missing)))
			o->root = v;
		else if ((v = opt_value(argc, argv, &i, "--wd", &missing)))
			o->wd = v;
		else if ((v = opt_value(argc, argv, &i, "--user", &missing)))
			parse_user(v, o);
		else if ((v = opt_value(argc, argv, &i, "--groups", &missing)))
			o->groups = v;
		else if ((v = opt_value(argc, argv, &i, "--caps", &missing))) {
			char *end;
			errno = 0;
			o->caps = strtoull(v, &end, 16);
			if (errno != 0 || *v == '\0' || *end != '\0')
				enter_fail(125, "--caps wants a hex capability mask, got %s", v);
			o->have_caps = true;
		} else if (strcmp(argv[i], "--no-new-privs") == 0)
			o->no_new_privs = true;
		else if (strcmp(argv[i], "--pivot-root") == 0)
			o->pivot_root = true;
		else if ((v = opt_value(argc, argv, &i, "--env", &missing)))
			o->env[o->n_env++] = (char *)v;
		else if ((v = opt_value(argc, argv, &i, "--sync-fd", &missing))) {
			if (parse_uint(v, INT_MAX, &n) < 0 || n < 3)
				enter_fail(125, "--sync-fd wants a descriptor number >= 3, got %s", v);
			o->sync_fd = (int)n;
		} else if ((v = opt_value(argc, argv, &i, "--mount-ns", &missing))) {
			if (parse_uint(v, INT_MAX, &n) < 0 || n < 3)
				enter_fail(125, "--mount-ns wants a descriptor number >= 3, got %s", v);
			o->mount_ns = (int)n;
		} else if ((v = opt_value(argc, argv, &i, "--pid-ns", &missing))) {
			if (parse_uint(v, INT_MAX, &n) < 0 || n < 3)
				enter_fail(125, "--pid-ns wants a descriptor number >= 3, got %s", v);
			o->pid_ns = (int)n;
		} else if (missing)
			enter_fail(125, "%s: option %s needs a value", SHIM, argv[i]);
		else
			enter_fail(125, "%s enter: unknown option %s", SHIM, argv[i]);
	}
	if (i >= argc - 1)
		enter_fail(125, "%s enter: missing `-- CMD [ARGS...]`", SHIM);
	o->argv = argv + i + 1;
}

/*
 * Before anything looks at a path: only 0-2 and the sync fd stay open. A directory fd
 * leaked from the engine would let `--wd /proc/self/fd/N` start the container with its cwd
 * outside the root (CVE-2024-21626, runc's "leaky vessels"). Then the handoff: with the
 * monitor's SEQPACKET socket, send it the read end of a fresh close-on-exec pipe; with a
 * plain pipe or stream socket as sync fd, report on it directly and let exec close it.
 */
static void enter_sync(int sync_fd)
{
	if (close_fds_from(3, sync_fd) < 0)
		enter_fail(125, "closing inherited fds: %s", strerror(errno));
	if (sync_fd < 0)
		return;
	if (fcntl(sync_fd, F_SETFD, FD_CLOEXEC) < 0)
		enter_fail(125, "--sync-fd %d: %s", sync_fd, strerror(errno));
	enter_report_fd = sync_fd;
	int type = 0;
	socklen_t len = sizeof type;
	if (getsockopt(sync_fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		enter_fail(125, "start sync pipe: %s", strerror(errno));
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof ctl);
	struct iovec iov = { HANDOFF_MARK, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			      .msg_controllen = sizeof ctl.buf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[0], sizeof(int));
	if (sendmsg(sync_fd, &msg, MSG_NOSIGNAL) < 0)
		enter_fail(125, "start sync: %s", strerror(errno));
	(void)close(p[0]);
	(void)close(sync_fd);
	enter_report_fd = p[1];
}

/*
 * The start chain's `mount --move . /` only shadows the host's mount tree: every host mount
 * stays in the container's mount namespace, unreachable by path but not by the kernel's
 * mount_too_revealing() check, which looks at all mounts of the namespace. A fully visible
 * host /proc there let a container process, in a user namespace of its own (no seccomp
 * filter blocks unshare(CLONE_NEWUSER)), mount a fresh procfs without the masks and
 * read-only paths, where /proc/sys/kernel/core_pattern is writable to it as uid 0. So, as
 * runc does (libcontainer/rootfs_linux.go pivotRoot): pivot_root(".", ".") makes the
 * current directory (the container's root) the namespace's root with the old root stacked
 * on it, and a lazy unmount of the old root takes every host mount out of the namespace.
 * Never for `exec`: its namespace was pivoted when the container started.
 */
static void pivot_into_cwd(void)
{
	char err[128];
	int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (oldroot < 0)
		enter_fail(125, "pivot_root: opening the old root: %s", go_strerror(errno, err, sizeof err));
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		enter_fail(125, "pivot_root: %s", go_strerror(errno, err, sizeof err));
	/* the old root is now stacked on ".": make sure "." is it, whatever the kernel did to cwd */
	if (fchdir(oldroot) < 0)
		enter_fail(125, "pivot_root: fchdir to the old root: %s", go_strerror(errno, err, sizeof err));
	/* the chain's unshare made everything private already; slave is what runc insists on
	 * so that the unmount below can never propagate to the host */
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		enter_fail(125, "pivot_root: making the old root a slave: %s", go_strerror(errno, err, sizeof err));
	if (umount2(".", MNT_DETACH) < 0)
		enter_fail(125, "pivot_root: detaching the old root: %s", go_strerror(errno, err, sizeof err));
	(void)close(oldroot); /* a read-only directory fd: nothing to lose */
	if (chdir("/") < 0)
		enter_fail(125, "pivot_root: chdir /: %s", go_strerror(errno, err, sizeof err));
}

/* The parent left outside the container's pid namespace: what `nsenter --pid` does after its
 * fork (util-linux continue_as_child), minus suspending itself when the child stops, which
 * would let the container freeze the exec's parent for good. */
static noreturn void wait_for_child(pid_t child)
{
	int status = 0;
	(void)close_fds_from(3, -1); /* the sync socket and the rest are the child's business */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(125);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	if (WIFSIGNALED(status)) {
		(void)signal(WTERMSIG(status), SIG_DFL);
		(void)kill(getpid(), WTERMSIG(status));
	}
	_exit(125);
}

/*
 * exec: join the container's mount and pid namespaces from fds the engine opened on the host,
 * instead of with `nsenter --mount --root --pid`. nsenter runs its command by path *inside*
 * the mount namespace it joined, with every capability: a container init that had moved
 * into a user and mount namespace of its own (no seccomp filter refuses unshare(CLONE_NEWUSER))
 * could mount a program over /proc/self/fd/4 there and have `exec` run it as host root with
 * all capabilities. Here the shim is already running when it joins, and nothing of the
 * container's runs before the capabilities are dropped. The mount namespace comes first
 * (setns(2) makes its root our root and cwd), then the fork into the pid namespace: no
 * process of ours ever sits in the container's pid namespace with a host root or cwd.
 * Only the child returns.
 */
static void join_container(struct enter_opts *o)
{
	char err[128];
	if (o->mount_ns >= 0) {
		if (setns(o->mount_ns, CLONE_NEWNS) < 0)
			enter_fail(125, "joining the container's mount namespace: %s", go_strerror(errno, err, sizeof err));
		(void)close(o->mount_ns); /* a namespace fd: nothing to flush */
	}
	if (o->pid_ns < 0)
		return;
	if (setns(o->pid_ns, CLONE_NEWPID) < 0)
		enter_fail(125, "joining the container's pid namespace: %s", go_strerror(errno, err, sizeof err));
	(void)close(o->pid_ns);
	pid_t child = fork();
	if (child < 0)
		enter_fail(125, "fork into the container's pid namespace: %s", go_strerror(errno, err, sizeof err));
	if (child > 0)
		wait_for_child(child);
}

/* mkdir -p as root inside the root, like runc does for a missing working directory. */
static void make_workdir(const char *wd)
{
	char path[PATH_MAX], err[128];
	if (wd[0] != '/')
		enter_fail(125, "working directory %s is invalid, it needs to be an absolute path", wd);
	if (strlen(wd) >= sizeof path)
		enter_fail(125, "working directory %s: %s", wd, go_strerror(ENAMETOOLONG, err, sizeof err));
	strcpy(path, wd);
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			enter_fail(125, "mkdir working directory %s: %s", wd, go_strerror(errno, err, sizeof err));
		*p = saved;
		if (saved == '\0')
			break;
	}
}

static void enter_workdir(const char *wd)
{
	char err[128], cwd[PATH_MAX];
	if (chdir(wd) < 0)
		enter_fail(125, "chdir to working directory %s: %s", wd, go_strerror(errno, err, sizeof err));
	/* runc's second line of defence for CVE-2024-21626: a cwd outside our root makes
	 * getcwd fail with ENOENT ("(unreachable)" paths). */
	if (getcwd(cwd, sizeof cwd) == NULL && errno == ENOENT)
		enter_fail(125, "working directory %s is outside the container root", wd);
}

/* setgroups, setgid, setuid: in that order, the only one that works (setuid drops the
 * capabilities the other two need). Supplementary groups come resolved from the engine. */
/*
 * docker's capability set, as runc applies it: everything outside `--caps` leaves the bounding
 * set (so no exec can ever regain it), and the inheritable and ambient sets are emptied
 * (CVE-2022-24769). Our own effective set is untouched until exec, so chroot and setuid
 * still work. Needs CAP_SETPCAP: call it while still root. See capabilities(7).
 */
static void drop_capabilities(const struct enter_opts *o)
{
	char err[128];
	if (!o->have_caps)
		return;
	for (int cap = 0; cap < 64; cap++) {
		if (o->caps & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL) /* past the kernel's last capability */
				break;
			enter_fail(125, "dropping capability %d: %s", cap, go_strerror(errno, err, sizeof err));
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		enter_fail(125, "clearing ambient capabilities: %s", go_strerror(errno, err, sizeof err));
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		enter_fail(125, "capget: %s", go_strerror(errno, err, sizeof err));
	data[0].inheritable = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) < 0)
		enter_fail(125, "capset: %s", go_strerror(errno, err, sizeof err));
}

static void switch_user(const struct enter_opts *o)
{
	char err[128];
	if (o->groups == NULL && !o->have_user)
		return;
	const char *groups = o->groups ? o->groups : "";
	size_t cap = 1, n = 0;
	for (const char *c = groups; *c != '\0'; c++)
		cap += *c == ',';
	gid_t *list = calloc(cap, sizeof *list);
	if (list == NULL)
		enter_fail(125, "out of memory");
	for (const char *p = groups; *p != '\0';) {
		char buf[32];
		unsigned long g;
		size_t len = strcspn(p, ",");
		if (len >= sizeof buf || n == cap)
			enter_fail(125, "--groups %s: invalid group list", o->groups);
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_uint(buf, UINT_MAX - 1, &g) < 0)
			enter_fail(125, "--groups %s: %s is not a numeric group id", o->groups, buf);
		list[n++] = (gid_t)g;
		p += len + (p[len] == ',');
	}
	if (setgroups(n, list) < 0)
		enter_fail(125, "setgroups: %s", go_strerror(errno, err, sizeof err));
	free(list);
	if (o->have_user && setgid(o->gid) < 0)
		enter_fail(125, "setgid %u: %s", (unsigned)o->gid, go_strerror(errno, err, sizeof err));
	if (o->have_user && setuid(o->uid) < 0)
		enter_fail(125, "setuid %u: %s", (unsigned)o->uid, go_strerror(errno, err, sizeof err));
}

/* The container's environment exactly as given; a repeated key keeps its first position
 * and its last value, as runc's os.Setenv loop leaves it. */
static char **build_env(const struct enter_opts *o)
{
	char **env = calloc(o->n_env + 1, sizeof *env);
	size_t n = 0;
	if (env == NULL)
		enter_fail(125, "out of memory");
	for (size_t i = 0; i < o->n_env; i++) {
		const char *eq = strchr(o->env[i], '=');
		if (eq == NULL || eq == o->env[i])
			enter_fail(125, "invalid environment variable %s (want KEY=VALUE)", o->env[i]);
		size_t klen = (size_t)(eq - o->env[i]) + 1;
		size_t k = 0;
		while (k < n && strncmp(env[k], o->env[i], klen) != 0)
			k++;
		env[k] = o->env[i];
		if (k == n)
			n++;
	}
	return env;
}

static const char *env_get(char **env, const char *key)
{
	size_t klen = strlen(key);
	for (; *env != NULL; env++)
		if (strncmp(*env, key, klen) == 0 && (*env)[klen] == '=')
			return *env + klen + 1;
	return NULL;
}

/* Go's exec.findExecutable: 0 or an errno; *stat_failed tells a failed stat(2) apart. */
static int find_executable(const char *path, bool *stat_failed)
{
	struct stat st;
	*stat_failed = false;
	if (stat(path, &st) < 0) {
		*stat_failed = true;
		return errno;
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return errno;
	return (st.st_mode & 0111) ? 0 : EACCES;
}

/* Go's exec.LookPath with the container's PATH, as runc resolves process.args[0]; the
 * messages and docker's exit codes (127 not found, 126 cannot be run) follow. */
static const char *look_path(const char *file, const char *path_env, char *buf, size_t cap)
{
	char err[128];
	bool stat_failed;
	if (strchr(file, '/') != NULL) {
		int e = find_executable(file, &stat_failed);
		if (e == 0)
			return file;
		if (stat_failed)
			enter_fail(e == ENOENT ? 127 : 126, "exec: \"%s\": stat %s: %s", file, file,
				   go_strerror(e, err, sizeof err));
		enter_fail(126, "exec: \"%s\": %s", file, go_strerror(e, err, sizeof err));
	}
	for (const char *p = path_env; *p != '\0';) {
		size_t len = strcspn(p, ":");
		int n = len == 0 ? snprintf(buf, cap, "./%s", file) : snprintf(buf, cap, "%.*s/%s", (int)len, p, file);
		if (n > 0 && (size_t)n < cap && find_executable(buf, &stat_failed) == 0)
			return buf;
		p += len;
		if (*p == ':') {
			p++;
			if (*p == '\0') /* a trailing ':' is an empty entry: the current directory */
				p = ".";
		}
	}
	enter_fail(127, "exec: \"%s\": executable file not found in $PATH", file);
}

static int enter_main(int argc, char **argv)
{
	struct enter_opts o;
	char err[128], path[PATH_MAX];
	ensure_std_fds();
	parse_enter_opts(argc, argv, &o);
	join_container(&o);
	enter_sync(o.sync_fd);
	if (o.pivot_root)
		pivot_into_cwd();
	if (chroot(o.root) < 0)
		enter_fail(125, "chroot %s: %s", o.root, go_strerror(errno, err, sizeof err));
	if (chdir("/") < 0)
		enter_fail(125, "chdir / in %s: %s", o.root, go_strerror(errno, err, sizeof err));
	if (o.wd != NULL)
		make_workdir(o.wd);
	drop_capabilities(&o);
	switch_user(&o);
	if (o.wd != NULL)
		enter_workdir(o.wd);
	if (o.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		enter_fail(125, "no_new_privs: %s", go_strerror(errno, err, sizeof err));
	char **env = build_env(&o);
	const char *path_env = env_get(env, "PATH");
	const char *file = look_path(o.argv[0], path_env ? path_env : DEFAULT_PATH, path, sizeof path);
	execve(file, o.argv, env);
	int e = errno;
	/* runc reports execve failures as "exec <path>: <error>" (os.PathError). */
	enter_fail(e == ENOENT ? 127 : 126, "exec %s: %s", file, go_strerror(e, err, sizeof err));
}

/* ------------------------------------------------------------------------------------------ */

static const char USAGE[] =
	"usage: " SHIM " monitor [options] -- ARGV...\n"
	"  --log FILE            append docker json-file lines for the child's output\n"
	"  --tty                 give the child a pty (logged as stdout)\n"
	"  --tty-size ROWSxCOLS  initial pty size (default: that of our stdin, if a tty)\n"
	"  --stdin               keep the child's stdin open (attach: ours; detach: a held pipe)\n"
	"  --attach              also copy the child's output to our stdout/stderr; proxy signals\n"
	"  --detach              daemonize; print the start line and exit once it is known\n"
	"  --status-fd N         also write the start line to fd N\n"
	"  --pid-file FILE       write the container init's host pid (tmp + rename)\n"
	"  --exit-file FILE      write {exitCode,signal,finishedAt} when the child ends\n"
	"  --exit-command PATH   exec PATH after the exit file is written\n"
	"  --exit-arg ARG        an argument for it (repeatable)\n"
	"  --no-sync             ARGV does not end in `" SHIM " enter`: no start sync on fd 3\n"
	"  --pid-ns              run ARGV as pid 1 of a new pid namespace (instead of\n"
	"                        `unshare --pid --fork`, so that the init's own status is seen)\n"
	"usage: " SHIM " enter [options] -- CMD [ARGS...]\n"
	"  --pivot-root          first pivot_root into the current directory and detach the\n"
	"                        old root (a new container; then --root is . or /)\n"
	"  --mount-ns FD         first join this mount namespace (exec; then --root /)\n"
	"  --pid-ns FD           and this pid namespace, forking: the parent waits outside\n"
	"  --root DIR            chroot here (default .)\n"
	"  --wd DIR              working directory inside the root, created if missing\n"
	"  --user UID:GID        numeric ids to switch to\n"
	"  --groups G1,G2,...    numeric supplementary groups (may be empty)\n"
	"  --caps HEX            capability bounding set to keep (e.g. 00000000a80425fb)\n"
	"  --no-new-privs        set no_new_privs before the exec\n"
	"  --env KEY=VALUE       the command's whole environment (repeatable)\n"
	"  --sync-fd N           report start errors on N; closed by a successful exec\n";

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "monitor") == 0)
		return monitor_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "enter") == 0)
		return enter_main(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		if (write_all(STDOUT_FILENO, USAGE, sizeof USAGE - 1) < 0)
			return 125;
		return 0;
	}
	if (write_all(STDERR_FILENO, USAGE, sizeof USAGE - 1) < 0)
		return 125;
	return 125;
}
