/* render_csv — the indicator table: one row per indicator (headline) and one
 * per breakdown group, for spreadsheets and scripts.
 *
 * Columns: period, section, id, label, unit, breakdown, key, key_label,
 * status, value, num, den, previous_period, previous, difference.  Values
 * are machine text (a share is the ratio 0.869512, an amount 3076335.49);
 * an empty cell is a missing or not computable value.
 * Locale c: ',' separator, '.' decimal point, LF line ends, no BOM.
 * Locale fr: ';' separator, ',' decimal point, CRLF line ends and a UTF-8
 * BOM, which is what Excel needs to open the file by double-click with
 * accents intact.
 * Text cells starting with = + - @ tab or CR are prefixed with an
 * apostrophe so that a spreadsheet never evaluates them as formulas
 * (hostile labels such as "=cmd|' /C calc'!A0" arrive from partners'
 * spreadsheets); numbers are never prefixed. */
#include "render.h"
#include <string.h>

void pvd_csv_cell(struct pvd_buf *b, const char *s, size_t n, char sep, int text)
{
	int quote = 0, neutral = text && n && strchr("=+-@\t\r", s[0]);
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (quote)
		pvd_buf_addc(b, '"');
	if (neutral)
		pvd_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			pvd_buf_addc(b, '"');
		pvd_buf_addc(b, s[i]);
	}
	if (quote)
		pvd_buf_addc(b, '"');
}

struct row {
	struct pvd_buf *b;
	char sep, point;
	const char *eol;
	struct pvd_buf t;
	int col;
};

static void cell(struct row *r, const char *s, int text)
{
	if (r->col++)
		pvd_buf_addc(r->b, r->sep);
	if (s)
		pvd_csv_cell(r->b, s, strlen(s), r->sep, text);
}

static void qcell(struct row *r, enum pvd_ukind k, const struct pvd_qty *q)
{
	pvd_buf_reset(&r->t);
	pvd_qty_text(k, q, r->point, &r->t);
	cell(r, pvd_buf_str(&r->t), 0);
}

static void ncell(struct row *r, const struct pvd_qty *q)
{
	pvd_buf_reset(&r->t);
	if (q->state != PVD_Q_NONE && q->nd)
		pvd_buf_printf(&r->t, "%lld", (long long)q->n);
	cell(r, pvd_buf_str(&r->t), 0);
}

static void dcell(struct row *r, const struct pvd_qty *q)
{
	pvd_buf_reset(&r->t);
	if (q->state != PVD_Q_NONE && q->nd)
		pvd_buf_printf(&r->t, "%lld", (long long)q->d);
	cell(r, pvd_buf_str(&r->t), 0);
}

static void line(struct row *r, const struct pvd_dash *d, const struct pvd_section *s,
		 const struct pvd_dash_ind *in, const char *dim, const struct pvd_dash_val *v)
{
	r->col = 0;
	cell(r, d->period.text, 1);
	cell(r, s->id, 1);
	cell(r, in->id, 1);
	cell(r, in->label, 1);
	cell(r, in->unit, 1);
	cell(r, dim, 1);
	cell(r, v->key, 1);
	cell(r, v->key_label, 1);
	cell(r, dim || in->present ? "ok" : "missing", 1);
	qcell(r, in->kind, &v->cur);
	ncell(r, &v->cur);
	dcell(r, &v->cur);
	cell(r, v->prev.state != PVD_Q_NONE ? d->prev_period.text : NULL, 1);
	qcell(r, in->kind, &v->prev);
	struct pvd_qty df = pvd_qty_diff(&v->cur, &v->prev);
	qcell(r, in->kind, &df);
	pvd_buf_adds(r->b, r->eol);
}

void pvd_render_csv(const struct pvd_dash *d, int fr, struct pvd_buf *out)
{
	static const char *const head[] = {
		"period", "section", "id", "label", "unit", "breakdown", "key", "key_label", "status",
		"value", "num", "den", "previous_period", "previous", "difference",
	};
	struct row r = { out, fr ? ';' : ',', fr ? ',' : '.', fr ? "\r\n" : "\n", { 0 }, 0 };
	if (fr)
		pvd_buf_adds(out, "\xEF\xBB\xBF");
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		cell(&r, head[i], 0);
	pvd_buf_adds(out, r.eol);
	for (size_t i = 0; i < d->nsec; i++) {
		const struct pvd_section *s = &d->sec[i];
		for (size_t j = 0; j < s->ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[s->inds[j]];
			line(&r, d, s, in, NULL, &in->head);
			for (size_t k = 0; k < in->ndims; k++)
				for (size_t g = 0; g < in->dims[k].n; g++)
					line(&r, d, s, in, in->dims[k].name, &in->dims[k].v[g]);
		}
	}
	pvd_buf_free(&r.t);
}
