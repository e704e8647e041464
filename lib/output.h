/* output — buffered output to stdout or to a file written atomically.
 *
 * A file output is written to a temporary file beside the target and renamed
 * over it only by pvd_out_commit(): a run that fails never leaves a
 * half-written file, and the previous version stays in place.  A path under
 * /dev or /proc, or naming a fifo or device, is written in place (appending):
 * /dev/stderr is never replaced by a file.  stdout is
 * flushed and closed by pvd_out_commit() too, so a full disk or a closed pipe
 * reader is an error (PVD_EX_IO), not silent truncation.  A temporary file
 * is removed when the process exits or dies of SIGTERM, SIGINT or SIGHUP
 * (handlers installed with the first one, unless the program has its own). */
#ifndef PVD_OUTPUT_H
#define PVD_OUTPUT_H
#include "buf.h"
#include "diag.h"

struct pvd_out {
	char *path;        /* target, NULL for stdout */
	char *tmp;         /* temporary file being written */
	int fd;
	int direct;        /* a device or pipe named by path: written in place */
	int failed;        /* a write failed: errno saved in err */
	int err;
	struct pvd_buf b;  /* append here, then pvd_out_flush_some() */
};

/* "-" or NULL: stdout.  Returns 0 or PVD_EX_CANTCREAT. */
int pvd_out_open(struct pvd_out *o, const char *path, struct pvd_err *e);
/* Writes the buffer out when it holds more than a block (cheap to call per record). */
void pvd_out_flush_some(struct pvd_out *o);
static inline void pvd_out_add(struct pvd_out *o, const void *p, size_t n)
{
	pvd_buf_add(&o->b, p, n);
	pvd_out_flush_some(o);
}
/* Flushes, closes and (for a file) renames into place.  Returns 0 or
 * PVD_EX_IO.  The output is finished either way. */
int pvd_out_commit(struct pvd_out *o, struct pvd_err *e);
/* Drops a file output (the temporary file is removed, the target untouched). */
void pvd_out_abort(struct pvd_out *o);

/* Nothing pvd writes may replace one of its inputs.  pvd_out_protect()
 * notes an input (its device and inode, when it exists; "-" or NULL:
 * standard input when it is a regular file); pvd_out_open() then refuses,
 * with PVD_EX_USAGE, a target that is the same file under any name (a
 * symlink, a hard link).  pvd_out_check() is that test alone, for a path
 * that will only be written at the end (--report). */
void pvd_out_protect(const char *path);
int pvd_out_check(const char *path, struct pvd_err *e);

/* Writes a whole string to path atomically. */
int pvd_write_file_atomic(const char *path, const char *data, size_t n, struct pvd_err *e);
#endif
