/* render_json — the consolidated indicator document, one per period.
 *
 * The shape is config/schema/dashboard.schema.json.  Written by hand, not
 * with jansson: numbers are emitted as exact text ("3076335.49",
 * "0.869512"), never through a double.  Pretty-printed with two spaces;
 * breakdown groups and previous values sit on one line each, so that a diff
 * of two quarters reads line by line. */
#include "jsonlex.h"
#include "ndjson.h"
#include "render.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>

/* The document's own levels (root, sections, indicators, breakdowns,
 * groups, previous) are fewer than 16; the provenance copied in nests at
 * most PVD_JSON_MAXDEPTH deep below its key, as its reader guarantees. */
#define JW_DEPTH (PVD_JSON_MAXDEPTH + 16)

struct jw {
	struct pvd_buf *b;
	int depth;
	int first[JW_DEPTH];
	int inl[JW_DEPTH];  /* this container is written on one line */
};

static void indent(struct jw *w)
{
	pvd_buf_addc(w->b, '\n');
	for (int i = 0; i < w->depth; i++)
		pvd_buf_add(w->b, "  ", 2);
}

/* Separator and key before a value. */
static void jkey(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			pvd_buf_addc(w->b, ',');
		if (w->inl[w->depth])
			pvd_buf_adds(w->b, w->first[w->depth] ? "" : " ");
		else
			indent(w);
		w->first[w->depth] = 0;
	}
	if (key) {
		pvd_json_quote(w->b, key, strlen(key));
		pvd_buf_add(w->b, ": ", 2);
	}
}

static void jopen(struct jw *w, const char *key, char c, int inl)
{
	jkey(w, key);
	pvd_buf_addc(w->b, c);
	if (w->depth + 1 >= JW_DEPTH)
		abort(); /* a reader let deeper nesting through: a bug, never an overflow */
	w->depth++;
	w->first[w->depth] = 1;
	w->inl[w->depth] = inl || w->inl[w->depth - 1];
}

static void jclose(struct jw *w, char c)
{
	int empty = w->first[w->depth], inl = w->inl[w->depth];
	w->depth--;
	if (!empty && !inl)
		indent(w);
	pvd_buf_addc(w->b, c);
}

static void jstr(struct jw *w, const char *key, const char *s)
{
	jkey(w, key);
	if (s)
		pvd_json_quote(w->b, s, strlen(s));
	else
		pvd_buf_adds(w->b, "null");
}

static void jraw(struct jw *w, const char *key, const char *lit)
{
	jkey(w, key);
	pvd_buf_adds(w->b, lit && *lit ? lit : "null");
}

static void jint(struct jw *w, const char *key, long long v)
{
	jkey(w, key);
	pvd_buf_printf(w->b, "%lld", v);
}

static void jstrv(struct jw *w, const char *key, char **v, size_t n)
{
	jopen(w, key, '[', 1);
	for (size_t i = 0; i < n; i++)
		jstr(w, NULL, v[i]);
	jclose(w, ']');
}

/* A quantity as "value", "num", "den". */
static void jqty(struct jw *w, enum pvd_ukind k, const struct pvd_qty *q)
{
	struct pvd_buf t = { 0 };
	pvd_qty_text(k, q, '.', &t);
	jraw(w, "value", t.p);
	if (q->state != PVD_Q_NONE && q->nd) {
		jint(w, "num", q->n);
		jint(w, "den", q->d);
	} else {
		jraw(w, "num", NULL);
		jraw(w, "den", NULL);
	}
	pvd_buf_free(&t);
}

static void jprev_diff(struct jw *w, const struct pvd_dash *d, enum pvd_ukind k, const struct pvd_dash_val *v)
{
	if (v->prev.state == PVD_Q_NONE) {
		jraw(w, "previous", NULL);
	} else {
		jopen(w, "previous", '{', 1);
		jstr(w, "period", d->prev_period.text);
		jqty(w, k, &v->prev);
		jclose(w, '}');
	}
	struct pvd_qty df = pvd_qty_diff(&v->cur, &v->prev);
	struct pvd_buf t = { 0 };
	pvd_qty_text(k, &df, '.', &t);
	jraw(w, "difference", t.p);
	pvd_buf_free(&t);
}

static void jindicator(struct jw *w, const struct pvd_dash *d, const struct pvd_dash_ind *in)
{
	struct pvd_buf t = { 0 };
	jopen(w, NULL, '{', 0);
	jstr(w, "id", in->id);
	jstr(w, "label", in->label);
	jstr(w, "description", in->description);
	jstr(w, "unit", in->unit);
	jstr(w, "status", in->present ? "ok" : "missing");
	jqty(w, in->kind, &in->head.cur);
	if (pvd_qty_fr(d, in->kind, &in->head.cur, PVD_F_DEFAULT, 0, &t) == 0)
		jstr(w, "display", t.p);
	else
		jstr(w, "display", in->present && in->head.cur.state == PVD_Q_NULL ? PVD_NC : PVD_NA);
	jprev_diff(w, d, in->kind, &in->head);
	jstrv(w, "datasets", in->datasets, in->ndatasets);
	if (in->present && in->head.records >= 0)
		jint(w, "records", in->head.records);
	else
		jraw(w, "records", NULL);
	jstrv(w, "inputs", in->inputs, in->ninputs);
	jopen(w, "breakdowns", '{', 0);
	for (size_t i = 0; i < in->ndims; i++) {
		const struct pvd_dash_dim *dm = &in->dims[i];
		jopen(w, dm->name, '[', 0);
		for (size_t j = 0; j < dm->n; j++) {
			const struct pvd_dash_val *v = &dm->v[j];
			jopen(w, NULL, '{', 1);
			jstr(w, "key", v->key);
			jstr(w, "key_label", v->key_label);
			jqty(w, in->kind, &v->cur);
			jprev_diff(w, d, in->kind, v);
			if (v->records >= 0)
				jint(w, "records", v->records);
			else
				jraw(w, "records", NULL);
			jclose(w, '}');
		}
		jclose(w, ']');
	}
	jclose(w, '}');
	jclose(w, '}');
	pvd_buf_free(&t);
}

/* The provenance file as read: same keys, same order, numbers verbatim. */
static void jnode(struct jw *w, const char *key, const struct pvd_jnode *n)
{
	switch (n->type) {
	case PVD_J_NULL:
		jraw(w, key, NULL);
		break;
	case PVD_J_BOOL:
	case PVD_J_NUM:
		jraw(w, key, n->text);
		break;
	case PVD_J_STR:
		jkey(w, key);
		pvd_json_quote(w->b, n->text, n->len);
		break;
	case PVD_J_ARR:
	case PVD_J_OBJ:
		jopen(w, key, n->type == PVD_J_OBJ ? '{' : '[', 0);
		for (size_t i = 0; i < n->n; i++)
			jnode(w, n->type == PVD_J_OBJ ? n->keys[i] : NULL, n->items[i]);
		jclose(w, n->type == PVD_J_OBJ ? '}' : ']');
		break;
	}
}

static void jtext(void *ctx, const char *text, size_t n)
{
	struct jw *w = ctx;
	jkey(w, NULL);
	pvd_json_quote(w->b, text, n);
}

void pvd_render_json(const struct pvd_dash *d, struct pvd_buf *out)
{
	struct jw w = { .b = out };
	struct pvd_buf t = { 0 };
	jopen(&w, NULL, '{', 0);
	jint(&w, "schema_version", 1);
	jstr(&w, "title", d->title);
	jstr(&w, "programme", d->programme);
	jstr(&w, "organisation", d->organisation);
	jstr(&w, "period", d->period.text);
	pvd_fr_period(&d->period, &t);
	jstr(&w, "period_label", t.p);
	jstr(&w, "period_end", d->period.end_iso);
	jstr(&w, "previous_period", d->have_prev ? d->prev_period.text : NULL);
	jopen(&w, "sections", '[', 0);
	for (size_t i = 0; i < d->nsec; i++) {
		const struct pvd_section *s = &d->sec[i];
		if (!pvd_section_shown(d, i))
			continue;
		jopen(&w, NULL, '{', 0);
		jstr(&w, "id", s->id);
		jstr(&w, "title", s->title);
		jopen(&w, "texts", '[', 0);
		pvd_section_texts(d, s, jtext, &w);
		jclose(&w, ']');
		jopen(&w, "indicators", '[', 0);
		for (size_t j = 0; j < s->ninds; j++)
			jindicator(&w, d, &d->ind[s->inds[j]]);
		jclose(&w, ']');
		jclose(&w, '}');
	}
	jclose(&w, ']');
	jopen(&w, "missing", '[', 1);
	size_t nm = pvd_dash_missing(d, NULL, 0);
	size_t *m = xcalloc(nm ? nm : 1, sizeof *m);
	pvd_dash_missing(d, m, nm);
	for (size_t i = 0; i < nm; i++)
		jstr(&w, NULL, d->ind[m[i]].id);
	free(m);
	jclose(&w, ']');
	if (d->provenance)
		jnode(&w, "provenance", d->provenance);
	else
		jraw(&w, "provenance", NULL);
	jclose(&w, '}');
	pvd_buf_addc(out, '\n');
	pvd_buf_free(&t);
}
