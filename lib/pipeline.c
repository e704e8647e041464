#include "pipeline.h"
#include "buf.h"
#include "confpath.h"
#include "dashboard.h"
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
					"output", "formats", "max_rejected", "fail_rejected", "config", "csv", NULL };
static const char *const csv_keys[] = { "locale", "bom", NULL };
static const char *const source_keys[] = { "name", "file", "profile", "max_rejected", "fail_rejected", NULL };
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
	struct pvd_err *errs;  /* every error so far */
	size_t nerrs, cap;
};

/* Keeps the error just set in l->e and lets loading go on. */
static void keep(struct ld *l)
{
	l->errs = xgrow(l->errs, &l->cap, l->nerrs + 1, sizeof *l->errs);
	l->errs[l->nerrs++] = *l->e;
	memset(l->e, 0, sizeof *l->e);
}

/* Every unknown key of map (pvd_y_check_keys stops at the first). */
static void check_keys(struct ld *l, const struct pvd_ynode *map, const char *const *allowed)
{
	for (size_t i = 0; i < map->n; i++) {
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, map->keys[i]) == 0;
		if (!ok) {
			pvd_err_set(l->e, PVD_EX_CONFIG, l->d->file, map->key_lines[i], map->key_cols[i],
				    "unknown key '%s'", map->keys[i]);
			keep(l);
		}
	}
}

int pvd_share_parse(const char *s)
{
	long v = 0;
	int digits = 0, dec = -1;
	for (; *s >= '0' && *s <= '9' && digits < 4; s++, digits++)
		v = v * 10 + (*s - '0');
	if (!digits)
		return -1;
	if (*s == '.') {
		for (s++, dec = 0; *s >= '0' && *s <= '9' && dec < 2; s++, dec++)
			v = v * 10 + (*s - '0');
		if (dec == 0)
			return -1;
	}
	for (int k = dec < 0 ? 0 : dec; k < 2; k++)
		v *= 10;
	while (*s == ' ')
		s++;
	if (*s != '%' || s[1] || v > 10000)
		return -1;
	return (int)v;
}

/* max_rejected / fail_rejected of map into *out (left as it is when absent). */
static void share(struct ld *l, const struct pvd_ynode *map, const char *key, int *out)
{
	const struct pvd_ynode *n = pvd_y_get(map, key);
	if (!n)
		return;
	int v = n->type == PVD_Y_SCALAR ? pvd_share_parse(n->str) : -1;
	if (v < 0) {
		pvd_y_error(l->e, l->d, n, "%s: expected a share of the rows from 0%% to 100%% (5%%, 0.5%%), got '%s'",
			    key, n->type == PVD_Y_SCALAR ? n->str : "?");
		keep(l);
		return;
	}
	*out = v;
}

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

/* s for a one-line message: control characters as \n, \xHH (a file name
 * may hold a newline).  Returns b's text. */
static const char *shown(const char *s, struct pvd_buf *b)
{
	pvd_buf_reset(b);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '\n')
			pvd_buf_adds(b, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			pvd_buf_printf(b, "\\x%02x", *p);
		else
			pvd_buf_addc(b, (char)*p);
	return pvd_buf_str(b);
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
		struct pvd_buf b = { 0 };
		pvd_y_error(l->e, l->d, n, "%s: cannot read %s: %s", what, shown(path, &b), why);
		pvd_buf_free(&b);
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

/* Loads one source; errors are kept (l->errs), the fields it could not
 * fill left NULL. */
static void load_source(struct ld *l, const struct pvd_ynode *m, struct pvd_psource *s)
{
	s->max_rejected = -2; /* the pipeline's, once known */
	s->fail_rejected = -2;
	if (m->type != PVD_Y_MAP) {
		pvd_y_error(l->e, l->d, m, "a source is a mapping (file, profile, name)");
		keep(l);
		return;
	}
	check_keys(l, m, source_keys);
	const struct pvd_ynode *file = scalar(l, m, "file");
	if (!file)
		keep(l);
	const struct pvd_ynode *prof = scalar(l, m, "profile");
	if (!prof)
		keep(l);
	const struct pvd_ynode *name = pvd_y_get(m, "name");
	if (name && name->type != PVD_Y_SCALAR) {
		pvd_y_error(l->e, l->d, name, "'name' must be a value");
		keep(l);
		name = NULL;
	}
	const struct pvd_ynode *nn = name ? name : prof;
	if (nn && !valid_name(nn->str)) {
		pvd_y_error(l->e, l->d, nn, "source name '%s' cannot name files: letters, digits, '_', '-', '.'%s",
			    nn->str, name ? "" : " (add a 'name:' to the source)");
		keep(l);
	} else if (nn) {
		s->name = xstrdup(nn->str);
	}
	if (file && !(s->file = need_file(l, file, "file", 0)))
		keep(l);
	if (prof && pathlike(prof->str)) {
		if (!(s->profile_path = need_file(l, prof, "profile", 0)))
			keep(l);
		else
			s->profile = xstrdup(s->profile_path);
	} else if (prof) {
		struct pvd_err ce = { 0 };
		s->profile_path = pvd_config_find_in(l->p->config, "sources", prof->str, ".yaml", &ce);
		if (!s->profile_path && !(l->flags & PVD_PL_LENIENT)) {
			pvd_y_error(l->e, l->d, prof, "profile: %s", ce.msg);
			keep(l);
		} else {
			s->profile = xstrdup(prof->str);
		}
	}
	share(l, m, "max_rejected", &s->max_rejected);
	share(l, m, "fail_rejected", &s->fail_rejected);
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

/* ---- the output against the inputs ---- */

/* path made absolute with every symbolic link of its existing part
 * resolved, as the kernel will resolve it; the part that does not exist yet
 * is appended as written (it is lexically normalised).  Malloc'd. */
static char *canon(const char *path)
{
	char *r = realpath(path, NULL);
	if (r)
		return r;
	const char *slash = strrchr(path, '/');
	char *parent = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *cp = canon(parent);
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s%s%s", cp, strcmp(cp, "/") == 0 ? "" : "/", slash ? slash + 1 : path);
	free(parent);
	free(cp);
	return b.p;
}

struct ident {
	dev_t dev;
	ino_t ino;
};

/* The identities of path (canonical) and of each directory above it, that
 * exist; [0] is path itself when it exists (*self says so). */
static struct ident *chain(const char *cpath, size_t *n, int *self)
{
	struct ident *v = NULL;
	size_t cap = 0;
	char *p = xstrdup(cpath);
	*n = 0;
	*self = 0;
	for (int first = 1;; first = 0) {
		struct stat sb;
		if (stat(p, &sb) == 0) {
			v = xgrow(v, &cap, *n + 1, sizeof *v);
			v[(*n)++] = (struct ident){ sb.st_dev, sb.st_ino };
			*self |= first;
		}
		char *slash = strrchr(p, '/');
		if (!slash || (slash == p && !p[1]))
			break;
		slash[slash == p ? 1 : 0] = '\0';
	}
	free(p);
	return v;
}

static int member(const struct ident *v, size_t n, const struct ident *x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].dev == x->dev && v[i].ino == x->ino)
			return 1;
	return 0;
}

/* a is b or lies below it (canonical paths). */
static int below(const char *a, const char *b)
{
	size_t n = strlen(b);
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

struct input {
	const char *what; /* "source 'ort'" */
	const char *path; /* as the run names it */
};

struct outcheck {
	char *out, *cout;            /* the output as named, canonical */
	struct ident *oc;            /* output (when it exists) and the directories above it */
	size_t noc;
	int oself;
	size_t holds, inside;        /* inputs the output holds, input directories it lies in */
	struct pvd_buf hold1, in1;   /* the first of each */
};

/* One input against the output. */
static void check_input(struct outcheck *c, const struct input *in)
{
	char *ci = canon(in->path);
	size_t n;
	int self;
	struct ident *ic = chain(ci, &n, &self);
	/* A symbolic link is deleted with the directory that holds it, and its
	 * target with the one that holds the target: both chains count. */
	struct stat lsb;
	char *cl = NULL;
	struct ident *lc = NULL;
	size_t nl = 0;
	if (lstat(in->path, &lsb) == 0 && S_ISLNK(lsb.st_mode)) {
		const char *slash = strrchr(in->path, '/');
		char *dir = slash ? xstrndup(in->path, slash == in->path ? 1 : (size_t)(slash - in->path)) : xstrdup(".");
		cl = canon(dir);
		int ls;
		lc = chain(cl, &nl, &ls);
		free(dir);
	}
	int holds = below(ci, c->cout) || (cl && below(cl, c->cout)) ||
		    (c->oself && (member(ic, n, &c->oc[0]) || member(lc, nl, &c->oc[0])));
	struct stat sb;
	int dir = stat(in->path, &sb) == 0 && S_ISDIR(sb.st_mode);
	int inside = !holds && dir && self &&
		     (below(c->cout, ci) || member(c->oc + c->oself, c->noc - (size_t)c->oself, &ic[0]));
	struct pvd_buf t = { 0 };
	if (holds && c->holds++ == 0)
		pvd_buf_printf(&c->hold1, "%s %s", in->what, shown(in->path, &t));
	if (inside && c->inside++ == 0)
		pvd_buf_printf(&c->in1, "%s %s", in->what, shown(in->path, &t));
	pvd_buf_free(&t);
	free(ci);
	free(cl);
	free(ic);
	free(lc);
}

/* The run replaces the output as a whole: it must be named by a last
 * component of its own ("out/..", "." or "/" would be somewhere else), be
 * none of the run's inputs nor hold one, and lie in no directory the run
 * reads (config directories, a reference directory).  Sets p->output (name
 * resolved against base), or returns the number of errors with msgs
 * (malloc'd, one per line, without "output: "). */
static int set_output(struct pvd_pipeline *p, const char *base_dir, const char *name, struct pvd_buf *msgs)
{
	size_t len = strlen(name);
	while (len > 1 && name[len - 1] == '/')
		len--;
	const char *base = name + len;
	while (base > name && base[-1] != '/')
		base--;
	size_t bl = len - (size_t)(base - name);
	if (bl == 0 || (bl == 1 && base[0] == '.') || (bl == 2 && base[0] == '.' && base[1] == '.')) {
		struct pvd_buf t = { 0 };
		pvd_buf_printf(msgs, "'%s' must name a directory of its own (out/2021-Q4)\n", shown(name, &t));
		pvd_buf_free(&t);
		return 1;
	}
	struct outcheck c = { 0 };
	c.out = pvd_path_resolve(base_dir, name);
	c.cout = canon(c.out);
	c.oc = chain(c.cout, &c.noc, &c.oself);

	struct pvd_buf w = { 0 };
	struct input in;
#define CHECK_IN(WHAT, PATH)                                   \
	do {                                                   \
		if (PATH) {                                    \
			in = (struct input){ WHAT, PATH };     \
			check_input(&c, &in);                  \
		}                                              \
	} while (0)
	CHECK_IN("the pipeline file", p->file);
	for (size_t i = 0; i < p->nsources; i++) {
		const struct pvd_psource *s = &p->sources[i];
		pvd_buf_reset(&w);
		pvd_buf_printf(&w, "source '%s'", s->name ? s->name : "?");
		CHECK_IN(w.p, s->file);
		pvd_buf_reset(&w);
		pvd_buf_printf(&w, "the profile of source '%s'", s->name ? s->name : "?");
		CHECK_IN(w.p, s->profile_path);
	}
	for (size_t i = 0; i < p->nrefs; i++) {
		pvd_buf_reset(&w);
		pvd_buf_printf(&w, "reference '%s'", p->refs[i].name);
		CHECK_IN(w.p, p->refs[i].path);
	}
	CHECK_IN("the catalogue", p->indicators);
	CHECK_IN("the previous document", p->previous);
	/* What the filters read by name from the run's config directory. */
	static const char *const kinds[] = { "", "sources", "datasets", "ref", "schema", "dashboard.yaml",
					     "indicators.yaml" };
	const char *cd = p->config ? p->config : pvd_config_dir();
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		pvd_buf_reset(&w);
		pvd_buf_printf(&w, "%s%s%s", cd, *kinds[i] ? "/" : "", kinds[i]);
		char *path = xstrdup(w.p);
		struct stat sb;
		if (stat(path, &sb) == 0)
			CHECK_IN(*kinds[i] ? "config" : "the config directory", path);
		free(path);
	}
#undef CHECK_IN
	int nerr = 0;
	shown(c.out, &w);
	if (c.holds) {
		pvd_buf_printf(msgs, "%s holds an input of the run (%s", w.p, c.hold1.p);
		if (c.holds > 1)
			pvd_buf_printf(msgs, ", and %zu more", c.holds - 1);
		pvd_buf_adds(msgs, "), which the run would delete\n");
		nerr++;
	}
	if (c.inside && !c.holds) { /* the same mistake, said once */
		pvd_buf_printf(msgs, "%s lies inside a directory the run reads (%s): the run writes nothing there\n",
			       w.p, c.in1.p);
		nerr++;
	}
	pvd_buf_free(&w);
	pvd_buf_free(&c.hold1);
	pvd_buf_free(&c.in1);
	free(c.cout);
	free(c.oc);
	if (nerr) {
		free(c.out);
		return nerr;
	}
	free(p->output);
	p->output = c.out;
	return 0;
}

int pvd_pipeline_set_output(struct pvd_pipeline *p, const char *dir, struct pvd_err *e)
{
	struct pvd_buf msgs = { 0 };
	int rc = 0;
	if (set_output(p, ".", dir, &msgs)) {
		*strchr(msgs.p, '\n') = '\0';
		rc = pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "--output: %s", msgs.p);
	}
	pvd_buf_free(&msgs);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The run's config directory (pipeline.h): never the caller's ./config.
 * Always set, even after an error, so that the rest is checked against it. */
static void load_config(struct ld *l, const struct pvd_ynode *root)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *n = pvd_y_get(root, "config");
	const char *x = pvd_config_explicit();
	if (n && !is_null(n) && n->type != PVD_Y_SCALAR) {
		pvd_y_error(l->e, l->d, n, "'config' must be a directory");
		keep(l);
		n = NULL;
	}
	if (x) {
		p->config = pvd_path_resolve(".", x);
	} else if (n && !is_null(n)) {
		if (!(p->config = need_file(l, n, "config", 1)))
			keep(l);
		else if (!(l->flags & PVD_PL_LENIENT) && !is_dir(p->config)) {
			pvd_y_error(l->e, l->d, n, "config: %s is not a directory", p->config);
			keep(l);
		}
	} else {
		static const char *const project[] = { "config", "../config" };
		for (size_t i = 0; i < 2 && !p->config; i++) {
			char *c = pvd_path_resolve(p->dir, project[i]);
			if (is_dir(c))
				p->config = c;
			else
				free(c);
		}
	}
	if (!p->config)
		p->config = pvd_path_resolve(".", pvd_config_installed());
}

static void load_csv(struct ld *l, const struct pvd_ynode *root)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *n = pvd_y_get(root, "csv"), *loc = NULL, *bom = NULL;
	p->csv_locale = xstrdup("fr");
	p->csv_bom = 1;
	if (n && !is_null(n)) {
		if (n->type != PVD_Y_MAP) {
			pvd_y_error(l->e, l->d, n, "'csv' must be a mapping ({locale: fr, bom: true})");
			keep(l);
			return;
		}
		check_keys(l, n, csv_keys);
		loc = pvd_y_get(n, "locale");
		bom = pvd_y_get(n, "bom");
	}
	if (loc && (loc->type != PVD_Y_SCALAR || (strcmp(loc->str, "fr") != 0 && strcmp(loc->str, "c") != 0))) {
		pvd_y_error(l->e, l->d, loc, "csv: locale: expected fr or c, got '%s'",
			    loc->type == PVD_Y_SCALAR ? loc->str : "?");
		keep(l);
	} else if (loc) {
		free(p->csv_locale);
		p->csv_locale = xstrdup(loc->str);
		p->csv_bom = strcmp(p->csv_locale, "fr") == 0;
	}
	if (bom) {
		int t = bom->type == PVD_Y_SCALAR && !bom->quoted && strcmp(bom->str, "true") == 0;
		int f = bom->type == PVD_Y_SCALAR && !bom->quoted && strcmp(bom->str, "false") == 0;
		if (!t && !f) {
			pvd_y_error(l->e, l->d, bom, "csv: bom: expected true or false");
			keep(l);
		} else
			p->csv_bom = t;
	}
}

static void load_formats(struct ld *l, const struct pvd_ynode *n)
{
	struct pvd_pipeline *p = l->p;
	if (n && n->type != PVD_Y_SEQ) {
		pvd_y_error(l->e, l->d, n, "'formats' must be a list ([json, html, md, csv])");
		keep(l);
		n = NULL;
	} else if (n && n->n == 0) {
		pvd_y_error(l->e, l->d, n, "formats: at least one format is needed");
		keep(l);
		n = NULL;
	}
	size_t nf = n ? n->n : 0;
	p->formats = xcalloc(nf ? nf : 1, sizeof *p->formats);
	if (!n)
		p->formats[p->nformats++] = xstrdup("json");
	for (size_t i = 0; i < nf; i++) {
		const struct pvd_ynode *f = n->items[i];
		int ok = 0, twice = 0;
		for (const char *const *k = formats; *k && f->type == PVD_Y_SCALAR && !ok; k++)
			ok = strcmp(*k, f->str) == 0;
		for (size_t j = 0; ok && j < p->nformats; j++)
			twice |= strcmp(p->formats[j], f->str) == 0;
		if (!ok)
			pvd_y_error(l->e, l->d, f, "formats: unknown format '%s' (json, html, md, csv)",
				    f->type == PVD_Y_SCALAR ? f->str : "?");
		else if (twice)
			pvd_y_error(l->e, l->d, f, "formats: '%s' given twice", f->str);
		else
			p->formats[p->nformats++] = xstrdup(f->str);
		if (!ok || twice)
			keep(l);
	}
}

static void load_root(struct ld *l)
{
	struct pvd_pipeline *p = l->p;
	const struct pvd_ynode *root = l->d->root;
	if (!root) {
		pvd_err_set(l->e, PVD_EX_CONFIG, l->d->file, 0, 0, "empty pipeline file");
		keep(l);
		return;
	}
	if (root->type != PVD_Y_MAP) {
		pvd_y_error(l->e, l->d, root, "a pipeline is a mapping (period, sources, ...)");
		keep(l);
		return;
	}
	check_keys(l, root, top_keys);
	load_config(l, root);
	load_csv(l, root);

	const struct pvd_ynode *n = scalar(l, root, "period");
	if (!n)
		keep(l);
	else if (!valid_period(n->str)) {
		pvd_y_error(l->e, l->d, n, "period: expected YYYY-Qn (2021-Q4), got '%s'", n->str);
		keep(l);
	} else
		p->period = xstrdup(n->str);

	p->max_rejected = PVD_PL_MAX_REJECTED;
	p->fail_rejected = -1;
	share(l, root, "max_rejected", &p->max_rejected);
	share(l, root, "fail_rejected", &p->fail_rejected);

	const struct pvd_ynode *srcs = pvd_y_need(l->d, root, "sources", PVD_Y_SEQ, l->e);
	if (!srcs)
		keep(l);
	else if (srcs->n == 0) {
		pvd_y_error(l->e, l->d, srcs, "sources: at least one source is needed");
		keep(l);
	} else {
		p->sources = xcalloc(srcs->n, sizeof *p->sources);
		p->nsources = srcs->n;
		for (size_t i = 0; i < srcs->n; i++) {
			struct pvd_psource *s = &p->sources[i];
			load_source(l, srcs->items[i], s);
			if (s->max_rejected == -2)
				s->max_rejected = p->max_rejected;
			if (s->fail_rejected == -2)
				s->fail_rejected = p->fail_rejected;
			for (size_t j = 0; s->name && j < i; j++)
				if (p->sources[j].name && strcmp(p->sources[j].name, s->name) == 0) {
					pvd_y_error(l->e, l->d, srcs->items[i],
						    "two sources named '%s': give each a distinct 'name:'", s->name);
					keep(l);
					break;
				}
		}
	}

	const struct pvd_ynode *refs = pvd_y_get(root, "reference");
	if (refs && !is_null(refs) && refs->type != PVD_Y_MAP) {
		pvd_y_error(l->e, l->d, refs, "'reference' must be a mapping (NAME: version or path)");
		keep(l);
	} else if (refs && !is_null(refs)) {
		p->refs = xcalloc(refs->n ? refs->n : 1, sizeof *p->refs);
		p->nrefs = refs->n;
		for (size_t i = 0; i < refs->n; i++)
			if (load_ref(l, refs->keys[i], refs->items[i], &p->refs[i]))
				keep(l);
	}

	if (!pvd_y_get(root, "indicators")) {
		/* the config directory's catalogue */
		char *c = pvd_path_resolve(p->config, "indicators.yaml");
		if (!(l->flags & PVD_PL_LENIENT) && access(c, R_OK) != 0) {
			pvd_err_set(l->e, PVD_EX_CONFIG, l->d->file, 0, 0, "no 'indicators:' and cannot read %s: %s", c,
				    strerror(errno));
			keep(l);
			free(c);
		} else {
			p->indicators = c;
		}
	} else if (!(n = scalar(l, root, "indicators")) || !(p->indicators = need_file(l, n, "indicators", 0))) {
		keep(l);
	}

	n = pvd_y_get(root, "previous");
	if (n && !is_null(n)) {
		if (n->type != PVD_Y_SCALAR) {
			pvd_y_error(l->e, l->d, n, "'previous' must be a path");
			keep(l);
		} else if (!(p->previous = need_file(l, n, "previous", 0)))
			keep(l);
	}

	if (!(n = scalar(l, root, "output"))) {
		keep(l);
	} else {
		struct pvd_buf msgs = { 0 };
		if (set_output(p, p->dir, n->str, &msgs))
			for (char *m = msgs.p, *nl; (nl = strchr(m, '\n')); m = nl + 1) {
				*nl = '\0';
				pvd_y_error(l->e, l->d, n, "output: %s", m);
				keep(l);
			}
		pvd_buf_free(&msgs);
	}

	load_formats(l, pvd_y_get(root, "formats"));
}

static void init(struct pvd_pipeline *p, const char *path)
{
	memset(p, 0, sizeof *p);
	p->file = xstrdup(path);
	const char *slash = strrchr(path, '/');
	p->dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
}

static int finish(struct pvd_pipeline *p, struct pvd_ydoc *d, int rc, int flags, struct pvd_err *e,
		  struct pvd_err **all, size_t *nall)
{
	struct ld l = { p, d, e, flags, NULL, 0, 0 };
	if (rc == 0)
		load_root(&l);
	else
		keep(&l);
	pvd_ydoc_free(d);
	if (l.nerrs) {
		*e = l.errs[0];
		e->status = PVD_EX_CONFIG;
		pvd_pipeline_free(p);
	}
	if (all) {
		*all = l.errs;
		*nall = l.nerrs;
	} else {
		free(l.errs);
	}
	return l.nerrs ? PVD_EX_CONFIG : 0;
}

int pvd_pipeline_load_all(struct pvd_pipeline *p, const char *path, int flags, struct pvd_err *e,
			  struct pvd_err **all, size_t *nall)
{
	struct pvd_ydoc d;
	init(p, path);
	int rc = pvd_ydoc_load(&d, path, e);
	if (rc == PVD_EX_NOINPUT)
		e->status = PVD_EX_CONFIG;
	return finish(p, &d, rc, flags, e, all, nall);
}

int pvd_pipeline_load(struct pvd_pipeline *p, const char *path, int flags, struct pvd_err *e)
{
	return pvd_pipeline_load_all(p, path, flags, e, NULL, NULL);
}

int pvd_pipeline_parse_all(struct pvd_pipeline *p, const char *name, const char *text, size_t len,
			   int flags, struct pvd_err *e, struct pvd_err **all, size_t *nall)
{
	struct pvd_ydoc d;
	init(p, name);
	int rc = pvd_ydoc_parse(&d, name, text, len, e);
	return finish(p, &d, rc, flags, e, all, nall);
}

int pvd_pipeline_parse(struct pvd_pipeline *p, const char *name, const char *text, size_t len,
		       int flags, struct pvd_err *e)
{
	return pvd_pipeline_parse_all(p, name, text, len, flags, e, NULL, NULL);
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

/* A directory's regular files, sorted (a reference table set), or only
 * those whose name ends with suffix. */
static void add_dir(struct list *l, const char *dir, const char *suffix)
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
		size_t len = strlen(de->d_name), sl = suffix ? strlen(suffix) : 0;
		if (len < sl || strcmp(de->d_name + len - sl, suffix ? suffix : "") != 0)
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

static void add_file(struct list *l, const char *path, const char *suffix)
{
	struct stat sb;
	if (!path || stat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode))
		add_dir(l, path, suffix);
	else
		add(l, path);
}

/* The dashboard layout and what it reads in turn: each map's geometry. */
static void add_dashboard(struct list *l, const char *path)
{
	add_file(l, path, NULL);
	struct pvd_dash d;
	struct pvd_err e = { 0 };
	if (pvd_dash_load(&d, path, &e) == 0)
		for (size_t s = 0; s < d.nsec; s++)
			for (size_t i = 0; i < d.sec[s].nb; i++)
				add_file(l, d.sec[s].b[i].geo_file, NULL);
	pvd_dash_free(&d);
}

char **pvd_pipeline_deps(const struct pvd_pipeline *p, size_t *n)
{
	struct list l = { 0 };
	add(&l, p->file);
	for (size_t i = 0; i < p->nsources; i++) {
		add_file(&l, p->sources[i].file, NULL);
		add_file(&l, p->sources[i].profile_path, NULL);
	}
	for (size_t i = 0; i < p->nrefs; i++)
		add_file(&l, p->refs[i].path, NULL);
	add_file(&l, p->indicators, NULL);
	/* what the filters read besides: the dataset schemas (pvd-clean; and
	 * pvd-aggregate's check of the catalogue, beside it), the dashboard */
	char *ds = pvd_path_resolve(p->config, "datasets"), *cds = NULL;
	add_file(&l, ds, ".yaml");
	const char *slash = p->indicators ? strrchr(p->indicators, '/') : NULL;
	if (slash) {
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "%.*s/datasets", (int)(slash - p->indicators), p->indicators);
		cds = b.p;
	} else {
		cds = xstrdup("datasets");
	}
	add_file(&l, cds, ".yaml");
	free(ds);
	free(cds);
	char *dash = pvd_path_resolve(p->config, "dashboard.yaml");
	add_dashboard(&l, dash);
	free(dash);
	if (p->previous) {
		add(&l, p->previous);
		/* the data-quality page compares the sources with the previous
		 * run's, from the provenance.json beside its document (quality.c) */
		const char *ps = strrchr(p->previous, '/');
		struct pvd_buf prov = { 0 };
		pvd_buf_printf(&prov, "%.*sprovenance.json", ps ? (int)(ps - p->previous + 1) : 0, p->previous);
		add_file(&l, prov.p, NULL);
		pvd_buf_free(&prov);
	}
	if (!l.v)
		l.v = xcalloc(1, sizeof *l.v);
	*n = l.n;
	return l.v;
}
