/* stream — feeding a sink from NDJSON inputs (the front of every filter but
 * pvd-ingest). */
#ifndef PVD_STREAM_H
#define PVD_STREAM_H
#include "reject.h"
#include "sink.h"
#include "stats.h"

/* Reads each input (none: stdin; "-": stdin) line by line, parses each
 * non-blank line into a record and passes it to sink.  A line that is not a
 * JSON object is rejected as invalid-json, naming the input and line.
 * Counts st->in for every record read and st->rejected for invalid lines;
 * the sink counts what it emits and rejects.  Does not call the sink's end().
 * Returns 0, or the fatal status (PVD_EX_NOINPUT, PVD_EX_IO, or the sink's). */
/* Rejects a line too long to be read whole (invalid-json, the first bytes
 * of its text as raw), counting it in st->rejected: what the reader does,
 * and what pvd-run's fused chain does with a record passed in memory that,
 * written, would be such a line (chain.c). */
void pvd_stream_reject_long(struct pvd_rejects *rj, struct pvd_stats *st, const char *file, long line,
			    const char *start, size_t len, size_t max_line);
int pvd_stream_ndjson(char *const *files, int nfiles, struct pvd_sink *sink,
		      struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_err *e);
#endif
