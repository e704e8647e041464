/* ingestrun.h — what the harnesses that run the ingest engine share
 * (ingest.c on CSV bytes, sheet.c on workbooks): one pvd_ingest_file() call
 * with its rejects and counts, and the property every run must keep:
 * read = emitted + rejected + skipped. */
#ifndef PVD_FUZZ_INGESTRUN_H
#define PVD_FUZZ_INGESTRUN_H
#include "ingest.h"
#include <stdio.h>
#include <stdlib.h>

/* Ingests path into sink; aborts (a finding) when the counts of a run that
 * succeeded do not reconcile.  Returns pvd_ingest_file()'s status. */
static inline int fuzz_ingest(const char *harness, const char *path, const struct pvd_ingest_opts *o,
			      struct pvd_sink *sink)
{
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_ingest_counts cnt = { 0 };
	struct pvd_err e = { 0 };
	if (pvd_rejects_open(&rj, "ingest", NULL, 1, &e))
		abort();
	pvd_stats_init(&st, "rows");
	int rc = pvd_ingest_file(path, o, sink, &rj, &st, &cnt, &e);
	if (rc == 0 && st.in != st.out + st.rejected + st.skipped) {
		fprintf(stderr, "fuzz %s: counts do not reconcile: %llu read, %llu emitted, %llu rejected, %llu skipped\n",
			harness, st.in, st.out, st.rejected, st.skipped);
		abort();
	}
	pvd_rejects_abort(&rj);
	pvd_stats_free(&st);
	return rc;
}
#endif
