/* lineage — which records make each figure, exactly.
 *
 * pvd-aggregate --lineage FILE writes, beside the values, one NDJSON line per
 * record and per accumulator that counts it (format below).  A figure (an
 * indicator id and a breakdown key) is then the set of lines of its
 * accumulator (both accumulators for a ratio) whose "keys" hold that key:
 * the lines of a sum add up to its value to the cent, the distinct values of
 * a distinct count are that many.  One line per (accumulator, record), not
 * per (figure, record): a record counted in a headline, its région and its
 * département is written once, with its keys, so the file grows with the
 * records used times the accumulators that use them, never with the number
 * of breakdowns.
 *
 * Format (version 1):
 *   {"pvd_lineage":1,"period":"2021-Q4","catalog":"<fingerprint>",
 *    "accs":{"NAME":{"kind":"sum","eur":true,"dims":["reg","dep"]},...},
 *    "indicators":{"ID":{"acc":"NAME"} | {"num":"NAME","den":"NAME"},...}}
 *   {"acc":"NAME","file":"exports/detr.csv","sheet":"S","line":42,
 *    "keys":{"reg":"84","dep":"01"},"amount":1234.50}
 * sheet only when the record has one; the contribution is "amount" (sum,
 * mean: the exact amount, two decimals for eur, a whole number otherwise),
 * "values" (distinct: the values the record gives, a list field giving
 * several), "value" with "start"/"end" (last: the value and the date range,
 * days since 1970) or nothing (count: the record itself).
 *
 * Partial runs write the lineage of their part; pvd-aggregate --merge reads
 * lineage files among its state files (their header says which) and copies
 * their lines, after checking period and catalogue, to its own --lineage.
 *
 * The reader side (pvd-explain) selects a figure's lines. */
#ifndef PVD_LINEAGE_H
#define PVD_LINEAGE_H
#include "buf.h"
#include "diag.h"
#include "indicator.h"
#include "output.h"
#include "record.h"
#include <stdint.h>

/* ---- writing ---- */
struct pvd_lineage {
	struct pvd_out out;
	const struct pvd_catalog *c;
	unsigned long long lines;  /* contribution lines written */
};
/* Opens path (atomic, see output.h) and writes the header. */
int pvd_lineage_open(struct pvd_lineage *l, const char *path, const struct pvd_catalog *c, struct pvd_err *e);
/* One contribution of record r to accumulator ai.  keys[d]: the record's key
 * for the accumulator's dimension d (NULL: none).  v: the amount (cents, or
 * units × 100) for sum/mean/last; vals/vlens/nvals: distinct values;
 * start/end: last's date range. */
void pvd_lineage_add(struct pvd_lineage *l, size_t ai, const struct pvd_record *r, const char *const *keys,
		     const size_t *klens, int64_t v, const char *const *vals, const size_t *vlens, size_t nvals,
		     int32_t start, int32_t end);
/* A line of a lineage file being merged: header (checked against the
 * catalogue) or contribution (checked to name a known accumulator), copied
 * out.  *is_header tells which.  Returns 0 or PVD_EX_DATA (e: file:line). */
int pvd_lineage_merge_line(struct pvd_lineage *l, const struct pvd_record *r, const char *line, size_t len,
			   const char *file, long lineno, struct pvd_err *e);
int pvd_lineage_commit(struct pvd_lineage *l, struct pvd_err *e);
/* 1 when path names one of the files (the same file, by device and inode):
 * an output must never replace an input. */
int pvd_lineage_is_input(const char *path, char *const *files, int nfiles);
void pvd_lineage_abort(struct pvd_lineage *l);

/* ---- reading (pvd-explain) ---- */
struct pvd_lin_row {
	char *acc, *file, *sheet;  /* sheet NULL when none */
	long line;
	int side;                  /* 0: the figure's own (or numerator), 1: denominator */
	int has_amount;
	int64_t amount;            /* cents (eur) or units × 100 */
	char **vals;               /* distinct values */
	size_t nvals;
	int has_last;
	int64_t lval;
	int32_t ls, le;
};
struct pvd_lin_fig {
	char *id;
	char *acc[2];              /* acc[1]: the denominator of a ratio, else NULL */
	char *kind[2];             /* "count", "distinct", "sum", "mean", "last" */
	int eur[2];
	char *dim;                 /* NULL: the headline */
	char *key;                 /* NULL with dim: the group without a key */
	struct pvd_lin_row *rows;
	size_t nrows, cap;
};
/* Reads the lineage file path and keeps the rows of figure spec "ID" or
 * "ID=KEY" (KEY a key of one of the indicator's dimensions, "DIM:KEY" to say
 * which, "DIM:" for the group without a key).  Returns 0, PVD_EX_NOINPUT,
 * PVD_EX_IO, PVD_EX_DATA (not a lineage file) or PVD_EX_USAGE (no such
 * indicator or dimension: e says which exist). */
int pvd_lin_select(const char *path, const char *spec, struct pvd_lin_fig *f, struct pvd_err *e);
void pvd_lin_fig_free(struct pvd_lin_fig *f);

/* ---- summary (the dashboard page): per accumulator, per file, the
 * records and their sum, over the whole run (headline figures) ---- */
struct pvd_lin_src {
	char *file;
	unsigned long long rows;
	int64_t sum;               /* cents (eur) or units × 100: sum and mean */
};
struct pvd_lin_acc {
	char *name, *kind;
	int eur;
	struct pvd_lin_src *src;   /* sorted by file after loading */
	size_t nsrc, cap;
};
struct pvd_lin_summary {
	struct pvd_lin_acc *acc;
	size_t nacc;
	char **ids, **num, **den; /* per indicator: its accumulator (num) or a ratio's two */
	size_t nids;
};
/* Reads a lineage file whole into per-file counts: memory grows with
 * accumulators × files, not with records.  0, PVD_EX_NOINPUT, PVD_EX_IO or
 * PVD_EX_DATA (not a lineage file, a sum overflowing). */
int pvd_lin_summary_load(const char *path, struct pvd_lin_summary *s, struct pvd_err *e);
void pvd_lin_summary_free(struct pvd_lin_summary *s);
/* The accumulator of an indicator's numerator (which 0) or denominator
 * (which 1), or NULL. */
const struct pvd_lin_acc *pvd_lin_summary_acc(const struct pvd_lin_summary *s, const char *id, int which);
#endif
