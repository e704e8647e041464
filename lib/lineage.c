#include "lineage.h"
#include "input.h"
#include "jtree.h"
#include "money.h"
#include "ndjson.h"
#include "xmem.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const kind_name[] = { "count", "distinct", "sum", "mean", "last", "ratio" };

static void jq(struct pvd_buf *b, const char *s)
{
	pvd_json_quote(b, s, strlen(s));
}

/* An amount as the values print it: cents with two decimals (eur), a whole
 * number otherwise (units × 100 inside). */
static void amount(struct pvd_buf *b, int eur, int64_t v)
{
	if (eur)
		pvd_cents_format(v, b);
	else
		pvd_buf_printf(b, "%" PRId64, v / 100);
}

int pvd_lineage_open(struct pvd_lineage *l, const char *path, const struct pvd_catalog *c, struct pvd_err *e)
{
	memset(l, 0, sizeof *l);
	l->c = c;
	int rc = pvd_out_open(&l->out, path, e);
	if (rc)
		return rc;
	struct pvd_buf *b = &l->out.b;
	pvd_buf_adds(b, "{\"pvd_lineage\":1,\"period\":");
	jq(b, c->period.text);
	pvd_buf_adds(b, ",\"catalog\":");
	jq(b, c->fingerprint);
	pvd_buf_adds(b, ",\"accs\":{");
	for (size_t i = 0; i < c->naccs; i++) {
		const struct pvd_acc *a = &c->accs[i];
		if (i)
			pvd_buf_addc(b, ',');
		jq(b, a->name);
		pvd_buf_printf(b, ":{\"kind\":\"%s\",\"eur\":%s,\"dataset\":", kind_name[a->kind], a->eur ? "true" : "false");
		jq(b, c->ds[a->ds].name);
		pvd_buf_adds(b, ",\"dims\":[");
		for (size_t d = 0; d < a->ndims; d++) {
			if (d)
				pvd_buf_addc(b, ',');
			jq(b, c->dims[a->dims[d]].name);
		}
		pvd_buf_adds(b, "]}");
	}
	pvd_buf_adds(b, "},\"indicators\":{");
	for (size_t i = 0; i < c->ninds; i++) {
		const struct pvd_ind *I = &c->inds[i];
		if (i)
			pvd_buf_addc(b, ',');
		jq(b, I->id);
		if (I->kind == PVD_M_RATIO) {
			pvd_buf_adds(b, ":{\"num\":");
			jq(b, c->accs[I->num].name);
			pvd_buf_adds(b, ",\"den\":");
			jq(b, c->accs[I->den].name);
		} else {
			pvd_buf_adds(b, ":{\"acc\":");
			jq(b, c->accs[I->acc].name);
		}
		pvd_buf_adds(b, ",\"dims\":[");
		for (size_t d = 0; d < I->ndims; d++) {
			if (d)
				pvd_buf_addc(b, ',');
			jq(b, c->dims[I->dims[d]].name);
		}
		pvd_buf_adds(b, "]}");
	}
	pvd_buf_adds(b, "}}\n");
	pvd_out_flush_some(&l->out);
	return 0;
}

void pvd_lineage_add(struct pvd_lineage *l, size_t ai, const struct pvd_record *r, const char *const *keys,
		     const size_t *klens, int64_t v, const char *const *vals, const size_t *vlens, size_t nvals,
		     int32_t start, int32_t end)
{
	const struct pvd_catalog *c = l->c;
	const struct pvd_acc *a = &c->accs[ai];
	struct pvd_buf *b = &l->out.b;
	pvd_buf_adds(b, "{\"acc\":");
	jq(b, a->name);
	const char *file = pvd_rec_str(r, "_file"), *sheet = pvd_rec_str(r, "_sheet");
	pvd_buf_adds(b, ",\"file\":");
	if (file)
		jq(b, file);
	else
		pvd_buf_adds(b, "null");
	if (sheet) {
		pvd_buf_adds(b, ",\"sheet\":");
		jq(b, sheet);
	}
	pvd_buf_printf(b, ",\"line\":%ld,\"keys\":{", pvd_rec_line(r));
	for (size_t d = 0; d < a->ndims; d++) {
		if (d)
			pvd_buf_addc(b, ',');
		jq(b, c->dims[a->dims[d]].name);
		pvd_buf_addc(b, ':');
		if (keys[d])
			pvd_json_quote(b, keys[d], klens[d]);
		else
			pvd_buf_adds(b, "null");
	}
	pvd_buf_addc(b, '}');
	switch (a->kind) {
	case PVD_M_SUM:
	case PVD_M_MEAN:
		pvd_buf_adds(b, ",\"amount\":");
		amount(b, a->eur, v);
		break;
	case PVD_M_DISTINCT:
		pvd_buf_adds(b, ",\"values\":[");
		for (size_t i = 0; i < nvals; i++) {
			if (i)
				pvd_buf_addc(b, ',');
			pvd_json_quote(b, vals[i], vlens[i]);
		}
		pvd_buf_addc(b, ']');
		break;
	case PVD_M_LAST:
		pvd_buf_adds(b, ",\"value\":");
		amount(b, a->eur, v);
		pvd_buf_printf(b, ",\"start\":%" PRId32 ",\"end\":%" PRId32, start, end);
		break;
	default:
		break;
	}
	pvd_buf_adds(b, "}\n");
	l->lines++;
	pvd_out_flush_some(&l->out);
}

int pvd_lineage_merge_line(struct pvd_lineage *l, const struct pvd_record *r, const char *line, size_t len,
			   const char *file, long lineno, struct pvd_err *e)
{
	const struct pvd_catalog *c = l->c;
	if (pvd_rec_get(r, "pvd_lineage")) {
		const char *v = pvd_rec_str(r, "pvd_lineage"), *p = pvd_rec_str(r, "period"),
			   *cat = pvd_rec_str(r, "catalog");
		if (!v || strcmp(v, "1"))
			return pvd_err_set(e, PVD_EX_DATA, file, lineno, 0, "not a version 1 lineage file");
		if (!p || strcmp(p, c->period.text))
			return pvd_err_set(e, PVD_EX_DATA, file, lineno, 0, "lineage of period %s, not of the period asked",
					   p ? p : "?");
		if (!cat || strcmp(cat, c->fingerprint))
			return pvd_err_set(e, PVD_EX_DATA, file, lineno, 0,
					   "lineage made with another indicator catalogue (fingerprint %s)", cat ? cat : "?");
		return 0;   /* our own header is already written */
	}
	const char *acc = pvd_rec_str(r, "acc");
	if (!acc || pvd_strset_find(&c->accnames, acc, strlen(acc)) < 0)
		return pvd_err_set(e, PVD_EX_DATA, file, lineno, 0, "lineage line of an unknown accumulator '%s'",
				   acc ? acc : "?");
	pvd_out_add(&l->out, line, len);
	pvd_out_add(&l->out, "\n", 1);
	l->lines++;
	return 0;
}

int pvd_lineage_is_input(const char *path, char *const *files, int nfiles)
{
	struct stat a, b;
	if (stat(path, &a))
		return 0;
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") && stat(files[i], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return 1;
	return 0;
}

int pvd_lineage_commit(struct pvd_lineage *l, struct pvd_err *e)
{
	return pvd_out_commit(&l->out, e);
}

void pvd_lineage_abort(struct pvd_lineage *l)
{
	pvd_out_abort(&l->out);
}

/* ---- reading ---- */

static void rows_free(struct pvd_lin_fig *f)
{
	for (size_t i = 0; i < f->nrows; i++) {
		struct pvd_lin_row *r = &f->rows[i];
		free(r->acc);
		free(r->file);
		free(r->sheet);
		for (size_t j = 0; j < r->nvals; j++)
			free(r->vals[j]);
		free(r->vals);
	}
	f->nrows = 0;
}

void pvd_lin_fig_free(struct pvd_lin_fig *f)
{
	rows_free(f);
	free(f->rows);
	free(f->id);
	for (int s = 0; s < 2; s++) {
		free(f->acc[s]);
		free(f->kind[s]);
	}
	free(f->dim);
	free(f->key);
	memset(f, 0, sizeof *f);
}

static int64_t whole(const struct pvd_jnode *n, int *ok)
{
	int64_t v;
	if (!n || n->type != PVD_J_NUM || pvd_cents_parse(n->text, n->len, &v)) {
		*ok = 0;
		return 0;
	}
	return v;
}

/* The figure's accumulators and dimension from the header. */
static int fig_from_header(struct pvd_lin_fig *f, const struct pvd_jnode *h, const char *spec, const char *name,
			   char ***cand, size_t *ncand, struct pvd_err *e)
{
	const struct pvd_jnode *inds = pvd_j_typed(h, "indicators", PVD_J_OBJ), *accs = pvd_j_typed(h, "accs", PVD_J_OBJ);
	if (!inds || !accs)
		return pvd_err_set(e, PVD_EX_DATA, name, 1, 0, "not a lineage file (no accs or indicators in the header)");
	const char *eq = strchr(spec, '=');
	f->id = eq ? xstrndup(spec, (size_t)(eq - spec)) : xstrdup(spec);
	const struct pvd_jnode *I = pvd_j_typed(inds, f->id, PVD_J_OBJ);
	if (!I)
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "%s: no indicator '%s' in this lineage", name, f->id);
	const char *a0 = pvd_j_str(I, "acc"), *n0 = pvd_j_str(I, "num"), *d0 = pvd_j_str(I, "den");
	f->acc[0] = xstrdup(a0 ? a0 : n0 ? n0 : "");
	f->acc[1] = !a0 && d0 ? xstrdup(d0) : NULL;
	for (int s = 0; s < 2; s++) {
		if (!f->acc[s])
			continue;
		const struct pvd_jnode *A = pvd_j_typed(accs, f->acc[s], PVD_J_OBJ);
		if (!A)
			return pvd_err_set(e, PVD_EX_DATA, name, 1, 0, "accumulator '%s' missing from the header", f->acc[s]);
		f->kind[s] = xstrdup(pvd_j_str(A, "kind") ? pvd_j_str(A, "kind") : "count");
		const struct pvd_jnode *eur = pvd_j_get(A, "eur");
		f->eur[s] = eur && eur->type == PVD_J_BOOL && strcmp(eur->text, "true") == 0;
	}
	if (!eq)
		return 0;
	const char *key = eq + 1, *colon = strchr(key, ':');
	const struct pvd_jnode *dims = pvd_j_typed(I, "dims", PVD_J_ARR);
	if (!dims || dims->n == 0)
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "%s: indicator '%s' has no breakdown", name, f->id);
	if (colon) {
		f->dim = xstrndup(key, (size_t)(colon - key));
		f->key = colon[1] ? xstrdup(colon + 1) : NULL;
		for (size_t i = 0; i < dims->n; i++)
			if (dims->items[i]->type == PVD_J_STR && strcmp(dims->items[i]->text, f->dim) == 0)
				return 0;
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "%s: indicator '%s' has no breakdown '%s'", name, f->id, f->dim);
	}
	/* KEY alone: a région and a département may share a code, so the
	 * caller tries the dimensions in order (DIM:KEY says which). */
	f->key = xstrdup(key);
	*cand = xcalloc(dims->n, sizeof **cand);
	for (size_t i = 0; i < dims->n; i++)
		if (dims->items[i]->type == PVD_J_STR)
			(*cand)[(*ncand)++] = xstrdup(dims->items[i]->text);
	return 0;
}

static int row_key(const struct pvd_jnode *o, const char *dim, const char *key, int *known)
{
	const struct pvd_jnode *keys = pvd_j_typed(o, "keys", PVD_J_OBJ);
	const struct pvd_jnode *k = pvd_j_get(keys, dim);
	if (!k)
		return 0;
	*known = 1;
	if (!key)
		return k->type == PVD_J_NULL;
	return k->type == PVD_J_STR && strcmp(k->text, key) == 0;
}

static int add_row(struct pvd_lin_fig *f, const struct pvd_jnode *o, int side, const char *name, long lineno,
		   struct pvd_err *e)
{
	f->rows = xgrow(f->rows, &f->cap, f->nrows + 1, sizeof *f->rows);
	struct pvd_lin_row *r = &f->rows[f->nrows++];
	memset(r, 0, sizeof *r);
	r->side = side;
	r->acc = xstrdup(pvd_j_str(o, "acc"));
	const char *file = pvd_j_str(o, "file"), *sheet = pvd_j_str(o, "sheet");
	r->file = file ? xstrdup(file) : NULL;
	r->sheet = sheet ? xstrdup(sheet) : NULL;
	int ok = 1;
	int64_t ln = whole(pvd_j_get(o, "line"), &ok);
	r->line = ok ? (long)(ln / 100) : 0;
	const struct pvd_jnode *am = pvd_j_get(o, "amount"), *vals = pvd_j_typed(o, "values", PVD_J_ARR),
			      *lv = pvd_j_get(o, "value");
	if (am) {
		r->has_amount = 1;
		r->amount = whole(am, &ok);
	}
	if (lv) {
		r->has_last = 1;
		r->lval = whole(lv, &ok);
		r->ls = (int32_t)(whole(pvd_j_get(o, "start"), &ok) / 100);
		r->le = (int32_t)(whole(pvd_j_get(o, "end"), &ok) / 100);
	}
	if (vals) {
		r->vals = xcalloc(vals->n ? vals->n : 1, sizeof *r->vals);
		for (size_t i = 0; i < vals->n; i++) {
			if (vals->items[i]->type != PVD_J_STR)
				ok = 0;
			else
				r->vals[r->nvals++] = xstrdup(vals->items[i]->text);
		}
	}
	if (!ok)
		return pvd_err_set(e, PVD_EX_DATA, name, lineno, 0, "malformed lineage line");
	return 0;
}

/* One read of the file: the header (first pass only) and the rows of the
 * figure as f says it (acc, dim, key). */
static int pass(const char *path, const char *spec, struct pvd_lin_fig *f, char ***cand, size_t *ncand,
		struct pvd_err *e)
{
	struct pvd_input in;
	int rc = pvd_input_open_aux(&in, path, e);
	if (rc)
		return rc;
	const char *line;
	size_t len;
	int got, first = 1;
	while ((got = pvd_input_line(&in, &line, &len, e)) == 1) {
		if (len == 0)
			continue;
		struct pvd_jnode *o = NULL;
		if ((rc = pvd_jtree_parse(in.name, line, len, &o, e))) {
			e->line = in.line;   /* the tree counts lines of this text */
			break;
		}
		if (first) {
			first = 0;
			const struct pvd_jnode *v = pvd_j_get(o, "pvd_lineage");
			if (!v || v->type != PVD_J_NUM || strcmp(v->text, "1"))
				rc = pvd_err_set(e, PVD_EX_DATA, in.name, in.line, 0, "not a version 1 lineage file");
			else if (!f->id)
				rc = fig_from_header(f, o, spec, in.name, cand, ncand, e);
			pvd_jnode_free(o);
			if (rc || (cand && *ncand))
				break;   /* a key without its dimension: the caller tries each */
			continue;
		}
		const char *acc = pvd_j_str(o, "acc");
		for (int s = 0; s < 2 && acc && !rc; s++) {
			if (!f->acc[s] || strcmp(acc, f->acc[s]))
				continue;
			/* A ratio's denominator without the breakdown counts whole. */
			int k = 0;
			if (!f->dim || row_key(o, f->dim, f->key, &k) || (s == 1 && !k))
				rc = add_row(f, o, s, in.name, in.line, e);
		}
		pvd_jnode_free(o);
		if (rc)
			break;
	}
	if (got < 0)
		rc = PVD_EX_IO;
	if (!rc && first)
		rc = pvd_err_set(e, PVD_EX_DATA, in.name, 0, 0, "empty: not a lineage file");
	pvd_input_close(&in);
	return rc;
}

int pvd_lin_select(const char *path, const char *spec, struct pvd_lin_fig *f, struct pvd_err *e)
{
	memset(f, 0, sizeof *f);
	char **cand = NULL;
	size_t ncand = 0;
	int rc = pass(path, spec, f, &cand, &ncand, e);
	/* ID=KEY: the first of the indicator's breakdowns that has the key. */
	for (size_t i = 0; !rc && i < ncand; i++) {
		free(f->dim);
		f->dim = xstrdup(cand[i]);
		rc = pass(path, spec, f, NULL, NULL, e);
		int found = 0;
		for (size_t j = 0; j < f->nrows; j++)
			found |= f->rows[j].side == 0;
		if (found || i + 1 == ncand)
			break;
		rows_free(f);
	}
	for (size_t i = 0; i < ncand; i++)
		free(cand[i]);
	free(cand);
	return rc;
}

/* ---- summary ---- */

void pvd_lin_summary_free(struct pvd_lin_summary *s)
{
	for (size_t i = 0; i < s->nacc; i++) {
		struct pvd_lin_acc *a = &s->acc[i];
		for (size_t j = 0; j < a->nsrc; j++)
			free(a->src[j].file);
		free(a->src);
		free(a->name);
		free(a->kind);
	}
	free(s->acc);
	for (size_t i = 0; i < s->nids; i++) {
		free(s->ids[i]);
		free(s->num[i]);
		free(s->den[i]);
	}
	free(s->ids);
	free(s->num);
	free(s->den);
	memset(s, 0, sizeof *s);
}

static int src_cmp(const void *x, const void *y)
{
	return strcmp(((const struct pvd_lin_src *)x)->file, ((const struct pvd_lin_src *)y)->file);
}

static int summary_header(struct pvd_lin_summary *s, const struct pvd_jnode *h, struct pvd_strset *names,
			  const char *name, struct pvd_err *e)
{
	const struct pvd_jnode *v = pvd_j_get(h, "pvd_lineage"), *accs = pvd_j_typed(h, "accs", PVD_J_OBJ),
			      *inds = pvd_j_typed(h, "indicators", PVD_J_OBJ);
	if (!v || v->type != PVD_J_NUM || strcmp(v->text, "1") || !accs || !inds)
		return pvd_err_set(e, PVD_EX_DATA, name, 1, 0, "not a version 1 lineage file");
	s->acc = xcalloc(accs->n ? accs->n : 1, sizeof *s->acc);
	for (size_t i = 0; i < accs->n; i++) {
		const struct pvd_jnode *a = accs->items[i], *eur = pvd_j_get(a, "eur");
		struct pvd_lin_acc *x = &s->acc[s->nacc++];
		x->name = xstrdup(accs->keys[i]);
		x->kind = xstrdup(pvd_j_str(a, "kind") ? pvd_j_str(a, "kind") : "count");
		x->eur = eur && eur->type == PVD_J_BOOL && strcmp(eur->text, "true") == 0;
		pvd_strset_add(names, x->name, strlen(x->name), NULL);
	}
	s->ids = xcalloc(inds->n ? inds->n : 1, sizeof *s->ids);
	s->num = xcalloc(inds->n ? inds->n : 1, sizeof *s->num);
	s->den = xcalloc(inds->n ? inds->n : 1, sizeof *s->den);
	for (size_t i = 0; i < inds->n; i++) {
		const struct pvd_jnode *I = inds->items[i];
		const char *a = pvd_j_str(I, "acc"), *n = pvd_j_str(I, "num"), *d = pvd_j_str(I, "den");
		s->ids[s->nids] = xstrdup(inds->keys[i]);
		s->num[s->nids] = xstrdup(a ? a : n ? n : "");
		s->den[s->nids] = !a && d ? xstrdup(d) : NULL;
		s->nids++;
	}
	return 0;
}

int pvd_lin_summary_load(const char *path, struct pvd_lin_summary *s, struct pvd_err *e)
{
	memset(s, 0, sizeof *s);
	struct pvd_input in;
	int rc = pvd_input_open_aux(&in, path, e);
	if (rc)
		return rc;
	struct pvd_strset names;
	pvd_strset_init(&names);
	struct pvd_record r;
	pvd_rec_init(&r);
	const char *line;
	size_t len;
	int got = 0, first = 1;
	while (!rc && (got = pvd_input_line(&in, &line, &len, e)) == 1) {
		if (len == 0)
			continue;
		if (first) {
			first = 0;
			struct pvd_jnode *h = NULL;
			if (!(rc = pvd_jtree_parse(in.name, line, len, &h, e)))
				rc = summary_header(s, h, &names, in.name, e);
			pvd_jnode_free(h);
			continue;
		}
		struct pvd_err pe = { 0 };
		if (pvd_ndjson_parse(line, len, &r, &pe)) {
			rc = pvd_err_set(e, PVD_EX_DATA, in.name, in.line, pe.col, "not a lineage line: %s", pe.msg);
			break;
		}
		const char *acc = pvd_rec_str(&r, "acc"), *file = pvd_rec_str(&r, "file");
		long ai = acc ? pvd_strset_find(&names, acc, strlen(acc)) : -1;
		if (ai < 0) {
			rc = pvd_err_set(e, PVD_EX_DATA, in.name, in.line, 0, "lineage line of an unknown accumulator");
			break;
		}
		struct pvd_lin_acc *a = &s->acc[ai];
		if (!file)
			file = "";
		/* records arrive file by file: the last file is the likely one */
		size_t j = a->nsrc;
		if (j && strcmp(a->src[j - 1].file, file) == 0)
			j--;
		else
			for (j = 0; j < a->nsrc && strcmp(a->src[j].file, file); j++)
				;
		if (j == a->nsrc) {
			a->src = xgrow(a->src, &a->cap, a->nsrc + 1, sizeof *a->src);
			a->src[a->nsrc++] = (struct pvd_lin_src){ .file = xstrdup(file) };
		}
		a->src[j].rows++;
		const struct pvd_field *am = pvd_rec_get(&r, "amount");
		int64_t v;
		if (am && (am->kind != PVD_NUM || pvd_cents_parse(pvd_rec_val(&r, am), am->val_len, &v) ||
			   pvd_cents_add(&a->src[j].sum, v)))
			rc = pvd_err_set(e, PVD_EX_DATA, in.name, in.line, 0, "lineage: a bad or overflowing amount");
	}
	if (!rc && got < 0)
		rc = PVD_EX_IO;
	if (!rc && first)
		rc = pvd_err_set(e, PVD_EX_DATA, in.name, 0, 0, "empty: not a lineage file");
	for (size_t i = 0; i < s->nacc; i++)
		if (s->acc[i].nsrc > 1)
			qsort(s->acc[i].src, s->acc[i].nsrc, sizeof *s->acc[i].src, src_cmp);
	pvd_rec_free(&r);
	pvd_strset_free(&names);
	pvd_input_close(&in);
	if (rc)
		pvd_lin_summary_free(s);
	return rc;
}

const struct pvd_lin_acc *pvd_lin_summary_acc(const struct pvd_lin_summary *s, const char *id, int which)
{
	for (size_t i = 0; i < s->nids; i++) {
		if (strcmp(s->ids[i], id))
			continue;
		const char *name = which ? s->den[i] : s->num[i];
		for (size_t j = 0; name && j < s->nacc; j++)
			if (strcmp(s->acc[j].name, name) == 0)
				return &s->acc[j];
		return NULL;
	}
	return NULL;
}
