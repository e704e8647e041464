/* output — buffered output to stdout or to a file written atomically.
 *
 * A file output is written to a temporary file beside the target and renamed
 * over it only by pvd_out_commit(): a run that fails never leaves a
 * half-written file, and the previous version stays in place.  A path under
 * /dev or /proc, or naming a fifo or device, is written in place (appending):
 * /dev/stderr is never replaced by a file.  stdout is
 * flushed and closed by pvd_out_commit() too, so a full disk or a closed pipe
 * reader is an error (PVD_EX_IO), not silent truncation. */
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

/* Writes a whole string to path atomically. */
int pvd_write_file_atomic(const char *path, const char *data, size_t n, struct pvd_err *e);
#endif
