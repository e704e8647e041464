/* input — opening inputs and reading them in large blocks or by lines.
 * "-" (or no name) is stdin.  Lines end at \n; a \r before it is kept for the
 * caller to judge (CSV needs it; the NDJSON reader strips it).
 *
 * Memory stays bounded whatever the input: a line longer than max_line
 * (PVD_INPUT_MAX_LINE unless the caller sets another) is handed out cut to
 * its first max_line bytes, with cut set, and the rest of it is skipped
 * without being kept (one line counted).  A 1 GB line without a newline
 * costs max_line bytes, not a gigabyte. */
#ifndef PVD_INPUT_H
#define PVD_INPUT_H
#include "diag.h"
#include <stddef.h>
#include <sys/types.h>

struct pvd_input {
	const char *path;   /* as given ("-" for stdin) */
	const char *name;   /* for messages: path, or "<stdin>" */
	int fd;
	char *buf;
	size_t cap, beg, end;
	int eof;
	long line;          /* physical line number of the last line returned */
	int nl;             /* that line ended with a newline (the last one may not) */
	unsigned long long bytes; /* bytes read so far */
	size_t max_line;    /* longest line handed out whole (0: no limit) */
	int cut;            /* the last line was longer than max_line: only its start was given */
	int skipping;       /* the rest of a cut line is still to be skipped */
};

/* Default max_line: far above any record pvd writes or reads. */
#define PVD_INPUT_MAX_LINE ((size_t)64 << 20)

/* Opens path ("-" or NULL = stdin).  Returns 0 or PVD_EX_NOINPUT.  The
 * input of a stage's records: it gets the progress line (progress.h). */
int pvd_input_open(struct pvd_input *in, const char *path, struct pvd_err *e);
/* The same for a file a stage loads besides its records (a reference table,
 * a document, a lineage summary): no progress line, which would count the
 * stage's records against that file's bytes. */
int pvd_input_open_aux(struct pvd_input *in, const char *path, struct pvd_err *e);
/* Next line, without its \n: *line points into the input's buffer, valid
 * until the next call; in->cut tells whether it is only the line's start.  Returns 1, 0 at end of input, or -1 on a read error
 * (e filled, PVD_EX_IO). */
int pvd_input_line(struct pvd_input *in, const char **line, size_t *len, struct pvd_err *e);
/* Raw block read (for parsers that want bytes): returns bytes read, 0 at end,
 * -1 on error (e filled). */
ssize_t pvd_input_read(struct pvd_input *in, char *dst, size_t cap, struct pvd_err *e);
/* Makes at least `want` bytes (or all that is left) available without
 * consuming them: p and n describe them, at_eof tells whether that is all.
 * Returns 0 or -1 on a read error (e filled). */
int pvd_input_peek(struct pvd_input *in, size_t want, const char **p, size_t *n, int *at_eof,
		   struct pvd_err *e);
/* Consumes n bytes (after a peek), e.g. a BOM. */
void pvd_input_skip(struct pvd_input *in, size_t n);
void pvd_input_close(struct pvd_input *in);
#endif
