#include "runplan.h"
#include "shquote.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* THE table: each stage's program and options.  A word {x} is replaced by
 * the value of x; a [bracketed group] of words is repeated once per value of
 * its placeholders and dropped when one has none (an optional option, or a
 * repeated one like --ref).  A stage takes --rejects/--report files when its
 * template names them.  stdin, stdout and stderr are wired by the runner. */
static const struct stage_def {
	const char *stage, *prog, *tmpl;
} defs[] = {
	{ "ingest", "pvd-ingest", "-q --profile {profile} --rejects {rejects} --report {report} {file}" },
	{ "clean", "pvd-clean", "-q --profile {profile} --rejects {rejects} --report {report}" },
	{ "join", "pvd-join", "-q [--ref {ref}] --rejects {rejects} --report {report}" },
	{ "aggregate", "pvd-aggregate",
	  "-q --partial --indicators {indicators} --period {period} --lineage {lineage} --rejects {rejects} --report {report}" },
	{ "merge", "pvd-aggregate",
	  "-q --merge --indicators {indicators} --period {period} --lineage {lineage} --rejects {rejects} --report {report} {states}" },
	{ "render", "pvd-render",
	  "-q [--previous {previous}] [--provenance {provenance}] [--lineage {lineage}] --format {format} [--locale {locale}] [--bom {bom}] --output {output} --rejects {rejects} --report {report} {input}" },
};

static const struct stage_def *def(const char *stage)
{
	for (size_t i = 0; i < sizeof defs / sizeof *defs; i++)
		if (strcmp(defs[i].stage, stage) == 0)
			return &defs[i];
	abort();
}

const char *const *pvd_plan_programs(void)
{
	static const char *progs[sizeof defs / sizeof *defs + 1];
	if (!progs[0]) {
		size_t n = 0;
		for (size_t i = 0; i < sizeof defs / sizeof *defs; i++) {
			size_t j = 0;
			while (j < n && strcmp(progs[j], defs[i].prog) != 0)
				j++;
			if (j == n)
				progs[n++] = defs[i].prog;
		}
	}
	return progs;
}

/* The values of the placeholders for one command. */
struct var {
	const char *name;
	const char *const *v;
	size_t n;
	const char *one;
};
struct ctx {
	struct var v[16];
	size_t n;
};

static void setv(struct ctx *c, const char *name, const char *const *v, size_t n)
{
	c->v[c->n++] = (struct var){ name, v, n, NULL };
}
static void set(struct ctx *c, const char *name, const char *s)
{
	struct var *x = &c->v[c->n++];
	*x = (struct var){ name, NULL, s ? 1 : 0, s };
	x->v = &x->one;
}

static const struct var *lookup(const struct ctx *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (strlen(c->v[i].name) == len && memcmp(c->v[i].name, name, len) == 0)
			return &c->v[i];
	fprintf(stderr, "runplan: no value for {%.*s}\n", (int)len, name);
	abort(); /* a bug in the table: the tests run every template */
}

/* Appends the words of one group, k-th value of each placeholder. */
static void emit(const struct ctx *c, char **w, size_t nw, size_t k, char ***argv, size_t *argc,
		 size_t *cap)
{
	for (size_t i = 0; i < nw; i++) {
		struct pvd_buf b = { 0 };
		for (const char *s = w[i]; *s;) {
			const char *o = strchr(s, '{'), *e = o ? strchr(o, '}') : NULL;
			if (!o || !e) {
				pvd_buf_adds(&b, s);
				break;
			}
			pvd_buf_add(&b, s, (size_t)(o - s));
			const struct var *v = lookup(c, o + 1, (size_t)(e - o - 1));
			pvd_buf_adds(&b, v->v[v->n == 1 ? 0 : k]);
			s = e + 1;
		}
		*argv = xgrow(*argv, cap, *argc + 2, sizeof **argv);
		(*argv)[(*argc)++] = b.p ? b.p : xstrdup("");
	}
}

/* How many times a group is repeated: the count of its placeholders (a
 * single value goes with any count; none drops the group). */
static size_t group_count(const struct ctx *c, char **w, size_t nw)
{
	size_t count = 1;
	int many = 0;
	for (size_t i = 0; i < nw; i++)
		for (const char *o = strchr(w[i], '{'); o; o = strchr(o + 1, '{')) {
			const char *e = strchr(o, '}');
			const struct var *v = lookup(c, o + 1, (size_t)(e - o - 1));
			if (v->n == 0)
				return 0;
			if (v->n != 1) {
				if (many && v->n != count)
					abort();
				many = 1;
				count = v->n;
			}
		}
	return count;
}

static char **expand(const char *prog, const char *tmpl, const struct ctx *c)
{
	char **argv = NULL;
	size_t argc = 0, cap = 0;
	argv = xgrow(argv, &cap, 2, sizeof *argv);
	argv[argc++] = xstrdup(prog);
	char *t = xstrdup(tmpl), *save = NULL;
	char *w[32];
	size_t nw = 0;
	int in_group = 0;
	for (char *tok = strtok_r(t, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (*tok == '[') {
			in_group = 1;
			tok++;
		}
		size_t len = strlen(tok);
		int close = len && tok[len - 1] == ']';
		if (close)
			tok[len - 1] = '\0';
		w[nw++] = tok;
		if (in_group && !close)
			continue;
		in_group = 0;
		size_t count = group_count(c, w, nw);
		for (size_t k = 0; k < count; k++)
			emit(c, w, nw, k, &argv, &argc, &cap);
		nw = 0;
	}
	free(t);
	argv[argc] = NULL;
	return argv;
}

static char *at(char where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *at(char where, const char *fmt, ...)
{
	struct pvd_buf b = { 0 };
	va_list ap;
	char tmp[512];
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	pvd_buf_addc(&b, where);
	pvd_buf_adds(&b, tmp);
	return b.p;
}

static void add_cmd(struct pvd_job *j, const char *stage, const char *tag, struct ctx *c)
{
	j->cmds = xrealloc(j->cmds, (j->ncmds + 1) * sizeof *j->cmds);
	struct pvd_cmd *cmd = &j->cmds[j->ncmds++];
	memset(cmd, 0, sizeof *cmd);
	const struct stage_def *d = def(stage);
	cmd->stage = d->stage;
	cmd->prog = d->prog;
	/* merge writes rejects/merge.ndjson; a source's stage rejects/STAGE-SOURCE.ndjson */
	if (strstr(d->tmpl, "{rejects}"))
		cmd->rejects = at(PVD_AT_NEW, "rejects/%s%s%s.ndjson", stage, *tag ? "-" : "", tag);
	if (strstr(d->tmpl, "{report}"))
		cmd->report = at(PVD_AT_WORK, "%s%s%s.report.json", stage, *tag ? "-" : "", tag);
	size_t n0 = c->n;
	set(c, "rejects", cmd->rejects);
	set(c, "report", cmd->report);
	cmd->argv = expand(d->prog, d->tmpl, c);
	c->n = n0;
}

void pvd_plan_build(struct pvd_plan *pl, const struct pvd_pipeline *p, int flags)
{
	memset(pl, 0, sizeof *pl);
	pl->p = p;
	pl->indicators = at(PVD_AT_NEW, "indicators.ndjson");
	pl->provenance = at(PVD_AT_NEW, "provenance.json");

	char **refs = xcalloc(p->nrefs + 1, sizeof *refs);
	for (size_t i = 0; i < p->nrefs; i++) {
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "%s=%s", p->refs[i].name, p->refs[i].value);
		refs[i] = b.p;
	}
	/* each source's state, then the lineage of its records: the merge
	 * merges both (lineage.h) */
	char **states = xcalloc(2 * p->nsources + 1, sizeof *states);
	pl->nsources = p->nsources;
	pl->sources = xcalloc(p->nsources, sizeof *pl->sources);
	for (size_t i = 0; i < p->nsources; i++) {
		const struct pvd_psource *s = &p->sources[i];
		struct pvd_job *j = &pl->sources[i];
		j->label = xstrdup(s->name);
		j->source = (int)i;
		j->out = states[2 * i] = at(PVD_AT_WORK, "%s.state", s->name);
		j->lineage = states[2 * i + 1] = at(PVD_AT_WORK, "%s.lineage", s->name);
		struct ctx c = { .n = 0 };
		set(&c, "lineage", j->lineage);
		set(&c, "profile", s->profile);
		set(&c, "file", s->file);
		setv(&c, "ref", (const char *const *)refs, p->nrefs);
		set(&c, "indicators", p->indicators);
		set(&c, "period", p->period);
		add_cmd(j, "ingest", s->name, &c);
		add_cmd(j, "clean", s->name, &c);
		add_cmd(j, "join", s->name, &c);
		add_cmd(j, "aggregate", s->name, &c);
	}

	struct ctx c = { .n = 0 };
	set(&c, "indicators", p->indicators);
	set(&c, "period", p->period);
	setv(&c, "states", (const char *const *)states, 2 * p->nsources);
	/* the run's lineage, kept in the output directory (pvd-explain reads it) */
	pl->merge.lineage = at(PVD_AT_NEW, "lineage.ndjson");
	set(&c, "lineage", pl->merge.lineage);
	pl->merge.label = xstrdup("merge");
	pl->merge.source = -1;
	pl->merge.out = xstrdup(pl->indicators);
	add_cmd(&pl->merge, "merge", "", &c);

	pl->nrenders = p->nformats;
	pl->renders = xcalloc(p->nformats, sizeof *pl->renders);
	for (size_t i = 0; i < p->nformats; i++) {
		struct pvd_job *j = &pl->renders[i];
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "render %s", p->formats[i]);
		j->label = b.p;
		j->source = -1;
		char *output = at(PVD_AT_NEW, "indicators.%s", p->formats[i]);
		struct ctx rc = { .n = 0 };
		set(&rc, "previous", p->previous);
		/* A script cannot have the provenance file: pvd-run writes it. */
		set(&rc, "provenance", flags & PVD_PLAN_SCRIPT ? NULL : pl->provenance);
		set(&rc, "format", p->formats[i]);
		/* csv: the pipeline's locale; --bom only against the locale's habit */
		int csv = strcmp(p->formats[i], "csv") == 0;
		set(&rc, "locale", csv ? p->csv_locale : NULL);
		set(&rc, "bom", csv && p->csv_bom != (strcmp(p->csv_locale, "fr") == 0) ? (p->csv_bom ? "yes" : "no") : NULL);
		/* the page links each figure to its records, per source file */
		set(&rc, "lineage", strcmp(p->formats[i], "html") == 0 ? pl->merge.lineage : NULL);
		set(&rc, "output", output);
		set(&rc, "input", pl->indicators);
		add_cmd(j, "render", p->formats[i], &rc);
		j->product = output;
	}
	for (size_t i = 0; i < p->nrefs; i++)
		free(refs[i]);
	free(refs);
	free(states); /* the strings are the jobs' out */
}

static void job_free(struct pvd_job *j)
{
	for (size_t i = 0; i < j->ncmds; i++) {
		struct pvd_cmd *c = &j->cmds[i];
		for (char **a = c->argv; a && *a; a++)
			free(*a);
		free(c->argv);
		free(c->report);
		free(c->rejects);
	}
	free(j->cmds);
	free(j->label);
	free(j->out);
	free(j->product);
	free(j->lineage);
}

void pvd_plan_free(struct pvd_plan *pl)
{
	for (size_t i = 0; i < pl->nsources; i++)
		job_free(&pl->sources[i]);
	free(pl->sources);
	job_free(&pl->merge);
	for (size_t i = 0; i < pl->nrenders; i++)
		job_free(&pl->renders[i]);
	free(pl->renders);
	free(pl->indicators);
	free(pl->provenance);
	memset(pl, 0, sizeof *pl);
}

char *pvd_plan_path(const char *s, const char *work, const char *new)
{
	struct pvd_buf b = { 0 };
	for (; *s; s++) {
		if (*s == PVD_AT_WORK || *s == PVD_AT_NEW)
			pvd_buf_printf(&b, "%s/", *s == PVD_AT_WORK ? work : new);
		else
			pvd_buf_addc(&b, *s);
	}
	return b.p ? b.p : xstrdup("");
}

/* One word for the shell: "$work"/rest for a path in a run directory. */
static void word(struct pvd_buf *out, const char *s)
{
	struct pvd_buf seg = { 0 };
	for (;; s++) {
		if (*s == PVD_AT_WORK || *s == PVD_AT_NEW || !*s) {
			if (seg.len)
				pvd_shquote(out, seg.p);
			pvd_buf_reset(&seg);
			if (!*s)
				break;
			pvd_buf_adds(out, *s == PVD_AT_WORK ? "\"$work\"/" : "\"$new\"/");
		} else {
			pvd_buf_addc(&seg, *s);
		}
	}
	pvd_buf_free(&seg);
}

static void pipeline(struct pvd_buf *out, const struct pvd_job *j)
{
	int first = 1;
	for (size_t i = 0; i < j->ncmds; i++) {
		const struct pvd_cmd *c = &j->cmds[i];
		if (!first)
			pvd_buf_adds(out, " |\n  ");
		first = 0;
		for (char **a = c->argv; *a; a++) {
			if (a != c->argv)
				pvd_buf_addc(out, ' ');
			word(out, *a);
		}
	}
	if (j->out) {
		pvd_buf_adds(out, " >");
		word(out, j->out);
	}
	pvd_buf_addc(out, '\n');
}

void pvd_plan_script(const struct pvd_plan *pl, struct pvd_buf *out)
{
	const struct pvd_pipeline *p = pl->p;
	const char *slash = strrchr(p->output, '/');
	char *parent = slash ? xstrndup(p->output, slash == p->output ? 1 : (size_t)(slash - p->output))
			     : xstrdup(".");
	const char *base = slash ? slash + 1 : p->output;
	struct pvd_buf t = { 0 };

	pvd_buf_adds(out, "#!/usr/bin/env bash\n# pvd-run --dry-run ");
	pvd_shquote(out, p->file);
	pvd_buf_printf(out, ": period %s, %zu source%s, formats", p->period, p->nsources,
		       p->nsources > 1 ? "s" : "");
	for (size_t i = 0; i < p->nformats; i++)
		pvd_buf_printf(out, " %s", p->formats[i]);
	pvd_buf_adds(out, ".\n# pvd-run itself also checks the TOTAL rows against the sums in pvd-clean's report,\n"
			  "# writes provenance.json for pvd-render, checks that the\n"
			  "# counts reconcile, writes run-report.json/.txt, and swaps the new directory in\n"
			  "# atomically.\n");
	pvd_buf_adds(out, "set -eo pipefail\n# the pipeline's config directory, for every filter\nexport PVD_CONFIG=");
	pvd_shquote(out, p->config);
	pvd_buf_adds(out, "\nmkdir -p ");
	pvd_shquote(out, parent);
	pvd_buf_adds(out, "\nwork=$(mktemp -d ");
	pvd_buf_printf(&t, "%s/.%s.work.XXXXXX", parent, base);
	pvd_shquote(out, t.p);
	pvd_buf_adds(out, ")\nnew=$(mktemp -d ");
	pvd_buf_reset(&t);
	pvd_buf_printf(&t, "%s/.%s.new.XXXXXX", parent, base);
	pvd_shquote(out, t.p);
	pvd_buf_adds(out, ")\nmkdir \"$new\"/rejects\n");

	for (size_t i = 0; i < pl->nsources; i++) {
		const struct pvd_psource *s = &p->sources[i];
		/* quoted: a file name may hold a newline, which would end the comment */
		pvd_buf_printf(out, "\n# source %s: ", s->name);
		pvd_shquote(out, s->file);
		pvd_buf_adds(out, ", profile ");
		pvd_shquote(out, s->profile);
		pvd_buf_addc(out, '\n');
		pipeline(out, &pl->sources[i]);
	}
	pvd_buf_adds(out, "\n# merge the sources' states into the indicators\n");
	pipeline(out, &pl->merge);
	pvd_buf_adds(out, "\n# render (pvd-run also passes --provenance with the provenance.json it writes:\n"
			  "# input files with sha256, records and rejects per stage)\n");
	for (size_t i = 0; i < pl->nrenders; i++)
		pipeline(out, &pl->renders[i]);
	pvd_buf_adds(out, "\n# an empty rejects file says nothing: pvd-run removes them too\n"
			  "find \"$new\"/rejects -type f -empty -delete\n");
	pvd_buf_adds(out, "\n# replace the output directory\nrm -rf ");
	pvd_shquote(out, p->output);
	pvd_buf_adds(out, "\nmv \"$new\" ");
	pvd_shquote(out, p->output);
	pvd_buf_adds(out, "\nrm -rf \"$work\"\n");
	pvd_buf_free(&t);
	free(parent);
}
