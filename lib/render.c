/* render — what the four renderers share (see render.h). */
#include "render.h"
#include "xmem.h"
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
		int c = strcmp(dm->v[mid].key, key);
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
			(*out)[i] = (struct pvd_bar){ dm->v[i].key_label ? dm->v[i].key_label : dm->v[i].key,
						      in->kind, &dm->v[i].cur, &dm->v[i].prev };
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
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
		if (u == 0 || strcmp(k[u - 1], k[i]) != 0)
			k[u++] = k[i];
	const char **l = xcalloc(u ? u : 1, sizeof *l);
	for (size_t i = 0; i < u; i++) {
		l[i] = k[i];
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
