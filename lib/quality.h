/* quality — the data-quality facts of a run, and their page.
 *
 * One model: pvd_quality_model() gathers the facts (JSON, the "quality"
 * member of run-report.json, config/schema/run-report.schema.json) from
 * what the run knows and left in its new output directory: the counts per
 * source and stage with the stages' own reports (rows read, skipped by kind,
 * emitted, rejected by reason), the rejects files (up to five sample rows
 * per reason, with file:line and the raw text), the TOTAL and sous-total
 * checks, lineage.ndjson (the communes of the programme list each dataset
 * and file names, the départements a dataset never names), the latest date
 * of each dataset's date fields (pvd-clean's report) against the period,
 * and the previous quarter (its provenance.json: files byte-identical by
 * SHA-256; its document: a stock that decreases, a value that moves by more
 * than the configured factor).  pvd_quality_html() only lays that model out
 * (out/QUARTER/quality.html): self-contained like the dashboard (inline
 * CSS, no script, a Content-Security-Policy), every text from the data
 * escaped, a TOTAL row that differs from its records shown first.
 * What of the previous quarter cannot be read is said, not an error. */
#ifndef PVD_QUALITY_H
#define PVD_QUALITY_H
#include "buf.h"
#include "diag.h"
#include "yamldoc.h"
#include <jansson.h>

#define PVD_QUALITY_SAMPLES 5

/* A value that moves by more than this factor against the previous quarter
 * (up or down) is flagged, unless dashboard.yaml says otherwise
 * (quality: {factor: N}). */
#define PVD_QUALITY_FACTOR 3
#define PVD_QUALITY_FACTOR_MAX 1000000

struct pvd_quality_in {
	const char *dir;        /* the run's output directory, as it is being made */
	const char *period;     /* "2021-Q4" */
	const json_t *sources;  /* the run report's sources, each stage with its "_report" (runreport.c) */
	const char *previous;   /* the previous quarter's indicators.json, or NULL */
	int factor;
};

/* The facts (a new object). */
json_t *pvd_quality_model(const struct pvd_quality_in *in);

/* The `quality:` map of dashboard.yaml (node n of d): factor, a whole
 * number from 2 to PVD_QUALITY_FACTOR_MAX.  Returns 0 or PVD_EX_CONFIG. */
int pvd_quality_conf(const struct pvd_ydoc *d, const struct pvd_ynode *n, int *factor, struct pvd_err *e);
/* *factor from the dashboard layout file path (PVD_QUALITY_FACTOR when it
 * says nothing).  Returns 0 or PVD_EX_CONFIG. */
int pvd_quality_factor(const char *path, int *factor, struct pvd_err *e);

/* The page of a run report (run-report.json, parsed) that holds the model. */
int pvd_quality_html(const json_t *report, struct pvd_buf *out, struct pvd_err *e);
/* Reads dir/run-report.json, writes dir/quality.html atomically. */
int pvd_quality_write(const char *dir, struct pvd_err *e);
#endif
