/* runreport — what a run of pvd-run says about itself.
 *
 * After each job the stages' --report files (stats.h, pvd_stats_report) are
 * read and checked: each stage's own invariant (in + expanded = out +
 * rejected + skipped) and the chain's (what a stage emitted is what the next
 * one read: ingest out = clean in, clean out = join in,
 * join out = aggregate in; the records the sources' states stand for, the
 * sum of their aggregate in, = merge in; the indicator records merge wrote
 * = render in, for each format).  A mismatch is an error: a record was lost
 * or invented on the way.
 * The TOTAL / sous-total rows pvd-ingest recognised (its report's "totals")
 * are compared with the sums of the cleaned records (pvd-clean's report
 * "sums"); a disagreement is a warning.
 *
 * At the end it writes, into the new output directory, run-report.json
 * (every count, per stage and source, the rejects files, the TOTAL checks,
 * the warnings and the stages' stderr lines), run-report.txt (the same for a
 * human, short) and, before rendering, provenance.json (see pvd-run(1)).
 * The builder owns its JSON; nothing here prints. */
#ifndef PVD_RUNREPORT_H
#define PVD_RUNREPORT_H
#include "buf.h"
#include "diag.h"
#include "pipeline.h"
#include "runplan.h"
#include <jansson.h>
#include <stdint.h>

struct pvd_runreport {
	const struct pvd_pipeline *p;
	const char *version;
	json_t *sources;        /* one object per finished source, in pipeline order */
	json_t *merge;          /* the merge stage, or NULL */
	json_t *render;         /* the render stages, one per format */
	json_t *warnings;       /* strings, in the pipeline's order of sources */
	json_t *warning_sources; /* the source of each warning */
	unsigned long long aggregated;  /* records the sources' states stand for (aggregate in) */
	json_t *digests;        /* per source: {"sha256", "bytes"} from its process, or null */
};

void pvd_runreport_init(struct pvd_runreport *r, const struct pvd_pipeline *p, const char *version);
void pvd_runreport_free(struct pvd_runreport *r);

/* Reads the reports of a finished source job (paths made real with work and
 * new) and checks them; msgs (may be NULL) holds what each command wrote on
 * stderr.  Returns 0, PVD_EX_SOFTWARE when a report is missing or unreadable
 * or counts do not reconcile, PVD_EX_DATA when a stage received records and
 * emitted none, or the source rejected more than its fail_rejected (e says
 * which).  New warnings (TOTAL rows, more rejected than max_rejected) are
 * appended to r->warnings; *line (may be NULL) gets a one-line summary. */
int pvd_runreport_source(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			 const char *work, const char *new, struct pvd_buf *line, struct pvd_err *e);
/* Same for the merge job. */
int pvd_runreport_merge(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			const char *work, const char *new, struct pvd_buf *line, struct pvd_err *e);
/* Same for a render job; checks that the stage read every indicator
 * record of `indicators` (the merge output, a plan path) and wrote its
 * output file. */
int pvd_runreport_render(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			 const char *indicators, const char *work, const char *new, struct pvd_buf *line,
			 struct pvd_err *e);
/* What the runner measured of a finished job: wall time from its start to
 * its end, CPU time (user + system, from wait4's rusage, all its
 * processes), the largest peak RSS of its processes.  Per stage: when each
 * stage is its own process, its own (wall: from the job's start to the
 * stage's end); when the stages share one process (sampled: a fused
 * source), the process's wall and CPU times shared in proportion to the
 * stage's samples (sampler.h), and the process's peak RSS.  Milliseconds
 * and KiB. */
struct pvd_runtime {
	unsigned long long wall_ms, cpu_ms, max_rss_kib;
	const unsigned long long *stage_wall_ms, *stage_cpu_ms, *stage_rss_kib; /* [j->ncmds] or NULL */
	int sampled;
};
/* Sets "time" {"wall_ms", "cpu_ms", "max_rss_kib"} on the job's entry (a
 * source, the merge or a render format; each stage's too, with "sampled"),
 * and a line per job in run-report.txt.  Times vary from run to run: tests
 * mask them.  Call after the job's pvd_runreport_source/merge/render. */
void pvd_runreport_time(struct pvd_runreport *r, const struct pvd_job *j, const struct pvd_runtime *t);

/* The digest of a source's file, computed by its process (runner.h): the
 * provenance takes it instead of reading the file again. */
void pvd_runreport_digest(struct pvd_runreport *r, const struct pvd_job *j, const char *sha256,
			  unsigned long long bytes);
/* Writes provenance.json (path): inputs with sha256, bytes and counts,
 * references, catalogue, previous document, rejects per stage, version. */
int pvd_runreport_provenance(const struct pvd_runreport *r, const char *path, struct pvd_err *e);
/* Writes run-report.json and run-report.txt into dir. */
int pvd_runreport_write(const struct pvd_runreport *r, const char *dir, struct pvd_err *e);

/* Records rejected by each stage over the whole run, and the total (for the
 * summary line). */
unsigned long long pvd_runreport_rejected(const struct pvd_runreport *r);
/* Rows read by pvd-ingest over all sources. */
unsigned long long pvd_runreport_rows(const struct pvd_runreport *r);

#endif
