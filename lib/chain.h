/* chain — the four chainable stages (ingest, clean, join, aggregate) as
 * objects built from parsed options (filter.h), used by their filter mains
 * and by pvd-run's fused mode, which runs a source's
 *   ingest → clean → join → aggregate --partial
 * in one process: records pass by pointer from engine to engine (sink.h),
 * never through JSON.
 *
 * Each stage struct is filled with its options (the fields before
 * "private"), then initialised with its _init(), which sets the ops, the
 * stage name and unit. */
#ifndef PVD_CHAIN_H
#define PVD_CHAIN_H
#include "aggregate.h"
#include "clean.h"
#include "filter.h"
#include "indicator.h"
#include "ingest.h"
#include "join.h"
#include "lineage.h"
#include "period.h"
#include "profile.h"
#include <signal.h>

/* A profile loaded once and shared by several ingest stages (pvd-run loads
 * each source's before forking them): its load's status and error, so
 * that each stage fails as it would have alone. */
struct pvd_ingest_shared {
	struct pvd_profile prof;
	int rc;
	struct pvd_err err;
};
int pvd_ingest_shared_load(struct pvd_ingest_shared *sh, const char *profile);
void pvd_ingest_shared_free(struct pvd_ingest_shared *sh);

struct pvd_ingest_stage {
	struct pvd_stage base;
	const char *profile;              /* -p NAME|FILE, or NULL */
	struct pvd_ingest_opts o;         /* o.profile is set by load */
	const struct pvd_ingest_shared *shared;  /* profile already loaded, or NULL: load it */
	/* private */
	struct pvd_profile prof;
	int have_prof;
	struct pvd_ingest_counts cnt;
};
void pvd_ingest_stage_init(struct pvd_ingest_stage *s);

struct pvd_clean_stage {
	struct pvd_stage base;
	struct pvd_clean_opts o;
	/* private */
	struct pvd_clean *c;
};
void pvd_clean_stage_init(struct pvd_clean_stage *s);

/* A reference loaded once and shared by several join stages (pvd-run loads
 * it before forking the sources, which share it copy-on-write): the status
 * and error of its load, so that each stage fails as it would have alone. */
struct pvd_join_shared {
	struct pvd_join_ref ref;
	int rc;
	struct pvd_err err;
};
int pvd_join_shared_load(struct pvd_join_shared *sh, const struct pvd_join_refs *refs);
void pvd_join_shared_free(struct pvd_join_shared *sh);

struct pvd_join_stage {
	struct pvd_stage base;
	struct pvd_join_refs refs;
	enum pvd_join_mode mode;
	const struct pvd_join_shared *shared;  /* already loaded, or NULL: load refs */
	/* private */
	struct pvd_join_ref own;
	const struct pvd_join_ref *ref;
	struct pvd_join join;
	int started;
};
void pvd_join_stage_init(struct pvd_join_stage *s);

/* The catalogue, likewise loaded once for several aggregate stages. */
struct pvd_agg_shared {
	struct pvd_catalog cat;
	int rc;
	struct pvd_err err;
};
int pvd_agg_shared_load(struct pvd_agg_shared *sh, const char *catalog, const struct pvd_period *period);
void pvd_agg_shared_free(struct pvd_agg_shared *sh);

struct pvd_agg_stage {
	struct pvd_stage base;
	const char *catalog;        /* --indicators FILE, or NULL: the default */
	struct pvd_period period;
	int partial, merge;
	const char *lineage;        /* --lineage FILE, or NULL */
	const struct pvd_agg_shared *shared;  /* catalogue already loaded, or NULL: load it */
	/* private */
	const struct pvd_catalog *catp;  /* the catalogue used: cat, or the shared one */
	int have_cat;
	struct pvd_catalog cat;
	struct pvd_lineage lin;
	int have_lin;
	struct pvd_agg *agg;
};
void pvd_agg_stage_init(struct pvd_agg_stage *s);

/* One source run fused: the four stages, chained.  stage[i] prints on
 * fds[i] (its stderr in pipe mode) with prog[i] as prefix.  The ingest
 * stage reads file; the last stage writes NDJSON on fd 1.  On return,
 * status[i] holds each stage's exit status, as its own process would have
 * exited (a failure is the stage's where it happened; the others 0).
 * Returns the first non-zero status, or 0. */
struct pvd_fused {
	struct pvd_ingest_stage ingest;
	struct pvd_clean_stage clean;
	struct pvd_join_stage join;
	struct pvd_agg_stage agg;
	/* Where the index of the running stage is stored as it changes (a
	 * record entering a stage sets it, leaving restores it), for a sampler
	 * or a parent watching (sampler.h); NULL: nowhere. */
	volatile sig_atomic_t *at;
};
enum { PVD_FUSED_STAGES = 4 };
int pvd_fused_run(struct pvd_fused *f, const char *file, const int fds[PVD_FUSED_STAGES],
		  const char *const prog[PVD_FUSED_STAGES], int status[PVD_FUSED_STAGES]);
#endif
