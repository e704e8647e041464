#include "render_map.h"
#include "render.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The overseas départements: the package draws none of them. */
static const struct {
	const char *code, *name;
} overseas[] = {
	{ "971", "Guadeloupe" }, { "972", "Martinique" }, { "973", "Guyane" },
	{ "974", "La Réunion" }, { "976", "Mayotte" },
};
#define NOM (sizeof overseas / sizeof *overseas)

void pvd_map_geo_free(struct pvd_map_geo *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->dep[i].name);
		free(g->dep[i].d);
	}
	free(g->dep);
	free(g->viewbox);
	memset(g, 0, sizeof *g);
}

/* The value of attribute name="..." inside [s, end), malloc'd, or NULL. */
static char *attr(const char *s, const char *end, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = s; p + nl + 2 < end; p++) {
		if ((p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r') &&
		    memcmp(p, name, nl) == 0 && p[nl] == '=' && p[nl + 1] == '"') {
			const char *v = p + nl + 2, *q = memchr(v, '"', (size_t)(end - v));
			return q ? xstrndup(v, (size_t)(q - v)) : NULL;
		}
	}
	return NULL;
}

static int is_code(const char *s)
{
	size_t n = strlen(s);
	if (n == 2)
		return (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') ||
		       (s[0] == '2' && (s[1] == 'A' || s[1] == 'B'));
	return n == 3 && s[0] == '9' && s[1] == '7' && s[2] >= '0' && s[2] <= '9';
}

/* Path data only: nothing else may reach the page's attribute. */
static int is_path(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789 \t\r\n.,-+eEmMlLhHvVcCsSqQtTaAzZ", *s))
			return 0;
	return 1;
}

int pvd_map_geo_load(const char *path, struct pvd_map_geo *g, struct pvd_err *e)
{
	memset(g, 0, sizeof *g);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "map geometry: cannot open");
	struct pvd_buf b = { 0 };
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len < (64u << 20))
		pvd_buf_add(&b, chunk, got);
	int rerr = ferror(fp);
	fclose(fp);
	if (rerr || !b.len) {
		pvd_buf_free(&b);
		return pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "map geometry: cannot read");
	}
	const char *s = b.p, *end = b.p + b.len;
	const char *svg = strstr(s, "<svg");
	const char *svg_end = svg ? strchr(svg, '>') : NULL;
	int rc = 0;
	char *vb = svg_end ? attr(svg, svg_end, "viewBox") : NULL;
	double x0, y0;
	if (!vb || sscanf(vb, "%lf %lf %lf %lf", &x0, &y0, &g->w, &g->h) != 4 || g->w <= 0 || g->h <= 0 ||
	    g->w > 1e5 || g->h > 1e5) {
		free(vb);
		rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "map geometry: no <svg viewBox=\"0 0 W H\">");
		goto out;
	}
	free(vb);
	g->viewbox = NULL;
	size_t cap = 0;
	for (const char *p = svg_end; (p = strstr(p, "<path")) != NULL;) {
		const char *q = strstr(p, "/>");
		if (!q)
			q = end;
		char *id = attr(p, q, "id"), *name = attr(p, q, "aria-label"), *d = attr(p, q, "d");
		long line = 1;
		for (const char *c = s; c < p; c++)
			line += *c == '\n';
		if (!id || !name || !d || !is_code(id) || !is_path(d)) {
			rc = pvd_err_set(e, PVD_EX_CONFIG, path, line, 0,
					 "map geometry: a <path> needs id=\"CODE\" (a département), aria-label and path data only in d");
			free(id);
			free(name);
			free(d);
			goto out;
		}
		g->dep = xgrow(g->dep, &cap, g->n + 1, sizeof *g->dep);
		struct pvd_map_dep *m = &g->dep[g->n++];
		snprintf(m->code, sizeof m->code, "%s", id);
		m->name = name;
		m->d = d;
		free(id);
		p = q;
	}
	if (g->n == 0) {
		rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "map geometry: no <path>");
		goto out;
	}
	for (size_t i = 0; i < NOM; i++) {
		g->dep = xgrow(g->dep, &cap, g->n + 1, sizeof *g->dep);
		struct pvd_map_dep *m = &g->dep[g->n++];
		snprintf(m->code, sizeof m->code, "%s", overseas[i].code);
		m->name = xstrdup(overseas[i].name);
		m->d = NULL;
	}
out:
	pvd_buf_free(&b);
	if (rc)
		pvd_map_geo_free(g);
	return rc;
}

/* ---- drawing ---- */

static const char *const shade[] = { "#e3e8fd", "#b4c2f4", "#7d93e4", "#4161c8", "#000091" };
#define NCLASS 5
#define NOVAL "#ececec"

struct cell {
	const struct pvd_map_dep *dep;
	const struct pvd_dash_val *v;
	int cls;                     /* -1: no value */
};

/* The cells of the map, with their classes: shares in five equal steps from the lowest share's ten (floor)
 * to 100 % (lo: that percent), other values by fifths of the largest
 * (*maxv, in units). */
static struct cell *classes(const struct pvd_dash *d, const struct pvd_block *bl, int64_t *maxv, int *lo)
{
	const struct pvd_dash_ind *in = &d->ind[bl->of];
	size_t n = bl->geo->n;
	struct cell *c = xcalloc(n ? n : 1, sizeof *c);
	for (size_t i = 0; i < n; i++)
		c[i].dep = &bl->geo->dep[i];
	*maxv = 0;
	*lo = 100;
	for (size_t i = 0; i < n; i++) {
		c[i].v = pvd_dash_group(in, bl->by, c[i].dep->code);
		const struct pvd_qty *q = c[i].v ? &c[i].v->cur : NULL;
		if (!q || q->state != PVD_Q_VALUE || q->d <= 0)
			continue;
		if (in->kind == PVD_UK_PART) {
			int pct = (int)((__int128)q->n * 100 / q->d);
			if (pct / 10 * 10 < *lo)
				*lo = pct / 10 * 10;
		} else if (q->n / q->d > *maxv) {
			*maxv = q->n / q->d;
		}
	}
	if (*lo > 90)
		*lo = 90;
	for (size_t i = 0; i < n; i++) {
		const struct pvd_dash_val *v = c[i].v;
		c[i].cls = -1;
		if (!v || v->cur.state != PVD_Q_VALUE || v->cur.d <= 0)
			continue;
		__int128 num = v->cur.n, den = v->cur.d;
		int k;
		if (in->kind == PVD_UK_PART) {
			/* the largest k with share >= lo + (100 - lo) k / 5, exactly */
			for (k = NCLASS - 1; k > 0; k--)
				if (num * 100 * NCLASS >= (__int128)(*lo * NCLASS + (100 - *lo) * k) * den)
					break;
		} else {
			k = (int)(num * NCLASS / (den * (*maxv > 0 ? *maxv : 1)));
		}
		c[i].cls = k < 0 ? 0 : k >= NCLASS ? NCLASS - 1 : k;
	}
	return c;
}

static const char *dep_name(const struct cell *c)
{
	return c->v && c->v->key_label ? c->v->key_label : c->dep->name;
}

/* "87 % (45 / 52)" or "non disponible". */
static void value_text(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl, const struct cell *c,
		       int with_nd)
{
	const struct pvd_dash_ind *in = &d->ind[bl->of];
	if (!c->v || pvd_qty_fr(d, in->kind, &c->v->cur, bl->fmt, 0, b)) {
		pvd_buf_adds(b, c->v && c->v->cur.state == PVD_Q_NULL ? PVD_NC : PVD_NA);
		return;
	}
	if (with_nd && c->v->cur.nd)
		pvd_buf_printf(b, " (%lld / %lld)", (long long)c->v->cur.n, (long long)c->v->cur.d);
}

static void esc(struct pvd_buf *b, const char *s)
{
	if (s)
		pvd_html_escape(b, s, strlen(s));
}

/* Machine value for data-value: "0.869512", "1426", "null". */
static void data_value(struct pvd_buf *b, const struct pvd_dash_ind *in, const struct cell *c)
{
	if (!c->v || c->v->cur.state != PVD_Q_VALUE) {
		pvd_buf_adds(b, "null");
		return;
	}
	pvd_qty_text(in->kind, &c->v->cur, '.', b);
}

static void shape(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl, const struct cell *c,
		  double x, double y)
{
	const struct pvd_dash_ind *in = &d->ind[bl->of];
	struct pvd_buf t = { 0 };
	if (c->dep->d) {
		pvd_buf_adds(b, "<path class=\"dep\" d=\"");
		pvd_buf_adds(b, c->dep->d);   /* checked at load: path data only */
		pvd_buf_adds(b, "\"");
	} else {
		pvd_buf_printf(b, "<rect class=\"dep om\" x=\"%.0f\" y=\"%.0f\" width=\"34\" height=\"26\" rx=\"3\"", x, y);
	}
	pvd_buf_printf(b, " fill=\"%s\" data-dep=\"", c->cls < 0 ? NOVAL : shade[c->cls]);
	esc(b, c->dep->code);
	pvd_buf_adds(b, "\" data-value=\"");
	data_value(b, in, c);
	pvd_buf_adds(b, "\"><title>");
	esc(b, dep_name(c));
	pvd_buf_adds(b, " (");
	esc(b, c->dep->code);
	pvd_buf_adds(b, ") : ");
	value_text(&t, d, bl, c, 1);
	esc(b, t.p);
	pvd_buf_adds(b, c->dep->d ? "</title></path>\n" : "</title></rect>");
	if (!c->dep->d) {
		pvd_buf_printf(b, "<text class=\"om\" x=\"%.0f\" y=\"%.0f\">", x + 40, y + 17);
		esc(b, dep_name(c));
		pvd_buf_adds(b, "</text>\n");
	}
	pvd_buf_free(&t);
}

static void legend_range(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl, int k, int64_t maxv,
			 int lo)
{
	const struct pvd_dash_ind *in = &d->ind[bl->of];
	if (in->kind == PVD_UK_PART) {
		/* bounds as in classes(), rounded to the percent for the reader */
		int a = lo + (100 - lo) * k / NCLASS, z = lo + (100 - lo) * (k + 1) / NCLASS;
		if (k == 0 && lo > 0)
			pvd_buf_printf(b, "moins de %d\u202f%%", z);
		else
			pvd_buf_printf(b, k == NCLASS - 1 ? "%d à %d\u202f%%" : "%d à moins de %d\u202f%%", a, z);
		return;
	}
	struct pvd_qty qlo = { PVD_Q_VALUE, maxv * k, NCLASS, 0 }, qhi = { PVD_Q_VALUE, maxv * (k + 1), NCLASS, 0 };
	enum pvd_ukind kk = in->kind == PVD_UK_EUR ? PVD_UK_EUR : PVD_UK_MOYENNE;
	if (kk == PVD_UK_EUR) {
		qlo.n *= 100;
		qhi.n *= 100;
		qlo.d = qhi.d = NCLASS * 100;
	}
	pvd_qty_fr(d, kk, &qlo, kk == PVD_UK_EUR ? PVD_F_EUROS : PVD_F_DECIMAL, 0, b);
	pvd_buf_adds(b, k == NCLASS - 1 ? " à " : " à moins de ");
	pvd_qty_fr(d, kk, &qhi, kk == PVD_UK_EUR ? PVD_F_EUROS : PVD_F_DECIMAL, 0, b);
}

/* The values as table rows: mk = row start, between code and name, before
 * the value, before num/den, row end. */
static void rows(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl, const struct cell *c, size_t n,
		 void (*escape)(struct pvd_buf *, const char *, size_t), const char *const mk[5])
{
	struct pvd_buf t = { 0 };
	for (size_t i = 0; i < n; i++) {
		pvd_buf_adds(b, mk[0]);
		escape(b, c[i].dep->code, strlen(c[i].dep->code));
		pvd_buf_adds(b, mk[1]);
		escape(b, dep_name(&c[i]), strlen(dep_name(&c[i])));
		pvd_buf_adds(b, mk[2]);
		pvd_buf_reset(&t);
		value_text(&t, d, bl, &c[i], 0);
		escape(b, t.p, t.len);
		pvd_buf_adds(b, mk[3]);
		if (c[i].v && c[i].v->cur.nd)
			pvd_buf_printf(b, "%lld / %lld", (long long)c[i].v->cur.n, (long long)c[i].v->cur.d);
		pvd_buf_adds(b, mk[4]);
	}
	pvd_buf_free(&t);
}

void pvd_map_html(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	const struct pvd_map_geo *g = bl->geo;
	const struct pvd_dash_ind *in = &d->ind[bl->of];
	int64_t maxv;
	int lo;
	struct cell *c = classes(d, bl, &maxv, &lo);
	double inset_x = g->w + 10, w = g->w + 170;
	pvd_buf_adds(b, "<figure class=\"map\">");
	if (bl->title) {
		pvd_buf_adds(b, "<figcaption>");
		esc(b, bl->title);
		pvd_buf_adds(b, "</figcaption>");
	}
	pvd_buf_printf(b, "\n<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"",
		       w, g->h);
	esc(b, bl->title ? bl->title : pvd_dash_label(in));
	pvd_buf_adds(b, "\">\n<g class=\"metro\">\n");
	size_t k = 0;
	for (size_t i = 0; i < g->n; i++)
		if (g->dep[i].d)
			shape(b, d, bl, &c[i], 0, 0);
	pvd_buf_printf(b, "</g>\n<g class=\"outremer\"><text class=\"omh\" x=\"%.0f\" y=\"20\">Outre-mer</text>\n", inset_x);
	for (size_t i = 0; i < g->n; i++)
		if (!g->dep[i].d)
			shape(b, d, bl, &c[i], inset_x, 34 + 36.0 * (double)k++);
	pvd_buf_adds(b, "</g></svg>\n<p class=\"legend map-legend\">");
	for (int j = 0; j < NCLASS; j++) {
		pvd_buf_printf(b, "<i style=\"background:%s\"></i>", shade[j]);
		legend_range(b, d, bl, j, maxv, lo);
	}
	pvd_buf_adds(b, "<i style=\"background:" NOVAL "\"></i>" PVD_NA "</p>\n");
	/* The same values as a table, for screen readers and for reading. */
	pvd_buf_adds(b, "<details class=\"lin\"><summary>Les valeurs par département</summary>"
			"<div class=\"tscroll\"><table class=\"mapv\"><thead><tr><th scope=\"col\">Département</th>"
			"<th scope=\"col\" class=\"n\">Valeur</th><th scope=\"col\" class=\"n\">Numérateur / dénominateur</th>"
			"</tr></thead>\n<tbody>\n");
	static const char *const row_html[] = { "<tr><th scope=\"row\">", " ", "</th><td class=\"n\">",
						 "</td><td class=\"n\">", "</td></tr>\n" };
	rows(b, d, bl, c, g->n, pvd_html_escape, row_html);
	pvd_buf_adds(b, "</tbody></table></div></details>\n<p class=\"note\">");
	esc(b, bl->attribution);
	pvd_buf_adds(b, ". Les départements d'outre-mer, que ce fond ne dessine pas, sont figurés par une case.</p></figure>\n");
	free(c);
}

void pvd_map_md(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	const struct pvd_map_geo *g = bl->geo;
	int64_t maxv;
	int lo;
	struct cell *c = classes(d, bl, &maxv, &lo);
	if (bl->title) {
		pvd_buf_adds(b, "**");
		pvd_md_escape(b, bl->title, strlen(bl->title));
		pvd_buf_adds(b, "**\n\n");
	}
	pvd_buf_adds(b, "| Département | Valeur | Numérateur / dénominateur |\n|---|--:|--:|\n");
	static const char *const row_md[] = { "| ", " ", " | ", " | ", " |\n" };
	rows(b, d, bl, c, g->n, pvd_md_escape, row_md);
	pvd_buf_adds(b, "\n");
	pvd_md_escape(b, bl->attribution, strlen(bl->attribution));
	pvd_buf_adds(b, ".\n\n");
	free(c);
}
