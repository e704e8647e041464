/* filter — the one lifecycle of every pvd filter.
 *
 * A stage is a filter without its process: its engine (a sink), its reject
 * stream, its counts and its report, built from parsed options.  A filter's
 * main parses its command line into a stage and calls pvd_filter_run(); the
 * runner's fused mode (chain.h) builds the same stages and chains them in
 * one process.  Either way a stage goes through the same steps, in this
 * order:
 *
 *   1. load      read its configuration (profile, schema, references,
 *                catalogue); nothing is created yet
 *   2. open      its reject stream (--rejects), its counts
 *   3. start     build its engine, feeding the next sink (stdout's NDJSON
 *                writer, or the next stage)
 *   4. feed      the records: its inputs (NDJSON by default), then the end
 *                of the stream (pvd_sink_end, passed down the chain)
 *   5. finish    on success: the engine's report fields and summary detail,
 *                the summary line and the invariant (pvd_stats_finish), the
 *                --report file, the reject file closed, then the stage's own
 *                files (--lineage) committed.  On failure: the error printed,
 *                the reject file and the stage's own files dropped.
 *   6. free      the engine, its configuration, its counts.
 *
 * The filter process commits its data output last, after step 5: a file
 * (--output) only on success, dropped otherwise; standard output is a
 * stream, so what was emitted before a failure is flushed (a reader sees
 * whole records) and the exit status says the stream is incomplete.
 *
 * --strict (pvd-clean) makes a data error "soft": the error is printed and
 * the stage still finishes as in 5 (the counts of what was read reconcile),
 * keeping the error's status.
 *
 * Printing: lib/ never prints, except here: this is the mains' lifecycle
 * (errors, the join's reference warnings, the summary through stats.h),
 * moved to one place.  Messages go to stderr with pvd_progname as prefix. */
#ifndef PVD_FILTER_H
#define PVD_FILTER_H
#include "diag.h"
#include "output.h"
#include "reject.h"
#include "reftable.h"
#include "sink.h"
#include "stats.h"

struct pvd_stage;

struct pvd_stage_ops {
	/* 1. Reads the configuration (may be NULL). */
	int (*load)(struct pvd_stage *s, struct pvd_err *e);
	/* 3. Builds the engine feeding next; sets s->in (NULL: the stage has
	 * no record input, its feed produces records, like pvd-ingest). */
	int (*start)(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e);
	/* 4. Feeds the records of the inputs (NULL: NDJSON into s->in). */
	int (*feed)(struct pvd_stage *s, char *const *files, int nfiles, struct pvd_err *e);
	/* 5. After the end of the stream: report fields in s->st.extra, the
	 * summary's detail in s->detail (may be NULL). */
	int (*finish)(struct pvd_stage *s, struct pvd_err *e);
	/* 5. The stage's own files: commit after the rejects, or drop (may be NULL). */
	int (*commit)(struct pvd_stage *s, struct pvd_err *e);
	void (*abort)(struct pvd_stage *s);
	/* 6. Frees the engine and configuration (may be NULL); safe after a
	 * failed load or start. */
	void (*free)(struct pvd_stage *s);
};

struct pvd_stage {
	/* set by the builder */
	const struct pvd_stage_ops *ops;
	const char *name;          /* "clean": the reject stream's and report's stage */
	const char *unit;          /* "rows" or "records" */
	const char *rejects;       /* --rejects FILE, or NULL */
	const char *report;        /* --report FILE, or NULL */
	int quiet;
	int strict;                /* a PVD_EX_DATA failure is soft (see above) */
	/* warnings the load found (join's reference tables), printed unless quiet */
	const struct pvd_reflog *warnings;
	/* set by the lifecycle and the ops */
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_sink *in;       /* where the stage's input records go */
	struct pvd_sink *next;     /* where its output goes */
	struct pvd_out *out;       /* the filter's data output, NULL in a chain */
	char detail[256];          /* the summary line's detail */
	int opened;                /* step 2 done */
	int finished;              /* step 5 went the finishing way (soft failure too) */
};

/* Steps 1–3: load, open, start (see above).  On failure the error is in e
 * and what was opened is dropped; pvd_stage_free() still follows. */
int pvd_stage_load(struct pvd_stage *s, struct pvd_err *e);
int pvd_stage_open(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e);
/* Step 4 for a stage on its own: its inputs, then the end of the stream. */
int pvd_stage_feed(struct pvd_stage *s, char *const *files, int nfiles, struct pvd_err *e);
/* Step 5, given the status of step 4 (e its error): prints a failure and
 * drops the stage's files, or finishes and commits them.  Returns the
 * stage's final status. */
int pvd_stage_close(struct pvd_stage *s, int rc, struct pvd_err *e);
/* Step 6, and the guard of --max-rejected (pvd_cli_finish) on the counts:
 * returns the status the stage ends with. */
int pvd_stage_free(struct pvd_stage *s, int rc);

/* A whole filter process: the lifecycle above, with the NDJSON writer on
 * output ("-" or NULL: stdout; else --output FILE, atomic) as the next
 * sink, over the FILE operands.  Returns the exit status. */
int pvd_filter_run(struct pvd_stage *s, const char *output, char *const *files, int nfiles);
#endif
