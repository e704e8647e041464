#include "ingest.h"
#include "csvread.h"
#include "input.h"
#include "sheet.h"
#include "strset.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define HEADER_SEARCH_ROWS 30
#ifndef PVD_R_RESERVED_HEADER
#define PVD_R_RESERVED_HEADER "reserved-header"
#endif
/* Rows after a header candidate that must show its cell count (most of them)
 * for it to be the header, when no profile and no --skip say which it is. */
#define HEADER_LOOKAHEAD 5

/* Fields pvd writes itself: no column may be called so (see unshadow()). */
static const char *const provenance[] = { "_file", "_line", "_dataset", "_source", "_sheet", NULL };

/* A row kept while the header is not known yet (its cells copied). */
struct held {
	struct pvd_csv_row r;
	int data_like, candidate;    /* judged once: rows are read again for every row added */
	size_t width;
	char *blob;
	size_t *len;
	const char **cell;
};

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
	uint64_t layout;               /* the records' layout stamp for this header (record.h), 0: none yet */
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
	/* A row's header cells folded once: folded text -> first and second column. */
	struct pvd_strset hfold;
	size_t *hfirst, *hsecond, hcap;
	/* Without a profile or --skip: rows held until the header is known. */
	int detect;
	struct held *held;
	size_t nheld, heldcap;
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

/* Folds every cell of a row once into g->hfold, keeping the first two
 * columns of each folded text: lookups by header name are then constant
 * time, whatever the number of columns. */
static void fold_row(struct ing *g, const struct pvd_csv_row *r)
{
	pvd_strset_clear(&g->hfold);
	for (size_t j = 0; j < r->ncells; j++) {
		fold(g, r->cell[j], r->len[j], 0);
		int added;
		uint32_t id = pvd_strset_add(&g->hfold, g->tmp.p ? g->tmp.p : "", g->tmp.len, &added);
		if (added) {
			if (id >= g->hcap) {
				g->hfirst = xgrow(g->hfirst, &g->hcap, (size_t)id + 1, sizeof *g->hfirst);
				g->hsecond = xrealloc(g->hsecond, g->hcap * sizeof *g->hsecond);
			}
			g->hfirst[id] = j;
			g->hsecond[id] = SIZE_MAX;
		} else if (g->hsecond[id] == SIZE_MAX) {
			g->hsecond[id] = j;
		}
	}
}

/* First column (after fold_row) whose folded name is key, or SIZE_MAX. */
static size_t col_of(struct ing *g, const char *key)
{
	long id = pvd_strset_find(&g->hfold, key, strlen(key));
	return id < 0 ? SIZE_MAX : g->hfirst[id];
}

/* With a profile: how many fields a row's cells match, and whether every
 * required one is there.  Fills field_col (the first matching column). */
static size_t match_profile(struct ing *g, const struct pvd_csv_row *r, int *all_required)
{
	const struct pvd_profile *p = g->prof;
	size_t matched = 0;
	*all_required = 1;
	fold_row(g, r);
	for (size_t k = 0; k < p->nfields; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < p->fields[k].nheaders; i++) {
			size_t j = col_of(g, p->fields[k].keys[i]);
			if (j < best)
				best = j;
		}
		g->field_col[k] = best;
		if (best != SIZE_MAX)
			matched++;
		else if (!p->fields[k].optional)
			*all_required = 0;
	}
	return matched;
}

/* Another column than field k's that matches the field too (after fold_row),
 * or SIZE_MAX: two columns for one field is a mistake to stop on, unless the
 * profile says `duplicates: first`. */
static size_t second_match(struct ing *g, size_t k)
{
	const struct pvd_profile_field *f = &g->prof->fields[k];
	size_t first = g->field_col[k];
	for (size_t i = 0; i < f->nheaders; i++) {
		long id = pvd_strset_find(&g->hfold, f->keys[i], strlen(f->keys[i]));
		if (id < 0)
			continue;
		if (g->hfirst[id] != first)
			return g->hfirst[id];
		if (g->hsecond[id] != SIZE_MAX)
			return g->hsecond[id];
	}
	return SIZE_MAX;
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

/* Output names of the columns, kept distinct in linear time: `used` holds
 * every name given so far, `next` the next suffix to try per repeated name. */
struct names {
	struct pvd_strset used, base;
	unsigned *next;
	size_t ncap;
};

static void names_free(struct names *nm)
{
	pvd_strset_free(&nm->used);
	pvd_strset_free(&nm->base);
	free(nm->next);
}

/* Raw names never shadow pvd's provenance fields: a name starting with '_'
 * is given the prefix "raw" ("_file" becomes "raw_file"), with a warning. */
static void unshadow(struct ing *g, long line, size_t j, struct pvd_buf *name)
{
	if (!name->len || name->p[0] != '_')
		return;
	struct pvd_buf b = { 0 };
	pvd_buf_adds(&b, "raw");
	pvd_buf_add(&b, name->p, name->len);
	pvd_rejects_warn(g->rj, g->file, line, PVD_R_RESERVED_HEADER,
			 "%s: column %zu is named \"%s\", a name pvd keeps for its own fields; called %s",
			 PVD_R_RESERVED_HEADER, j + 1, name->p, b.p);
	pvd_buf_reset(name);
	pvd_buf_add(name, b.p, b.len);
	pvd_buf_free(&b);
}

/* Makes name distinct from the names given so far ("montant_2"), warns when
 * it had to, and gives it to column j. */
static void set_colname(struct ing *g, struct names *nm, long line, size_t j, struct pvd_buf *name)
{
	int added;
	pvd_strset_add(&nm->used, name->p, name->len, &added);
	if (!added) {
		size_t base = name->len;
		uint32_t b = pvd_strset_add(&nm->base, name->p, base, &added);
		if (b >= nm->ncap) {
			size_t old = nm->ncap;
			nm->next = xgrow(nm->next, &nm->ncap, (size_t)b + 1, sizeof *nm->next);
			for (size_t i = old; i < nm->ncap; i++)
				nm->next[i] = 2;
		}
		for (;;) {
			name->len = base;
			pvd_buf_printf(name, "_%u", nm->next[b]++);
			pvd_strset_add(&nm->used, name->p, name->len, &added);
			if (added)
				break;
		}
		pvd_rejects_warn(g->rj, g->file, line, PVD_R_DUP_HEADER, "%s: column %zu repeats the name \"%.*s\"; called %s",
				 PVD_R_DUP_HEADER, j + 1, (int)base, name->p, name->p);
	}
	g->colname[j] = xstrndup(name->p, name->len);
	g->colname_len[j] = name->len;
}

static int is_ignored(struct ing *g, const char *s, size_t n)
{
	fold(g, s, n, 0);
	for (size_t i = 0; i < g->prof->nignore; i++)
		if (!strcmp(g->prof->ignore[i], pvd_buf_str(&g->tmp)))
			return 1;
	return 0;
}

/* "montant ("Montant", "MONTANT DETR"); beneficiaire_insee (...)": the
 * required fields (those not found when r is given) and the headers tried. */
static void required_columns(struct ing *g, int only_missing, struct pvd_buf *b)
{
	for (size_t k = 0; k < g->prof->nfields; k++) {
		const struct pvd_profile_field *f = &g->prof->fields[k];
		if ((only_missing && g->field_col[k] != SIZE_MAX) || f->optional)
			continue;
		pvd_buf_printf(b, "%s%s (", b->len ? "; " : "", f->name);
		for (size_t i = 0; i < f->nheaders; i++)
			pvd_buf_printf(b, "%s\"%s\"", i ? ", " : "", f->headers[i]);
		pvd_buf_adds(b, ")");
	}
}

/* "profile P: required column missing: montant ("Montant", ...); headers found: ..." */
static void missing_columns(struct ing *g, const struct pvd_csv_row *r, struct pvd_err *e)
{
	struct pvd_buf b = { 0 }, name = { 0 };
	size_t n = r->ncells;
	required_columns(g, 1, &b);
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
	g->layout = 0; /* a new header: new names */
	g->colname = xcalloc(n, sizeof *g->colname);
	g->colname_len = xcalloc(n, sizeof *g->colname_len);
	g->have_header = 1;
	struct names nm = { 0 };
	for (const char *const *q = provenance; *q; q++)
		pvd_strset_add(&nm.used, *q, strlen(*q), NULL);
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
			names_free(&nm);
			return PVD_EX_DATA;
		}
		json_t *fm = json_object();
		char *used = xcalloc(n ? n : 1, 1);
		int rc = 0;
		for (size_t k = 0; k < g->prof->nfields && !rc; k++) {
			const struct pvd_profile_field *f = &g->prof->fields[k];
			size_t j = g->field_col[k];
			pvd_strset_add(&nm.used, f->name, strlen(f->name), NULL);
			if (j == SIZE_MAX)
				continue;
			used[j] = 1;
			json_object_set(fm, f->name, json_array_get(cols, j));
			size_t j2 = second_match(g, k);
			if (j2 != SIZE_MAX && !f->dup_first) {
				size_t a = j < j2 ? j : j2, b = j < j2 ? j2 : j;
				rc = pvd_err_set(e, PVD_EX_DATA, g->file, r->line, 0,
						 "profile %s: columns %zu (\"%s\") and %zu (\"%s\") both match field %s: rename one, or say duplicates: first for %s in the profile",
						 g->prof->name, a + 1, json_string_value(json_array_get(cols, a)), b + 1,
						 json_string_value(json_array_get(cols, b)), f->name, f->name);
				break;
			}
			/* duplicates: first: the other columns for this field are dropped knowingly. */
			for (size_t i = 0; i < f->nheaders && f->dup_first; i++) {
				long id = pvd_strset_find(&g->hfold, f->keys[i], strlen(f->keys[i]));
				if (id >= 0)
					used[g->hfirst[id]] = 1;
				if (id >= 0 && g->hsecond[id] != SIZE_MAX)
					used[g->hsecond[id]] = 1;
			}
			g->when_col[k] = SIZE_MAX;
			if (!f->when_key)
				continue;
			g->when_col[k] = col_of(g, f->when_key);
			if (g->when_col[k] == SIZE_MAX)
				rc = pvd_err_set(e, PVD_EX_DATA, g->file, r->line, 0,
						 "profile %s: field %s depends on column \"%s\", which is not in the header",
						 g->prof->name, f->name, f->when_header);
		}
		for (size_t k = 0; k < g->prof->nfixed; k++)
			pvd_strset_add(&nm.used, g->prof->fixed_names[k], strlen(g->prof->fixed_names[k]), NULL);
		json_object_set_new(g->info, "fields", fm);
		/* Columns no field took: kept under their header name, or dropped;
		 * a kept name never shadows a canonical field or pvd's own. */
		for (size_t j = 0; j < n && g->prof->keep_others && !rc; j++) {
			if (used[j] || is_ignored(g, r->cell[j], r->len[j]) || cell_blank(r->cell[j], r->len[j]))
				continue;
			pvd_buf_reset(&name);
			pvd_text_clean(r->cell[j], r->len[j], &name);
			if (!name.len) /* only no-break spaces */
				pvd_buf_printf(&name, "_col%zu", j + 1);
			else
				unshadow(g, r->line, j, &name);
			set_colname(g, &nm, r->line, j, &name);
		}
		free(used);
		if (rc) {
			pvd_buf_free(&name);
			names_free(&nm);
			return rc;
		}
	} else {
		for (size_t j = 0; j < n; j++) {
			pvd_buf_reset(&name);
			pvd_text_clean(r->cell[j], r->len[j], &name);
			if (!name.len) {
				pvd_buf_printf(&name, "_col%zu", j + 1);
				pvd_rejects_warn(g->rj, g->file, r->line, PVD_R_BLANK_HEADER, "%s: column %zu has no name; called %s",
						 PVD_R_BLANK_HEADER, j + 1, name.p);
			} else {
				unshadow(g, r->line, j, &name);
			}
			/* A repeated name gets a suffix: fields of a record are distinct. */
			set_colname(g, &nm, r->line, j, &name);
		}
	}
	pvd_buf_free(&name);
	names_free(&nm);
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
		pvd_rejects_warn(g->rj, g->file, r->line, "total-row", "total row not emitted: %s%s%s", label,
				 b.len ? ": " : "", pvd_buf_str(&b));
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
		/* Fixed, field and kept column names are all distinct (profile load,
		 * take_header): appended without lookups. */
		for (size_t k = 0; k < p->nfixed; k++)
			pvd_rec_add(rec, p->fixed_names[k], strlen(p->fixed_names[k]), PVD_STR, p->fixed_values[k],
				    strlen(p->fixed_values[k]));
		for (size_t j = 0; j < g->ncols; j++)
			if (g->colname[j])
				pvd_rec_add(rec, g->colname[j], g->colname_len[j], PVD_STR, r->cell[j], r->len[j]);
	} else {
		for (size_t j = 0; j < g->ncols; j++)
			pvd_rec_add(rec, g->colname[j], g->colname_len[j], PVD_STR, r->cell[j], r->len[j]);
	}
	/* the names depend on the header and the profile only */
	if (!g->layout)
		g->layout = pvd_layout_new();
	rec->layout = g->layout;
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

/* One row read (the hot path; hold() first while the header is not known). */
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
	/* An undecodable row above the header: a title, rejected below and
	 * counted against --skip or the search; the header itself cannot be:
	 * columns cannot be named from text that cannot be read. */
	if (!g->have_header && r->enc_col >= 0 && g->skip > 0)
		g->skip--;
	else if (!g->have_header && r->enc_col >= 0 && g->skip < 0 && !looks_like_header(g, r))
		g->rows_seen++;
	else if (!g->have_header && r->enc_col >= 0)
		return pvd_err_set(e, PVD_EX_DATA, g->file, r->line, 0,
				   "the header row is not valid text: %s at column %ld (%s)",
				   r->enc_byte == PVD_CSV_ENC_BOM ? "a byte-order mark (U+FEFF)"
				   : r->enc_byte ? "an undecodable byte" : "a NUL byte", r->enc_col,
				   r->enc_byte == PVD_CSV_ENC_BOM ? "files put end to end? remove it"
				   : r->enc_byte ? "try --encoding, or --skip"
				   /* NULs in text: UTF-16 too far from ASCII to be detected */
				   : "UTF-16 without a byte-order mark? try --encoding utf-16le or utf-16be");
	if (r->enc_col >= 0) {
		if (r->enc_byte == PVD_CSV_ENC_BOM)
			reject_row(g, r, PVD_R_ENCODING,
				   "line %ld, column %ld: a byte-order mark (U+FEFF) inside the file (files put end to end?)",
				   r->enc_line, r->enc_col);
		else if (!r->enc_byte)
			reject_row(g, r, PVD_R_ENCODING, "line %ld, column %ld: a NUL byte (0x00) is not text",
				   r->enc_line, r->enc_col);
		else
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

/* Header detection without a profile or --skip.  A title row can look like
 * a header ("Export DETR;2021"), so the header is the first row that looks
 * like one and whose cell count most of the rows after it share: rows are
 * held until that can be told, then read again in order. */
static int is_data_like(const struct pvd_csv_row *r)
{
	return r->type == PVD_CSV_ROW && nonblank_cells(r) > 0;
}

static size_t header_width(const struct pvd_csv_row *r)
{
	size_t n = r->ncells;
	while (n > 1 && cell_blank(r->cell[n - 1], r->len[n - 1]))
		n--;
	return n;
}

/* Would row r be read whole under a header of n cells (no missing-cell, no extra-cell)? */
static int fits(const struct pvd_csv_row *r, size_t n)
{
	if (r->ncells < n)
		return 0;
	for (size_t j = n; j < r->ncells; j++)
		if (!cell_blank(r->cell[j], r->len[j]))
			return 0;
	return 1;
}

static void held_free(struct ing *g)
{
	for (size_t i = 0; i < g->nheld; i++) {
		free(g->held[i].blob);
		free(g->held[i].len);
		free(g->held[i].cell);
		free((char *)g->held[i].r.raw);
	}
	free(g->held);
	g->held = NULL;
	g->nheld = g->heldcap = 0;
}

static void held_add(struct ing *g, const struct pvd_csv_row *r)
{
	g->held = xgrow(g->held, &g->heldcap, g->nheld + 1, sizeof *g->held);
	struct held *h = &g->held[g->nheld++];
	h->r = *r;
	size_t total = 0;
	for (size_t j = 0; j < r->ncells; j++)
		total += r->len[j] + 1;
	h->blob = xmalloc(total ? total : 1);
	h->len = xcalloc(r->ncells ? r->ncells : 1, sizeof *h->len);
	h->cell = xcalloc(r->ncells ? r->ncells : 1, sizeof *h->cell);
	char *d = h->blob;
	for (size_t j = 0; j < r->ncells; j++) {
		memcpy(d, r->cell[j], r->len[j] + 1);
		h->cell[j] = d;
		h->len[j] = r->len[j];
		d += r->len[j] + 1;
	}
	char *raw = xmalloc(r->rawlen + 1);
	if (r->rawlen)
		memcpy(raw, r->raw, r->rawlen);
	raw[r->rawlen] = '\0';
	h->r.raw = raw;
	h->r.cell = h->cell;
	h->r.len = h->len;
	h->data_like = is_data_like(&h->r);
	h->candidate = h->data_like && looks_like_header(g, &h->r);
	h->width = header_width(&h->r);
}

/* A spreadsheet row held before its header was known is as wide as the
 * sheet's used area then; pvd_book_next pads rows read after the header to
 * its width, and so must these be: empty trailing cells are not missing. */
static void pad_held(struct held *h, size_t width)
{
	size_t n = h->r.ncells;
	if (n >= width)
		return;
	h->len = xrealloc(h->len, width * sizeof *h->len);
	h->cell = xrealloc(h->cell, width * sizeof *h->cell);
	for (size_t j = n; j < width; j++)
		h->len[j] = 0, h->cell[j] = "";
	h->r.cell = h->cell;
	h->r.len = h->len;
	h->r.ncells = width;
}

/* Does held row i look like a header whose width most of the following
 * rows share?  1 yes, 0 no, -1 not enough rows after it yet. */
static int fits_body(struct ing *g, size_t i, int last)
{
	size_t n = g->held[i].width, seen = 0, ok = 0;
	for (size_t j = i + 1; j < g->nheld && seen < HEADER_LOOKAHEAD; j++)
		if (g->held[j].data_like) {
			seen++;
			ok += fits(&g->held[j].r, n);
		}
	if (seen < HEADER_LOOKAHEAD && !last)
		return -1;
	return seen == 0 || 2 * ok > seen;
}

static int hold(struct ing *g, const struct pvd_csv_row *r, struct pvd_csv *csv, int at_eof,
		struct pvd_err *e)
{
	if (r)
		held_add(g, r);
	int last = at_eof || g->nheld >= HEADER_SEARCH_ROWS + HEADER_LOOKAHEAD;
	/* The first row that looks like a header is it, unless the rows below
	 * do not share its width and a later, wider one's they do: a title. */
	size_t first = 0, header = SIZE_MAX;
	while (first < g->nheld && !g->held[first].candidate)
		first++;
	if (first < g->nheld) {
		int f = fits_body(g, first, last);
		if (f < 0)
			return 0;
		header = first;
		size_t w = g->held[first].width;
		for (size_t h = first + 1; !f && h < g->nheld; h++) {
			if (!g->held[h].candidate || g->held[h].width <= w)
				continue;
			int fh = fits_body(g, h, last);
			if (fh < 0)
				return 0;
			if (fh) {
				header = h;
				break;
			}
		}
		if (header == first && !f && !last)
			return 0; /* a wider header may still come */
	} else if (!last) {
		return 0;
	}
	if (header == SIZE_MAX && !at_eof)
		return pvd_err_set(e, PVD_EX_DATA, g->file, 0, 0, "no header row in the first %d rows (try --skip)",
				   HEADER_SEARCH_ROWS);
	/* Read the held rows again: those above the header as titles. */
	g->detect = 0;
	g->skip = 0;
	for (size_t i = 0; i < g->nheld && i < header; i++) {
		const struct pvd_csv_row *h = &g->held[i].r;
		/* As row() counts them: blank rows, titles and undecodable titles, not
		 * rows csvread could not read. */
		g->skip += h->type == PVD_CSV_BLANK || h->type == PVD_CSV_ROW;
	}
	int rc = 0;
	if (header == SIZE_MAX) /* at the end, and nothing looks like a header */
		g->rows_seen = (long)g->nheld, g->skip = (long)g->nheld + 1;
	for (size_t i = 0; i < g->nheld && !rc; i++) {
		if (g->book && header != SIZE_MAX && i > header)
			pad_held(&g->held[i], g->held[header].width);
		rc = row(g, &g->held[i].r, csv, e);
	}
	held_free(g);
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
	struct stat sb;
	if (fstat(in.fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		rc = pvd_err_set(e, PVD_EX_NOINPUT, in.name, 0, 0, "cannot read: is a directory");
		pvd_input_close(&in);
		return rc;
	}
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
	const struct pvd_ingest_counts cnt0 = *cnt; /* this file's skipped rows: the difference */
	struct ing g = {
		.o = o, .prof = p, .file = book ? pvd_book_where(book) : in.name, .src_file = in.name,
		.file_len = strlen(in.name), .book = book, .rj = rj, .st = st, .cnt = cnt, .sink = sink,
		.skip = o->skip >= 0 ? o->skip : p ? p->skip : -1,
	};
	g.detect = !p && g.skip < 0;
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
		if ((rc = g.detect ? hold(&g, &r, csv, 0, e) : row(&g, &r, csv, e)))
			break;
	if (got > 1)
		rc = got;
	if (!rc && g.detect)
		rc = hold(&g, NULL, csv, 1, e);
	/* No header is a failure, loud: an empty file, a BOM alone, only blank
	 * lines, or no row with the profile's columns would otherwise be a source
	 * silently lost. */
	if (!rc && !g.have_header) {
		rc = PVD_EX_DATA;
		if (p && g.best_matched) {
			*e = g.best;
		} else if (p) {
			struct pvd_buf b = { 0 };
			required_columns(&g, 0, &b);
			pvd_err_set(e, PVD_EX_DATA, g.file, 0, 0, "no header row found for profile %s: looked for %s",
				    p->name, pvd_buf_str(&b));
			pvd_buf_free(&b);
		} else {
			unsigned long long nr = st->inputs[st->ninputs - 1].in;
			if (nr)
				pvd_err_set(e, PVD_EX_DATA, g.file, 0, 0, "no header row found: none of its %llu rows has named cells",
					    nr);
			else
				pvd_err_set(e, PVD_EX_DATA, g.file, 0, 0, "no header row found: %s",
					    csv && pvd_csv_had_bom(csv) ? "the input holds only a byte-order mark" : "the input is empty");
		}
	}
	st->inputs[st->ninputs - 1].bytes = book ? pvd_book_bytes(book) : in.bytes;

	json_object_set_new(g.info, "totals", g.totals);
	json_object_set_new(g.info, "skipped", json_pack("{s:I, s:I, s:I, s:I}", "header", (json_int_t)(cnt->header - cnt0.header),
							  "title", (json_int_t)(cnt->title - cnt0.title), "total",
							  (json_int_t)(cnt->total - cnt0.total), "blank", (json_int_t)(cnt->blank - cnt0.blank)));
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
	held_free(&g);
	pvd_strset_free(&g.hfold);
	free(g.hfirst);
	free(g.hsecond);
	pvd_buf_free(&g.tmp);
	pvd_rec_free(&g.rec);
	if (csv)
		pvd_csv_close(csv);
	pvd_book_close(book);
	pvd_input_close(&in);
	return rc;
}
