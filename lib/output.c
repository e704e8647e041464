#include "output.h"
#include "xmem.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (256u << 10)

/* ---- inputs that no output may replace ---- */

static struct guarded {
	dev_t dev;
	ino_t ino;
	char *name;
} *guarded;
static size_t nguarded, guarded_cap;

void pvd_out_protect(const char *path)
{
	struct stat sb;
	int std = !path || strcmp(path, "-") == 0;
	/* Standard input matters only when it is a file: `pvd-render -o x < x`. */
	if (std ? fstat(0, &sb) != 0 || !S_ISREG(sb.st_mode) : stat(path, &sb) != 0)
		return;
	guarded = xgrow(guarded, &guarded_cap, nguarded + 1, sizeof *guarded);
	guarded[nguarded++] = (struct guarded){ sb.st_dev, sb.st_ino, xstrdup(pvd_display_name(path)) };
}

int pvd_out_check(const char *path, struct pvd_err *e)
{
	struct stat sb;
	if (!path || strcmp(path, "-") == 0 || stat(path, &sb) != 0)
		return 0;
	/* The same file whatever it is called: a symlink, a hard link, ./x. */
	for (size_t i = 0; i < nguarded; i++)
		if (guarded[i].dev == sb.st_dev && guarded[i].ino == sb.st_ino)
			return pvd_err_set(e, PVD_EX_USAGE, path, 0, 0,
					   "is the input %s (same file): refusing to overwrite an input",
					   guarded[i].name);
	return 0;
}

/* ---- temporary files, removed however the process ends ---- */

/* Read by a signal handler: a fixed table of pointers, set and cleared
 * whole; the strings it points to are freed only after their slot is
 * cleared.  The owner pid keeps a forked child from removing its parent's. */
#define MAXTMP 16
static char *volatile tmps[MAXTMP];
static volatile pid_t tmp_owner;

static void unlink_tmps(void)
{
	if (getpid() != tmp_owner)
		return;
	for (int i = 0; i < MAXTMP; i++) {
		char *t = tmps[i];
		if (t)
			unlink(t);
	}
}

static void on_signal(int sig)
{
	int saved = errno;
	unlink_tmps(); /* unlink is async-signal-safe */
	errno = saved;
	/* SA_RESETHAND restored the default: die of the same signal. */
	raise(sig);
}

static void watch(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	tmp_owner = getpid();
	atexit(unlink_tmps);
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction old, sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND | SA_NODEFER };
		sigemptyset(&sa.sa_mask);
		/* A handler of the program's own (pvd-run), or an ignored
		 * signal (nohup), is left alone. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

static void tmp_add(char *t)
{
	watch();
	for (int i = 0; i < MAXTMP; i++)
		if (!tmps[i]) {
			tmps[i] = t;
			return;
		}
}

static void tmp_del(const char *t)
{
	for (int i = 0; i < MAXTMP; i++)
		if (tmps[i] == t)
			tmps[i] = NULL;
}

int pvd_out_open(struct pvd_out *o, const char *path, struct pvd_err *e)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->fd = 1;
		return 0;
	}
	int rc = pvd_out_check(path, e);
	if (rc) {
		o->fd = -1;
		return rc;
	}
	/* /dev/stderr, /dev/fd/N, a fifo or a device cannot be renamed over
	 * (and must never be replaced by a file): write to them in place,
	 * appending.  A symlink to a regular file is replaced at its target. */
	struct stat sb;
	char *real = NULL;
	if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6) ||
	    (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))) {
		o->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (o->fd < 0)
			return pvd_err_set(e, PVD_EX_CANTCREAT, path, 0, 0, "cannot open: %s", strerror(errno));
		o->direct = 1;
		return 0;
	}
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (real = realpath(path, NULL)))
		path = real;
	sigset_t block, was;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	o->path = xstrdup(path);
	size_t n = strlen(path) + 32;
	o->tmp = xmalloc(n);
	/* Same directory as the target, so rename() is atomic. */
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path + 1) : 0;
	snprintf(o->tmp, n, "%.*s.%s.tmp.XXXXXX", dl, path, slash ? slash + 1 : path);
	/* No signal between creating the file and noting it for removal. */
	sigprocmask(SIG_BLOCK, &block, &was);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd >= 0)
		tmp_add(o->tmp);
	sigprocmask(SIG_SETMASK, &was, NULL);
	if (o->fd < 0) {
		rc = pvd_err_set(e, PVD_EX_CANTCREAT, path, 0, 0, "cannot create: %s", strerror(errno));
		free(real);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return rc;
	}
	free(real);
	/* mkostemp makes 0600; outputs are ordinary files. */
	mode_t um = umask(0);
	umask(um);
	fchmod(o->fd, 0666 & ~um);
	return 0;
}

static void drain(struct pvd_out *o)
{
	size_t off = 0;
	while (off < o->b.len && !o->failed) {
		ssize_t w = write(o->fd, o->b.p + off, o->b.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->failed = 1;
			o->err = errno;
			break;
		}
		off += (size_t)w;
	}
	pvd_buf_reset(&o->b);
}

void pvd_out_flush_some(struct pvd_out *o)
{
	if (o->b.len >= BLOCK)
		drain(o);
}

int pvd_out_commit(struct pvd_out *o, struct pvd_err *e)
{
	int rc = 0;
	drain(o);
	pvd_buf_free(&o->b);
	if (o->path) {
		if (!o->failed && fsync(o->fd) != 0 && errno != EINVAL)
			o->failed = 1, o->err = errno;
		if (close(o->fd) != 0 && !o->failed)
			o->failed = 1, o->err = errno;
		if (!o->failed && rename(o->tmp, o->path) != 0)
			o->failed = 1, o->err = errno;
		if (o->failed) {
			unlink(o->tmp);
			rc = pvd_err_set(e, PVD_EX_IO, o->path, 0, 0, "write error: %s", strerror(o->err));
		}
		tmp_del(o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
	} else if (o->direct) {
		if (close(o->fd) != 0 && !o->failed)
			o->failed = 1, o->err = errno;
		if (o->failed)
			rc = pvd_err_set(e, PVD_EX_IO, NULL, 0, 0, "write error: %s", strerror(o->err));
	} else {
		if (!o->failed && close(1) != 0 && errno != EBADF)
			o->failed = 1, o->err = errno;
		if (o->failed)
			rc = pvd_err_set(e, PVD_EX_IO, NULL, 0, 0, "write error on standard output: %s",
					 strerror(o->err));
	}
	o->fd = -1;
	return rc;
}

void pvd_out_abort(struct pvd_out *o)
{
	if (o->direct)
		close(o->fd);
	if (o->path) {
		close(o->fd);
		unlink(o->tmp);
		tmp_del(o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
	}
	pvd_buf_free(&o->b);
	o->fd = -1;
}

int pvd_write_file_atomic(const char *path, const char *data, size_t n, struct pvd_err *e)
{
	struct pvd_out o;
	int rc = pvd_out_open(&o, path, e);
	if (rc)
		return rc;
	pvd_out_add(&o, data, n);
	return pvd_out_commit(&o, e);
}
