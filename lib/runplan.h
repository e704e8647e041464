/* runplan — what pvd-run runs: every process of a quarter's run, with its
 * command line, built from one table of stage templates (runplan.c), so
 * that the run and `--dry-run` cannot disagree and adapting to a changed
 * filter option is one line.
 *
 * A run is:  for each source, a job  ingest | clean | [sum] | join | aggregate --partial
 * writing a state file; one merge job (aggregate --merge of the states) writing
 * indicators.ndjson; one render job per format.  "sum" is pvd-run's own tap
 * (runner.h): it copies the records from clean to join and sums their
 * amounts for the TOTAL rows check.
 *
 * Paths inside the run's two directories are kept symbolic until the run
 * knows them: a path starting with the byte PVD_AT_WORK lies in the work
 * directory (reports, states, sums), PVD_AT_NEW in the new output
 * directory (what replaces `output:` when everything succeeded). */
#ifndef PVD_RUNPLAN_H
#define PVD_RUNPLAN_H
#include "buf.h"
#include "pipeline.h"

#define PVD_AT_WORK '\001'
#define PVD_AT_NEW '\002'

struct pvd_cmd {
	const char *stage;   /* "ingest", "clean", "sum", "join", "aggregate", "merge", "render" */
	const char *prog;    /* "pvd-ingest"...; NULL for the sum tap */
	char **argv;         /* NULL-terminated, argv[0] = prog */
	char *report;        /* its --report file, or NULL */
	char *rejects;       /* its --rejects file, or NULL */
};

struct pvd_job {
	char *label;         /* source name, "merge", "render json" */
	int source;          /* index of the source, -1 for merge and render */
	struct pvd_cmd *cmds;
	size_t ncmds;
	char *out;           /* stdout of the last command, or NULL (/dev/null) */
	char *sums;          /* the sum tap's result, or NULL */
	char *product;       /* render: the file it writes (--output), or NULL */
	char *lineage;       /* source: its --lineage file; merge: the run's lineage.ndjson */
};

struct pvd_plan {
	const struct pvd_pipeline *p;
	struct pvd_job *sources;
	size_t nsources;
	struct pvd_job merge;
	struct pvd_job *renders;
	size_t nrenders;
	char *indicators;    /* the merged indicators (NDJSON), in the new output dir */
	char *provenance;    /* provenance.json, in the new output dir */
};

enum {
	PVD_PLAN_SUM_TAP = 1,  /* the sum tap between clean and join */
	PVD_PLAN_SCRIPT = 2,   /* for --dry-run: no --provenance (pvd-run writes that file) */
};
/* Builds the plan of p (which must outlive it). */
void pvd_plan_build(struct pvd_plan *pl, const struct pvd_pipeline *p, int flags);
void pvd_plan_free(struct pvd_plan *pl);

/* The distinct programs the plan runs, NULL-terminated (static strings). */
const char *const *pvd_plan_programs(void);

/* A plan path made real: the PVD_AT_* byte replaced by "work/" or "new/".
 * Malloc'd. */
char *pvd_plan_path(const char *s, const char *work, const char *new);

/* The run as a bash script (--dry-run): one pipeline per source, the merge,
 * one render line per format, then the swap of the output directory. */
void pvd_plan_script(const struct pvd_plan *pl, struct pvd_buf *out);
#endif
