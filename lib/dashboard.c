/* dashboard — the document model of the dashboard (see dashboard.h): the
 * indicator slots, the sink that validates pvd-aggregate's records into
 * them, the final sort, the lineage summary and the freeing of it all.
 * Loading dashboard.yaml is dashboard_conf.c; the previous document and the
 * provenance file, dashboard_prev.c (dashboard_int.h lists what they
 * share). */
#include "dashboard_int.h"
#include "lineage.h"
#include "money.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t pvd_dash_ind_new(struct pvd_dash *d, const char *id, size_t section, int configured)
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

long pvd_dash_ind_find(const struct pvd_dash *d, const char *id)
{
	return pvd_strset_find(&d->map->ids, id, strlen(id));
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
const char *pvd_dash_qty_parse(enum pvd_ukind k, const char *value, const char *num, const char *den,
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

void pvd_dash_warn(struct pvd_dash *d, const char *fmt, ...)
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
	const char *why = pvd_dash_qty_parse(k, value, num, den, &q);
	if (why) {
		/* why is "field: message" */
		char field[8];
		size_t fl = strcspn(why, ":");
		snprintf(field, sizeof field, "%.*s", (int)fl, why);
		REJECT(PVD_R_CONSTRAINT, field, pvd_rec_str(r, field), "%s: %s", id, why + fl + 2);
	}
	long i = pvd_dash_ind_find(d, id);
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
		i = (long)pvd_dash_ind_new(d, id, d->nsec - 1, 0);
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

int pvd_dash_val_cmp(const void *a, const void *b)
{
	return pvd_key_cmp(((const struct pvd_dash_val *)a)->key, ((const struct pvd_dash_val *)b)->key);
}

/* Indicator indexes by id; arg is the dashboard (qsort_r: no file-static context). */
static int id_cmp(const void *a, const void *b, void *arg)
{
	const struct pvd_dash *d = arg;
	return strcmp(d->ind[*(const size_t *)a].id, d->ind[*(const size_t *)b].id);
}

int pvd_dash_finish(struct pvd_dash *d, struct pvd_err *e)
{
	if (!d->have_period)
		return pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0, "no indicator record in the input: nothing to render");
	for (size_t i = 0; i < d->nind; i++)
		for (size_t j = 0; j < d->ind[i].ndims; j++)
			qsort(d->ind[i].dims[j].v, d->ind[i].dims[j].n, sizeof *d->ind[i].dims[j].v, pvd_dash_val_cmp);
	struct pvd_section *o = &d->sec[d->nsec - 1];
	if (o->ninds)
		qsort_r(o->inds, o->ninds, sizeof *o->inds, id_cmp, d);
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


/* ---- freeing ---- */

void pvd_dash_free(struct pvd_dash *d)
{
	pvd_dash_sections_free(d);
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
		pvd_strv_free(in->datasets, in->ndatasets);
		pvd_strv_free(in->inputs, in->ninputs);
	}
	free(d->ind);
	pvd_strv_free(d->warnings, d->nwarnings);
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
