/* stats — the counts every filter reconciles and reports.
 *
 * Invariant, checked by pvd_stats_finish(): in = out + rejected + skipped
 * (+ expanded for a stage that emits several records for one, reported as
 * such).  The summary goes to stderr as one line; --report FILE writes the
 * same counts, per input, as a JSON document for the pipeline runner. */
#ifndef PVD_STATS_H
#define PVD_STATS_H
#include "diag.h"
#include "reject.h"
#include <jansson.h>

struct pvd_input_stats {
	char *file;
	unsigned long long bytes, in, out, rejected, skipped;
};

struct pvd_stats {
	const char *unit;              /* "rows" (ingest) or "records" */
	unsigned long long in, out, rejected, skipped;
	unsigned long long expanded;   /* extra records emitted by one-to-many stages */
	struct pvd_input_stats *inputs;
	size_t ninputs, cap;
	json_t *extra;                 /* stage-specific report fields, owned */
};

void pvd_stats_init(struct pvd_stats *st, const char *unit);
/* Starts counting a new input: later counts also go to this input's entry. */
struct pvd_input_stats *pvd_stats_input(struct pvd_stats *st, const char *file);

/* Counting helpers: total and current input together. */
void pvd_stats_in(struct pvd_stats *st);
void pvd_stats_out(struct pvd_stats *st);
void pvd_stats_rejected(struct pvd_stats *st);
void pvd_stats_skipped(struct pvd_stats *st);

/* Prints the summary line ("read N records: emitted M, rejected K") and
 * checks the invariant; returns 0, or PVD_EX_SOFTWARE if counts do not
 * reconcile (a bug: a record was lost or invented). */
int pvd_stats_finish(struct pvd_stats *st, const char *detail, int quiet, struct pvd_err *e);
/* Writes the report document (counts, inputs, rejects by reason, extra). */
int pvd_stats_report(const struct pvd_stats *st, const struct pvd_rejects *rj, const char *stage,
		     const char *path, struct pvd_err *e);
void pvd_stats_free(struct pvd_stats *st);
#endif
