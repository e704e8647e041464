#include "rundir.h"
#include "buf.h"
#include "xmem.h"
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int pvd_remove_tree(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(sb.st_mode))
		return unlink(path);
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int pvd_mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int rc = 0;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (rc == 0) {
		struct stat sb;
		if (stat(path, &sb) != 0)
			rc = -1;
		else if (!S_ISDIR(sb.st_mode))
			errno = ENOTDIR, rc = -1;
	}
	free(p);
	return rc;
}

/* An ordinary directory: mkdtemp and mkdir here make 0700 / 0777 & ~umask. */
static void ordinary(const char *path)
{
	mode_t um = umask(0);
	umask(um);
	chmod(path, 0777 & ~um);
}

/* PARENT/.NAME.KIND.SUFFIX (SUFFIX "XXXXXX": made by mkdtemp). */
static char *run_dir(const struct pvd_rundir *d, const char *kind, const char *suffix)
{
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/.%s.%s.%s", d->parent, d->name, kind, suffix);
	return b.p;
}

/* An flock on a directory; -1 when it cannot be had (how: LOCK_EX, | LOCK_NB). */
static int lock_dir(const char *path, int how)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (flock(fd, how) != 0) {
		if (errno == EINTR)
			continue;
		close(fd);
		return -1;
	}
	return fd;
}

/* What a run killed (SIGKILL, a crash, a power cut) left beside the output.
 * A live run holds an flock on its work directory for as long as it runs,
 * so a work directory whose lock can be had is a dead run's; the new and
 * old directories of the same suffix are its too, and go with it (an old
 * one is the previous output, put back if the output is missing).  A work
 * directory kept on purpose (--keep-work) is left.  Called with the parent
 * locked, so that no run is between making its directories and locking
 * them. */
static void remove_stale(struct pvd_rundir *d)
{
	DIR *dir = opendir(d->parent);
	if (!dir)
		return;
	struct pvd_buf pre = { 0 };
	pvd_buf_printf(&pre, ".%s.", d->name);
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, pre.p, pre.len) != 0)
			continue;
		const char *kind = de->d_name + pre.len, *dot = strchr(kind, '.');
		if (!dot || strchr(dot + 1, '/'))
			continue;
		size_t kl = (size_t)(dot - kind);
		const char *suffix = dot + 1;
		int work = kl == 4 && !strncmp(kind, "work", 4);
		if (!work && !(kl == 3 && (!strncmp(kind, "new", 3) || !strncmp(kind, "old", 3))))
			continue;
		char *w = run_dir(d, "work", suffix);
		char *kept = NULL;
		int fd = -1;
		struct stat sb;
		if (lstat(w, &sb) == 0) {
			/* the owner's; new/old of a live owner are left */
			struct pvd_buf k = { 0 };
			pvd_buf_printf(&k, "%s/kept", w);
			kept = k.p;
			fd = access(kept, F_OK) == 0 ? -1 : lock_dir(w, LOCK_EX | LOCK_NB);
			if (fd < 0) {
				free(w);
				free(kept);
				continue;
			}
		}
		/* a dead run's: the previous output back if it is missing, the rest removed */
		char *nw = run_dir(d, "new", suffix), *old = run_dir(d, "old", suffix);
		if (lstat(d->output, &sb) != 0 && errno == ENOENT && lstat(old, &sb) == 0)
			rename(old, d->output);
		pvd_remove_tree(old);
		pvd_remove_tree(nw);
		if (fd >= 0) {
			pvd_remove_tree(w);
			close(fd);
		}
		free(nw);
		free(old);
		free(w);
		free(kept);
	}
	closedir(dir);
	pvd_buf_free(&pre);
}

int pvd_rundir_open(struct pvd_rundir *d, const char *output, struct pvd_err *e)
{
	memset(d, 0, sizeof *d);
	d->lock = -1;
	d->output = xstrdup(output);
	const char *slash = strrchr(output, '/');
	d->parent = slash ? xstrndup(output, slash == output ? 1 : (size_t)(slash - output)) : xstrdup(".");
	d->name = xstrdup(slash ? slash + 1 : output);
	struct stat sb;
	if (lstat(output, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return pvd_err_set(e, PVD_EX_CANTCREAT, output, 0, 0, "exists and is not a directory");
	if (pvd_mkdirs(d->parent) != 0)
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot create directory: %s",
				   strerror(errno));
	/* The parent locked while the stale directories go and ours are made
	 * and locked: no run ever sees another's unlocked. */
	int plock = lock_dir(d->parent, LOCK_EX);
	if (plock < 0)
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot lock: %s", strerror(errno));
	remove_stale(d);
	int rc = 0;
	char *w = run_dir(d, "work", "XXXXXX");
	if (!mkdtemp(w)) {
		rc = pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot create a directory there: %s",
				 strerror(errno));
		free(w);
		goto out;
	}
	d->work = w;
	ordinary(w);
	if ((d->lock = lock_dir(w, LOCK_EX)) < 0) {
		rc = pvd_err_set(e, PVD_EX_CANTCREAT, w, 0, 0, "cannot lock: %s", strerror(errno));
		goto out;
	}
	d->suffix = xstrdup(w + strlen(w) - 6);
	char *nw = run_dir(d, "new", d->suffix);
	if (mkdir(nw, 0777) != 0) {
		rc = pvd_err_set(e, PVD_EX_CANTCREAT, nw, 0, 0, "cannot create directory: %s", strerror(errno));
		free(nw);
		goto out;
	}
	d->new = nw;
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/rejects", d->new);
	if (mkdir(b.p, 0777) != 0)
		rc = pvd_err_set(e, PVD_EX_CANTCREAT, b.p, 0, 0, "cannot create directory: %s", strerror(errno));
	pvd_buf_free(&b);
out:
	close(plock);
	return rc;
}

/* For the tests of the fallback: PVD_RUN_NO_EXCHANGE=1 acts as if the file
 * system had no RENAME_EXCHANGE. */
static int exchange(const char *a, const char *b)
{
	const char *no = getenv("PVD_RUN_NO_EXCHANGE");
	if (no && *no == '1') {
		errno = EINVAL;
		return -1;
	}
#ifdef RENAME_EXCHANGE
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
	errno = ENOSYS;
	return -1;
#endif
}

int pvd_rundir_commit(struct pvd_rundir *d, struct pvd_err *e)
{
	struct stat sb;
	if (lstat(d->output, &sb) != 0) {
		if (errno != ENOENT || rename(d->new, d->output) != 0)
			return pvd_err_set(e, PVD_EX_CANTCREAT, d->output, 0, 0, "cannot put the new output in place: %s",
					   strerror(errno));
		free(d->new);
		d->new = NULL;
		return 0;
	}
	if (!S_ISDIR(sb.st_mode))
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->output, 0, 0, "exists and is not a directory");
	if (exchange(d->new, d->output) == 0) {
		/* d->new now holds the previous output: close() removes it. */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->output, 0, 0, "cannot replace: %s", strerror(errno));
	/* No exchange: the old one aside (onto an empty directory of ours), the new in. */
	char *old = run_dir(d, "old", d->suffix);
	if (mkdir(old, 0700) != 0) {
		int rc = pvd_err_set(e, PVD_EX_CANTCREAT, old, 0, 0, "cannot create directory: %s", strerror(errno));
		free(old);
		return rc;
	}
	if (rename(d->output, old) != 0) {
		int rc = pvd_err_set(e, PVD_EX_CANTCREAT, d->output, 0, 0, "cannot move aside: %s", strerror(errno));
		rmdir(old);
		free(old);
		return rc;
	}
	if (rename(d->new, d->output) != 0) {
		int rc = pvd_err_set(e, PVD_EX_CANTCREAT, d->output, 0, 0, "cannot put the new output in place: %s",
				     strerror(errno));
		rename(old, d->output);
		free(old);
		return rc;
	}
	free(d->new);
	d->new = old; /* removed by close() */
	return 0;
}

void pvd_rundir_close(struct pvd_rundir *d, int keep_work)
{
	/* new (or old) first, work last: the lock of work covers them */
	if (d->new)
		pvd_remove_tree(d->new);
	if (d->work && keep_work) {
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "%s/kept", d->work);
		int fd = open(b.p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		pvd_buf_free(&b);
	} else if (d->work) {
		pvd_remove_tree(d->work);
	}
	if (d->lock >= 0)
		close(d->lock);
	free(d->name);
	free(d->suffix);
	free(d->new);
	free(d->work);
	free(d->output);
	free(d->parent);
	memset(d, 0, sizeof *d);
}
