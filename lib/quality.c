#include "quality.h"
#include "frfmt.h"
#include "input.h"
#include "jtree.h"
#include "money.h"
#include "ndjson.h"
#include "output.h"
#include "record.h"
#include "render.h"
#include "strset.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(struct pvd_buf *b, const char *s)
{
	if (s)
		pvd_html_escape(b, s, strlen(s));
}

static int64_t num(const struct pvd_jnode *o, const char *key)
{
	const struct pvd_jnode *n = pvd_j_get(o, key);
	int64_t v;
	return n && n->type == PVD_J_NUM && pvd_fixed_parse(n->text, n->len, 0, &v) == 0 ? v : 0;
}

static void count(struct pvd_buf *b, int64_t v)
{
	pvd_fr_fixed(b, v, 0);
}

static void amount(struct pvd_buf *b, const char *s)
{
	int64_t c;
	if (s && pvd_cents_parse(s, strlen(s), &c) == 0)
		pvd_fr_eur(b, c, PVD_EUR_CENTS, 0, 0);
	else
		esc(b, s);
}

static const char css[] =
	"body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;color:#161616;line-height:1.5}\n"
	".wrap{max-width:64rem;margin:0 auto;padding:0 1.5rem}\n"
	"header{background:#000091;color:#fff;padding:1.4rem 0}\nheader h1{margin:0;font-size:1.8rem}\n"
	"h2{color:#000091;border-bottom:3px solid #000091;margin:2rem 0 .8rem;font-size:1.35rem}\n"
	"table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.6rem 0 1.2rem}\n"
	"th,td{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\n"
	"thead th{background:#ececfe}\n.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr.differ td,tr.differ th{background:#fff4f0;color:#b34000;font-weight:700}\n"
	".alert{background:#fff4f0;border-left:4px solid #b34000;padding:.6rem 1rem;font-weight:600}\n"
	".ok{color:#18753c}\ncode,pre{font-size:.8rem}\npre{white-space:pre-wrap;margin:0;background:#f6f6f6;padding:.2rem .4rem}\n"
	"a{color:#000091}\n";

/* Up to PVD_QUALITY_SAMPLES rejected rows of one reason, from a rejects file. */
static void samples(struct pvd_buf *b, const char *dir, const char *rel, const char *reason)
{
	if (!rel || strstr(rel, "..") || rel[0] == '/')
		return;   /* only files inside the output directory */
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/%s", dir, rel);
	struct pvd_input in;
	struct pvd_err e = { 0 };
	if (pvd_input_open(&in, path.p, &e)) {
		pvd_buf_free(&path);
		return;
	}
	struct pvd_record r;
	pvd_rec_init(&r);
	const char *line;
	size_t len;
	int n = 0;
	pvd_buf_adds(b, "<ul>");
	while (n < PVD_QUALITY_SAMPLES && pvd_input_line(&in, &line, &len, &e) == 1) {
		struct pvd_err pe = { 0 };
		if (!len || pvd_ndjson_parse(line, len, &r, &pe))
			continue;
		const char *why = pvd_rec_str(&r, "reason");
		if (!why || strcmp(why, reason))
			continue;
		n++;
		pvd_buf_adds(b, "<li><code>");
		esc(b, pvd_rec_str(&r, "file"));
		pvd_buf_addc(b, ':');
		esc(b, pvd_rec_str(&r, "line"));
		pvd_buf_adds(b, "</code> ");
		esc(b, pvd_rec_str(&r, "message"));
		const char *raw = pvd_rec_str(&r, "raw"), *val = pvd_rec_str(&r, "value");
		if (raw || val) {
			pvd_buf_adds(b, "<pre>");
			esc(b, raw ? raw : val);
			pvd_buf_adds(b, "</pre>");
		}
		pvd_buf_adds(b, "</li>");
	}
	pvd_buf_adds(b, "</ul>");
	pvd_rec_free(&r);
	pvd_input_close(&in);
	pvd_buf_free(&path);
}

/* The headline values of a dashboard document (pvd-render's JSON) or of
 * indicator records (NDJSON): id → value text, unit. */
struct hv {
	char *id, *unit, *value;
};
static size_t headlines_doc(const struct pvd_jnode *doc, struct hv **out)
{
	size_t n = 0, cap = 0;
	struct hv *v = NULL;
	const struct pvd_jnode *secs = pvd_j_typed(doc, "sections", PVD_J_ARR);
	for (size_t i = 0; secs && i < secs->n; i++) {
		const struct pvd_jnode *inds = pvd_j_typed(secs->items[i], "indicators", PVD_J_ARR);
		for (size_t j = 0; inds && j < inds->n; j++) {
			const struct pvd_jnode *o = inds->items[j], *val = pvd_j_get(o, "value");
			if (!pvd_j_str(o, "id") || !pvd_j_str(o, "unit") || !val || val->type != PVD_J_NUM)
				continue;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = (struct hv){ xstrdup(pvd_j_str(o, "id")), xstrdup(pvd_j_str(o, "unit")), xstrdup(val->text) };
		}
	}
	*out = v;
	return n;
}

static size_t headlines_ndjson(const char *path, struct hv **out)
{
	size_t n = 0, cap = 0;
	struct hv *v = NULL;
	struct pvd_input in;
	struct pvd_err e = { 0 };
	*out = NULL;
	if (pvd_input_open(&in, path, &e))
		return 0;
	struct pvd_record r;
	pvd_rec_init(&r);
	const char *line;
	size_t len;
	while (pvd_input_line(&in, &line, &len, &e) == 1) {
		struct pvd_err pe = { 0 };
		if (!len || pvd_ndjson_parse(line, len, &r, &pe))
			continue;
		const struct pvd_field *bd = pvd_rec_get(&r, "breakdown"), *val = pvd_rec_get(&r, "value");
		const char *id = pvd_rec_str(&r, "id"), *unit = pvd_rec_str(&r, "unit");
		if (!id || !unit || (bd && bd->kind != PVD_NULL) || !val || val->kind != PVD_NUM)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = (struct hv){ xstrdup(id), xstrdup(unit), xstrdup(pvd_rec_val(&r, val)) };
	}
	pvd_rec_free(&r);
	pvd_input_close(&in);
	*out = v;
	return n;
}

static void hv_free(struct hv *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].unit);
		free(v[i].value);
	}
	free(v);
}

/* Counts and amounts against the previous quarter. */
static void moves(struct pvd_buf *b, const char *dir, const struct pvd_jnode *prev, const char *pperiod)
{
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/indicators.ndjson", dir);
	struct hv *cur, *old;
	size_t nc = headlines_ndjson(path.p, &cur), no = headlines_doc(prev, &old);
	pvd_buf_free(&path);
	int any = 0;
	for (size_t i = 0; i < nc; i++) {
		if (!strcmp(cur[i].unit, "part") || !strcmp(cur[i].unit, "moyenne"))
			continue;
		for (size_t j = 0; j < no; j++) {
			if (strcmp(cur[i].id, old[j].id) || strcmp(cur[i].unit, old[j].unit))
				continue;
			int64_t a, z;
			if (pvd_cents_parse(old[j].value, strlen(old[j].value), &a) ||
			    pvd_cents_parse(cur[i].value, strlen(cur[i].value), &z))
				break;
			int down = z < a;
			__int128 A = a < 0 ? -(__int128)a : a, Z = z < 0 ? -(__int128)z : z;
			int jump = (A && Z > A * PVD_QUALITY_FACTOR) || (Z && A > Z * PVD_QUALITY_FACTOR) || (!A != !Z);
			if (!down && !jump)
				break;
			if (!any)
				pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Indicateur</th><th scope=\"col\" class=\"n\">Précédent</th>"
						"<th scope=\"col\" class=\"n\">Actuel</th><th scope=\"col\">Pourquoi</th></tr></thead><tbody>\n");
			any = 1;
			int eur = !strcmp(cur[i].unit, "eur");
			pvd_buf_adds(b, "<tr class=\"differ\"><th scope=\"row\"><code>");
			esc(b, cur[i].id);
			pvd_buf_adds(b, "</code></th><td class=\"n\">");
			if (eur) amount(b, old[j].value); else count(b, a / 100);
			pvd_buf_adds(b, "</td><td class=\"n\">");
			if (eur) amount(b, cur[i].value); else count(b, z / 100);
			pvd_buf_adds(b, "</td><td>");
			if (down)
				pvd_buf_adds(b, "un stock qui baisse");
			if (jump)
				pvd_buf_printf(b, "%svariation de plus d'un facteur %d", down ? " ; " : "", PVD_QUALITY_FACTOR);
			pvd_buf_adds(b, "</td></tr>\n");
			break;
		}
	}
	if (any)
		pvd_buf_adds(b, "</tbody></table>\n");
	else {
		pvd_buf_adds(b, "<p class=\"ok\">Aucun compte ni montant en baisse ou en variation de plus d'un facteur ");
		pvd_buf_printf(b, "%d depuis ", PVD_QUALITY_FACTOR);
		esc(b, pperiod);
		pvd_buf_adds(b, ".</p>\n");
	}
	hv_free(cur, nc);
	hv_free(old, no);
}

/* Sources whose file is byte-identical to the previous quarter's. */
static void unchanged(struct pvd_buf *b, const char *dir, const char *prevdir, const char *pperiod)
{
	struct pvd_buf p1 = { 0 }, p2 = { 0 };
	pvd_buf_printf(&p1, "%s/provenance.json", dir);
	pvd_buf_printf(&p2, "%s/provenance.json", prevdir);
	struct pvd_jnode *cur = NULL, *old = NULL;
	struct pvd_err e = { 0 };
	int ok = pvd_jtree_load(p1.p, &cur, &e) == 0 && pvd_jtree_load(p2.p, &old, &e) == 0;
	pvd_buf_free(&p1);
	const struct pvd_jnode *ci = ok ? pvd_j_typed(cur, "inputs", PVD_J_ARR) : NULL,
			      *oi = ok ? pvd_j_typed(old, "inputs", PVD_J_ARR) : NULL;
	if (!ci || !oi) {
		pvd_buf_adds(b, "<p>La provenance du trimestre précédent n'a pu être lue (<code>");
		esc(b, p2.p);
		pvd_buf_adds(b, "</code>) : fichiers inchangés non vérifiés.</p>\n");
	} else {
		int any = 0;
		for (size_t i = 0; i < ci->n; i++) {
			const char *h = pvd_j_str(ci->items[i], "sha256");
			for (size_t j = 0; h && j < oi->n; j++) {
				const char *g = pvd_j_str(oi->items[j], "sha256");
				if (!g || strcmp(g, h))
					continue;
				pvd_buf_adds(b, any ? "" : "<ul>\n");
				any = 1;
				pvd_buf_adds(b, "<li><strong>");
				esc(b, pvd_j_str(ci->items[i], "source"));
				pvd_buf_adds(b, "</strong> (<code>");
				esc(b, pvd_j_str(ci->items[i], "path"));
				pvd_buf_adds(b, "</code>) : inchangé depuis ");
				esc(b, pperiod);
				pvd_buf_adds(b, " (même SHA-256 que <code>");
				esc(b, pvd_j_str(oi->items[j], "path"));
				pvd_buf_adds(b, "</code>)</li>\n");
				break;
			}
		}
		pvd_buf_adds(b, any ? "</ul>\n" : "<p class=\"ok\">Aucun fichier identique à ceux du trimestre précédent.</p>\n");
	}
	pvd_buf_free(&p2);
	pvd_jnode_free(cur);
	pvd_jnode_free(old);
}

/* Coverage, from the run's lineage: the communes of the programme list (the
 * values counted by the accumulator of dataset "pvd") that each dataset's
 * and each file's records name, and the départements of the list that a
 * dataset never names (a préfecture that sent nothing, or the wrong file). */
struct cov {
	char *name;
	struct pvd_strset communes;
};
static struct cov *cov_get(struct cov **v, size_t *n, size_t *cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name))
			return &(*v)[i];
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	struct cov *c = &(*v)[(*n)++];
	c->name = xstrdup(name);
	pvd_strset_init(&c->communes);
	return c;
}

static int lineage_pass(const char *path, int pass, const struct pvd_jnode **accs, struct pvd_jnode **hdr,
			const char **pvd_acc, struct pvd_strset *list, char ***deps, size_t *depcap,
			struct cov **ds, size_t *nds, size_t *cds, struct cov **fs, size_t *nfs, size_t *cfs)
{
	struct pvd_input in;
	struct pvd_err e = { 0 };
	if (pvd_input_open(&in, path, &e))
		return -1;
	const char *line;
	size_t len;
	int first = 1;
	while (pvd_input_line(&in, &line, &len, &e) == 1) {
		struct pvd_jnode *o = NULL;
		if (!len || pvd_jtree_parse(in.name, line, len, &o, &e))
			continue;
		if (first) {
			first = 0;
			if (pass == 0) {
				*hdr = o;
				*accs = pvd_j_typed(o, "accs", PVD_J_OBJ);
				for (size_t i = 0; *accs && i < (*accs)->n; i++) {
					const char *dsn = pvd_j_str((*accs)->items[i], "dataset"), *k = pvd_j_str((*accs)->items[i], "kind");
					if (dsn && k && !strcmp(dsn, "pvd") && !strcmp(k, "distinct") && !*pvd_acc)
						*pvd_acc = (*accs)->keys[i];
				}
				continue;
			}
			pvd_jnode_free(o);
			continue;
		}
		const char *acc = pvd_j_str(o, "acc"), *file = pvd_j_str(o, "file");
		const struct pvd_jnode *vals = pvd_j_typed(o, "values", PVD_J_ARR), *keys = pvd_j_typed(o, "keys", PVD_J_OBJ);
		if (acc && vals && *pvd_acc) {
			if (pass == 0 && !strcmp(acc, *pvd_acc)) {
				const char *dep = pvd_j_str(keys, "dep");
				for (size_t i = 0; i < vals->n; i++) {
					if (vals->items[i]->type != PVD_J_STR)
						continue;
					int added;
					uint32_t id = pvd_strset_add(list, vals->items[i]->text, vals->items[i]->len, &added);
					if (added) {
						*deps = xgrow(*deps, depcap, id + 1, sizeof **deps);
						(*deps)[id] = dep ? xstrdup(dep) : NULL;
					}
				}
			} else if (pass == 1 && strcmp(acc, *pvd_acc)) {
				const char *dsn = pvd_j_str(pvd_j_get(*accs, acc), "dataset");
				struct cov *d = dsn ? cov_get(ds, nds, cds, dsn) : NULL, *f = cov_get(fs, nfs, cfs, file ? file : "");
				for (size_t i = 0; i < vals->n; i++) {
					const struct pvd_jnode *v = vals->items[i];
					if (v->type != PVD_J_STR || pvd_strset_find(list, v->text, v->len) < 0)
						continue;
					if (d)
						pvd_strset_add(&d->communes, v->text, v->len, NULL);
					pvd_strset_add(&f->communes, v->text, v->len, NULL);
				}
			}
		}
		pvd_jnode_free(o);
	}
	pvd_input_close(&in);
	return 0;
}

static void coverage(struct pvd_buf *b, const char *dir)
{
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/lineage.ndjson", dir);
	const struct pvd_jnode *accs = NULL;
	struct pvd_jnode *hdr = NULL;
	const char *pvd_acc = NULL;
	struct pvd_strset list;
	pvd_strset_init(&list);
	char **deps = NULL;
	size_t depcap = 0, nds = 0, cds = 0, nfs = 0, cfs = 0;
	struct cov *ds = NULL, *fs = NULL;
	if (lineage_pass(path.p, 0, &accs, &hdr, &pvd_acc, &list, &deps, &depcap, &ds, &nds, &cds, &fs, &nfs, &cfs) ||
	    !pvd_acc || !pvd_strset_count(&list)) {
		pvd_buf_adds(b, "<p>Couverture non calculée : pas de lignage, ou pas de liste du programme (jeu <code>pvd</code>) dans ce lignage.</p>\n");
	} else {
		lineage_pass(path.p, 1, &accs, &hdr, &pvd_acc, &list, &deps, &depcap, &ds, &nds, &cds, &fs, &nfs, &cfs);
		size_t np = pvd_strset_count(&list);
		pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Jeu de données</th><th scope=\"col\" class=\"n\">Communes PVD nommées</th>"
				"<th scope=\"col\">Départements de la liste sans aucune commune nommée</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < nds; i++) {
			pvd_buf_adds(b, "<tr><th scope=\"row\">");
			esc(b, ds[i].name);
			if (!pvd_strset_count(&ds[i].communes)) {
				pvd_buf_adds(b, "</th><td class=\"n\">—</td><td>non mesuré : aucun indicateur ne compte ses communes</td></tr>\n");
				continue;
			}
			pvd_buf_adds(b, "</th><td class=\"n\">");
			count(b, (int64_t)pvd_strset_count(&ds[i].communes));
			pvd_buf_adds(b, " / ");
			count(b, (int64_t)np);
			pvd_buf_adds(b, "</td><td>");
			/* départements of the list, then those the dataset names */
			struct pvd_strset all, seen;
			pvd_strset_init(&all);
			pvd_strset_init(&seen);
			for (size_t k = 0; k < np; k++)
				if (deps[k])
					pvd_strset_add(&all, deps[k], strlen(deps[k]), NULL);
			for (size_t k = 0; k < pvd_strset_count(&ds[i].communes); k++) {
				size_t l;
				const char *c = pvd_strset_get(&ds[i].communes, (uint32_t)k, &l);
				long id = pvd_strset_find(&list, c, l);
				if (id >= 0 && deps[id])
					pvd_strset_add(&seen, deps[id], strlen(deps[id]), NULL);
			}
			uint32_t *ids = pvd_strset_sorted(&all);
			size_t missing = 0;
			for (size_t k = 0; k < pvd_strset_count(&all); k++) {
				size_t l;
				const char *dp = pvd_strset_get(&all, ids[k], &l);
				if (pvd_strset_find(&seen, dp, l) >= 0)
					continue;
				pvd_buf_adds(b, missing++ ? ", " : "");
				esc(b, dp);
			}
			if (!missing)
				pvd_buf_adds(b, "<span class=\"ok\">aucun</span>");
			free(ids);
			pvd_strset_free(&all);
			pvd_strset_free(&seen);
			pvd_buf_adds(b, "</td></tr>\n");
		}
		pvd_buf_adds(b, "</tbody></table>\n<table><thead><tr><th scope=\"col\">Fichier</th>"
				"<th scope=\"col\" class=\"n\">Communes PVD nommées</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < nfs; i++) {
			pvd_buf_adds(b, "<tr><td><code>");
			esc(b, fs[i].name);
			pvd_buf_adds(b, "</code></td><td class=\"n\">");
			count(b, (int64_t)pvd_strset_count(&fs[i].communes));
			pvd_buf_adds(b, "</td></tr>\n");
		}
		pvd_buf_adds(b, "</tbody></table>\n");
	}
	for (size_t i = 0; i < pvd_strset_count(&list); i++)
		free(deps[i]);
	free(deps);
	for (size_t i = 0; i < nds; i++) {
		free(ds[i].name);
		pvd_strset_free(&ds[i].communes);
	}
	for (size_t i = 0; i < nfs; i++) {
		free(fs[i].name);
		pvd_strset_free(&fs[i].communes);
	}
	free(ds);
	free(fs);
	pvd_strset_free(&list);
	pvd_jnode_free(hdr);
	pvd_buf_free(&path);
}

int pvd_quality_html(const char *dir, const char *previous, struct pvd_buf *b, struct pvd_err *e)
{
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/run-report.json", dir);
	struct pvd_jnode *rep = NULL;
	int rc = pvd_jtree_load(path.p, &rep, e);
	pvd_buf_free(&path);
	if (rc)
		return rc;
	const struct pvd_jnode *srcs = pvd_j_typed(rep, "sources", PVD_J_ARR);
	if (!srcs) {
		pvd_jnode_free(rep);
		return pvd_err_set(e, PVD_EX_DATA, dir, 0, 0, "run-report.json: no sources");
	}
	const char *period = pvd_j_str(rep, "period");
	pvd_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
			"<title>Qualité des données — ");
	esc(b, period);
	pvd_buf_adds(b, "</title>\n<style>\n");
	pvd_buf_adds(b, css);
	pvd_buf_adds(b, "</style>\n</head>\n<body>\n<header><div class=\"wrap\"><h1>Qualité des données — ");
	esc(b, period);
	pvd_buf_adds(b, "</h1></div></header>\n<main class=\"wrap\">\n"
			"<p><a href=\"indicators.html\">Tableau de bord</a> · <code>run-report.json</code> donne les mêmes faits.</p>\n");
	/* TOTAL and sous-total checks first: a difference must not be missed. */
	size_t ndiff = 0, ntot = 0;
	for (size_t i = 0; i < srcs->n; i++) {
		const struct pvd_jnode *t = pvd_j_typed(srcs->items[i], "totals", PVD_J_ARR);
		for (size_t k = 0; t && k < t->n; k++) {
			ntot++;
			const char *st = pvd_j_str(t->items[k], "status");
			ndiff += st && strcmp(st, "agree") != 0;
		}
	}
	if (ndiff)
		pvd_buf_printf(b, "<p class=\"alert\" role=\"alert\">%zu ligne%s TOTAL ou sous-total ne correspond%s pas à la somme de ses enregistrements.</p>\n",
			       ndiff, ndiff > 1 ? "s" : "", ndiff > 1 ? "ent" : "");
	pvd_buf_adds(b, "<h2 id=\"totaux\">Contrôle des lignes TOTAL et sous-total</h2>\n");
	if (!ntot)
		pvd_buf_adds(b, "<p>Aucune ligne TOTAL dans les fichiers reçus.</p>\n");
	else
		pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Ligne</th><th scope=\"col\">Libellé</th>"
				"<th scope=\"col\">Champ</th><th scope=\"col\" class=\"n\">Déclaré</th><th scope=\"col\" class=\"n\">Somme</th>"
				"<th scope=\"col\" class=\"n\">Écart</th><th scope=\"col\">Résultat</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < srcs->n; i++) {
		const struct pvd_jnode *s = srcs->items[i], *t = pvd_j_typed(s, "totals", PVD_J_ARR);
		for (size_t k = 0; t && k < t->n; k++) {
			const struct pvd_jnode *x = t->items[k];
			const char *st = pvd_j_str(x, "status");
			int differ = st && strcmp(st, "agree") != 0;
			pvd_buf_adds(b, differ ? "<tr class=\"differ\"><th scope=\"row\">" : "<tr><th scope=\"row\">");
			esc(b, pvd_j_str(s, "name"));
			pvd_buf_adds(b, "</th><td>");
			count(b, num(x, "line"));
			pvd_buf_adds(b, "</td><td>");
			esc(b, pvd_j_str(x, "label"));
			pvd_buf_adds(b, "</td><td>");
			esc(b, pvd_j_str(x, "field"));
			pvd_buf_adds(b, "</td><td class=\"n\">");
			esc(b, pvd_j_str(x, "declared"));
			pvd_buf_adds(b, "</td><td class=\"n\">");
			amount(b, pvd_j_str(x, "sum"));
			pvd_buf_adds(b, "</td><td class=\"n\">");
			amount(b, pvd_j_str(x, "difference"));
			pvd_buf_adds(b, differ ? "</td><td>écart" : "</td><td class=\"ok\">conforme");
			pvd_buf_adds(b, "</td></tr>\n");
		}
	}
	if (ntot)
		pvd_buf_adds(b, "</tbody></table>\n");
	/* Counts per source. */
	pvd_buf_adds(b, "<h2 id=\"sources\">Par source</h2>\n<table><thead><tr><th scope=\"col\">Source</th>"
			"<th scope=\"col\">Fichier</th><th scope=\"col\" class=\"n\">Lignes lues</th>"
			"<th scope=\"col\" class=\"n\">Ignorées (titres, TOTAL, vides)</th><th scope=\"col\" class=\"n\">Rejetées</th>"
			"<th scope=\"col\" class=\"n\">Utilisées</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < srcs->n; i++) {
		const struct pvd_jnode *s = srcs->items[i], *st = pvd_j_typed(s, "stages", PVD_J_ARR);
		int64_t read = 0, skipped = 0, rejected = 0, used = 0;
		for (size_t k = 0; st && k < st->n; k++) {
			const struct pvd_jnode *x = st->items[k];
			const char *name = pvd_j_str(x, "stage");
			if (name && !strcmp(name, "ingest")) {
				read = num(x, "in");
				skipped = num(x, "skipped");
			}
			rejected += num(x, "rejected");
			if (name && !strcmp(name, "aggregate"))
				used = num(x, "out");
		}
		pvd_buf_adds(b, "<tr><th scope=\"row\">");
		esc(b, pvd_j_str(s, "name"));
		pvd_buf_adds(b, "</th><td><code>");
		esc(b, pvd_j_str(s, "file"));
		pvd_buf_adds(b, "</code></td><td class=\"n\">");
		count(b, read);
		pvd_buf_adds(b, "</td><td class=\"n\">");
		count(b, skipped);
		pvd_buf_adds(b, "</td><td class=\"n\">");
		count(b, rejected);
		pvd_buf_adds(b, "</td><td class=\"n\">");
		count(b, used);
		pvd_buf_adds(b, "</td></tr>\n");
	}
	pvd_buf_adds(b, "</tbody></table>\n");
	pvd_buf_adds(b, "<h2 id=\"couverture\">Couverture de la liste du programme</h2>\n<p>Les communes de la liste "
			"du programme que nomment les enregistrements comptés dans un indicateur (d'après le lignage), "
			"par jeu de données et par fichier.</p>\n");
	coverage(b, dir);
	/* Rejects by reason, with samples. */
	pvd_buf_adds(b, "<h2 id=\"rejets\">Enregistrements rejetés, par motif</h2>\n");
	int any = 0;
	for (size_t i = 0; i < srcs->n; i++) {
		const struct pvd_jnode *s = srcs->items[i], *st = pvd_j_typed(s, "stages", PVD_J_ARR);
		for (size_t k = 0; st && k < st->n; k++) {
			const struct pvd_jnode *x = st->items[k], *by = pvd_j_typed(x, "rejects_by_reason", PVD_J_OBJ);
			for (size_t r = 0; by && r < by->n; r++) {
				any = 1;
				pvd_buf_adds(b, "<h3>");
				esc(b, pvd_j_str(s, "name"));
				pvd_buf_adds(b, " · ");
				esc(b, pvd_j_str(x, "stage"));
				pvd_buf_adds(b, " · <code>");
				esc(b, by->keys[r]);
				pvd_buf_adds(b, "</code> : ");
				count(b, by->items[r]->type == PVD_J_NUM ? num(by, by->keys[r]) : 0);
				pvd_buf_adds(b, "</h3>\n");
				samples(b, dir, pvd_j_str(x, "rejects"), by->keys[r]);
				pvd_buf_addc(b, '\n');
			}
		}
	}
	if (!any)
		pvd_buf_adds(b, "<p class=\"ok\">Aucun enregistrement rejeté.</p>\n");
	/* Against the previous quarter. */
	pvd_buf_adds(b, "<h2 id=\"precedent\">Par rapport au trimestre précédent</h2>\n");
	struct pvd_jnode *prev = NULL;
	struct pvd_err pe = { 0 };
	if (!previous) {
		pvd_buf_adds(b, "<p>Pas de trimestre précédent.</p>\n");
	} else if (pvd_jtree_load(previous, &prev, &pe)) {
		pvd_buf_adds(b, "<p>Le document du trimestre précédent n'a pu être lu : ");
		esc(b, pe.msg);
		pvd_buf_adds(b, "</p>\n");
	} else {
		const char *pperiod = pvd_j_str(prev, "period") ? pvd_j_str(prev, "period") : "le trimestre précédent";
		pvd_buf_adds(b, "<h3>Fichiers inchangés</h3>\n");
		const char *slash = strrchr(previous, '/');
		char *pdir = slash ? xstrndup(previous, (size_t)(slash - previous)) : xstrdup(".");
		unchanged(b, dir, pdir, pperiod);
		free(pdir);
		pvd_buf_adds(b, "<h3>Évolutions suspectes</h3>\n");
		moves(b, dir, prev, pperiod);
	}
	pvd_jnode_free(prev);
	pvd_buf_adds(b, "</main>\n</body>\n</html>\n");
	pvd_jnode_free(rep);
	return 0;
}

int pvd_quality_write(const char *dir, const char *previous, struct pvd_err *e)
{
	struct pvd_buf b = { 0 }, path = { 0 };
	int rc = pvd_quality_html(dir, previous, &b, e);
	if (!rc) {
		pvd_buf_printf(&path, "%s/quality.html", dir);
		rc = pvd_write_file_atomic(path.p, b.p, b.len, e);
	}
	pvd_buf_free(&b);
	pvd_buf_free(&path);
	return rc;
}
