/* runner — runs a quarter's pipeline (pvd-run): the plan's processes
 * joined by pipes (fork, pipe2, dup2, execv; no shell, so no value of the
 * pipeline file is ever interpreted), sources in parallel up to a number of
 * jobs, then the merge, the provenance, the renders, the run report, and
 * the atomic swap of the output directory (rundir.h).
 *
 * Fused (the default; pipes says otherwise): a source's four stages run in
 * one forked process (chain.h), built from what the plan gives their
 * command lines; each stage's stderr still has its own pipe and each its
 * own exit status (sent back on one more pipe), so what follows holds for
 * both modes.  The join's reference tables, the catalogue and the profiles
 * are loaded once, before the fork.  Memory shared with each source's
 * process tells pvd-run which stage is running (named if the process
 * dies), the stages' time samples (sampler.h) and the source file's
 * digest for the provenance, computed there.
 *
 * Failure: the first stage that failed (a stage killed by SIGPIPE only
 * because the next one stopped reading is not the cause) fails the run with
 * its exit status, or PVD_EX_SOFTWARE when a signal killed it; its stderr is
 * shown as it wrote it, then pvd-run's line naming stage and source (also
 * left in e; res->reported says it was shown).
 * The other jobs are stopped (SIGTERM) unless keep_going.  Nothing of a
 * failed run reaches the output directory.
 *
 * Each stage's stderr is read through a pipe into memory (bounded), never
 * into a file, so that a full disk cannot swallow the stage's own message;
 * it is shown when the stage or its source's checks fail (or always, when
 * verbose) and its first lines are kept in the run report.  A source whose
 * stage received records and emitted none, or that rejected more than its
 * fail_rejected, fails with PVD_EX_DATA (runreport.h).
 *
 * The stages get SIGTERM when pvd-run dies, whatever killed it
 * (PR_SET_PDEATHSIG); what a killed run left is removed by the next
 * (rundir.h). */
#ifndef PVD_RUNNER_H
#define PVD_RUNNER_H
#include "diag.h"
#include "pipeline.h"
#include <stdio.h>

struct pvd_run_opts {
	unsigned jobs;          /* sources processed at the same time, >= 1 */
	int keep_going;         /* after a failure, finish the other sources */
	int progress;           /* 0: none; 1: a line per finished job; 2: also a live line (terminal) */
	int color;              /* ANSI colour in progress lines */
	int verbose;            /* show the stages' stderr even when they succeed */
	int keep_work;          /* keep the work directory */
	int pipes;              /* one process per stage, joined by pipes (else fused) */
	const char *self_dir;   /* programs are looked for there first, then on PATH */
	const char *version;
	FILE *msg;              /* where progress and the stages' stderr go */
};

struct pvd_run_result {
	unsigned long long rows;     /* rows read by pvd-ingest */
	unsigned long long rejected; /* records rejected, all stages */
	char **warnings;             /* NULL-terminated (TOTAL rows that disagree) */
	size_t nwarnings;
	int signal;                  /* the run was interrupted by this signal */
	int reported;                /* the failure in e was already shown on msg */
	char *work;                  /* the work directory, when kept */
};

/* Runs p.  Returns 0, or the failing status with e filled (a stage's status,
 * PVD_EX_DATA for a source that lost everything or too much,
 * PVD_EX_SOFTWARE for a signal or counts that do not reconcile,
 * PVD_EX_CANTCREAT, PVD_EX_IO; 128 + signal when interrupted). */
int pvd_run(const struct pvd_pipeline *p, const struct pvd_run_opts *o, struct pvd_run_result *res,
	    struct pvd_err *e);
void pvd_run_result_free(struct pvd_run_result *res);

/* Finds prog beside pvd-run (self_dir) or on PATH.  Malloc'd path, or NULL. */
char *pvd_run_find_program(const char *self_dir, const char *prog);

#endif
