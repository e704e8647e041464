#include "reftable.h"
#include "buf.h"
#include "input.h"
#include "textnorm.h"
#include "xmem.h"
#include "csvread.h"
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- warnings ----------------------------------------------------------- */

void pvd_reflog_add(struct pvd_reflog *log, const char *file, long line, const char *field,
		    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log->w = xgrow(log->w, &log->cap, log->n + 1, sizeof *log->w);
	struct pvd_refwarn *w = &log->w[log->n++];
	w->file = xstrdup(file ? file : "");
	w->line = line;
	w->field = field ? xstrdup(field) : NULL;
	w->msg = xstrdup(msg);
}

struct rank {
	size_t file, i;
	long line;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct rank *p = a, *q = b;
	if (p->file != q->file)
		return p->file < q->file ? -1 : 1;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

void pvd_reflog_sort(struct pvd_reflog *log)
{
	struct rank *k = xmalloc((log->n + 1) * sizeof *k);
	const char **files = xmalloc((log->n + 1) * sizeof *files); /* distinct, in order seen */
	size_t nfiles = 0;
	for (size_t i = 0; i < log->n; i++) {
		size_t f = 0;
		while (f < nfiles && strcmp(files[f], log->w[i].file) != 0)
			f++;
		if (f == nfiles)
			files[nfiles++] = log->w[i].file;
		k[i].file = f;
		k[i].i = i;
		k[i].line = log->w[i].line ? log->w[i].line : LONG_MAX; /* whole-file warnings last */
	}
	qsort(k, log->n, sizeof *k, cmp_rank);
	struct pvd_refwarn *w = xmalloc((log->n + 1) * sizeof *w);
	for (size_t i = 0; i < log->n; i++)
		w[i] = log->w[k[i].i];
	free(log->w);
	log->w = w;
	log->cap = log->n + 1;
	free(files);
	free(k);
}

void pvd_reflog_free(struct pvd_reflog *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->w[i].file);
		free(log->w[i].field);
		free(log->w[i].msg);
	}
	free(log->w);
	memset(log, 0, sizeof *log);
}

/* --- string pool --------------------------------------------------------- */

struct pvd_poolblock {
	struct pvd_poolblock *next;
	size_t used, cap;
	char data[];
};

const char *pvd_strpool_dup(struct pvd_strpool *p, const char *s, size_t n)
{
	struct pvd_poolblock *b = p->head;
	if (!b || b->cap - b->used < n + 1) {
		size_t cap = n + 1 > 60000 ? n + 1 : 60000;
		b = xmalloc(sizeof *b + cap);
		b->next = p->head;
		b->used = 0;
		b->cap = cap;
		p->head = b;
	}
	char *d = b->data + b->used;
	memcpy(d, s, n);
	d[n] = '\0';
	b->used += n + 1;
	return d;
}

void pvd_strpool_free(struct pvd_strpool *p)
{
	while (p->head) {
		struct pvd_poolblock *n = p->head->next;
		free(p->head);
		p->head = n;
	}
}

/* --- value shapes -------------------------------------------------------- */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

int pvd_is_insee(const char *s, size_t n)
{
	if (n != 5)
		return 0;
	if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
		return digits(s + 2, 3);
	return digits(s, 5);
}

int pvd_is_siren(const char *s, size_t n) { return n == 9 && digits(s, 9); }

int pvd_is_dep(const char *s, size_t n)
{
	if (n == 2)
		return digits(s, 2) || (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'));
	/* overseas: 971..978 (DROM, Saint-Pierre, Saint-Barthélemy, Saint-Martin),
	 * 984..989 (TAAF, Wallis, Polynesia, New Caledonia, Clipperton) */
	return n == 3 && s[0] == '9' && digits(s, 3) &&
	       ((s[1] == '7' && s[2] >= '1' && s[2] <= '8') || (s[1] == '8' && s[2] >= '4'));
}

static int is_reg(const char *s, size_t n) { return (n == 2 || n == 3) && digits(s, n); }

/* --- table descriptions -------------------------------------------------- */

enum shape { SH_TEXT, SH_INSEE, SH_SIREN, SH_DEP, SH_REG, SH_INT };
enum need {
	OPT,      /* the column may be absent, the value missing */
	NEED_COL, /* the column must be there, a value may be missing */
	NEED_ROW, /* the column must be there and a row without a value is skipped */
};
struct colspec {
	const char *name;     /* canonical name (messages) */
	const char *headers;  /* accepted headers, '|'-separated */
	enum shape shape;
	enum need need;
	int count_missing;    /* one summary warning for the rows missing it */
};
struct tabspec {
	size_t n;
	struct colspec c[PVD_REFTAB_MAXCOLS];
};

static const struct tabspec specs[] = {
	[PVD_TAB_PVD] = { 5, {
		{ "insee_com", "insee_com|insee|code_insee|codgeo|code_commune|com", SH_INSEE, NEED_ROW, 0 },
		{ "id_pvd", "id_pvd", SH_TEXT, OPT, 1 },
		{ "lib_com", "lib_com|nom|nom_commune|libelle|commune", SH_TEXT, OPT, 0 },
		{ "insee_dep", "insee_dep|dep|code_departement|code_dep", SH_DEP, OPT, 0 },
		{ "siren_epci", "siren_epci|epci_siren|epci", SH_SIREN, OPT, 0 },
	} },
	[PVD_TAB_COMMUNES] = { 8, {
		{ "code_insee", "code_insee|insee|code_commune|com", SH_INSEE, NEED_ROW, 0 },
		{ "nom", "nom|nom_commune|libelle", SH_TEXT, NEED_ROW, 0 },
		{ "code_departement", "code_departement|dep", SH_DEP, NEED_ROW, 0 },
		{ "nom_departement", "nom_departement", SH_TEXT, NEED_COL, 0 },
		{ "code_region", "code_region|reg", SH_REG, NEED_ROW, 0 },
		{ "nom_region", "nom_region", SH_TEXT, NEED_COL, 0 },
		{ "siren_epci", "siren_epci|epci", SH_SIREN, NEED_COL, 0 },
		{ "nom_epci", "nom_epci", SH_TEXT, NEED_COL, 0 },
	} },
	[PVD_TAB_OLDCODES] = { 2, {
		{ "ancien_code", "ancien_code", SH_INSEE, NEED_ROW, 0 },
		{ "code_insee_actuel", "code_insee_actuel|code_insee", SH_INSEE, NEED_ROW, 0 },
	} },
	[PVD_TAB_SUBS] = { 4, {
		{ "code_insee", "code_insee|com", SH_INSEE, NEED_ROW, 0 },
		{ "nom", "nom|libelle", SH_TEXT, NEED_ROW, 0 },
		{ "type", "type|typecom", SH_TEXT, NEED_COL, 0 },
		{ "code_commune_parente", "code_commune_parente|comparent", SH_INSEE, NEED_COL, 0 },
	} },
	[PVD_TAB_EPCI] = { 3, {
		{ "siren_epci", "siren_epci|siren", SH_SIREN, NEED_ROW, 0 },
		{ "nom_epci", "nom_epci|nom", SH_TEXT, NEED_ROW, 0 },
		{ "nb_communes", "nb_communes", SH_INT, OPT, 0 },
	} },
	[PVD_TAB_DEPS] = { 3, {
		{ "code_departement", "code_departement|dep", SH_DEP, NEED_ROW, 0 },
		{ "nom_departement", "nom_departement|nom", SH_TEXT, NEED_ROW, 0 },
		{ "code_region", "code_region|reg", SH_REG, NEED_ROW, 0 },
	} },
	[PVD_TAB_REGS] = { 2, {
		{ "code_region", "code_region|reg", SH_REG, NEED_ROW, 0 },
		{ "nom_region", "nom_region|nom", SH_TEXT, NEED_ROW, 0 },
	} },
};

static const char *const shape_msg[] = {
	[SH_TEXT] = "not text",
	[SH_INSEE] = "not a commune code",
	[SH_SIREN] = "not a SIREN (9 digits)",
	[SH_DEP] = "not a département code",
	[SH_REG] = "not a région code",
	[SH_INT] = "not a whole number",
};

static int shape_ok(enum shape sh, const char *s, size_t n)
{
	switch (sh) {
	case SH_INSEE: return pvd_is_insee(s, n);
	case SH_SIREN: return pvd_is_siren(s, n);
	case SH_DEP: return pvd_is_dep(s, n);
	case SH_REG: return is_reg(s, n);
	case SH_INT: return digits(s, n);
	case SH_TEXT: return 1;
	}
	return 0;
}

const char *pvd_reftab_colname(const struct pvd_reftab *t, int col)
{
	int c = t->col[col];
	return c >= 0 ? t->head[c] : specs[t->kind].c[col].name;
}

/* --- reading ------------------------------------------------------------- */

struct reader {
	struct pvd_reftab *t;
	struct pvd_reflog *log;
	long row_line;            /* physical line where the current row starts */
	size_t line_cap, skip_cap, cell_cap;
	int have_head;
	int bad_header;           /* a required column is missing: rows are not read */
	struct pvd_err herr;
};

/* Matches the known columns to the header; a required one missing is a
 * config error. */
static int find_columns(struct pvd_reftab *t, struct pvd_err *e)
{
	const struct tabspec *sp = &specs[t->kind];
	struct pvd_buf a = { 0 }, b = { 0 };
	int rc = 0;
	for (size_t k = 0; k < sp->n && !rc; k++) {
		const struct colspec *cs = &sp->c[k];
		for (const char *h = cs->headers; *h && t->col[k] < 0;) {
			size_t hl = strcspn(h, "|");
			pvd_buf_reset(&a);
			pvd_fold(h, hl, 0, &a);
			for (size_t i = 0; i < t->ncols; i++) {
				pvd_buf_reset(&b);
				pvd_fold(t->head[i], strlen(t->head[i]), 0, &b);
				if (strcmp(pvd_buf_str(&a), pvd_buf_str(&b)) == 0) {
					t->col[k] = (int)i;
					break;
				}
			}
			h += hl;
			if (*h == '|')
				h++;
		}
		if (t->col[k] < 0 && cs->need != OPT)
			rc = pvd_err_set(e, PVD_EX_CONFIG, t->file, 1, 0,
					 "no column %s (header names accepted: %s)", cs->name, cs->headers);
	}
	pvd_buf_free(&a);
	pvd_buf_free(&b);
	return rc;
}

static void take_header(struct reader *rd, const struct pvd_csv_row *row)
{
	struct pvd_reftab *t = rd->t;
	t->ncols = row->ncells;
	t->head = xcalloc(t->ncols ? t->ncols : 1, sizeof *t->head);
	for (size_t i = 0; i < t->ncols; i++)
		t->head[i] = xstrdup(row->cell[i]);
	rd->have_head = 1;
	rd->bad_header = find_columns(t, &rd->herr) != 0;
}

/* Stores one data row (row may be NULL: a row csvread could not read) and
 * checks it.  Skipped rows are stored too, marked, their cells missing, so
 * that a row's index is its rank in the file. */
static void take_row(struct reader *rd, const struct pvd_csv_row *row)
{
	struct pvd_reftab *t = rd->t;
	const struct tabspec *sp = &specs[t->kind];
	size_t r = t->nrows, nc = t->ncols;
	t->line = xgrow(t->line, &rd->line_cap, r + 1, sizeof *t->line);
	t->skip = xgrow(t->skip, &rd->skip_cap, r + 1, 1);
	t->cell = xgrow(t->cell, &rd->cell_cap, (r + 1) * nc, sizeof *t->cell);
	t->nrows++;
	t->line[r] = rd->row_line;
	t->skip[r] = 1;
	const char **cells = t->cell + r * nc;
	for (size_t i = 0; i < nc; i++)
		cells[i] = NULL;
	if (!row) {
		t->nskipped++;
		return;
	}
	if (row->enc_col >= 0) {
		pvd_reflog_add(rd->log, t->file, row->enc_line, NULL,
			       "column %ld: byte 0x%02X cannot be decoded (row skipped)", row->enc_col,
			       row->enc_byte);
		t->nskipped++;
		return;
	}
	if (row->ncells != nc) {
		pvd_reflog_add(rd->log, t->file, rd->row_line, NULL,
			       "row has %zu cells, the header has %zu (row skipped)", row->ncells, nc);
		t->nskipped++;
		return;
	}
	t->skip[r] = 0;
	for (size_t k = 0; k < sp->n; k++) { /* only the columns we know are kept */
		int c = t->col[k];
		if (c < 0)
			continue;
		const char *v = row->cell[c];
		size_t n = row->len[c];
		int missing = n == 0 || (n == 2 && v[0] == 'N' && v[1] == 'A');
		cells[c] = missing ? NULL : pvd_strpool_dup(&t->pool, v, n);
	}
	for (size_t k = 0; k < sp->n && !t->skip[r]; k++) {
		const struct colspec *cs = &sp->c[k];
		int c = t->col[k];
		if (c < 0)
			continue;
		const char *v = cells[c];
		if (!v) {
			if (cs->need == NEED_ROW) {
				pvd_reflog_add(rd->log, t->file, rd->row_line, t->head[c],
					       "missing value (row skipped)");
				t->skip[r] = 1;
			}
			continue;
		}
		if (!shape_ok(cs->shape, v, strlen(v))) {
			pvd_reflog_add(rd->log, t->file, rd->row_line, t->head[c], "%s: \"%s\"%s",
				       shape_msg[cs->shape], v,
				       cs->need == NEED_ROW ? " (row skipped)" : " (read as missing)");
			if (cs->need == NEED_ROW)
				t->skip[r] = 1;
			else
				cells[c] = NULL;
		}
	}
	if (t->skip[r])
		t->nskipped++;
}

/* Reads the rows with csvread (encoding and delimiter detected, physical
 * lines kept). */
static int read_rows(struct reader *rd, const char *path, struct pvd_err *e)
{
	struct pvd_input in;
	if (pvd_input_open_aux(&in, path, e))
		return pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "cannot open reference table: %s", e->msg);
	struct pvd_csv *c = NULL;
	struct pvd_csv_opts o = { .enc = PVD_ENC_AUTO };
	struct pvd_csv_row row;
	int got = 0, rc = pvd_csv_open(&c, &in, &o, e);
	while (!rc && !rd->bad_header && (got = pvd_csv_next(c, &row, e)) == 1) {
		if (row.type == PVD_CSV_BLANK)
			continue;
		rd->row_line = row.line;
		if (row.type == PVD_CSV_BAD) {
			if (!rd->have_head) {
				rc = pvd_err_set(e, PVD_EX_CONFIG, path, row.line, 0, "header: %s", row.msg);
				break;
			}
			pvd_reflog_add(rd->log, path, row.line, NULL, "%s (row skipped)", row.msg);
			take_row(rd, NULL);
		} else if (!rd->have_head) {
			take_header(rd, &row);
		} else {
			take_row(rd, &row);
		}
	}
	if (!rc && got > 1)
		rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "cannot read reference table: %s", e->msg);
	if (c)
		pvd_csv_close(c);
	pvd_input_close(&in);
	return rc;
}

/* One summary warning per "count missing" column, at its first missing
 * value: a per-row warning would repeat hundreds of times. */
static void count_missing(struct pvd_reftab *t, struct pvd_reflog *log)
{
	const struct tabspec *sp = &specs[t->kind];
	for (size_t k = 0; k < sp->n; k++) {
		if (!sp->c[k].count_missing || t->col[k] < 0)
			continue;
		size_t n = 0;
		long first = 0;
		for (size_t r = 0; r < t->nrows; r++)
			if (!t->skip[r] && !pvd_reftab_get(t, r, (int)k)) {
				if (!n++)
					first = t->line[r];
			}
		if (n)
			pvd_reflog_add(log, t->file, first, pvd_reftab_colname(t, (int)k),
				       "missing on %zu rows (first here): read as null", n);
	}
}

int pvd_reftab_load(struct pvd_reftab *t, enum pvd_reftab_kind kind, const char *path,
		    struct pvd_reflog *log, struct pvd_err *e)
{
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->file = xstrdup(path);
	for (size_t k = 0; k < PVD_REFTAB_MAXCOLS; k++)
		t->col[k] = -1;
	struct reader rd = { .t = t, .log = log, .row_line = 1 };
	int rc = read_rows(&rd, path, e);
	if (!rc && !rd.have_head)
		rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "empty reference table (no header)");
	if (!rc && rd.bad_header) {
		*e = rd.herr;
		rc = e->status;
	}
	if (!rc)
		count_missing(t, log);
	return rc;
}

void pvd_reftab_free(struct pvd_reftab *t)
{
	for (size_t i = 0; i < t->ncols && t->head; i++)
		free(t->head[i]);
	free(t->head);
	free(t->file);
	free(t->line);
	free(t->cell);
	free(t->skip);
	pvd_strpool_free(&t->pool);
	memset(t, 0, sizeof *t);
}
