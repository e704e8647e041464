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

