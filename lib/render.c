/* render — what the four renderers share (see render.h). */
#include "render.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pvd_render_format(const char *name, enum pvd_render_fmt *f)
{
	static const struct { const char *name; enum pvd_render_fmt f; } t[] = {
		{ "json", PVD_RENDER_JSON }, { "html", PVD_RENDER_HTML }, { "md", PVD_RENDER_MD },
		{ "markdown", PVD_RENDER_MD }, { "csv", PVD_RENDER_CSV },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (strcmp(name, t[i].name) == 0) {
			*f = t[i].f;
			return 0;
		}
	return -1;
}

const char *pvd_item_label(const struct pvd_dash *d, const struct pvd_item *it)
{
	return it->label ? it->label : pvd_dash_label(&d->ind[it->ind]);
}

int pvd_section_shown(const struct pvd_dash *d, size_t i)
{
	return i + 1 < d->nsec || d->sec[i].ninds > 0;
}

static const struct pvd_dash_dim *dim_of(const struct pvd_dash_ind *in, const char *dim)
{
	for (size_t i = 0; i < in->ndims; i++)
		if (strcmp(in->dims[i].name, dim) == 0)
			return &in->dims[i];
	return NULL;
}

const struct pvd_dash_val *pvd_dash_group(const struct pvd_dash_ind *in, const char *dim, const char *key)
{
	const struct pvd_dash_dim *dm = dim_of(in, dim);
	size_t lo = 0, hi = dm ? dm->n : 0;
	while (lo < hi) { /* groups are sorted by key (pvd_dash_finish) */
		size_t mid = lo + (hi - lo) / 2;
		int c = pvd_key_cmp(dm->v[mid].key, key);
		if (c == 0)
			return &dm->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t pvd_chart_bars(const struct pvd_dash *d, const struct pvd_block *b, struct pvd_bar **out)
{
	if (b->has_of) {
		const struct pvd_dash_ind *in = &d->ind[b->of];
		const struct pvd_dash_dim *dm = dim_of(in, b->by);
		size_t n = dm ? dm->n : 0;
		*out = xcalloc(n ? n : 1, sizeof **out);
		for (size_t i = 0; i < n; i++)
			(*out)[i] = (struct pvd_bar){ pvd_group_label(&dm->v[i]), in->kind, &dm->v[i].cur,
						      &dm->v[i].prev };
		return n;
	}
	*out = xcalloc(b->nitems ? b->nitems : 1, sizeof **out);
	for (size_t i = 0; i < b->nitems; i++) {
		const struct pvd_dash_ind *in = &d->ind[b->items[i].ind];
		(*out)[i] = (struct pvd_bar){ pvd_item_label(d, &b->items[i]), in->kind, &in->head.cur,
					      &in->head.prev };
	}
	return b->nitems;
}

/* q as a fraction of m: both exact quantities (n/d), compared in 128 bits. */
static long scaled(const struct pvd_qty *q, __int128 mn, __int128 md, long scale)
{
	if (q->state != PVD_Q_VALUE || q->n <= 0 || mn <= 0)
		return 0;
	__int128 v = (__int128)q->n * md * scale / ((__int128)q->d * mn);
	return v > scale ? scale : (long)v;
}

long pvd_bar_length(const struct pvd_bar *bars, size_t n, const struct pvd_qty *q, long scale)
{
	if (n && bars[0].kind == PVD_UK_PART)
		return scaled(q, 1, 1, scale); /* a share: against 100 % */
	__int128 mn = 0, md = 1;
	for (size_t i = 0; i < n; i++) {
		const struct pvd_qty *c[2] = { bars[i].cur, bars[i].prev };
		for (int k = 0; k < 2; k++)
			if (c[k]->state == PVD_Q_VALUE && c[k]->d > 0 && (__int128)c[k]->n * md > mn * c[k]->d) {
				mn = c[k]->n;
				md = c[k]->d;
			}
	}
	return scaled(q, mn, md, scale);
}

static int key_cmp(const void *a, const void *b)
{
	return pvd_key_cmp(*(const char *const *)a, *(const char *const *)b);
}

const char *pvd_group_label(const struct pvd_dash_val *v)
{
	return v->key_label ? v->key_label : v->key ? v->key : PVD_NO_KEY;
}

size_t pvd_table_rows(const struct pvd_dash *d, const struct pvd_block *b, const char ***keys,
		      const char ***labels)
{
	size_t n = 0, cap = 0;
	const char **k = NULL;
	for (size_t c = 0; c < b->nitems; c++) {
		const struct pvd_dash_dim *dm = dim_of(&d->ind[b->items[c].ind], b->by);
		for (size_t i = 0; dm && i < dm->n; i++) {
			k = xgrow(k, &cap, n + 1, sizeof *k);
			k[n++] = dm->v[i].key;
		}
	}
	if (n)
		qsort(k, n, sizeof *k, key_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || pvd_key_cmp(k[u - 1], k[i]) != 0)
			k[u++] = k[i];
	const char **l = xcalloc(u ? u : 1, sizeof *l);
	for (size_t i = 0; i < u; i++) {
		l[i] = k[i] ? k[i] : PVD_NO_KEY;
		for (size_t c = 0; c < b->nitems; c++) {
			const struct pvd_dash_val *v = pvd_dash_group(&d->ind[b->items[c].ind], b->by, k[i]);
			if (v && v->key_label) {
				l[i] = v->key_label;
				break;
			}
		}
	}
	*keys = k ? k : xcalloc(1, sizeof *k);
	*labels = l;
	return u;
}

struct texts {
	const struct pvd_dash *d;
	struct pvd_buf b;
	void (*fn)(void *, const char *, size_t);
	void *ctx;
};

/* Appends a template (with a space before it when b is not empty). */
static void add(struct texts *t, const struct pvd_tmpl *tm)
{
	if (!tm->n)
		return;
	size_t mark = t->b.len;
	if (t->b.len)
		pvd_buf_addc(&t->b, ' ');
	if (pvd_dash_expand_text(t->d, tm, &t->b)) {
		t->b.len = mark;
		t->b.p[mark] = '\0';
	}
}

static void flush(struct texts *t)
{
	if (t->b.len)
		t->fn(t->ctx, t->b.p, t->b.len);
	pvd_buf_reset(&t->b);
}

void pvd_section_texts(const struct pvd_dash *d, const struct pvd_section *s,
		       void (*fn)(void *ctx, const char *text, size_t n), void *ctx)
{
	struct texts t = { d, { 0 }, fn, ctx };
	for (size_t i = 0; i < s->nb; i++) {
		const struct pvd_block *b = &s->b[i];
		switch (b->type) {
		case PVD_B_FIGURES:
			for (size_t j = 0; j < b->nfig; j++) {
				if (b->fig[j].title) {
					pvd_buf_adds(&t.b, b->fig[j].title);
					pvd_buf_adds(&t.b, " : ");
				}
				pvd_figure_value(d, &b->fig[j], &t.b);
				add(&t, &b->fig[j].text);
				add(&t, &b->fig[j].previous);
				flush(&t);
			}
			break;
		case PVD_B_TEXT:
		case PVD_B_NOTE:
			add(&t, &b->text);
			add(&t, &b->previous);
			flush(&t);
			break;
		case PVD_B_LIST:
			for (size_t j = 0; j < b->nlist; j++) {
				add(&t, &b->list[j]);
				flush(&t);
			}
			break;
		default:
			break;
		}
	}
	pvd_buf_free(&t.b);
}

/* ---- periods in French ---- */

static int p_month(const struct pvd_period *p, int end) { return (int)((end ? p->r.end : p->r.start) / 100 % 100); }

void pvd_fr_period(const struct pvd_period *p, struct pvd_buf *b)
{
	int m = p_month(p, 0);
	switch (p->r.prec) {
	case PVD_QUARTER: {
		int q = (m - 1) / 3 + 1;
		pvd_buf_printf(b, "%d%s trimestre %d", q, q == 1 ? "er" : "e", p->year);
		break;
	}
	case PVD_MONTH:
		pvd_buf_printf(b, "%s %d", pvd_fr_month(m), p->year);
		break;
	case PVD_DAY:
		pvd_fr_period_end(p, b);
		break;
	case PVD_YEAR:
		pvd_buf_printf(b, "%d", p->year);
		break;
	}
}

void pvd_fr_period_end(const struct pvd_period *p, struct pvd_buf *b)
{
	int day = (int)(p->r.end % 100);
	pvd_buf_printf(b, "%d%s %s %d", day, day == 1 ? "er" : "", pvd_fr_month(p_month(p, 1)), p->year);
}

void pvd_fr_period_month(const struct pvd_period *p, int last, struct pvd_buf *b)
{
	if (p->r.prec == PVD_YEAR)
		pvd_buf_printf(b, "%d", p->year);
	else
		pvd_buf_printf(b, "%s %d", pvd_fr_month(p_month(p, p->r.prec == PVD_QUARTER && last)), p->year);
}

/* ---- formatting ---- */

struct pvd_qty pvd_qty_diff(const struct pvd_qty *a, const struct pvd_qty *b)
{
	struct pvd_qty q = { 0 };
	if (a->state == PVD_Q_NONE || b->state == PVD_Q_NONE)
		return q;
	q.state = PVD_Q_NULL;
	if (a->state == PVD_Q_NULL || b->state == PVD_Q_NULL)
		return q;
	q.nd = a->nd;
	if (a->d == b->d) {
		q.d = a->d;
		if (__builtin_sub_overflow(a->n, b->n, &q.n))
			return q;
	} else {
		int64_t x, y;
		if (__builtin_mul_overflow(a->n, b->d, &x) || __builtin_mul_overflow(b->n, a->d, &y) ||
		    __builtin_sub_overflow(x, y, &q.n) || __builtin_mul_overflow(a->d, b->d, &q.d))
			return q;
	}
	q.state = PVD_Q_VALUE;
	return q;
}

void pvd_qty_text(enum pvd_ukind k, const struct pvd_qty *q, char point, struct pvd_buf *b)
{
	int64_t r;
	if (q->state != PVD_Q_VALUE)
		return;
	switch (k) {
	case PVD_UK_COUNT:
		pvd_fixed_text(b, q->n, 0, point);
		break;
	case PVD_UK_EUR:
		pvd_fixed_text(b, q->n, 2, point);
		break;
	case PVD_UK_PART:
	case PVD_UK_MOYENNE:
		if (pvd_ratio_round(q->n, q->d, 6, &r) == 0)
			pvd_fixed_text(b, r, 6, point);
		break;
	}
}

/* The format a value of kind k is shown in: fmt when it suits the kind,
 * else the kind's default. */
static enum pvd_fmt fmt_for(enum pvd_ukind k, enum pvd_fmt f, int diff)
{
	switch (k) {
	case PVD_UK_COUNT:
		return PVD_F_NUMBER;
	case PVD_UK_EUR:
		return f >= PVD_F_EUR && f <= PVD_F_MEUR ? f : PVD_F_EUR;
	case PVD_UK_PART:
		if (diff)
			return PVD_F_POINTS;
		return f >= PVD_F_PERCENT && f <= PVD_F_COMPLEMENT ? f : PVD_F_PERCENT;
	case PVD_UK_MOYENNE:
		return f == PVD_F_RANGE && !diff ? f : PVD_F_DECIMAL;
	}
	return PVD_F_NUMBER;
}

int pvd_qty_fr(const struct pvd_dash *d, enum pvd_ukind k, const struct pvd_qty *q, enum pvd_fmt f,
	       int diff, struct pvd_buf *b)
{
	static const struct pvd_pct_rule p0 = { 0, 0, 0 }, p1 = { 1, 1, 0 };
	static const enum pvd_eur_style eur[] = {
		[PVD_F_EUR] = PVD_EUR_AUTO, [PVD_F_EUR_CENTS] = PVD_EUR_CENTS,
		[PVD_F_EUROS] = PVD_EUR_EUROS, [PVD_F_MEUR] = PVD_EUR_MILLIONS,
	};
	int64_t r;
	if (q->state != PVD_Q_VALUE)
		return -1;
	f = fmt_for(k, f, diff);
	switch (f) {
	case PVD_F_NUMBER:
		if (diff)
			pvd_fr_signed(b, q->n, 0);
		else
			pvd_fr_fixed(b, q->n, 0);
		return 0;
	case PVD_F_PERCENT:
		return pvd_fr_percent(b, q->n, q->d, &d->pct);
	case PVD_F_PERCENT0:
		return pvd_fr_percent(b, q->n, q->d, &p0);
	case PVD_F_PERCENT1:
		return pvd_fr_percent(b, q->n, q->d, &p1);
	case PVD_F_COMPLEMENT:
		return pvd_fr_percent(b, q->d - q->n, q->d, &d->pct);
	case PVD_F_EUR:
	case PVD_F_EUR_CENTS:
	case PVD_F_EUROS:
	case PVD_F_MEUR:
		pvd_fr_eur(b, q->n, eur[f], d->millions_decimals, diff);
		return 0;
	case PVD_F_POINTS:
		return pvd_fr_points(b, q->n, q->d);
	case PVD_F_RANGE:
		if (q->n % q->d == 0)
			pvd_fr_fixed(b, q->n / q->d, 0);
		else
			pvd_buf_printf(b, "%lld et %lld", (long long)(q->n / q->d), (long long)(q->n / q->d + 1));
		return 0;
	case PVD_F_DECIMAL:
	default:
		if (pvd_ratio_round(q->n, q->d, d->moyenne_decimals, &r))
			return -1;
		if (diff)
			pvd_fr_signed(b, r, d->moyenne_decimals);
		else
			pvd_fr_fixed(b, r, d->moyenne_decimals);
		return 0;
	}
}

/* ---- templates ---- */

static struct pvd_qty seg_qty(const struct pvd_dash *d, const struct pvd_seg *g)
{
	const struct pvd_dash_val *v = &d->ind[g->ind].head;
	switch (g->which) {
	case PVD_W_PREV:
		return v->prev;
	case PVD_W_DIFF:
		return pvd_qty_diff(&v->cur, &v->prev);
	case PVD_W_CUR:
	default:
		return v->cur;
	}
}

static int seg_doc(const struct pvd_dash *d, enum pvd_docvar v, struct pvd_buf *b)
{
	switch (v) {
	case PVD_D_PERIOD:
		pvd_fr_period(&d->period, b);
		return 0;
	case PVD_D_PERIOD_END:
		pvd_fr_period_end(&d->period, b);
		return 0;
	case PVD_D_PERIOD_MONTH:
		pvd_fr_period_month(&d->period, d->quarter_last_month, b);
		return 0;
	case PVD_D_PREVIOUS_PERIOD:
		if (!d->have_prev)
			return -1;
		pvd_fr_period(&d->prev_period, b);
		return 0;
	case PVD_D_PREVIOUS_MONTH:
		if (!d->have_prev)
			return -1;
		pvd_fr_period_month(&d->prev_period, d->quarter_last_month, b);
		return 0;
	}
	return -1;
}

int pvd_dash_expand(const struct pvd_dash *d, const struct pvd_tmpl *t, pvd_piece_fn fn, void *ctx)
{
	struct pvd_buf b = { 0 };
	/* A sentence about the previous period is said whole or not at all. */
	for (size_t i = 0; i < t->n; i++) {
		const struct pvd_seg *g = &t->s[i];
		int gone = 0;
		if (g->kind == PVD_SEG_VALUE && g->which != PVD_W_CUR) {
			struct pvd_qty q = seg_qty(d, g);
			gone = q.state != PVD_Q_VALUE;
		} else if (g->kind == PVD_SEG_DOC) {
			gone = (g->var == PVD_D_PREVIOUS_PERIOD || g->var == PVD_D_PREVIOUS_MONTH) && !d->have_prev;
		}
		if (gone)
			return 1;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct pvd_seg *g = &t->s[i];
		pvd_buf_reset(&b);
		if (g->kind == PVD_SEG_TEXT) {
			fn(ctx, PVD_P_TEXT, g->text, strlen(g->text));
		} else if (g->kind == PVD_SEG_DOC) {
			seg_doc(d, g->var, &b);
			fn(ctx, PVD_P_VALUE, pvd_buf_str(&b), b.len);
		} else {
			struct pvd_qty q = seg_qty(d, g);
			if (pvd_qty_fr(d, d->ind[g->ind].kind, &q, g->fmt, g->which == PVD_W_DIFF, &b) == 0)
				fn(ctx, PVD_P_VALUE, pvd_buf_str(&b), b.len);
			else if (q.state == PVD_Q_NULL)
				fn(ctx, PVD_P_MISSING, PVD_NC, strlen(PVD_NC));
			else
				fn(ctx, PVD_P_MISSING, PVD_NA, strlen(PVD_NA));
		}
	}
	pvd_buf_free(&b);
	return 0;
}

static void to_buf(void *ctx, enum pvd_piece kind, const char *text, size_t n)
{
	(void)kind;
	pvd_buf_add(ctx, text, n);
}

int pvd_dash_expand_text(const struct pvd_dash *d, const struct pvd_tmpl *t, struct pvd_buf *b)
{
	return pvd_dash_expand(d, t, to_buf, b);
}

void pvd_figure_value(const struct pvd_dash *d, const struct pvd_figure *f, struct pvd_buf *b)
{
	const struct pvd_dash_ind *in = &d->ind[f->ind];
	size_t mark = b->len;
	if (f->prefix && *f->prefix) {
		pvd_buf_adds(b, f->prefix);
		pvd_buf_addc(b, ' ');
	}
	if (pvd_qty_fr(d, in->kind, &in->head.cur, f->fmt, 0, b)) {
		b->len = mark;
		if (b->p)
			b->p[mark] = '\0';
		pvd_buf_adds(b, in->head.cur.state == PVD_Q_NULL ? PVD_NC : PVD_NA);
	}
}


/* ---- the walker shared by the HTML page and the Markdown note ---- */

/* Takes back what was appended since mark. */
static void cut(struct pvd_buf *b, size_t mark)
{
	b->len = mark;
	if (b->p)
		b->p[mark] = '\0';
}

void pvd_mk_esc(const struct pvd_markup *m, struct pvd_buf *b, const char *s)
{
	if (s)
		m->escape(b, s, strlen(s));
}

void pvd_mk_title(const struct pvd_markup *m, struct pvd_buf *b, const char *open, const char *title,
		  const char *close)
{
	if (!title || !*title)
		return;
	pvd_buf_adds(b, open);
	pvd_mk_esc(m, b, title);
	pvd_buf_adds(b, close);
}

struct mk_ctx {
	const struct pvd_markup *m;
	struct pvd_buf *b;
};

/* Template pieces: values and missing values marked up. */
static void mk_piece(void *ctx, enum pvd_piece kind, const char *text, size_t n)
{
	const struct mk_ctx *c = ctx;
	const char *const *mark = kind == PVD_P_VALUE ? c->m->value : kind == PVD_P_MISSING ? c->m->missing : NULL;
	if (mark)
		pvd_buf_adds(c->b, mark[0]);
	c->m->escape(c->b, text, n);
	if (mark)
		pvd_buf_adds(c->b, mark[1]);
}

int pvd_mk_tmpl(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, const char *open,
		const char *close, const struct pvd_tmpl *t)
{
	if (!t->n)
		return 0;
	size_t mark = b->len;
	struct mk_ctx c = { m, b };
	pvd_buf_adds(b, open);
	if (pvd_dash_expand(d, t, mk_piece, &c)) {
		cut(b, mark);
		return 0;
	}
	pvd_buf_adds(b, close);
	return 1;
}

void pvd_mk_qty(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k,
		const struct pvd_qty *q, enum pvd_fmt f, int diff)
{
	size_t mark = b->len;
	if (pvd_qty_fr(d, k, q, f, diff, b) == 0) {
		/* escaped like everything else, though digits and units need none */
		char *t = xstrdup(b->p + mark);
		cut(b, mark);
		pvd_mk_esc(m, b, t);
		free(t);
	} else if (!(diff && q->state == PVD_Q_NONE)) { /* no change to show: an empty cell */
		pvd_buf_adds(b, m->na[0]);
		pvd_buf_adds(b, q->state == PVD_Q_NULL ? PVD_NC : PVD_NA);
		pvd_buf_adds(b, m->na[1]);
	}
}

static void mk_cell(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k,
		    const struct pvd_qty *q, enum pvd_fmt f, int diff)
{
	pvd_buf_adds(b, m->cell[0]);
	pvd_mk_qty(m, b, d, k, q, f, diff);
	pvd_buf_adds(b, m->cell[1]);
}

void pvd_mk_compare(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k,
		    const struct pvd_qty *cur, const struct pvd_qty *prev, enum pvd_fmt f)
{
	mk_cell(m, b, d, k, cur, f, 0);
	if (d->have_prev) {
		struct pvd_qty df = pvd_qty_diff(cur, prev);
		mk_cell(m, b, d, k, prev, f, 0);
		mk_cell(m, b, d, k, &df, f, 1);
	}
}

void pvd_mk_compare_heads(struct pvd_buf *b, const struct pvd_dash *d, const char *sep)
{
	pvd_fr_period(&d->period, b);
	if (d->have_prev) {
		pvd_buf_adds(b, sep);
		pvd_fr_period(&d->prev_period, b);
		pvd_buf_adds(b, sep);
		pvd_buf_adds(b, "Évolution");
	}
}

void pvd_mk_table_rows(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d,
		       const struct pvd_block *bl)
{
	const char **keys, **labels;
	size_t n = pvd_table_rows(d, bl, &keys, &labels);
	for (size_t r = 0; r <= n; r++) {
		if (r < n) {
			pvd_buf_adds(b, m->row[0]);
			pvd_mk_esc(m, b, labels[r]);
		} else {
			pvd_buf_adds(b, m->foot);
			pvd_buf_adds(b, m->total_row);
			pvd_buf_adds(b, m->total);
		}
		pvd_buf_adds(b, m->head_end);
		for (size_t c = 0; c < bl->nitems; c++) {
			const struct pvd_dash_ind *in = &d->ind[bl->items[c].ind];
			const struct pvd_dash_val *v = r < n ? pvd_dash_group(in, bl->by, keys[r]) : &in->head;
			if (v) {
				mk_cell(m, b, d, in->kind, &v->cur, bl->items[c].fmt, 0);
			} else {
				pvd_buf_adds(b, m->cell[0]);
				pvd_buf_adds(b, m->absent);
				pvd_buf_adds(b, m->cell[1]);
			}
		}
		pvd_buf_adds(b, m->row[1]);
	}
	free(keys);
	free(labels);
}

/* A TEXT or NOTE block: its sentence and the previous period's. */
static void mk_text(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d,
		    const struct pvd_block *bl)
{
	const char *const *p = bl->type == PVD_B_NOTE ? m->note : m->text;
	size_t mark = b->len;
	pvd_buf_adds(b, p[0]);
	size_t body = b->len;
	pvd_mk_tmpl(m, b, d, "", "", &bl->text);
	pvd_mk_tmpl(m, b, d, m->previous[0], m->previous[1], &bl->previous);
	if (m->drop_empty && b->len == body)
		cut(b, mark);
	else
		pvd_buf_adds(b, p[1]);
}

void pvd_mk_blocks(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d,
		   const struct pvd_section *s)
{
	for (size_t i = 0; i < s->nb; i++) {
		const struct pvd_block *bl = &s->b[i];
		/* consecutive lists go together (side by side on the page) */
		if (bl->type == PVD_B_LIST && (i == 0 || s->b[i - 1].type != PVD_B_LIST))
			pvd_buf_adds(b, m->lists[0]);
		switch (bl->type) {
		case PVD_B_HEADING:
			pvd_buf_adds(b, m->heading[0]);
			pvd_mk_esc(m, b, bl->title);
			pvd_buf_adds(b, m->heading[1]);
			break;
		case PVD_B_FIGURES:
			m->figures(b, d, bl);
			break;
		case PVD_B_TEXT:
		case PVD_B_NOTE:
			mk_text(m, b, d, bl);
			break;
		case PVD_B_CHART:
			m->chart(b, d, bl);
			break;
		case PVD_B_TABLE:
			m->table(b, d, bl);
			break;
		case PVD_B_MAP:
			if (m->map)
				m->map(b, d, bl);
			break;
		case PVD_B_LIST:
			pvd_buf_adds(b, m->list[0]);
			pvd_mk_title(m, b, m->list_title[0], bl->title, m->list_title[1]);
			pvd_buf_adds(b, m->list[1]);
			for (size_t j = 0; j < bl->nlist; j++)
				pvd_mk_tmpl(m, b, d, m->item[0], m->item[1], &bl->list[j]);
			pvd_buf_adds(b, m->list[2]);
			break;
		}
		if (bl->type == PVD_B_LIST && (i + 1 == s->nb || s->b[i + 1].type != PVD_B_LIST))
			pvd_buf_adds(b, m->lists[1]);
	}
}

void pvd_mk_missing(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, const char *open,
		    const char *id[2], const char *close)
{
	size_t nm = pvd_dash_missing(d, NULL, 0);
	if (!nm)
		return;
	size_t *mi = xcalloc(nm, sizeof *mi);
	pvd_dash_missing(d, mi, nm);
	pvd_buf_adds(b, open);
	pvd_buf_adds(b, "Indicateurs non disponibles pour cette période : ");
	for (size_t i = 0; i < nm; i++) {
		pvd_buf_adds(b, i ? ", " : "");
		pvd_buf_adds(b, id[0]);
		pvd_mk_esc(m, b, d->ind[mi[i]].id);
		pvd_buf_adds(b, id[1]);
	}
	pvd_buf_adds(b, close);
	free(mi);
}

static void mk_file_item(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_jnode *p,
			 const char *key, const char *what)
{
	const struct pvd_jnode *f = pvd_j_typed(p, key, PVD_J_OBJ);
	if (!f)
		return;
	pvd_buf_adds(b, m->item[0]);
	pvd_buf_printf(b, "%s : ", what);
	m->file_ref(b, f);
	pvd_buf_adds(b, m->item[1]);
}

void pvd_mk_provenance(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d)
{
	const struct pvd_jnode *p = d->provenance;
	const struct pvd_jnode *refs = m->references ? pvd_j_typed(p, "references", PVD_J_ARR) : NULL;
	if (pvd_j_str(p, "program")) {
		pvd_buf_adds(b, m->item[0]);
		pvd_buf_adds(b, "Produit par ");
		pvd_mk_esc(m, b, pvd_j_str(p, "program"));
		pvd_buf_adds(b, " ");
		pvd_mk_esc(m, b, pvd_j_str(p, "version"));
		pvd_buf_adds(b, m->item[1]);
	}
	mk_file_item(m, b, p, "pipeline", "Chaîne de traitement");
	mk_file_item(m, b, p, "indicators", "Catalogue des indicateurs");
	mk_file_item(m, b, p, "previous", "Tableau de bord précédent");
	for (size_t i = 0; refs && i < refs->n; i++) {
		const struct pvd_jnode *r = refs->items[i], *files = pvd_j_get(r, "files");
		pvd_buf_adds(b, m->item[0]);
		pvd_buf_adds(b, "Référentiel ");
		pvd_mk_esc(m, b, pvd_j_str(r, "name"));
		if (pvd_j_str(r, "value")) {
			pvd_buf_adds(b, " (");
			pvd_mk_esc(m, b, pvd_j_str(r, "value"));
			pvd_buf_adds(b, ")");
		}
		pvd_buf_adds(b, " : ");
		for (size_t k = 0; k < files->n; k++) {
			pvd_buf_adds(b, k ? ", " : "");
			m->file_ref(b, files->items[k]);
		}
		pvd_buf_adds(b, m->item[1]);
	}
}

void pvd_mk_rejects(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d)
{
	const struct pvd_jnode *rj = pvd_j_get(d->provenance, "rejects");
	for (size_t k = 0; k < rj->n; k++) {
		pvd_buf_adds(b, strcmp(rj->keys[k], "total") == 0 ? m->total_row : m->row[0]);
		pvd_mk_esc(m, b, rj->keys[k]);
		pvd_buf_adds(b, m->head_end);
		pvd_buf_adds(b, m->cell[0]);
		m->num(b, rj->items[k]);
		pvd_buf_adds(b, m->cell[1]);
		pvd_buf_adds(b, m->row[1]);
	}
}
