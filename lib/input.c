#include "input.h"
#include "progress.h"
#include "xmem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1u << 20)

static int open_input(struct pvd_input *in, const char *path, int progress, struct pvd_err *e)
{
	memset(in, 0, sizeof *in);
	in->path = path ? path : "-";
	in->name = pvd_display_name(in->path);
	in->max_line = PVD_INPUT_MAX_LINE;
	if (strcmp(in->path, "-") == 0) {
		in->fd = 0;
	} else {
		in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return pvd_err_set(e, PVD_EX_NOINPUT, in->path, 0, 0, "cannot open: %s", strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
		posix_fadvise(in->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	if (progress)
		pvd_progress_open(in->name, in->fd);
	return 0;
}

int pvd_input_open(struct pvd_input *in, const char *path, struct pvd_err *e)
{
	return open_input(in, path, 1, e);
}

int pvd_input_open_aux(struct pvd_input *in, const char *path, struct pvd_err *e)
{
	return open_input(in, path, 0, e);
}

static ssize_t rd(struct pvd_input *in, char *dst, size_t cap, struct pvd_err *e)
{
	for (;;) {
		ssize_t n = read(in->fd, dst, cap);
		if (n >= 0) {
			in->bytes += (unsigned long long)n;
			pvd_progress_read((size_t)n);
			return n;
		}
		if (errno == EINTR)
			continue;
		pvd_err_set(e, PVD_EX_IO, in->name, 0, 0, "read error: %s", strerror(errno));
		return -1;
	}
}

ssize_t pvd_input_read(struct pvd_input *in, char *dst, size_t cap, struct pvd_err *e)
{
	/* Hand out what a line read may have buffered first. */
	if (in->end > in->beg) {
		size_t n = in->end - in->beg < cap ? in->end - in->beg : cap;
		memcpy(dst, in->buf + in->beg, n);
		in->beg += n;
		return (ssize_t)n;
	}
	return rd(in, dst, cap, e);
}

/* Drops the rest of a cut line, its \n included, reading block by block
 * into the same buffer.  Returns 0 or -1 on a read error. */
static int skip_rest(struct pvd_input *in, struct pvd_err *e)
{
	while (in->skipping) {
		char *nl = in->end > in->beg ? memchr(in->buf + in->beg, '\n', in->end - in->beg) : NULL;
		if (nl) {
			in->beg = (size_t)(nl - in->buf) + 1;
			in->skipping = 0;
			break;
		}
		in->beg = in->end = 0;
		if (in->eof) {
			in->skipping = 0;
			break;
		}
		ssize_t n = rd(in, in->buf, in->cap, e);
		if (n < 0)
			return -1;
		if (n == 0)
			in->eof = 1;
		in->end = (size_t)n;
	}
	return 0;
}

int pvd_input_line(struct pvd_input *in, const char **line, size_t *len, struct pvd_err *e)
{
	size_t scanned = 0;
	in->cut = 0;
	if (in->skipping && skip_rest(in, e) < 0)
		return -1;
	for (;;) {
		char *s = in->buf + in->beg + scanned;
		char *nl = in->end > in->beg + scanned ? memchr(s, '\n', in->end - in->beg - scanned) : NULL;
		if (nl) {
			*line = in->buf + in->beg;
			*len = (size_t)(nl - *line);
			in->beg = (size_t)(nl - in->buf) + 1;
			in->line++;
			in->nl = 1;
			return 1;
		}
		scanned = in->end - in->beg;
		if (in->max_line && scanned > in->max_line) {
			/* Too long to keep: its start now, the rest skipped by the next call. */
			*line = in->buf + in->beg;
			*len = in->max_line;
			in->beg = in->end;
			in->skipping = 1;
			in->line++;
			in->nl = 1;
			in->cut = 1;
			return 1;
		}
		if (in->eof) {
			if (in->end == in->beg)
				return 0;
			/* Last line without a newline. */
			*line = in->buf + in->beg;
			*len = in->end - in->beg;
			in->beg = in->end;
			in->line++;
			in->nl = 0;
			return 1;
		}
		/* Move the partial line to the front, grow if it fills the buffer. */
		if (in->beg > 0) {
			memmove(in->buf, in->buf + in->beg, in->end - in->beg);
			in->end -= in->beg;
			in->beg = 0;
		}
		if (in->cap - in->end < BLOCK / 2) {
			in->cap = in->cap ? in->cap * 2 : BLOCK;
			in->buf = xrealloc(in->buf, in->cap);
		}
		ssize_t n = rd(in, in->buf + in->end, in->cap - in->end, e);
		if (n < 0)
			return -1;
		if (n == 0)
			in->eof = 1;
		in->end += (size_t)n;
	}
}

int pvd_input_peek(struct pvd_input *in, size_t want, const char **p, size_t *n, int *at_eof,
		   struct pvd_err *e)
{
	while (!in->eof && in->end - in->beg < want) {
		if (in->beg > 0) {
			memmove(in->buf, in->buf + in->beg, in->end - in->beg);
			in->end -= in->beg;
			in->beg = 0;
		}
		if (in->cap - in->end < BLOCK / 2 || in->cap < want) {
			while (in->cap < want + BLOCK / 2 || in->cap - in->end < BLOCK / 2)
				in->cap = in->cap ? in->cap * 2 : BLOCK;
			in->buf = xrealloc(in->buf, in->cap);
		}
		ssize_t r = rd(in, in->buf + in->end, in->cap - in->end, e);
		if (r < 0)
			return -1;
		if (r == 0)
			in->eof = 1;
		in->end += (size_t)r;
	}
	*p = in->buf ? in->buf + in->beg : "";
	*n = in->end - in->beg;
	*at_eof = in->eof;
	return 0;
}

void pvd_input_skip(struct pvd_input *in, size_t n)
{
	in->beg += n;
}

void pvd_input_close(struct pvd_input *in)
{
	pvd_progress_close(in->fd);
	if (in->fd > 0)
		close(in->fd);
	free(in->buf);
	in->buf = NULL;
	in->fd = -1;
}
