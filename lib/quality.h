/* quality — the data-quality page of a run: out/QUARTER/quality.html.
 *
 * Built from what the run left in its output directory: run-report.json
 * (counts per source and stage, rejects by reason, the TOTAL and
 * sous-total checks), the rejects files it names (up to five sample rows
 * per reason, with file:line and the raw text) and lineage.ndjson (the
 * communes of the programme list each dataset and file names, the
 * départements a dataset never names).  Self-contained like
 * the dashboard (inline CSS, no script, a Content-Security-Policy), every
 * text from the data escaped.  A TOTAL row whose declared amount differs
 * from the sum of its records is shown first, so that it cannot be missed. */
#ifndef PVD_QUALITY_H
#define PVD_QUALITY_H
#include "buf.h"
#include "diag.h"

#define PVD_QUALITY_SAMPLES 5

/* A headline value that moves by more than this factor against the previous
 * quarter (up or down) is flagged. */
#define PVD_QUALITY_FACTOR 3

/* The page for the output directory dir (dir/run-report.json must exist).
 * previous: the previous quarter's indicators.json, or NULL; beside it, its
 * provenance.json: a source whose file is byte-identical (SHA-256) to the
 * previous quarter's is flagged as unchanged, and a count or an amount that
 * decreases (every indicator is a stock at the end of its period) or moves
 * by more than PVD_QUALITY_FACTOR is flagged.  What of the previous quarter
 * cannot be read is said on the page, not an error. */
int pvd_quality_html(const char *dir, const char *previous, struct pvd_buf *out, struct pvd_err *e);
/* Writes dir/quality.html atomically. */
int pvd_quality_write(const char *dir, const char *previous, struct pvd_err *e);
#endif
