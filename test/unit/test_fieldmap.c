/* fieldmap, and the NDJSON reader's shortcuts for records that repeat the
 * previous record's layout: a field found by slot must be the field of that
 * name whatever the layout, and a repeated layout must not hide a duplicate
 * key or a bad string. */
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

int main(void)
{
	struct pvd_buf b = { 0 };
	static const char *const names[] = { "montant", "reg", "_file", "reg" };
	struct pvd_fieldmap m;
	pvd_fieldmap_init(&m, names, 4);
	/* one stream, one map: each line must resolve on its own layout */
	static const struct { const char *in, *out; } st[] = {
		{ "{\"_file\":\"a\",\"reg\":\"84\",\"montant\":1}", "montant=1 reg=84 _file=a reg=84" },
		{ "{\"_file\":\"b\",\"reg\":\"11\",\"montant\":2}", "montant=2 reg=11 _file=b reg=11" },
		{ "{\"_file\":\"b\",\"montant\":3,\"reg\":\"11\"}", "montant=3 reg=11 _file=b reg=11" },
		{ "{\"_file\":\"b\",\"montant\":3,\"rex\":\"11\"}", "montant=3 reg=- _file=b reg=-" },
		{ "{\"_file\":\"b\",\"montant\":3}", "montant=3 reg=- _file=b reg=-" },
		{ "{\"_file\":\"b\",\"montant\":3,\"reg\":\"9\",\"x\":0}", "montant=3 reg=9 _file=b reg=9" },
		{ "{\"_fil\\u0065\":\"c\",\"montant\":4,\"reg\":\"9\",\"x\":0}", "montant=4 reg=9 _file=c reg=9" },
		{ "{}", "montant=- reg=- _file=- reg=-" },
	};
	for (size_t i = 0; i < sizeof st / sizeof *st; i++)
		CHECK_STR(lookup(&m, st[i].in, &b), st[i].out, "fieldmap %s", st[i].in);
	pvd_fieldmap_free(&m);

	/* duplicate keys after a record of the same first names: the reader
	 * skips the search only while the names repeat the previous record's */
	struct pvd_fieldmap none;
	pvd_fieldmap_init(&none, NULL, 0);
	static const struct { const char *in, *out; } dup[] = {
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
	for (size_t i = 0; i < sizeof dup / sizeof *dup; i++)
		CHECK_STR(lookup(&none, dup[i].in, &b), dup[i].out, "parse after the previous layout %s", dup[i].in);
	pvd_fieldmap_free(&none);

	/* an unescaped string's text is the line's, unescaped ones are copies */
	struct pvd_record r;
	struct pvd_err e = { 0 };
	pvd_rec_init(&r);
	const char *l = "{\"k\\n\":\"a\\tb\",\"l\":[\"x\",\"\\u00e9\"],\"s\":\"plain\"}";
	CHECK_INT(pvd_ndjson_parse(l, strlen(l), &r, &e), 0, "escaped key and values parse");
	pvd_buf_reset(&b);
	pvd_ndjson_write(&b, &r);
	CHECK_STR(b.p, "{\"k\\n\":\"a\\tb\",\"l\":[\"x\",\"\xc3\xa9\"],\"s\":\"plain\"}\n", "escaped key and values round trip");
	pvd_rec_free(&r);
	pvd_buf_free(&b);
	return check_done();
}
