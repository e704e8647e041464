/* explain — the raw rows behind a figure, from its lineage (lineage.h).
 *
 * For each record a figure counts: where it comes from (file:line, and the
 * sheet of a spreadsheet), what it gives (the amount summed, the values
 * counted) and the record as the export holds it: the physical line read
 * back from the raw file, with the lines that follow while a quoted field
 * is open (a record with newlines in a cell), converted to UTF-8 when the
 * file is Windows-1252, control characters shown as \xNN so that a raw
 * line cannot drive the terminal; for a spreadsheet, the row of its sheet
 * read again by the sheet reader (sheet.h), cells joined by tabs.  Then the totals, per file and for the
 * figure, recomputed from the contributions: the same value pvd-aggregate
 * gave, or the lineage is not this figure's. */
#ifndef PVD_EXPLAIN_H
#define PVD_EXPLAIN_H
#include "buf.h"
#include "diag.h"
#include "lineage.h"

/* Appends the explanation of f to out.  root: the directory the raw files'
 * names are relative to (NULL: the current one).  raw: read the raw lines
 * (0: contributions and totals only).  A raw file that cannot be read is
 * said in the output, line by line ("raw file not readable"), and counted in
 * *unreadable; the figure is still explained.  Returns 0 or PVD_EX_DATA (a
 * sum overflowing: not a lineage pvd-aggregate wrote). */
int pvd_explain(const struct pvd_lin_fig *f, const char *root, int raw, struct pvd_buf *out,
		unsigned long *unreadable, struct pvd_err *e);

/* Per file: rows and the sum (or distinct values) of one side of f. */
struct pvd_lin_file {
	const char *file;          /* borrowed from f */
	unsigned long rows;
	int64_t sum;               /* sum / mean: cents or units × 100 */
};
/* The files of side `side` of f, sorted by name (malloc'd array). */
size_t pvd_lin_by_file(const struct pvd_lin_fig *f, int side, struct pvd_lin_file **out);
#endif
