#include "stats.h"
#include "output.h"
#include "progress.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>

void pvd_stats_init(struct pvd_stats *st, const char *unit)
{
	memset(st, 0, sizeof *st);
	st->unit = unit;
	pvd_progress_stats(st);
}

struct pvd_input_stats *pvd_stats_input(struct pvd_stats *st, const char *file)
{
	st->inputs = xgrow(st->inputs, &st->cap, st->ninputs + 1, sizeof *st->inputs);
	struct pvd_input_stats *is = &st->inputs[st->ninputs++];
	memset(is, 0, sizeof *is);
	is->file = xstrdup(file);
	return is;
}

static struct pvd_input_stats *cur(struct pvd_stats *st)
{
	return st->ninputs ? &st->inputs[st->ninputs - 1] : NULL;
}

void pvd_stats_in(struct pvd_stats *st)
{
	st->in++;
	if (cur(st))
		cur(st)->in++;
	if ((st->in & 1023) == 0)
		pvd_progress_tick();
}
void pvd_stats_out(struct pvd_stats *st) { st->out++; if (cur(st)) cur(st)->out++; }
void pvd_stats_rejected(struct pvd_stats *st) { st->rejected++; if (cur(st)) cur(st)->rejected++; }
void pvd_stats_skipped(struct pvd_stats *st) { st->skipped++; if (cur(st)) cur(st)->skipped++; }

int pvd_stats_finish(struct pvd_stats *st, const char *detail, int quiet, struct pvd_err *e)
{
	if (!quiet) {
		pvd_progress_clear();
		if (pvd_rejects_current())
			pvd_rejects_note_unshown(pvd_rejects_current());
		fprintf(stderr, "%s: read %llu %s: emitted %llu, rejected %llu", pvd_progname, st->in,
			st->unit, st->out, st->rejected);
		if (st->skipped || (detail && *detail))
			fprintf(stderr, ", skipped %llu%s%s", st->skipped, detail && *detail ? " " : "",
				detail ? detail : "");
		if (st->expanded)
			fprintf(stderr, " (%llu more from one-to-many matches)", st->expanded);
		fputc('\n', stderr);
	}
	if (st->in + st->expanded != st->out + st->rejected + st->skipped)
		return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0,
				   "internal error: counts do not reconcile (%llu in, %llu expanded, %llu out, %llu rejected, %llu skipped)",
				   st->in, st->expanded, st->out, st->rejected, st->skipped);
	return 0;
}

int pvd_stats_report(const struct pvd_stats *st, const struct pvd_rejects *rj, const char *stage,
		     const char *path, struct pvd_err *e)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "stage", json_string(stage));
	json_object_set_new(doc, "unit", json_string(st->unit));
	json_object_set_new(doc, "in", json_integer((json_int_t)st->in));
	json_object_set_new(doc, "out", json_integer((json_int_t)st->out));
	json_object_set_new(doc, "rejected", json_integer((json_int_t)st->rejected));
	json_object_set_new(doc, "skipped", json_integer((json_int_t)st->skipped));
	json_object_set_new(doc, "expanded", json_integer((json_int_t)st->expanded));
	json_t *ins = json_array();
	for (size_t i = 0; i < st->ninputs; i++) {
		const struct pvd_input_stats *is = &st->inputs[i];
		json_array_append_new(ins, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "file", is->file,
						     "bytes", (json_int_t)is->bytes, "in", (json_int_t)is->in,
						     "out", (json_int_t)is->out, "rejected", (json_int_t)is->rejected,
						     "skipped", (json_int_t)is->skipped));
	}
	json_object_set_new(doc, "inputs", ins);
	json_t *by = json_object();
	for (size_t i = 0; rj && i < rj->nreasons; i++)
		json_object_set_new(by, rj->by_reason[i].reason, json_integer((json_int_t)rj->by_reason[i].n));
	json_object_set_new(doc, "rejects_by_reason", by);
	if (st->extra)
		json_object_update(doc, st->extra);
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	size_t n = strlen(s);
	s = xrealloc(s, n + 2);
	s[n] = '\n';
	int rc = pvd_write_file_atomic(path, s, n + 1, e);
	free(s);
	return rc;
}

void pvd_stats_free(struct pvd_stats *st)
{
	pvd_progress_forget(st);
	for (size_t i = 0; i < st->ninputs; i++)
		free(st->inputs[i].file);
	free(st->inputs);
	if (st->extra)
		json_decref(st->extra);
	memset(st, 0, sizeof *st);
}
