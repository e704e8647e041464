#include "clean.h"
#include "hash.h"
#include "amount.h"
#include "boolval.h"
#include "codes.h"
#include "fieldmap.h"
#include "confpath.h"
#include "datefmt.h"
#include "money.h"
#include "profile.h"
#include "schema.h"
#include "textnorm.h"
#include "fpset.h"
#include "linemap.h"
#include "strset.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the duplicate set: record hashes → first file:line ---- */

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }


/* MurmurHash3 x64 128 (Austin Appleby's public-domain design, written here). */
static void hash128(const void *key, size_t len, uint64_t seed, uint64_t out[2])
{
	const uint8_t *data = key;
	const size_t nblocks = len / 16;
	const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
	uint64_t h1 = seed, h2 = seed, k1, k2;
	for (size_t i = 0; i < nblocks; i++) {
		memcpy(&k1, data + i * 16, 8);
		memcpy(&k2, data + i * 16 + 8, 8);
		k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
		h1 = rotl64(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
		k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
		h2 = rotl64(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
	}
	const uint8_t *tail = data + nblocks * 16;
	size_t rest = len & 15;
	k1 = k2 = 0;
	for (size_t i = rest; i > 8; i--)
		k2 ^= (uint64_t)tail[i - 1] << (8 * (i - 9));
	if (rest > 8) {
		k2 *= c2; k2 = rotl64(k2, 33); k2 *= c1; h2 ^= k2;
	}
	for (size_t i = rest < 8 ? rest : 8; i > 0; i--)
		k1 ^= (uint64_t)tail[i - 1] << (8 * (i - 1));
	if (rest) {
		k1 *= c1; k1 = rotl64(k1, 31); k1 *= c2; h1 ^= k1;
	}
	h1 ^= len; h2 ^= len;
	h1 += h2; h2 += h1;
	h1 = pvd_mix64(h1); h2 = pvd_mix64(h2);
	h1 += h2; h2 += h1;
	out[0] = h1;
	out[1] = h2;
}

/* A duplicate set: the members' fingerprints with their ordinals (fpset.h),
 * and where each was read, by ordinal (linemap.h): about 15 and 1 bytes a
 * distinct record. */
struct seen {
	struct pvd_fpset set;
	struct pvd_linemap at;
};

/* Returns 1 with the first place when the record of hash h was seen before;
 * else records this place and returns 0 (-1: more than 2³² - 1 distinct
 * records, which the 32-bit ordinal cannot count). */
static int seen_before(struct seen *sn, const uint64_t h[2], uint32_t file, long line,
		       uint32_t *first_file, long *first_line)
{
	if (sn->set.n == UINT32_MAX)
		return -1;
	uint32_t ord = (uint32_t)sn->set.n;
	if (pvd_fpset_add(&sn->set, h[0], (uint32_t)h[1], &ord)) {
		pvd_linemap_get(&sn->at, ord, first_file, first_line);
		return 1;
	}
	pvd_linemap_add(&sn->at, file, line);
	return 0;
}

static size_t seen_bytes(const struct seen *sn)
{
	return pvd_fpset_bytes(&sn->set) + pvd_linemap_bytes(&sn->at);
}

static void seen_free(struct seen *sn)
{
	pvd_fpset_free(&sn->set);
	pvd_linemap_free(&sn->at);
}

/* ---- the engine ---- */

/* The exact sum of a numeric field (amounts in cents, whole numbers times
 * 100, as the TOTAL rows are read) over the records passed on. */
struct fsum {
	int64_t cents;
	unsigned long long values;
	int overflow;
};

struct sch {
	char *name;              /* as looked up */
	struct pvd_schema *s;    /* NULL: no such dataset */
	char **prec;             /* date fields: "<name>_precision" */
	struct seen seen;
	unsigned long long out, rejected;
	struct fsum *sum;        /* per schema field: the sums of its numbers in the records passed on */
	char **latest;           /* per schema field: a date field's latest value in the records passed on */
	/* where the schema's fields are in the records (fieldmap.h); its at is
	 * NULL until the first record of the dataset */
	struct pvd_fieldmap map;
};

struct src {
	char *name;
	struct pvd_profile p;    /* the same profile pvd-ingest read: its dataset and clean: */
};

/* A record is changed only once every field is read (record.h: a pointer
 * from pvd_rec_val is valid only until the next pvd_rec_set* on the
 * record): the cleaned values wait here, their text in c->val. */
struct change {
	const char *name;       /* schema-owned */
	int kind;               /* enum pvd_kind, or -1: delete the field */
	size_t off, len;        /* value in c->val */
	unsigned nitems;
	long fi;                /* a number: its schema field, summed when the record passes; else -1 */
	long di;                /* a date: its schema field (its latest value is kept); else -1 */
	long at;                /* the field's index in the record when it is there, else -1 */
	int64_t cents;
	int overflow;           /* the number times 100 does not fit */
	int plain;              /* digits, letters and '-' only (record.h's plain values) */
};

struct pvd_clean {
	struct pvd_sink base;
	struct pvd_sink *next;
	struct pvd_rejects *rj;
	struct pvd_stats *st;
	int strict, stopped;
	struct sch **sch;
	size_t nsch, csch;
	struct src **src;
	size_t nsrc, csrc;
	struct sch *def_sch, *last_sch;
	struct src *def_src, *last_src;
	struct pvd_strset files; /* interned _file values, for the duplicate set */
	uint32_t last_file;      /* the id of the last one, + 1 (0: none yet) */
	struct change *ch;
	size_t nch, cch;
	struct pvd_buf val, fold, tmp;
	uint64_t (*nh)[2];       /* record_hash: the hashes of the names of layout nh_layout */
	size_t cnh;
	uint64_t nh_layout;
	unsigned char *mark;     /* list: codes already taken */
	size_t cmark;
	unsigned long long rounded;  /* amounts rounded to the cent, in records passed on */
	unsigned rec_rounded;        /* ... in the current record */
	/* the current record's first bad field, and the others */
	const char *bad_reason, *bad_field;
	struct pvd_buf bad_value, bad_msg, bad_more;
	int nbad, bad_has_value;
};

static const struct pvd_source_opts no_opts;

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static void sch_free(struct sch *x)
{
	if (x->s) {
		for (size_t i = 0; i < x->s->nf; i++) {
			free(x->prec[i]);
			if (x->latest)
				free(x->latest[i]);
		}
		pvd_schema_free(x->s);
		free(x->s);
	}
	free(x->prec);
	free(x->sum);
	free(x->latest);
	pvd_fieldmap_free(&x->map);
	seen_free(&x->seen);
	free(x->name);
	free(x);
}

/* Loads a schema by name or path.  *out is NULL-schema'd when a bare name has
 * no file (unknown dataset); a file that does not load is a config error. */
static int load_schema(struct pvd_clean *c, const char *name, int must_exist, struct sch **out,
		       struct pvd_err *e)
{
	for (size_t i = 0; i < c->nsch; i++)
		if (strcmp(c->sch[i]->name, name) == 0) {
			*out = c->sch[i];
			return 0;
		}
	struct sch *x = xcalloc(1, sizeof *x);
	x->name = xstrdup(name);
	struct pvd_err fe = { 0 };
	char *path = pvd_config_find("datasets", name, ".yaml", &fe);
	if (!path && must_exist) {
		*e = fe;
		sch_free(x);
		return PVD_EX_CONFIG;
	}
	if (path) {
		x->s = xcalloc(1, sizeof *x->s);
		int rc = pvd_schema_load(x->s, path, e);
		if (rc == 0 && valid_name(name) && strcmp(x->s->dataset, name) != 0)
			rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "the schema of dataset '%s' says dataset: %s",
					 name, x->s->dataset);
		free(path);
		if (rc) {
			sch_free(x);
			return rc;
		}
		if (!valid_name(name)) {
			/* a schema given as a file answers to its dataset's name */
			free(x->name);
			x->name = xstrdup(x->s->dataset);
		}
		x->prec = xcalloc(x->s->nf ? x->s->nf : 1, sizeof *x->prec);
		for (size_t i = 0; i < x->s->nf; i++)
			if (x->s->f[i].type == PVD_FT_DATE) {
				struct pvd_buf b = { 0 };
				pvd_buf_printf(&b, "%s_precision", x->s->f[i].name);
				x->prec[i] = b.p;
			}
	}
	c->sch = xgrow(c->sch, &c->csch, c->nsch + 1, sizeof *c->sch);
	c->sch[c->nsch++] = x;
	*out = x;
	return 0;
}

/* A profile given as a file is known by its name, as pvd-ingest writes it in
 * _source: "dir/detr-test.yaml" is "detr-test". */
static char *profile_name(const char *s)
{
	const char *b = strrchr(s, '/');
	b = b ? b + 1 : s;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(b + n - 4, ".yml") == 0)
		n -= 4;
	return xstrndup(b, n);
}

static int load_source(struct pvd_clean *c, const char *name, struct src **out, struct pvd_err *e)
{
	char *key = profile_name(name);
	for (size_t i = 0; i < c->nsrc; i++)
		if (strcmp(c->src[i]->name, key) == 0) {
			*out = c->src[i];
			free(key);
			return 0;
		}
	free(key);
	struct src *x = xcalloc(1, sizeof *x);
	int rc = pvd_profile_load(&x->p, name, e);
	if (rc) {
		free(x);
		return rc;
	}
	x->name = profile_name(name);
	c->src = xgrow(c->src, &c->csrc, c->nsrc + 1, sizeof *c->src);
	c->src[c->nsrc++] = x;
	*out = x;
	return 0;
}

static uint32_t intern_file(struct pvd_clean *c, const char *f)
{
	/* records come file after file: the last one first; then a hash, as a
	 * stream may name a new _file on every line */
	if (c->last_file && strcmp(pvd_strset_get(&c->files, c->last_file - 1, NULL), f) == 0)
		return c->last_file - 1;
	uint32_t id = pvd_strset_add(&c->files, f, strlen(f), NULL);
	c->last_file = id + 1;
	return id;
}

/* ---- per field ---- */

/* Notes a bad field: the first one makes the reject, the others are named in it. */
static void bad(struct pvd_clean *c, const char *reason, const char *field, const char *v, size_t n,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void bad(struct pvd_clean *c, const char *reason, const char *field, const char *v, size_t n,
		const char *fmt, ...)
{
	if (c->nbad++) {
		pvd_buf_printf(&c->bad_more, "%s%s", c->bad_more.len ? ", " : "", field);
		return;
	}
	c->bad_reason = reason;
	c->bad_field = field;
	pvd_buf_reset(&c->bad_value);
	c->bad_has_value = v != NULL;
	if (v)
		pvd_buf_add(&c->bad_value, v, n);
	pvd_buf_reset(&c->bad_msg);
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pvd_buf_adds(&c->bad_msg, msg);
	if (v) {
		/* the value, quoted, cut at a character boundary when long */
		size_t k = n > 120 ? pvd_utf8_valid_prefix(v, 120) : n;
		pvd_buf_add(&c->bad_msg, ": \"", 3);
		pvd_buf_add(&c->bad_msg, v, k);
		pvd_buf_adds(&c->bad_msg, k < n ? "...\"" : "\"");
	}
}

static void detail(struct pvd_clean *c, const char *why)
{
	if (why && *why && c->nbad == 1)
		pvd_buf_printf(&c->bad_msg, " (%s)", why);
}

static void queue(struct pvd_clean *c, const char *name, int kind, const char *v, size_t n,
		  unsigned nitems)
{
	c->ch = xgrow(c->ch, &c->cch, c->nch + 1, sizeof *c->ch);
	struct change *x = &c->ch[c->nch++];
	x->name = name;
	x->kind = kind;
	x->off = c->val.len;
	x->len = n;
	x->nitems = nitems;
	x->fi = -1;
	x->di = -1;
	x->at = -1;
	x->cents = 0;
	x->overflow = 0;
	x->plain = 0;
	if (n)
		pvd_buf_add(&c->val, v, n);
}

/* The latest value of a date field ("2021-03-31", or a month "2021-03":
 * ISO text compares as the dates do), for the staleness check of pvd-run. */
static void keep_latest(struct sch *x, const struct change *ch, const char *val)
{
	if (!x->latest)
		x->latest = xcalloc(x->s->nf, sizeof *x->latest);
	char **l = &x->latest[ch->di];
	size_t n = *l ? strlen(*l) : 0;
	int cmp = *l ? memcmp(val + ch->off, *l, ch->len < n ? ch->len : n) : 1;
	if (cmp > 0 || (cmp == 0 && ch->len > n)) {
		free(*l);
		*l = xstrndup(val + ch->off, ch->len);
	}
}

/* Normalises one scalar value v (n bytes, not missing) of field f; queues
 * the result.  Returns 0, or 1 with the fault noted. */
static int scalar(struct pvd_clean *c, const struct sch *x, size_t fi, const struct pvd_source_opts *so,
		  const char *v, size_t n)
{
	const struct pvd_sfield *f = &x->s->f[fi];
	char code[10];
	const char *why = NULL;
	int rc;
	switch (f->type) {
	case PVD_FT_TEXT:
		pvd_buf_reset(&c->tmp);
		pvd_text_clean(v, n, &c->tmp);
		queue(c, f->name, PVD_STR, c->tmp.p, c->tmp.len, 0);
		return 0;
	case PVD_FT_INSEE:
	case PVD_FT_DEP:
	case PVD_FT_SIREN:
		rc = f->type == PVD_FT_INSEE ? pvd_insee_norm(v, n, code, &why)
		   : f->type == PVD_FT_DEP ? pvd_dep_norm(v, n, code, &why)
		   : pvd_siren_norm(v, n, so->siret ? PVD_SIREN_SIRET : 0, code, &why);
		if (rc == PVD_CODE_OK) {
			queue(c, f->name, PVD_STR, code, strlen(code), 0);
			c->ch[c->nch - 1].plain = 1;
			return 0;
		}
		{
			static const char *const what[] = { "INSEE commune code", "département code", "SIREN" };
			int w = f->type == PVD_FT_INSEE ? 0 : f->type == PVD_FT_DEP ? 1 : 2;
			if (rc == PVD_CODE_AMBIGUOUS)
				bad(c, PVD_R_AMBIGUOUS, f->name, v, n, "ambiguous %s", what[w]);
			else
				bad(c, PVD_R_TYPE, f->name, v, n, "not a%s %s", w == 0 ? "n" : "", what[w]);
		}
		detail(c, why);
		return 1;
	case PVD_FT_EUR:
	case PVD_FT_INT: {
		int64_t val;
		int rounded = 0;
		int eur = f->type == PVD_FT_EUR;
		rc = eur ? pvd_amount_parse(v, n, so->decimal, &val, &rounded) : pvd_int_parse(v, n, &val);
		if (rc == PVD_AMT_BAD) {
			bad(c, PVD_R_TYPE, f->name, v, n, eur ? "not an amount" : "not a whole number");
			return 1;
		}
		if (rc == PVD_AMT_RANGE) {
			bad(c, PVD_R_TYPE, f->name, v, n, eur ? "amount out of range" : "number out of range");
			return 1;
		}
		if (rounded && f->subcent_reject) {
			bad(c, PVD_R_CONSTRAINT, f->name, v, n, "more than two decimals");
			return 1;
		}
		if ((f->has_min && val < f->min) || (f->has_max && val > f->max)) {
			int low = f->has_min && val < f->min;
			pvd_buf_reset(&c->tmp);
			if (eur)
				pvd_cents_format(low ? f->min : f->max, &c->tmp);
			else
				pvd_buf_printf(&c->tmp, "%lld", (long long)(low ? f->min : f->max));
			bad(c, PVD_R_CONSTRAINT, f->name, v, n, "%s %s", low ? "below the minimum" : "above the maximum",
			    c->tmp.p);
			return 1;
		}
		c->rec_rounded += (unsigned)rounded;
		pvd_buf_reset(&c->tmp);
		if (eur) {
			pvd_cents_format(val, &c->tmp);
			queue(c, f->name, PVD_NUM, c->tmp.p, c->tmp.len, 0);
			c->ch[c->nch - 1].cents = val;
		} else {
			pvd_buf_add_ll(&c->tmp, val);
			queue(c, f->name, PVD_NUM, c->tmp.p, c->tmp.len, 0);
			c->ch[c->nch - 1].overflow = __builtin_mul_overflow(val, 100, &c->ch[c->nch - 1].cents);
		}
		c->ch[c->nch - 1].fi = (long)fi;
		return 0;
	}
	case PVD_FT_DATE: {
		struct pvd_date d;
		char w[128];
		if (pvd_date_parse(v, n, so->date_flags, &d, w, sizeof w) != PVD_DATE_OK) {
			bad(c, PVD_R_TYPE, f->name, v, n, "not a date");
			detail(c, w);
			return 1;
		}
		pvd_buf_reset(&c->tmp);
		pvd_date_format(&d, &c->tmp);
		queue(c, f->name, PVD_STR, c->tmp.p, c->tmp.len, 0);
		c->ch[c->nch - 1].di = (long)fi;
		c->ch[c->nch - 1].plain = 1;
		if (d.prec == PVD_PREC_MONTH) {
			queue(c, x->prec[fi], PVD_STR, "month", 5, 0);
			c->ch[c->nch - 1].plain = 1;
		}
		return 0;
	}
	case PVD_FT_BOOL:
		rc = pvd_bool_parse(v, n);
		if (rc == PVD_BOOL_BAD) {
			bad(c, PVD_R_TYPE, f->name, v, n, "not a yes/no answer");
			return 1;
		}
		if (rc == PVD_BOOL_UNKNOWN)
			queue(c, f->name, PVD_NULL, NULL, 0, 0);
		else
			queue(c, f->name, PVD_BOOL, rc ? "true" : "false", rc ? 4 : 5, 0);
		return 0;
	case PVD_FT_ENUM: {
		int k = pvd_schema_code(f, v, n, &c->fold);
		if (k < 0) {
			bad(c, PVD_R_UNKNOWN_VALUE, f->name, v, n, "unknown value");
			if (c->nbad == 1)
				pvd_buf_printf(&c->bad_msg, " (expected %s)", f->allowed);
			return 1;
		}
		queue(c, f->name, PVD_STR, f->codes[k], strlen(f->codes[k]), 0);
		return 0;
	}
	case PVD_FT_LIST:
		break; /* handled by list() */
	}
	return 0;
}

/* A list item: maps it and adds its code once.  Returns 0 or 1 (noted). */
static int list_item(struct pvd_clean *c, const struct pvd_schema *s, const struct pvd_sfield *f,
		     const char *raw, size_t rawn, const char *v, size_t n, struct pvd_buf *items,
		     unsigned *nitems)
{
	n = pvd_trim(&v, n);
	if (pvd_schema_is_missing(s, f, v, n))
		return 0;
	int k = pvd_schema_code(f, v, n, &c->fold);
	if (k < 0) {
		bad(c, PVD_R_UNKNOWN_VALUE, f->name, raw, rawn, "unknown value");
		if (c->nbad == 1) {
			pvd_buf_printf(&c->bad_msg, " (\"");
			pvd_buf_add(&c->bad_msg, v, n > 60 ? pvd_utf8_valid_prefix(v, 60) : n);
			pvd_buf_printf(&c->bad_msg, "\" is not one of %s)", f->allowed);
		}
		return 1;
	}
	if (!c->mark[k]) {
		c->mark[k] = 1;
		pvd_buf_add(items, f->codes[k], strlen(f->codes[k]) + 1);
		(*nitems)++;
	}
	return 0;
}

/* A list field: split on the separators (unless the whole value is one
 * code), or gathered from one yes/no column per value, or both. */
static void list(struct pvd_clean *c, const struct sch *x, const struct pvd_sfield *f,
		 const struct pvd_record *r, const struct pvd_field *fl)
{
	const struct pvd_schema *s = x->s;
	struct pvd_buf items = { 0 };
	unsigned nitems = 0;
	int errs = 0, known = 0, unknown = 0, present = fl != NULL;
	c->mark = xgrow(c->mark, &c->cmark, f->ncodes, 1);
	memset(c->mark, 0, f->ncodes);
	if (fl && fl->kind == PVD_LIST) {
		for (const char *it = pvd_list_first(r, fl); it; it = pvd_list_next(r, fl, it))
			errs += list_item(c, s, f, it, strlen(it), it, strlen(it), &items, &nitems);
		known = 1;
	} else if (fl && fl->kind == PVD_RAW) {
		bad(c, PVD_R_TYPE, f->name, pvd_rec_val(r, fl), fl->val_len, "not a list of values");
		errs++;
	} else if (fl && fl->kind != PVD_NULL) {
		const char *v = pvd_rec_val(r, fl);
		size_t n = fl->val_len;
		if (!pvd_schema_is_missing(s, f, v, n)) {
			known = 1;
			const char *t = v;
			size_t tn = pvd_trim(&t, n);
			if (pvd_schema_code(f, t, tn, &c->fold) >= 0) {
				errs += list_item(c, s, f, v, n, t, tn, &items, &nitems);
			} else {
				size_t start = 0;
				for (size_t i = 0; i <= n;) {
					size_t sl = 0;
					for (size_t k = 0; i < n && k < f->nseps && !sl; k++) {
						size_t l = strlen(f->seps[k]);
						if (i + l <= n && memcmp(v + i, f->seps[k], l) == 0)
							sl = l;
					}
					if (i == n || sl) {
						errs += list_item(c, s, f, v, n, v + start, i - start, &items, &nitems);
						if (i == n)
							break;
						i += sl;
						start = i;
					} else {
						i++;
					}
				}
			}
		}
	}
	for (size_t k = 0; k < f->ncols; k++) {
		const struct pvd_field *cf = pvd_rec_get(r, f->cols[k]);
		if (!cf)
			continue;
		present = 1;
		queue(c, f->cols[k], -1, NULL, 0, 0);
		int b = PVD_BOOL_UNKNOWN;
		if (cf->kind == PVD_BOOL || cf->kind == PVD_STR || cf->kind == PVD_NUM) {
			const char *v = pvd_rec_val(r, cf);
			b = pvd_schema_is_missing(s, f, v, cf->val_len) ? PVD_BOOL_UNKNOWN : pvd_bool_parse(v, cf->val_len);
		} else if (cf->kind != PVD_NULL) {
			b = PVD_BOOL_BAD;
		}
		if (b == PVD_BOOL_BAD) {
			bad(c, PVD_R_TYPE, f->cols[k], pvd_rec_val(r, cf), cf->val_len, "not a yes/no answer");
			errs++;
		} else if (b == PVD_BOOL_UNKNOWN) {
			unknown = 1;
		} else {
			known = 1;
			if (b == PVD_BOOL_TRUE && !c->mark[f->colcode[k]]) {
				c->mark[f->colcode[k]] = 1;
				pvd_buf_add(&items, f->codes[f->colcode[k]], strlen(f->codes[f->colcode[k]]) + 1);
				nitems++;
			}
		}
	}
	if (!errs && present) {
		/* No value at all is null; "none of them" is [] only when every answer is known. */
		if (nitems || (known && !unknown))
			queue(c, f->name, PVD_LIST, items.p, items.len, nitems);
		else
			queue(c, f->name, PVD_NULL, NULL, 0, 0);
		if (!nitems && f->required)
			bad(c, PVD_R_REQUIRED, f->name, NULL, 0, "required value missing");
	} else if (!present && f->required) {
		bad(c, PVD_R_REQUIRED, f->name, NULL, 0, "required field absent");
	}
	pvd_buf_free(&items);
}

/* One schema field of record r.  Returns 1 when the field has a value after
 * cleaning (for required_any). */
static int field_value(struct pvd_clean *c, const struct sch *x, size_t fi, const struct pvd_source_opts *so,
		       const struct pvd_record *r, const struct pvd_field *fl);

/* Schema field fi of record r (x->map is resolved on r), or NULL. */
static const struct pvd_field *slot_get(const struct sch *x, size_t fi, const struct pvd_record *r)
{
	return pvd_fieldmap_get(&x->map, fi, r);
}

static int field(struct pvd_clean *c, const struct sch *x, size_t fi, const struct pvd_source_opts *so,
		 const struct pvd_record *r)
{
	const struct pvd_sfield *f = &x->s->f[fi];
	const struct pvd_field *fl = slot_get(x, fi, r);
	size_t first = c->nch;
	int has = field_value(c, x, fi, so, r, fl);
	for (size_t i = first; fl && i < c->nch; i++)
		if (c->ch[i].name == f->name)
			c->ch[i].at = fl - r->f;
	return has;
}

static int field_value(struct pvd_clean *c, const struct sch *x, size_t fi, const struct pvd_source_opts *so,
		       const struct pvd_record *r, const struct pvd_field *fl)
{
	const struct pvd_sfield *f = &x->s->f[fi];
	if (f->type == PVD_FT_LIST) {
		size_t before = c->nch;
		list(c, x, f, r, fl);
		for (size_t i = before; i < c->nch; i++)
			if (c->ch[i].name == f->name)
				return c->ch[i].kind == PVD_LIST;
		return 0;
	}
	if (!fl) {
		if (f->required)
			bad(c, PVD_R_REQUIRED, f->name, NULL, 0, "required field absent");
		return 0;
	}
	const char *v = pvd_rec_val(r, fl);
	size_t n = fl->val_len;
	if (fl->kind == PVD_LIST || fl->kind == PVD_RAW) {
		bad(c, PVD_R_TYPE, f->name, fl->kind == PVD_RAW ? v : NULL, fl->kind == PVD_RAW ? n : 0,
		    "a list or object, not a single value");
		return 0;
	}
	int missing = fl->kind == PVD_NULL || pvd_schema_is_missing(x->s, f, v, n);
	if (missing) {
		if (f->required) {
			/* quote a "missing" token (NA), not an empty cell */
			const char *t = v;
			size_t tn = fl->kind == PVD_NULL ? 0 : pvd_trim(&t, n);
			bad(c, PVD_R_REQUIRED, f->name, tn ? t : NULL, tn, "required value missing");
		}
		else
			queue(c, f->name, PVD_NULL, NULL, 0, 0);
		return 0;
	}
	return scalar(c, x, fi, so, v, n) == 0;
}

/* ---- per record ---- */

static int reject(struct pvd_clean *c, struct sch *x, const struct pvd_record *r, const char *reason,
		  const char *fieldname, const char *value, const char *msg, struct pvd_err *e)
{
	pvd_reject_rec(c->rj, r, reason, fieldname, value, "%s", msg);
	pvd_stats_rejected(c->st);
	if (x)
		x->rejected++;
	if (c->strict) {
		c->stopped = 1;
		return pvd_err_set(e, PVD_EX_DATA, pvd_rec_file(r), pvd_rec_line(r), 0,
				   "stopped at the first reject (--strict)");
	}
	return 0;
}

/* Hash of the record for duplicates: its key fields, or all of its fields
 * but provenance.  Returns 0 when a key field is null (never a duplicate). */
static int record_hash(struct pvd_clean *c, const struct pvd_schema *s, const struct pvd_record *r,
		       uint64_t h[2])
{
	h[0] = h[1] = 0;
	if (s->nkey) {
		pvd_buf_reset(&c->tmp);
		for (size_t i = 0; i < s->nkey; i++) {
			const struct pvd_field *f = pvd_rec_get(r, s->key[i]);
			if (!f || f->kind == PVD_NULL)
				return 0;
			pvd_buf_addc(&c->tmp, (char)('0' + f->kind));
			pvd_buf_add(&c->tmp, pvd_rec_val(r, f), f->val_len);
			pvd_buf_addc(&c->tmp, '\0');
		}
		hash128(c->tmp.p, c->tmp.len, 0x7076642d6b6579ULL, h);
		return 1;
	}
	/* Order-independent: the sum of one hash per field, so that two sources
	 * writing the same fields in another order still meet.  The names'
	 * hashes are kept while the records have one layout (record.h). */
	int known = r->layout && r->layout == c->nh_layout;
	if (!known) {
		c->nh = xgrow(c->nh, &c->cnh, r->n ? r->n : 1, sizeof *c->nh);
		c->nh_layout = r->layout;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct pvd_field *f = &r->f[i];
		if (r->arena[f->name] == '_')
			continue;
		/* the name's hash seeds the value's (no copy); the kind tells "1" from 1 */
		uint64_t *nh = c->nh[i], fh[2];
		if (!known)
			hash128(r->arena + f->name, f->name_len, 0x7076642d726f77ULL, nh);
		hash128(r->arena + f->val, f->val_len, nh[0] ^ f->kind, fh);
		fh[1] ^= nh[1];
		uint64_t lo = h[0] + fh[0];
		h[1] += fh[1] + (lo < h[0]);
		h[0] = lo;
	}
	return 1;
}

static int put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_clean *c = (struct pvd_clean *)self;
	struct sch *x = NULL;
	int rc, add_ds = 0;
	const char *ds = pvd_rec_str(r, "_dataset");
	if (ds && *ds) {
		if (c->last_sch && strcmp(c->last_sch->name, ds) == 0)
			x = c->last_sch;
		else if (valid_name(ds) && (rc = load_schema(c, ds, 0, &x, e)))
			return rc; /* a schema that does not load: e names FILE:LINE:COL */
		if (x)
			c->last_sch = x;
	} else if (c->def_sch) {
		x = c->def_sch;
		add_ds = 1;
	}
	if (!x || !x->s) {
		char msg[300];
		if (ds && *ds)
			snprintf(msg, sizeof msg, "no schema for dataset \"%.200s\"", ds);
		else
			snprintf(msg, sizeof msg, "the record has no _dataset (and no --dataset or --profile gives one)");
		return reject(c, x, r, PVD_R_UNKNOWN_DATASET, "_dataset", ds, msg, e);
	}

	const struct pvd_source_opts *so = c->def_src ? &c->def_src->p.clean : &no_opts;
	const char *sn = pvd_rec_str(r, "_source");
	if (sn && *sn) {
		struct src *y = c->last_src;
		if (!y || strcmp(y->name, sn) != 0) {
			if ((rc = load_source(c, sn, &y, e))) {
				if (*e->file)
					return rc; /* a profile that does not load names FILE:LINE:COL */
				char m[sizeof e->msg];
				snprintf(m, sizeof m, "%s", e->msg);
				const char *rf = pvd_rec_file(r);
				return pvd_err_set(e, rc, *rf ? rf : "<stdin>", pvd_rec_line(r), 0,
						   "_source: %s; a profile kept elsewhere is given with --profile FILE", m);
			}
			c->last_src = y;
		}
		so = &y->p.clean;
	}

	const struct pvd_schema *s = x->s;
	if (!x->map.at) {
		const char **names = xcalloc(s->nf ? s->nf : 1, sizeof *names);
		for (size_t i = 0; i < s->nf; i++)
			names[i] = s->f[i].name;
		pvd_fieldmap_init(&x->map, names, s->nf);
		free(names);
	}
	pvd_fieldmap_resolve(&x->map, r);
	c->nch = 0;
	c->nbad = 0;
	c->rec_rounded = 0;
	pvd_buf_reset(&c->val);
	pvd_buf_reset(&c->bad_more);
	int any = 0;
	for (size_t i = 0; i < s->nf; i++) {
		int has = field(c, x, i, so, r);
		for (size_t k = 0; has && k < s->nany; k++)
			any |= strcmp(s->any[k], s->f[i].name) == 0;
	}
	if (s->nany && !any && !c->nbad) {
		/* fields of required_any outside the schema count as they are */
		for (size_t k = 0; k < s->nany && !any; k++) {
			const struct pvd_field *f = pvd_rec_get(r, s->any[k]);
			int in_schema = 0;
			for (size_t i = 0; i < s->nf; i++)
				in_schema |= strcmp(s->f[i].name, s->any[k]) == 0;
			any = !in_schema && f && f->kind != PVD_NULL && f->val_len;
		}
		if (!any) {
			struct pvd_buf m = { 0 };
			pvd_buf_adds(&m, "one of ");
			for (size_t k = 0; k < s->nany; k++)
				pvd_buf_printf(&m, "%s%s", k ? ", " : "", s->any[k]);
			pvd_buf_adds(&m, " must have a value");
			rc = reject(c, x, r, PVD_R_REQUIRED, s->any[0], NULL, m.p, e);
			pvd_buf_free(&m);
			return rc;
		}
	}
	if (c->nbad) {
		if (c->nbad > 1)
			pvd_buf_printf(&c->bad_msg, "; also bad: %s", c->bad_more.p);
		return reject(c, x, r, c->bad_reason, c->bad_field,
			      c->bad_has_value ? pvd_buf_str(&c->bad_value) : NULL, c->bad_msg.p, e);
	}

	int moved = 0; /* a deletion shifts the indexes after it */
	for (size_t i = 0; i < c->nch; i++) {
		const struct change *ch = &c->ch[i];
		if (ch->kind < 0)
			moved |= pvd_rec_del(r, ch->name);
		else if (ch->at >= 0 && !moved && ch->kind != PVD_LIST) {
			pvd_rec_set_at(r, (size_t)ch->at, (enum pvd_kind)ch->kind, c->val.p + ch->off, ch->len);
			if (ch->plain)
				pvd_rec_plain(r, (size_t)ch->at);
		} else if (ch->kind == PVD_LIST) {
			pvd_rec_set_list(r, ch->name, c->val.p + ch->off, ch->len, ch->nitems);
		} else {
			size_t n = r->n;
			pvd_rec_set(r, ch->name, (enum pvd_kind)ch->kind, c->val.p + ch->off, ch->len);
			if (ch->plain && r->n > n) /* appended: its index is known */
				pvd_rec_plain(r, r->n - 1);
		}
	}

	uint64_t h[2];
	if (s->dedupe && record_hash(c, s, r, h)) {
		uint32_t ffile;
		long fline;
		int dup = seen_before(&x->seen, h, intern_file(c, pvd_rec_file(r)), pvd_rec_line(r), &ffile, &fline);
		if (dup < 0)
			return pvd_err_set(e, PVD_EX_SOFTWARE, pvd_rec_file(r), pvd_rec_line(r), 0,
					   "more than %lu distinct records in dataset %s: the duplicate set cannot count them",
					   (unsigned long)UINT32_MAX, s->dataset);
		if (dup) {
			char msg[700];
			const char *ff = pvd_strset_get(&c->files, ffile, NULL);
			ff = *ff ? ff : "<stdin>";
			struct pvd_buf kv = { 0 }, kn = { 0 };
			for (size_t i = 0; i < s->nkey; i++) {
				const char *v = pvd_rec_str(r, s->key[i]);
				pvd_buf_printf(&kv, "%s%s", i ? "," : "", v ? v : "");
				pvd_buf_printf(&kn, "%s%s", i ? ", " : "", s->key[i]);
			}
			if (s->nkey)
				snprintf(msg, sizeof msg, "duplicate of %.300s:%ld (same %.200s)", ff, fline, kn.p);
			else
				snprintf(msg, sizeof msg, "duplicate of %.300s:%ld", ff, fline);
			rc = reject(c, x, r, PVD_R_DUPLICATE, s->nkey ? s->key[0] : NULL, s->nkey ? kv.p : NULL, msg, e);
			pvd_buf_free(&kv);
			pvd_buf_free(&kn);
			return rc;
		}
	}
	if (add_ds)
		pvd_rec_set_str(r, "_dataset", s->dataset);
	if (!x->sum)
		x->sum = xcalloc(s->nf, sizeof *x->sum);
	for (size_t i = 0; i < c->nch; i++) {
		const struct change *ch = &c->ch[i];
		if (ch->di >= 0)
			keep_latest(x, ch, c->val.p);
		if (ch->fi < 0)
			continue;
		struct fsum *fs = &x->sum[ch->fi];
		fs->values++;
		fs->overflow |= ch->overflow || pvd_cents_add(&fs->cents, ch->cents) != 0;
	}
	x->out++;
	c->rounded += c->rec_rounded;
	pvd_stats_out(c->st);
	return pvd_sink_put(c->next, r, e);
}

static int end(struct pvd_sink *self, struct pvd_err *e)
{
	struct pvd_clean *c = (struct pvd_clean *)self;
	return pvd_sink_end(c->next, e);
}

int pvd_clean_new(struct pvd_clean **out, const struct pvd_clean_opts *opts, struct pvd_sink *next,
		  struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_err *e)
{
	struct pvd_clean *c = xcalloc(1, sizeof *c);
	c->base.put = put;
	c->base.end = end;
	c->next = next;
	c->rj = rj;
	c->st = st;
	c->strict = opts->strict;
	int rc = 0;
	if (opts->profile && (rc = load_source(c, opts->profile, &c->def_src, e)))
		goto fail;
	const char *ds = opts->dataset ? opts->dataset : c->def_src ? c->def_src->p.dataset : NULL;
	if (ds && (rc = load_schema(c, ds, 1, &c->def_sch, e)))
		goto fail;
	*out = c;
	return 0;
fail:
	pvd_clean_free(c);
	*out = NULL;
	return rc;
}

struct pvd_sink *pvd_clean_sink(struct pvd_clean *c) { return &c->base; }

int pvd_clean_stopped(const struct pvd_clean *c) { return c->stopped; }

json_t *pvd_clean_report(const struct pvd_clean *c)
{
	json_t *ds = json_object();
	for (size_t i = 0; i < c->nsch; i++) {
		const struct sch *x = c->sch[i];
		if (!x->s)
			continue;
		json_t *o = json_object_get(ds, x->s->dataset);
		if (!o) {
			o = json_pack("{s:I, s:I}", "out", (json_int_t)0, "rejected", (json_int_t)0);
			json_object_set_new(ds, x->s->dataset, o);
		}
		json_object_set_new(o, "out", json_integer(json_integer_value(json_object_get(o, "out")) + (json_int_t)x->out));
		json_object_set_new(o, "rejected",
				    json_integer(json_integer_value(json_object_get(o, "rejected")) + (json_int_t)x->rejected));
		/* the latest date of each date field: "latest": {field: date} */
		for (size_t k = 0; x->latest && k < x->s->nf; k++) {
			if (!x->latest[k])
				continue;
			json_t *l = json_object_get(o, "latest");
			if (!l)
				json_object_set_new(o, "latest", l = json_object());
			const char *had = json_string_value(json_object_get(l, x->s->f[k].name));
			if (!had || strcmp(x->latest[k], had) > 0)
				json_object_set_new(l, x->s->f[k].name, json_string(x->latest[k]));
		}
	}
	/* The sums over every dataset, per field name, as exact decimal text (a
	 * JSON number would go through a double); a sum that overflows is left
	 * out rather than wrong. */
	struct fsum *tot = NULL;
	const char **names = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < c->nsch; i++) {
		const struct sch *x = c->sch[i];
		for (size_t k = 0; x->s && x->sum && k < x->s->nf; k++) {
			const struct fsum *fs = &x->sum[k];
			if (!fs->values)
				continue;
			size_t j = 0;
			while (j < n && strcmp(names[j], x->s->f[k].name) != 0)
				j++;
			if (j == n) {
				names = xgrow(names, &cap, n + 1, sizeof *names);
				tot = xrealloc(tot, cap * sizeof *tot);
				names[n] = x->s->f[k].name;
				tot[n++] = (struct fsum){ 0 };
			}
			tot[j].values += fs->values;
			tot[j].overflow |= fs->overflow || pvd_cents_add(&tot[j].cents, fs->cents) != 0;
		}
	}
	json_t *sums = json_object(), *values = json_object();
	struct pvd_buf b = { 0 };
	for (size_t j = 0; j < n; j++) {
		json_object_set_new(values, names[j], json_integer((json_int_t)tot[j].values));
		if (tot[j].overflow)
			continue;
		pvd_buf_reset(&b);
		pvd_cents_format(tot[j].cents, &b);
		json_object_set_new(sums, names[j], json_string(b.p));
	}
	pvd_buf_free(&b);
	free(tot);
	free(names);
	/* what the duplicate sets hold: the one part of pvd-clean's memory that
	 * grows with the records (bench and issue reports set it aside) */
	size_t members = 0, bytes = 0;
	for (size_t i = 0; i < c->nsch; i++) {
		const struct seen *sn = &c->sch[i]->seen;
		members += sn->set.n;
		bytes += seen_bytes(sn);
	}
	return json_pack("{s:o, s:I, s:o, s:o, s:{s:I, s:I}}", "datasets", ds, "amounts_rounded", (json_int_t)c->rounded,
			 "sums", sums, "sum_values", values, "duplicate_set", "members", (json_int_t)members, "bytes",
			 (json_int_t)bytes);
}

void pvd_clean_free(struct pvd_clean *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsch; i++)
		sch_free(c->sch[i]);
	free(c->sch);
	for (size_t i = 0; i < c->nsrc; i++) {
		pvd_profile_free(&c->src[i]->p);
		free(c->src[i]->name);
		free(c->src[i]);
	}
	free(c->src);
	pvd_strset_free(&c->files);
	free(c->ch);
	free(c->mark);
	free(c->nh);
	pvd_buf_free(&c->val);
	pvd_buf_free(&c->fold);
	pvd_buf_free(&c->tmp);
	pvd_buf_free(&c->bad_value);
	pvd_buf_free(&c->bad_msg);
	pvd_buf_free(&c->bad_more);
	free(c);
}
