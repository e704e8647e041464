#include "pipeline.h"
#include "buf.h"
#include "confpath.h"
#include "xmem.h"
#include "yamldoc.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const top_keys[] = { "period", "sources", "reference", "indicators", "previous",
					"output", "formats", "config", "csv", NULL };
static const char *const csv_keys[] = { "locale", "bom", NULL };
static const char *const source_keys[] = { "name", "file", "profile", NULL };
static const char *const formats[] = { "json", "html", "md", "csv", NULL };

char *pvd_path_resolve(const char *dir, const char *rel)
{
	struct pvd_buf in = { 0 }, out = { 0 };
	if (rel[0] != '/' && dir && *dir && strcmp(dir, ".") != 0)
		pvd_buf_printf(&in, "%s/%s", dir, rel);
	else
		pvd_buf_adds(&in, rel);
	int abs = in.p[0] == '/';
	/* Components kept so far; ".." only cancels a kept name that is not "..". */
	char **comp = NULL;
	size_t n = 0, cap = 0;
	char *save = NULL;
	for (char *c = strtok_r(in.p, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0 && n > 0 && strcmp(comp[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (strcmp(c, "..") == 0 && abs && n == 0)
			continue; /* "/.." is "/" */
		comp = xgrow(comp, &cap, n + 1, sizeof *comp);
		comp[n++] = c;
	}
	if (abs)
		pvd_buf_addc(&out, '/');
	for (size_t i = 0; i < n; i++) {
		if (i)
			pvd_buf_addc(&out, '/');
		pvd_buf_adds(&out, comp[i]);
	}
	if (out.len == 0)
		pvd_buf_addc(&out, '.');
	free(comp);
	pvd_buf_free(&in);
	return out.p;
}

static int pathlike(const char *s)
{
	size_t n = strlen(s);
	return strchr(s, '/') || (n > 5 && strcmp(s + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(s + n - 4, ".yml") == 0) || (n > 4 && strcmp(s + n - 4, ".csv") == 0) ||
	       (n > 5 && strcmp(s + n - 5, ".json") == 0);
}

/* An unquoted ~, null or empty value: the key is there but says "none". */
static int is_null(const struct pvd_ynode *n)
{
	return n->type == PVD_Y_SCALAR && !n->quoted &&
	       (!*n->str || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0);
}

struct ld {
	struct pvd_pipeline *p;
	struct pvd_ydoc *d;
	struct pvd_err *e;
	int flags;
};

/* A scalar at map[key]: NULL (and e filled) when absent or not a scalar. */
static const struct pvd_ynode *scalar(struct ld *l, const struct pvd_ynode *map, const char *key)
{
	struct pvd_ynode *n = pvd_y_need(l->d, map, key, PVD_Y_SCALAR, l->e);
	if (n && !*n->str) {
		pvd_y_error(l->e, l->d, n, "'%s' is empty", key);
		return NULL;
	}
	return n;
}

/* A path value relative to the pipeline: resolved, and required to be
 * readable (want_dir: a directory is fine too). */
static char *need_file(struct ld *l, const struct pvd_ynode *n, const char *what, int want_dir)
{
	char *path = pvd_path_resolve(l->p->dir, n->str);
	struct stat sb;
	const char *why = NULL;
	if (l->flags & PVD_PL_LENIENT)
		return path;
	if (stat(path, &sb) != 0 || access(path, R_OK) != 0)
		why = strerror(errno);
	else if (S_ISDIR(sb.st_mode) && !want_dir)
		why = "is a directory";
	if (why) {
		pvd_y_error(l->e, l->d, n, "%s: cannot read %s: %s", what, path, why);
		free(path);
		return NULL;
	}
	return path;
}

static int valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

static int valid_period(const char *s)
{
	/* YYYY-Qn: the quarters the dashboard is published for. */
	return strlen(s) == 7 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
	       s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] == '-' && s[5] == 'Q' &&
	       s[6] >= '1' && s[6] <= '4';
}

static int load_source(struct ld *l, const struct pvd_ynode *m, struct pvd_psource *s)
{
	if (m->type != PVD_Y_MAP)
		return pvd_y_error(l->e, l->d, m, "a source is a mapping (file, profile, name)");
	if (pvd_y_check_keys(l->d, m, source_keys, l->e))
		return PVD_EX_CONFIG;
	const struct pvd_ynode *file = scalar(l, m, "file");
	if (!file)
		return PVD_EX_CONFIG;
	const struct pvd_ynode *prof = scalar(l, m, "profile");
	if (!prof)
		return PVD_EX_CONFIG;
	const struct pvd_ynode *name = pvd_y_get(m, "name");
	if (name && name->type != PVD_Y_SCALAR)
		return pvd_y_error(l->e, l->d, name, "'name' must be a value");
	const struct pvd_ynode *nn = name ? name : prof;
	if (!valid_name(nn->str))
		return pvd_y_error(l->e, l->d, nn,
				   "source name '%s' cannot name files: letters, digits, '_', '-', '.'%s",
				   nn->str, name ? "" : " (add a 'name:' to the source)");
	s->name = xstrdup(nn->str);
	if (!(s->file = need_file(l, file, "file", 0)))
		return PVD_EX_CONFIG;
	if (pathlike(prof->str)) {
		if (!(s->profile_path = need_file(l, prof, "profile", 0)))
			return PVD_EX_CONFIG;
		s->profile = xstrdup(s->profile_path);
	} else {
		struct pvd_err ce = { 0 };
		s->profile_path = pvd_config_find_in(l->p->config, "sources", prof->str, ".yaml", &ce);
		if (!s->profile_path && !(l->flags & PVD_PL_LENIENT))
			return pvd_y_error(l->e, l->d, prof, "profile: %s", ce.msg);
		s->profile = xstrdup(prof->str);
	}
	return 0;
}

static int load_ref(struct ld *l, const char *name, const struct pvd_ynode *v, struct pvd_pref *r)
{
	if (v->type != PVD_Y_SCALAR || !*v->str)
		return pvd_y_error(l->e, l->d, v, "reference '%s': a version name or a path", name);
	r->name = xstrdup(name);
	if (pathlike(v->str)) {
		if (!(r->path = need_file(l, v, "reference", 1)))
			return PVD_EX_CONFIG;
		r->value = xstrdup(r->path);
		return 0;
	}
	/* A version: config/ref/VALUE.csv, or a directory of tables config/ref/VALUE. */
	struct pvd_err ce = { 0 };
	const char *cd = l->p->config;
	r->path = pvd_config_find_in(cd, "ref", v->str, ".csv", &ce);
	if (!r->path)
		r->path = pvd_config_find_in(cd, "ref", v->str, NULL, &ce);
	if (!r->path && !(l->flags & PVD_PL_LENIENT))
		return pvd_y_error(l->e, l->d, v, "reference '%s': no %s/ref/%s.csv nor %s/ref/%s", name, cd,
				   v->str, cd, v->str);
	r->value = xstrdup(v->str);
	return 0;
}

/* path when it lies inside dir (both normalised the same way), else NULL. */
static const char *within(const char *dir, const char *path)
{
	char *p = pvd_path_resolve(".", path);
	size_t n = strlen(dir);
	int in = strcmp(dir, ".") == 0 ? p[0] != '/' && strncmp(p, "../", 3) != 0 && strcmp(p, "..") != 0
					: strncmp(p, dir, n) == 0 && (p[n] == '/' || p[n] == '\0');
	free(p);
	return in ? path : NULL;
}

/* The run replaces the output as a whole: it must be named by a last
 * component of its own ("out/..", "." or "/" would be somewhere else) and
 * hold none of the run's inputs.  Sets p->output (name resolved against
 * base), or returns -1 with msg. */
static int set_output(struct pvd_pipeline *p, const char *base_dir, const char *name, char *msg,
		      size_t msz)
{
	size_t len = strlen(name);
	while (len > 1 && name[len - 1] == '/')
		len--;
	const char *base = name + len;
	while (base > name && base[-1] != '/')
		base--;
	size_t bl = len - (size_t)(base - name);
	if (bl == 0 || (bl == 1 && base[0] == '.') || (bl == 2 && base[0] == '.' && base[1] == '.')) {
		snprintf(msg, msz, "output: '%s' must name a directory of its own (out/2021-Q4)", name);
		return -1;
	}
	char *out = pvd_path_resolve(base_dir, name);
	const char *inside = within(out, p->file);
	for (size_t i = 0; !inside && i < p->nsources; i++)
		inside = within(out, p->sources[i].file);
	for (size_t i = 0; !inside && i < p->nrefs; i++)
		inside = p->refs[i].path ? within(out, p->refs[i].path) : NULL;
	if (!inside)
		inside = within(out, p->indicators);
	/* nor overlap the config directory (profiles, references, schemas) */
	if (!inside && p->config && (within(out, p->config) || within(p->config, out))) {
		snprintf(msg, msz, "output: %s overlaps the config directory %s, which the run would delete", out,
			 p->config);
		free(out);
		return -1;
	}
	if (!inside && p->previous)
		inside = within(out, p->previous);
	if (inside) {
		snprintf(msg, msz, "output: %s holds an input of the run (%s), which the run would delete", out, inside);
		free(out);
		return -1;
	}
	free(p->output);
	p->output = out;
	return 0;
}

int pvd_pipeline_set_output(struct pvd_pipeline *p, const char *dir, struct pvd_err *e)
{
	char msg[600];
	if (set_output(p, ".", dir, msg, sizeof msg))
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "--output: %s", msg + strlen("output: "));
	return 0;
}

static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The run's config directory (pipeline.h): never the caller's ./config. */
static int load_config(struct ld *l, const struct pvd_ynode *root)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *n = pvd_y_get(root, "config");
	const char *x = pvd_config_explicit();
	if (n && !is_null(n) && n->type != PVD_Y_SCALAR)
		return pvd_y_error(l->e, l->d, n, "'config' must be a directory");
	if (x) {
		p->config = pvd_path_resolve(".", x);
	} else if (n && !is_null(n)) {
		if (!(p->config = need_file(l, n, "config", 1)))
			return PVD_EX_CONFIG;
		if (!(l->flags & PVD_PL_LENIENT) && !is_dir(p->config))
			return pvd_y_error(l->e, l->d, n, "config: %s is not a directory", p->config);
	} else {
		static const char *const project[] = { "config", "../config" };
		for (size_t i = 0; i < 2 && !p->config; i++) {
			char *c = pvd_path_resolve(p->dir, project[i]);
			if (is_dir(c))
				p->config = c;
			else
				free(c);
		}
		if (!p->config)
			p->config = pvd_path_resolve(".", pvd_config_installed());
	}
	return 0;
}

static int load_csv(struct ld *l, const struct pvd_ynode *root)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *n = pvd_y_get(root, "csv"), *loc = NULL, *bom = NULL;
	if (n && !is_null(n)) {
		if (n->type != PVD_Y_MAP)
			return pvd_y_error(l->e, l->d, n, "'csv' must be a mapping ({locale: fr, bom: true})");
		if (pvd_y_check_keys(l->d, n, csv_keys, l->e))
			return PVD_EX_CONFIG;
		loc = pvd_y_get(n, "locale");
		bom = pvd_y_get(n, "bom");
	}
	if (loc && (loc->type != PVD_Y_SCALAR || (strcmp(loc->str, "fr") != 0 && strcmp(loc->str, "c") != 0)))
		return pvd_y_error(l->e, l->d, loc, "csv: locale: expected fr or c, got '%s'",
				   loc->type == PVD_Y_SCALAR ? loc->str : "?");
	p->csv_locale = xstrdup(loc ? loc->str : "fr");
	p->csv_bom = strcmp(p->csv_locale, "fr") == 0;
	if (bom) {
		int t = bom->type == PVD_Y_SCALAR && !bom->quoted && strcmp(bom->str, "true") == 0;
		int f = bom->type == PVD_Y_SCALAR && !bom->quoted && strcmp(bom->str, "false") == 0;
		if (!t && !f)
			return pvd_y_error(l->e, l->d, bom, "csv: bom: expected true or false");
		p->csv_bom = t;
	}
	return 0;
}

static int load_root(struct ld *l)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *root = l->d->root;
	if (!root)
		return pvd_err_set(l->e, PVD_EX_CONFIG, l->d->file, 0, 0, "empty pipeline file");
	if (root->type != PVD_Y_MAP)
		return pvd_y_error(l->e, l->d, root, "a pipeline is a mapping (period, sources, ...)");
	if (pvd_y_check_keys(l->d, root, top_keys, l->e))
		return PVD_EX_CONFIG;
	if (load_config(l, root) || load_csv(l, root))
		return PVD_EX_CONFIG;

	const struct pvd_ynode *n = scalar(l, root, "period");
	if (!n)
		return PVD_EX_CONFIG;
	if (!valid_period(n->str))
		return pvd_y_error(l->e, l->d, n, "period: expected YYYY-Qn (2021-Q4), got '%s'", n->str);
	p->period = xstrdup(n->str);

	const struct pvd_ynode *srcs = pvd_y_need(l->d, root, "sources", PVD_Y_SEQ, l->e);
	if (!srcs)
		return PVD_EX_CONFIG;
	if (srcs->n == 0)
		return pvd_y_error(l->e, l->d, srcs, "sources: at least one source is needed");
	p->sources = xcalloc(srcs->n, sizeof *p->sources);
	for (size_t i = 0; i < srcs->n; i++) {
		p->nsources = i + 1;
		if (load_source(l, srcs->items[i], &p->sources[i]))
			return PVD_EX_CONFIG;
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->sources[j].name, p->sources[i].name) == 0)
				return pvd_y_error(l->e, l->d, srcs->items[i],
						   "two sources named '%s': give each a distinct 'name:'",
						   p->sources[i].name);
	}

	const struct pvd_ynode *refs = pvd_y_get(root, "reference");
	if (refs && !is_null(refs)) {
		if (refs->type != PVD_Y_MAP)
			return pvd_y_error(l->e, l->d, refs, "'reference' must be a mapping (NAME: version or path)");
		p->refs = xcalloc(refs->n ? refs->n : 1, sizeof *p->refs);
		for (size_t i = 0; i < refs->n; i++) {
			p->nrefs = i + 1;
			if (load_ref(l, refs->keys[i], refs->items[i], &p->refs[i]))
				return PVD_EX_CONFIG;
		}
	}

	if (!pvd_y_get(root, "indicators")) {
		/* the config directory's catalogue */
		char *c = pvd_path_resolve(p->config, "indicators.yaml");
		if (!(l->flags & PVD_PL_LENIENT) && access(c, R_OK) != 0) {
			pvd_err_set(l->e, PVD_EX_CONFIG, l->d->file, 0, 0, "no 'indicators:' and cannot read %s: %s", c,
				    strerror(errno));
			free(c);
			return PVD_EX_CONFIG;
		}
		p->indicators = c;
	} else if (!(n = scalar(l, root, "indicators")) || !(p->indicators = need_file(l, n, "indicators", 0))) {
		return PVD_EX_CONFIG;
	}

	n = pvd_y_get(root, "previous");
	if (n && !is_null(n)) {
		if (n->type != PVD_Y_SCALAR)
			return pvd_y_error(l->e, l->d, n, "'previous' must be a path");
		if (!(p->previous = need_file(l, n, "previous", 0)))
			return PVD_EX_CONFIG;
	}

	if (!(n = scalar(l, root, "output")))
		return PVD_EX_CONFIG;
	char msg[600];
	if (set_output(p, p->dir, n->str, msg, sizeof msg))
		return pvd_y_error(l->e, l->d, n, "%s", msg);

	n = pvd_y_get(root, "formats");
	if (n && n->type != PVD_Y_SEQ)
		return pvd_y_error(l->e, l->d, n, "'formats' must be a list ([json, html, md, csv])");
	size_t nf = n ? n->n : 0;
	if (n && nf == 0)
		return pvd_y_error(l->e, l->d, n, "formats: at least one format is needed");
	p->formats = xcalloc(nf ? nf : 1, sizeof *p->formats);
	if (!n)
		p->formats[p->nformats++] = xstrdup("json");
	for (size_t i = 0; i < nf; i++) {
		const struct pvd_ynode *f = n->items[i];
		int ok = 0;
		for (const char *const *k = formats; *k && f->type == PVD_Y_SCALAR && !ok; k++)
			ok = strcmp(*k, f->str) == 0;
		if (!ok)
			return pvd_y_error(l->e, l->d, f, "formats: unknown format '%s' (json, html, md, csv)",
					   f->type == PVD_Y_SCALAR ? f->str : "?");
		for (size_t j = 0; j < p->nformats; j++)
			if (strcmp(p->formats[j], f->str) == 0)
				return pvd_y_error(l->e, l->d, f, "formats: '%s' given twice", f->str);
		p->formats[p->nformats++] = xstrdup(f->str);
	}
	return 0;
}

static void init(struct pvd_pipeline *p, const char *path)
{
	memset(p, 0, sizeof *p);
	p->file = xstrdup(path);
	const char *slash = strrchr(path, '/');
	p->dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
}

static int finish(struct pvd_pipeline *p, struct pvd_ydoc *d, int rc, int flags, struct pvd_err *e)
{
	if (rc == 0) {
		struct ld l = { p, d, e, flags };
		rc = load_root(&l);
	}
	pvd_ydoc_free(d);
	if (rc)
		pvd_pipeline_free(p);
	return rc ? PVD_EX_CONFIG : 0;
}

int pvd_pipeline_load(struct pvd_pipeline *p, const char *path, int flags, struct pvd_err *e)
{
	struct pvd_ydoc d;
	init(p, path);
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc == PVD_EX_NOINPUT)
		e->status = PVD_EX_CONFIG;
	return finish(p, &d, rc, flags, e);
}

int pvd_pipeline_parse(struct pvd_pipeline *p, const char *name, const char *text, size_t len,
		       int flags, struct pvd_err *e)
{
	struct pvd_ydoc d;
	init(p, name);
	int rc = pvd_ydoc_parse(&d, name, text, len, e);
	return finish(p, &d, rc, flags, e);
}

void pvd_pipeline_free(struct pvd_pipeline *p)
{
	for (size_t i = 0; i < p->nsources; i++) {
		free(p->sources[i].name);
		free(p->sources[i].file);
		free(p->sources[i].profile);
		free(p->sources[i].profile_path);
	}
	free(p->sources);
	for (size_t i = 0; i < p->nrefs; i++) {
		free(p->refs[i].name);
		free(p->refs[i].value);
		free(p->refs[i].path);
	}
	free(p->refs);
	for (size_t i = 0; i < p->nformats; i++)
		free(p->formats[i]);
	free(p->formats);
	free(p->file);
	free(p->dir);
	free(p->config);
	free(p->csv_locale);
	free(p->period);
	free(p->indicators);
	free(p->previous);
	free(p->output);
	memset(p, 0, sizeof *p);
}

struct list {
	char **v;
	size_t n, cap;
};

static void add(struct list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return;
	l->v = xgrow(l->v, &l->cap, l->n + 2, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
	l->v[l->n] = NULL;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files, sorted (a reference table set). */
static void add_dir(struct list *l, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		add(l, dir);
		return;
	}
	struct list tmp = { 0 };
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = pvd_path_resolve(dir, de->d_name);
		struct stat sb;
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			add(&tmp, p);
		free(p);
	}
	closedir(d);
	if (tmp.n)
		qsort(tmp.v, tmp.n, sizeof *tmp.v, cmp);
	for (size_t i = 0; i < tmp.n; i++) {
		add(l, tmp.v[i]);
		free(tmp.v[i]);
	}
	free(tmp.v);
}

static void add_file(struct list *l, const char *path)
{
	struct stat sb;
	if (!path || stat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode))
		add_dir(l, path);
	else
		add(l, path);
}

char **pvd_pipeline_deps(const struct pvd_pipeline *p, size_t *n)
{
	struct list l = { 0 };
	add(&l, p->file);
	for (size_t i = 0; i < p->nsources; i++) {
		add_file(&l, p->sources[i].file);
		add_file(&l, p->sources[i].profile_path);
	}
	for (size_t i = 0; i < p->nrefs; i++)
		add_file(&l, p->refs[i].path);
	add_file(&l, p->indicators);
	/* what the filters read besides: the dataset schemas (pvd-clean; and
	 * pvd-aggregate's check of the catalogue, beside it), the dashboard */
	char *ds = pvd_path_resolve(p->config, "datasets"), *cds = NULL;
	add_file(&l, ds);
	const char *slash = strrchr(p->indicators, '/');
	if (slash) {
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "%.*s/datasets", (int)(slash - p->indicators), p->indicators);
		cds = b.p;
	} else {
		cds = xstrdup("datasets");
	}
	add_file(&l, cds);
	free(ds);
	free(cds);
	char *dash = pvd_path_resolve(p->config, "dashboard.yaml");
	add_file(&l, dash);
	free(dash);
	if (p->previous)
		add(&l, p->previous);
	if (!l.v)
		l.v = xcalloc(1, sizeof *l.v);
	*n = l.n;
	return l.v;
}
