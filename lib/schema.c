#include "schema.h"
#include "amount.h"
#include "money.h"
#include "strset.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[] = { "text", "insee", "dep", "siren", "eur", "int",
	"date", "bool", "enum", "list" };

const char *pvd_ftype_name(enum pvd_ftype t) { return type_names[t]; }

/* A scalar or a list of scalars, as a string vector. */
static int strv(const struct pvd_ydoc *d, const struct pvd_ynode *n, const char *what, char ***out,
		size_t *nout, struct pvd_err *e)
{
	*out = NULL;
	*nout = 0;
	if (n->type == PVD_Y_SCALAR) {
		*out = xmalloc(sizeof **out);
		(*out)[0] = xstrdup(n->str);
		*nout = 1;
		return 0;
	}
	if (n->type != PVD_Y_SEQ)
		return pvd_y_error(e, d, n, "%s must be a value or a list of values", what);
	*out = xcalloc(n->n ? n->n : 1, sizeof **out);
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != PVD_Y_SCALAR) {
			pvd_strv_free(*out, *nout);
			*out = NULL;
			*nout = 0;
			return pvd_y_error(e, d, n->items[i], "%s: each item must be a value", what);
		}
		(*out)[(*nout)++] = xstrdup(n->items[i]->str);
	}
	return 0;
}

static int add_syn(const struct pvd_ydoc *d, const struct pvd_ynode *at, struct pvd_sfield *f,
		   size_t *cap, const char *text, unsigned code, struct pvd_err *e)
{
	struct pvd_buf b = { 0 };
	pvd_fold(text, strlen(text), 0, &b);
	const char *key = pvd_buf_str(&b);
	if (!*key) {
		pvd_buf_free(&b);
		return pvd_y_error(e, d, at, "%s: '%s' has no letter or digit to match on", f->name, text);
	}
	for (size_t i = 0; i < f->nsyn; i++)
		if (strcmp(f->syn[i].key, key) == 0) {
			unsigned other = f->syn[i].code;
			pvd_buf_free(&b);
			if (other == code)
				return 0;
			return pvd_y_error(e, d, at, "%s: '%s' would match both '%s' and '%s'", f->name, text,
					   f->codes[other], f->codes[code]);
		}
	f->syn = xgrow(f->syn, cap, f->nsyn + 1, sizeof *f->syn);
	f->syn[f->nsyn].key = xstrdup(key);
	f->syn[f->nsyn].code = code;
	f->nsyn++;
	pvd_buf_free(&b);
	return 0;
}

/* values: [a, b] or {code: [synonym, ...] | synonym | (nothing)} */
static int load_values(const struct pvd_ydoc *d, const struct pvd_ynode *v, struct pvd_sfield *f,
		       struct pvd_err *e)
{
	size_t cap = 0;
	if (v->type == PVD_Y_SCALAR || v->n == 0)
		return pvd_y_error(e, d, v, "%s: values must be a list or a mapping of codes", f->name);
	f->codes = xcalloc(v->n, sizeof *f->codes);
	for (size_t i = 0; i < v->n; i++) {
		const struct pvd_ynode *item = v->type == PVD_Y_SEQ ? v->items[i] : NULL;
		const char *code = v->type == PVD_Y_SEQ ? NULL : v->keys[i];
		/* where the code is written: the list item, or the mapping's key */
		struct pvd_ynode keypos = { .type = PVD_Y_SCALAR };
		if (item) {
			if (item->type != PVD_Y_SCALAR)
				return pvd_y_error(e, d, item, "%s: each code must be a value", f->name);
			code = item->str;
		} else {
			keypos.line = v->key_lines[i];
			keypos.col = v->key_cols[i];
		}
		const struct pvd_ynode *at = item ? item : &keypos;
		if (!*code)
			return pvd_y_error(e, d, at, "%s: empty code", f->name);
		for (size_t j = 0; j < f->ncodes; j++)
			if (strcmp(f->codes[j], code) == 0)
				return pvd_y_error(e, d, at, "%s: code '%s' twice", f->name, code);
		f->codes[f->ncodes++] = xstrdup(code);
		if (add_syn(d, at, f, &cap, code, (unsigned)i, e))
			return PVD_EX_CONFIG;
		if (item)
			continue;
		const struct pvd_ynode *syn = v->items[i];
		if (syn->type == PVD_Y_MAP)
			return pvd_y_error(e, d, syn, "%s: the synonyms of '%s' must be a list", f->name, code);
		if (syn->type == PVD_Y_SCALAR) {
			if (*syn->str && add_syn(d, syn, f, &cap, syn->str, (unsigned)i, e))
				return PVD_EX_CONFIG;
			continue;
		}
		for (size_t j = 0; j < syn->n; j++) {
			if (syn->items[j]->type != PVD_Y_SCALAR)
				return pvd_y_error(e, d, syn->items[j], "%s: a synonym must be a value", f->name);
			if (add_syn(d, syn->items[j], f, &cap, syn->items[j]->str, (unsigned)i, e))
				return PVD_EX_CONFIG;
		}
	}
	struct pvd_buf b = { 0 };
	for (size_t i = 0; i < f->ncodes; i++)
		pvd_buf_printf(&b, "%s%s", i ? ", " : "", f->codes[i]);
	f->allowed = b.p;
	return 0;
}

static int code_index(const struct pvd_sfield *f, const char *code)
{
	for (size_t i = 0; i < f->ncodes; i++)
		if (strcmp(f->codes[i], code) == 0)
			return (int)i;
	return -1;
}

static int limit(const struct pvd_ydoc *d, const struct pvd_ynode *n, struct pvd_sfield *f,
		 const char *what, int64_t *v, struct pvd_err *e)
{
	if (n->type == PVD_Y_SCALAR) {
		size_t len = strlen(n->str);
		if (f->type == PVD_FT_EUR ? pvd_cents_parse(n->str, len, v) == 0
					  : pvd_int_parse(n->str, len, v) == PVD_AMT_OK)
			return 0;
	}
	return pvd_y_error(e, d, n, "field %s: %s must be %s", f->name, what,
			   f->type == PVD_FT_EUR ? "an amount like 1234.56" : "a whole number");
}

static int load_field(const struct pvd_ydoc *d, const char *name, const struct pvd_ynode *spec,
		      struct pvd_sfield *f, struct pvd_err *e)
{
	static const char *const keys[] = { "type", "required", "missing", "values",
		"separators", "columns", "min", "max", "subcent", "title", NULL };
	f->name = xstrdup(name);
	const struct pvd_ynode *tn = spec;
	if (spec->type == PVD_Y_MAP) {
		if (pvd_y_check_keys(d, spec, keys, e))
			return PVD_EX_CONFIG;
		if (!(tn = pvd_y_need(d, spec, "type", PVD_Y_SCALAR, e)))
			return PVD_EX_CONFIG;
	} else if (spec->type != PVD_Y_SCALAR) {
		return pvd_y_error(e, d, spec, "field %s: a type name or a mapping", name);
	}
	size_t t;
	for (t = 0; t < sizeof type_names / sizeof *type_names; t++)
		if (strcmp(tn->str, type_names[t]) == 0)
			break;
	if (t == sizeof type_names / sizeof *type_names)
		return pvd_y_error(e, d, tn, "field %s: unknown type '%s' (text, insee, dep, siren, eur, int, date, bool, enum, list)",
				   name, tn->str);
	f->type = (enum pvd_ftype)t;
	if (spec->type != PVD_Y_MAP) {
		if (f->type == PVD_FT_ENUM || f->type == PVD_FT_LIST)
			return pvd_y_error(e, d, spec, "field %s: %s needs values", name, tn->str);
		return 0;
	}
	const struct pvd_ynode *n;
	if ((n = pvd_y_get(spec, "required")) && pvd_y_bool(d, n, "required", &f->required, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(spec, "missing")) && strv(d, n, "missing", &f->missing, &f->nmissing, e))
		return PVD_EX_CONFIG;
	int coded = f->type == PVD_FT_ENUM || f->type == PVD_FT_LIST;
	n = pvd_y_get(spec, "values");
	if (coded && !n)
		return pvd_y_error(e, d, spec, "field %s: %s needs values", name, tn->str);
	if (n && !coded)
		return pvd_y_error(e, d, n, "field %s: values only go with enum and list", name);
	if (n && load_values(d, n, f, e))
		return PVD_EX_CONFIG;
	const struct pvd_ynode *sep = pvd_y_get(spec, "separators"), *cols = pvd_y_get(spec, "columns");
	if ((sep || cols) && f->type != PVD_FT_LIST)
		return pvd_y_error(e, d, sep ? sep : cols, "field %s: separators and columns only go with list", name);
	if (sep && strv(d, sep, "separators", &f->seps, &f->nseps, e))
		return PVD_EX_CONFIG;
	for (size_t i = 0; i < f->nseps; i++)
		if (!*f->seps[i])
			return pvd_y_error(e, d, sep, "field %s: empty separator", name);
	if (f->type == PVD_FT_LIST && !sep) {
		f->seps = xmalloc(sizeof *f->seps);
		f->seps[0] = xstrdup(";");
		f->nseps = 1;
	}
	if (cols) {
		if (cols->type != PVD_Y_MAP)
			return pvd_y_error(e, d, cols, "field %s: columns maps raw fields to codes", name);
		f->cols = xcalloc(cols->n, sizeof *f->cols);
		f->colcode = xcalloc(cols->n, sizeof *f->colcode);
		for (size_t i = 0; i < cols->n; i++) {
			const struct pvd_ynode *c = cols->items[i];
			int k = c->type == PVD_Y_SCALAR ? code_index(f, c->str) : -1;
			if (k < 0)
				return pvd_y_error(e, d, c, "field %s: column %s: not one of the codes (%s)", name,
						   cols->keys[i], f->allowed);
			f->cols[f->ncols] = xstrdup(cols->keys[i]);
			f->colcode[f->ncols++] = (unsigned)k;
		}
	}
	int ranged = f->type == PVD_FT_INT || f->type == PVD_FT_EUR;
	const struct pvd_ynode *mn = pvd_y_get(spec, "min"), *mx = pvd_y_get(spec, "max");
	if ((mn || mx) && !ranged)
		return pvd_y_error(e, d, mn ? mn : mx, "field %s: min and max only go with int and eur", name);
	if (mn && limit(d, mn, f, "min", &f->min, e))
		return PVD_EX_CONFIG;
	if (mx && limit(d, mx, f, "max", &f->max, e))
		return PVD_EX_CONFIG;
	f->has_min = mn != NULL;
	f->has_max = mx != NULL;
	if ((n = pvd_y_get(spec, "subcent"))) {
		if (f->type != PVD_FT_EUR)
			return pvd_y_error(e, d, n, "field %s: subcent only goes with eur", name);
		static const char *const subcent[] = { "round", "reject", NULL };
		if ((f->subcent_reject = pvd_y_choice(n, subcent)) < 0)
			return pvd_y_error(e, d, n, "field %s: subcent is round or reject", name);
	}
	return 0;
}

static void field_free(struct pvd_sfield *f)
{
	free(f->name);
	pvd_strv_free(f->missing, f->nmissing);
	pvd_strv_free(f->codes, f->ncodes);
	for (size_t i = 0; i < f->nsyn; i++)
		free(f->syn[i].key);
	free(f->syn);
	free(f->allowed);
	pvd_strv_free(f->seps, f->nseps);
	pvd_strv_free(f->cols, f->ncols);
	free(f->colcode);
}

int pvd_schema_from_doc(struct pvd_schema *s, const struct pvd_ydoc *d, struct pvd_err *e)
{
	static const char *const keys[] = { "dataset", "title", "description", "missing", "key",
		"required_any", "duplicates", "fields", NULL };
	memset(s, 0, sizeof *s);
	s->file = xstrdup(d->file);
	s->dedupe = 1;
	const struct pvd_ynode *root = d->root, *n;
	if (!root || root->type != PVD_Y_MAP)
		return pvd_y_error(e, d, root, "a dataset schema is a mapping (dataset:, fields:)");
	if (pvd_y_check_keys(d, root, keys, e))
		return PVD_EX_CONFIG;
	if (!(n = pvd_y_need(d, root, "dataset", PVD_Y_SCALAR, e)))
		return PVD_EX_CONFIG;
	s->dataset = xstrdup(n->str);
	if ((n = pvd_y_get(root, "missing")) && strv(d, n, "missing", &s->missing, &s->nmissing, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(root, "key")) && strv(d, n, "key", &s->key, &s->nkey, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(root, "required_any")) && strv(d, n, "required_any", &s->any, &s->nany, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(root, "duplicates"))) {
		static const char *const dup[] = { "keep", "reject", NULL };
		if ((s->dedupe = pvd_y_choice(n, dup)) < 0)
			return pvd_y_error(e, d, n, "duplicates is reject or keep");
	}
	const struct pvd_ynode *fields = pvd_y_need(d, root, "fields", PVD_Y_MAP, e);
	if (!fields)
		return PVD_EX_CONFIG;
	s->f = xcalloc(fields->n ? fields->n : 1, sizeof *s->f);
	for (size_t i = 0; i < fields->n; i++) {
		s->nf++;
		if (load_field(d, fields->keys[i], fields->items[i], &s->f[i], e))
			return PVD_EX_CONFIG;
	}
	/* A column gathered into a list is not also a field of its own. */
	for (size_t i = 0; i < s->nf; i++)
		for (size_t c = 0; c < s->f[i].ncols; c++)
			for (size_t j = 0; j < s->nf; j++)
				if (strcmp(s->f[i].cols[c], s->f[j].name) == 0)
					return pvd_y_error(e, d, fields, "field %s: column %s is also a field", s->f[i].name,
							   s->f[j].name);
	return 0;
}

int pvd_schema_load(struct pvd_schema *s, const char *path, struct pvd_err *e)
{
	struct pvd_ydoc d;
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc) {
		memset(s, 0, sizeof *s);
		if (rc == PVD_EX_NOINPUT)
			e->status = rc = PVD_EX_CONFIG;
		pvd_ydoc_free(&d);
		return rc;
	}
	rc = pvd_schema_from_doc(s, &d, e);
	pvd_ydoc_free(&d);
	if (rc)
		pvd_schema_free(s);
	return rc;
}

void pvd_schema_free(struct pvd_schema *s)
{
	for (size_t i = 0; i < s->nf; i++)
		field_free(&s->f[i]);
	free(s->f);
	free(s->dataset);
	free(s->file);
	pvd_strv_free(s->missing, s->nmissing);
	pvd_strv_free(s->key, s->nkey);
	pvd_strv_free(s->any, s->nany);
	memset(s, 0, sizeof *s);
}

int pvd_schema_code(const struct pvd_sfield *f, const char *s, size_t n, struct pvd_buf *scratch)
{
	pvd_buf_reset(scratch);
	pvd_fold(s, n, 0, scratch);
	const char *key = pvd_buf_str(scratch);
	for (size_t i = 0; i < f->nsyn; i++)
		if (strcmp(f->syn[i].key, key) == 0)
			return (int)f->syn[i].code;
	return -1;
}

static int in_list(char **v, size_t nv, const char *s, size_t n)
{
	for (size_t i = 0; i < nv; i++)
		/* the first byte, folded as strncasecmp folds ASCII, rules out most
		 * entries before their length is counted (n > 0 here) */
		if ((((unsigned char)v[i][0] | 0x20) == ((unsigned char)s[0] | 0x20)) && strlen(v[i]) == n &&
		    strncasecmp(v[i], s, n) == 0)
			return 1;
	return 0;
}

int pvd_schema_is_missing(const struct pvd_schema *s, const struct pvd_sfield *f, const char *v,
			  size_t n)
{
	n = pvd_trim(&v, n);
	return n == 0 || in_list(s->missing, s->nmissing, v, n) || in_list(f->missing, f->nmissing, v, n);
}
