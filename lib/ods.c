/* ods — OpenDocument spreadsheets (LibreOffice, OpenOffice, Google Sheets).
 *
 * Everything is in content.xml: the table styles (a hidden sheet is one
 * whose style says table:display="false"), then the tables in order.  The
 * file is read twice: once on opening, for the sheets, whether they are
 * hidden and their used width; then from the start to the chosen table,
 * streamed row by row.  A cell holds its value in attributes
 * (office:value, office:date-value...) and its text in text:p paragraphs;
 * table:number-columns-repeated and table:number-rows-repeated repeat a
 * cell or a row: empty ones only move the position, so that the million
 * empty rows a sheet declares at its end cost nothing. */
#include "sheetdrv.h"
#include "sheetxml.h"
#include "xmem.h"
#include "zipsafe.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0|"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0|"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0|"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0|"
#define NS_NUMBER "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0|"
#define NS_CALCEXT "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0|"

/* A style's kind, for what the value attributes do not say: 'b' boolean
 * (LibreOffice keeps an xlsx boolean as a number in a boolean format), 'd'
 * date, 't' date-time (a midnight shown as such). */
struct kstyle {
	char *name;
	char kind;
};

struct kstyles {
	struct kstyle *v;
	size_t n, cap;
};

static void kstyle_add(struct kstyles *l, const char *name, char kind)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct kstyle){ xstrdup(name), kind };
}

static char kstyle_kind(const struct kstyles *l, const char *name)
{
	for (size_t i = 0; name && i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return l->v[i].kind;
	return 0;
}

static void kstyles_free(struct kstyles *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
}

struct ods {
	struct pvd_zip *z;
	struct pvd_book *b;
	struct pvd_xml x;
	int open, scanning;
	struct kstyles data_styles, cell_styles;
	int in_date_style;
	char cellkind;
	char **hidden_styles;          /* table styles with display false */
	size_t nhidden, hidden_cap;
	size_t *widths;                /* used width per table (scan) */
	size_t widths_cap;
	long table;                    /* index of the current table, -1 before */
	long want;                     /* the table being read */
	int in_table, depth_sub;       /* inside the table; nested tables */
	long line;                     /* last row number */
	long col;                      /* next column */
	long rowrep, replay;
	int row_ready, done;
	/* the cell */
	int in_cell, in_p, in_annot, npara;
	long colrep;
	char vtype[16];
	int is_error, has_formula, has_val;
	struct pvd_buf style, val, text, formula;
	int overflow;
	size_t width;                  /* scan: this table's used width */
};

static struct ods *O(struct pvd_xml *x) { return x->ud; }

static long num_attr(const char **atts, const char *full)
{
	const char *v = pvd_xml_attr_ns(atts, full);
	long n = v ? strtol(v, NULL, 10) : 1;
	return n < 1 ? 1 : n;
}

static void set_buf(struct pvd_buf *b, const char *s)
{
	pvd_buf_reset(b);
	if (s)
		pvd_buf_adds(b, s);
}

static void addtext(struct ods *s, const char *t, size_t n)
{
	if (s->text.len + n > s->b->field_cap) {
		s->overflow = 1;
		return;
	}
	pvd_buf_add(&s->text, t, n);
}

static void XMLCALL start(void *ud, const char *name, const char **atts)
{
	struct ods *s = O(ud);
	if (!strncmp(name, NS_TEXT, sizeof NS_TEXT - 1)) {
		const char *l = name + sizeof NS_TEXT - 1;
		if (!s->in_cell || s->in_annot)
			return;
		if (!strcmp(l, "p")) {
			if (s->npara++)
				addtext(s, "\n", 1);
			s->in_p = 1;
		} else if (!strcmp(l, "s") && s->in_p) {
			long c = num_attr(atts, NS_TEXT "c");
			for (long i = 0; i < c && !s->overflow; i++)
				addtext(s, " ", 1);
		} else if (!strcmp(l, "tab") && s->in_p) {
			addtext(s, "\t", 1);
		} else if (!strcmp(l, "line-break") && s->in_p) {
			addtext(s, "\n", 1);
		}
		return;
	}
	if (!strcmp(name, NS_OFFICE "annotation")) {
		s->in_annot++;
		return;
	}
	if (!strncmp(name, NS_TABLE, sizeof NS_TABLE - 1)) {
		const char *l = name + sizeof NS_TABLE - 1;
		if (!strcmp(l, "table")) {
			if (s->in_table) {
				s->depth_sub++;
				return;
			}
			s->table++;
			s->in_table = 1;
			s->line = 0;
			s->width = 0;
			if (s->scanning) {
				const char *n = pvd_xml_attr_ns(atts, NS_TABLE "name"),
					   *st = pvd_xml_attr_ns(atts, NS_TABLE "style-name");
				int hidden = 0;
				for (size_t i = 0; st && i < s->nhidden; i++)
					hidden |= !strcmp(st, s->hidden_styles[i]);
				char def[32];
				if (!n)
					snprintf(def, sizeof def, "Sheet%ld", s->table + 1), n = def;
				pvd_book_add_sheet(s->b, n, strlen(n), hidden ? PVD_SHEET_HIDDEN : PVD_SHEET_VISIBLE);
			}
		} else if (!s->in_table || s->depth_sub || (!s->scanning && s->table != s->want)) {
			return;
		} else if (!strcmp(l, "table-row")) {
			s->rowrep = num_attr(atts, NS_TABLE "number-rows-repeated");
			if (s->line + 1 > PVD_SHEET_MAX_ROWS) {
				s->line += s->rowrep;   /* past the limit: only empty rows may follow */
				s->col = -2;
				return;
			}
			s->col = 0;
			pvd_rowb_start(&s->b->rb, s->line + 1);
		} else if (!strcmp(l, "table-cell") || !strcmp(l, "covered-table-cell")) {
			s->in_cell = 1;
			s->npara = 0;
			s->overflow = 0;
			s->colrep = num_attr(atts, NS_TABLE "number-columns-repeated");
			const char *vt = pvd_xml_attr_ns(atts, NS_OFFICE "value-type"),
				   *ce = pvd_xml_attr_ns(atts, NS_CALCEXT "value-type"),
				   *f = pvd_xml_attr_ns(atts, NS_TABLE "formula");
			snprintf(s->vtype, sizeof s->vtype, "%s", vt ? vt : "");
			s->cellkind = vt ? kstyle_kind(&s->cell_styles, pvd_xml_attr_ns(atts, NS_TABLE "style-name")) : 0;
			s->is_error = ce && !strcmp(ce, "error");
			s->has_formula = f != NULL;
			pvd_buf_reset(&s->formula);
			if (f)
				pvd_buf_add(&s->formula, f, strnlen(f, 80));
			pvd_buf_reset(&s->text);
			const char *v = NULL;
			if (!strcmp(s->vtype, "float") || !strcmp(s->vtype, "currency") || !strcmp(s->vtype, "percentage"))
				v = pvd_xml_attr_ns(atts, NS_OFFICE "value");
			else if (!strcmp(s->vtype, "date"))
				v = pvd_xml_attr_ns(atts, NS_OFFICE "date-value");
			else if (!strcmp(s->vtype, "time"))
				v = pvd_xml_attr_ns(atts, NS_OFFICE "time-value");
			else if (!strcmp(s->vtype, "boolean"))
				v = pvd_xml_attr_ns(atts, NS_OFFICE "boolean-value");
			else if (!strcmp(s->vtype, "string"))
				v = pvd_xml_attr_ns(atts, NS_OFFICE "string-value");
			set_buf(&s->val, v);
			s->has_val = v != NULL;       /* else the text is the value */
			if (s->col == -2 && (vt || f))
				pvd_xml_fail(ud, "refused: a value beyond row %ld", PVD_SHEET_MAX_ROWS);
		}
		return;
	}
	if (s->scanning && !strcmp(name, NS_STYLE "table-properties")) {
		const char *d = pvd_xml_attr_ns(atts, NS_TABLE "display");
		if (d && !strcmp(d, "false") && s->style.len) {
			size_t cap = s->hidden_cap;
			s->hidden_styles = xgrow(s->hidden_styles, &cap, s->nhidden + 1, sizeof *s->hidden_styles);
			s->hidden_cap = cap;
			s->hidden_styles[s->nhidden++] = xstrdup(s->style.p);
		}
	} else if (s->scanning && !strcmp(name, NS_STYLE "style")) {
		const char *n = pvd_xml_attr_ns(atts, NS_STYLE "name"), *fam = pvd_xml_attr_ns(atts, NS_STYLE "family");
		set_buf(&s->style, n);
		char k = kstyle_kind(&s->data_styles, pvd_xml_attr_ns(atts, NS_STYLE "data-style-name"));
		if (n && k && fam && !strcmp(fam, "table-cell"))
			kstyle_add(&s->cell_styles, n, k);
	} else if (s->scanning && !strncmp(name, NS_NUMBER, sizeof NS_NUMBER - 1)) {
		const char *l = name + sizeof NS_NUMBER - 1, *n = pvd_xml_attr_ns(atts, NS_STYLE "name");
		if (n && (!strcmp(l, "boolean-style") || !strcmp(l, "date-style")))
			kstyle_add(&s->data_styles, n, l[0] == 'b' ? 'b' : 'd');
		if (strstr(l, "-style"))
			s->in_date_style = !strcmp(l, "date-style");
		if (!strcmp(l, "hours") && s->in_date_style && s->data_styles.n)
			s->data_styles.v[s->data_styles.n - 1].kind = 't';
	}
}

/* "PT10H28M05S" (hours may pass 24) → "10:28:05", seconds left out when 0. */
static size_t ods_time(const char *v, char *out, size_t cap)
{
	double h = 0, m = 0, sec = 0;
	if (strncmp(v, "PT", 2))
		return 0;
	const char *p = v + 2;
	while (*p) {
		char *end;
		double x = strtod(p, &end);
		if (end == p)
			return 0;
		if (*end == 'H')
			h = x;
		else if (*end == 'M')
			m = x;
		else if (*end == 'S')
			sec = x;
		else
			return 0;
		p = end + 1;
	}
	long t = (long)(h * 3600 + m * 60 + sec + 0.5);
	int n = snprintf(out, cap, "%02ld:%02ld", t / 3600, t / 60 % 60);
	if (t % 60)
		n += snprintf(out + n, cap - (size_t)n, ":%02ld", t % 60);
	return (size_t)n;
}

static void cell_end(struct ods *s)
{
	struct pvd_rowb *rb = &s->b->rb;
	char num[400];
	const char *text = pvd_buf_str(&s->text);
	size_t n = s->text.len;
	long col = s->col;
	s->in_cell = 0;
	s->col += s->colrep;
	if (s->col > PVD_SHEET_MAX_COLS)
		s->col = PVD_SHEET_MAX_COLS;
	if (col >= PVD_SHEET_MAX_COLS)
		return;
	int has_val = s->has_val;
	if (s->overflow) {
		pvd_rowb_bad(rb, col, PVD_R_FIELD_TOO_LARGE, "cell larger than %zu bytes", s->b->field_cap);
		return;
	}
	if (s->is_error) {
		pvd_rowb_bad(rb, col, PVD_R_CELL_ERROR, "error value %.40s", text);
		pvd_rowb_keep(rb, col, text, n);
		return;
	}
	if (s->has_formula && !s->vtype[0]) {
		pvd_rowb_bad(rb, col, PVD_R_NO_VALUE, "formula %s has no value (the file was saved without computing it)",
			     pvd_buf_str(&s->formula));
		pvd_rowb_keep(rb, col, s->formula.p ? s->formula.p : "", s->formula.len);
		return;
	}
	if (!strcmp(s->vtype, "float") || !strcmp(s->vtype, "currency") || !strcmp(s->vtype, "percentage")) {
		char *end;
		double d = has_val ? strtod(s->val.p, &end) : 0;
		if (!has_val || end == s->val.p || *end || !(n = pvd_num_text(d, num, sizeof num))) {
			pvd_rowb_bad(rb, col, PVD_R_TYPE, "not a number: \"%.40s\"", has_val ? s->val.p : "");
			pvd_rowb_keep(rb, col, has_val ? s->val.p : "", has_val ? s->val.len : 0);
			return;
		}
		/* A boolean kept as a number: by its format, or shown TRUE/FALSE
		 * (=TRUE() in a file LibreOffice read from xlsx). */
		int shown = (d == 1 && !strcmp(text, "TRUE")) || (d == 0 && !strcmp(text, "FALSE"));
		text = num;
		if (s->cellkind == 'b' || shown)
			text = d != 0 ? "TRUE" : "FALSE", n = strlen(text);
	} else if (!strcmp(s->vtype, "date") && has_val) {
		/* "2021-11-05T10:28:00" → "2021-11-05T10:28"; the time left out
		 * when the format has none, or (format unknown) at midnight. */
		text = s->val.p;
		n = strnlen(text, 19);
		if (n > 10 && (s->cellkind == 'd' || (!s->cellkind && n == 19 && !strcmp(text + 10, "T00:00:00"))))
			n = 10;
		else if (n == 19 && !strncmp(text + 16, ":00", 3))
			n = 16;
		if (n == 10 && s->cellkind == 't') {
			/* a date-time format showing a midnight LibreOffice stored as a date */
			snprintf(num, sizeof num, "%.10sT00:00", text);
			text = num;
			n = 16;
		}
	} else if (!strcmp(s->vtype, "time") && has_val) {
		if (!(n = ods_time(s->val.p, num, sizeof num))) {
			pvd_rowb_bad(rb, col, PVD_R_TYPE, "not a time: \"%.40s\"", s->val.p);
			pvd_rowb_keep(rb, col, s->val.p, s->val.len);
			return;
		}
		text = num;
	} else if (!strcmp(s->vtype, "boolean") && has_val) {
		int t = !strcmp(s->val.p, "true") || !strcmp(s->val.p, "1");
		text = t ? "TRUE" : "FALSE";
		n = strlen(text);
	} else if (!strcmp(s->vtype, "string") && has_val) {
		text = s->val.p;
		n = s->val.len;
	}
	if (s->scanning) {
		if (n)
			s->width = (size_t)(col + s->colrep < PVD_SHEET_MAX_COLS ? col + s->colrep : PVD_SHEET_MAX_COLS);
		return;
	}
	/* A value repeated across columns is a value in each of them. */
	for (long k = 0; n && k < s->colrep && col + k < PVD_SHEET_MAX_COLS && !rb->bad_reason; k++)
		pvd_rowb_cell(rb, col + k, text, n);
}

static void XMLCALL end(void *ud, const char *name)
{
	struct ods *s = O(ud);
	if (!strncmp(name, NS_TEXT, sizeof NS_TEXT - 1)) {
		if (!strcmp(name + sizeof NS_TEXT - 1, "p") && !s->in_annot)
			s->in_p = 0;
		return;
	}
	if (!strcmp(name, NS_OFFICE "annotation")) {
		s->in_annot--;
		return;
	}
	if (strncmp(name, NS_TABLE, sizeof NS_TABLE - 1))
		return;
	const char *l = name + sizeof NS_TABLE - 1;
	if (!strcmp(l, "table")) {
		if (s->depth_sub) {
			s->depth_sub--;
			return;
		}
		s->in_table = 0;
		if (s->scanning) {
			size_t cap = s->widths_cap;
			s->widths = xgrow(s->widths, &cap, (size_t)s->table + 1, sizeof *s->widths);
			s->widths_cap = cap;
			s->widths[s->table] = s->width;
		} else if (s->table == s->want) {
			s->done = 1;
			pvd_xml_suspend(ud);
		}
		return;
	}
	if (!s->in_table || s->depth_sub || (!s->scanning && s->table != s->want))
		return;
	if (!strcmp(l, "table-cell") || !strcmp(l, "covered-table-cell")) {
		if (s->col >= 0)
			cell_end(s);
		else
			s->in_cell = 0;
	} else if (!strcmp(l, "table-row")) {
		if (s->col == -2)
			return;
		struct pvd_rowb *rb = &s->b->rb;
		long first = s->line + 1;
		s->line += s->rowrep;
		if (s->scanning || (!rb->n && !rb->bad_reason))
			return;
		if (s->line > PVD_SHEET_MAX_ROWS)
			s->line = PVD_SHEET_MAX_ROWS;
		s->replay = s->line - first;
		s->line = first;
		s->row_ready = 1;
		pvd_xml_suspend(ud);
	}
}

static void XMLCALL chars(void *ud, const char *t, int n)
{
	struct ods *s = O(ud);
	if (s->in_cell && s->in_p && !s->in_annot && s->col >= 0)
		addtext(s, t, (size_t)n);
}

static int ods_begin(struct pvd_book *b, size_t idx, struct pvd_err *e)
{
	struct ods *s = b->impl;
	if (s->open)
		pvd_xml_close(&s->x);
	s->open = 0;
	s->scanning = 0;
	s->table = -1;
	s->want = (long)idx;
	s->in_table = s->depth_sub = s->in_cell = s->in_p = s->in_annot = 0;
	s->replay = 0;
	s->done = 0;
	b->width_hint = idx < s->widths_cap ? s->widths[idx] : 0;
	int rc = pvd_xml_open(&s->x, s->z, pvd_book_where(b), "content.xml", 1, s, start, end, chars, e);
	if (rc)
		return rc;
	s->x.bytes = &b->bytes;
	s->open = 1;
	return 0;
}

static int ods_next(struct pvd_book *b, struct pvd_rowb *rb, struct pvd_err *e)
{
	struct ods *s = b->impl;
	if (s->replay > 0) {
		/* The same row again, one line down: its cells are still in rb. */
		s->replay--;
		rb->line = ++s->line;
		return 1;
	}
	if (!s->open || s->done)
		return 0;
	s->row_ready = 0;
	int rc = pvd_xml_run(&s->x, e);
	if (rc == 1 && s->row_ready)
		return 1;
	if (rc == 1 && s->done)
		rc = 0;
	pvd_xml_close(&s->x);
	s->open = 0;
	return rc;
}

static void ods_close(struct pvd_book *b)
{
	struct ods *s = b->impl;
	if (!s)
		return;
	if (s->open)
		pvd_xml_close(&s->x);
	for (size_t i = 0; i < s->nhidden; i++)
		free(s->hidden_styles[i]);
	free(s->hidden_styles);
	free(s->widths);
	pvd_buf_free(&s->val);
	pvd_buf_free(&s->style);
	kstyles_free(&s->data_styles);
	kstyles_free(&s->cell_styles);
	pvd_buf_free(&s->text);
	pvd_buf_free(&s->formula);
	pvd_zip_close(s->z);
	free(s);
	b->impl = NULL;
}

const struct pvd_book_ops pvd_ods_ops = { ods_begin, ods_next, ods_close };

int pvd_ods_open(struct pvd_book *b, struct pvd_zip *z, struct pvd_err *e)
{
	struct ods *s = xcalloc(1, sizeof *s);
	s->z = z;
	s->b = b;
	b->impl = s;
	b->ops = &pvd_ods_ops;
	int rc;
	/* An encrypted document lists its encryption in the manifest; its
	 * content.xml is then no XML. */
	if (pvd_zip_has(z, "META-INF/manifest.xml")) {
		struct pvd_buf m = { 0 };
		rc = pvd_zip_slurp(z, "META-INF/manifest.xml", 16u << 20, &m, e);
		int enc = !rc && strstr(pvd_buf_str(&m), "encryption-data");
		pvd_buf_free(&m);
		if (rc)
			return rc;
		if (enc)
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
					   "password-protected: the workbook is encrypted (save it without a password)");
	}
	s->scanning = 1;
	s->table = -1;
	s->want = -1;
	/* Data styles (date, boolean formats) live in styles.xml or content.xml. */
	rc = pvd_zip_has(z, "styles.xml")
			 ? pvd_xml_parse_part(&s->x, z, b->file, "styles.xml", 1, s, start, end, chars, e)
			 : 0;
	if (rc)
		return rc;
	return pvd_xml_parse_part(&s->x, z, b->file, "content.xml", 1, s, start, end, chars, e);
}
