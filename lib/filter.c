#include "filter.h"
#include "cli.h"
#include "progress.h"
#include "stream.h"

int pvd_stage_load(struct pvd_stage *s, struct pvd_err *e)
{
	pvd_stats_init(&s->st, s->unit ? s->unit : "records");
	int rc = s->ops->load ? s->ops->load(s, e) : 0;
	const struct pvd_reflog *w = s->warnings;
	for (size_t i = 0; w && !s->quiet && i < w->n; i++) {
		if (w->w[i].field)
			pvd_warn_at(w->w[i].file, w->w[i].line, "%s: %s", w->w[i].field, w->w[i].msg);
		else
			pvd_warn_at(w->w[i].file, w->w[i].line, "%s", w->w[i].msg);
	}
	return rc;
}

int pvd_stage_open(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	int rc = pvd_rejects_open(&s->rj, s->name, s->rejects, s->quiet, e);
	if (rc)
		return rc;
	s->opened = 1;
	s->next = next;
	return s->ops->start(s, next, e);
}

int pvd_stage_feed(struct pvd_stage *s, char *const *files, int nfiles, struct pvd_err *e)
{
	int rc = s->ops->feed ? s->ops->feed(s, files, nfiles, e)
			      : pvd_stream_ndjson(files, nfiles, s->in, &s->rj, &s->st, e);
	if (!rc)
		rc = pvd_sink_end(s->in ? s->in : s->next, e);
	return rc;
}

static int finish(struct pvd_stage *s, struct pvd_err *e)
{
	int rc;
	if ((rc = s->ops->finish ? s->ops->finish(s, e) : 0) ||
	    (rc = pvd_stats_finish(&s->st, s->detail[0] ? s->detail : NULL, s->quiet, e)) ||
	    (s->report && (rc = pvd_stats_report(&s->st, &s->rj, s->name, s->report, e))) ||
	    (rc = pvd_rejects_close(&s->rj, e)) || (s->ops->commit && (rc = s->ops->commit(s, e))))
		return rc;
	return 0;
}

int pvd_stage_close(struct pvd_stage *s, int rc, struct pvd_err *e)
{
	int soft = rc == PVD_EX_DATA && s->strict;
	if (rc == 0 && s->strict && s->rj.n)
		rc = pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0, "stopped: a record was rejected (--strict)"), soft = 1;
	if (rc)
		pvd_err_print(e);
	if (s->opened && (!rc || soft)) {
		/* done, or stopped by --strict: the counts of what was read still
		 * reconcile, and the outputs are finished */
		struct pvd_err e2 = { 0 };
		int rc2 = finish(s, &e2);
		if (!rc2) {
			s->finished = 1;
			return rc;
		}
		/* what was not finished is dropped */
		pvd_err_print(&e2);
		*e = e2;
		rc = rc2;
	}
	if (s->opened) {
		pvd_rejects_abort(&s->rj);
		if (s->ops->abort)
			s->ops->abort(s);
		s->opened = 0;
	}
	return rc;
}

int pvd_stage_free(struct pvd_stage *s, int rc)
{
	if (s->ops->free)
		s->ops->free(s);
	rc = pvd_cli_finish(rc, &s->st);
	pvd_stats_free(&s->st);
	return rc;
}

int pvd_filter_run(struct pvd_stage *s, const char *output, char *const *files, int nfiles)
{
	struct pvd_err e = { 0 };
	struct pvd_out out;
	struct pvd_ndjson_sink nd;
	int rc = pvd_stage_load(s, &e);
	if (rc || (rc = pvd_out_open(&out, output, &e))) {
		pvd_err_print(&e);
		return pvd_stage_free(s, rc);
	}
	s->out = &out;
	if (out.path)
		pvd_progress_output_file();
	pvd_ndjson_sink_init(&nd, &out);
	rc = pvd_stage_open(s, &nd.base, &e);
	if (!rc)
		rc = pvd_stage_feed(s, files, nfiles, &e);
	rc = pvd_stage_close(s, rc, &e);
	if (s->finished) {
		struct pvd_err e2 = { 0 };
		int rc2 = pvd_out_commit(&out, &e2);
		if (rc2) {
			pvd_err_print(&e2);
			rc = rc2;
		}
	} else if (out.path) {
		pvd_out_abort(&out);
	} else {
		/* standard output is a stream: what was emitted goes out */
		pvd_out_commit(&out, &e);
	}
	return pvd_stage_free(s, rc);
}
