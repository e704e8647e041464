/* aggregate: the string set, exact ratio rounding, and the engine run in
 * process as a sink (the way pvd-run chains it), partial state included. */
#include "aggregate.h"
#include "check.h"
#include "money.h"
#include "ndjson.h"
#include "strset.h"
#include "xmem.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void ratio(int64_t n, int64_t d, const char *want)
{
	struct pvd_buf b = { 0 };
	pvd_ratio6(n, d, &b);
	CHECK_STR(pvd_buf_str(&b), want, "%lld / %lld", (long long)n, (long long)d);
	pvd_buf_free(&b);
}

/* Collects what the engine emits as NDJSON text. */
struct collect {
	struct pvd_sink base;
	struct pvd_buf text;
	int ended;
};
static int col_put(struct pvd_sink *s, struct pvd_record *r, struct pvd_err *e)
{
	pvd_ndjson_write(&((struct collect *)s)->text, r);
	return 0;
}
static int col_end(struct pvd_sink *s, struct pvd_err *e)
{
	((struct collect *)s)->ended = 1;
	return 0;
}

static int feed(struct pvd_sink *s, const char *line, struct pvd_record *r)
{
	struct pvd_err e = { 0 };
	if (pvd_ndjson_parse(line, strlen(line), r, &e))
		return -1;
	return pvd_sink_put(s, r, &e);
}

int main(void)
{
	/* --- strset --- */
	struct pvd_strset s;
	pvd_strset_init(&s);
	int added;
	CHECK_INT(pvd_strset_add(&s, "01001", 5, &added), 0, "first id is 0");
	CHECK_INT(added, 1, "first add is new");
	CHECK_INT(pvd_strset_add(&s, "01001", 5, &added), 0, "same string, same id");
	CHECK_INT(added, 0, "second add is not new");
	CHECK_INT(pvd_strset_add(&s, "a\0b", 3, NULL), 1, "bytes with a NUL are a string of their own");
	CHECK_INT(pvd_strset_find(&s, "a", 1), -1, "a prefix is not found");
	char buf[16];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof buf, "k%d", 99999 - i);
		pvd_strset_add(&s, buf, (size_t)n, NULL);
	}
	CHECK_INT(pvd_strset_count(&s), 100002, "100000 distinct keys after rehashing");
	CHECK_INT(pvd_strset_find(&s, "k5", 2), 99996, "ids are insertion order");
	/* Adding a string held by the set itself (its arena may move). */
	size_t n;
	const char *own = pvd_strset_get(&s, 2, &n);
	CHECK_INT(pvd_strset_add(&s, own, n, &added), 2, "re-adding an own string");
	uint32_t *ids = pvd_strset_sorted(&s);
	int sorted = 1;
	for (size_t i = 1; i < pvd_strset_count(&s); i++) {
		size_t an, bn;
		const char *a = pvd_strset_get(&s, ids[i - 1], &an), *b = pvd_strset_get(&s, ids[i], &bn);
		sorted &= pvd_bytes_cmp(a, an, b, bn) < 0;
	}
	CHECK(sorted, "sorted ids are in strictly increasing byte order");
	CHECK_STR(pvd_strset_get(&s, ids[0], NULL), "01001", "smallest first");
	free(ids);
	pvd_strset_free(&s);

	/* --- exact ratios, half away from zero --- */
	ratio(87, 100, "0.870000");
	ratio(2, 3, "0.666667");
	ratio(1, 3, "0.333333");
	ratio(1, 2000000, "0.000001");       /* 0.0000005: the half rounds up */
	ratio(1, 2000001, "0.000000");       /* just under the half */
	ratio(-1, 2000000, "-0.000001");     /* away from zero */
	ratio(-1, 3000000, "0.000000");      /* no "-0.000000" */
	ratio(1426, 1640, "0.869512");
	ratio(0, 5, "0.000000");
	ratio(7, 7, "1.000000");
	ratio(INT64_MAX, 1, "9223372036854775807.000000");
	ratio(INT64_MAX, INT64_MAX - 1, "1.000000");

	/* --- the engine as a sink --- */
	/* A catalogue and the schema of its dataset, in a scratch directory. */
	char dir[] = "/tmp/pvd-test-aggregate-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "scratch directory");
	char path[64], sdir[64], schema[80];
	snprintf(path, sizeof path, "%s/indicators.yaml", dir);
	snprintf(sdir, sizeof sdir, "%s/datasets", dir);
	snprintf(schema, sizeof schema, "%s/d.yaml", sdir);
	const char *yaml =
		"version: 1\n"
		"datasets:\n"
		"  d: {date: day, undated: exclude}\n"
		"dimensions:\n"
		"  c: {key: c}\n"
		"indicators:\n"
		"  - {id: x.sum, label: S, unit: eur, dataset: d, measure: {sum: m}, breakdown: [c]}\n"
		"  - {id: x.n, label: N, unit: nombre, dataset: d, measure: {distinct: c}}\n"
		"  - {id: x.part, label: P, unit: part, measure: {ratio: {num: x.n, den: {dataset: d, date: none, measure: count}}}}\n";
	FILE *f = fopen(path, "w");
	CHECK(f && fputs(yaml, f) >= 0 && fclose(f) == 0, "temporary catalogue written");
	CHECK(mkdir(sdir, 0700) == 0 && (f = fopen(schema, "w")) != NULL, "schema directory");
	CHECK(fputs("dataset: d\nfields: {day: date, m: eur, c: text}\n", f) >= 0 && fclose(f) == 0,
	      "temporary schema written");
	struct pvd_period p;
	pvd_period_parse("2021-Q4", &p);
	struct pvd_catalog cat;
	struct pvd_err e = { 0 };
	CHECK_INT(pvd_catalog_load(&cat, path, &p, sdir, &e), 0, "catalogue loads: %s", e.msg);
	CHECK_INT(cat.ninds, 3, "three indicators");
	CHECK_INT(cat.naccs, 3, "three accumulators (one inline)");
	CHECK_STR(cat.accs[2].name, "x.part#den", "the inline operand is named after its ratio");

	struct pvd_rejects rj;
	struct pvd_stats st;
	pvd_rejects_open(&rj, "aggregate", NULL, 1, &e);
	pvd_stats_init(&st, "records");
	struct collect out = { .base = { .put = col_put, .end = col_end } };
	struct pvd_agg *a = pvd_agg_new(&cat, 0, &out.base, &rj, &st);
	struct pvd_record r;
	pvd_rec_init(&r);
	const char *recs[] = {
		"{\"_file\":\"f\",\"_line\":1,\"_dataset\":\"d\",\"day\":\"2021-12-31\",\"m\":0.10,\"c\":\"b\"}",
		"{\"_file\":\"f\",\"_line\":2,\"_dataset\":\"d\",\"day\":\"2021-01-01\",\"m\":0.20,\"c\":\"a\"}",
		"{\"_file\":\"f\",\"_line\":3,\"_dataset\":\"d\",\"day\":\"2022-01-01\",\"m\":100.00,\"c\":\"c\"}",
		"{\"_file\":\"f\",\"_line\":4,\"_dataset\":\"d\",\"day\":\"2021-13-01\",\"m\":1.00,\"c\":\"d\"}",
		"{\"_file\":\"f\",\"_line\":5,\"_dataset\":\"e\"}",
	};
	for (size_t i = 0; i < sizeof recs / sizeof *recs; i++) {
		pvd_stats_in(&st);
		CHECK_INT(feed(pvd_agg_sink(a), recs[i], &r), 0, "record %zu put", i + 1);
	}
	CHECK_INT(pvd_sink_end(pvd_agg_sink(a), &e), 0, "end");
	CHECK(out.ended, "end is passed on to the next sink");
	CHECK_INT(st.out, 3, "3 records used");
	CHECK_INT(st.rejected, 1, "1 rejected (month 13)");
	CHECK_INT(st.skipped, 1, "1 skipped (dataset e)");
	const char *t = pvd_buf_str(&out.text);
	/* 0.10 + 0.20 = 0.30 exactly (the 2022 record is after the period). */
	CHECK(strstr(t, "{\"id\":\"x.sum\",\"label\":\"S\",\"unit\":\"eur\",\"period\":\"2021-Q4\",\"value\":0.30,") != NULL,
	      "sum 0.30 exact");
	CHECK(strstr(t, "\"breakdown\":\"c\",\"key\":\"a\",\"key_label\":null,\"datasets\":[\"d\"],\"records\":1,\"inputs\":[\"f\"]}") != NULL,
	      "group a, no label");
	/* distinct c: a, b = 2; over every record of d (date none: 3) */
	CHECK(strstr(t, "\"id\":\"x.part\",\"label\":\"P\",\"unit\":\"part\",\"period\":\"2021-Q4\",\"value\":0.666667,\"num\":2,\"den\":3,") != NULL,
	      "ratio 2/3 with an inline denominator");
	pvd_agg_free(a);

	/* The same records as a partial state: a header then groups. */
	struct collect ps = { .base = { .put = col_put, .end = col_end } };
	pvd_stats_init(&st, "records");
	a = pvd_agg_new(&cat, 1, &ps.base, &rj, &st);
	for (size_t i = 0; i < 3; i++) {
		pvd_stats_in(&st);
		feed(pvd_agg_sink(a), recs[i], &r);
	}
	pvd_sink_end(pvd_agg_sink(a), &e);
	t = pvd_buf_str(&ps.text);
	CHECK(strncmp(t, "{\"pvd_aggregate_state\":1,\"period\":\"2021-Q4\",\"catalog\":\"", 55) == 0, "state header first");
	CHECK(strstr(t, "{\"acc\":\"x.sum\",\"dim\":null,\"key\":null,\"label\":null,\"records\":2,\"sum\":30,\"inputs\":[\"f\"]}") != NULL,
	      "sum kept in cents");
	CHECK(strstr(t, "{\"acc\":\"x.n\",\"dim\":null,\"key\":null,\"label\":null,\"records\":2,\"inputs\":[\"f\"],\"set\":[\"a\",\"b\"]}") != NULL,
	      "distinct set kept sorted");
	pvd_agg_free(a);

	pvd_rec_free(&r);
	pvd_buf_free(&out.text);
	pvd_buf_free(&ps.text);
	pvd_rejects_close(&rj, &e);
	pvd_stats_free(&st);
	pvd_catalog_free(&cat);
	unlink(path);
	unlink(schema);
	rmdir(sdir);
	rmdir(dir);
	return check_done();
}
