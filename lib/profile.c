#include "profile.h"
#include "buf.h"
#include "confpath.h"
#include "encoding.h"
#include "textnorm.h"
#include "xmem.h"
#include "yamldoc.h"
#include <stdlib.h>
#include <string.h>

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

static int load(struct pvd_profile *p, const struct pvd_ydoc *d, struct pvd_err *e)
{
	static const char *const keys[] = { "dataset", "description", "encoding", "delimiter", "skip",
					    "sheet", "fields", "fixed", "ignore", "others", "clean", NULL };
	const struct pvd_ynode *root = d->root;
	if (!root || root->type != PVD_Y_MAP)
		return pvd_y_error(e, d, root, "a source profile must be a mapping");
	if (pvd_y_check_keys(d, root, keys, e))
		return PVD_EX_CONFIG;
	struct pvd_ynode *n = pvd_y_need(d, root, "dataset", PVD_Y_SCALAR, e);
	if (!n)
		return PVD_EX_CONFIG;
	p->dataset = xstrdup(n->str);
	p->encoding = PVD_ENC_AUTO;
	if ((n = pvd_y_get(root, "encoding"))) {
		int enc = n->type == PVD_Y_SCALAR ? pvd_enc_parse(n->str) : -1;
		if (enc < 0)
			return pvd_y_error(e, d, n, "encoding must be auto, utf-8 or windows-1252");
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
			static const char *const fk[] = { "headers", "optional", "when", NULL };
			if (pvd_y_check_keys(d, v, fk, e))
				return PVD_EX_CONFIG;
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
	return 0;
}

int pvd_profile_load(struct pvd_profile *p, const char *name_or_path, struct pvd_err *e)
{
	memset(p, 0, sizeof *p);
	char *path = pvd_config_find("sources", name_or_path, ".yaml", e);
	if (!path)
		return PVD_EX_CONFIG;
	struct pvd_ydoc d;
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc) {
		free(path);
		return PVD_EX_CONFIG;
	}
	p->path = path;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	if (bl > 5 && !strcmp(base + bl - 5, ".yaml"))
		bl -= 5;
	p->name = xstrndup(base, bl);
	rc = load(p, &d, e);
	pvd_ydoc_free(&d);
	if (rc)
		pvd_profile_free(p);
	return rc;
}

void pvd_profile_free(struct pvd_profile *p)
{
	for (size_t i = 0; i < p->nfields; i++) {
		for (size_t j = 0; j < p->fields[i].nheaders; j++) {
			free(p->fields[i].headers[j]);
			free(p->fields[i].keys[j]);
		}
		free(p->fields[i].headers);
		free(p->fields[i].keys);
		for (size_t j = 0; j < p->fields[i].nwhen; j++)
			free(p->fields[i].when_values[j]);
		free(p->fields[i].when_values);
		free(p->fields[i].when_key);
		free(p->fields[i].when_header);
		free(p->fields[i].name);
	}
	free(p->fields);
	for (size_t i = 0; i < p->nfixed; i++) {
		free(p->fixed_names[i]);
		free(p->fixed_values[i]);
	}
	free(p->fixed_names);
	free(p->fixed_values);
	for (size_t i = 0; i < p->nignore; i++)
		free(p->ignore[i]);
	free(p->ignore);
	free(p->name);
	free(p->path);
	free(p->dataset);
	free(p->sheet);
	memset(p, 0, sizeof *p);
}
