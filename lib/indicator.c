#include "indicator.h"
#include "buf.h"
#include "confpath.h"
#include "joinfields.h"
#include "xmem.h"
#include "yamldoc.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ---------------------------------------------------- */

/* The loader's context: the document, the catalogue being built and the
 * variables of the template instance being compiled. */
struct ld {
	struct pvd_catalog *c;
	struct pvd_ydoc *d;
	struct pvd_err *e;
	const char *const *vars;   /* name, value, name, value..., NULL */
	const char *inst;          /* id of the instance, for messages (NULL: not templated) */
	char pv[4][16];            /* period variables */
};

static char *keep(struct pvd_catalog *c, char *s)
{
	c->pool = xgrow(c->pool, &c->poolcap, c->npool + 1, sizeof *c->pool);
	c->pool[c->npool++] = s;
	return s;
}

static int err(struct ld *L, const struct pvd_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int err(struct ld *L, const struct pvd_ynode *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (L->inst)
		return pvd_y_error(L->e, L->d, n, "%s (in %s)", msg, L->inst);
	return pvd_y_error(L->e, L->d, n, "%s", msg);
}

static int is_ident(char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!first && ch >= '0' && ch <= '9');
}

/* The label of the value of template variable var in the static labels of
 * dimension dim; NULL (e filled) when either is unknown. */
static const char *var_label(struct ld *L, const struct pvd_ynode *n, const char *var, size_t vn,
			     const char *dim, size_t dn)
{
	const char *val = NULL;
	for (const char *const *v = L->vars; v && *v; v += 2)
		if (strlen(*v) == vn && memcmp(*v, var, vn) == 0)
			val = v[1];
	if (!val) {
		err(L, n, "unknown template variable {%.*s}", (int)vn, var);
		return NULL;
	}
	for (size_t i = 0; i < L->c->ndims; i++) {
		const struct pvd_dim *dm = &L->c->dims[i];
		if (strlen(dm->name) != dn || memcmp(dm->name, dim, dn) != 0)
			continue;
		long id = dm->labels ? pvd_strset_find(&dm->lkeys, val, strlen(val)) : -1;
		if (id < 0) {
			err(L, n, "{%.*s|%.*s}: dimension '%.*s' has no label for '%s'", (int)vn, var, (int)dn, dim,
			    (int)dn, dim, val);
			return NULL;
		}
		return dm->labels[id];
	}
	err(L, n, "{%.*s|%.*s}: unknown dimension '%.*s'", (int)vn, var, (int)dn, dim, (int)dn, dim);
	return NULL;
}

/* The text of a scalar with {var} (and {var|dim}) replaced; NULL (e
 * filled) on an unknown variable.  The result belongs to the catalogue. */
static const char *sv(struct ld *L, const struct pvd_ynode *n)
{
	const char *s = n->str;
	if (!strchr(s, '{'))
		return s;
	struct pvd_buf b = { 0 };
	pvd_buf_adds(&b, "");
	for (const char *p = s; *p;) {
		if (*p == '{' && is_ident(p[1], 1)) {
			const char *q = p + 1;
			while (is_ident(*q, 0))
				q++;
			if (*q == '}') {
				size_t k = (size_t)(q - p - 1);
				const char *val = NULL;
				for (const char *const *v = L->vars; v && *v; v += 2)
					if (strlen(*v) == k && memcmp(*v, p + 1, k) == 0)
						val = v[1];
				static const char *const pn[] = { "period", "period_start", "period_end", "period_year" };
				for (int i = 0; i < 4 && !val; i++)
					if (strlen(pn[i]) == k && memcmp(pn[i], p + 1, k) == 0)
						val = L->pv[i];
				if (!val) {
					err(L, n, "unknown template variable {%.*s}", (int)k, p + 1);
					pvd_buf_free(&b);
					return NULL;
				}
				pvd_buf_adds(&b, val);
				p = q + 1;
				continue;
			}
			if (*q == '|' && is_ident(q[1], 1)) {
				/* {var|dim}: the label the dimension dim gives the value
				 * of var, so that codes have their label in one place. */
				const char *r = q + 1;
				while (is_ident(*r, 0))
					r++;
				if (*r == '}') {
					const char *lab = var_label(L, n, p + 1, (size_t)(q - p - 1), q + 1, (size_t)(r - q - 1));
					if (!lab) {
						pvd_buf_free(&b);
						return NULL;
					}
					pvd_buf_adds(&b, lab);
					p = r + 1;
					continue;
				}
			}
		}
		pvd_buf_addc(&b, *p++);
	}
	return keep(L->c, b.p);
}

/* The i-th value of a node that is one value or a list of values (its node
 * in *at), substituted; NULL with e filled (message what) when it is not a
 * plain value. */
static const char *nth_str(struct ld *L, const struct pvd_ynode *n, size_t i, const char *what,
			   const struct pvd_ynode **at)
{
	*at = n->type == PVD_Y_SEQ ? n->items[i] : n;
	if ((*at)->type != PVD_Y_SCALAR) {
		err(L, *at, "%s", what);
		return NULL;
	}
	return sv(L, *at);
}

static int is_null_scalar(const struct pvd_ynode *n)
{
	return n->type == PVD_Y_SCALAR && !n->quoted &&
	       (strcmp(n->str, "null") == 0 || strcmp(n->str, "~") == 0 || n->str[0] == '\0');
}

/* A scalar child, substituted: NULL with e filled when absent / not a scalar
 * (required) or NULL without error when absent and optional. */
static const char *get_str(struct ld *L, const struct pvd_ynode *map, const char *key, int required)
{
	const struct pvd_ynode *n = pvd_y_get(map, key);
	if (!n) {
		if (required)
			err(L, map, "'%s' is required", key);
		return NULL;
	}
	if (n->type != PVD_Y_SCALAR) {
		err(L, n, "'%s' must be a value", key);
		return NULL;
	}
	return sv(L, n);
}

int pvd_canon_int_parse(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	int64_t r = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	if (i == n)
		return -1;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9' || __builtin_mul_overflow(r, 10, &r) ||
		    __builtin_add_overflow(r, s[i] - '0', &r))
			return -1;
	*v = neg ? -r : r;
	return 0;
}

/* ---- datasets --------------------------------------------------------- */

/* A dataset's fields and types are those of its pvd-clean schema
 * (config/datasets/NAME.yaml, schema.h): one declaration for the cleaner and
 * the catalogue.  The catalogue keeps only what is its own: the date the
 * period rule reads and what undated records do. */

static const struct pvd_sfield *ds_field(const struct pvd_dataset *ds, const char *name)
{
	for (size_t i = 0; i < ds->schema.nf; i++)
		if (strcmp(ds->schema.f[i].name, name) == 0)
			return &ds->schema.f[i];
	return NULL;
}

/* What a date rule reads in a field of this type: 1 a date, 2 a text
 * holding a period (2021-Q4, 2021-12, 2021-12-31, 2021), 0 nothing. */
static int date_kind(enum pvd_ftype t)
{
	return t == PVD_FT_DATE ? 1 : t == PVD_FT_TEXT ? 2 : 0;
}

/* Type of a field of a dataset: its schema's, or a provenance/join field
 * (joinfields.h), or <date>_precision.  Returns 0 when unknown. */
static int field_type(const struct pvd_dataset *ds, const char *name, enum pvd_ftype *t,
		      const struct pvd_sfield **decl)
{
	const struct pvd_sfield *f = ds_field(ds, name);
	if (decl)
		*decl = f;
	if (f) {
		*t = f->type;
		return 1;
	}
	const struct pvd_joinfield *jf = pvd_joinfield_find(name);
	if (jf) {
		*t = jf->type;
		return 1;
	}
	size_t n = strlen(name);
	if (n > 10 && strcmp(name + n - 10, "_precision") == 0) {
		char *base = xstrndup(name, n - 10);
		const struct pvd_sfield *b = ds_field(ds, base);
		int known = b && (b->type == PVD_FT_DATE || (ds->date && strcmp(ds->date, base) == 0));
		free(base);
		if (known) {
			*t = PVD_FT_TEXT;
			return 1;
		}
	}
	return 0;
}

/* A date field named by the catalogue (the dataset's `date:` or an
 * indicator's): a date or a period text of the schema.  Returns its
 * date_kind, or 0 with e filled at n. */
static int date_field(struct ld *L, const struct pvd_dataset *ds, const char *name, const struct pvd_ynode *n)
{
	const struct pvd_sfield *f = ds_field(ds, name);
	if (!f)
		err(L, n, "date field '%s' is not a field of dataset '%s' (schema %s)", name, ds->name, ds->schema.file);
	else if (!date_kind(f->type))
		err(L, n, "date field '%s' is %s in the schema %s, not date (or text holding periods)", name,
		    pvd_ftype_name(f->type), ds->schema.file);
	return f ? date_kind(f->type) : 0;
}

/* The schema of the dataset: DIR/NAME.yaml, or (no DIR) datasets/NAME.yaml
 * of the config directory, where pvd-clean finds it (confpath.h).  A
 * missing schema is an error at the dataset's line and column. */
static int load_schema(struct ld *L, struct pvd_dataset *ds, const char *dir, long line, long col)
{
	struct pvd_buf b = { 0 };
	if (dir)
		pvd_buf_printf(&b, "%s/%s.yaml", dir, ds->name);
	else
		pvd_buf_printf(&b, "%s/datasets/%s.yaml", pvd_config_dir(), ds->name);
	char *path = b.p;
	if (access(path, R_OK) != 0) {
		int rc = pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, line, col,
				     "dataset '%s': no schema %s (the pvd-clean schema that types its fields)", ds->name,
				     path);
		free(path);
		return rc;
	}
	int rc = pvd_schema_load(&ds->schema, path, L->e);
	free(path);
	if (rc)
		return rc;
	if (strcmp(ds->schema.dataset, ds->name) != 0)
		return pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, line, col,
				   "dataset '%s': its schema %s says dataset: %s", ds->name, ds->schema.file,
				   ds->schema.dataset);
	return 0;
}

static int load_datasets(struct ld *L, const struct pvd_ynode *map, const char *schema_dir)
{
	struct pvd_catalog *c = L->c;
	c->ds = xcalloc(map->n ? map->n : 1, sizeof *c->ds);
	for (size_t i = 0; i < map->n; i++) {
		const struct pvd_ynode *dn = map->items[i];
		struct pvd_dataset *ds = &c->ds[c->nds++];
		ds->name = xstrdup(map->keys[i]);
		pvd_strset_init(&ds->slots);
		pvd_strset_add(&c->dsnames, ds->name, strlen(ds->name), NULL);
		if (!*ds->name || ds->name[strspn(ds->name, "abcdefghijklmnopqrstuvwxyz0123456789_")])
			return pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, map->key_lines[i], map->key_cols[i],
					   "dataset name '%s': use lower-case letters, digits and '_'", ds->name);
		if (dn->type != PVD_Y_MAP)
			return err(L, dn, "dataset '%s' must be a mapping (date, undated)", ds->name);
		if (load_schema(L, ds, schema_dir, map->key_lines[i], map->key_cols[i]))
			return PVD_EX_CONFIG;
		/* A field pvd-join writes is known with the type it writes. */
		for (size_t k = 0; k < ds->schema.nf; k++) {
			const struct pvd_sfield *f = &ds->schema.f[k];
			const struct pvd_joinfield *jf = pvd_joinfield_find(f->name);
			if (jf && jf->type != f->type)
				return pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, map->key_lines[i], map->key_cols[i],
						   "dataset '%s': its schema %s types %s as %s, but pvd-join writes it as %s",
						   ds->name, ds->schema.file, f->name, pvd_ftype_name(f->type),
						   pvd_ftype_name(jf->type));
		}
		for (size_t k = 0; k < dn->n; k++)
			if (strcmp(dn->keys[k], "fields") == 0)
				return pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, dn->key_lines[k], dn->key_cols[k],
						   "dataset '%s': its fields are typed by its schema %s, not here", ds->name,
						   ds->schema.file);
		static const char *const keys[] = { "date", "undated", NULL };
		if (pvd_y_check_keys(L->d, dn, keys, L->e))
			return PVD_EX_CONFIG;
		const struct pvd_ynode *dt = pvd_y_get(dn, "date");
		if (dt) {
			if (dt->type != PVD_Y_SCALAR)
				return err(L, dt, "'date' must be a field name or none");
			if (strcmp(dt->str, "none") != 0) {
				if (!date_field(L, ds, dt->str, dt))
					return PVD_EX_CONFIG;
				ds->date = xstrdup(dt->str);
			}
		}
		const struct pvd_ynode *ud = pvd_y_get(dn, "undated");
		ds->undated_count = 0;
		if (ud) {
			if (ud->type != PVD_Y_SCALAR || (strcmp(ud->str, "count") && strcmp(ud->str, "exclude")))
				return err(L, ud, "'undated' must be count or exclude");
			ds->undated_count = strcmp(ud->str, "count") == 0;
		} else if (ds->date) {
			return err(L, dn, "dataset '%s': say what records without %s do: 'undated: count' or 'undated: exclude'",
				   ds->name, ds->date);
		}
	}
	return 0;
}

char *pvd_catalog_default(void)
{
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/indicators.yaml", pvd_config_dir());
	return b.p;
}

char *pvd_catalog_schema_dir(const char *catalog)
{
	const char *slash = strrchr(catalog, '/');
	struct pvd_buf b = { 0 };
	if (slash)
		pvd_buf_printf(&b, "%.*s/datasets", (int)(slash - catalog), catalog);
	else
		pvd_buf_adds(&b, "datasets");
	struct stat sb;
	if (stat(b.p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		pvd_buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* ---- dimensions ------------------------------------------------------- */

static int load_dims(struct ld *L, const struct pvd_ynode *map)
{
	struct pvd_catalog *c = L->c;
	c->dims = xcalloc(map->n ? map->n : 1, sizeof *c->dims);
	for (size_t i = 0; i < map->n; i++) {
		const struct pvd_ynode *dn = map->items[i];
		struct pvd_dim *dm = &c->dims[c->ndims++];
		dm->name = xstrdup(map->keys[i]);
		pvd_strset_init(&dm->lkeys);
		if (dn->type != PVD_Y_MAP)
			return err(L, dn, "dimension '%s' must be a mapping (key, label, labels)", dm->name);
		static const char *const keys[] = { "key", "label", "labels", NULL };
		if (pvd_y_check_keys(L->d, dn, keys, L->e))
			return PVD_EX_CONFIG;
		const struct pvd_ynode *k = pvd_y_need(L->d, dn, "key", PVD_Y_SCALAR, L->e);
		if (!k)
			return PVD_EX_CONFIG;
		dm->key = xstrdup(k->str);
		const struct pvd_ynode *lb = pvd_y_get(dn, "label");
		if (lb) {
			if (lb->type != PVD_Y_SCALAR)
				return err(L, lb, "'label' must be a field name");
			dm->label = xstrdup(lb->str);
		}
		const struct pvd_ynode *ls = pvd_y_get(dn, "labels");
		if (ls) {
			if (ls->type != PVD_Y_MAP)
				return err(L, ls, "'labels' must map each key to its label");
			if (lb)
				return err(L, ls, "a dimension takes its labels from a field ('label') or from a list ('labels'), not both");
			dm->labels = xcalloc(ls->n ? ls->n : 1, sizeof *dm->labels);
			for (size_t j = 0; j < ls->n; j++) {
				if (ls->items[j]->type != PVD_Y_SCALAR)
					return err(L, ls->items[j], "a label must be a value");
				pvd_strset_add(&dm->lkeys, ls->keys[j], strlen(ls->keys[j]), NULL);
				dm->labels[j] = xstrdup(ls->items[j]->str);
			}
		}
	}
	return 0;
}

static long find_dim(const struct pvd_catalog *c, const char *name)
{
	for (size_t i = 0; i < c->ndims; i++)
		if (strcmp(c->dims[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* ---- accumulators ----------------------------------------------------- */

static int slot(struct pvd_dataset *ds, const char *name)
{
	int added;
	uint32_t id = pvd_strset_add(&ds->slots, name, strlen(name), &added);
	if (added) {
		size_t cap = ds->slotcap;
		ds->slot_money = xgrow(ds->slot_money, &cap, id + 1, 1);
		cap = ds->slotcap;
		ds->slot_date = xgrow(ds->slot_date, &cap, id + 1, 1);
		ds->slotcap = cap;
		ds->slot_money[id] = 0;
		ds->slot_date[id] = 0;
	}
	return (int)id;
}

static struct pvd_acc *new_acc(struct pvd_catalog *c, const char *name, size_t ds)
{
	c->accs = xgrow(c->accs, &c->acccap, c->naccs + 1, sizeof *c->accs);
	struct pvd_acc *a = &c->accs[c->naccs];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->ds = ds;
	a->date_slot = a->prec_slot = -1;
	pvd_strset_add(&c->accnames, name, strlen(name), NULL);
	struct pvd_dataset *d = &c->ds[ds];
	d->accs = xgrow(d->accs, &d->acap, d->naccs + 1, sizeof *d->accs);
	d->accs[d->naccs++] = c->naccs++;
	return a;
}

/* Resolves a field used by an accumulator: known in the dataset (else a
 * config error at node n).  Returns its slot or -1. */
static int use_field(struct ld *L, size_t dsi, const char *name, const struct pvd_ynode *n,
		     enum pvd_ftype *t, const struct pvd_sfield **decl)
{
	struct pvd_dataset *ds = &L->c->ds[dsi];
	if (!field_type(ds, name, t, decl)) {
		err(L, n, "unknown field '%s' in dataset '%s'", name, ds->name);
		return -1;
	}
	return slot(ds, name);
}

static int check_value(struct ld *L, const struct pvd_ynode *n, const struct pvd_dataset *ds,
		       const char *field, enum pvd_ftype t, const struct pvd_sfield *decl, const char *v)
{
	if (t == PVD_FT_BOOL && strcmp(v, "true") && strcmp(v, "false"))
		return err(L, n, "%s.%s is a bool: compare it with true or false, not '%s'", ds->name, field, v);
	if (decl && decl->ncodes) {
		for (size_t i = 0; i < decl->ncodes; i++)
			if (strcmp(decl->codes[i], v) == 0)
				return 0;
		struct pvd_buf b = { 0 };
		for (size_t i = 0; i < decl->ncodes; i++)
			pvd_buf_printf(&b, "%s%s", i ? ", " : "", decl->codes[i]);
		int rc = err(L, n, "unknown value '%s' for %s.%s (one of: %s)", v, ds->name, field, b.p);
		pvd_buf_free(&b);
		return rc;
	}
	return 0;
}

static int add_cond(struct ld *L, struct pvd_acc *a, enum pvd_cop op, int slot_, const struct pvd_ynode *vn,
		    const struct pvd_dataset *ds, const char *field, enum pvd_ftype t,
		    const struct pvd_sfield *decl)
{
	a->conds = xrealloc(a->conds, (a->nconds + 1) * sizeof *a->conds);
	struct pvd_cond *k = &a->conds[a->nconds++];
	memset(k, 0, sizeof *k);
	k->op = op;
	k->slot = slot_;
	if (op == PVD_C_NULL || op == PVD_C_NOTNULL)
		return 0;
	size_t n = vn->type == PVD_Y_SEQ ? vn->n : 1;
	if (n == 0)
		return err(L, vn, "an empty list matches nothing");
	k->vals = xcalloc(n, sizeof *k->vals);
	for (size_t i = 0; i < n; i++) {
		const struct pvd_ynode *it;
		const char *v = nth_str(L, vn, i, "a condition compares with plain values", &it);
		if (!v)
			return PVD_EX_CONFIG;
		k->vals[k->nvals++] = keep(L->c, xstrdup(v));
		if ((op == PVD_C_EQ || op == PVD_C_NE) && check_value(L, it, ds, field, t, decl, v))
			return PVD_EX_CONFIG;
	}
	if (op >= PVD_C_GE) {
		if (t == PVD_FT_LIST || t == PVD_FT_BOOL)
			return err(L, vn, "%s.%s is a %s: it cannot be compared with ge/gt/le/lt", ds->name, field, pvd_ftype_name(t));
		k->isnum = pvd_canon_int_parse(k->vals[0], strlen(k->vals[0]), &k->num) == 0;
	}
	return 0;
}

/* where: {field: condition, ...} (see the catalogue's header for the forms). */
static int compile_where(struct ld *L, struct pvd_acc *a, const struct pvd_ynode *w)
{
	if (!w)
		return 0;
	if (w->type != PVD_Y_MAP)
		return err(L, w, "'where' must map fields to conditions");
	struct pvd_dataset *ds = &L->c->ds[a->ds];
	for (size_t i = 0; i < w->n; i++) {
		const struct pvd_ynode *v = w->items[i];
		struct pvd_ynode kn = { .type = PVD_Y_SCALAR, .str = w->keys[i], .line = w->key_lines[i],
					.col = w->key_cols[i] };
		const char *field = sv(L, &kn);   /* a field name may be templated too */
		if (!field)
			return PVD_EX_CONFIG;
		enum pvd_ftype t;
		const struct pvd_sfield *decl;
		int s = use_field(L, a->ds, field, &kn, &t, &decl);
		if (s < 0)
			return PVD_EX_CONFIG;
		if (v->type == PVD_Y_SCALAR) {
			if (is_null_scalar(v)) {
				if (add_cond(L, a, PVD_C_NULL, s, v, ds, field, t, decl))
					return PVD_EX_CONFIG;
			} else if (add_cond(L, a, PVD_C_EQ, s, v, ds, field, t, decl)) {
				return PVD_EX_CONFIG;
			}
			continue;
		}
		if (v->type == PVD_Y_SEQ) {
			if (add_cond(L, a, PVD_C_EQ, s, v, ds, field, t, decl))
				return PVD_EX_CONFIG;
			continue;
		}
		static const char *const ops[] = { "in", "not", "ge", "gt", "le", "lt", NULL };
		if (pvd_y_check_keys(L->d, v, ops, L->e))
			return PVD_EX_CONFIG;
		if (v->n == 0)
			return err(L, v, "an empty condition");
		for (size_t j = 0; j < v->n; j++) {
			const char *op = v->keys[j];
			const struct pvd_ynode *x = v->items[j];
			enum pvd_cop o;
			if (strcmp(op, "in") == 0) {
				if (x->type != PVD_Y_SEQ)
					return err(L, x, "'in' takes a list of values");
				o = PVD_C_EQ;
			} else if (strcmp(op, "not") == 0) {
				if (x->type == PVD_Y_MAP)
					return err(L, x, "'not' takes null, a value or a list of values");
				o = is_null_scalar(x) ? PVD_C_NOTNULL : PVD_C_NE;
			} else {
				if (x->type != PVD_Y_SCALAR || is_null_scalar(x))
					return err(L, x, "'%s' takes one value", op);
				o = strcmp(op, "ge") == 0 ? PVD_C_GE : strcmp(op, "gt") == 0 ? PVD_C_GT
				    : strcmp(op, "le") == 0 ? PVD_C_LE : PVD_C_LT;
			}
			if (add_cond(L, a, o, s, x, ds, field, t, decl))
				return PVD_EX_CONFIG;
		}
	}
	return 0;
}

/* The options an indicator and its inline operands share: dataset, where,
 * date, undated, window. */
static int compile_base(struct ld *L, struct pvd_acc **out, const char *name, const struct pvd_ynode *m,
			const struct pvd_ynode *measure_node, enum pvd_mkind kind,
			const struct pvd_ynode *mfield, const size_t *dims, size_t ndims, const char *unit)
{
	struct pvd_catalog *c = L->c;
	*out = NULL;
	const struct pvd_ynode *dn = pvd_y_get(m, "dataset");
	if (!dn || dn->type != PVD_Y_SCALAR)
		return err(L, dn ? dn : m, "'dataset' is required (a dataset declared under 'datasets:')");
	const char *dsname = sv(L, dn);
	if (!dsname)
		return PVD_EX_CONFIG;
	long dsi = pvd_strset_find(&c->dsnames, dsname, strlen(dsname));
	if (dsi < 0) {
		struct pvd_buf b = { 0 };
		for (size_t i = 0; i < c->nds; i++)
			pvd_buf_printf(&b, "%s%s", i ? ", " : "", c->ds[i].name);
		int rc = err(L, dn, "unknown dataset '%s' (declared: %s)", dsname, b.p ? b.p : "none");
		pvd_buf_free(&b);
		return rc;
	}
	struct pvd_dataset *ds = &c->ds[dsi];
	struct pvd_acc *a = new_acc(c, name, (size_t)dsi);
	*out = a;
	a->kind = kind;
	/* The measure's field(s). */
	if (kind != PVD_M_COUNT) {
		size_t n = mfield->type == PVD_Y_SEQ ? mfield->n : 1;
		if (n == 0 || (n > 1 && kind != PVD_M_DISTINCT))
			return err(L, mfield, "the measure takes one field%s", kind == PVD_M_DISTINCT ? " or a list of fields" : "");
		a->fields = xcalloc(n, sizeof *a->fields);
		for (size_t i = 0; i < n; i++) {
			const struct pvd_ynode *fn;
			const char *f = nth_str(L, mfield, i, "a field name is expected", &fn);
			if (!f)
				return PVD_EX_CONFIG;
			enum pvd_ftype t;
			int s = use_field(L, a->ds, f, fn, &t, NULL);
			if (s < 0)
				return PVD_EX_CONFIG;
			if (kind == PVD_M_DISTINCT && n > 1 && t == PVD_FT_LIST)
				return err(L, fn, "a list field (%s) cannot be part of a distinct tuple", f);
			if (kind == PVD_M_SUM || kind == PVD_M_MEAN || kind == PVD_M_LAST) {
				if (t != PVD_FT_EUR && t != PVD_FT_INT)
					return err(L, fn, "%s.%s is %s: only eur and int fields can be summed", ds->name, f, pvd_ftype_name(t));
				a->eur = t == PVD_FT_EUR;
				ds->slot_money[s] = a->eur ? 1 : 2;
				if (kind != PVD_M_MEAN && unit) {
					if (a->eur && strcmp(unit, "eur") != 0)
						return err(L, measure_node, "%s.%s is in eur: the unit must be eur, not %s", ds->name, f, unit);
					if (!a->eur && !pvd_unit_is_count(unit))
						return err(L, measure_node, "%s.%s is a whole number: the unit must be a count unit, not %s",
							   ds->name, f, unit);
				}
			}
			a->fields[a->nfields++] = s;
		}
	}
	/* Date rule: the dataset's, possibly overridden. */
	const char *date = ds->date;
	const char *dv = get_str(L, m, "date", 0);
	if (!dv && pvd_y_get(m, "date"))
		return PVD_EX_CONFIG;
	const struct pvd_ynode *dnode = pvd_y_get(m, "date");
	if (dv) {
		if (strcmp(dv, "none") == 0) {
			date = NULL;
		} else {
			if (!date_field(L, ds, dv, dnode))
				return PVD_EX_CONFIG;
			date = dv;
		}
	}
	a->undated_count = ds->undated_count;
	const struct pvd_ynode *un = pvd_y_get(m, "undated");
	if (un) {
		if (un->type != PVD_Y_SCALAR || (strcmp(un->str, "count") && strcmp(un->str, "exclude")))
			return err(L, un, "'undated' must be count or exclude");
		a->undated_count = strcmp(un->str, "count") == 0;
	} else if (dv && date && !ds->date) {
		return err(L, dnode, "say what records without %s do: 'undated: count' or 'undated: exclude'", date);
	}
	const struct pvd_ynode *wn = pvd_y_get(m, "window");
	if (wn) {
		if (wn->type != PVD_Y_SCALAR || (strcmp(wn->str, "stock") && strcmp(wn->str, "flow")))
			return err(L, wn, "'window' must be stock (up to the end of the period) or flow (within the period)");
		a->flow = strcmp(wn->str, "flow") == 0;
	}
	if (date) {
		a->date_slot = slot(ds, date);
		ds->slot_date[a->date_slot] = (unsigned char)date_kind(ds_field(ds, date)->type);
		char pn[256];
		snprintf(pn, sizeof pn, "%s_precision", date);
		a->prec_slot = slot(ds, pn);
	} else if (wn || un) {
		return err(L, wn ? wn : un, "'%s' without a date field", wn ? "window" : "undated");
	}
	if (compile_where(L, a, pvd_y_get(m, "where")))
		return PVD_EX_CONFIG;
	/* Breakdown: each dimension's fields must be known in the dataset. */
	a->dims = xcalloc(ndims ? ndims : 1, sizeof *a->dims);
	a->dim_key = xcalloc(ndims ? ndims : 1, sizeof *a->dim_key);
	a->dim_label = xcalloc(ndims ? ndims : 1, sizeof *a->dim_label);
	for (size_t i = 0; i < ndims; i++) {
		const struct pvd_dim *dm = &c->dims[dims[i]];
		enum pvd_ftype t;
		const struct pvd_ynode *bn = pvd_y_get(m, "breakdown");
		if (!bn)
			bn = m;
		if ((a->dim_key[i] = use_field(L, a->ds, dm->key, bn, &t, NULL)) < 0)
			return PVD_EX_CONFIG;
		if (t == PVD_FT_LIST)
			return err(L, bn, "dimension '%s': %s.%s is a list, it cannot key a breakdown", dm->name, ds->name, dm->key);
		a->dim_label[i] = -1;
		if (dm->label && (a->dim_label[i] = use_field(L, a->ds, dm->label, bn, &t, NULL)) < 0)
			return PVD_EX_CONFIG;
		a->dims[a->ndims++] = dims[i];
	}
	slot(ds, "_file");
	slot(ds, "_line");
	return 0;
}

/* measure: count | {distinct: F|[F..]} | {sum: F} | {mean: F} | {last: F} | {ratio: {num, den}} */
static int measure_kind(struct ld *L, const struct pvd_ynode *mn, enum pvd_mkind *k,
			const struct pvd_ynode **arg)
{
	*arg = NULL;
	if (!mn)
		return err(L, mn, "'measure' is required");
	if (mn->type == PVD_Y_SCALAR) {
		if (strcmp(mn->str, "count") != 0)
			return err(L, mn, "unknown measure '%s' (count, distinct, sum, mean, last, ratio)", mn->str);
		*k = PVD_M_COUNT;
		return 0;
	}
	if (mn->type != PVD_Y_MAP || mn->n != 1)
		return err(L, mn, "'measure' is count, or one of {distinct: F}, {sum: F}, {mean: F}, {last: F}, {ratio: {num, den}}");
	static const struct {
		const char *n;
		enum pvd_mkind k;
	} names[] = { { "distinct", PVD_M_DISTINCT }, { "sum", PVD_M_SUM }, { "mean", PVD_M_MEAN },
		      { "last", PVD_M_LAST }, { "ratio", PVD_M_RATIO } };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(mn->keys[0], names[i].n) == 0) {
			*k = names[i].k;
			*arg = mn->items[0];
			return 0;
		}
	return pvd_err_set(L->e, PVD_EX_CONFIG, L->d->file, mn->key_lines[0], mn->key_cols[0],
			   "unknown measure '%s' (count, distinct, sum, mean, last, ratio)", mn->keys[0]);
}

/* A ratio operand not yet resolved: an id, or an inline accumulator. */
struct pending {
	size_t ind;
	int which;                /* 0 num, 1 den */
	char *ref;                /* id referenced */
	struct pvd_ynode node;    /* position (line/col only) */
	char *inst;
};

struct pendings {
	struct pending *p;
	size_t n, cap;
};

static int compile_operand(struct ld *L, struct pendings *pd, size_t ind, int which,
			   const struct pvd_ynode *on, const size_t *dims, size_t ndims)
{
	struct pvd_ind *I = &L->c->inds[ind];
	if (!on)
		return err(L, on, "a ratio needs 'num' and 'den'");
	if (on->type == PVD_Y_SCALAR) {
		const char *ref = sv(L, on);
		if (!ref)
			return PVD_EX_CONFIG;
		pd->p = xgrow(pd->p, &pd->cap, pd->n + 1, sizeof *pd->p);
		struct pending *p = &pd->p[pd->n++];
		memset(p, 0, sizeof *p);
		p->ind = ind;
		p->which = which;
		p->ref = xstrdup(ref);
		p->node.line = on->line;
		p->node.col = on->col;
		p->inst = L->inst ? xstrdup(L->inst) : NULL;
		return 0;
	}
	if (on->type != PVD_Y_MAP)
		return err(L, on, "a ratio operand is an indicator id or an inline {dataset, where, measure}");
	static const char *const keys[] = { "dataset", "where", "measure", "date", "undated", "window", NULL };
	if (pvd_y_check_keys(L->d, on, keys, L->e))
		return PVD_EX_CONFIG;
	enum pvd_mkind k;
	const struct pvd_ynode *arg;
	if (!pvd_y_get(on, "measure"))
		return err(L, on, "an inline operand needs its 'measure'");
	if (measure_kind(L, pvd_y_get(on, "measure"), &k, &arg))
		return PVD_EX_CONFIG;
	if (k == PVD_M_RATIO || k == PVD_M_MEAN)
		return err(L, pvd_y_get(on, "measure"), "a ratio operand is a count, a distinct count, a sum or a last value");
	char name[600];
	snprintf(name, sizeof name, "%s#%s", I->id, which ? "den" : "num");
	struct pvd_acc *a;
	if (compile_base(L, &a, name, on, pvd_y_get(on, "measure"), k, arg, dims, ndims, NULL))
		return PVD_EX_CONFIG;
	I = &L->c->inds[ind];
	if (which)
		I->den = L->c->naccs - 1;
	else
		I->num = L->c->naccs - 1;
	return 0;
}

static int compile_indicator(struct ld *L, const struct pvd_ynode *m, struct pendings *pd,
			     const size_t *defdims, size_t ndefdims, struct pvd_strset *ids)
{
	struct pvd_catalog *c = L->c;
	static const char *const keys[] = { "id", "label", "description", "unit", "dataset", "where", "date",
					    "undated", "window", "measure", "breakdown", "for", NULL };
	if (pvd_y_check_keys(L->d, m, keys, L->e))
		return PVD_EX_CONFIG;
	const char *id = get_str(L, m, "id", 1);
	if (!id)
		return PVD_EX_CONFIG;
	const struct pvd_ynode *idn = pvd_y_get(m, "id");
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			return err(L, idn, "indicator id '%s': use lower-case letters, digits, '_' and '.'", id);
	int added;
	pvd_strset_add(ids, id, strlen(id), &added);
	if (!added)
		return err(L, idn, "duplicate indicator id '%s'", id);
	const char *label = get_str(L, m, "label", 1);
	const char *unit = get_str(L, m, "unit", 1);
	if (!label || !unit)
		return PVD_EX_CONFIG;
	const char *desc = NULL;
	if (pvd_y_get(m, "description") && !(desc = get_str(L, m, "description", 1)))
		return PVD_EX_CONFIG;
	enum pvd_ukind uk;
	if (pvd_unit_kind(unit, &uk))
		return err(L, pvd_y_get(m, "unit"), "unknown unit '%s' (" PVD_UNIT_LIST ")", unit);
	/* Breakdown: the default unless said. */
	size_t dims[32], ndims = 0;
	const struct pvd_ynode *bn = pvd_y_get(m, "breakdown");
	if (bn) {
		if (bn->type != PVD_Y_SEQ)
			return err(L, bn, "'breakdown' is a list of dimensions ([] for none)");
		for (size_t i = 0; i < bn->n; i++) {
			const struct pvd_ynode *x = bn->items[i];
			long di = x->type == PVD_Y_SCALAR ? find_dim(c, x->str) : -1;
			if (di < 0)
				return err(L, x, "unknown dimension '%s'", x->type == PVD_Y_SCALAR ? x->str : "?");
			for (size_t j = 0; j < ndims; j++)
				if (dims[j] == (size_t)di)
					return err(L, x, "dimension '%s' listed twice", x->str);
			if (ndims == 32)
				return err(L, x, "too many dimensions");
			dims[ndims++] = (size_t)di;
		}
	} else {
		memcpy(dims, defdims, ndefdims * sizeof *dims);
		ndims = ndefdims;
	}
	enum pvd_mkind k;
	const struct pvd_ynode *arg;
	const struct pvd_ynode *mn = pvd_y_get(m, "measure");
	if (!mn)
		return err(L, m, "'measure' is required");
	if (measure_kind(L, mn, &k, &arg))
		return PVD_EX_CONFIG;
	/* Unit and measure must agree. */
	int cu = pvd_unit_is_count(unit);
	if ((k == PVD_M_COUNT || k == PVD_M_DISTINCT) && !cu)
		return err(L, pvd_y_get(m, "unit"), "a count gives a count unit (communes, conventions...), not %s", unit);
	if (k == PVD_M_MEAN && strcmp(unit, "moyenne"))
		return err(L, pvd_y_get(m, "unit"), "a mean gives the unit moyenne, not %s", unit);
	if (k == PVD_M_RATIO && strcmp(unit, "part") && strcmp(unit, "moyenne"))
		return err(L, pvd_y_get(m, "unit"), "a ratio gives the unit part or moyenne, not %s", unit);
	if ((k == PVD_M_SUM || k == PVD_M_LAST) && !cu && strcmp(unit, "eur"))
		return err(L, pvd_y_get(m, "unit"), "a sum gives eur or a count unit, not %s", unit);

	c->inds = xgrow(c->inds, &c->indcap, c->ninds + 1, sizeof *c->inds);
	size_t ii = c->ninds++;
	struct pvd_ind *I = &c->inds[ii];
	memset(I, 0, sizeof *I);
	I->id = xstrdup(id);
	I->label = xstrdup(label);
	I->description = desc && *desc ? xstrdup(desc) : NULL;
	I->unit = xstrdup(unit);
	I->kind = k;
	I->line = idn->line;
	I->col = idn->col;
	I->dims = xcalloc(ndims ? ndims : 1, sizeof *I->dims);
	memcpy(I->dims, dims, ndims * sizeof *dims);
	I->ndims = ndims;
	if (k == PVD_M_RATIO) {
		static const char *const no[] = { "dataset", "where", "date", "undated", "window" };
		for (size_t j = 0; j < sizeof no / sizeof *no; j++)
			if (pvd_y_get(m, no[j]))
				return err(L, pvd_y_get(m, no[j]),
					   "a ratio has no '%s' of its own: give it to an inline operand", no[j]);
		if (arg->type != PVD_Y_MAP)
			return err(L, arg, "'ratio' is {num: ..., den: ...}");
		static const char *const rk[] = { "num", "den", NULL };
		if (pvd_y_check_keys(L->d, arg, rk, L->e))
			return PVD_EX_CONFIG;
		const struct pvd_ynode *nn = pvd_y_get(arg, "num"), *dn = pvd_y_get(arg, "den");
		if (!nn || !dn)
			return err(L, arg, "a ratio needs 'num' and 'den'");
		if (compile_operand(L, pd, ii, 0, nn, dims, ndims) || compile_operand(L, pd, ii, 1, dn, dims, ndims))
			return PVD_EX_CONFIG;
		return 0;
	}
	struct pvd_acc *a;
	if (compile_base(L, &a, id, m, mn, k, arg, dims, ndims, unit))
		return PVD_EX_CONFIG;
	c->inds[ii].acc = c->naccs - 1;
	return 0;
}

/* Follows ratio references by id from `from`: 1 when they come back to `to`. */
static int reaches(const struct pendings *pd, const struct pvd_catalog *c, const struct pvd_strset *ids,
		   size_t from, size_t to, int depth)
{
	if (depth > 64)
		return 1;
	for (size_t i = 0; i < pd->n; i++) {
		if (pd->p[i].ind != from)
			continue;
		long t = pvd_strset_find(ids, pd->p[i].ref, strlen(pd->p[i].ref));
		if (t < 0)
			continue;
		if ((size_t)t == to || reaches(pd, c, ids, (size_t)t, to, depth + 1))
			return 1;
	}
	return 0;
}

static int resolve(struct ld *L, struct pendings *pd, const struct pvd_strset *ids)
{
	struct pvd_catalog *c = L->c;
	for (size_t i = 0; i < pd->n; i++) {
		struct pending *p = &pd->p[i];
		struct pvd_ind *I = &c->inds[p->ind];
		L->inst = p->inst;
		/* ids were added in order, one per indicator: id index = indicator index. */
		long t = pvd_strset_find(ids, p->ref, strlen(p->ref));
		if (t < 0)
			return err(L, &p->node, "ratio of '%s': no indicator has that id", p->ref);
		const struct pvd_ind *T = &c->inds[t];
		if ((size_t)t == p->ind || (T->kind == PVD_M_RATIO && reaches(pd, c, ids, (size_t)t, p->ind, 0)))
			return err(L, &p->node, "ratio of '%s': a cycle (%s refers back to %s)", p->ref, p->ref, I->id);
		if (T->kind == PVD_M_RATIO || T->kind == PVD_M_MEAN)
			return err(L, &p->node, "ratio of '%s': an operand must be a count, a distinct count, a sum or a last value, not a %s",
				   p->ref, T->kind == PVD_M_RATIO ? "ratio" : "mean");
		const struct pvd_acc *a = &c->accs[T->acc];
		if (p->which == 0) {
			/* The ratio's breakdown needs the same breakdown of its numerator. */
			for (size_t d = 0; d < I->ndims; d++) {
				int found = 0;
				for (size_t j = 0; j < a->ndims; j++)
					found |= a->dims[j] == I->dims[d];
				if (!found)
					return err(L, &p->node, "ratio broken down by '%s' but its numerator '%s' is not",
						   c->dims[I->dims[d]].name, p->ref);
			}
			I->num = T->acc;
		} else {
			I->den = T->acc;
		}
	}
	L->inst = NULL;
	return 0;
}

/* The fingerprint: FNV-1a over the bytes of the catalogue and of the
 * dataset schemas that type it (a type changed there changes the states). */
static void fingerprint(struct pvd_catalog *c, const char *path)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i <= c->nds; i++) {
		FILE *f = fopen(i == 0 ? path : c->ds[i - 1].schema.file, "rb");
		if (!f)
			continue;
		int ch;
		while ((ch = getc(f)) != EOF) {
			h ^= (unsigned char)ch;
			h *= 1099511628211ull;
		}
		fclose(f);
	}
	snprintf(c->fingerprint, sizeof c->fingerprint, "%016llx", (unsigned long long)h);
}

/* Expands `for:` into the instances' variables: a mapping {var: [values]}
 * or a list of mappings {var: value, ...}. */
static int expand(struct ld *L, const struct pvd_ynode *m, struct pendings *pd, const size_t *defdims,
		  size_t ndefdims, struct pvd_strset *ids)
{
	const struct pvd_ynode *fr = pvd_y_get(m, "for");
	if (!fr) {
		L->vars = NULL;
		L->inst = NULL;
		return compile_indicator(L, m, pd, defdims, ndefdims, ids);
	}
	const char *vars[2 * 16 + 1];
	size_t ninst = 0;
	if (fr->type == PVD_Y_MAP) {
		if (fr->n != 1 || fr->items[0]->type != PVD_Y_SEQ)
			return err(L, fr, "'for' is {variable: [values]} or a list of {variable: value, ...}");
		ninst = fr->items[0]->n;
	} else if (fr->type == PVD_Y_SEQ) {
		ninst = fr->n;
	} else {
		return err(L, fr, "'for' is {variable: [values]} or a list of {variable: value, ...}");
	}
	if (ninst == 0)
		return err(L, fr, "'for' with no values");
	for (size_t i = 0; i < ninst; i++) {
		size_t nv = 0;
		if (fr->type == PVD_Y_MAP) {
			const struct pvd_ynode *v = fr->items[0]->items[i];
			if (v->type != PVD_Y_SCALAR)
				return err(L, v, "template values are plain values");
			vars[nv++] = fr->keys[0];
			vars[nv++] = v->str;
		} else {
			const struct pvd_ynode *im = fr->items[i];
			if (im->type != PVD_Y_MAP || im->n == 0 || im->n > 16)
				return err(L, im, "each item of 'for' maps variables to values");
			for (size_t j = 0; j < im->n; j++) {
				if (im->items[j]->type != PVD_Y_SCALAR)
					return err(L, im->items[j], "template values are plain values");
				vars[nv++] = im->keys[j];
				vars[nv++] = im->items[j]->str;
			}
			if (i > 0 && im->n != fr->items[0]->n)
				return err(L, im, "every item of 'for' gives the same variables");
		}
		vars[nv] = NULL;
		L->vars = vars;
		L->inst = NULL;
		const struct pvd_ynode *idn = pvd_y_get(m, "id");
		const char *id = idn && idn->type == PVD_Y_SCALAR ? sv(L, idn) : NULL;
		if (idn && !id)
			return PVD_EX_CONFIG;
		L->inst = id;
		if (compile_indicator(L, m, pd, defdims, ndefdims, ids))
			return PVD_EX_CONFIG;
	}
	L->vars = NULL;
	L->inst = NULL;
	return 0;
}

int pvd_catalog_load(struct pvd_catalog *c, const char *path, const struct pvd_period *period,
		     const char *schema_dir, struct pvd_err *e)
{
	memset(c, 0, sizeof *c);
	pvd_strset_init(&c->dsnames);
	pvd_strset_init(&c->accnames);
	c->file = xstrdup(path);
	c->period = *period;
	struct pvd_ydoc d;
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc) {
		pvd_ydoc_free(&d);   /* a failed load still holds the file name */
		if (rc == PVD_EX_NOINPUT) {
			char msg[sizeof e->msg];
			snprintf(msg, sizeof msg, "%s", e->msg);
			rc = pvd_err_set(e, PVD_EX_CONFIG, path, 0, 0, "indicator catalogue: %s", msg);
		}
		return rc;
	}
	struct ld L = { .c = c, .d = &d, .e = e };
	snprintf(L.pv[0], sizeof L.pv[0], "%s", period->text);
	snprintf(L.pv[1], sizeof L.pv[1], "%s", period->start_iso);
	snprintf(L.pv[2], sizeof L.pv[2], "%s", period->end_iso);
	snprintf(L.pv[3], sizeof L.pv[3], "%d", period->year);
	struct pendings pd = { 0 };
	struct pvd_strset ids;
	pvd_strset_init(&ids);
	rc = PVD_EX_CONFIG;
	static const char *const top[] = { "version", "datasets", "dimensions", "defaults", "indicators", NULL };
	if (!d.root || d.root->type != PVD_Y_MAP) {
		pvd_y_error(e, &d, d.root, "an indicator catalogue is a mapping (datasets, dimensions, defaults, indicators)");
		goto out;
	}
	if (pvd_y_check_keys(&d, d.root, top, e))
		goto out;
	const struct pvd_ynode *v = pvd_y_get(d.root, "version");
	if (v && (v->type != PVD_Y_SCALAR || strcmp(v->str, "1"))) {
		pvd_y_error(e, &d, v, "unsupported catalogue version (this program reads version 1)");
		goto out;
	}
	const struct pvd_ynode *dsn = pvd_y_need(&d, d.root, "datasets", PVD_Y_MAP, e);
	if (!dsn || load_datasets(&L, dsn, schema_dir))
		goto out;
	fingerprint(c, path);
	const struct pvd_ynode *dm = pvd_y_get(d.root, "dimensions");
	if (dm) {
		if (dm->type != PVD_Y_MAP) {
			pvd_y_error(e, &d, dm, "'dimensions' must be a mapping");
			goto out;
		}
		if (load_dims(&L, dm))
			goto out;
	}
	size_t defdims[32], ndef = 0;
	const struct pvd_ynode *df = pvd_y_get(d.root, "defaults");
	if (df) {
		static const char *const dk[] = { "breakdown", NULL };
		if (pvd_y_check_keys(&d, df, dk, e))
			goto out;
		const struct pvd_ynode *b = pvd_y_get(df, "breakdown");
		if (b) {
			if (b->type != PVD_Y_SEQ || b->n > 32) {
				pvd_y_error(e, &d, b, "'breakdown' is a list of dimensions");
				goto out;
			}
			for (size_t i = 0; i < b->n; i++) {
				long di = b->items[i]->type == PVD_Y_SCALAR ? find_dim(c, b->items[i]->str) : -1;
				if (di < 0) {
					pvd_y_error(e, &d, b->items[i], "unknown dimension '%s'",
						    b->items[i]->type == PVD_Y_SCALAR ? b->items[i]->str : "?");
					goto out;
				}
				defdims[ndef++] = (size_t)di;
			}
		}
	}
	const struct pvd_ynode *inds = pvd_y_need(&d, d.root, "indicators", PVD_Y_SEQ, e);
	if (!inds)
		goto out;
	for (size_t i = 0; i < inds->n; i++) {
		if (inds->items[i]->type != PVD_Y_MAP) {
			pvd_y_error(e, &d, inds->items[i], "an indicator is a mapping (id, label, unit, measure...)");
			goto out;
		}
		if (expand(&L, inds->items[i], &pd, defdims, ndef, &ids))
			goto out;
	}
	if (resolve(&L, &pd, &ids))
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < pd.n; i++) {
		free(pd.p[i].ref);
		free(pd.p[i].inst);
	}
	free(pd.p);
	pvd_strset_free(&ids);
	pvd_ydoc_free(&d);
	return rc;
}

void pvd_catalog_free(struct pvd_catalog *c)
{
	for (size_t i = 0; i < c->nds; i++) {
		struct pvd_dataset *ds = &c->ds[i];
		free(ds->name);
		free(ds->date);
		pvd_schema_free(&ds->schema);
		free(ds->accs);
		pvd_strset_free(&ds->slots);
		free(ds->slot_money);
		free(ds->slot_date);
	}
	free(c->ds);
	for (size_t i = 0; i < c->ndims; i++) {
		struct pvd_dim *dm = &c->dims[i];
		pvd_strv_free(dm->labels, pvd_strset_count(&dm->lkeys));
		pvd_strset_free(&dm->lkeys);
		free(dm->name);
		free(dm->key);
		free(dm->label);
	}
	free(c->dims);
	for (size_t i = 0; i < c->naccs; i++) {
		struct pvd_acc *a = &c->accs[i];
		free(a->name);
		free(a->fields);
		for (size_t j = 0; j < a->nconds; j++)
			free(a->conds[j].vals);
		free(a->conds);
		free(a->dims);
		free(a->dim_key);
		free(a->dim_label);
	}
	free(c->accs);
	for (size_t i = 0; i < c->ninds; i++) {
		free(c->inds[i].id);
		free(c->inds[i].label);
		free(c->inds[i].description);
		free(c->inds[i].unit);
		free(c->inds[i].dims);
	}
	free(c->inds);
	pvd_strv_free(c->pool, c->npool);
	pvd_strset_free(&c->dsnames);
	pvd_strset_free(&c->accnames);
	free(c->file);
	memset(c, 0, sizeof *c);
}
