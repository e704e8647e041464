/* quality — the data-quality page of a run: out/QUARTER/quality.html.
 *
 * Built from what the run left in its output directory: run-report.json
 * (counts per source and stage, rejects by reason, the TOTAL and
 * sous-total checks) and the rejects files it names (up to five sample
 * rows per reason, with file:line and the raw text).  Self-contained like
 * the dashboard (inline CSS, no script, a Content-Security-Policy), every
 * text from the data escaped.  A TOTAL row whose declared amount differs
 * from the sum of its records is shown first, so that it cannot be missed. */
#ifndef PVD_QUALITY_H
#define PVD_QUALITY_H
#include "buf.h"
#include "diag.h"

#define PVD_QUALITY_SAMPLES 5

/* The page for the output directory dir (dir/run-report.json must exist). */
int pvd_quality_html(const char *dir, struct pvd_buf *out, struct pvd_err *e);
/* Writes dir/quality.html atomically. */
int pvd_quality_write(const char *dir, struct pvd_err *e);
#endif
