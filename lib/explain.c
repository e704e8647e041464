#include "explain.h"
#include "aggregate.h"
#include "encoding.h"
#include "money.h"
#include "sheet.h"
#include "strset.h"
#include "xmem.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record read back is cut beyond these: a 1 GB cell is not printed. */
#define RAW_MAX_BYTES 4096
#define RAW_MAX_LINES 50

struct rawline {
	long line;
	char *text;                /* NULL: not found in the file */
};

static int row_cmp(const void *x, const void *y)
{
	const struct pvd_lin_row *a = x, *b = y;
	if (a->side != b->side)
		return a->side - b->side;
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	c = strcmp(a->sheet ? a->sheet : "", b->sheet ? b->sheet : "");
	if (c)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* Text for a terminal: control characters (but tab) as \xNN. */
static void visible(struct pvd_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			pvd_buf_printf(b, "\\x%02x", c);
		else
			pvd_buf_addc(b, (char)c);
	}
}

static int quotes_open(const char *s, size_t n, int open)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"')
			open = !open;
	return open;
}

/* The rows of one sheet of a workbook at the given row numbers (sorted,
 * distinct), as pvd-ingest reads them: the cells joined by tabs, empty
 * cells at the end left out; texts[i] stays NULL when the sheet ends
 * before.  -1 when the workbook or its sheet cannot be read. */
static int read_sheet_raw(const char *path, const char *sheet, const long *lines, size_t n, char **texts)
{
	struct pvd_book *bk;
	struct pvd_err e = { 0 };
	if (pvd_book_open_path(&bk, path, NULL, &e))
		return -1;
	size_t idx, k = 0;
	int st = -1;
	if (!pvd_book_pick(bk, sheet, &idx, &e) && !pvd_book_begin(bk, idx, &e)) {
		struct pvd_csv_row r;
		while (k < n && (st = pvd_book_next(bk, &r, &e)) == 1) {
			while (k < n && lines[k] < r.line)
				k++;
			if (k < n && lines[k] == r.line) {
				size_t len = r.rawlen;
				while (len && r.raw[len - 1] == '\t')
					len--;
				texts[k++] = xstrndup(r.raw, len < RAW_MAX_BYTES ? len : RAW_MAX_BYTES);
			}
		}
	}
	pvd_book_close(bk);
	return st == 0 || st == 1 || k == n ? 0 : -1;
}

/* Reads the records starting at the given physical lines (sorted, distinct)
 * of one raw file; texts[i] stays NULL when the file ends before. */
static int read_raw(const char *path, const long *lines, size_t n, char **texts)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char sample[65536];
	size_t got = fread(sample, 1, sizeof sample, fp);
	size_t bom = 0;
	enum pvd_enc enc = pvd_enc_detect(sample, got, feof(fp), &bom);
	rewind(fp);
	char *ln = NULL;
	size_t cap = 0, k = 0;
	ssize_t len;
	long phys = 0;
	struct pvd_buf rec = { 0 }, conv = { 0 };
	while (k < n && (len = getline(&ln, &cap, fp)) >= 0) {
		phys++;
		if (phys < lines[k])
			continue;
		/* A record from here: its first line, then more while a quoted
		 * field is open. */
		pvd_buf_reset(&rec);
		int open = 0, nl = 0, cut = 0;
		long start = phys;
		for (;;) {
			size_t l = (size_t)len;
			const char *s = ln;
			if (start == 1 && phys == 1 && bom) {
				s += bom;
				l -= bom;
			}
			while (l && (s[l - 1] == '\n' || s[l - 1] == '\r'))
				l--;
			open = quotes_open(s, l, open);
			if (!cut) {
				pvd_buf_reset(&conv);
				if (pvd_enc_to_utf8(enc, s, l, &conv) >= 0) {
					pvd_buf_reset(&conv);
					pvd_buf_add(&conv, s, l);   /* undecodable: the bytes as they are */
				}
				if (nl)
					pvd_buf_addc(&rec, '\n');
				size_t room = RAW_MAX_BYTES > rec.len ? RAW_MAX_BYTES - rec.len : 0;
				pvd_buf_add(&rec, conv.p ? conv.p : "", conv.len < room ? conv.len : room);
				if (conv.len > room || nl + 1 >= RAW_MAX_LINES) {
					pvd_buf_adds(&rec, " […]");
					cut = 1;
				}
			}
			nl++;
			if (!open || (len = getline(&ln, &cap, fp)) < 0)
				break;
			phys++;
		}
		texts[k] = xstrdup(rec.p ? rec.p : "");
		k++;
		/* Lines inside this record that are wanted too (not expected). */
		while (k < n && lines[k] <= phys)
			k++;
	}
	free(ln);
	pvd_buf_free(&rec);
	pvd_buf_free(&conv);
	int err = ferror(fp);
	fclose(fp);
	return err ? -1 : 0;
}

static void amount(struct pvd_buf *b, int eur, int64_t v)
{
	if (eur)
		pvd_cents_format(v, b);
	else
		pvd_buf_printf(b, "%" PRId64, v / 100);
}

static int long_cmp(const void *x, const void *y)
{
	long a = *(const long *)x, b = *(const long *)y;
	return (a > b) - (a < b);
}

size_t pvd_lin_by_file(const struct pvd_lin_fig *f, int side, struct pvd_lin_file **out)
{
	struct pvd_lin_file *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < f->nrows; i++) {
		const struct pvd_lin_row *r = &f->rows[i];
		if (r->side != side)
			continue;
		const char *file = r->file ? r->file : "";
		size_t j;
		for (j = 0; j < n; j++)
			if (strcmp(v[j].file, file) == 0)
				break;
		if (j == n) {
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = (struct pvd_lin_file){ .file = file };
		}
		v[j].rows++;
		if (r->has_amount)
			pvd_cents_add(&v[j].sum, r->amount);   /* checked by the caller's total */
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1].file, v[j].file) > 0; j--) {
			struct pvd_lin_file t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

/* One side of a figure (its only side, or a ratio's numerator or
 * denominator): its rows, then its total; *total gets the operand. */
static int side_out(const struct pvd_lin_fig *f, int side, struct pvd_lin_row *rows, size_t n, const char *root,
		    int raw, struct pvd_buf *b, unsigned long *unreadable, int64_t *total, struct pvd_err *e)
{
	const char *kind = f->kind[side];
	int eur = f->eur[side];
	int is_sum = !strcmp(kind, "sum") || !strcmp(kind, "mean"), is_distinct = !strcmp(kind, "distinct"),
	    is_last = !strcmp(kind, "last");
	struct pvd_strset distinct;
	pvd_strset_init(&distinct);
	int64_t sum = 0;
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].has_amount && pvd_cents_add(&sum, rows[i].amount)) {
			pvd_strset_free(&distinct);
			return pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0, "%s: the sum overflows: not a lineage of pvd-aggregate",
					   f->id);
		}
		for (size_t j = 0; j < rows[i].nvals; j++)
			pvd_strset_add(&distinct, rows[i].vals[j], strlen(rows[i].vals[j]), NULL);
		if (is_last && rows[i].has_last) {
			const struct pvd_lin_row *r = &rows[i], *w = best >= 0 ? &rows[best] : NULL;
			/* the latest by date, then the greatest file name, then line */
			if (!w || r->ls > w->ls || (r->ls == w->ls && (r->le > w->le || (r->le == w->le &&
			    (strcmp(r->file ? r->file : "", w->file ? w->file : "") > 0 ||
			     (strcmp(r->file ? r->file : "", w->file ? w->file : "") == 0 && r->line > w->line))))))
				best = (long)i;
		}
	}
	/* Raw text, file by file. */
	char **texts = xcalloc(n ? n : 1, sizeof *texts);
	int *bad = xcalloc(n ? n : 1, sizeof *bad);
	for (size_t i = 0; raw && i < n;) {
		size_t j = i;
		while (j < n && !strcmp(rows[j].file ? rows[j].file : "", rows[i].file ? rows[i].file : "") &&
		       !strcmp(rows[j].sheet ? rows[j].sheet : "", rows[i].sheet ? rows[i].sheet : ""))
			j++;
		if (rows[i].file) {
			long *lines = xmalloc((j - i) * sizeof *lines);
			size_t m = 0;
			for (size_t k = i; k < j; k++)
				if (m == 0 || lines[m - 1] != rows[k].line)
					lines[m++] = rows[k].line;
			qsort(lines, m, sizeof *lines, long_cmp);
			char **t = xcalloc(m ? m : 1, sizeof *t);
			struct pvd_buf path = { 0 };
			if (root && rows[i].file[0] != '/')
				pvd_buf_printf(&path, "%s/", root);
			pvd_buf_adds(&path, rows[i].file);
			int rc = rows[i].sheet ? read_sheet_raw(path.p, rows[i].sheet, lines, m, t)
					       : read_raw(path.p, lines, m, t);
			pvd_buf_free(&path);
			for (size_t k = i; k < j; k++) {
				long *at = bsearch(&rows[k].line, lines, m, sizeof *lines, long_cmp);
				size_t x = at ? (size_t)(at - lines) : 0;
				if (rc == 0 && at && t[x])
					texts[k] = xstrdup(t[x]);
				else
					bad[k] = 1;
			}
			for (size_t k = 0; k < m; k++)
				free(t[k]);
			free(t);
			free(lines);
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pvd_lin_row *r = &rows[i];
		visible(b, r->file ? r->file : "(no file)", strlen(r->file ? r->file : "(no file)"));
		pvd_buf_printf(b, ":%ld", r->line);
		if (r->sheet) {
			pvd_buf_adds(b, " [");
			visible(b, r->sheet, strlen(r->sheet));
			pvd_buf_adds(b, "]");
		}
		pvd_buf_adds(b, "\t");
		if (is_sum && r->has_amount) {
			if (r->amount >= 0)
				pvd_buf_addc(b, '+');
			amount(b, eur, r->amount);
		} else if (is_distinct) {
			for (size_t j = 0; j < r->nvals; j++) {
				if (j)
					pvd_buf_adds(b, ", ");
				/* a tuple's parts are joined by U+001F: shown as " | " */
				for (const char *p = r->vals[j]; *p; p++)
					if (*p == '\x1f')
						pvd_buf_adds(b, " | ");
					else
						visible(b, p, 1);
			}
			if (!r->nvals)
				pvd_buf_adds(b, "(no value)");
		} else if (is_last && r->has_last) {
			amount(b, eur, r->lval);
			if ((long)i == best)
				pvd_buf_adds(b, " (the latest: the value)");
		} else {
			pvd_buf_adds(b, "1 record");
		}
		pvd_buf_addc(b, '\n');
		if (raw && texts[i]) {
			pvd_buf_adds(b, "    ");
			for (const char *p = texts[i]; *p; p++)
				if (*p == '\n')
					pvd_buf_adds(b, "\n    ");
				else
					visible(b, p, 1);
			pvd_buf_addc(b, '\n');
		} else if (raw && bad[i]) {
			pvd_buf_adds(b, "    (raw file not readable, or shorter than this line)\n");
			(*unreadable)++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(bad);
	/* Per file, then the total. */
	struct pvd_lin_file *bf;
	size_t nf = pvd_lin_by_file(f, side, &bf);
	if (nf > 1 || is_sum) {
		for (size_t i = 0; i < nf; i++) {
			pvd_buf_adds(b, "  ");
			visible(b, bf[i].file, strlen(bf[i].file));
			pvd_buf_printf(b, ": %lu record%s", bf[i].rows, bf[i].rows == 1 ? "" : "s");
			if (is_sum) {
				pvd_buf_adds(b, ", ");
				amount(b, eur, bf[i].sum);
			}
			pvd_buf_addc(b, '\n');
		}
	}
	free(bf);
	if (is_sum) {
		pvd_buf_adds(b, "total: ");
		amount(b, eur, sum);
		pvd_buf_printf(b, " (%zu record%s)", n, n == 1 ? "" : "s");
		if (!strcmp(kind, "mean") && n) {
			pvd_buf_adds(b, ", mean ");
			pvd_ratio6(eur ? sum : sum / 100, (int64_t)n * (eur ? 100 : 1), b);
		}
		*total = eur ? sum : sum / 100;
	} else if (is_distinct) {
		size_t k = pvd_strset_count(&distinct);
		pvd_buf_printf(b, "total: %zu distinct value%s (%zu record%s)", k, k == 1 ? "" : "s", n, n == 1 ? "" : "s");
		*total = (int64_t)k;
	} else if (is_last) {
		pvd_buf_adds(b, "value: ");
		if (best >= 0)
			amount(b, eur, rows[best].lval);
		else
			pvd_buf_adds(b, "null");
		pvd_buf_printf(b, " (the latest of %zu record%s)", n, n == 1 ? "" : "s");
		*total = best >= 0 ? (eur ? rows[best].lval : rows[best].lval / 100) : 0;
	} else {
		pvd_buf_printf(b, "total: %zu record%s", n, n == 1 ? "" : "s");
		*total = (int64_t)n;
	}
	pvd_buf_addc(b, '\n');
	pvd_strset_free(&distinct);
	return 0;
}

int pvd_explain(const struct pvd_lin_fig *f, const char *root, int raw, struct pvd_buf *b,
		unsigned long *unreadable, struct pvd_err *e)
{
	*unreadable = 0;
	struct pvd_lin_row *rows = xmalloc((f->nrows ? f->nrows : 1) * sizeof *rows);
	memcpy(rows, f->rows, f->nrows * sizeof *rows);
	qsort(rows, f->nrows, sizeof *rows, row_cmp);
	size_t n0 = 0;
	while (n0 < f->nrows && rows[n0].side == 0)
		n0++;
	visible(b, f->id, strlen(f->id));
	if (f->dim) {
		pvd_buf_adds(b, " by ");
		visible(b, f->dim, strlen(f->dim));
		pvd_buf_adds(b, " = ");
		if (f->key)
			visible(b, f->key, strlen(f->key));
		else
			pvd_buf_adds(b, "(no value)");
	}
	int ratio = f->acc[1] != NULL;
	pvd_buf_printf(b, ": %s\n", ratio ? "ratio" : f->kind[0]);
	int64_t t[2] = { 0, 0 };
	int rc = 0;
	for (int s = 0; s <= ratio && !rc; s++) {
		if (ratio)
			pvd_buf_printf(b, "%s (%s, %s):\n", s ? "denominator" : "numerator", f->acc[s], f->kind[s]);
		rc = side_out(f, s, s ? rows + n0 : rows, s ? f->nrows - n0 : n0, root, raw, b, unreadable, &t[s], e);
	}
	if (!rc && ratio) {
		pvd_buf_printf(b, "value: %" PRId64 " / %" PRId64, t[0], t[1]);
		if (t[1]) {
			pvd_buf_adds(b, " = ");
			pvd_ratio6(t[0], t[1], b);
		} else {
			pvd_buf_adds(b, " (not computable)");
		}
		pvd_buf_addc(b, '\n');
	}
	free(rows);
	return rc;
}
