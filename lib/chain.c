#include "chain.h"
#include "diag.h"
#include "input.h"
#include "ndjson.h"
#include "stream.h"
#include "output.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- ingest ---- */

#define IN(s) ((struct pvd_ingest_stage *)(s))

int pvd_ingest_shared_load(struct pvd_ingest_shared *sh, const char *profile)
{
	sh->err = (struct pvd_err){ 0 };
	return sh->rc = pvd_profile_load(&sh->prof, profile, &sh->err) ? PVD_EX_CONFIG : 0;
}

void pvd_ingest_shared_free(struct pvd_ingest_shared *sh)
{
	if (!sh->rc)
		pvd_profile_free(&sh->prof);
}

static int ingest_load(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_ingest_stage *g = IN(s);
	if (!g->profile)
		return 0;
	if (g->shared) {
		if (g->shared->rc)
			*e = g->shared->err;
		else
			g->o.profile = &g->shared->prof;
		return g->shared->rc;
	}
	if (pvd_profile_load(&g->prof, g->profile, e))
		return PVD_EX_CONFIG;
	g->have_prof = 1;
	g->o.profile = &g->prof;
	return 0;
}

static int ingest_start(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	s->in = NULL; /* it makes records of its files */
	return 0;
}

static int ingest_feed(struct pvd_stage *s, char *const *files, int nfiles, struct pvd_err *e)
{
	static char *const dash[] = { "-", NULL };
	struct pvd_ingest_stage *g = IN(s);
	int rc = 0;
	if (nfiles < 1)
		files = dash, nfiles = 1;
	for (int i = 0; i < nfiles && !rc; i++)
		rc = pvd_ingest_file(files[i], &g->o, s->next, &s->rj, &s->st, &g->cnt, e);
	return rc;
}

static int ingest_finish(struct pvd_stage *s, struct pvd_err *e)
{
	const struct pvd_ingest_counts *c = &IN(s)->cnt;
	snprintf(s->detail, sizeof s->detail, "(%llu header, %llu title, %llu total, %llu blank)", c->header,
		 c->title, c->total, c->blank);
	return 0;
}

static void ingest_free(struct pvd_stage *s)
{
	struct pvd_ingest_stage *g = IN(s);
	if (g->have_prof)
		pvd_profile_free(&g->prof);
	g->have_prof = 0;
}

void pvd_ingest_stage_init(struct pvd_ingest_stage *s)
{
	static const struct pvd_stage_ops ops = { .load = ingest_load, .start = ingest_start, .feed = ingest_feed,
						  .finish = ingest_finish, .free = ingest_free };
	s->base.ops = &ops;
	s->base.name = "ingest";
	s->base.unit = "rows";
}

/* ---- clean ---- */

#define CL(s) ((struct pvd_clean_stage *)(s))

static int clean_start(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	struct pvd_clean_stage *c = CL(s);
	int rc = pvd_clean_new(&c->c, &c->o, next, &s->rj, &s->st, e);
	if (!rc)
		s->in = pvd_clean_sink(c->c);
	return rc;
}

static int clean_finish(struct pvd_stage *s, struct pvd_err *e)
{
	s->st.extra = pvd_clean_report(CL(s)->c);
	return 0;
}

static void clean_free(struct pvd_stage *s)
{
	pvd_clean_free(CL(s)->c);
	CL(s)->c = NULL;
}

void pvd_clean_stage_init(struct pvd_clean_stage *s)
{
	static const struct pvd_stage_ops ops = { .start = clean_start, .finish = clean_finish, .free = clean_free };
	s->base.ops = &ops;
	s->base.name = "clean";
	s->base.unit = "records";
	s->base.strict = s->o.strict;
}

/* ---- join ---- */

#define JN(s) ((struct pvd_join_stage *)(s))

int pvd_join_shared_load(struct pvd_join_shared *sh, const struct pvd_join_refs *refs)
{
	sh->err = (struct pvd_err){ 0 };
	return sh->rc = pvd_join_ref_load(&sh->ref, refs, &sh->err);
}

void pvd_join_shared_free(struct pvd_join_shared *sh)
{
	pvd_join_ref_free(&sh->ref);
}

static int join_load(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_join_stage *j = JN(s);
	if (j->shared) {
		j->ref = &j->shared->ref;
		s->warnings = &j->shared->ref.log;
		if (j->shared->rc)
			*e = j->shared->err;
		return j->shared->rc;
	}
	j->ref = &j->own;
	int rc = pvd_join_ref_load(&j->own, &j->refs, e);
	s->warnings = &j->own.log;
	return rc;
}

static int join_start(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	struct pvd_join_stage *j = JN(s);
	pvd_join_init(&j->join, j->ref, j->mode, next, &s->rj, &s->st);
	j->started = 1;
	s->in = &j->join.base;
	return 0;
}

static int join_finish(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_join_stage *j = JN(s);
	s->st.extra = json_pack("{s:o, s:o}", "join", pvd_join_report(&j->join), "refs", pvd_join_ref_report(j->ref));
	const char *d = pvd_join_skip_detail(&j->join);
	snprintf(s->detail, sizeof s->detail, "%s", d ? d : "");
	return 0;
}

static void join_free(struct pvd_stage *s)
{
	struct pvd_join_stage *j = JN(s);
	if (j->started)
		pvd_join_free(&j->join);
	j->started = 0;
	if (j->ref == &j->own)
		pvd_join_ref_free(&j->own);
	j->ref = NULL;
}

void pvd_join_stage_init(struct pvd_join_stage *s)
{
	static const struct pvd_stage_ops ops = { .load = join_load, .start = join_start, .finish = join_finish,
						  .free = join_free };
	s->base.ops = &ops;
	s->base.name = "join";
	s->base.unit = "records";
}

/* ---- aggregate ---- */

#define AG(s) ((struct pvd_agg_stage *)(s))

/* catalog (NULL: the default) with the dataset schemas beside it. */
static int catalog_load(struct pvd_catalog *cat, const char *catalog, const struct pvd_period *period,
			struct pvd_err *e)
{
	char *path = catalog ? xstrdup(catalog) : pvd_catalog_default();
	char *sdir = pvd_catalog_schema_dir(path);
	int rc = pvd_catalog_load(cat, path, period, sdir, e);
	free(sdir);
	free(path);
	return rc;
}

int pvd_agg_shared_load(struct pvd_agg_shared *sh, const char *catalog, const struct pvd_period *period)
{
	sh->err = (struct pvd_err){ 0 };
	return sh->rc = catalog_load(&sh->cat, catalog, period, &sh->err);
}

void pvd_agg_shared_free(struct pvd_agg_shared *sh)
{
	pvd_catalog_free(&sh->cat);
}

static int agg_load(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_agg_stage *a = AG(s);
	if (a->shared) {
		a->catp = &a->shared->cat;
		if (a->shared->rc)
			*e = a->shared->err;
		return a->shared->rc;
	}
	a->have_cat = 1;
	a->catp = &a->cat;
	return catalog_load(&a->cat, a->catalog, &a->period, e);
}

static int agg_start(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	struct pvd_agg_stage *a = AG(s);
	a->agg = pvd_agg_new(a->catp, a->partial, next, &s->rj, &s->st);
	s->in = pvd_agg_sink(a->agg);
	if (a->lineage) {
		int rc = pvd_lineage_open(&a->lin, a->lineage, a->catp, e);
		if (rc)
			return rc;
		a->have_lin = 1;
		pvd_agg_set_lineage(a->agg, &a->lin);
	}
	return 0;
}

static int agg_feed(struct pvd_stage *s, char *const *files, int nfiles, struct pvd_err *e)
{
	return pvd_agg_merge(AG(s)->agg, files, nfiles, e);
}

static int agg_finish(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_agg_stage *a = AG(s);
	struct pvd_agg_counts k;
	pvd_agg_counts(a->agg, &k);
	if (a->merge) {
		/* The counts of the records behind the merged states. */
		s->st.in = k.in;
		s->st.out = k.used;
		s->st.rejected = k.rejected;
		s->st.skipped = k.skipped;
		snprintf(s->detail, sizeof s->detail, "(no indicator); %llu state%s merged, %llu %s", k.states,
			 k.states == 1 ? "" : "s", k.values, a->partial ? "state records" : "values");
	} else {
		snprintf(s->detail, sizeof s->detail, "(no indicator); %llu %s", k.values,
			 a->partial ? "state records" : "values");
	}
	s->st.extra = json_pack("{s:I, s:o}", a->partial ? "state_records" : "values", (json_int_t)k.values,
				"skipped_datasets", pvd_agg_skipped_json(a->agg));
	return 0;
}

static int agg_commit(struct pvd_stage *s, struct pvd_err *e)
{
	struct pvd_agg_stage *a = AG(s);
	if (!a->have_lin)
		return 0;
	a->have_lin = 0;
	return pvd_lineage_commit(&a->lin, e);
}

static void agg_abort(struct pvd_stage *s)
{
	struct pvd_agg_stage *a = AG(s);
	if (a->have_lin)
		pvd_lineage_abort(&a->lin);
	a->have_lin = 0;
}

static void agg_free(struct pvd_stage *s)
{
	struct pvd_agg_stage *a = AG(s);
	agg_abort(s);
	pvd_agg_free(a->agg);
	a->agg = NULL;
	if (a->have_cat)
		pvd_catalog_free(&a->cat);
	a->have_cat = 0;
	a->catp = NULL;
}

void pvd_agg_stage_init(struct pvd_agg_stage *s)
{
	static const struct pvd_stage_ops ops = { .load = agg_load, .start = agg_start, .finish = agg_finish,
						  .commit = agg_commit, .abort = agg_abort, .free = agg_free };
	static const struct pvd_stage_ops merge_ops = { .load = agg_load, .start = agg_start, .feed = agg_feed,
							.finish = agg_finish, .commit = agg_commit,
							.abort = agg_abort, .free = agg_free };
	s->base.ops = s->merge ? &merge_ops : &ops;
	s->base.name = "aggregate";
	s->base.unit = "records";
}

/* ---- fused ---- */

/* The front of a stage fed by the previous one in the same process: what
 * pvd_stream_ndjson does for a stage reading a pipe (count the record read,
 * name where it was read), and which stage a failure came from: the first
 * door a failing status passes is the failing stage's own (a failure
 * further down passed the doors further down first). */
/* The running stage's index (pvd_fused.at, shared with pvd-run). */
static volatile sig_atomic_t *running;

struct door {
	struct pvd_sink base;
	struct pvd_buf big;     /* a record that may be too long, written */
	struct pvd_stage *s;
	struct pvd_sink *inner;
	int *failed;            /* index of the failing stage, -1 */
	int index;
	long line;
};

static int door_blame(struct door *d, int rc)
{
	if (rc && *d->failed < 0)
		*d->failed = d->index;
	return rc;
}

/* A record longer, written as NDJSON, than the line the stage's reader
 * would take whole (input.h): the pipe would have refused it, so does the
 * door.  Ingest's rows are bounded (16 fields' cap) but not their JSON: a
 * byte may take 6 ("\u0001") and each cell repeats its header's name.
 * Written only when it might be too long: each byte of a name or value
 * takes at most 6, each field at most 8 more (quotes, colon, comma, null,
 * brackets), and the record's arena holds every name and value. */
static int too_long(struct door *d, const struct pvd_record *r)
{
	if (6 * r->alen + 8 * r->n + 3 <= PVD_INPUT_MAX_LINE)
		return 0;
	pvd_buf_reset(&d->big);
	pvd_ndjson_write(&d->big, r);
	if (d->big.len - 1 > PVD_INPUT_MAX_LINE) /* its newline aside */
		return 1;
	pvd_buf_free(&d->big); /* not kept: memory stays as bounded as the pipe's */
	return 0;
}

static int door_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct door *d = (struct door *)self;
	sig_atomic_t was = *running;
	pvd_stats_in(&d->s->st);
	d->s->rj.at_line = ++d->line;
	if (too_long(d, r)) {
		pvd_stream_reject_long(&d->s->rj, &d->s->st, d->s->rj.at_file, d->line, d->big.p, PVD_INPUT_MAX_LINE,
				       PVD_INPUT_MAX_LINE);
		pvd_buf_free(&d->big);
		return 0;
	}
	*running = d->index;
	int rc = pvd_sink_put(d->inner, r, e);
	*running = was;
	return door_blame(d, rc);
}

static int door_end(struct pvd_sink *self, struct pvd_err *e)
{
	struct door *d = (struct door *)self;
	sig_atomic_t was = *running;
	d->s->rj.at_line = 0;
	*running = d->index;
	int rc = pvd_sink_end(d->inner, e);
	*running = was;
	return door_blame(d, rc);
}

/* The stage's messages go where its own process's stderr would; its work
 * is its own from here. */

static void enter(const int *fds, const char *const *prog, int i)
{
	dup2(fds[i], 2);
	pvd_progname = prog[i];
	*running = i;
}

int pvd_fused_run(struct pvd_fused *f, const char *file, const int fds[PVD_FUSED_STAGES],
		  const char *const prog[PVD_FUSED_STAGES], int status[PVD_FUSED_STAGES])
{
	struct pvd_stage *st[PVD_FUSED_STAGES] = { &f->ingest.base, &f->clean.base, &f->join.base, &f->agg.base };
	struct pvd_err e[PVD_FUSED_STAGES] = { 0 };
	struct door door[PVD_FUSED_STAGES] = { 0 };
	struct pvd_out out;
	struct pvd_ndjson_sink nd;
	struct pvd_sink null;
	const char *saved_prog = pvd_progname;
	int saved_err = dup(2), failed = -1, rc = 0, i;
	static volatile sig_atomic_t nowhere;
	running = f->at ? f->at : &nowhere;

	/* 1. every stage loads, as each process would, and says what failed */
	for (i = 0; i < PVD_FUSED_STAGES; i++) {
		enter(fds, prog, i);
		if ((status[i] = pvd_stage_load(st[i], &e[i])))
			pvd_err_print(&e[i]);
	}
	int ok = 0, have_out = 0;
	/* 2-3. opened and started from the last: each feeds the next's door.
	 * Those that loaded start even when another did not, as their own
	 * processes would, and say what fails for them (pvd-clean reads its
	 * profile when it starts); no record flows then. */
	if (!status[3] && (rc = pvd_out_open(&out, "-", &e[3]))) {
		enter(fds, prog, 3);
		pvd_err_print(&e[3]);
		status[3] = rc;
	}
	if (!status[3])
		have_out = 1;
	{
		struct pvd_sink *next;
		pvd_null_sink_init(&null);
		next = &null;
		if (have_out) {
			pvd_ndjson_sink_init(&nd, &out);
			next = &nd.base;
		}
		for (i = PVD_FUSED_STAGES - 1; i >= 0; i--) {
			if (status[i]) { /* did not load */
				next = &null;
				continue;
			}
			enter(fds, prog, i);
			if ((status[i] = pvd_stage_open(st[i], next, &e[i]))) {
				/* the others still open, and say what fails for them */
				status[i] = pvd_stage_close(st[i], status[i], &e[i]);
				next = &null;
				continue;
			}
			if (i == 0)
				continue;
			door[i] = (struct door){ .base = { .put = door_put, .end = door_end }, .s = st[i],
						 .inner = st[i]->in, .failed = &failed, .index = i };
			/* a stage reading a pipe names it so in its report */
			pvd_stats_input(&st[i]->st, pvd_display_name("-"));
			st[i]->rj.at_file = pvd_display_name("-");
			next = &door[i].base;
		}
		for (i = 0; i < PVD_FUSED_STAGES && !status[i]; i++)
			;
		ok = i == PVD_FUSED_STAGES;
	}
	/* 4. the records: ingest's messages go to its stderr as they come */
	if (ok) {
		enter(fds, prog, 0);
		char *const files[] = { (char *)file, NULL };
		rc = pvd_stage_feed(st[0], files, 1, &e[0]);
		if (rc) {
			int k = failed < 0 ? 0 : failed;
			if (k)
				e[k] = e[0];
			status[k] = rc;
		}
	}
	/* 5. each stage finishes, or is dropped when another failed */
	for (i = 0; i < PVD_FUSED_STAGES; i++) {
		if (!st[i]->opened)
			continue;
		enter(fds, prog, i);
		if (ok && !rc) {
			status[i] = pvd_stage_close(st[i], 0, &e[i]);
		} else if (status[i]) {
			status[i] = pvd_stage_close(st[i], status[i], &e[i]);
		} else {
			/* another stage failed: this one's files are not needed */
			pvd_rejects_abort(&st[i]->rj);
			if (st[i]->ops->abort)
				st[i]->ops->abort(st[i]);
			st[i]->opened = 0;
		}
	}
	if (have_out) {
		enter(fds, prog, 3);
		struct pvd_err oe = { 0 };
		int orc = pvd_out_commit(&out, &oe);
		if (orc && f->agg.base.finished && !status[3]) {
			pvd_err_print(&oe);
			status[3] = orc;
		}
	}
	/* 6. */
	for (i = 0; i < PVD_FUSED_STAGES; i++) {
		enter(fds, prog, i);
		status[i] = pvd_stage_free(st[i], status[i]);
		pvd_buf_free(&door[i].big);
	}
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
	}
	pvd_progname = saved_prog;
	for (i = 0; i < PVD_FUSED_STAGES; i++)
		if (status[i])
			return status[i];
	return 0;
}
