#include "profile.h"
#include "buf.h"
#include "confpath.h"
#include "datefmt.h"
#include "encoding.h"
#include "schema.h"
#include "strset.h"
#include "textnorm.h"
#include "xmem.h"
#include "yamldoc.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* " (did you mean 'x'?)" when one candidate is close to word, else "". */
static const char *did_you_mean(const char *word, const char *const *cand, size_t n, char *out, size_t cap)
{
	const char *m = pvd_nearest(word, cand, n);
	if (!m)
		return "";
	snprintf(out, cap, " (did you mean '%s'?)", m);
	return out;
}

/* Unknown keys are typos more often than not: say which key was meant. */
static int check_keys(const struct pvd_ydoc *d, const struct pvd_ynode *map, const char *const *allowed,
		      struct pvd_err *e)
{
	size_t na = 0;
	while (allowed[na])
		na++;
	for (size_t i = 0; i < map->n; i++) {
		size_t k = 0;
		while (k < na && strcmp(allowed[k], map->keys[i]))
			k++;
		if (k < na)
			continue;
		char hint[160];
		return pvd_err_set(e, PVD_EX_CONFIG, d->file, map->key_lines[i], map->key_cols[i], "unknown key '%s'%s",
				   map->keys[i], did_you_mean(map->keys[i], allowed, na, hint, sizeof hint));
	}
	return 0;
}

int pvd_delim_parse(const char *s)
{
	if (!strcmp(s, "auto"))
		return 0;
	if (!strcmp(s, "tab") || !strcmp(s, "\t") || !strcmp(s, "\\t"))
		return '\t';
	if (strlen(s) == 1 && strchr(",;|", s[0]))
		return s[0];
	return -1;
}

static char *fold(const char *s)
{
	struct pvd_buf b = { 0 };
	pvd_fold(s, strlen(s), 0, &b);
	char *r = xstrdup(pvd_buf_str(&b));
	pvd_buf_free(&b);
	return r;
}

static int add_headers(struct pvd_profile_field *f, const struct pvd_ydoc *d,
		       const struct pvd_ynode *n, struct pvd_err *e)
{
	if (n->type != PVD_Y_SEQ || n->n == 0)
		return pvd_y_error(e, d, n, "field '%s': headers must be a non-empty list", f->name);
	f->headers = xcalloc(n->n, sizeof *f->headers);
	f->keys = xcalloc(n->n, sizeof *f->keys);
	for (size_t i = 0; i < n->n; i++) {
		if (n->items[i]->type != PVD_Y_SCALAR)
			return pvd_y_error(e, d, n->items[i], "field '%s': a header must be text", f->name);
		f->headers[i] = xstrdup(n->items[i]->str);
		f->keys[i] = fold(n->items[i]->str);
		f->nheaders++;
		if (!f->keys[i][0])
			return pvd_y_error(e, d, n->items[i], "field '%s': header '%s' has no letter or digit",
					   f->name, n->items[i]->str);
	}
	return 0;
}

/* Names of the datasets under dir (NAME.yaml), for "did you mean". */
static char **dataset_names(const char *dir, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	struct dirent *de;
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".yaml") || de->d_name[0] == '.')
			continue;
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(de->d_name, l - 5);
	}
	closedir(dp);
	return v;
}

/* The datasets directory for a profile: beside its sources/ directory when
 * it lies in one (the config tree it belongs to), else the config in use. */
static char *datasets_dir(const struct pvd_profile *p)
{
	struct pvd_buf b = { 0 };
	const char *slash = strrchr(p->path, '/');
	if (slash) {
		size_t dl = (size_t)(slash - p->path);
		if ((dl == 7 && !strncmp(p->path, "sources", 7)) ||
		    (dl > 7 && !strncmp(slash - 8, "/sources", 8))) {
			pvd_buf_printf(&b, "%.*sdatasets", (int)(dl - 7), p->path);
			return b.p;
		}
	}
	pvd_buf_printf(&b, "%s/datasets", pvd_config_dir());
	return b.p;
}

/* The profile against its dataset's schema: the dataset exists, and every
 * field it maps or fixes is one the schema knows.  Without any datasets
 * directory (a bare config with sources only) there is nothing to check. */
static int check_schema(const struct pvd_profile *p, const struct pvd_ydoc *d, struct pvd_err *e)
{
	char *dir = datasets_dir(p);
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		free(dir);
		return 0;
	}
	const struct pvd_ynode *dn = pvd_y_get(d->root, "dataset");
	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/%s.yaml", dir, p->dataset);
	int rc = 0;
	char hint[160];
	if (strchr(p->dataset, '/') || stat(path.p, &sb) != 0) {
		size_t n;
		char **names = dataset_names(dir, &n);
		rc = pvd_y_error(e, d, dn, "unknown dataset '%s' (no %s)%s", p->dataset, path.p,
				 did_you_mean(p->dataset, (const char *const *)names, n, hint, sizeof hint));
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		pvd_buf_free(&path);
		free(dir);
		return rc;
	}
	struct pvd_schema sc;
	if (pvd_schema_load(&sc, path.p, e)) {
		pvd_buf_free(&path);
		free(dir);
		return PVD_EX_CONFIG;
	}
	/* Known names: the schema's fields, and the raw yes/no columns its list
	 * fields gather. */
	const char **known = NULL;
	size_t nk = 0, cap = 0;
	for (size_t i = 0; i < sc.nf; i++) {
		known = xgrow(known, &cap, nk + 1 + sc.f[i].ncols, sizeof *known);
		known[nk++] = sc.f[i].name;
		for (size_t j = 0; j < sc.f[i].ncols; j++)
			known[nk++] = sc.f[i].cols[j];
	}
	const struct pvd_ynode *fields = pvd_y_get(d->root, "fields"), *fixed = pvd_y_get(d->root, "fixed");
	for (int pass = 0; pass < 2 && !rc; pass++) {
		const struct pvd_ynode *m = pass ? fixed : fields;
		for (size_t i = 0; m && m->type == PVD_Y_MAP && i < m->n && !rc; i++) {
			size_t k = 0;
			while (k < nk && strcmp(known[k], m->keys[i]))
				k++;
			if (k == nk)
				rc = pvd_err_set(e, PVD_EX_CONFIG, d->file, m->key_lines[i], m->key_cols[i],
						 "%sfield '%s' is not a field of dataset %s (%s)%s", pass ? "fixed " : "",
						 m->keys[i], p->dataset, path.p,
						 did_you_mean(m->keys[i], known, nk, hint, sizeof hint));
		}
	}
	free(known);
	pvd_schema_free(&sc);
	pvd_buf_free(&path);
	free(dir);
	return rc;
}

/* clean: {dates:, siret:, decimal:} — pvd-clean's part of the profile. */
static int clean_opts(struct pvd_source_opts *o, const struct pvd_ydoc *d, const struct pvd_ynode *c,
		      struct pvd_err *e)
{
	static const char *const keys[] = { "dates", "siret", "decimal", NULL };
	static const char *const dates[] = { "text", "excel", "in-text", NULL };
	static const unsigned date_flags[] = { 0, PVD_DATE_EXCEL, PVD_DATE_IN_TEXT };
	static const char *const decimals[] = { "auto", "comma", "point", NULL };
	static const enum pvd_decimal decimal[] = { PVD_DEC_AUTO, PVD_DEC_COMMA, PVD_DEC_POINT };
	const struct pvd_ynode *n;
	int k;
	if (c->type != PVD_Y_MAP)
		return pvd_y_error(e, d, c, "clean: must be a mapping (dates:, siret:, decimal:)");
	if (pvd_y_check_keys(d, c, keys, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(c, "dates"))) {
		if ((k = pvd_y_choice(n, dates)) < 0)
			return pvd_y_error(e, d, n, "clean: dates is text, excel or in-text");
		o->date_flags = date_flags[k];
	}
	if ((n = pvd_y_get(c, "siret")) && pvd_y_bool(d, n, "clean: siret", &o->siret, e))
		return PVD_EX_CONFIG;
	if ((n = pvd_y_get(c, "decimal"))) {
		if ((k = pvd_y_choice(n, decimals)) < 0)
			return pvd_y_error(e, d, n, "clean: decimal is auto, comma or point");
		o->decimal = decimal[k];
	}
	return 0;
}

static int load(struct pvd_profile *p, const struct pvd_ydoc *d, struct pvd_err *e)
{
	static const char *const keys[] = { "dataset", "description", "encoding", "delimiter", "skip",
					    "sheet", "fields", "fixed", "ignore", "others", "clean", NULL };
	const struct pvd_ynode *root = d->root;
	if (!root || root->type != PVD_Y_MAP)
		return pvd_y_error(e, d, root, "a source profile must be a mapping");
	if (check_keys(d, root, keys, e))
		return PVD_EX_CONFIG;
	struct pvd_ynode *n = pvd_y_need(d, root, "dataset", PVD_Y_SCALAR, e);
	if (!n)
		return PVD_EX_CONFIG;
	p->dataset = xstrdup(n->str);
	p->encoding = PVD_ENC_AUTO;
	if ((n = pvd_y_get(root, "encoding"))) {
		int enc = n->type == PVD_Y_SCALAR ? pvd_enc_parse(n->str) : -1;
		if (enc < 0)
			return pvd_y_error(e, d, n, "encoding must be auto, utf-8, windows-1252, utf-16le or utf-16be");
		p->encoding = enc;
	}
	if ((n = pvd_y_get(root, "delimiter"))) {
		int dl = n->type == PVD_Y_SCALAR ? pvd_delim_parse(n->str) : -1;
		if (dl < 0)
			return pvd_y_error(e, d, n, "delimiter must be auto, ',', ';', tab or '|'");
		p->delimiter = (char)dl;
	}
	p->skip = -1;
	if ((n = pvd_y_get(root, "skip")) && !(n->type == PVD_Y_SCALAR && !strcmp(n->str, "auto"))) {
		char *end;
		long v = n->type == PVD_Y_SCALAR ? strtol(n->str, &end, 10) : -1;
		if (n->type != PVD_Y_SCALAR || !*n->str || *end || v < 0)
			return pvd_y_error(e, d, n, "skip must be auto or a number of rows");
		p->skip = v;
	}
	if ((n = pvd_y_get(root, "sheet"))) {
		if (n->type != PVD_Y_SCALAR || !*n->str)
			return pvd_y_error(e, d, n, "sheet must be a sheet name or position");
		p->sheet = xstrdup(n->str);
	}
	struct pvd_ynode *f = pvd_y_need(d, root, "fields", PVD_Y_MAP, e);
	if (!f)
		return PVD_EX_CONFIG;
	p->fields = xcalloc(f->n, sizeof *p->fields);
	for (size_t i = 0; i < f->n; i++) {
		struct pvd_profile_field *pf = &p->fields[p->nfields++];
		pf->name = xstrdup(f->keys[i]);
		if (pf->name[0] == '_' || !pf->name[0])
			return pvd_err_set(e, PVD_EX_CONFIG, d->file, f->key_lines[i], f->key_cols[i],
					   "field '%s': names starting with '_' are provenance fields", pf->name);
		struct pvd_ynode *v = f->items[i];
		if (v->type == PVD_Y_MAP) {
			static const char *const fk[] = { "headers", "optional", "when", "duplicates", NULL };
			if (check_keys(d, v, fk, e))
				return PVD_EX_CONFIG;
			const char *dup = pvd_y_str(v, "duplicates");
			if (dup && strcmp(dup, "first") && strcmp(dup, "error"))
				return pvd_y_error(e, d, pvd_y_get(v, "duplicates"), "duplicates must be error or first");
			pf->dup_first = dup && !strcmp(dup, "first");
			struct pvd_ynode *w = pvd_y_get(v, "when");
			if (w) {
				if (w->type != PVD_Y_MAP || w->n != 1)
					return pvd_y_error(e, d, w, "field '%s': when must be {COLUMN: [VALUES]}", pf->name);
				struct pvd_ynode *vals = w->items[0];
				pf->when_header = xstrdup(w->keys[0]);
				pf->when_key = fold(w->keys[0]);
				size_t nv = vals->type == PVD_Y_SEQ ? vals->n : 1;
				pf->when_values = xcalloc(nv, sizeof(char *));
				for (size_t k = 0; k < nv; k++) {
					struct pvd_ynode *x = vals->type == PVD_Y_SEQ ? vals->items[k] : vals;
					if (x->type != PVD_Y_SCALAR)
						return pvd_y_error(e, d, x, "field '%s': when values must be text", pf->name);
					pf->when_values[pf->nwhen++] = fold(x->str);
				}
			}
			const char *opt = pvd_y_str(v, "optional");
			if (opt && strcmp(opt, "true") && strcmp(opt, "false"))
				return pvd_y_error(e, d, pvd_y_get(v, "optional"), "optional must be true or false");
			pf->optional = opt && !strcmp(opt, "true");
			v = pvd_y_get(v, "headers");
			if (!v)
				return pvd_y_error(e, d, f->items[i], "field '%s': 'headers' is required", pf->name);
		} else if (v->type == PVD_Y_SCALAR) {
			return pvd_y_error(e, d, v, "field '%s': headers must be a list, e.g. [\"%s\"]", pf->name, v->str);
		}
		if (add_headers(pf, d, v, e))
			return PVD_EX_CONFIG;
	}
	if ((n = pvd_y_get(root, "fixed"))) {
		if (n->type != PVD_Y_MAP)
			return pvd_y_error(e, d, n, "fixed must be a mapping of field: value");
		p->fixed_names = xcalloc(n->n, sizeof(char *));
		p->fixed_values = xcalloc(n->n, sizeof(char *));
		for (size_t i = 0; i < n->n; i++) {
			if (n->items[i]->type != PVD_Y_SCALAR)
				return pvd_y_error(e, d, n->items[i], "fixed value of '%s' must be text", n->keys[i]);
			/* A fixed value may neither forge provenance nor hide a mapped column. */
			if (n->keys[i][0] == '_' || !n->keys[i][0])
				return pvd_err_set(e, PVD_EX_CONFIG, d->file, n->key_lines[i], n->key_cols[i],
						   "fixed field '%s': names starting with '_' are provenance fields", n->keys[i]);
			for (size_t k = 0; k < p->nfields; k++)
				if (!strcmp(p->fields[k].name, n->keys[i]))
					return pvd_err_set(e, PVD_EX_CONFIG, d->file, n->key_lines[i], n->key_cols[i],
							   "fixed field '%s' is also mapped under fields:", n->keys[i]);
			p->fixed_names[i] = xstrdup(n->keys[i]);
			p->fixed_values[i] = xstrdup(n->items[i]->str);
			p->nfixed++;
		}
	}
	if ((n = pvd_y_get(root, "ignore"))) {
		if (n->type != PVD_Y_SEQ)
			return pvd_y_error(e, d, n, "ignore must be a list of headers");
		p->ignore = xcalloc(n->n, sizeof(char *));
		for (size_t i = 0; i < n->n; i++) {
			if (n->items[i]->type != PVD_Y_SCALAR)
				return pvd_y_error(e, d, n->items[i], "ignore: a header must be text");
			p->ignore[p->nignore++] = fold(n->items[i]->str);
		}
	}
	if ((n = pvd_y_get(root, "others"))) {
		if (n->type != PVD_Y_SCALAR || (strcmp(n->str, "drop") && strcmp(n->str, "keep")))
			return pvd_y_error(e, d, n, "others must be drop or keep");
		p->keep_others = !strcmp(n->str, "keep");
	}
	if ((n = pvd_y_get(root, "clean")) && clean_opts(&p->clean, d, n, e))
		return PVD_EX_CONFIG;
	return check_schema(p, d, e);
}

int pvd_profile_load(struct pvd_profile *p, const char *name_or_path, struct pvd_err *e)
{
	memset(p, 0, sizeof *p);
	char *path = pvd_config_find("sources", name_or_path, ".yaml", e);
	if (!path)
		return PVD_EX_CONFIG;
	struct pvd_ydoc d;
	if (pvd_ydoc_load(&d, path, e)) {
		free(path);
		if (e) /* a profile that cannot be read is a config error */
			e->status = PVD_EX_CONFIG;
		return PVD_EX_CONFIG;
	}
	p->path = path;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	if (bl > 5 && !strcmp(base + bl - 5, ".yaml"))
		bl -= 5;
	p->name = xstrndup(base, bl);
	int rc = load(p, &d, e);
	pvd_ydoc_free(&d);
	if (rc)
		pvd_profile_free(p);
	return rc;
}

void pvd_profile_free(struct pvd_profile *p)
{
	for (size_t i = 0; i < p->nfields; i++) {
		struct pvd_profile_field *f = &p->fields[i];
		pvd_strv_free(f->headers, f->nheaders);
		pvd_strv_free(f->keys, f->nheaders);
		pvd_strv_free(f->when_values, f->nwhen);
		free(f->when_key);
		free(f->when_header);
		free(f->name);
	}
	free(p->fields);
	pvd_strv_free(p->fixed_names, p->nfixed);
	pvd_strv_free(p->fixed_values, p->nfixed);
	pvd_strv_free(p->ignore, p->nignore);
	free(p->name);
	free(p->path);
	free(p->dataset);
	free(p->sheet);
	memset(p, 0, sizeof *p);
}
