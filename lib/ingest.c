#include "ingest.h"
#include "csvread.h"
#include "input.h"
#include "sheet.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define HEADER_SEARCH_ROWS 30

struct ing {
	const struct pvd_ingest_opts *o;
	const struct pvd_profile *prof;
	const char *file;              /* name for messages: "x.csv", "x.xlsx[Suivi]" */
	const char *src_file;          /* name for _file */
	size_t file_len;
	struct pvd_book *book;         /* a spreadsheet's, or NULL */
	const char *sheet;             /* its sheet being read */
	struct pvd_rejects *rj;
	struct pvd_stats *st;
	struct pvd_ingest_counts *cnt;
	struct pvd_sink *sink;
	long skip;                     /* rows still to skip as title rows, -1: detect */
	long rows_seen;                /* rows before the header, for detection limits */
	struct pvd_err best;           /* with a profile: why the closest row was not the header */
	size_t best_matched;
	int have_header;
	long header_line;
	size_t ncols;                  /* cells expected per row */
	char **colname;                /* output name per column, NULL: dropped */
	size_t *colname_len;
	size_t *field_col;             /* profile field k -> column, SIZE_MAX when absent */
	size_t *when_col;              /* profile field k -> its condition column */
	struct pvd_record rec;
	struct pvd_buf tmp;
	json_t *info, *totals;
};

static int cell_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

static size_t nonblank_cells(const struct pvd_csv_row *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->ncells; i++)
		k += !cell_blank(r->cell[i], r->len[i]);
	return k;
}

static void fold(struct ing *g, const char *s, size_t n, char sep)
{
	pvd_buf_reset(&g->tmp);
	pvd_fold(s, n, sep, &g->tmp);
}

/* Profile field k matches column j? */
static int field_matches(struct ing *g, const struct pvd_profile_field *f, const char *s, size_t n)
{
	fold(g, s, n, 0);
	for (size_t i = 0; i < f->nheaders; i++)
		if (!strcmp(f->keys[i], pvd_buf_str(&g->tmp)))
			return 1;
	return 0;
}

/* With a profile: how many fields a row's cells match, and whether every
 * required one is there.  Fills field_col. */
static size_t match_profile(struct ing *g, const struct pvd_csv_row *r, int *all_required)
{
	const struct pvd_profile *p = g->prof;
	size_t matched = 0;
	*all_required = 1;
	for (size_t k = 0; k < p->nfields; k++) {
		g->field_col[k] = SIZE_MAX;
		for (size_t j = 0; j < r->ncells; j++)
			if (field_matches(g, &p->fields[k], r->cell[j], r->len[j])) {
				g->field_col[k] = j;
				break;
			}
		if (g->field_col[k] != SIZE_MAX)
			matched++;
		else if (!p->fields[k].optional)
			*all_required = 0;
	}
	return matched;
}

static void missing_columns(struct ing *g, const struct pvd_csv_row *r, struct pvd_err *e);

static int looks_like_header(struct ing *g, const struct pvd_csv_row *r)
{
	if (g->prof) {
		int all;
		size_t m = match_profile(g, r, &all);
		if (all && m > 0)
			return 1;
		/* Remember the closest row, to say what was missing if none fits. */
		if (m > g->best_matched) {
			g->best_matched = m;
			missing_columns(g, r, &g->best);
		}
		return 0;
	}
	size_t k = nonblank_cells(r);
	if (r->ncells == 1)
		return k == 1;
	return k >= 2 && 2 * k >= r->ncells;
}

static void set_colname(struct ing *g, size_t j, const char *name)
{
	g->colname[j] = xstrdup(name);
	g->colname_len[j] = strlen(name);
}

static int is_ignored(struct ing *g, const char *s, size_t n)
{
	fold(g, s, n, 0);
	for (size_t i = 0; i < g->prof->nignore; i++)
		if (!strcmp(g->prof->ignore[i], pvd_buf_str(&g->tmp)))
			return 1;
	return 0;
}

/* "profile P: required column missing: montant ("Montant", ...); headers found: ..." */
static void missing_columns(struct ing *g, const struct pvd_csv_row *r, struct pvd_err *e)
{
	struct pvd_buf b = { 0 }, name = { 0 };
	size_t n = r->ncells;
	for (size_t k = 0; k < g->prof->nfields; k++) {
		const struct pvd_profile_field *f = &g->prof->fields[k];
		if (g->field_col[k] != SIZE_MAX || f->optional)
			continue;
		pvd_buf_printf(&b, "%s%s (", b.len ? "; " : "", f->name);
		for (size_t i = 0; i < f->nheaders; i++)
			pvd_buf_printf(&b, "%s\"%s\"", i ? ", " : "", f->headers[i]);
		pvd_buf_adds(&b, ")");
	}
	for (size_t j = 0; j < n; j++) {
		if (cell_blank(r->cell[j], r->len[j]))
			continue;
		pvd_buf_printf(&name, "%s\"", name.len ? ", " : "");
		pvd_text_clean(r->cell[j], r->len[j], &name);
		pvd_buf_addc(&name, '"');
	}
	pvd_err_set(e, PVD_EX_DATA, g->file, r->line, 0, "profile %s: required column missing: %s; headers found: %s",
		    g->prof->name, pvd_buf_str(&b), pvd_buf_str(&name));
	pvd_buf_free(&b);
	pvd_buf_free(&name);
}

/* The header row fixes the columns and their output names. */
static int take_header(struct ing *g, const struct pvd_csv_row *r, struct pvd_err *e)
{
	/* Spreadsheets pad rows with empty cells: the last named column ends the header. */
	size_t n = r->ncells;
	while (n > 1 && cell_blank(r->cell[n - 1], r->len[n - 1]))
		n--;
	g->ncols = n;
	g->colname = xcalloc(n, sizeof *g->colname);
	g->colname_len = xcalloc(n, sizeof *g->colname_len);
	g->have_header = 1;
	g->header_line = r->line;
	json_t *cols = json_array();
	struct pvd_buf name = { 0 };
	for (size_t j = 0; j < n; j++) {
		pvd_buf_reset(&name);
		pvd_text_clean(r->cell[j], r->len[j], &name);
		json_array_append_new(cols, json_string(pvd_buf_str(&name)));
	}
	if (g->book)
		pvd_book_set_width(g->book, n);
	json_object_set_new(g->info, "header_line", json_integer(r->line));
	json_object_set_new(g->info, "columns", cols);

	if (g->prof) {
		int all;
		match_profile(g, r, &all);
		if (!all) {
			missing_columns(g, r, e);
			pvd_buf_free(&name);
			return PVD_EX_DATA;
		}
		json_t *fm = json_object();
		char *used = xcalloc(n, 1);
		for (size_t k = 0; k < g->prof->nfields; k++) {
			const struct pvd_profile_field *f = &g->prof->fields[k];
			size_t j = g->field_col[k];
			if (j == SIZE_MAX)
				continue;
			used[j] = 1;
			json_object_set(fm, f->name, json_array_get(cols, j));
			g->when_col[k] = SIZE_MAX;
			if (!f->when_key)
				continue;
			for (size_t i = 0; i < n && g->when_col[k] == SIZE_MAX; i++) {
				fold(g, r->cell[i], r->len[i], 0);
				if (!strcmp(f->when_key, pvd_buf_str(&g->tmp)))
					g->when_col[k] = i;
			}
			if (g->when_col[k] == SIZE_MAX) {
				pvd_err_set(e, PVD_EX_DATA, g->file, r->line, 0,
					    "profile %s: field %s depends on column \"%s\", which is not in the header",
					    g->prof->name, f->name, f->when_header);
				json_decref(fm);
				free(used);
				pvd_buf_free(&name);
				return PVD_EX_DATA;
			}
		}
		json_object_set_new(g->info, "fields", fm);
		/* Columns no field took: kept under their header name, or dropped. */
		for (size_t j = 0; j < n && g->prof->keep_others; j++) {
			if (used[j] || is_ignored(g, r->cell[j], r->len[j]) || cell_blank(r->cell[j], r->len[j]))
				continue;
			pvd_buf_reset(&name);
			pvd_text_clean(r->cell[j], r->len[j], &name);
			set_colname(g, j, pvd_buf_str(&name));
		}
		free(used);
	} else {
		for (size_t j = 0; j < n; j++) {
			pvd_buf_reset(&name);
			pvd_text_clean(r->cell[j], r->len[j], &name);
			if (!name.len) {
				pvd_buf_printf(&name, "_col%zu", j + 1);
				pvd_warn_at(g->file, r->line, "%s: column %zu has no name; called %s",
					    PVD_R_BLANK_HEADER, j + 1, name.p);
			}
			/* A repeated name gets a suffix: fields of a record are distinct. */
			size_t base = name.len;
			for (unsigned k = 2;; k++) {
				size_t i;
				for (i = 0; i < j; i++)
					if (!strcmp(g->colname[i], name.p))
						break;
				if (i == j)
					break;
				name.len = base;
				pvd_buf_printf(&name, "_%u", k);
				if (k == 2)
					pvd_warn_at(g->file, r->line, "%s: column %zu repeats the name \"%.*s\"; called %s",
						    PVD_R_DUP_HEADER, j + 1, (int)base, name.p, name.p);
			}
			set_colname(g, j, name.p);
		}
	}
	pvd_buf_free(&name);
	return 0;
}

/* "TOTAL", "Total général", "Sous-total Ain", "Totaux" in one of the first cells. */
static int is_total_row(struct ing *g, const struct pvd_csv_row *r, const char **label)
{
	for (size_t j = 0; j < r->ncells && j < 3; j++) {
		if (cell_blank(r->cell[j], r->len[j]))
			continue;
		/* Cheap test first: folding every row's first cell would cost. */
		const char *c = r->cell[j];
		while (*c == ' ' || *c == '\t')
			c++;
		if (!strchr("tTsS", *c) || !*c)
			return 0;
		fold(g, r->cell[j], r->len[j], ' ');
		const char *f = pvd_buf_str(&g->tmp);
		if (!strncmp(f, "total", 5) || !strncmp(f, "sous total", 10) || !strncmp(f, "soustotal", 9) ||
		    !strcmp(f, "totaux")) {
			*label = r->cell[j];
			return 1;
		}
		return 0;
	}
	return 0;
}

/* The field a column feeds (the first profile field on it), or NULL. */
static const char *column_name(struct ing *g, size_t j)
{
	for (size_t k = 0; g->prof && k < g->prof->nfields; k++)
		if (g->field_col[k] == j)
			return g->prof->fields[k].name;
	return g->colname[j];
}

static void report_total(struct ing *g, const struct pvd_csv_row *r, const char *label)
{
	json_t *fields = json_object();
	struct pvd_buf b = { 0 };
	for (size_t j = 0; j < r->ncells && j < g->ncols; j++) {
		const char *name = column_name(g, j);
		if (!name || cell_blank(r->cell[j], r->len[j]) || r->cell[j] == label)
			continue;
		json_object_set_new(fields, name, json_string(r->cell[j]));
		pvd_buf_printf(&b, "%s%s=\"%s\"", b.len ? ", " : "", name, r->cell[j]);
	}
	json_array_append_new(g->totals, json_pack("{s:s, s:I, s:s, s:o}", "file", g->file, "line",
						   (json_int_t)r->line, "label", label, "fields", fields));
	if (!g->rj->quiet)
		pvd_warn_at(g->file, r->line, "total row not emitted: %s%s%s", label, b.len ? ": " : "",
			    pvd_buf_str(&b));
	pvd_buf_free(&b);
}

static int when_holds(struct ing *g, const struct pvd_profile_field *f, const struct pvd_csv_row *r,
		      size_t col)
{
	fold(g, r->cell[col], r->len[col], 0);
	for (size_t i = 0; i < f->nwhen; i++)
		if (!strcmp(f->when_values[i], pvd_buf_str(&g->tmp)))
			return 1;
	return 0;
}

static int emit(struct ing *g, const struct pvd_csv_row *r, struct pvd_err *e)
{
	struct pvd_record *rec = &g->rec;
	char num[24], *q = num + sizeof num;
	unsigned long ln = (unsigned long)r->line;
	do
		*--q = (char)('0' + ln % 10);
	while (ln /= 10);
	pvd_rec_clear(rec);
	pvd_rec_add(rec, "_file", 5, PVD_STR, g->src_file, g->file_len);
	pvd_rec_add(rec, "_line", 5, PVD_NUM, q, (size_t)(num + sizeof num - q));
	if (g->book)
		pvd_rec_add(rec, "_sheet", 6, PVD_STR, g->sheet, strlen(g->sheet));
	if (g->prof) {
		const struct pvd_profile *p = g->prof;
		pvd_rec_add(rec, "_dataset", 8, PVD_STR, p->dataset, strlen(p->dataset));
		pvd_rec_add(rec, "_source", 7, PVD_STR, p->name, strlen(p->name));
		for (size_t k = 0; k < p->nfields; k++) {
			const struct pvd_profile_field *f = &p->fields[k];
			size_t j = g->field_col[k];
			if (j == SIZE_MAX)
				continue;
			/* Profile field names are distinct: appended without a lookup. */
			if (f->when_key && !when_holds(g, f, r, g->when_col[k]))
				pvd_rec_add(rec, f->name, strlen(f->name), PVD_STR, "", 0);
			else
				pvd_rec_add(rec, f->name, strlen(f->name), PVD_STR, r->cell[j], r->len[j]);
		}
		for (size_t k = 0; k < p->nfixed; k++)
			pvd_rec_set(rec, p->fixed_names[k], PVD_STR, p->fixed_values[k], strlen(p->fixed_values[k]));
		for (size_t j = 0; j < g->ncols; j++)
			if (g->colname[j])
				pvd_rec_set(rec, g->colname[j], PVD_STR, r->cell[j], r->len[j]);
	} else {
		for (size_t j = 0; j < g->ncols; j++)
			pvd_rec_add(rec, g->colname[j], g->colname_len[j], PVD_STR, r->cell[j], r->len[j]);
	}
	pvd_stats_out(g->st);
	return pvd_sink_put(g->sink, rec, e);
}

static void reject_row(struct ing *g, const struct pvd_csv_row *r, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reject_row(struct ing *g, const struct pvd_csv_row *r, const char *reason, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The raw text is not NUL-terminated (it may lie in the input's buffer). */
	char *raw = xstrndup(r->raw, r->rawlen);
	pvd_reject(g->rj, g->file, r->line, reason, NULL, NULL, raw, NULL, "%s", msg);
	free(raw);
	pvd_stats_rejected(g->st);
}

static void skipped(struct ing *g, unsigned long long *kind)
{
	(*kind)++;
	pvd_stats_skipped(g->st);
}

static int row(struct ing *g, const struct pvd_csv_row *r, struct pvd_csv *csv, struct pvd_err *e)
{
	pvd_stats_in(g->st);
	if (r->type == PVD_CSV_BAD) {
		reject_row(g, r, r->reason, "%s", r->msg);
		return 0;
	}
	if (r->type == PVD_CSV_BLANK || nonblank_cells(r) == 0) {
		/* A blank line counts against --skip: title blocks often hold one. */
		if (!g->have_header && g->skip > 0)
			g->skip--;
		skipped(g, &g->cnt->blank);
		return 0;
	}
	if (r->enc_col >= 0) {
		reject_row(g, r, PVD_R_ENCODING, "line %ld, column %ld: byte 0x%02X is not valid %s",
			   r->enc_line, r->enc_col, r->enc_byte, pvd_enc_name(pvd_csv_encoding(csv)));
		return 0;
	}
	if (!g->have_header) {
		if (g->skip > 0) {
			g->skip--;
			skipped(g, &g->cnt->title);
			return 0;
		}
		if (g->skip == 0 || looks_like_header(g, r)) {
			int rc = take_header(g, r, e);
			if (rc)
				return rc;
			skipped(g, &g->cnt->header);
			return 0;
		}
		if (++g->rows_seen >= HEADER_SEARCH_ROWS) {
			if (g->prof && g->best_matched) {
				*e = g->best;
				return PVD_EX_DATA;
			}
			if (g->prof)
				return pvd_err_set(e, PVD_EX_DATA, g->file, 0, 0,
						   "no header row for profile %s in the first %d rows (the required columns were not found; try --skip)",
						   g->prof->name, HEADER_SEARCH_ROWS);
			return pvd_err_set(e, PVD_EX_DATA, g->file, 0, 0, "no header row in the first %d rows (try --skip)",
					   HEADER_SEARCH_ROWS);
		}
		skipped(g, &g->cnt->title);
		return 0;
	}
	const char *label;
	if (is_total_row(g, r, &label)) {
		report_total(g, r, label);
		skipped(g, &g->cnt->total);
		return 0;
	}
	if (r->ncells < g->ncols) {
		reject_row(g, r, PVD_R_MISSING_CELL, "expected %zu cells, found %zu", g->ncols, r->ncells);
		return 0;
	}
	for (size_t j = g->ncols; j < r->ncells; j++)
		if (!cell_blank(r->cell[j], r->len[j])) {
			reject_row(g, r, PVD_R_EXTRA_CELL, "expected %zu cells, found %zu (cell %zu is not empty)",
				   g->ncols, r->ncells, j + 1);
			return 0;
		}
	return emit(g, r, e);
}

/* A spreadsheet: the workbook, and the sheet to read started. */
static int open_book(struct pvd_book **b, struct pvd_input *in, int kind, const struct pvd_ingest_opts *o,
		     size_t *sheet, struct pvd_err *e)
{
	struct pvd_book_opts bo = { .field_cap = o->field_cap };
	const char *sel = o->sheet ? o->sheet : o->profile ? o->profile->sheet : NULL;
	int rc = pvd_book_open(b, in, kind, &bo, e);
	if (!rc && ((rc = pvd_book_pick(*b, sel, sheet, e)) || (rc = pvd_book_begin(*b, *sheet, e)))) {
		pvd_book_close(*b);
		*b = NULL;
	}
	return rc;
}

int pvd_ingest_file(const char *path, const struct pvd_ingest_opts *o, struct pvd_sink *sink,
		    struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_ingest_counts *cnt,
		    struct pvd_err *e)
{
	struct pvd_input in;
	int rc = pvd_input_open(&in, path, e);
	if (rc)
		return rc;
	const struct pvd_profile *p = o->profile;
	struct pvd_csv_opts co = {
		.enc = o->encoding != PVD_ENC_AUTO ? o->encoding : p ? p->encoding : PVD_ENC_AUTO,
		.delim = o->delimiter ? o->delimiter : p ? p->delimiter : 0,
		.field_cap = o->field_cap,
	};
	struct pvd_csv *csv = NULL;
	struct pvd_book *book = NULL;
	size_t sheet = 0;
	int kind;
	if ((rc = pvd_book_sniff(&in, &kind, e)) ||
	    (kind ? (rc = open_book(&book, &in, kind, o, &sheet, e)) : (rc = pvd_csv_open(&csv, &in, &co, e)))) {
		pvd_input_close(&in);
		return rc;
	}
	struct ing g = {
		.o = o, .prof = p, .file = book ? pvd_book_where(book) : in.name, .src_file = in.name,
		.file_len = strlen(in.name), .book = book, .rj = rj, .st = st, .cnt = cnt, .sink = sink,
		.skip = o->skip >= 0 ? o->skip : p ? p->skip : -1,
	};
	pvd_rec_init(&g.rec);
	if (p)
		g.field_col = xcalloc(p->nfields ? p->nfields : 1, sizeof *g.field_col),
		g.when_col = xcalloc(p->nfields ? p->nfields : 1, sizeof *g.when_col);
	pvd_stats_input(st, in.name);
	if (book) {
		g.sheet = pvd_book_sheet(book, sheet)->name;
		g.info = json_pack("{s:s, s:s, s:s}", "file", in.name, "format",
				   pvd_book_format_name(pvd_book_format(book)), "sheet", g.sheet);
	} else {
		g.info = json_pack("{s:s, s:s, s:b, s:s}", "file", in.name, "encoding",
				   pvd_enc_name(pvd_csv_encoding(csv)), "bom", pvd_csv_had_bom(csv), "delimiter",
				   pvd_csv_delim_name(pvd_csv_delimiter(csv)));
	}
	if (p)
		json_object_set_new(g.info, "profile", json_string(p->name));
	g.totals = json_array();

	struct pvd_csv_row r;
	int got;
	while ((got = book ? pvd_book_next(book, &r, e) : pvd_csv_next(csv, &r, e)) == 1)
		if ((rc = row(&g, &r, csv, e)))
			break;
	if (got > 1)
		rc = got;
	if (!rc && !g.have_header && g.rows_seen > 0) {
		rc = PVD_EX_DATA;
		if (p && g.best_matched)
			*e = g.best;
		else
			pvd_err_set(e, PVD_EX_DATA, g.file, 0, 0, "no header row found%s%s", p ? " for profile " : "",
				    p ? p->name : "");
	}
	st->inputs[st->ninputs - 1].bytes = book ? pvd_book_bytes(book) : in.bytes;

	json_object_set_new(g.info, "totals", g.totals);
	if (!st->extra)
		st->extra = json_pack("{s:[], s:[]}", "files", "totals");
	json_array_extend(json_object_get(st->extra, "totals"), g.totals);
	json_array_append_new(json_object_get(st->extra, "files"), g.info);

	for (size_t j = 0; j < g.ncols; j++)
		free(g.colname[j]);
	free(g.colname);
	free(g.colname_len);
	free(g.field_col);
	free(g.when_col);
	pvd_buf_free(&g.tmp);
	pvd_rec_free(&g.rec);
	if (csv)
		pvd_csv_close(csv);
	pvd_book_close(book);
	pvd_input_close(&in);
	return rc;
}
