#include "stream.h"
#include "input.h"
#include "ndjson.h"
#include "xmem.h"
#include <stdlib.h>

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
	while ((got = pvd_input_line(&in, &line, &len, e)) == 1) {
		if (len && line[len - 1] == '\r')
			len--;
		size_t i = 0;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len)
			continue;
		pvd_stats_in(st);
		struct pvd_err pe = { 0 };
		if (pvd_ndjson_parse(line, len, r, &pe)) {
			char *raw = xstrndup(line, len > 4096 ? 4096 : len);
			pvd_reject(rj, in.name, in.line, PVD_R_INVALID_JSON, NULL, NULL, raw, NULL,
				   "column %ld: %s", pe.col, pe.msg);
			free(raw);
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
