/* input — opening inputs and reading them in large blocks or by lines.
 * "-" (or no name) is stdin.  Lines end at \n; a \r before it is kept for the
 * caller to judge (CSV needs it; the NDJSON reader strips it). */
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
};

/* Opens path ("-" or NULL = stdin).  Returns 0 or PVD_EX_NOINPUT. */
int pvd_input_open(struct pvd_input *in, const char *path, struct pvd_err *e);
/* Next line, without its \n: *line points into the input's buffer, valid
 * until the next call.  Returns 1, 0 at end of input, or -1 on a read error
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
