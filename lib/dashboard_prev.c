/* dashboard_prev — the documents a dashboard reads besides its records:
 * the previous quarter's document (pvd-render's own JSON), whose values
 * become each indicator's `prev`, and the runner's provenance file, checked
 * against config/schema/provenance.schema.json and kept as a tree.  Both
 * fail with PVD_EX_DATA at the document's LINE:COL. */
#include "dashboard_int.h"
#include "money.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	const char *why = pvd_dash_qty_parse(k, v->type == PVD_J_NUM ? v->text : NULL, jnum(o, "num"), jnum(o, "den"), q);
	return why ? jfail(c, v, "%s: %s", id, why) : 0;
}

static struct pvd_dash_val *val_find(struct pvd_dash_ind *in, const char *dim, const char *key)
{
	for (size_t i = 0; i < in->ndims; i++)
		if (strcmp(in->dims[i].name, dim) == 0) {
			struct pvd_dash_val probe = { .key = (char *)key };
			return bsearch(&probe, in->dims[i].v, in->dims[i].n, sizeof probe, pvd_dash_val_cmp);
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
	long i = pvd_dash_ind_find(d, id);
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
		pvd_dash_warn(d, "%s: unit %s in the previous document, %s now: no comparison", id, unit, in->unit);
		return 0;
	}
	int rc = jqty(c, k, o, id, &in->head.prev);
	return rc ? rc : prev_breakdowns(c, in, pvd_j_get(o, "breakdowns"));
}

/* The previous document, read into the indicators' prev values. */
static int prev_doc(struct jctx *c, struct pvd_dash *d, struct pvd_jnode **rootp)
{
	const struct pvd_jnode *root = *rootp;
	const struct pvd_jnode *ver = pvd_j_typed(root, "schema_version", PVD_J_NUM), *secs;
	const char *period = pvd_j_str(root, "period");
	if (!ver || strcmp(ver->text, "1") != 0 || !period)
		return jfail(c, root, "not a pvd-render document of schema_version 1 (no schema_version or period)");
	if (pvd_period_parse(period, &d->prev_period))
		return jfail(c, pvd_j_get(root, "period"), "period: not a period: \"%s\"", period);
	if (d->prev_period.r.end >= d->period.r.end)
		return jfail(c, pvd_j_get(root, "period"), "previous period %s does not end before %s", period,
			     d->period.text);
	if (!(secs = pvd_j_typed(root, "sections", PVD_J_ARR)))
		return jfail(c, root, "sections: expected an array");
	int rc = 0;
	for (size_t i = 0; i < secs->n && !rc; i++) {
		const struct pvd_jnode *inds = pvd_j_typed(secs->items[i], "indicators", PVD_J_ARR);
		if (!inds)
			return jfail(c, secs->items[i], "sections: a section needs an indicators array");
		for (size_t j = 0; j < inds->n && !rc; j++)
			rc = prev_indicator(c, d, inds->items[j]);
	}
	if (!rc)
		d->have_prev = 1;
	return rc;
}

/* Loads the JSON document path and hands it to read, which may keep the
 * tree (it then sets *root to NULL); what it leaves is freed. */
static int read_doc(struct pvd_dash *d, const char *path, struct pvd_err *e,
		    int (*read)(struct jctx *c, struct pvd_dash *d, struct pvd_jnode **root))
{
	struct pvd_jnode *root;
	int rc = pvd_jtree_load(path, &root, e);
	if (rc)
		return rc;
	struct jctx c = { pvd_display_name(path), e };
	rc = read(&c, d, &root);
	pvd_jnode_free(root);
	return rc;
}

int pvd_dash_previous(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	return read_doc(d, path, e, prev_doc);
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

/* The provenance file, checked and kept. */
static int prov_doc(struct jctx *c, struct pvd_dash *d, struct pvd_jnode **root)
{
	int rc = prov_check(c, d, *root);
	if (rc)
		return rc;
	d->provenance = *root;
	d->provenance_name = xstrdup(c->name);
	*root = NULL;
	return 0;
}

int pvd_dash_provenance(struct pvd_dash *d, const char *path, struct pvd_err *e)
{
	return read_doc(d, path, e, prov_doc);
}
