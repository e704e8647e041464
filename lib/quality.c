#include "quality.h"
#include "frfmt.h"
#include "input.h"
#include "jtree.h"
#include "money.h"
#include "ndjson.h"
#include "output.h"
#include "period.h"
#include "record.h"
#include "render.h"
#include "strset.h"
#include "tabrow.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the model ---- */

static json_int_t jnum(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const json_t *stage_of(const json_t *src, const char *name)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(src, "stages"), i, s)
		if (jstr(s, "stage") && !strcmp(jstr(s, "stage"), name))
			return s;
	return NULL;
}

/* Rows read, skipped (by kind, from pvd-ingest's report), emitted, rejected
 * and used (what pvd-aggregate counted) of one source. */
static json_t *source_facts(const json_t *s)
{
	const json_t *ing = stage_of(s, "ingest"), *agg = stage_of(s, "aggregate");
	json_int_t rejected = 0;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(s, "stages"), i, x)
		rejected += jnum(x, "rejected");
	json_t *o = json_pack("{s:s?, s:s?, s:I, s:I}", "name", jstr(s, "name"), "file", jstr(s, "file"), "rows",
			      jnum(ing, "in"), "skipped", jnum(ing, "skipped"));
	json_t *kinds = NULL, *f;
	json_array_foreach(json_object_get(json_object_get(ing, "_report"), "files"), i, f) {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(f, "skipped"), k, v) {
			if (!kinds)
				kinds = json_object();
			json_object_set_new(kinds, k, json_integer(jnum(kinds, k) + (json_is_integer(v) ? json_integer_value(v) : 0)));
		}
	}
	json_object_set_new(o, "skipped_by_kind", kinds ? kinds : json_null());
	json_object_set_new(o, "emitted", json_integer(jnum(ing, "out")));
	json_object_set_new(o, "rejected", json_integer(rejected));
	json_object_set_new(o, "used", json_integer(jnum(agg, "out")));
	return o;
}

/* Up to PVD_QUALITY_SAMPLES rejected rows of one reason, from a rejects file
 * of the output directory. */
static json_t *samples(const char *dir, const char *rel, const char *reason)
{
	json_t *a = json_array();
	if (!rel || strstr(rel, "..") || rel[0] == '/')
		return a;   /* only files inside the output directory */
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/%s", dir, rel);
	struct pvd_input in;
	struct pvd_err e = { 0 };
	if (pvd_input_open(&in, path.p, &e)) {
		pvd_buf_free(&path);
		return a;
	}
	struct pvd_record r;
	pvd_rec_init(&r);
	const char *line;
	size_t len;
	while (json_array_size(a) < PVD_QUALITY_SAMPLES && pvd_input_line(&in, &line, &len, &e) == 1) {
		struct pvd_err pe = { 0 };
		if (!len || pvd_ndjson_parse(line, len, &r, &pe))
			continue;
		const char *why = pvd_rec_str(&r, "reason");
		if (!why || strcmp(why, reason))
			continue;
		const char *raw = pvd_rec_str(&r, "raw"), *ln = pvd_rec_str(&r, "line");
		char *end = NULL;
		long long l = ln ? strtoll(ln, &end, 10) : 0;
		json_t *sm = json_pack("{s:s?}", "file", pvd_rec_str(&r, "file"));
		json_object_set_new(sm, "line", ln && end && !*end && l > 0 ? json_integer(l) : json_null());
		json_object_set_new(sm, "message", jstr_or_null(pvd_rec_str(&r, "message")));
		json_object_set_new(sm, "raw", jstr_or_null(raw ? raw : pvd_rec_str(&r, "value")));
		json_array_append_new(a, sm);
	}
	pvd_rec_free(&r);
	pvd_input_close(&in);
	pvd_buf_free(&path);
	return a;
}

static json_t *rejects_facts(const char *dir, const json_t *sources)
{
	json_t *a = json_array();
	size_t i, k;
	json_t *s, *x;
	json_array_foreach(sources, i, s) {
		json_array_foreach(json_object_get(s, "stages"), k, x) {
			const char *reason;
			json_t *n;
			json_object_foreach(json_object_get(x, "rejects_by_reason"), reason, n) {
				json_t *o = json_pack("{s:s?, s:s?, s:s, s:I, s:s?}", "source", jstr(s, "name"), "stage",
						      jstr(x, "stage"), "reason", reason, "count",
						      json_is_integer(n) ? json_integer_value(n) : (json_int_t)0, "rejects",
						      jstr(x, "rejects"));
				json_object_set_new(o, "samples", samples(dir, jstr(x, "rejects"), reason));
				json_array_append_new(a, o);
			}
		}
	}
	return a;
}

/* The TOTAL and sous-total checks of every source (runreport.c made them). */
static json_t *totals_facts(const json_t *sources)
{
	json_t *rows = json_array();
	json_int_t differ = 0;
	size_t i, k;
	json_t *s, *t;
	json_array_foreach(sources, i, s) {
		json_array_foreach(json_object_get(s, "totals"), k, t) {
			const char *st = jstr(t, "status");
			json_t *o = json_pack("{s:s?, s:I, s:s?, s:s?, s:s?}", "source", jstr(s, "name"), "line", jnum(t, "line"),
					      "label", jstr(t, "label"), "field", jstr(t, "field"), "declared", jstr(t, "declared"));
			json_object_set_new(o, "sum", jstr_or_null(jstr(t, "sum")));
			json_object_set_new(o, "difference", jstr_or_null(jstr(t, "difference")));
			json_object_set_new(o, "status", jstr_or_null(st));
			differ += st && !strcmp(st, "differ");
			json_array_append_new(rows, o);
		}
	}
	return json_pack("{s:I, s:I, s:o}", "checked", (json_int_t)json_array_size(rows), "differ", differ, "rows", rows);
}

/* A source whose latest date (each date field of its datasets, from
 * pvd-clean's report) ends before the period begins. */
static json_t *old_dates(const json_t *sources, const char *period)
{
	json_t *a = json_array();
	struct pvd_period p;
	if (!period || pvd_period_parse(period, &p))
		return a;
	size_t i;
	json_t *s;
	json_array_foreach(sources, i, s) {
		const char *ds, *field;
		json_t *d, *v;
		json_object_foreach(json_object_get(json_object_get(stage_of(s, "clean"), "_report"), "datasets"), ds, d) {
			json_object_foreach(json_object_get(d, "latest"), field, v) {
				const char *latest = json_string_value(v);
				struct pvd_daterange r;
				if (!latest || pvd_daterange_parse(latest, strlen(latest), 0, &r) || r.end >= p.r.start)
					continue;
				json_array_append_new(a, json_pack("{s:s?, s:s?, s:s, s:s, s:s}", "source", jstr(s, "name"),
								   "file", jstr(s, "file"), "dataset", ds, "field", field,
								   "latest", latest));
			}
		}
	}
	return a;
}

/* Sources whose file is byte-identical to one of the previous quarter's
 * (provenance.json of each). */
static json_t *unchanged(const char *dir, const char *prevdir)
{
	struct pvd_buf p1 = { 0 }, p2 = { 0 };
	pvd_buf_printf(&p1, "%s/provenance.json", dir);
	pvd_buf_printf(&p2, "%s/provenance.json", prevdir);
	struct pvd_jnode *cur = NULL, *old = NULL;
	struct pvd_err e = { 0 };
	int ok = pvd_jtree_load(p1.p, &cur, &e) == 0 && pvd_jtree_load(p2.p, &old, &e) == 0;
	const struct pvd_jnode *ci = ok ? pvd_j_typed(cur, "inputs", PVD_J_ARR) : NULL,
			      *oi = ok ? pvd_j_typed(old, "inputs", PVD_J_ARR) : NULL;
	json_t *o = json_pack("{s:s, s:b}", "provenance", p2.p, "checked", ci && oi), *a = json_array();
	for (size_t i = 0; ci && oi && i < ci->n; i++) {
		const char *h = pvd_j_str(ci->items[i], "sha256");
		for (size_t j = 0; h && j < oi->n; j++) {
			const char *g = pvd_j_str(oi->items[j], "sha256");
			if (!g || strcmp(g, h))
				continue;
			json_array_append_new(a, json_pack("{s:s?, s:s?, s:s?, s:s}", "source", pvd_j_str(ci->items[i], "source"),
							   "file", pvd_j_str(ci->items[i], "path"), "previous_file",
							   pvd_j_str(oi->items[j], "path"), "sha256", h));
			break;
		}
	}
	json_object_set_new(o, "sources", a);
	pvd_buf_free(&p1);
	pvd_buf_free(&p2);
	pvd_jnode_free(cur);
	pvd_jnode_free(old);
	return o;
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

/* Counts and amounts against the previous quarter: a decrease (every
 * indicator is a stock at the end of its period) or a move by more than
 * factor, up or down.  Shares and means are not compared. */
static json_t *moves(const char *dir, const struct pvd_jnode *prev, int factor)
{
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/indicators.ndjson", dir);
	struct hv *cur, *old;
	size_t nc = headlines_ndjson(path.p, &cur), no = headlines_doc(prev, &old);
	pvd_buf_free(&path);
	json_t *a = json_array();
	for (size_t i = 0; i < nc; i++) {
		if (!strcmp(cur[i].unit, "part") || !strcmp(cur[i].unit, "moyenne"))
			continue;
		for (size_t j = 0; j < no; j++) {
			if (strcmp(cur[i].id, old[j].id) || strcmp(cur[i].unit, old[j].unit))
				continue;
			int64_t a0, z0;
			if (pvd_cents_parse(old[j].value, strlen(old[j].value), &a0) ||
			    pvd_cents_parse(cur[i].value, strlen(cur[i].value), &z0))
				break;
			int down = z0 < a0;
			__int128 A = a0 < 0 ? -(__int128)a0 : a0, Z = z0 < 0 ? -(__int128)z0 : z0;
			int jump = (A && Z > A * factor) || (Z && A > Z * factor) || (!A != !Z);
			if (down || jump)
				json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "id", cur[i].id, "unit",
								   cur[i].unit, "previous", old[j].value, "current",
								   cur[i].value, "decrease", down, "beyond_factor", jump));
			break;
		}
	}
	hv_free(cur, nc);
	hv_free(old, no);
	return a;
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

static json_t *coverage(const char *dir)
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
	json_t *o;
	if (lineage_pass(path.p, 0, &accs, &hdr, &pvd_acc, &list, &deps, &depcap, &ds, &nds, &cds, &fs, &nfs, &cfs) ||
	    !pvd_acc || !pvd_strset_count(&list)) {
		o = json_pack("{s:b}", "measured", 0);
	} else {
		lineage_pass(path.p, 1, &accs, &hdr, &pvd_acc, &list, &deps, &depcap, &ds, &nds, &cds, &fs, &nfs, &cfs);
		size_t np = pvd_strset_count(&list);
		json_t *da = json_array(), *fa = json_array();
		o = json_pack("{s:b, s:I, s:o, s:o}", "measured", 1, "programme_communes", (json_int_t)np, "datasets", da,
			      "files", fa);
		/* the départements of the list */
		struct pvd_strset all;
		pvd_strset_init(&all);
		for (size_t k = 0; k < np; k++)
			if (deps[k])
				pvd_strset_add(&all, deps[k], strlen(deps[k]), NULL);
		uint32_t *ids = pvd_strset_sorted(&all);
		for (size_t i = 0; i < nds; i++) {
			size_t nc = pvd_strset_count(&ds[i].communes);
			if (!nc) {   /* no indicator counts its communes: not measured */
				json_array_append_new(da, json_pack("{s:s, s:n, s:n}", "dataset", ds[i].name, "communes",
								    "departements_without"));
				continue;
			}
			struct pvd_strset seen;
			pvd_strset_init(&seen);
			for (size_t k = 0; k < nc; k++) {
				size_t l;
				const char *c = pvd_strset_get(&ds[i].communes, (uint32_t)k, &l);
				long id = pvd_strset_find(&list, c, l);
				if (id >= 0 && deps[id])
					pvd_strset_add(&seen, deps[id], strlen(deps[id]), NULL);
			}
			json_t *missing = json_array();
			for (size_t k = 0; k < pvd_strset_count(&all); k++) {
				size_t l;
				const char *dp = pvd_strset_get(&all, ids[k], &l);
				if (pvd_strset_find(&seen, dp, l) < 0)
					json_array_append_new(missing, json_stringn(dp, l));
			}
			pvd_strset_free(&seen);
			json_array_append_new(da, json_pack("{s:s, s:I, s:o}", "dataset", ds[i].name, "communes", (json_int_t)nc,
							    "departements_without", missing));
		}
		free(ids);
		pvd_strset_free(&all);
		for (size_t i = 0; i < nfs; i++)
			json_array_append_new(fa, json_pack("{s:s, s:I}", "file", fs[i].name, "communes",
							    (json_int_t)pvd_strset_count(&fs[i].communes)));
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
	return o;
}

json_t *pvd_quality_model(const struct pvd_quality_in *in)
{
	json_t *m = json_object(), *srcs = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(in->sources, i, s)
		if (json_is_object(s))
			json_array_append_new(srcs, source_facts(s));
	json_object_set_new(m, "sources", srcs);
	json_object_set_new(m, "totals", totals_facts(in->sources));
	json_object_set_new(m, "rejects", rejects_facts(in->dir, in->sources));
	json_object_set_new(m, "coverage", coverage(in->dir));
	json_object_set_new(m, "old_dates", old_dates(in->sources, in->period));
	/* against the previous quarter */
	json_t *prev = json_object();
	json_object_set_new(m, "previous", prev);
	json_object_set_new(prev, "document", jstr_or_null(in->previous));
	json_object_set_new(prev, "factor", json_integer(in->factor));
	struct pvd_jnode *doc = NULL;
	struct pvd_err pe = { 0 };
	if (in->previous && pvd_jtree_load(in->previous, &doc, &pe) == 0) {
		json_object_set_new(prev, "period", jstr_or_null(pvd_j_str(doc, "period")));
		const char *slash = strrchr(in->previous, '/');
		char *pdir = slash ? xstrndup(in->previous, (size_t)(slash - in->previous)) : xstrdup(".");
		json_object_set_new(prev, "unchanged", unchanged(in->dir, pdir));
		free(pdir);
		json_object_set_new(prev, "moves", moves(in->dir, doc, in->factor));
	} else if (in->previous) {
		json_object_set_new(prev, "error", json_string(pe.msg));
	}
	pvd_jnode_free(doc);
	return m;
}

/* ---- configuration ---- */

int pvd_quality_conf(const struct pvd_ydoc *d, const struct pvd_ynode *n, int *factor, struct pvd_err *e)
{
	static const char *const keys[] = { "factor", NULL };
	*factor = PVD_QUALITY_FACTOR;
	if (n->type != PVD_Y_MAP)
		return pvd_y_error(e, d, n, "quality: expected a map (factor: N)");
	int rc = pvd_y_check_keys(d, n, keys, e);
	const struct pvd_ynode *f = pvd_y_get(n, "factor");
	if (rc || !f)
		return rc;
	char *end = NULL;
	long v = f->type == PVD_Y_SCALAR ? strtol(f->str, &end, 10) : 0;
	if (f->type != PVD_Y_SCALAR || !*f->str || *end || f->str[0] == '+' || f->str[0] == ' ' || v < 2 ||
	    v > PVD_QUALITY_FACTOR_MAX)
		return pvd_y_error(e, d, f, "quality: factor: expected a whole number from 2 to %d", PVD_QUALITY_FACTOR_MAX);
	*factor = (int)v;
	return 0;
}

int pvd_quality_factor(const char *path, int *factor, struct pvd_err *e)
{
	struct pvd_ydoc d;
	*factor = PVD_QUALITY_FACTOR;
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc == PVD_EX_NOINPUT) {   /* no layout file: the default (pvd-render says what is missing) */
		memset(e, 0, sizeof *e);
		return 0;
	}
	if (rc)
		return rc;
	const struct pvd_ynode *n = pvd_y_get(d.root, "quality");
	if (n)
		rc = pvd_quality_conf(&d, n, factor, e);
	pvd_ydoc_free(&d);
	return rc;
}

/* ---- the page ---- */

static void esc(struct pvd_buf *b, const char *s)
{
	if (s)
		pvd_html_escape(b, s, strlen(s));
}

/* The markup tmpl with each '@' replaced by the next of v, escaped. */
static void fill(struct pvd_buf *b, const char *tmpl, const char *const *v)
{
	for (const char *at; (at = strchr(tmpl, '@')); tmpl = at + 1) {
		pvd_buf_add(b, tmpl, (size_t)(at - tmpl));
		esc(b, *v++);
	}
	pvd_buf_adds(b, tmpl);
}

/* A count or an amount as a French reader reads it, into t (reset). */
static const char *count(struct pvd_buf *t, json_int_t v)
{
	pvd_buf_reset(t);
	pvd_fr_fixed(t, v, 0);
	return pvd_buf_str(t);
}

static const char *amount(struct pvd_buf *t, const char *s)
{
	int64_t c;
	pvd_buf_reset(t);
	if (s && pvd_cents_parse(s, strlen(s), &c) == 0)
		pvd_fr_eur(t, c, PVD_EUR_CENTS, 0, 0);
	else if (s)
		pvd_buf_adds(t, s);
	return pvd_buf_str(t);
}

/* A value of an indicator record: an amount in euros, else a count. */
static const char *value(struct pvd_buf *t, const char *unit, const char *v)
{
	int64_t c = 0;
	if (unit && !strcmp(unit, "eur"))
		return amount(t, v);
	return count(t, v && pvd_cents_parse(v, strlen(v), &c) == 0 ? c / 100 : 0);
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

static void totals_html(struct pvd_buf *b, const json_t *t)
{
	json_int_t differ = jnum(t, "differ");
	if (differ)
		pvd_buf_printf(b, "<p class=\"alert\" role=\"alert\">%lld ligne%s TOTAL ou sous-total ne correspond%s pas à la somme de ses enregistrements.</p>\n",
			       (long long)differ, differ > 1 ? "s" : "", differ > 1 ? "ent" : "");
	pvd_buf_adds(b, "<h2 id=\"totaux\">Contrôle des lignes TOTAL et sous-total</h2>\n");
	if (!json_array_size(json_object_get(t, "rows"))) {
		pvd_buf_adds(b, "<p>Aucune ligne TOTAL dans les fichiers reçus.</p>\n");
		return;
	}
	pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Ligne</th><th scope=\"col\">Libellé</th>"
			"<th scope=\"col\">Champ</th><th scope=\"col\" class=\"n\">Déclaré</th><th scope=\"col\" class=\"n\">Somme</th>"
			"<th scope=\"col\" class=\"n\">Écart</th><th scope=\"col\">Résultat</th></tr></thead><tbody>\n");
	struct pvd_buf tmp = { 0 };
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(t, "rows"), i, x) {
		const char *st = jstr(x, "status");
		int differs = st && strcmp(st, "agree") != 0;
		struct pvd_tabrow r;
		pvd_tab_row(&r, b, 0, differs ? "differ" : NULL);
		pvd_tab_cell(&r, PVD_TC_HEAD, jstr(x, "source"));
		pvd_tab_cell(&r, 0, count(&tmp, jnum(x, "line")));
		pvd_tab_cell(&r, 0, jstr(x, "label"));
		pvd_tab_cell(&r, 0, jstr(x, "field"));
		pvd_tab_cell(&r, PVD_TC_NUM, jstr(x, "declared"));
		pvd_tab_cell(&r, PVD_TC_NUM, amount(&tmp, jstr(x, "sum")));
		pvd_tab_cell(&r, PVD_TC_NUM, amount(&tmp, jstr(x, "difference")));
		pvd_tab_cell(&r, differs ? 0 : PVD_TC_OK, differs ? "écart" : "conforme");
		pvd_tab_end(&r);
	}
	pvd_buf_free(&tmp);
	pvd_buf_adds(b, "</tbody></table>\n");
}

static const char *const kind_names[][2] = {
	{ "header", "en-tête" }, { "title", "titres" }, { "total", "TOTAL" }, { "blank", "vides" }, { NULL, NULL }
};

static void sources_html(struct pvd_buf *b, const json_t *srcs)
{
	pvd_buf_adds(b, "<h2 id=\"sources\">Par source</h2>\n<table><thead><tr><th scope=\"col\">Source</th>"
			"<th scope=\"col\">Fichier</th><th scope=\"col\" class=\"n\">Lignes lues</th>"
			"<th scope=\"col\" class=\"n\">Ignorées (titres, TOTAL, vides)</th><th scope=\"col\" class=\"n\">Rejetées</th>"
			"<th scope=\"col\" class=\"n\">Utilisées</th></tr></thead><tbody>\n");
	struct pvd_buf tmp = { 0 };
	size_t i;
	json_t *s;
	json_array_foreach(srcs, i, s) {
		struct pvd_tabrow r;
		pvd_tab_row(&r, b, 0, NULL);
		pvd_tab_cell(&r, PVD_TC_HEAD, jstr(s, "name"));
		pvd_tab_cell(&r, PVD_TC_CODE, jstr(s, "file"));
		pvd_tab_cell(&r, PVD_TC_NUM, count(&tmp, jnum(s, "rows")));
		count(&tmp, jnum(s, "skipped"));
		const json_t *k = json_object_get(s, "skipped_by_kind");
		for (int n = 0, j = 0; kind_names[j][0]; j++) {
			if (jnum(k, kind_names[j][0]) > 0)
				pvd_buf_printf(&tmp, "%s%s %lld", n++ ? ", " : " (", kind_names[j][1],
					       (long long)jnum(k, kind_names[j][0]));
			if (!kind_names[j + 1][0] && n)
				pvd_buf_addc(&tmp, ')');
		}
		pvd_tab_cell(&r, PVD_TC_NUM, pvd_buf_str(&tmp));
		pvd_tab_cell(&r, PVD_TC_NUM, count(&tmp, jnum(s, "rejected")));
		pvd_tab_cell(&r, PVD_TC_NUM, count(&tmp, jnum(s, "used")));
		pvd_tab_end(&r);
	}
	pvd_buf_free(&tmp);
	pvd_buf_adds(b, "</tbody></table>\n");
}

static void coverage_html(struct pvd_buf *b, const json_t *c)
{
	pvd_buf_adds(b, "<h2 id=\"couverture\">Couverture de la liste du programme</h2>\n<p>Les communes de la liste "
			"du programme que nomment les enregistrements comptés dans un indicateur (d'après le lignage), "
			"par jeu de données et par fichier.</p>\n");
	if (!json_is_true(json_object_get(c, "measured"))) {
		pvd_buf_adds(b, "<p>Couverture non calculée : pas de lignage, ou pas de liste du programme (jeu <code>pvd</code>) dans ce lignage.</p>\n");
		return;
	}
	pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Jeu de données</th><th scope=\"col\" class=\"n\">Communes PVD nommées</th>"
			"<th scope=\"col\">Départements de la liste sans aucune commune nommée</th></tr></thead><tbody>\n");
	struct pvd_buf tmp = { 0 }, deps = { 0 };
	size_t i, k;
	json_t *d, *x;
	json_array_foreach(json_object_get(c, "datasets"), i, d) {
		struct pvd_tabrow r;
		pvd_tab_row(&r, b, 0, NULL);
		pvd_tab_cell(&r, PVD_TC_HEAD, jstr(d, "dataset"));
		if (!json_is_integer(json_object_get(d, "communes"))) {
			pvd_tab_cell(&r, PVD_TC_NUM, "—");
			pvd_tab_cell(&r, 0, "non mesuré : aucun indicateur ne compte ses communes");
			pvd_tab_end(&r);
			continue;
		}
		count(&tmp, jnum(d, "communes"));
		pvd_buf_adds(&tmp, " / ");
		pvd_fr_fixed(&tmp, jnum(c, "programme_communes"), 0);
		pvd_tab_cell(&r, PVD_TC_NUM, pvd_buf_str(&tmp));
		pvd_buf_reset(&deps);
		json_array_foreach(json_object_get(d, "departements_without"), k, x) {
			pvd_buf_adds(&deps, k ? ", " : "");
			esc(&deps, json_string_value(x));
		}
		pvd_tab_cell(&r, PVD_TC_MARKUP, deps.len ? pvd_buf_str(&deps) : "<span class=\"ok\">aucun</span>");
		pvd_tab_end(&r);
	}
	pvd_buf_adds(b, "</tbody></table>\n<table><thead><tr><th scope=\"col\">Fichier</th>"
			"<th scope=\"col\" class=\"n\">Communes PVD nommées</th></tr></thead><tbody>\n");
	json_array_foreach(json_object_get(c, "files"), i, x) {
		struct pvd_tabrow r;
		pvd_tab_row(&r, b, 0, NULL);
		pvd_tab_cell(&r, PVD_TC_CODE, jstr(x, "file"));
		pvd_tab_cell(&r, PVD_TC_NUM, count(&tmp, jnum(x, "communes")));
		pvd_tab_end(&r);
	}
	pvd_buf_adds(b, "</tbody></table>\n");
	pvd_buf_free(&tmp);
	pvd_buf_free(&deps);
}

static void rejects_html(struct pvd_buf *b, const json_t *rj)
{
	pvd_buf_adds(b, "<h2 id=\"rejets\">Enregistrements rejetés, par motif</h2>\n");
	if (!json_array_size(rj))
		pvd_buf_adds(b, "<p class=\"ok\">Aucun enregistrement rejeté.</p>\n");
	struct pvd_buf tmp = { 0 };
	size_t i, k;
	json_t *g, *sm;
	json_array_foreach(rj, i, g) {
		pvd_buf_adds(b, "<h3>");
		esc(b, jstr(g, "source"));
		pvd_buf_adds(b, " · ");
		esc(b, jstr(g, "stage"));
		pvd_buf_adds(b, " · <code>");
		esc(b, jstr(g, "reason"));
		pvd_buf_adds(b, "</code> : ");
		pvd_buf_adds(b, count(&tmp, jnum(g, "count")));
		pvd_buf_adds(b, "</h3>\n<ul>");
		json_array_foreach(json_object_get(g, "samples"), k, sm) {
			pvd_buf_adds(b, "<li><code>");
			esc(b, jstr(sm, "file"));
			pvd_buf_addc(b, ':');
			if (json_is_integer(json_object_get(sm, "line")))
				pvd_buf_printf(b, "%lld", (long long)jnum(sm, "line"));
			pvd_buf_adds(b, "</code> ");
			esc(b, jstr(sm, "message"));
			if (jstr(sm, "raw")) {
				pvd_buf_adds(b, "<pre>");
				esc(b, jstr(sm, "raw"));
				pvd_buf_adds(b, "</pre>");
			}
			pvd_buf_adds(b, "</li>");
		}
		pvd_buf_adds(b, "</ul>\n");
	}
	pvd_buf_free(&tmp);
}

static void old_dates_html(struct pvd_buf *b, const json_t *od, const char *period)
{
	pvd_buf_adds(b, "<h2 id=\"fraicheur\">Fraîcheur des sources</h2>\n");
	if (!json_array_size(od)) {
		pvd_buf_adds(b, "<p class=\"ok\">Aucune source dont la dernière date est antérieure à la période ");
		esc(b, period);
		pvd_buf_adds(b, ".</p>\n");
		return;
	}
	pvd_buf_adds(b, "<ul>\n");
	size_t i;
	json_t *x;
	json_array_foreach(od, i, x) {
		const char *v[] = { jstr(x, "source"), jstr(x, "file"), jstr(x, "latest"), period, jstr(x, "field"),
				    jstr(x, "dataset") };
		fill(b, "<li><strong>@</strong> (<code>@</code>) : dernière date @, antérieure à la période @ "
			"(champ <code>@</code> du jeu <code>@</code>)</li>\n", v);
	}
	pvd_buf_adds(b, "</ul>\n");
}

static void previous_html(struct pvd_buf *b, const json_t *p)
{
	pvd_buf_adds(b, "<h2 id=\"precedent\">Par rapport au trimestre précédent</h2>\n");
	if (!jstr(p, "document")) {
		pvd_buf_adds(b, "<p>Pas de trimestre précédent.</p>\n");
		return;
	}
	if (jstr(p, "error")) {
		pvd_buf_adds(b, "<p>Le document du trimestre précédent n'a pu être lu : ");
		esc(b, jstr(p, "error"));
		pvd_buf_adds(b, "</p>\n");
		return;
	}
	const char *pperiod = jstr(p, "period") ? jstr(p, "period") : "le trimestre précédent";
	const json_t *u = json_object_get(p, "unchanged");
	size_t i;
	json_t *x;
	pvd_buf_adds(b, "<h3>Fichiers inchangés</h3>\n");
	if (!json_is_true(json_object_get(u, "checked"))) {
		pvd_buf_adds(b, "<p>La provenance du trimestre précédent n'a pu être lue (<code>");
		esc(b, jstr(u, "provenance"));
		pvd_buf_adds(b, "</code>) : fichiers inchangés non vérifiés.</p>\n");
	} else if (!json_array_size(json_object_get(u, "sources"))) {
		pvd_buf_adds(b, "<p class=\"ok\">Aucun fichier identique à ceux du trimestre précédent.</p>\n");
	} else {
		pvd_buf_adds(b, "<ul>\n");
		json_array_foreach(json_object_get(u, "sources"), i, x) {
			const char *v[] = { jstr(x, "source"), jstr(x, "file"), pperiod, jstr(x, "previous_file") };
			fill(b, "<li><strong>@</strong> (<code>@</code>) : inchangé depuis @ (même SHA-256 que <code>@</code>)</li>\n", v);
		}
		pvd_buf_adds(b, "</ul>\n");
	}
	pvd_buf_adds(b, "<h3>Évolutions suspectes</h3>\n");
	const json_t *mv = json_object_get(p, "moves");
	long long factor = (long long)jnum(p, "factor");
	if (!json_array_size(mv)) {
		pvd_buf_printf(b, "<p class=\"ok\">Aucun compte ni montant en baisse ou en variation de plus d'un facteur %lld depuis ",
			       factor);
		esc(b, pperiod);
		pvd_buf_adds(b, ".</p>\n");
		return;
	}
	pvd_buf_adds(b, "<table><thead><tr><th scope=\"col\">Indicateur</th><th scope=\"col\" class=\"n\">Précédent</th>"
			"<th scope=\"col\" class=\"n\">Actuel</th><th scope=\"col\">Pourquoi</th></tr></thead><tbody>\n");
	struct pvd_buf tmp = { 0 };
	json_array_foreach(mv, i, x) {
		struct pvd_tabrow r;
		int down = json_is_true(json_object_get(x, "decrease")), jump = json_is_true(json_object_get(x, "beyond_factor"));
		pvd_tab_row(&r, b, 0, "differ");
		pvd_tab_cell(&r, PVD_TC_HEAD | PVD_TC_CODE, jstr(x, "id"));
		pvd_tab_cell(&r, PVD_TC_NUM, value(&tmp, jstr(x, "unit"), jstr(x, "previous")));
		pvd_tab_cell(&r, PVD_TC_NUM, value(&tmp, jstr(x, "unit"), jstr(x, "current")));
		pvd_buf_reset(&tmp);
		if (down)
			pvd_buf_adds(&tmp, "un stock qui baisse");
		if (jump)
			pvd_buf_printf(&tmp, "%svariation de plus d'un facteur %lld", down ? " ; " : "", factor);
		pvd_tab_cell(&r, 0, pvd_buf_str(&tmp));
		pvd_tab_end(&r);
	}
	pvd_buf_free(&tmp);
	pvd_buf_adds(b, "</tbody></table>\n");
}

int pvd_quality_html(const json_t *rep, struct pvd_buf *b, struct pvd_err *e)
{
	const json_t *q = json_object_get(rep, "quality");
	if (!json_is_object(q))
		return pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0, "run-report.json: no quality facts");
	const char *period = jstr(rep, "period");
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
			"<p><a href=\"indicators.html\">Tableau de bord</a> · <code>run-report.json</code> donne les mêmes faits "
			"(membre <code>quality</code>).</p>\n");
	/* TOTAL and sous-total checks first: a difference must not be missed. */
	totals_html(b, json_object_get(q, "totals"));
	sources_html(b, json_object_get(q, "sources"));
	coverage_html(b, json_object_get(q, "coverage"));
	rejects_html(b, json_object_get(q, "rejects"));
	old_dates_html(b, json_object_get(q, "old_dates"), period);
	previous_html(b, json_object_get(q, "previous"));
	pvd_buf_adds(b, "</main>\n</body>\n</html>\n");
	return 0;
}

int pvd_quality_write(const char *dir, struct pvd_err *e)
{
	struct pvd_buf b = { 0 }, path = { 0 };
	pvd_buf_printf(&path, "%s/run-report.json", dir);
	json_error_t je;
	json_t *rep = json_load_file(path.p, 0, &je);
	int rc = rep ? pvd_quality_html(rep, &b, e)
		     : pvd_err_set(e, PVD_EX_DATA, path.p, je.line, je.column, "%s", je.text);
	if (!rc) {
		pvd_buf_reset(&path);
		pvd_buf_printf(&path, "%s/quality.html", dir);
		rc = pvd_write_file_atomic(path.p, b.p, b.len, e);
	}
	json_decref(rep);
	pvd_buf_free(&b);
	pvd_buf_free(&path);
	return rc;
}
