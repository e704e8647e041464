/* clean — the pvd-clean engine: a sink that normalises each record to the
 * schema of its dataset and passes it on, or rejects it with the reason.
 *
 * Each record is cleaned by the schema of its own `_dataset` (records of
 * several datasets may be mixed), with the `clean:` options of the source
 * profile its `_source` names; opts.dataset / opts.profile stand in for
 * records without them.  Schemas and profiles are loaded once, on first
 * use, and owned by the engine.
 *
 * Per record: every schema field present is normalised (see the types in
 * schema.h and config/datasets/README.md); a record with bad fields is
 * rejected once, naming the first bad field in schema order (the others are
 * listed in the message), and is passed to the reject stream unchanged.  A
 * good record is then checked for duplicates: a set of fingerprints (fpset.h),
 * per dataset, of the schema's key fields or, without a key, of the whole
 * cleaned record except the fields whose names start with '_' (provenance);
 * about 16 bytes per distinct record.  The first record is kept,
 * later ones rejected (duplicate-row) naming its file:line.  Fields the
 * schema does not know pass through; `_dataset` is added when it came from
 * opts.
 *
 * Counts: st->out for each record passed on, st->rejected for each reject
 * (the caller's reader counts st->in).  put() returns PVD_EX_CONFIG for a
 * bad schema or profile, and with opts.strict PVD_EX_DATA at the first
 * reject. */
#ifndef PVD_CLEAN_H
#define PVD_CLEAN_H
#include "reject.h"
#include "sink.h"
#include "stats.h"
#include <jansson.h>

struct pvd_clean_opts {
	const char *dataset;  /* NAME or FILE, for records without _dataset (may be NULL) */
	const char *profile;  /* NAME or FILE, for records without _source (may be NULL) */
	int strict;           /* stop at the first reject */
};

struct pvd_clean;

/* Creates the engine, loading opts' dataset and profile now (so that a bad
 * name is reported before any record).  next, rj and st are borrowed and
 * must outlive it.  Returns 0 or PVD_EX_CONFIG with e filled. */
int pvd_clean_new(struct pvd_clean **out, const struct pvd_clean_opts *opts, struct pvd_sink *next,
		  struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_err *e);
/* The engine as a sink (its end() ends next). */
struct pvd_sink *pvd_clean_sink(struct pvd_clean *c);
/* 1 when --strict stopped the stream at a reject. */
int pvd_clean_stopped(const struct pvd_clean *c);
/* Report fields: {"datasets": {NAME: {"out", "rejected"}}, "amounts_rounded": N,
 * "sums", "sum_values", "duplicate_set": {"members", "bytes"}} (a new reference). */
json_t *pvd_clean_report(const struct pvd_clean *c);
void pvd_clean_free(struct pvd_clean *c);
#endif
