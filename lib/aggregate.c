#include "aggregate.h"
#include "fieldmap.h"
#include "input.h"
#include "lineage.h"
#include "money.h"
#include "ndjson.h"
#include "xmem.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define SET_CHUNK 4096

/* One group of one accumulator. */
struct grp {
	uint64_t records;
	int64_t sum;                /* SUM / MEAN: cents (eur) or units × 100 (int) */
	struct pvd_strset *set;     /* DISTINCT */
	uint32_t *inputs;           /* ids in a->files */
	size_t ninputs, icap;
	long label;                 /* id in a->labels, -1: none */
	/* LAST: the value of the latest record, ties broken by file name then line. */
	int has_last;
	int32_t ls, le;
	int64_t lval;
	long lfile, lline;
};

struct dimst {
	struct pvd_strset keys;     /* key → index in g */
	struct grp *g;
	size_t cap;
	struct grp *nullg;          /* records without the key field */
};

struct accst {
	struct grp head;
	struct dimst *dims;
};

struct slotval {
	const struct pvd_field *f;
	int64_t cents;
	struct pvd_daterange d;
	int dated;                  /* date slot: parsed (1) or undated (0) */
};

struct pvd_agg {
	struct pvd_sink base;
	const struct pvd_catalog *c;
	int partial;
	struct pvd_sink *next;
	struct pvd_rejects *rj;
	struct pvd_stats *st;
	struct accst *acc;
	struct pvd_strset files, labels;
	struct pvd_strset skipped_ds;
	unsigned long long *skipped_n;
	size_t skipped_cap;
	int **prec_slot;            /* per dataset, per slot: slot of <name>_precision or -1 */
	/* per dataset: where its slots, then _file and _line, are in the records */
	struct pvd_fieldmap *fmap;
	long lastdi;                /* dataset of the previous record (lastds), -1: none */
	struct pvd_buf lastds;
	struct slotval *sv;
	size_t svcap;
	struct pvd_buf key, tmp;
	const char **vals;          /* DISTINCT values of the current record */
	size_t *vlens, nvals, vcap;
	struct pvd_record out;
	struct pvd_agg_counts cnt;
	int merging;
	/* _file of the previous record, to avoid interning it every time */
	struct pvd_buf lastfile;   /* the last _file interned (its id: lastfid), kept without a malloc per change */
	int have_lastfile;
	long lastfid;
	struct pvd_lineage *lin;    /* NULL: no lineage asked */
};

static void grp_init(struct grp *g)
{
	memset(g, 0, sizeof *g);
	g->label = -1;
}

static void grp_free(struct grp *g)
{
	if (g->set) {
		pvd_strset_free(g->set);
		free(g->set);
	}
	free(g->inputs);
}

/* ---- groups ----------------------------------------------------------- */

static struct grp *dim_group(struct dimst *d, const char *key, size_t n)
{
	int added;
	uint32_t id = pvd_strset_add(&d->keys, key, n, &added);
	if (added) {
		d->g = xgrow(d->g, &d->cap, id + 1, sizeof *d->g);
		grp_init(&d->g[id]);
	}
	return &d->g[id];
}

static struct grp *null_group(struct dimst *d)
{
	if (!d->nullg) {
		d->nullg = xmalloc(sizeof *d->nullg);
		grp_init(d->nullg);
	}
	return d->nullg;
}

static void add_input(struct grp *g, long fid)
{
	if (fid < 0)
		return;
	/* Records arrive file by file: the last one added is the likely match. */
	if (g->ninputs && g->inputs[g->ninputs - 1] == (uint32_t)fid)
		return;
	for (size_t i = 0; i < g->ninputs; i++)
		if (g->inputs[i] == (uint32_t)fid)
			return;
	g->inputs = xgrow(g->inputs, &g->icap, g->ninputs + 1, sizeof *g->inputs);
	g->inputs[g->ninputs++] = (uint32_t)fid;
}

/* Keeps the smallest label seen (bytewise): the same whatever the order of
 * the records, so that merged states give the same output. */
static void set_label(struct pvd_agg *a, struct grp *g, const char *s, size_t n)
{
	if (g->label >= 0) {
		size_t cn;
		const char *cur = pvd_strset_get(&a->labels, (uint32_t)g->label, &cn);
		if (cn == n && memcmp(cur, s, n) == 0)
			return;
		if (pvd_bytes_cmp(s, n, cur, cn) >= 0)
			return;
	}
	g->label = pvd_strset_add(&a->labels, s, n, NULL);
}

/* Is (s, e, file, line) later than the group's last value? */
static int later(const struct pvd_agg *a, const struct grp *g, int32_t s, int32_t e, long fid, long line)
{
	if (!g->has_last)
		return 1;
	if (s != g->ls)
		return s > g->ls;
	if (e != g->le)
		return e > g->le;
	if (fid != g->lfile) {
		const char *x = fid >= 0 ? pvd_strset_get(&a->files, (uint32_t)fid, NULL) : "";
		const char *y = g->lfile >= 0 ? pvd_strset_get(&a->files, (uint32_t)g->lfile, NULL) : "";
		int c = strcmp(x, y);
		if (c)
			return c > 0;
	}
	return line > g->lline;
}

/* ---- records in ------------------------------------------------------- */

static int text_of(const struct pvd_record *r, const struct pvd_field *f, const char **s, size_t *n)
{
	if (!f || f->kind == PVD_NULL || f->kind == PVD_LIST || f->kind == PVD_RAW)
		return 0;
	*s = pvd_rec_val(r, f);
	*n = f->val_len;
	return 1;
}

static int value_eq(const struct pvd_record *r, const struct pvd_field *f, const struct pvd_cond *k)
{
	if (!f || f->kind == PVD_NULL)
		return 0;
	if (f->kind == PVD_LIST) {
		/* A list matches when one of its elements does. */
		for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it))
			for (size_t i = 0; i < k->nvals; i++)
				if (strcmp(it, k->vals[i]) == 0)
					return 1;
		return 0;
	}
	const char *s;
	size_t n;
	if (!text_of(r, f, &s, &n))
		return 0;
	for (size_t i = 0; i < k->nvals; i++)
		if (strlen(k->vals[i]) == n && memcmp(k->vals[i], s, n) == 0)
			return 1;
	return 0;
}

static int cond_ok(const struct pvd_record *r, const struct slotval *sv, const struct pvd_cond *k)
{
	const struct pvd_field *f = sv[k->slot].f;
	switch (k->op) {
	case PVD_C_EQ: return value_eq(r, f, k);
	case PVD_C_NE: return !value_eq(r, f, k);
	case PVD_C_NULL: return !f || f->kind == PVD_NULL;
	case PVD_C_NOTNULL: return f && f->kind != PVD_NULL;
	default: break;
	}
	const char *s;
	size_t n;
	if (!text_of(r, f, &s, &n))
		return 0;   /* null is not comparable */
	int c;
	int64_t v;
	if (k->isnum && pvd_canon_int_parse(s, n, &v) == 0)
		c = v < k->num ? -1 : v > k->num;
	else
		c = pvd_bytes_cmp(s, n, k->vals[0], strlen(k->vals[0]));
	switch (k->op) {
	case PVD_C_GE: return c >= 0;
	case PVD_C_GT: return c > 0;
	case PVD_C_LE: return c <= 0;
	default: return c < 0;
	}
}

static long intern_file(struct pvd_agg *a, const char *f)
{
	if (!f)
		return -1;
	if (a->have_lastfile && strcmp(a->lastfile.p, f) == 0)
		return a->lastfid;
	pvd_buf_reset(&a->lastfile);
	pvd_buf_adds(&a->lastfile, f);
	a->have_lastfile = 1;
	a->lastfid = pvd_strset_add(&a->files, f, strlen(f), NULL);
	return a->lastfid;
}

static int overflow(struct pvd_agg *a, const struct pvd_acc *acc, const char *file, long line,
		    struct pvd_err *e)
{
	const struct pvd_dataset *ds = &a->c->ds[acc->ds];
	const char *field = pvd_strset_get(&ds->slots, (uint32_t)acc->fields[0], NULL);
	return pvd_err_set(e, PVD_EX_DATA, file && *file ? file : NULL, line, 0,
			   "%s: the sum of %s overflows (more than 92233720368547758.07)", field, acc->name);
}

/* Adds the current record's contribution (a->vals for DISTINCT, v for
 * SUM/MEAN/LAST) to one group. */
static int contribute(struct pvd_agg *a, const struct pvd_acc *acc, struct grp *g, int64_t v,
		      const struct slotval *dv, long fid, long line, const char *file, struct pvd_err *e)
{
	switch (acc->kind) {
	case PVD_M_DISTINCT:
		if (!g->set) {
			g->set = xmalloc(sizeof *g->set);
			pvd_strset_init(g->set);
		}
		for (size_t i = 0; i < a->nvals; i++)
			pvd_strset_add(g->set, a->vals[i], a->vlens[i], NULL);
		break;
	case PVD_M_SUM:
	case PVD_M_MEAN:
		if (pvd_cents_add(&g->sum, v))
			return overflow(a, acc, file, line, e);
		break;
	case PVD_M_LAST: {
		int32_t s = dv && dv->dated ? dv->d.start : 0, en = dv && dv->dated ? dv->d.end : 0;
		if (later(a, g, s, en, fid, line)) {
			g->has_last = 1;
			g->ls = s;
			g->le = en;
			g->lval = v;
			g->lfile = fid;
			g->lline = line;
		}
		break;
	}
	default:
		break;
	}
	g->records++;
	add_input(g, fid);
	return 0;
}

static void push_val(struct pvd_agg *a, const char *s, size_t n)
{
	if (a->nvals == a->vcap) {
		a->vcap = a->vcap ? a->vcap * 2 : 16;
		a->vals = xrealloc(a->vals, a->vcap * sizeof *a->vals);
		a->vlens = xrealloc(a->vlens, a->vcap * sizeof *a->vlens);
	}
	a->vals[a->nvals] = s;
	a->vlens[a->nvals++] = n;
}

static void reject_rec(struct pvd_agg *a, const struct pvd_record *r, const char *reason,
		       const char *field, const char *value, const char *msg)
{
	pvd_reject_rec(a->rj, r, reason, field, value, "%s", msg);
	pvd_stats_rejected(a->st);
}

static void skip(struct pvd_agg *a, const char *ds)
{
	int added;
	uint32_t id = pvd_strset_add(&a->skipped_ds, ds, strlen(ds), &added);
	a->skipped_n = xgrow(a->skipped_n, &a->skipped_cap, id + 1, sizeof *a->skipped_n);
	if (added)
		a->skipped_n[id] = 0;
	a->skipped_n[id]++;
	pvd_stats_skipped(a->st);
}

static int agg_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_agg *a = (struct pvd_agg *)self;
	const struct pvd_catalog *c = a->c;
	const char *dsname = pvd_rec_str(r, "_dataset");
	if (!dsname) {
		reject_rec(a, r, PVD_R_UNKNOWN_DATASET, "_dataset", NULL,
			   "record without _dataset: it did not come through a source profile");
		return 0;
	}
	/* Records come dataset by dataset: the previous one is the likely one. */
	size_t dl = strlen(dsname);
	long di = a->lastdi;
	if (di < 0 || a->lastds.len != dl || memcmp(a->lastds.p, dsname, dl) != 0) {
		di = pvd_strset_find(&c->dsnames, dsname, dl);
		pvd_buf_reset(&a->lastds);
		pvd_buf_add(&a->lastds, dsname, dl);
		a->lastdi = di;
	}
	if (di < 0 || c->ds[di].naccs == 0) {
		skip(a, dsname);
		return 0;
	}
	const struct pvd_dataset *ds = &c->ds[di];
	size_t ns = pvd_strset_count(&ds->slots);
	struct slotval *sv = a->sv;
	struct pvd_fieldmap *fm = &a->fmap[di];
	pvd_fieldmap_resolve(fm, r);
	for (size_t s = 0; s < ns; s++) {
		memset(&sv[s], 0, sizeof sv[s]);
		sv[s].f = pvd_fieldmap_get(fm, s, r);
	}
	/* Amounts and dates first: a record is used whole or rejected whole. */
	for (size_t s = 0; s < ns; s++) {
		const struct pvd_field *f = sv[s].f;
		if (!f || f->kind == PVD_NULL)
			continue;
		const char *name = pvd_strset_get(&ds->slots, (uint32_t)s, NULL);
		const char *v = pvd_rec_val(r, f);
		char msg[300];
		if (ds->slot_money[s]) {
			if (f->kind != PVD_NUM) {
				snprintf(msg, sizeof msg, "not an amount: a %s where a JSON number is expected",
					 f->kind == PVD_STR ? "string" : f->kind == PVD_LIST ? "list" : "non-number");
				reject_rec(a, r, PVD_R_TYPE, name, f->kind == PVD_LIST ? NULL : v, msg);
				return 0;
			}
			if (pvd_cents_parse(v, f->val_len, &sv[s].cents)) {
				snprintf(msg, sizeof msg, "not a canonical amount: \"%.200s\"", v);
				reject_rec(a, r, PVD_R_TYPE, name, v, msg);
				return 0;
			}
			if (ds->slot_money[s] == 2 && sv[s].cents % 100) {
				snprintf(msg, sizeof msg, "not a whole number: \"%.200s\"", v);
				reject_rec(a, r, PVD_R_TYPE, name, v, msg);
				return 0;
			}
		}
		if (ds->slot_date[s]) {
			if (f->kind != PVD_STR) {
				snprintf(msg, sizeof msg, "not a date: a %s where a YYYY-MM-DD string is expected",
					 f->kind == PVD_NUM ? "number" : f->kind == PVD_LIST ? "list" : "non-string");
				reject_rec(a, r, PVD_R_TYPE, name, f->kind == PVD_LIST ? NULL : v, msg);
				return 0;
			}
			if (f->val_len == 0)
				continue;   /* an empty date is no date */
			int ps = a->prec_slot[di][s];
			const char *prec = ps >= 0 && sv[ps].f && sv[ps].f->kind == PVD_STR ? pvd_rec_val(r, sv[ps].f) : NULL;
			unsigned fl = (prec && strcmp(prec, "month") == 0 ? PVD_DR_MONTH : 0) |
				      (ds->slot_date[s] == 2 ? PVD_DR_YEAR : 0);
			if (pvd_daterange_parse(v, f->val_len, fl, &sv[s].d)) {
				snprintf(msg, sizeof msg, ds->slot_date[s] == 2
					 ? "malformed period: \"%.200s\" (2021-Q4, 2021-12, 2021-12-31 or 2021)"
					 : "malformed date: \"%.200s\" (YYYY-MM-DD, or YYYY-MM at month precision)", v);
				reject_rec(a, r, PVD_R_TYPE, name, v, msg);
				return 0;
			}
			sv[s].dated = 1;
		}
	}
	/* A breakdown key is one value: an object or a list has no group of
	 * its own and must not fall into the null group. */
	for (size_t k = 0; k < ds->naccs; k++) {
		const struct pvd_acc *acc = &c->accs[ds->accs[k]];
		for (size_t d = 0; d < acc->ndims; d++) {
			const struct pvd_field *f = sv[acc->dim_key[d]].f;
			if (f && (f->kind == PVD_RAW || f->kind == PVD_LIST)) {
				const char *name = pvd_strset_get(&ds->slots, (uint32_t)acc->dim_key[d], NULL);
				char msg[300];
				snprintf(msg, sizeof msg, "breakdown key %s is a JSON %s, not one value: no group for it",
					 name, f->kind == PVD_LIST || pvd_rec_val(r, f)[0] == '[' ? "array" : "object");
				reject_rec(a, r, PVD_R_TYPE, name, f->kind == PVD_LIST ? NULL : pvd_rec_val(r, f), msg);
				return 0;
			}
		}
	}
	pvd_stats_out(a->st);
	/* _file and _line as pvd_rec_file() and pvd_rec_line() read them */
	const struct pvd_field *ff = pvd_fieldmap_get(fm, ns, r), *lf = pvd_fieldmap_get(fm, ns + 1, r);
	const char *fs = ff && ff->kind != PVD_NULL && ff->kind != PVD_LIST ? pvd_rec_val(r, ff) : NULL;
	long fid = intern_file(a, fs);
	long line = lf && lf->kind != PVD_NULL && lf->kind != PVD_LIST ? pvd_line_parse(pvd_rec_val(r, lf)) : 0;
	const char *file = fs ? fs : "";
	const struct pvd_period *P = &c->period;
	for (size_t k = 0; k < ds->naccs; k++) {
		size_t ai = ds->accs[k];
		const struct pvd_acc *acc = &c->accs[ai];
		size_t j;
		for (j = 0; j < acc->nconds; j++)
			if (!cond_ok(r, sv, &acc->conds[j]))
				break;
		if (j < acc->nconds)
			continue;
		const struct slotval *dv = NULL;
		if (acc->date_slot >= 0) {
			dv = &sv[acc->date_slot];
			if (!dv->dated) {
				if (!acc->undated_count)
					continue;
			} else if (acc->flow ? (dv->d.end < P->r.start || dv->d.start > P->r.end)
					     : dv->d.start > P->r.end) {
				continue;
			}
		}
		/* What the record gives this measure. */
		int64_t v = 0;
		a->nvals = 0;
		if (acc->kind == PVD_M_DISTINCT) {
			if (acc->nfields == 1) {
				const struct pvd_field *f = sv[acc->fields[0]].f;
				if (f && f->kind == PVD_LIST) {
					for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it))
						push_val(a, it, strlen(it));
				} else {
					const char *s;
					size_t n;
					if (text_of(r, f, &s, &n))
						push_val(a, s, n);
				}
			} else {
				/* A tuple: its values joined by U+001F; any null and it is no value. */
				pvd_buf_reset(&a->key);
				size_t i;
				for (i = 0; i < acc->nfields; i++) {
					const char *s;
					size_t n;
					if (!text_of(r, sv[acc->fields[i]].f, &s, &n))
						break;
					if (i)
						pvd_buf_addc(&a->key, '\x1f');
					pvd_buf_add(&a->key, s, n);
				}
				if (i == acc->nfields)
					push_val(a, a->key.p, a->key.len);
			}
			if (a->nvals == 0)
				continue;
		} else if (acc->kind != PVD_M_COUNT) {
			const struct slotval *x = &sv[acc->fields[0]];
			if (!x->f || x->f->kind == PVD_NULL)
				continue;
			v = x->cents;
		}
		if (a->lin) {
			const char *ks[32];
			size_t kn[32];
			for (size_t d = 0; d < acc->ndims && d < 32; d++)
				if (!text_of(r, sv[acc->dim_key[d]].f, &ks[d], &kn[d]))
					ks[d] = NULL, kn[d] = 0;
			int dated = dv && dv->dated;
			pvd_lineage_add(a->lin, ai, r, ks, kn, v, a->vals, a->vlens, a->nvals, dated ? dv->d.start : 0,
					dated ? dv->d.end : 0);
		}
		struct accst *st = &a->acc[ai];
		int rc = contribute(a, acc, &st->head, v, dv, fid, line, file, e);
		for (size_t d = 0; d < acc->ndims && !rc; d++) {
			const char *ks, *ls;
			size_t kn, ln;
			struct grp *g;
			if (text_of(r, sv[acc->dim_key[d]].f, &ks, &kn))
				g = dim_group(&st->dims[d], ks, kn);
			else
				g = null_group(&st->dims[d]);
			rc = contribute(a, acc, g, v, dv, fid, line, file, e);
			if (!rc && acc->dim_label[d] >= 0 && text_of(r, sv[acc->dim_label[d]].f, &ls, &ln))
				set_label(a, g, ls, ln);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- output ----------------------------------------------------------- */

void pvd_ratio6(int64_t num, int64_t den, struct pvd_buf *out)
{
	__int128 n = num, d = den;
	int neg = (n < 0) != (d < 0);
	if (n < 0)
		n = -n;
	if (d < 0)
		d = -d;
	/* round(n × 10^6 / d), halves away from zero */
	__int128 q = (n * 2000000 + d) / (2 * d);
	unsigned long long ip = (unsigned long long)(q / 1000000), fp = (unsigned long long)(q % 1000000);
	pvd_buf_printf(out, "%s%llu.%06llu", neg && q ? "-" : "", ip, fp);
}

/* The integer value of a group of an accumulator, as a ratio operand. */
static int64_t operand(const struct pvd_acc *acc, const struct grp *g)
{
	if (!g)
		return 0;
	switch (acc->kind) {
	case PVD_M_COUNT: return (int64_t)g->records;
	case PVD_M_DISTINCT: return g->set ? (int64_t)pvd_strset_count(g->set) : 0;
	case PVD_M_SUM: return acc->eur ? g->sum : g->sum / 100;
	case PVD_M_LAST: return g->has_last ? (acc->eur ? g->lval : g->lval / 100) : 0;
	default: return 0;
	}
}

static void set_list(struct pvd_record *r, const char *name, const char *const *items, size_t n,
		     struct pvd_buf *tmp)
{
	pvd_buf_reset(tmp);
	for (size_t i = 0; i < n; i++)
		pvd_buf_add(tmp, items[i], strlen(items[i]) + 1);
	pvd_rec_set_list(r, name, tmp->p ? tmp->p : "", tmp->len, (unsigned)n);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sorted, distinct names of the inputs of up to two groups. */
static size_t input_names(const struct pvd_agg *a, const struct grp *g1, const struct grp *g2,
			  const char ***out)
{
	size_t n = (g1 ? g1->ninputs : 0) + (g2 ? g2->ninputs : 0), k = 0;
	const char **v = xmalloc((n ? n : 1) * sizeof *v);
	for (int w = 0; w < 2; w++) {
		const struct grp *g = w ? g2 : g1;
		for (size_t i = 0; g && i < g->ninputs; i++)
			v[k++] = pvd_strset_get(&a->files, g->inputs[i], NULL);
	}
	qsort(v, k, sizeof *v, cmp_str);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || strcmp(v[m - 1], v[i]))
			v[m++] = v[i];
	*out = v;
	return m;
}

struct emit {
	const struct pvd_ind *ind;
	const char *dim;            /* NULL: headline */
	const char *key;            /* NULL: null key (or headline) */
	const char *label;
	const struct pvd_acc *acc, *num, *den;
	const struct grp *g, *gn, *gd;
};

static const char *group_label(const struct pvd_agg *a, const struct pvd_dim *dm, const char *key,
			       const struct grp *g1, const struct grp *g2)
{
	if (dm->labels) {
		long id = key ? pvd_strset_find(&dm->lkeys, key, strlen(key)) : -1;
		return id >= 0 ? dm->labels[id] : NULL;
	}
	if (g1 && g1->label >= 0)
		return pvd_strset_get(&a->labels, (uint32_t)g1->label, NULL);
	if (g2 && g2->label >= 0)
		return pvd_strset_get(&a->labels, (uint32_t)g2->label, NULL);
	return NULL;
}

static int emit_value(struct pvd_agg *a, const struct emit *m, struct pvd_err *e)
{
	const struct pvd_catalog *c = a->c;
	const struct pvd_ind *I = m->ind;
	struct pvd_record *r = &a->out;
	struct pvd_buf *b = &a->tmp;
	pvd_rec_clear(r);
	pvd_rec_set_str(r, "id", I->id);
	pvd_rec_set_str(r, "label", I->label);
	pvd_rec_set_str(r, "unit", I->unit);
	if (I->description)
		pvd_rec_set_str(r, "description", I->description);
	pvd_rec_set_str(r, "period", c->period.text);
	int64_t num = 0, den = 0;
	int ratio = 0;
	uint64_t records;
	pvd_buf_reset(b);
	if (I->kind == PVD_M_RATIO) {
		num = operand(m->num, m->gn);
		den = operand(m->den, m->gd);
		ratio = 1;
		records = (m->gn ? m->gn->records : 0) + (m->gd ? m->gd->records : 0);
	} else {
		const struct grp *g = m->g;
		records = g ? g->records : 0;
		switch (I->kind) {
		case PVD_M_MEAN:
			ratio = 1;
			num = g ? (m->acc->eur ? g->sum : g->sum / 100) : 0;
			den = (int64_t)records * (m->acc->eur ? 100 : 1);
			break;
		case PVD_M_SUM:
			if (m->acc->eur)
				pvd_cents_format(g ? g->sum : 0, b);
			else
				pvd_buf_printf(b, "%" PRId64, g ? g->sum / 100 : 0);
			break;
		case PVD_M_LAST:
			if (g && g->has_last) {
				if (m->acc->eur)
					pvd_cents_format(g->lval, b);
				else
					pvd_buf_printf(b, "%" PRId64, g->lval / 100);
			}
			break;
		default:
			pvd_buf_printf(b, "%" PRId64, operand(m->acc, g));
		}
	}
	if (ratio && den != 0)
		pvd_ratio6(num, den, b);
	if (b->len)
		pvd_rec_set(r, "value", PVD_NUM, b->p, b->len);
	else
		pvd_rec_set_null(r, "value");
	if (ratio) {
		pvd_rec_set_long(r, "num", num);
		pvd_rec_set_long(r, "den", den);
	} else {
		pvd_rec_set_null(r, "num");
		pvd_rec_set_null(r, "den");
	}
	if (m->dim) {
		pvd_rec_set_str(r, "breakdown", m->dim);
		if (m->key)
			pvd_rec_set_str(r, "key", m->key);
		else
			pvd_rec_set_null(r, "key");
		if (m->label)
			pvd_rec_set_str(r, "key_label", m->label);
		else
			pvd_rec_set_null(r, "key_label");
	} else {
		pvd_rec_set_null(r, "breakdown");
		pvd_rec_set_null(r, "key");
		pvd_rec_set_null(r, "key_label");
	}
	const char *dsn[2];
	size_t nd = 0;
	if (ratio && I->kind == PVD_M_RATIO) {
		const char *x = c->ds[m->num->ds].name, *y = c->ds[m->den->ds].name;
		int cmp = strcmp(x, y);
		dsn[nd++] = cmp <= 0 ? x : y;
		if (cmp)
			dsn[nd++] = cmp < 0 ? y : x;
	} else {
		dsn[nd++] = c->ds[m->acc->ds].name;
	}
	struct pvd_buf lb = { 0 };
	set_list(r, "datasets", dsn, nd, &lb);
	pvd_rec_set_long(r, "records", (long long)records);
	const char **in;
	size_t nin = I->kind == PVD_M_RATIO ? input_names(a, m->gn, m->gd, &in) : input_names(a, m->g, NULL, &in);
	set_list(r, "inputs", in, nin, &lb);
	free(in);
	pvd_buf_free(&lb);
	a->cnt.values++;
	return pvd_sink_put(a->next, r, e);
}

static int emit_base(struct pvd_agg *a, const struct pvd_ind *I, struct pvd_err *e)
{
	const struct pvd_acc *acc = &a->c->accs[I->acc];
	const struct accst *st = &a->acc[I->acc];
	struct emit m = { .ind = I, .acc = acc, .g = &st->head };
	int rc = emit_value(a, &m, e);
	for (size_t d = 0; d < acc->ndims && !rc; d++) {
		const struct dimst *ds = &st->dims[d];
		const struct pvd_dim *dm = &a->c->dims[acc->dims[d]];
		uint32_t *ids = pvd_strset_sorted(&ds->keys);
		for (size_t i = 0; i < pvd_strset_count(&ds->keys) && !rc; i++) {
			m.dim = dm->name;
			m.key = pvd_strset_get(&ds->keys, ids[i], NULL);
			m.g = &ds->g[ids[i]];
			m.label = group_label(a, dm, m.key, m.g, NULL);
			rc = emit_value(a, &m, e);
		}
		free(ids);
		if (!rc && ds->nullg) {
			m.dim = dm->name;
			m.key = NULL;
			m.g = ds->nullg;
			m.label = NULL;
			rc = emit_value(a, &m, e);
		}
	}
	return rc;
}

static long acc_dim(const struct pvd_acc *acc, size_t dim)
{
	for (size_t j = 0; j < acc->ndims; j++)
		if (acc->dims[j] == dim)
			return (long)j;
	return -1;
}

static const struct grp *find_group(const struct dimst *d, const char *key)
{
	long id = pvd_strset_find(&d->keys, key, strlen(key));
	return id >= 0 ? &d->g[id] : NULL;
}

static int emit_ratio(struct pvd_agg *a, const struct pvd_ind *I, struct pvd_err *e)
{
	const struct pvd_catalog *c = a->c;
	const struct pvd_acc *na = &c->accs[I->num], *da = &c->accs[I->den];
	const struct accst *ns = &a->acc[I->num], *dst = &a->acc[I->den];
	struct emit m = { .ind = I, .num = na, .den = da, .gn = &ns->head, .gd = &dst->head };
	int rc = emit_value(a, &m, e);
	for (size_t d = 0; d < I->ndims && !rc; d++) {
		const struct pvd_dim *dm = &c->dims[I->dims[d]];
		long jn = acc_dim(na, I->dims[d]), jd = acc_dim(da, I->dims[d]);
		const struct dimst *nd = &ns->dims[jn], *dd = jd >= 0 ? &dst->dims[jd] : NULL;
		/* The groups of either side: a group with no numerator is a 0 share. */
		struct pvd_strset keys;
		pvd_strset_init(&keys);
		for (size_t i = 0; i < pvd_strset_count(&nd->keys); i++) {
			size_t n;
			const char *k = pvd_strset_get(&nd->keys, (uint32_t)i, &n);
			pvd_strset_add(&keys, k, n, NULL);
		}
		for (size_t i = 0; dd && i < pvd_strset_count(&dd->keys); i++) {
			size_t n;
			const char *k = pvd_strset_get(&dd->keys, (uint32_t)i, &n);
			pvd_strset_add(&keys, k, n, NULL);
		}
		uint32_t *ids = pvd_strset_sorted(&keys);
		for (size_t i = 0; i < pvd_strset_count(&keys) && !rc; i++) {
			m.dim = dm->name;
			m.key = pvd_strset_get(&keys, ids[i], NULL);
			m.gn = find_group(nd, m.key);
			m.gd = dd ? find_group(dd, m.key) : &dst->head;
			m.label = group_label(a, dm, m.key, m.gn, dd ? m.gd : NULL);
			rc = emit_value(a, &m, e);
		}
		free(ids);
		pvd_strset_free(&keys);
		if (!rc && (nd->nullg || (dd && dd->nullg))) {
			m.dim = dm->name;
			m.key = NULL;
			m.label = NULL;
			m.gn = nd->nullg;
			m.gd = dd ? dd->nullg : &dst->head;
			rc = emit_value(a, &m, e);
		}
	}
	return rc;
}

/* ---- partial state out ------------------------------------------------ */

static int emit_state_group(struct pvd_agg *a, const struct pvd_acc *acc, const char *dim,
			    const char *key, const struct grp *g, struct pvd_err *e)
{
	if (g->records == 0)
		return 0;
	struct pvd_record *r = &a->out;
	struct pvd_buf *b = &a->tmp;
	uint32_t *ids = g->set ? pvd_strset_sorted(g->set) : NULL;
	size_t nset = g->set ? pvd_strset_count(g->set) : 0, done = 0;
	int rc = 0, first = 1;
	do {
		pvd_rec_clear(r);
		pvd_rec_set_str(r, "acc", acc->name);
		if (dim)
			pvd_rec_set_str(r, "dim", dim);
		else
			pvd_rec_set_null(r, "dim");
		if (key)
			pvd_rec_set_str(r, "key", key);
		else
			pvd_rec_set_null(r, "key");
		if (first) {
			if (g->label >= 0)
				pvd_rec_set_str(r, "label", pvd_strset_get(&a->labels, (uint32_t)g->label, NULL));
			else
				pvd_rec_set_null(r, "label");
			pvd_rec_set_long(r, "records", (long long)g->records);
			if (acc->kind == PVD_M_SUM || acc->kind == PVD_M_MEAN)
				pvd_rec_set_long(r, "sum", g->sum);
			if (acc->kind == PVD_M_LAST && g->has_last) {
				pvd_rec_set_long(r, "last_start", g->ls);
				pvd_rec_set_long(r, "last_end", g->le);
				pvd_rec_set_long(r, "last_value", g->lval);
				if (g->lfile >= 0)
					pvd_rec_set_str(r, "last_file", pvd_strset_get(&a->files, (uint32_t)g->lfile, NULL));
				else
					pvd_rec_set_null(r, "last_file");
				pvd_rec_set_long(r, "last_line", g->lline);
			}
			const char **in;
			size_t nin = input_names(a, g, NULL, &in);
			struct pvd_buf lb = { 0 };
			set_list(r, "inputs", in, nin, &lb);
			pvd_buf_free(&lb);
			free(in);
		}
		if (g->set) {
			size_t n = nset - done > SET_CHUNK ? SET_CHUNK : nset - done;
			pvd_buf_reset(b);
			for (size_t i = 0; i < n; i++) {
				size_t l;
				const char *s = pvd_strset_get(g->set, ids[done + i], &l);
				pvd_buf_add(b, s, l + 1);
			}
			pvd_rec_set_list(r, "set", b->p ? b->p : "", b->len, (unsigned)n);
			done += n;
		}
		a->cnt.values++;
		rc = pvd_sink_put(a->next, r, e);
		first = 0;
	} while (!rc && done < nset);
	free(ids);
	return rc;
}

static int emit_state(struct pvd_agg *a, struct pvd_err *e)
{
	const struct pvd_catalog *c = a->c;
	struct pvd_record *r = &a->out;
	pvd_rec_clear(r);
	pvd_rec_set_long(r, "pvd_aggregate_state", 1);
	pvd_rec_set_str(r, "period", c->period.text);
	pvd_rec_set_str(r, "catalog", c->fingerprint);
	struct pvd_agg_counts k;
	pvd_agg_counts(a, &k);
	pvd_rec_set_long(r, "in", (long long)k.in);
	pvd_rec_set_long(r, "used", (long long)k.used);
	pvd_rec_set_long(r, "rejected", (long long)k.rejected);
	pvd_rec_set_long(r, "skipped", (long long)k.skipped);
	a->cnt.values++;
	int rc = pvd_sink_put(a->next, r, e);
	for (size_t i = 0; i < c->naccs && !rc; i++) {
		const struct pvd_acc *acc = &c->accs[i];
		const struct accst *st = &a->acc[i];
		rc = emit_state_group(a, acc, NULL, NULL, &st->head, e);
		for (size_t d = 0; d < acc->ndims && !rc; d++) {
			const struct dimst *ds = &st->dims[d];
			const char *dim = c->dims[acc->dims[d]].name;
			uint32_t *ids = pvd_strset_sorted(&ds->keys);
			for (size_t j = 0; j < pvd_strset_count(&ds->keys) && !rc; j++)
				rc = emit_state_group(a, acc, dim, pvd_strset_get(&ds->keys, ids[j], NULL), &ds->g[ids[j]], e);
			free(ids);
			if (!rc && ds->nullg)
				rc = emit_state_group(a, acc, dim, NULL, ds->nullg, e);
		}
	}
	return rc;
}

static int agg_end(struct pvd_sink *self, struct pvd_err *e)
{
	struct pvd_agg *a = (struct pvd_agg *)self;
	int rc = 0;
	a->cnt.values = 0;
	if (a->partial) {
		rc = emit_state(a, e);
	} else {
		for (size_t i = 0; i < a->c->ninds && !rc; i++) {
			const struct pvd_ind *I = &a->c->inds[i];
			rc = I->kind == PVD_M_RATIO ? emit_ratio(a, I, e) : emit_base(a, I, e);
		}
	}
	if (!rc)
		rc = pvd_sink_end(a->next, e);
	return rc;
}

/* ---- partial state in ------------------------------------------------- */

static int bad(struct pvd_err *e, const char *file, long line, const char *fmt, const char *arg)
{
	pvd_err_set(e, PVD_EX_DATA, file, line, 0, fmt, arg ? arg : "");
	return PVD_EX_DATA;
}

static int num_field(const struct pvd_record *r, const char *name, int64_t *v)
{
	const struct pvd_field *f = pvd_rec_get(r, name);
	if (!f || f->kind == PVD_NULL) {
		*v = 0;
		return 0;
	}
	if (f->kind != PVD_NUM)
		return -1;
	return pvd_canon_int_parse(pvd_rec_val(r, f), f->val_len, v);
}

static int merge_header(struct pvd_agg *a, const struct pvd_record *r, const char *file, long line,
			struct pvd_err *e)
{
	int64_t ver, in, used, rej, skp;
	const char *p = pvd_rec_str(r, "period"), *cat = pvd_rec_str(r, "catalog");
	if (num_field(r, "pvd_aggregate_state", &ver) || ver != 1)
		return bad(e, file, line, "not a version 1 aggregate state%s", NULL);
	if (!p || strcmp(p, a->c->period.text))
		return bad(e, file, line, "state of period %s, not of the period asked", p ? p : "?");
	if (!cat || strcmp(cat, a->c->fingerprint))
		return bad(e, file, line, "state made with another indicator catalogue (fingerprint %s)", cat ? cat : "?");
	if (num_field(r, "in", &in) || num_field(r, "used", &used) || num_field(r, "rejected", &rej) ||
	    num_field(r, "skipped", &skp) || in < 0 || used < 0 || rej < 0 || skp < 0 || in != used + rej + skp)
		return bad(e, file, line, "state header: counts missing or not reconciled (in = used + rejected + skipped)%s", NULL);
	a->cnt.in += (unsigned long long)in;
	a->cnt.used += (unsigned long long)used;
	a->cnt.rejected += (unsigned long long)rej;
	a->cnt.skipped += (unsigned long long)skp;
	a->cnt.states++;
	return 0;
}

static int merge_group(struct pvd_agg *a, const struct pvd_record *r, const char *file, long line,
		       struct pvd_err *e)
{
	const struct pvd_catalog *c = a->c;
	const char *name = pvd_rec_str(r, "acc");
	long ai = name ? pvd_strset_find(&c->accnames, name, strlen(name)) : -1;
	if (ai < 0)
		return bad(e, file, line, "state of an unknown accumulator '%s'", name ? name : "?");
	const struct pvd_acc *acc = &c->accs[ai];
	struct accst *st = &a->acc[ai];
	const char *dim = pvd_rec_str(r, "dim"), *key = pvd_rec_str(r, "key");
	struct grp *g = &st->head;
	if (dim) {
		size_t d;
		for (d = 0; d < acc->ndims; d++)
			if (strcmp(c->dims[acc->dims[d]].name, dim) == 0)
				break;
		if (d == acc->ndims)
			return bad(e, file, line, "state of an unknown breakdown '%s'", dim);
		g = key ? dim_group(&st->dims[d], key, strlen(key)) : null_group(&st->dims[d]);
	}
	int64_t records, sum;
	if (num_field(r, "records", &records) || records < 0 || num_field(r, "sum", &sum))
		return bad(e, file, line, "state group: bad records or sum%s", NULL);
	if (pvd_cents_add(&g->sum, sum))
		return overflow(a, acc, file, line, e);
	g->records += (uint64_t)records;
	const char *label = pvd_rec_str(r, "label");
	if (label)
		set_label(a, g, label, strlen(label));
	const struct pvd_field *f = pvd_rec_get(r, "inputs"), *fs = pvd_rec_get(r, "set");
	if ((f && f->kind != PVD_LIST) || (fs && fs->kind != PVD_LIST))
		return bad(e, file, line, "state group: inputs and set must be lists of strings%s", NULL);
	if (f)
		for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it))
			add_input(g, pvd_strset_add(&a->files, it, strlen(it), NULL));
	f = fs;
	if (f) {
		if (!g->set) {
			g->set = xmalloc(sizeof *g->set);
			pvd_strset_init(g->set);
		}
		for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it))
			pvd_strset_add(g->set, it, strlen(it), NULL);
	}
	if (pvd_rec_get(r, "last_value")) {
		int64_t ls, le, lv, ll;
		const char *lf = pvd_rec_str(r, "last_file");
		if (num_field(r, "last_start", &ls) || num_field(r, "last_end", &le) || num_field(r, "last_value", &lv) ||
		    num_field(r, "last_line", &ll))
			return bad(e, file, line, "state group: bad last value%s", NULL);
		long fid = lf ? (long)pvd_strset_add(&a->files, lf, strlen(lf), NULL) : -1;
		if (later(a, g, (int32_t)ls, (int32_t)le, fid, (long)ll)) {
			g->has_last = 1;
			g->ls = (int32_t)ls;
			g->le = (int32_t)le;
			g->lval = lv;
			g->lfile = fid;
			g->lline = (long)ll;
		}
	}
	return 0;
}

int pvd_agg_merge(struct pvd_agg *a, char *const *files, int nfiles, struct pvd_err *e)
{
	static char *const dash[] = { "-" };
	if (nfiles == 0) {
		files = dash;
		nfiles = 1;
	}
	struct pvd_record r;
	pvd_rec_init(&r);
	int rc = 0;
	a->merging = 1;
	for (int i = 0; i < nfiles && !rc; i++) {
		struct pvd_input in;
		if ((rc = pvd_input_open(&in, files[i], e)))
			break;
		const char *line;
		size_t len;
		int got, header = 0, lineage = 0;
		while ((got = pvd_input_line(&in, &line, &len, e)) == 1) {
			if (len && line[len - 1] == '\r')
				len--;
			if (len == 0)
				continue;
			struct pvd_err pe = { 0 };
			if (pvd_ndjson_parse(line, len, &r, &pe)) {
				rc = pvd_err_set(e, PVD_EX_DATA, in.name, in.line, pe.col, "not an aggregate state: %s", pe.msg);
				break;
			}
			if (!header && !lineage && pvd_rec_get(&r, "pvd_lineage")) {
				/* The lineage of a part: copied to ours, when asked. */
				if (!a->lin) {
					rc = bad(e, in.name, in.line, "a lineage file among the states: give --lineage to merge it%s", NULL);
					break;
				}
				lineage = 1;
			}
			if (lineage) {
				rc = pvd_lineage_merge_line(a->lin, &r, line, len, in.name, in.line, e);
			} else if (pvd_rec_get(&r, "pvd_aggregate_state")) {
				rc = merge_header(a, &r, in.name, in.line, e);
				header = 1;
			} else if (!header) {
				rc = bad(e, in.name, in.line, "not an aggregate state (no state header before this line)%s", NULL);
			} else {
				rc = merge_group(a, &r, in.name, in.line, e);
			}
			if (rc)
				break;
		}
		if (got < 0)
			rc = PVD_EX_IO;
		pvd_input_close(&in);
	}
	pvd_rec_free(&r);
	return rc;
}

/* ---- life cycle ------------------------------------------------------- */

struct pvd_agg *pvd_agg_new(const struct pvd_catalog *c, int partial, struct pvd_sink *next,
			    struct pvd_rejects *rj, struct pvd_stats *st)
{
	struct pvd_agg *a = xcalloc(1, sizeof *a);
	a->base.put = agg_put;
	a->base.end = agg_end;
	a->c = c;
	a->partial = partial;
	a->next = next;
	a->rj = rj;
	a->st = st;
	a->lastfid = -1;
	a->lastdi = -1;
	pvd_strset_init(&a->files);
	pvd_strset_init(&a->labels);
	pvd_strset_init(&a->skipped_ds);
	pvd_rec_init(&a->out);
	a->acc = xcalloc(c->naccs ? c->naccs : 1, sizeof *a->acc);
	for (size_t i = 0; i < c->naccs; i++) {
		grp_init(&a->acc[i].head);
		a->acc[i].dims = xcalloc(c->accs[i].ndims ? c->accs[i].ndims : 1, sizeof *a->acc[i].dims);
		for (size_t d = 0; d < c->accs[i].ndims; d++)
			pvd_strset_init(&a->acc[i].dims[d].keys);
	}
	size_t maxslots = 1;
	a->prec_slot = xcalloc(c->nds ? c->nds : 1, sizeof *a->prec_slot);
	a->fmap = xcalloc(c->nds ? c->nds : 1, sizeof *a->fmap);
	for (size_t i = 0; i < c->nds; i++) {
		const struct pvd_dataset *ds = &c->ds[i];
		size_t ns = pvd_strset_count(&ds->slots);
		if (ns > maxslots)
			maxslots = ns;
		const char **names = xcalloc(ns + 2, sizeof *names);
		for (size_t s = 0; s < ns; s++)
			names[s] = pvd_strset_get(&ds->slots, (uint32_t)s, NULL);
		names[ns] = "_file";
		names[ns + 1] = "_line";
		pvd_fieldmap_init(&a->fmap[i], names, ns + 2);
		free(names);
		a->prec_slot[i] = xcalloc(ns ? ns : 1, sizeof **a->prec_slot);
		for (size_t s = 0; s < ns; s++) {
			a->prec_slot[i][s] = -1;
			if (!ds->slot_date[s])
				continue;
			char pn[300];
			snprintf(pn, sizeof pn, "%s_precision", pvd_strset_get(&ds->slots, (uint32_t)s, NULL));
			a->prec_slot[i][s] = (int)pvd_strset_find(&ds->slots, pn, strlen(pn));
		}
	}
	a->sv = xcalloc(maxslots, sizeof *a->sv);
	return a;
}

void pvd_agg_set_lineage(struct pvd_agg *a, struct pvd_lineage *l)
{
	a->lin = l;
}

struct pvd_sink *pvd_agg_sink(struct pvd_agg *a)
{
	return &a->base;
}

void pvd_agg_counts(const struct pvd_agg *a, struct pvd_agg_counts *out)
{
	*out = a->cnt;
	if (!a->merging) {
		out->in = a->st->in;
		out->used = a->st->out;
		out->rejected = a->st->rejected;
		out->skipped = a->st->skipped;
	}
}

json_t *pvd_agg_skipped_json(const struct pvd_agg *a)
{
	json_t *o = json_object();
	uint32_t *ids = pvd_strset_sorted(&a->skipped_ds);
	for (size_t i = 0; i < pvd_strset_count(&a->skipped_ds); i++)
		json_object_set_new(o, pvd_strset_get(&a->skipped_ds, ids[i], NULL),
				    json_integer((json_int_t)a->skipped_n[ids[i]]));
	free(ids);
	return o;
}

void pvd_agg_free(struct pvd_agg *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->c->naccs; i++) {
		struct accst *st = &a->acc[i];
		grp_free(&st->head);
		for (size_t d = 0; d < a->c->accs[i].ndims; d++) {
			struct dimst *ds = &st->dims[d];
			for (size_t j = 0; j < pvd_strset_count(&ds->keys); j++)
				grp_free(&ds->g[j]);
			free(ds->g);
			if (ds->nullg) {
				grp_free(ds->nullg);
				free(ds->nullg);
			}
			pvd_strset_free(&ds->keys);
		}
		free(st->dims);
	}
	free(a->acc);
	for (size_t i = 0; i < a->c->nds; i++) {
		free(a->prec_slot[i]);
		pvd_fieldmap_free(&a->fmap[i]);
	}
	free(a->prec_slot);
	free(a->fmap);
	pvd_buf_free(&a->lastds);
	free(a->sv);
	free(a->vals);
	free(a->vlens);
	free(a->skipped_n);
	pvd_buf_free(&a->lastfile);
	pvd_buf_free(&a->key);
	pvd_buf_free(&a->tmp);
	pvd_rec_free(&a->out);
	pvd_strset_free(&a->files);
	pvd_strset_free(&a->labels);
	pvd_strset_free(&a->skipped_ds);
	free(a);
}
