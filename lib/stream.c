#include "stream.h"
#include "input.h"
#include "ndjson.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdlib.h>

/* The start of a refused line for the reject file, as valid UTF-8 (each
 * byte that is not is shown as U+FFFD): the reject stream stays readable
 * whatever the line held. */
static void raw_text(struct pvd_buf *b, const char *s, size_t n)
{
	if (n > 4096)
		n = 4096;
	pvd_buf_reset(b);
	while (n) {
		size_t ok = pvd_utf8_valid_prefix(s, n);
		pvd_buf_add(b, s, ok);
		if (ok == n)
			break;
		pvd_buf_adds(b, "\xEF\xBF\xBD");
		s += ok + 1;
		n -= ok + 1;
	}
	/* Records hold C strings: a NUL byte would cut the text short. */
	for (size_t i = 0; i < b->len; i++)
		if (!b->p[i])
			b->p[i] = ' ';
}

void pvd_stream_reject_long(struct pvd_rejects *rj, struct pvd_stats *st, const char *file, long line,
			    const char *start, size_t len, size_t max_line)
{
	struct pvd_buf raw = { 0 };
	raw_text(&raw, start, len);
	pvd_reject(rj, file, line, PVD_R_INVALID_JSON, NULL, NULL, raw.p, NULL, "line longer than %zu bytes: not read",
		   max_line);
	pvd_stats_rejected(st);
	pvd_buf_free(&raw);
}

static int one(const char *path, struct pvd_sink *sink, struct pvd_rejects *rj,
	       struct pvd_stats *st, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_input in;
	int rc = pvd_input_open(&in, path, e);
	if (rc)
		return rc;
	struct pvd_input_stats *is = pvd_stats_input(st, in.name);
	const char *line;
	size_t len;
	int got;
	struct pvd_buf raw = { 0 };
	while ((got = pvd_input_line(&in, &line, &len, e)) == 1) {
		if (len && line[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len && !in.cut)
			continue;
		pvd_stats_in(st);
		struct pvd_err pe = { 0 };
		const char *reason;
		if (in.cut) { /* only its start was read (input.h): memory stays bounded */
			pvd_stream_reject_long(rj, st, in.name, in.line, line, len, in.max_line);
			continue;
		}
		if (pvd_ndjson_parse_ex(line, len, r, &pe, &reason)) {
			raw_text(&raw, line, len);
			pvd_reject(rj, in.name, in.line, reason, NULL, NULL, raw.p, NULL, "column %ld: %s",
				   pe.col, pe.msg);
			pvd_stats_rejected(st);
			continue;
		}
		sink->file = rj->at_file = in.name;
		sink->line = rj->at_line = in.line;
		if ((rc = pvd_sink_put(sink, r, e)))
			break;
	}
	sink->file = rj->at_file = NULL;
	sink->line = rj->at_line = 0;
	if (got < 0)
		rc = PVD_EX_IO;
	pvd_buf_free(&raw);
	is->bytes = in.bytes;
	pvd_input_close(&in);
	return rc;
}

int pvd_stream_ndjson(char *const *files, int nfiles, struct pvd_sink *sink,
		      struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_err *e)
{
	static char *const dash[] = { "-" };
	struct pvd_record r;
	int rc = 0;
	pvd_rec_init(&r);
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles && rc == 0; i++)
		rc = one(files[i], sink, rj, st, &r, e);
	pvd_rec_free(&r);
	return rc;
}
