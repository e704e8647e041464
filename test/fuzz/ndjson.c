/* ndjson — the NDJSON record reader and writer: round trip.
 *
 * Input: one line.  When it parses, the record is written, the written line
 * must parse back into an equal record (names, kinds, exact values, in
 * order) and write back to the same bytes; a copy of the record
 * (pvd_rec_copy) must be equal too. */
#include "fuzz.h"
#include "buf.h"
#include "ndjson.h"
#include "record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same(const struct pvd_record *a, const struct pvd_record *b, const char *what)
{
	if (a->n != b->n) {
		fprintf(stderr, "fuzz ndjson: %s: %zu fields, then %zu\n", what, a->n, b->n);
		abort();
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct pvd_field *x = &a->f[i], *y = &b->f[i];
		if (x->kind != y->kind || x->nitems != y->nitems || x->name_len != y->name_len ||
		    x->val_len != y->val_len || memcmp(pvd_rec_name(a, x), pvd_rec_name(b, y), x->name_len) ||
		    memcmp(pvd_rec_val(a, x), pvd_rec_val(b, y), x->val_len)) {
			fprintf(stderr, "fuzz ndjson: %s: field %zu differs\n", what, i);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvd_record r, back, copy;
	struct pvd_err e = { 0 };
	pvd_rec_init(&r);
	pvd_rec_init(&back);
	pvd_rec_init(&copy);
	struct pvd_buf w1 = { 0 }, w2 = { 0 };
	if (pvd_ndjson_parse((const char *)data, size, &r, &e) == 0) {
		pvd_ndjson_write(&w1, &r);
		if (w1.len == 0 || w1.p[w1.len - 1] != '\n')
			abort();
		if (pvd_ndjson_parse(w1.p, w1.len - 1, &back, &e) != 0) {
			fprintf(stderr, "fuzz ndjson: the writer's line does not read back: %s\n", e.msg);
			abort();
		}
		same(&r, &back, "read back");
		pvd_ndjson_write(&w2, &back);
		if (w1.len != w2.len || memcmp(w1.p, w2.p, w1.len)) {
			fprintf(stderr, "fuzz ndjson: written twice, two texts\n");
			abort();
		}
		pvd_rec_copy(&copy, &r);
		same(&r, &copy, "copy");
	}
	pvd_buf_free(&w1);
	pvd_buf_free(&w2);
	pvd_rec_free(&r);
	pvd_rec_free(&back);
	pvd_rec_free(&copy);
	return 0;
}
