#include "rundir.h"
#include "buf.h"
#include "xmem.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static char *temp_dir(const char *parent, const char *name, const char *kind)
{
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/.%s.%s.XXXXXX", parent, name, kind);
	if (!mkdtemp(b.p)) {
		pvd_buf_free(&b);
		return NULL;
	}
	/* mkdtemp makes 0700; the output is an ordinary directory. */
	mode_t um = umask(0);
	umask(um);
	chmod(b.p, 0777 & ~um);
	return b.p;
}

int pvd_rundir_open(struct pvd_rundir *d, const char *output, struct pvd_err *e)
{
	memset(d, 0, sizeof *d);
	d->output = xstrdup(output);
	const char *slash = strrchr(output, '/');
	d->parent = slash ? xstrndup(output, slash == output ? 1 : (size_t)(slash - output)) : xstrdup(".");
	const char *name = slash ? slash + 1 : output;
	struct stat sb;
	if (lstat(output, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return pvd_err_set(e, PVD_EX_CANTCREAT, output, 0, 0, "exists and is not a directory");
	if (pvd_mkdirs(d->parent) != 0)
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot create directory: %s",
				   strerror(errno));
	if (!(d->work = temp_dir(d->parent, name, "work")) || !(d->new = temp_dir(d->parent, name, "new")))
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot create a directory there: %s",
				   strerror(errno));
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/rejects", d->new);
	int rc = mkdir(b.p, 0777) == 0 ? 0
					: pvd_err_set(e, PVD_EX_CANTCREAT, b.p, 0, 0, "cannot create directory: %s",
						      strerror(errno));
	pvd_buf_free(&b);
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
	const char *slash = strrchr(d->output, '/');
	char *old = temp_dir(d->parent, slash ? slash + 1 : d->output, "old");
	if (!old)
		return pvd_err_set(e, PVD_EX_CANTCREAT, d->parent, 0, 0, "cannot create a directory there: %s",
				   strerror(errno));
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
	if (d->new)
		pvd_remove_tree(d->new);
	if (d->work && !keep_work)
		pvd_remove_tree(d->work);
	free(d->new);
	free(d->work);
	free(d->output);
	free(d->parent);
	memset(d, 0, sizeof *d);
}
