/* xlsx — Office Open XML workbooks (Excel 2007+, LibreOffice, openpyxl...).
 *
 * Parts read: xl/workbook.xml (sheets, states, the 1904 flag), its
 * relationships (where each sheet lives), xl/styles.xml (which cell
 * formats are dates), xl/sharedStrings.xml (loaded whole: any row may cite
 * any string), then the chosen sheet, streamed row by row. */
#include "sheetdrv.h"
#include "sheetxml.h"
#include "xmem.h"
#include "zipsafe.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SMALL_PART (16u << 20)       /* workbook, relationships, styles */
#define MAX_SHARED_BYTES (1ULL << 30)

struct xsheet {
	char *rid, *part;
};

struct xlsx {
	struct pvd_zip *z;
	int date1904;
	struct xsheet *xs;             /* parallel to b->sheets */
	/* shared strings: one buffer, NUL-separated */
	struct pvd_buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;
	/* styles: date kind (0, 1 date, 2 date-time, 3 time) per cell format */
	unsigned char *xf_kind;
	size_t nxf, xf_cap;
	long *fmt_id;                  /* custom formats: id and kind */
	unsigned char *fmt_kind;
	size_t nfmt, fmt_cap;
	/* parsing state */
	struct pvd_book *b;
	struct pvd_xml x;
	int open;                      /* x is open on a sheet */
	int depth_rph, in_t, in_is, in_v, in_f, in_cellxfs, in_si, row_ready, in_row;
	struct pvd_buf text, formula;
	int overflow;
	long line, col;
	char t;                        /* cell type: n s b e d i (inlineStr) r (str) */
	long style;
	int has_v, has_f;
	char *rels_sst, *rels_styles;
};

static struct xlsx *X(struct pvd_xml *x) { return x->ud; }

static void addtext(struct xlsx *s, struct pvd_buf *b, const char *t, int n, size_t cap)
{
	if (b->len + (size_t)n > cap) {
		s->overflow = 1;
		return;
	}
	pvd_buf_add(b, t, (size_t)n);
}

/* OOXML writes control characters as _xHHHH_ (and "_" before such text as _x005F_). */
static void unescape(struct pvd_buf *b)
{
	if (!b->p || !memchr(b->p, '_', b->len))
		return;
	size_t o = 0;
	for (size_t i = 0; i < b->len;) {
		unsigned v;
		char hex[5];
		if (b->p[i] == '_' && i + 6 < b->len + 0 && b->p[i + 1] == 'x' && b->p[i + 6] == '_') {
			memcpy(hex, b->p + i + 2, 4);
			hex[4] = '\0';
			char *end;
			v = (unsigned)strtoul(hex, &end, 16);
			if (!*end && end == hex + 4 && v) {
				if (v < 0x80)
					b->p[o++] = (char)v;
				else if (v < 0x800)
					b->p[o++] = (char)(0xC0 | v >> 6), b->p[o++] = (char)(0x80 | (v & 63));
				else
					b->p[o++] = (char)(0xE0 | v >> 12), b->p[o++] = (char)(0x80 | (v >> 6 & 63)),
					b->p[o++] = (char)(0x80 | (v & 63));
				i += 7;
				continue;
			}
		}
		b->p[o++] = b->p[i++];
	}
	b->len = o;
	b->p[o] = '\0';
}

static int parse_part(struct xlsx *s, const char *part, XML_StartElementHandler st, XML_EndElementHandler en,
		      XML_CharacterDataHandler tx, struct pvd_err *e)
{
	return pvd_xml_parse_part(&s->x, s->z, s->b->file, part, 0, s, st, en, tx, e);
}

/* ---- workbook.xml ---- */

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	if (!strcmp(l, "workbookPr")) {
		const char *v = pvd_xml_attr(atts, "date1904");
		s->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	} else if (!strcmp(l, "sheet")) {
		const char *n = pvd_xml_attr(atts, "name"), *st = pvd_xml_attr(atts, "state"), *id = NULL;
		for (size_t i = 0; atts[i]; i += 2)
			if (!strcmp(pvd_xml_local(atts[i]), "id") && pvd_xml_local(atts[i]) != atts[i])
				id = atts[i + 1];
		if (!n || !id) {
			pvd_xml_fail(ud, "corrupt workbook: a sheet without a name or a relationship");
			return;
		}
		int state = !st || !strcmp(st, "visible") ? PVD_SHEET_VISIBLE
			    : !strcmp(st, "veryHidden")   ? PVD_SHEET_VERY_HIDDEN
							  : PVD_SHEET_HIDDEN;
		size_t cap = s->b->nsheets;
		s->xs = xgrow(s->xs, &cap, s->b->nsheets + 1, sizeof *s->xs);
		s->xs[s->b->nsheets] = (struct xsheet){ xstrdup(id), NULL };
		pvd_book_add_sheet(s->b, n, strlen(n), state);
	}
}

static void XMLCALL no_end(void *ud, const char *name) {}
static void XMLCALL no_text(void *ud, const char *t, int n) {}

/* ---- relationships ---- */

static char *target_part(const char *t)
{
	if (strstr(t, "..") || strchr(t, '\\') || strchr(t, ':'))
		return NULL;
	if (*t == '/')
		return xstrdup(t + 1);
	size_t n = strlen(t) + 4;
	char *p = xmalloc(n);
	snprintf(p, n, "xl/%s", t);
	return p;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static void XMLCALL rel_start(void *ud, const char *name, const char **atts)
{
	struct xlsx *s = X(ud);
	if (strcmp(pvd_xml_local(name), "Relationship"))
		return;
	const char *id = pvd_xml_attr(atts, "Id"), *ty = pvd_xml_attr(atts, "Type"),
		   *tg = pvd_xml_attr(atts, "Target"), *mode = pvd_xml_attr(atts, "TargetMode");
	if (!id || !ty || !tg)
		return;
	int sheet = -1;
	for (size_t i = 0; i < s->b->nsheets; i++)
		if (!strcmp(s->xs[i].rid, id))
			sheet = (int)i;
	int sst = ends_with(ty, "/sharedStrings"), sty = ends_with(ty, "/styles");
	if (sheet < 0 && !sst && !sty)
		return;
	char *part = mode && !strcmp(mode, "External") ? NULL : target_part(tg);
	if (!part) {
		pvd_xml_fail(ud, "refused: the workbook points outside itself (%s)", tg);
		return;
	}
	char **slot = sheet >= 0 ? &s->xs[sheet].part : sst ? &s->rels_sst : &s->rels_styles;
	free(*slot);
	*slot = part;
}

/* ---- styles.xml ---- */

static void XMLCALL sty_start(void *ud, const char *name, const char **atts)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	if (!strcmp(l, "numFmt")) {
		const char *id = pvd_xml_attr(atts, "numFmtId"), *code = pvd_xml_attr(atts, "formatCode");
		if (!id || !code)
			return;
		size_t cap = s->fmt_cap;
		s->fmt_id = xgrow(s->fmt_id, &cap, s->nfmt + 1, sizeof *s->fmt_id);
		cap = s->fmt_cap;
		s->fmt_kind = xgrow(s->fmt_kind, &cap, s->nfmt + 1, sizeof *s->fmt_kind);
		s->fmt_cap = cap;
		s->fmt_id[s->nfmt] = strtol(id, NULL, 10);
		s->fmt_kind[s->nfmt++] = (unsigned char)pvd_numfmt_kind(code);
	} else if (!strcmp(l, "cellXfs")) {
		s->in_cellxfs = 1;
	} else if (!strcmp(l, "xf") && s->in_cellxfs) {
		const char *id = pvd_xml_attr(atts, "numFmtId");
		long v = id ? strtol(id, NULL, 10) : 0;
		int kind = pvd_numfmt_builtin(v);
		for (size_t i = 0; i < s->nfmt; i++)
			if (s->fmt_id[i] == v)
				kind = s->fmt_kind[i];
		s->xf_kind = xgrow(s->xf_kind, &s->xf_cap, s->nxf + 1, 1);
		s->xf_kind[s->nxf++] = (unsigned char)kind;
	}
}

static void XMLCALL sty_end(void *ud, const char *name)
{
	if (!strcmp(pvd_xml_local(name), "cellXfs"))
		X(ud)->in_cellxfs = 0;
}

/* ---- sharedStrings.xml ---- */

static void XMLCALL sst_start(void *ud, const char *name, const char **atts)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	if (!strcmp(l, "si")) {
		s->in_si = 1;
		pvd_buf_reset(&s->text);
		s->overflow = 0;
	} else if (!strcmp(l, "rPh")) {
		s->depth_rph++;
	} else if (!strcmp(l, "t")) {
		s->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const char *name)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->depth_rph--;
	} else if (!strcmp(l, "si") && s->in_si) {
		s->in_si = 0;
		unescape(&s->text);
		if (s->sst.len + s->text.len + 1 > MAX_SHARED_BYTES) {
			pvd_xml_fail(ud, "refused: shared strings larger than %llu bytes", MAX_SHARED_BYTES);
			return;
		}
		s->sst_off = xgrow(s->sst_off, &s->sst_cap, s->nsst + 2, sizeof *s->sst_off);
		s->sst_off[s->nsst++] = s->sst.len;
		pvd_buf_add(&s->sst, s->text.p ? s->text.p : "", s->text.len);
		pvd_buf_addc(&s->sst, '\0');
		s->sst_off[s->nsst] = s->sst.len;
	}
}

static void XMLCALL sst_text(void *ud, const char *t, int n)
{
	struct xlsx *s = X(ud);
	if (s->in_si && s->in_t && !s->depth_rph)
		addtext(s, &s->text, t, n, MAX_SHARED_BYTES); /* a long one: a cell citing it is too large */
}

/* ---- the sheet ---- */

static void XMLCALL sh_start(void *ud, const char *name, const char **atts)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	switch (l[0]) {
	case 'c':
		if (l[1])
			break;
		{
			const char *r = pvd_xml_attr(atts, "r"), *t = pvd_xml_attr(atts, "t"),
				   *st = pvd_xml_attr(atts, "s");
			long col = s->col + 1, line = -1;
			if (!s->in_row) {
				pvd_xml_fail(ud, "corrupt workbook: a cell outside a row, after row %ld", s->line);
				return;
			}
			if (r && (pvd_cellref_parse(r, &col, &line) || col < 0 || (line >= 0 && line != s->line))) {
				pvd_xml_fail(ud, "corrupt workbook: cell reference \"%.20s\" in row %ld", r, s->line);
				return;
			}
			if (col >= PVD_SHEET_MAX_COLS) {
				pvd_xml_fail(ud, "corrupt workbook: a cell beyond column %ld in row %ld", PVD_SHEET_MAX_COLS,
					     s->line);
				return;
			}
			s->col = col;
			s->t = !t ? 'n' : !strcmp(t, "inlineStr") ? 'i' : !strcmp(t, "str") ? 'r' : t[0];
			s->style = st ? strtol(st, NULL, 10) : 0;
			s->has_v = s->has_f = 0;
			s->overflow = 0;
			pvd_buf_reset(&s->text);
			pvd_buf_reset(&s->formula);
		}
		return;
	case 'v':
		if (!l[1])
			s->in_v = 1, s->has_v = 1;
		return;
	case 'f':
		if (!l[1])
			s->in_f = 1, s->has_f = 1;
		return;
	case 'i':
		if (!strcmp(l, "is"))
			s->in_is = 1;
		return;
	case 't':
		if (!l[1] && s->in_is)
			s->in_t = 1;
		return;
	case 'r':
		if (!strcmp(l, "row")) {
			const char *r = pvd_xml_attr(atts, "r");
			long line = s->line + 1, col;
			if (r && (pvd_cellref_parse(r, &col, &line) || col >= 0 || line < 0)) {
				pvd_xml_fail(ud, "corrupt workbook: row number \"%.20s\"", r);
				return;
			}
			if (line <= s->line || line > PVD_SHEET_MAX_ROWS) {
				pvd_xml_fail(ud, "corrupt workbook: row %ld after row %ld", line, s->line);
				return;
			}
			s->line = line;
			s->col = -1;
			s->in_row = 1;
			pvd_rowb_start(&s->b->rb, line);
		} else if (!strcmp(l, "rPh")) {
			s->depth_rph++;
		}
		return;
	case 'd':
		if (!strcmp(l, "dimension")) {
			const char *ref = pvd_xml_attr(atts, "ref"), *colon = ref ? strchr(ref, ':') : NULL;
			long col, line;
			if (colon && !pvd_cellref_parse(colon + 1, &col, &line) && col >= 0)
				s->b->width_hint = (size_t)col + 1;
		}
		return;
	}
}

/* The text of a number as written, when it is already its shortest exact
 * text but for zeros ("-0012.50" is "-12.5"): digits with at most one
 * point, at most 15 significant digits (DBL_DIG: such a decimal is the
 * shortest text of the double it reads as).  0 when it is not that simple. */
static size_t short_decimal(const char *v, size_t n, char *out)
{
	const char *p = v, *end = v + n;
	int neg = p < end && *p == '-';
	p += neg;
	while (p + 1 < end && *p == '0' && p[1] != '.')
		p++;
	const char *ib = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	const char *ie = p, *fb = p, *fe = p;
	if (p < end && *p == '.') {
		fb = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		fe = p;
		while (fe > fb && fe[-1] == '0')
			fe--;
	}
	if (p != end || ie == ib)
		return 0;
	size_t sig = (size_t)(ie - ib) + (size_t)(fe - fb);
	if (ie - ib == 1 && *ib == '0') {
		/* 0.000123: leading zeros of the fraction are not significant */
		sig = (size_t)(fe - fb);
		for (const char *c = fb; c < fe && *c == '0'; c++)
			sig--;
	}
	if (sig > 15)
		return 0;
	size_t k = 0;
	int zero = ie - ib == 1 && *ib == '0' && fe == fb;
	if (neg && !zero)
		out[k++] = '-';
	memcpy(out + k, ib, (size_t)(ie - ib)), k += (size_t)(ie - ib);
	if (fe > fb) {
		out[k++] = '.';
		memcpy(out + k, fb, (size_t)(fe - fb)), k += (size_t)(fe - fb);
	}
	out[k] = '\0';
	return k;
}

static void cell_value(struct xlsx *s)
{
	struct pvd_rowb *rb = &s->b->rb;
	char t = s->t, num[400];
	if (s->overflow) {
		pvd_rowb_bad(rb, s->col, PVD_R_FIELD_TOO_LARGE, "cell larger than %zu bytes", s->b->field_cap);
		return;
	}
	/* A formula never computed has no <v>, or (openpyxl) an empty one. */
	if (s->has_f && (!s->has_v || (!s->text.len && t != 'r')) && t != 'i') {
		pvd_rowb_bad(rb, s->col, PVD_R_NO_VALUE, "formula =%s has no value (the file was saved without computing it)",
			     pvd_buf_str(&s->formula));
		pvd_rowb_keep(rb, s->col, num, (size_t)snprintf(num, sizeof num, "=%.256s", pvd_buf_str(&s->formula)));
		return;
	}
	const char *v = pvd_buf_str(&s->text);
	if (t == 'i' || t == 'r') {
		unescape(&s->text);
		pvd_rowb_cell(rb, s->col, s->text.p, s->text.len);
	} else if (!s->has_v) {
		return;
	} else if (t == 's') {
		char *end;
		errno = 0;
		unsigned long long k = strtoull(v, &end, 10);
		if (end == v || *end || errno || *v == '-' || k >= s->nsst) {
			pvd_xml_fail(&s->x, "corrupt workbook: %s cites shared string %.20s, out of range (%zu strings)",
				     (pvd_cellref(s->col, s->line, num, sizeof num), num), v, s->nsst);
			return;
		}
		size_t off = s->sst_off[k], n = s->sst_off[k + 1] - off - 1;
		pvd_rowb_cell(rb, s->col, s->sst.p + off, n);
	} else if (t == 'b') {
		pvd_rowb_cell(rb, s->col, !strcmp(v, "1") ? "TRUE" : "FALSE", !strcmp(v, "1") ? 4 : 5);
	} else if (t == 'e') {
		pvd_rowb_bad(rb, s->col, PVD_R_CELL_ERROR, "error value %.40s", v);
		pvd_rowb_keep(rb, s->col, v, s->text.len);
	} else if (t == 'd') {
		/* ISO 8601 text already; midnight and zero seconds left out. */
		size_t n = s->text.len;
		if (n > 19)
			n = 19;
		if (n == 19 && !strcmp(v + 10, "T00:00:00"))
			n = 10;
		else if (n == 19 && !strncmp(v + 16, ":00", 3))
			n = 16;
		pvd_rowb_cell(rb, s->col, v, n);
	} else {
		char *end;
		int kind = s->style >= 0 && (size_t)s->style < s->nxf ? s->xf_kind[s->style] : 0;
		size_t n = kind ? 0 : short_decimal(v, s->text.len, num);
		if (n) {
			pvd_rowb_cell(rb, s->col, num, n);
			return;
		}
		double d = strtod(v, &end);
		if (end != v && !*end) {
			n = kind ? pvd_serial_text(d, s->date1904, kind, num, sizeof num) : 0;
			if (!n)
				n = pvd_num_text(d, num, sizeof num);
		}
		if (n) {
			pvd_rowb_cell(rb, s->col, num, n);
		} else {
			pvd_rowb_bad(rb, s->col, PVD_R_TYPE, "not a number: \"%.40s\"", v);
			pvd_rowb_keep(rb, s->col, v, s->text.len);
		}
	}
}

static void XMLCALL sh_end(void *ud, const char *name)
{
	struct xlsx *s = X(ud);
	const char *l = pvd_xml_local(name);
	if (!strcmp(l, "c")) {
		cell_value(s);
	} else if (!strcmp(l, "v")) {
		s->in_v = 0;
	} else if (!strcmp(l, "f")) {
		s->in_f = 0;
	} else if (!strcmp(l, "is")) {
		s->in_is = 0;
	} else if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->depth_rph--;
	} else if (!strcmp(l, "row")) {
		s->in_row = 0;
		s->row_ready = 1;
		pvd_xml_suspend(ud);
	}
}

static void XMLCALL sh_text(void *ud, const char *t, int n)
{
	struct xlsx *s = X(ud);
	if (s->in_v || (s->in_is && s->in_t && !s->depth_rph))
		addtext(s, &s->text, t, n, s->b->field_cap + 1);
	else if (s->in_f && s->formula.len < 80)
		pvd_buf_add(&s->formula, t, (size_t)n);
}

static int xlsx_begin(struct pvd_book *b, size_t idx, struct pvd_err *e)
{
	struct xlsx *s = b->impl;
	if (s->open)
		pvd_xml_close(&s->x);
	s->open = 0;
	s->line = 0;
	s->in_row = 0;
	s->depth_rph = s->in_t = s->in_is = s->in_v = s->in_f = 0;
	const char *part = s->xs[idx].part;
	if (!part || !pvd_zip_has(s->z, part))
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "broken workbook: sheet \"%s\" has no part",
				   b->sheets[idx].name);
	int rc = pvd_xml_open(&s->x, s->z, pvd_book_where(b), part, 0, s, sh_start, sh_end, sh_text, e);
	if (rc)
		return rc;
	s->x.bytes = &b->bytes;
	s->open = 1;
	return 0;
}

static int xlsx_next(struct pvd_book *b, struct pvd_rowb *rb, struct pvd_err *e)
{
	struct xlsx *s = b->impl;
	if (!s->open)
		return 0;
	s->row_ready = 0;
	int rc = pvd_xml_run(&s->x, e);
	if (rc == 1 && s->row_ready)
		return 1;
	if (rc == 1)
		return pvd_err_set(e, PVD_EX_SOFTWARE, b->file, 0, 0, "xlsx: parser stopped outside a row");
	pvd_xml_close(&s->x);
	s->open = 0;
	return rc;
}

static void xlsx_close(struct pvd_book *b)
{
	struct xlsx *s = b->impl;
	if (!s)
		return;
	if (s->open)
		pvd_xml_close(&s->x);
	for (size_t i = 0; i < b->nsheets; i++)
		free(s->xs[i].rid), free(s->xs[i].part);
	free(s->xs);
	pvd_buf_free(&s->sst);
	free(s->sst_off);
	free(s->xf_kind);
	free(s->fmt_id);
	free(s->fmt_kind);
	pvd_buf_free(&s->text);
	pvd_buf_free(&s->formula);
	free(s->rels_sst);
	free(s->rels_styles);
	pvd_zip_close(s->z);
	free(s);
	b->impl = NULL;
}

const struct pvd_book_ops pvd_xlsx_ops = { xlsx_begin, xlsx_next, xlsx_close };

int pvd_xlsx_open(struct pvd_book *b, struct pvd_zip *z, struct pvd_err *e)
{
	struct xlsx *s = xcalloc(1, sizeof *s);
	s->z = z;
	s->b = b;
	b->impl = s;
	b->ops = &pvd_xlsx_ops;
	int rc = parse_part(s, "xl/workbook.xml", wb_start, no_end, no_text, e);
	if (!rc && pvd_zip_has(z, "xl/_rels/workbook.xml.rels"))
		rc = parse_part(s, "xl/_rels/workbook.xml.rels", rel_start, no_end, no_text, e);
	if (rc)
		return rc;
	const char *sty = s->rels_styles ? s->rels_styles : "xl/styles.xml";
	if (pvd_zip_has(z, sty) && (rc = parse_part(s, sty, sty_start, sty_end, no_text, e)))
		return rc;
	const char *sst = s->rels_sst ? s->rels_sst : "xl/sharedStrings.xml";
	if (pvd_zip_has(z, sst) && (rc = parse_part(s, sst, sst_start, sst_end, sst_text, e)))
		return rc;
	if (!s->sst_off)
		s->sst_off = xcalloc(1, sizeof *s->sst_off);
	return 0;
}
