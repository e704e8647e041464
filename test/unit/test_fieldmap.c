/* fieldmap, and the NDJSON reader's shortcuts for records that repeat the
 * previous record's layout: a field found by slot must be the field of that
 * name whatever the layout, and a repeated layout must not hide a duplicate
 * key or a bad string (the round trip of escaped and plain strings, which
 * the reader takes from the line without a copy, is in test_record.c). */
#include "check.h"
#include "buf.h"
#include "fieldmap.h"
#include "ndjson.h"
#include "record.h"
#include <stdlib.h>

/* "name=value" of each wanted name, "-" when absent, as the map sees r. */
static const char *lookup(struct pvd_fieldmap *m, const char *line, struct pvd_buf *out)
{
	struct pvd_record r;
	struct pvd_err e = { 0 };
	pvd_rec_init(&r);
	pvd_buf_reset(out);
	if (pvd_ndjson_parse(line, strlen(line), &r, &e)) {
		pvd_buf_printf(out, "ERR col %ld: %s", e.col, e.msg);
	} else {
		pvd_fieldmap_resolve(m, &r);
		for (size_t k = 0; k < m->n; k++) {
			const struct pvd_field *f = pvd_fieldmap_get(m, k, &r);
			pvd_buf_printf(out, "%s%s=%s", k ? " " : "", m->name[k], f ? pvd_rec_val(&r, f) : "-");
		}
	}
	pvd_rec_free(&r);
	return pvd_buf_str(out);
}

struct line_case { const char *in, *out; };

/* One stream, one map: each line must resolve on its own layout. */
static const char *const wanted[] = { "montant", "reg", "_file", "reg" };
static const struct line_case by_slot[] = {
	{ "{\"_file\":\"a\",\"reg\":\"84\",\"montant\":1}", "montant=1 reg=84 _file=a reg=84" },
	{ "{\"_file\":\"b\",\"reg\":\"11\",\"montant\":2}", "montant=2 reg=11 _file=b reg=11" },
	{ "{\"_file\":\"b\",\"montant\":3,\"reg\":\"11\"}", "montant=3 reg=11 _file=b reg=11" },
	{ "{\"_file\":\"b\",\"montant\":3,\"rex\":\"11\"}", "montant=3 reg=- _file=b reg=-" },
	{ "{\"_file\":\"b\",\"montant\":3}", "montant=3 reg=- _file=b reg=-" },
	{ "{\"_file\":\"b\",\"montant\":3,\"reg\":\"9\",\"x\":0}", "montant=3 reg=9 _file=b reg=9" },
	{ "{\"_fil\\u0065\":\"c\",\"montant\":4,\"reg\":\"9\",\"x\":0}", "montant=4 reg=9 _file=c reg=9" },
	{ "{}", "montant=- reg=- _file=- reg=-" },
};

/* Duplicate keys after a record of the same first names: the reader skips
 * the search only while the names repeat the previous record's. */
static const struct line_case after_layout[] = {
	{ "{\"a\":1,\"b\":2,\"c\":3}", "" },
	{ "{\"a\":1,\"b\":2,\"a\":3}", "ERR col 14: duplicate key \"a\" in one object" },
	{ "{\"a\":1,\"b\":2,\"c\":3}", "" },
	{ "{\"a\":1,\"a\":2}", "ERR col 8: duplicate key \"a\" in one object" },
	{ "{\"a\":1,\"b\":2,\"c\":3,\"b\":4}", "ERR col 20: duplicate key \"b\" in one object" },
	{ "{\"a\":1,\"b\":2,\"\\u0061\":3}", "ERR col 14: duplicate key \"a\" in one object" },
	{ "{\"a\":1,\"b\":2}", "" },
	{ "{\"a\":1,\"b\":2,\"c\":3}", "" },
	{ "{\"a\":\"\xc3\xa9\",\"b\":\"\xc3\",\"c\":3}", "ERR col 16: invalid UTF-8 in string" },
	{ "{\"a\":\"x\\\"y\",\"b\":[\"\xc3\xa9\",\"\\n\"],\"c\":3}", "" },
};

#define N(a) (sizeof (a) / sizeof *(a))
/* Each stream is read in order through one map of its wanted names. */
static const struct {
	const char *what;
	const char *const *names;
	size_t n_names;
	const struct line_case *lines;
	size_t n_lines;
} streams[] = {
	{ "fieldmap", wanted, N(wanted), by_slot, N(by_slot) },
	{ "parse after the previous layout", NULL, 0, after_layout, N(after_layout) },
};

int main(void)
{
	struct pvd_buf b = { 0 };
	for (size_t s = 0; s < N(streams); s++) {
		struct pvd_fieldmap m;
		pvd_fieldmap_init(&m, streams[s].names, streams[s].n_names);
		for (size_t i = 0; i < streams[s].n_lines; i++)
			CHECK_STR(lookup(&m, streams[s].lines[i].in, &b), streams[s].lines[i].out,
				"%s %s", streams[s].what, streams[s].lines[i].in);
		pvd_fieldmap_free(&m);
	}

	pvd_buf_free(&b);
	return check_done();
}
