#include "reject.h"
#include "progress.h"
#include "ndjson.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* The stream of this process, for the summary line (pvd_rejects_current). */
static struct pvd_rejects *current;

struct pvd_rejects *pvd_rejects_current(void)
{
	return current;
}

int pvd_rejects_open(struct pvd_rejects *rj, const char *stage, const char *path, int quiet,
		     struct pvd_err *e)
{
	memset(rj, 0, sizeof *rj);
	current = rj;
	rj->stage = stage;
	rj->quiet = quiet;
	if (path) {
		int rc = pvd_out_open(&rj->out, path, e);
		if (rc)
			return rc;
		rj->have_file = 1;
	}
	return 0;
}

unsigned long pvd_reject_max_messages = 20;

/* Counts one more of reason in a tally; returns how many so far. */
static unsigned long long tally(struct pvd_reason_count **t, size_t *n, size_t *cap, const char *reason)
{
	for (size_t i = 0; i < *n; i++)
		if ((*t)[i].reason == reason || strcmp((*t)[i].reason, reason) == 0)
			return ++(*t)[i].n;
	*t = xgrow(*t, cap, *n + 1, sizeof **t);
	(*t)[*n].reason = reason;
	(*t)[*n].n = 1;
	(*n)++;
	return 1;
}

/* Counts a reject; returns how many of its reason so far. */
static unsigned long long count(struct pvd_rejects *rj, const char *reason)
{
	return tally(&rj->by_reason, &rj->nreasons, &rj->cap, reason);
}

void pvd_rejects_note_unshown(struct pvd_rejects *rj)
{
	unsigned long max = pvd_reject_max_messages;
	if (rj->noted || !max)
		return;
	rj->noted = 1;
	pvd_progress_clear();
	/* Warnings the caller let through (quiet or not) were counted when shown. */
	for (size_t i = 0; i < rj->nwarnings; i++)
		if (rj->by_warning[i].n > max)
			fprintf(stderr, "%s: … and %llu more %s warnings (not shown)\n", pvd_progname,
				rj->by_warning[i].n - max, rj->by_warning[i].reason);
	for (size_t i = 0; i < rj->nreasons && !rj->quiet; i++)
		if (rj->by_reason[i].n > max)
			fprintf(stderr, "%s: … and %llu more %s rejects (%s)\n", pvd_progname,
				rj->by_reason[i].n - max, rj->by_reason[i].reason,
				rj->have_file ? "see --rejects" : "not shown: --rejects FILE keeps them all");
}

void pvd_rejects_warn(struct pvd_rejects *rj, const char *file, long line, const char *kind,
		      const char *fmt, ...)
{
	unsigned long long nth = tally(&rj->by_warning, &rj->nwarnings, &rj->wcap, kind);
	if (pvd_reject_max_messages && nth > pvd_reject_max_messages)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pvd_warn_at(file, line, "%s", msg);
}

/* qk: the key already quoted, with its comma and colon (",\"file\":") */
static void kv(struct pvd_buf *b, const char *qk, const char *v)
{
	pvd_buf_adds(b, qk);
	if (v)
		pvd_json_quote(b, v, strlen(v));
	else
		pvd_buf_add(b, "null", 4);
}

void pvd_reject(struct pvd_rejects *rj, const char *file, long line, const char *reason,
		const char *field, const char *value, const char *raw, const struct pvd_record *rec,
		const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {
		/* a message made by the caller: copied as vsnprintf would, cut alike */
		const char *m = va_arg(ap, const char *);
		if (!m)
			m = "(null)"; /* what glibc prints */
		size_t k = strlen(m);
		k = k < sizeof msg ? k : sizeof msg - 1;
		memcpy(msg, m, k);
		msg[k] = '\0';
	} else {
		vsnprintf(msg, sizeof msg, fmt, ap);
	}
	va_end(ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* A record typed by hand or reshaped by jq may have no provenance: name
	 * its place in the stream instead of an empty file and line 0. */
	if ((!file || !*file) && line <= 0 && rj->at_file) {
		file = rj->at_file;
		line = rj->at_line;
	}
	rj->n++;
	unsigned long long nth = count(rj, reason);
	if (!rj->quiet && (!pvd_reject_max_messages || nth <= pvd_reject_max_messages)) {
		pvd_progress_clear();
		const char *f = file && *file ? file : "<stdin>";
		if (field)
			fprintf(stderr, "%s: %s:%ld: %s: %s\n", pvd_progname, f, line, field, msg);
		else
			fprintf(stderr, "%s: %s:%ld: %s\n", pvd_progname, f, line, msg);
	}
	if (!rj->have_file)
		return;
	struct pvd_buf *b = &rj->out.b;
	pvd_buf_adds(b, "{\"stage\":");
	pvd_json_quote(b, rj->stage, strlen(rj->stage));
	kv(b, ",\"file\":", file);
	pvd_buf_adds(b, ",\"line\":");
	pvd_buf_add_ll(b, line); /* no printf: rejects can be many */
	kv(b, ",\"reason\":", reason);
	kv(b, ",\"field\":", field);
	kv(b, ",\"value\":", value);
	kv(b, ",\"message\":", msg);
	if (raw)
		kv(b, ",\"raw\":", raw);
	if (rec) {
		pvd_buf_adds(b, ",\"record\":");
		pvd_ndjson_write(b, rec);
		b->len--; /* the writer's newline */
	}
	pvd_buf_add(b, "}\n", 2);
	pvd_out_flush_some(&rj->out);
}

/* What closing and aborting share once the file is settled: the counts go,
 * and the set is no longer the one warnings are routed to. */
static void forget(struct pvd_rejects *rj)
{
	rj->have_file = 0;
	free(rj->by_reason);
	rj->by_reason = NULL;
	free(rj->by_warning);
	rj->by_warning = NULL;
	rj->nwarnings = 0;
	if (current == rj)
		current = NULL;
}

int pvd_rejects_close(struct pvd_rejects *rj, struct pvd_err *e)
{
	int rc = 0;
	pvd_rejects_note_unshown(rj);
	if (rj->have_file)
		rc = pvd_out_commit(&rj->out, e);
	forget(rj);
	return rc;
}

void pvd_rejects_abort(struct pvd_rejects *rj)
{
	pvd_rejects_note_unshown(rj);
	if (rj->have_file)
		pvd_out_abort(&rj->out);
	forget(rj);
}
