/* clean — the pvd-clean engine on record lines: every normaliser in
 * context (lists, gathered columns, missing values, duplicates), with the
 * tree's dataset schemas and source profiles.
 *
 * Input: one byte choosing the dataset given to records without _dataset
 * (records may name their own, and a _source profile), then NDJSON lines.
 * Each line that reads as a record goes through the engine; the counts
 * must reconcile: records put = passed on + rejected. */
#include "fuzz.h"
#include "clean.h"
#include "ndjson.h"
#include "record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const datasets[] = {
	"dotations", "conventions", "ort", "france_services", "ingenierie", "commerce", "club",
	"chefs_projet", "conseillers_numeriques", "friches", "pvd",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setenv("PVD_CONFIG", PVD_FUZZ_ROOT "/config", 0);
	unsigned b = fuzz_byte(&data, &size);
	struct pvd_clean_opts o = { .dataset = datasets[b % (sizeof datasets / sizeof *datasets)] };
	struct pvd_sink null;
	pvd_null_sink_init(&null);
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_err e = { 0 };
	struct pvd_clean *c;
	if (pvd_rejects_open(&rj, "clean", NULL, 1, &e))
		abort();
	pvd_stats_init(&st, "records");
	if (pvd_clean_new(&c, &o, &null, &rj, &st, &e) != 0) {
		fprintf(stderr, "fuzz clean: %s\n", e.msg);
		abort();   /* the tree's own schemas load */
	}
	struct pvd_sink *s = pvd_clean_sink(c);
	struct pvd_record r;
	pvd_rec_init(&r);
	unsigned long long put = 0;
	int rc = 0;
	const char *p = (const char *)data, *end = p + size;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (pvd_ndjson_parse(p, n, &r, &e) == 0) {
			put++;
			rc = pvd_sink_put(s, &r, &e);
		}
		p += n + 1;
	}
	if (rc == 0)
		rc = pvd_sink_end(s, &e);
	if (rc == 0 && put != st.out + st.rejected) {
		fprintf(stderr, "fuzz clean: %llu records put, %llu passed on, %llu rejected\n", put, st.out,
			st.rejected);
		abort();
	}
	pvd_rec_free(&r);
	pvd_clean_free(c);
	pvd_rejects_abort(&rj);
	pvd_stats_free(&st);
	return 0;
}
