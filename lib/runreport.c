#include "runreport.h"
#include "textnorm.h"
#include "amount.h"
#include "money.h"
#include "ndjson.h"
#include "output.h"
#include "sha256.h"
#include "quality.h"
#include "xmem.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stages whose rejects are counted, in pipeline order. */
static const char *const stages[] = { "ingest", "clean", "join", "aggregate", "merge", "render", NULL };

#define MAX_MESSAGES 20

void pvd_runreport_init(struct pvd_runreport *r, const struct pvd_pipeline *p, const char *version)
{
	memset(r, 0, sizeof *r);
	r->p = p;
	r->version = version;
	r->sources = json_array();
	r->digests = json_array();
	for (size_t i = 0; i < p->nsources; i++) {
		json_array_append_new(r->sources, json_null()); /* filled in pipeline order */
		json_array_append_new(r->digests, json_null());
	}
	r->warnings = json_array();
	r->warning_sources = json_array();
	r->render = json_array();
	for (size_t i = 0; i < p->nformats; i++)
		json_array_append_new(r->render, json_null());
}

void pvd_runreport_free(struct pvd_runreport *r)
{
	json_decref(r->sources);
	json_decref(r->digests);
	json_decref(r->merge);
	json_decref(r->render);
	json_decref(r->warnings);
	json_decref(r->warning_sources);
	memset(r, 0, sizeof *r);
}

static unsigned long long num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (unsigned long long)json_integer_value(v) : 0;
}

/* The first lines a stage wrote on stderr (its summary, warnings). */
static json_t *messages(const char *text)
{
	json_t *a = json_array();
	size_t n = 0;
	for (const char *p = text ? text : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (++n <= MAX_MESSAGES)
			json_array_append_new(a, json_stringn(p, len));
		p += len + (nl != NULL);
	}
	if (n > MAX_MESSAGES) {
		char more[64];
		snprintf(more, sizeof more, "(%zu more lines)", n - MAX_MESSAGES);
		json_array_append_new(a, json_string(more));
	}
	return a;
}

/* Non-blank lines of a file (records of an NDJSON file). */
static unsigned long long count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned long long n = 0;
	int c, blank = 1;
	while ((c = getc(f)) != EOF) {
		if (c == '\n') {
			n += !blank;
			blank = 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			blank = 0;
		}
	}
	n += !blank;
	fclose(f);
	return n;
}

/* A stage's rejects file is kept when it holds something: an empty one is
 * removed (out/QUARTER/rejects/ lists only what was rejected), and the
 * report then names no file. */
static int keep_rejects(const char *plan_path, const char *work, const char *new)
{
	char *path = pvd_plan_path(plan_path, work, new);
	struct stat sb;
	int keep = lstat(path, &sb) == 0 && (!S_ISREG(sb.st_mode) || sb.st_size > 0 || unlink(path) != 0);
	free(path);
	return keep;
}

/* A stage's entry of the run report, from its --report file. */
static int stage_entry(const struct pvd_cmd *c, const char *msgs, const char *work, const char *new,
		       const char *where, json_t **out, struct pvd_err *e)
{
	char *path = pvd_plan_path(c->report, work, new);
	json_error_t je;
	struct stat sb;
	int there = stat(path, &sb) == 0;
	json_t *rep = there ? json_load_file(path, 0, &je) : NULL;
	int rc = 0;
	if (!rep || !json_is_object(rep) || !json_is_integer(json_object_get(rep, "in")) ||
	    !json_is_integer(json_object_get(rep, "out")) || !json_is_integer(json_object_get(rep, "rejected"))) {
		if (!there)
			rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "%s: stage %s (%s) exited 0 but wrote no report",
					 where, c->stage, c->prog);
		else
			rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "%s: stage %s (%s) wrote an unusable report: %s",
					 where, c->stage, c->prog,
					 rep ? "no in/out/rejected counts" : je.text);
		json_decref(rep);
		free(path);
		return rc;
	}
	json_t *unit = json_object_get(rep, "unit");
	json_t *s = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "stage", c->stage, "program", c->prog,
			      "unit", json_is_string(unit) ? json_string_value(unit) : "records", "in",
			      (json_int_t)num(rep, "in"), "out", (json_int_t)num(rep, "out"), "rejected",
			      (json_int_t)num(rep, "rejected"), "skipped", (json_int_t)num(rep, "skipped"),
			      "expanded", (json_int_t)num(rep, "expanded"));
	json_t *by = json_object_get(rep, "rejects_by_reason");
	json_object_set(s, "rejects_by_reason", json_is_object(by) ? by : json_object());
	if (!json_is_object(by))
		json_decref(json_object_get(s, "rejects_by_reason"));
	if (c->rejects && keep_rejects(c->rejects, work, new))
		json_object_set_new(s, "rejects", json_string(c->rejects + 1)); /* relative to the output */
	json_object_set_new(s, "messages", messages(msgs));
	/* What only the run report needs, kept aside (not written): */
	json_object_set(s, "_report", rep);
	json_decref(rep);
	free(path);

	unsigned long long in = num(s, "in"), ex = num(s, "expanded"), o = num(s, "out"), rj = num(s, "rejected"),
			   sk = num(s, "skipped");
	if (in + ex != o + rj + sk)
		rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0,
				 "%s: counts of stage %s (%s) do not reconcile: %llu in + %llu expanded != %llu out + %llu rejected + %llu skipped",
				 where, c->stage, c->prog, in, ex, o, rj, sk);
	*out = s;
	return rc;
}

static void summary_step(struct pvd_buf *line, const json_t *s)
{
	if (line->len)
		pvd_buf_adds(line, ", ");
	pvd_buf_printf(line, "%s %llu → %llu", json_string_value(json_object_get(s, "stage")), num(s, "in"),
		       num(s, "out"));
	if (num(s, "rejected"))
		pvd_buf_printf(line, " (%llu rejected)", num(s, "rejected"));
}

/* The sums of the cleaned records: pvd-clean's "sums" when it gives them as
 * exact text.  Returns a new object field → "cents text", or NULL. */
static json_t *cleaned_sums(const json_t *clean_report, const char **from)
{
	json_t *cs = json_object_get(clean_report, "sums");
	if (json_is_object(cs)) {
		json_t *out = json_object();
		const char *k;
		json_t *v;
		int exact = 1;
		json_object_foreach(cs, k, v) {
			if (json_is_string(v))
				json_object_set(out, k, v);
			else
				exact = 0; /* a JSON real went through a double: not used */
		}
		if (exact) {
			*from = "pvd-clean";
			return out;
		}
		json_decref(out);
	}
	return NULL;
}

static int cents_text(const char *s, int64_t *c)
{
	return pvd_cents_parse(s, strlen(s), c);
}

/* A sous-total covers only the rows above it, back to the previous one. */
static int is_subtotal(const char *label)
{
	struct pvd_buf b = { 0 };
	pvd_fold(label ? label : "", label ? strlen(label) : 0, 0, &b);
	int sub = !strncmp(pvd_buf_str(&b), "sous", 4);
	pvd_buf_free(&b);
	return sub;
}

/* Compares the TOTAL rows of ingest's report with the sums of the source's
 * records.  Sous-total rows are not compared with the whole source: their
 * sum, per field, is compared with the grand total instead. */
static json_t *check_totals(struct pvd_runreport *r, const char *src, const json_t *ingest_report,
			    const json_t *sums, const char *from)
{
	json_t *checks = json_array();
	json_t *totals = json_object_get(ingest_report, "totals");
	json_t *subsums = json_object(); /* field -> sum of its sous-totals, in cents (as text) */
	size_t i;
	json_t *t;
	json_array_foreach(totals, i, t) {
		json_t *fields = json_object_get(t, "fields");
		const char *label = json_string_value(json_object_get(t, "label"));
		long long line = json_integer_value(json_object_get(t, "line"));
		int sub = is_subtotal(label);
		const char *k;
		json_t *v;
		json_object_foreach(fields, k, v) {
			const char *declared = json_string_value(v);
			if (!declared)
				continue;
			int64_t dc, sc;
			int rounded = 0;
			if (pvd_amount_parse(declared, strlen(declared), PVD_DEC_AUTO, &dc, &rounded) != PVD_AMT_OK)
				continue; /* a label or other text cell of the row */
			json_t *c = json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)line, "label",
					      label ? label : "", "field", k, "declared", declared);
			const char *sum = json_string_value(json_object_get(sums, k));
			struct pvd_buf b = { 0 };
			pvd_cents_format(dc, &b);
			json_object_set_new(c, "declared_amount", json_string(b.p));
			pvd_buf_reset(&b);
			if (sub) {
				json_int_t acc = json_integer_value(json_object_get(subsums, k));
				json_int_t nacc;
				if (__builtin_add_overflow(acc, (json_int_t)dc, &nacc))
					nacc = acc;
				json_object_set_new(subsums, k, json_integer(nacc));
				json_object_set_new(c, "sum", json_null());
				json_object_set_new(c, "difference", json_null());
				json_object_set_new(c, "status", json_string("sous-total"));
			} else if (json_object_get(subsums, k)) {
				/* A grand total below sous-totals: they must add up to it. */
				int64_t parts = (int64_t)json_integer_value(json_object_get(subsums, k));
				if (parts != dc) {
					struct pvd_buf w = { 0 }, pb = { 0 };
					pvd_cents_format(parts, &pb);
					pvd_buf_printf(&w, "source %s: %s row at line %lld: %s declared %s, its sous-totals add up to %s",
						       src, label ? label : "total", line, k, declared, pb.p);
					json_array_append_new(r->warnings, json_string(w.p));
					json_object_set_new(c, "sous_totals", json_string(pb.p));
					pvd_buf_free(&w);
					pvd_buf_free(&pb);
				}
			}
			if (sub) {
			} else if (!sum || cents_text(sum, &sc) != 0) {
				json_object_set_new(c, "sum", json_null());
				json_object_set_new(c, "difference", json_null());
				json_object_set_new(c, "status", json_string("no-values"));
			} else {
				int64_t diff = 0;
				int over = __builtin_sub_overflow(sc, dc, &diff);
				json_object_set_new(c, "sum", json_string(sum));
				if (!over)
					pvd_cents_format(diff, &b);
				json_object_set_new(c, "difference", over ? json_null() : json_string(b.p));
				json_object_set_new(c, "status", json_string(!over && diff == 0 ? "agree" : "differ"));
				if (over || diff != 0) {
					struct pvd_buf w = { 0 };
					pvd_buf_printf(&w, "source %s: %s row at line %lld: %s declared %s, the records sum to %s (difference %s)",
						       src, label ? label : "total", line, k, declared, sum,
						       over ? "too large" : b.p);
					json_array_append_new(r->warnings, json_string(w.p));
					pvd_buf_free(&w);
				}
			}
			json_object_set_new(c, "sums_from", json_string(from));
			pvd_buf_free(&b);
			json_array_append_new(checks, c);
		}
	}
	json_decref(subsums);
	return checks;
}

/* A share in hundredths of a percent as text: "5%", "0.5%", "12.25%". */
static void share_text(struct pvd_buf *b, unsigned long long bp)
{
	pvd_buf_printf(b, "%llu", bp / 100);
	if (bp % 100)
		pvd_buf_printf(b, ".%02llu", bp % 100);
	if (bp % 100 && bp % 10 == 0)
		b->p[--b->len] = '\0';
	pvd_buf_addc(b, '%');
}

/* The reasons a stage rejected most, "unknown-dataset 120, type-error 3". */
static void top_reasons(struct pvd_buf *b, const json_t *stage)
{
	const json_t *by = json_object_get(stage, "rejects_by_reason");
	const char *k, *best[2] = { NULL, NULL };
	json_t *v;
	json_object_foreach((json_t *)by, k, v) {
		if (!best[0] || json_integer_value(v) > json_integer_value(json_object_get(by, best[0]))) {
			best[1] = best[0];
			best[0] = k;
		} else if (!best[1] || json_integer_value(v) > json_integer_value(json_object_get(by, best[1]))) {
			best[1] = k;
		}
	}
	for (int i = 0; i < 2 && best[i]; i++)
		pvd_buf_printf(b, "%s%s %lld", i ? ", " : "", best[i], (long long)json_integer_value(json_object_get(by, best[i])));
}

/* Loud failure instead of quiet emptiness: a stage that received records
 * and emitted none fails the source; so does a share of rejected records
 * above fail_rejected; above max_rejected it is a warning. */
static int loud(struct pvd_runreport *r, const struct pvd_psource *src, json_t *obj, const json_t *stages,
		struct pvd_err *e)
{
	size_t i;
	json_t *s;
	unsigned long long rejected = 0, records = 0;
	json_array_foreach(stages, i, s) {
		unsigned long long got = num(s, "in") + num(s, "expanded"), skipped = num(s, "skipped");
		got = got > skipped ? got - skipped : 0;
		if (i == 0)
			records = got;
		rejected += num(s, "rejected");
		if (got && !num(s, "out")) {
			struct pvd_buf b = { 0 };
			top_reasons(&b, s);
			int rc = pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0,
					     "source %s: stage %s (%s) received %llu record%s and emitted none: %llu rejected%s%s%s",
					     src->name, json_string_value(json_object_get(s, "stage")),
					     json_string_value(json_object_get(s, "program")), got, got > 1 ? "s" : "",
					     num(s, "rejected"), b.len ? " (" : "", pvd_buf_str(&b), b.len ? ")" : "");
			pvd_buf_free(&b);
			return rc;
		}
	}
	json_object_set_new(obj, "records", json_integer((json_int_t)records));
	json_object_set_new(obj, "rejected", json_integer((json_int_t)rejected));
	if (!records)
		return 0;
	struct pvd_buf pct = { 0 }, lim = { 0 };
	share_text(&pct, rejected * 10000 / records);
	int over_fail = src->fail_rejected >= 0 && rejected * 10000 > (unsigned long long)src->fail_rejected * records;
	int over_max = rejected * 10000 > (unsigned long long)src->max_rejected * records;
	share_text(&lim, (unsigned long long)src->max_rejected);
	json_object_set_new(obj, "max_rejected", json_string(lim.p));
	if (src->fail_rejected >= 0) {
		pvd_buf_reset(&lim);
		share_text(&lim, (unsigned long long)src->fail_rejected);
		json_object_set_new(obj, "fail_rejected", json_string(lim.p));
		if (!over_fail) {
			pvd_buf_reset(&lim);
			share_text(&lim, (unsigned long long)src->max_rejected);
		}
	}
	int rc = 0;
	if (over_fail) {
		rc = pvd_err_set(e, PVD_EX_DATA, NULL, 0, 0,
				 "source %s: %llu of %llu records rejected (%s), more than its fail_rejected %s",
				 src->name, rejected, records, pct.p, lim.p);
	} else if (over_max) {
		struct pvd_buf w = { 0 };
		pvd_buf_printf(&w, "source %s: %llu of %llu records rejected (%s), more than its max_rejected %s",
			       src->name, rejected, records, pct.p, lim.p);
		json_array_append_new(r->warnings, json_string(w.p));
		pvd_buf_free(&w);
	}
	pvd_buf_free(&pct);
	pvd_buf_free(&lim);
	return rc;
}

/* The warnings r->warnings[w0..] of source k moved among the others in
 * the pipeline's order of sources, whatever order the sources finished in. */
static void order_warnings(struct pvd_runreport *r, size_t w0, int k)
{
	size_t n = json_array_size(r->warnings), at = 0;
	while (at < w0 && json_integer_value(json_array_get(r->warning_sources, at)) <= k)
		at++;
	for (size_t i = w0; i < n; i++, at++) {
		json_t *w = json_incref(json_array_get(r->warnings, i));
		json_array_remove(r->warnings, i);
		json_array_insert_new(r->warnings, at, w);
		json_array_insert_new(r->warning_sources, at, json_integer(k));
	}
}

int pvd_runreport_source(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			 const char *work, const char *new, struct pvd_buf *line, struct pvd_err *e)
{
	const struct pvd_psource *src = &r->p->sources[j->source];
	size_t w0 = json_array_size(r->warnings);
	char where[300];
	snprintf(where, sizeof where, "source %s", src->name);
	json_t *obj = json_pack("{s:s, s:s, s:s, s:[]}", "name", src->name, "profile", src->profile, "file",
				src->file, "stages");
	json_t *arr = json_object_get(obj, "stages");
	json_t *prev = NULL, *ingest = NULL, *clean = NULL;
	int rc = 0;
	for (size_t i = 0; i < j->ncmds && !rc; i++) {
		const struct pvd_cmd *c = &j->cmds[i];
		if (!c->report)
			continue;
		json_t *s = NULL;
		rc = stage_entry(c, msgs ? msgs[i] : NULL, work, new, where, &s, e);
		if (!s)
			break;
		json_array_append_new(arr, s);
		if (!rc && prev && num(prev, "out") != num(s, "in"))
			rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0,
					 "%s: counts do not reconcile: %s emitted %llu, %s read %llu", where,
					 json_string_value(json_object_get(prev, "stage")), num(prev, "out"), c->stage,
					 num(s, "in"));
		if (strcmp(c->stage, "ingest") == 0)
			ingest = s;
		if (strcmp(c->stage, "clean") == 0)
			clean = s;
		if (strcmp(c->stage, "aggregate") == 0)
			r->aggregated += num(s, "in"); /* the records its state stands for */
		prev = s;
		if (line && !rc)
			summary_step(line, s);
	}
	char *state = pvd_plan_path(j->out, work, new);
	json_object_set_new(obj, "state_lines", json_integer((json_int_t)count_lines(state)));
	free(state);
	if (!rc && ingest && clean) {
		const char *from = NULL;
		json_t *sums = cleaned_sums(json_object_get(clean, "_report"), &from);
		json_object_set_new(obj, "totals", check_totals(r, src->name, json_object_get(ingest, "_report"), sums,
								from ? from : "none"));
		json_decref(sums);
	}
	json_object_set_new(obj, "reconciled", json_boolean(rc == 0));
	if (!rc)
		rc = loud(r, src, obj, arr, e);
	order_warnings(r, w0, j->source);
	json_array_set_new(r->sources, (size_t)j->source, obj);
	return rc;
}

int pvd_runreport_merge(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			const char *work, const char *new, struct pvd_buf *line, struct pvd_err *e)
{
	json_t *s = NULL;
	int rc = stage_entry(&j->cmds[0], msgs ? msgs[0] : NULL, work, new, "merge", &s, e);
	if (!s)
		return rc;
	json_decref(r->merge);
	r->merge = s;
	if (!rc && num(s, "in") != r->aggregated)
		rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0,
				 "merge: counts do not reconcile: the sources' states stand for %llu records, merge read %llu",
				 r->aggregated, num(s, "in"));
	if (line && !rc)
		summary_step(line, s);
	return rc;
}

int pvd_runreport_render(struct pvd_runreport *r, const struct pvd_job *j, const char *const *msgs,
			 const char *indicators, const char *work, const char *new, struct pvd_buf *line,
			 struct pvd_err *e)
{
	const struct pvd_cmd *c = &j->cmds[0];
	json_t *s = NULL;
	int rc = c->report ? stage_entry(c, msgs ? msgs[0] : NULL, work, new, j->label, &s, e) : 0;
	if (s) {
		/* in the order of the pipeline's formats, whatever order they finished in */
		const char *fmt = strchr(j->label, ' ') ? strchr(j->label, ' ') + 1 : j->label;
		size_t k = 0;
		while (k < r->p->nformats && strcmp(r->p->formats[k], fmt) != 0)
			k++;
		json_object_set_new(s, "format", json_string(fmt));
		if (k < json_array_size(r->render))
			json_array_set_new(r->render, k, s);
		else
			json_array_append_new(r->render, s);
	}
	if (rc)
		return rc;
	char *in = pvd_plan_path(indicators, work, new);
	unsigned long long lines = count_lines(in);
	free(in);
	if (s && num(s, "in") != lines)
		return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0,
				   "%s: counts do not reconcile: merge wrote %llu indicator records, %s read %llu",
				   j->label, lines, c->prog, num(s, "in"));
	char *out = pvd_plan_path(j->product, work, new);
	struct stat sb;
	int there = stat(out, &sb) == 0 && S_ISREG(sb.st_mode);
	free(out);
	if (!there)
		return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "%s: stage render (%s) exited 0 but wrote no %s",
				   j->label, c->prog, j->product + 1);
	if (line) {
		if (s)
			summary_step(line, s);
		pvd_buf_printf(line, "%s%s", s ? ": " : "", j->product + 1);
	}
	return 0;
}

static json_t *stage_of(const json_t *src, const char *stage)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(src, "stages"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "stage")), stage) == 0)
			return s;
	return NULL;
}

static unsigned long long rejected_at(const struct pvd_runreport *r, const char *stage)
{
	unsigned long long n = 0;
	if (strcmp(stage, "merge") == 0)
		return num(r->merge, "rejected");
	size_t i;
	json_t *src;
	if (strcmp(stage, "render") == 0) {
		json_array_foreach(r->render, i, src)
			n += num(src, "rejected");
		return n;
	}
	json_array_foreach(r->sources, i, src)
		n += num(stage_of(src, stage), "rejected");
	return n;
}

/* Rejects per stage; before rendering (provenance), the stages up to merge. */
static json_t *rejects_by_stage(const struct pvd_runreport *r, int with_render)
{
	json_t *o = json_object();
	unsigned long long total = 0;
	for (const char *const *s = stages; *s; s++) {
		if (!with_render && strcmp(*s, "render") == 0)
			continue;
		unsigned long long n = rejected_at(r, *s);
		json_object_set_new(o, *s, json_integer((json_int_t)n));
		total += n;
	}
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	return o;
}

unsigned long long pvd_runreport_rejected(const struct pvd_runreport *r)
{
	unsigned long long t = 0;
	for (const char *const *s = stages; *s; s++)
		t += rejected_at(r, *s);
	return t;
}

unsigned long long pvd_runreport_rows(const struct pvd_runreport *r)
{
	unsigned long long n = 0;
	size_t i;
	json_t *src;
	json_array_foreach(r->sources, i, src)
		n += num(stage_of(src, "ingest"), "in");
	return n;
}

/* {"path","sha256","bytes"} of one file. */
static int file_entry(const char *path, json_t **out, struct pvd_err *e)
{
	char hex[65];
	unsigned long long bytes = 0;
	int rc = pvd_sha256_file(path, hex, &bytes, e);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:s, s:I}", "path", path, "sha256", hex, "bytes", (json_int_t)bytes);
	return 0;
}

static int dir_entries(const char *dir, json_t *arr, struct pvd_err *e)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return pvd_err_set(e, PVD_EX_NOINPUT, dir, 0, 0, "cannot read directory: %s", strerror(errno));
	int rc = 0;
	for (int i = 0; i < n; i++) {
		struct pvd_buf p = { 0 };
		struct stat sb;
		pvd_buf_printf(&p, "%s/%s", dir, names[i]->d_name);
		json_t *f = NULL;
		if (!rc && names[i]->d_name[0] != '.' && stat(p.p, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (rc = file_entry(p.p, &f, e)) == 0)
			json_array_append_new(arr, f);
		pvd_buf_free(&p);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int write_json(const char *path, json_t *doc, struct pvd_err *e)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	struct pvd_buf b = { 0 };
	pvd_buf_adds(&b, s);
	pvd_buf_addc(&b, '\n');
	free(s);
	int rc = pvd_write_file_atomic(path, b.p, b.len, e);
	pvd_buf_free(&b);
	return rc;
}

int pvd_runreport_provenance(const struct pvd_runreport *r, const char *path, struct pvd_err *e)
{
	const struct pvd_pipeline *p = r->p;
	json_t *doc = json_object(), *f = NULL;
	int rc = 0;
	json_object_set_new(doc, "program", json_string("pvd-run"));
	json_object_set_new(doc, "version", json_string(r->version));
	json_object_set_new(doc, "period", json_string(p->period));
	if ((rc = file_entry(p->file, &f, e)))
		goto out;
	json_object_set_new(doc, "pipeline", f);

	json_t *inputs = json_array();
	json_object_set_new(doc, "inputs", inputs);
	size_t i;
	json_t *src;
	json_array_foreach(r->sources, i, src) {
		const struct pvd_psource *s = &p->sources[i];
		const json_t *d = json_array_get(r->digests, i);
		if (!json_is_object(src))
			continue;
		if (json_is_object(d))
			f = json_pack("{s:s, s:O, s:O}", "path", s->file, "sha256", json_object_get(d, "sha256"),
				      "bytes", json_object_get(d, "bytes"));
		else if ((rc = file_entry(s->file, &f, e)))
			goto out;
		json_t *ing = stage_of(src, "ingest");
		json_object_set_new(f, "source", json_string(s->name));
		json_object_set_new(f, "profile", json_string(s->profile));
		json_object_set_new(f, "rows", json_integer((json_int_t)num(ing, "in")));
		json_object_set_new(f, "records", json_integer((json_int_t)num(ing, "out")));
		json_t *rj = json_object();
		for (const char *const *st = stages; *st && strcmp(*st, "merge") != 0; st++)
			json_object_set_new(rj, *st, json_integer((json_int_t)num(stage_of(src, *st), "rejected")));
		json_object_set_new(f, "rejected", rj);
		json_array_append_new(inputs, f);
	}

	json_t *refs = json_array();
	json_object_set_new(doc, "references", refs);
	for (size_t k = 0; k < p->nrefs; k++) {
		json_t *files = json_array();
		struct stat sb;
		json_array_append_new(refs, json_pack("{s:s, s:s, s:o}", "name", p->refs[k].name, "value",
						      p->refs[k].value, "files", files));
		if (stat(p->refs[k].path, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = dir_entries(p->refs[k].path, files, e);
		else if ((rc = file_entry(p->refs[k].path, &f, e)) == 0)
			json_array_append_new(files, f);
		if (rc)
			goto out;
	}
	if ((rc = file_entry(p->indicators, &f, e)))
		goto out;
	json_object_set_new(doc, "indicators", f);
	if (p->previous) {
		if ((rc = file_entry(p->previous, &f, e)))
			goto out;
		json_object_set_new(doc, "previous", f);
	} else {
		json_object_set_new(doc, "previous", json_null());
	}
	json_object_set_new(doc, "rejects", rejects_by_stage(r, 0));
	rc = write_json(path, doc, e);
out:
	json_decref(doc);
	return rc;
}

/* The source objects without the kept stage reports. */
/* ---- times (pvd_runreport_time) ---- */

static json_t *time_obj(unsigned long long wall, unsigned long long cpu, unsigned long long rss)
{
	return json_pack("{s:I, s:I, s:I}", "wall_ms", (json_int_t)wall, "cpu_ms", (json_int_t)cpu, "max_rss_kib",
			 (json_int_t)rss);
}

void pvd_runreport_digest(struct pvd_runreport *r, const struct pvd_job *j, const char *sha256,
			  unsigned long long bytes)
{
	if (j->source >= 0)
		json_array_set_new(r->digests, (size_t)j->source,
				   json_pack("{s:s, s:I}", "sha256", sha256, "bytes", (json_int_t)bytes));
}

void pvd_runreport_time(struct pvd_runreport *r, const struct pvd_job *j, const struct pvd_runtime *t)
{
	json_t *o = NULL, *s;
	size_t k;
	if (j->source >= 0) {
		o = json_array_get(r->sources, (size_t)j->source);
	} else if (j->product) {
		const char *fmt = strchr(j->label, ' ') ? strchr(j->label, ' ') + 1 : j->label;
		json_array_foreach(r->render, k, s)
			if (json_is_object(s) && strcmp(fmt, json_string_value(json_object_get(s, "format"))) == 0)
				o = s;
	} else {
		o = r->merge;
	}
	if (!json_is_object(o))
		return;
	json_object_set_new(o, "time", time_obj(t->wall_ms, t->cpu_ms, t->max_rss_kib));
	json_t *stages = json_object_get(o, "stages");
	for (size_t i = 0; t->stage_cpu_ms && json_is_array(stages) && i < j->ncmds; i++) {
		json_array_foreach(stages, k, s)
			if (strcmp(json_string_value(json_object_get(s, "stage")), j->cmds[i].stage) == 0) {
				json_t *to = time_obj(t->stage_wall_ms[i], t->stage_cpu_ms[i], t->stage_rss_kib[i]);
				json_object_set_new(to, "sampled", json_boolean(t->sampled));
				json_object_set_new(s, "time", to);
			}
	}
}

/* The times of run-report.txt: one line per job, a source's stages
 * indented under it (their columns aligned with the jobs'). */
static void txt_time(struct pvd_buf *b, const char *label, int indent, int width, const json_t *o)
{
	const json_t *t = json_object_get(o, "time");
	if (!json_is_object(t))
		return;
	pvd_buf_printf(b, "  %*s%-*s wall %.2f s, CPU %.2f s, peak RSS %llu KiB\n", indent, "", width - indent,
		       label, (double)num(t, "wall_ms") / 1000, (double)num(t, "cpu_ms") / 1000,
		       num(t, "max_rss_kib"));
}

/* The label column as wide as the table's source column (at least 16). */
static void txt_times(struct pvd_buf *b, const struct pvd_runreport *r, int width)
{
	size_t i;
	json_t *o;
	if (width < 16)
		width = 16;
	pvd_buf_adds(b, "\ntimes (wall, CPU user+system, peak RSS of the largest process; a source's\n"
			"stages under it, sampled when they share one process):\n");
	json_array_foreach(r->sources, i, o) {
		size_t k;
		json_t *st;
		txt_time(b, json_string_value(json_object_get(o, "name")), 0, width, o);
		json_array_foreach(json_object_get(o, "stages"), k, st)
			txt_time(b, json_string_value(json_object_get(st, "stage")), 2, width, st);
	}
	txt_time(b, "(merge)", 0, width, r->merge);
	json_array_foreach(r->render, i, o)
		txt_time(b, json_string_value(json_object_get(o, "format")), 0, width, o);
}

static json_t *public_sources(const struct pvd_runreport *r)
{
	json_t *out = json_deep_copy(r->sources);
	size_t i, k;
	json_t *src, *s;
	json_array_foreach(out, i, src)
		json_array_foreach(json_object_get(src, "stages"), k, s)
			json_object_del(s, "_report");
	for (i = json_array_size(out); i-- > 0;)
		if (!json_is_object(json_array_get(out, i)))
			json_array_remove(out, i);
	return out;
}

/* run-report.txt's table: the first column as wide as its longest name
 * (at least as wide as before, so that short names read as they did). */
struct txt_cols {
	int src, stage, unit;
};

/* Characters of UTF-8 text (continuation bytes do not count). */
static size_t txt_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void txt_width(int *w, const char *s)
{
	int n = s ? (int)txt_len(s) : 0;
	if (n > *w)
		*w = n;
}

static struct txt_cols txt_widths(const struct pvd_runreport *r)
{
	struct txt_cols w = { 16, 10, 8 };
	size_t i, k;
	json_t *src, *s;
	json_array_foreach(r->sources, i, src)
		json_array_foreach(json_object_get(src, "stages"), k, s) {
			txt_width(&w.src, json_string_value(json_object_get(src, "name")));
			txt_width(&w.stage, json_string_value(json_object_get(s, "stage")));
			txt_width(&w.unit, json_string_value(json_object_get(s, "unit")));
		}
	json_array_foreach(r->render, i, s)
		txt_width(&w.src, json_string_value(json_object_get(s, "format")));
	return w;
}

/* A left-aligned cell padded to w columns (characters, not bytes). */
static void txt_cell(struct pvd_buf *b, const char *s, int w)
{
	s = s ? s : "";
	pvd_buf_adds(b, s);
	for (int n = (int)txt_len(s); n < w; n++)
		pvd_buf_addc(b, ' ');
	pvd_buf_addc(b, ' ');
}

static void txt_row(struct pvd_buf *b, const struct txt_cols *w, const char *src, const json_t *s)
{
	txt_cell(b, src, w->src);
	txt_cell(b, json_string_value(json_object_get(s, "stage")), w->stage);
	txt_cell(b, json_string_value(json_object_get(s, "unit")), w->unit);
	pvd_buf_printf(b, "%10llu %10llu %9llu %8llu\n", num(s, "in"), num(s, "out"), num(s, "rejected"), num(s, "skipped"));
}

/* The data-quality facts (quality.h), from the sources as the run knows
 * them; the layout file's quality: factor. */
static int quality_facts(const struct pvd_runreport *r, const char *dir, json_t *doc, struct pvd_err *e)
{
	const struct pvd_pipeline *p = r->p;
	int factor = PVD_QUALITY_FACTOR, rc = 0;
	if (p->config) {
		char *dash = pvd_path_resolve(p->config, "dashboard.yaml");
		rc = pvd_quality_factor(dash, &factor, e);
		free(dash);
	}
	if (rc)
		return rc;
	struct pvd_quality_in in = { dir, p->period, r->sources, p->previous, factor };
	json_object_set_new(doc, "quality", pvd_quality_model(&in));
	return 0;
}

/* What the run leaves in its output directory, beside the rejects. */
static json_t *outputs(const struct pvd_pipeline *p, const char *dir)
{
	json_t *outs = json_array();
	json_array_append_new(outs, json_string("indicators.ndjson"));
	for (size_t i = 0; i < p->nformats; i++) {
		char name[64];
		snprintf(name, sizeof name, "indicators.%s", p->formats[i]);
		json_array_append_new(outs, json_string(name));
	}
	json_array_append_new(outs, json_string("provenance.json"));
	struct pvd_buf path = { 0 };
	struct stat sb;
	pvd_buf_printf(&path, "%s/lineage.ndjson", dir);
	if (stat(path.p, &sb) == 0 && S_ISREG(sb.st_mode))
		json_array_append_new(outs, json_string("lineage.ndjson"));
	pvd_buf_free(&path);
	/* written from this report, right after it (runner.c): a run that
	 * cannot write it fails, and leaves no output directory */
	json_array_append_new(outs, json_string("quality.html"));
	json_array_append_new(outs, json_string("run-report.json"));
	json_array_append_new(outs, json_string("run-report.txt"));
	return outs;
}

int pvd_runreport_write(const struct pvd_runreport *r, const char *dir, struct pvd_err *e)
{
	const struct pvd_pipeline *p = r->p;
	json_t *doc = json_object();
	json_object_set_new(doc, "pipeline", json_string(p->file));
	json_object_set_new(doc, "period", json_string(p->period));
	json_object_set_new(doc, "program", json_string("pvd-run"));
	json_object_set_new(doc, "version", json_string(r->version));
	json_object_set_new(doc, "output", json_string(p->output));
	json_object_set_new(doc, "reconciled", json_true());
	json_object_set_new(doc, "sources", public_sources(r));
	json_t *m = json_deep_copy(r->merge);
	json_object_del(m, "_report");
	json_object_set_new(doc, "merge", m ? m : json_null());
	json_t *rd = json_deep_copy(r->render);
	size_t ri;
	json_t *rs;
	json_array_foreach(rd, ri, rs)
		json_object_del(rs, "_report");
	for (ri = json_array_size(rd); ri-- > 0;)
		if (!json_is_object(json_array_get(rd, ri)))
			json_array_remove(rd, ri);
	json_object_set_new(doc, "render", rd);
	json_object_set_new(doc, "outputs", outputs(p, dir));
	json_object_set_new(doc, "rejected", rejects_by_stage(r, 1));
	json_object_set(doc, "warnings", r->warnings);
	int rc = quality_facts(r, dir, doc, e);
	if (rc) {
		json_decref(doc);
		return rc;
	}

	struct pvd_buf path = { 0 };
	pvd_buf_printf(&path, "%s/run-report.json", dir);
	rc = write_json(path.p, doc, e);

	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "pvd-run %s: period %s, %zu source%s, counts reconciled\n\n", p->file, p->period,
		       p->nsources, p->nsources > 1 ? "s" : "");
	struct txt_cols w = txt_widths(r);
	txt_cell(&b, "source", w.src);
	txt_cell(&b, "stage", w.stage);
	txt_cell(&b, "unit", w.unit);
	pvd_buf_printf(&b, "%10s %10s %9s %8s\n", "in", "out", "rejected", "skipped");
	size_t i, k;
	json_t *src, *s;
	json_array_foreach(r->sources, i, src)
		json_array_foreach(json_object_get(src, "stages"), k, s)
			txt_row(&b, &w, json_string_value(json_object_get(src, "name")), s);
	if (r->merge)
		txt_row(&b, &w, "(all)", r->merge);
	json_array_foreach(r->render, i, s)
		if (json_is_object(s))
			txt_row(&b, &w, json_string_value(json_object_get(s, "format")), s);
	json_t *rj = json_object_get(doc, "rejected");
	pvd_buf_printf(&b, "\nrejected: %llu (", num(rj, "total"));
	for (const char *const *st = stages; *st; st++)
		pvd_buf_printf(&b, "%s%s %llu", st == stages ? "" : ", ", *st, num(rj, *st));
	pvd_buf_adds(&b, "), in rejects/\n");
	int any = 0;
	json_array_foreach(r->sources, i, src) {
		json_t *c;
		json_array_foreach(json_object_get(src, "totals"), k, c) {
			if (!any++)
				pvd_buf_adds(&b, "\nTOTAL rows:\n");
			const char *sum = json_string_value(json_object_get(c, "sum"));
			pvd_buf_printf(&b, "  %s line %lld %s %s: declared %s, sum %s: %s\n",
				       json_string_value(json_object_get(src, "name")),
				       (long long)json_integer_value(json_object_get(c, "line")),
				       json_string_value(json_object_get(c, "label")),
				       json_string_value(json_object_get(c, "field")),
				       json_string_value(json_object_get(c, "declared")), sum ? sum : "-",
				       json_string_value(json_object_get(c, "status")));
		}
	}
	pvd_buf_printf(&b, "\nwarnings: %zu\n", json_array_size(r->warnings));
	json_t *wn;
	json_array_foreach(r->warnings, i, wn)
		pvd_buf_printf(&b, "  %s\n", json_string_value(wn));
	txt_times(&b, r, w.src);
	pvd_buf_reset(&path);
	pvd_buf_printf(&path, "%s/run-report.txt", dir);
	if (!rc)
		rc = pvd_write_file_atomic(path.p, b.p, b.len, e);
	pvd_buf_free(&b);
	pvd_buf_free(&path);
	json_decref(doc);
	return rc;
}
