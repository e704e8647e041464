/* Record and NDJSON round trips: the wire format every filter shares. */
#include "check.h"
#include "buf.h"
#include "ndjson.h"
#include "record.h"
#include "textnorm.h"
#include <stdlib.h>

static const char *roundtrip(const char *in, struct pvd_buf *out)
{
	struct pvd_record r;
	struct pvd_err e = { 0 };
	pvd_rec_init(&r);
	pvd_buf_reset(out);
	if (pvd_ndjson_parse(in, strlen(in), &r, &e)) {
		pvd_buf_printf(out, "ERR col %ld: %s", e.col, e.msg);
	} else {
		pvd_ndjson_write(out, &r);
		out->p[--out->len] = '\0';
	}
	pvd_rec_free(&r);
	return pvd_buf_str(out);
}

int main(void)
{
	struct pvd_buf b = { 0 };
	static const struct { const char *in, *out; } rt[] = {
		{ "{}", "{}" },
		{ " { \"a\" : \"x\" , \"b\":1 } ", "{\"a\":\"x\",\"b\":1}" },
		{ "{\"m\":3076335.49}", "{\"m\":3076335.49}" },
		{ "{\"m\":-0.5e+3}", "{\"m\":-0.5e+3}" },
		{ "{\"t\":true,\"f\":false,\"n\":null}", "{\"t\":true,\"f\":false,\"n\":null}" },
		{ "{\"l\":[\"a\",\"b c\"]}", "{\"l\":[\"a\",\"b c\"]}" },
		{ "{\"l\":[]}", "{\"l\":[]}" },
		{ "{\"x\":[1,\"a\"]}", "{\"x\":[1,\"a\"]}" },
		{ "{\"o\":{\"k\":[1,{\"z\":null}]}}", "{\"o\":{\"k\":[1,{\"z\":null}]}}" },
		{ "{\"s\":\"\\u00e9\\n\\t\\\"\\\\\\/\"}", "{\"s\":\"é\\n\\t\\\"\\\\/\"}" },
		{ "{\"s\":\"\\ud83d\\ude00\"}", "{\"s\":\"😀\"}" },
		{ "{\"s\":\"\\u0001\"}", "{\"s\":\"\\u0001\"}" },
		/* escaped names and values are copies, a plain string is the line's own text */
		{ "{\"k\\n\":\"a\\tb\",\"l\":[\"x\",\"\\u00e9\"],\"s\":\"plain\"}",
		  "{\"k\\n\":\"a\\tb\",\"l\":[\"x\",\"\xc3\xa9\"],\"s\":\"plain\"}" },
		{ "{\"a\":1,\"a\":2}", "ERR col 8: duplicate key \"a\" in one object" },
		{ "[1]", "ERR col 1: invalid JSON: a record must be a JSON object" },
		{ "{\"a\":}", "ERR col 6: invalid JSON: bad number" },
		{ "{\"a\":1", "ERR col 7: invalid JSON: ',' or '}' expected" },
		{ "{\"a\":\"x}", "ERR col 9: invalid JSON: unterminated string" },
		{ "{\"a\":01}", "ERR col 7: invalid JSON: ',' or '}' expected" },
		{ "{\"a\":1} x", "ERR col 9: invalid JSON: trailing characters after the object" },
		{ "{\"a\":\"\\ud800\"}", "ERR col 7: unpaired surrogate in \\u escape" },
		{ "{\"a\":\"\\u0000\"}", "ERR col 7: \\u0000 in string" },
		{ "{\"a\":\"\\q\"}", "ERR col 7: invalid JSON: bad escape in string" },
		{ "{\"a\":\"x\ty\"}", "ERR col 8: invalid JSON: control character in string" },
		{ "{\"a\":tru}", "ERR col 6: invalid JSON: unexpected token" },
	};
	for (size_t i = 0; i < sizeof rt / sizeof *rt; i++)
		CHECK_STR(roundtrip(rt[i].in, &b), rt[i].out, "ndjson round trip %s", rt[i].in);

	/* set/replace keeps order; values copied from the record itself survive growth */
	struct pvd_record r;
	pvd_rec_init(&r);
	pvd_rec_set_str(&r, "a", "1");
	pvd_rec_set_str(&r, "b", "2");
	pvd_rec_set_str(&r, "a", "3");
	for (int i = 0; i < 50; i++)
		pvd_rec_set_str(&r, "c", pvd_rec_str(&r, "a"));
	pvd_rec_del(&r, "b");
	pvd_rec_set_list(&r, "l", "x\0yy\0", 5, 2);
	pvd_rec_set_long(&r, "n", -42);
	pvd_rec_rename(&r, 0, "A");
	pvd_buf_reset(&b);
	pvd_ndjson_write(&b, &r);
	CHECK_STR(b.p, "{\"A\":\"3\",\"c\":\"3\",\"l\":[\"x\",\"yy\"],\"n\":-42}\n", "set, replace, delete, list, rename");
	struct pvd_record c;
	pvd_rec_init(&c);
	pvd_rec_copy(&c, &r);
	pvd_rec_free(&r);
	CHECK_STR(pvd_rec_str(&c, "c"), "3", "copy is independent of the original");
	pvd_rec_free(&c);

	static const struct { const char *in; char sep; const char *out; } fold[] = {
		{ "Signée ?", 0, "signee" },
		{ "Bénéficiaire - Code INSEE", 0, "beneficiairecodeinsee" },
		{ "Saint-Étienne-du-Bois", ' ', "saint etienne du bois" },
		{ "  L'Haÿ-les-Roses ", ' ', "l hay les roses" },
		{ "Œuvre ÆSTHÉTIQUE", ' ', "oeuvre aesthetique" },
		{ "Montant (€)", 0, "montant" },
		{ "", 0, "" },
	};
	for (size_t i = 0; i < sizeof fold / sizeof *fold; i++) {
		pvd_buf_reset(&b);
		pvd_fold(fold[i].in, strlen(fold[i].in), fold[i].sep, &b);
		CHECK_STR(pvd_buf_str(&b), fold[i].out, "fold '%s'", fold[i].in);
	}
	static const struct { const char *in, *out; } clean[] = {
		{ "  a   b\t\nc  ", "a b c" },
		{ "\xc2\xa0" "3\xe2\x80\xaf" "076 ", "3 076" },
		{ "Évian", "Évian" },
		/* the ASCII runs: single spaces kept in them, others collapsed */
		{ "a b c  d \te f ", "a b c d e f" },
		{ "x y\xc2\xa0z w", "x y z w" },
		{ "l’école du  bourg", "l’école du bourg" },
		{ "a \x01b", "a \x01b" },
	};
	for (size_t i = 0; i < sizeof clean / sizeof *clean; i++) {
		pvd_buf_reset(&b);
		pvd_text_clean(clean[i].in, strlen(clean[i].in), &b);
		CHECK_STR(pvd_buf_str(&b), clean[i].out, "text clean #%zu", i);
	}
	pvd_buf_free(&b);

	/* pvd_rec_set_at: the value of field i replaced in place, from a value
	 * that may be another field of the same record */
	struct pvd_record rr;
	pvd_rec_init(&rr);
	pvd_rec_set_str(&rr, "a", "un");
	pvd_rec_set_str(&rr, "b", "deux");
	pvd_rec_set_at(&rr, 0, PVD_NUM, "12.50", 5);
	const struct pvd_field *fb = pvd_rec_get(&rr, "b");
	pvd_rec_set_at(&rr, 1, PVD_STR, pvd_rec_val(&rr, fb), fb->val_len - 1);
	CHECK(rr.n == 2 && rr.f[0].kind == PVD_NUM && strcmp(pvd_rec_str(&rr, "a"), "12.50") == 0 &&
		      strcmp(pvd_rec_str(&rr, "b"), "deu") == 0 && strcmp(pvd_rec_name(&rr, &rr.f[1]), "b") == 0,
	      "set_at replaces field i's value, keeps its name and place");
	pvd_rec_free(&rr);

	/* plain values (record.h): the reader marks a string read without an
	 * escape, every set clears the mark, and a name seen in the previous
	 * line is taken from the line as it is */
	struct pvd_record pr;
	struct pvd_err pe = { 0 };
	struct pvd_buf pb = { 0 };
	pvd_rec_init(&pr);
	const char *l1 = "{\"a\":\"x y\",\"b\":\"q\\\"\",\"l\":[\"1\",\"2\"],\"m\":[\"\\n\"]}";
	CHECK(pvd_ndjson_parse(l1, strlen(l1), &pr, &pe) == 0 && pr.f[0].plain && !pr.f[1].plain && pr.f[2].plain &&
		      !pr.f[3].plain, "plain: strings and lists without an escape, not those with one");
	pvd_rec_set_at(&pr, 0, PVD_STR, "\"", 1);
	pvd_rec_set(&pr, "l", PVD_STR, "\\", 1);
	CHECK(!pr.f[0].plain && !pr.f[2].plain, "plain: cleared by set_at and set");
	pvd_ndjson_write(&pb, &pr);
	CHECK_STR(pb.p, "{\"a\":\"\\\"\",\"b\":\"q\\\"\",\"l\":\"\\\\\",\"m\":[\"\\n\"]}\n", "plain: a value set again is escaped");
	const char *l2 = "{\"a\":\"1\",\"b\":2,\"a\":3}";
	CHECK(pvd_ndjson_parse(l2, strlen(l2), &pr, &pe) != 0, "a name repeated after the previous line's names is still a duplicate");
	const char *l3 = "{\"a\":\"1\",\"b\":2,\"c\\u0041\":3}";
	pvd_buf_reset(&pb);
	CHECK(pvd_ndjson_parse(l3, strlen(l3), &pr, &pe) == 0, "escaped name parsed");
	const char *l4 = "{\"a\":\"1\",\"b\":2,\"c\\u0041\":3}";
	CHECK(pvd_ndjson_parse(l4, strlen(l4), &pr, &pe) == 0 && strcmp(pvd_rec_name(&pr, &pr.f[2]), "cA") == 0,
	      "a name written with an escape is unescaped on the next line too");
	pvd_buf_free(&pb);
	pvd_rec_free(&pr);
	return check_done();
}
