/* Dataset schemas: what loads, and every config error with its LINE:COL. */
#include "check.h"
#include "schema.h"
#include "yamldoc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *load(const char *text, char *buf, size_t n)
{
	struct pvd_ydoc d;
	struct pvd_err e = { 0 };
	struct pvd_schema s;
	if (pvd_ydoc_parse(&d, "s.yaml", text, strlen(text), &e)) {
		snprintf(buf, n, "YAML %ld:%ld", e.line, e.col);
		pvd_ydoc_free(&d);
		return buf;
	}
	if (pvd_schema_from_doc(&s, &d, &e))
		snprintf(buf, n, "%ld:%ld: %s", e.line, e.col, e.msg);
	else
		snprintf(buf, n, "OK %s %zu fields", s.dataset, s.nf);
	pvd_schema_free(&s);
	pvd_ydoc_free(&d);
	return buf;
}

int main(void)
{
	char b[1400];
	static const struct { const char *yaml, *want; } t[] = {
		{ "dataset: ort\nfields:\n  insee: insee\n  statut: {type: enum, values: [signee, en_cours]}\n",
		  "OK ort 2 fields" },
		{ "dataset: x\nfields: {a: text, b: {type: eur, min: 0, max: \"1000.50\", subcent: reject}}\n",
		  "OK x 2 fields" },
		{ "dataset: x\nfields:\n  l: {type: list, values: {a: [A], b: B, c: }, columns: {col_a: a}, separators: [\";\", \"/\"]}\n",
		  "OK x 1 fields" },
		{ "fields: {a: text}\n", "1:1: 'dataset' is required" },
		{ "dataset: x\n", "1:1: 'fields' is required" },
		{ "dataset: x\nfields: [a]\n", "2:9: 'fields' must be a mapping" },
		{ "dataset: x\ntypo: 1\nfields: {a: text}\n", "2:1: unknown key 'typo'" },
		{ "dataset: x\nfields:\n  a: money\n", "3:6: field a: unknown type 'money' (text, insee, dep, siren, eur, int, date, bool, enum, list)" },
		{ "dataset: x\nfields:\n  a: {type: text, requried: true}\n", "3:19: unknown key 'requried'" },
		{ "dataset: x\nfields:\n  a: {type: text, required: maybe}\n", "3:29: required must be true or false" },
		{ "dataset: x\nfields:\n  a: enum\n", "3:6: field a: enum needs values" },
		{ "dataset: x\nfields:\n  a: {type: text, values: [b]}\n", "3:27: field a: values only go with enum and list" },
		{ "dataset: x\nfields:\n  a: {type: enum, values: [b, b]}\n", "3:31: a: code 'b' twice" },
		{ "dataset: x\nfields:\n  a: {type: enum, values: {b: [Oui], c: [OUI]}}\n", "3:42: a: 'OUI' would match both 'b' and 'c'" },
		{ "dataset: x\nfields:\n  a: {type: enum, values: {b: [\"?\"]}}\n", "3:32: a: '?' has no letter or digit to match on" },
		{ "dataset: x\nfields:\n  a: {type: int, separators: [\";\"]}\n", "3:30: field a: separators and columns only go with list" },
		{ "dataset: x\nfields:\n  a: {type: list, values: [b], columns: {c: z}}\n", "3:45: field a: column c: not one of the codes (b)" },
		{ "dataset: x\nfields:\n  a: {type: list, values: [b], columns: {c: b}}\n  c: bool\n", "3:3: field a: column c is also a field" },
		{ "dataset: x\nfields:\n  a: {type: text, min: 0}\n", "3:24: field a: min and max only go with int and eur" },
		{ "dataset: x\nfields:\n  a: {type: int, min: 1.5}\n", "3:23: field a: min must be a whole number" },
		{ "dataset: x\nfields:\n  a: {type: eur, max: \"1 000\"}\n", "3:23: field a: max must be an amount like 1234.56" },
		{ "dataset: x\nfields:\n  a: {type: eur, subcent: truncate}\n", "3:27: field a: subcent is round or reject" },
		{ "dataset: x\nduplicates: drop\nfields: {a: text}\n", "2:13: duplicates is reject or keep" },
		{ "dataset: x\nfields:\n  a: {type: text\n", "YAML 4:1" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		CHECK_STR(load(t[i].yaml, b, sizeof b), t[i].want, "schema #%zu", i + 1);

	/* nesting past the limit names the line of the event too deep (the event
	 * was read after being freed: always line 1) */
	{
		char deep[300] = "dataset: x\nfields:\n  a: ";
		size_t k = strlen(deep);
		memset(deep + k, '[', 120);
		deep[k + 120] = '\0';
		CHECK_STR(load(deep, b, sizeof b), "YAML 3:0", "nested too deep: its line");
	}
	/* an endless stream of nodes stops at a million (the millionth item
	 * is the millionth line) */
	{
		size_t n = 1000001, len = 4 * n;
		char *big = malloc(len + 1);
		for (size_t i = 0; i < n; i++)
			memcpy(big + 4 * i, "- a\n", 4);
		big[len] = '\0';
		struct pvd_ydoc d;
		struct pvd_err e = { 0 };
		CHECK_INT(pvd_ydoc_parse(&d, "s.yaml", big, len, &e), PVD_EX_CONFIG, "a million and one nodes refused");
		CHECK_INT(e.line, 1000000, "at the node past the limit");
		CHECK_STR(e.msg, "more than 1000000 YAML nodes", "its message");
		free(big);
	}

	/* missing values: the dataset's and the field's, trimmed, any ASCII case */
	struct pvd_ydoc d;
	struct pvd_err e = { 0 };
	struct pvd_schema s;
	const char *y = "dataset: x\nmissing: [NA, \"-\"]\nfields:\n  a: text\n  b: {type: siren, missing: [\"0\"]}\n";
	pvd_ydoc_parse(&d, "s.yaml", y, strlen(y), &e);
	CHECK_INT(pvd_schema_from_doc(&s, &d, &e), 0, "schema with missing values loads");
	CHECK(pvd_schema_is_missing(&s, &s.f[0], " na ", 4), "'na' is missing in every field");
	CHECK(pvd_schema_is_missing(&s, &s.f[0], "", 0), "'' is always missing");
	CHECK(pvd_schema_is_missing(&s, &s.f[0], "\xC2\xA0", 2), "a no-break space alone is missing");
	CHECK(!pvd_schema_is_missing(&s, &s.f[0], "0", 1), "'0' is a value of a");
	CHECK(pvd_schema_is_missing(&s, &s.f[1], "0", 1), "'0' is missing in b");
	CHECK(!pvd_schema_is_missing(&s, &s.f[0], "NAN", 3), "'NAN' is not 'NA'");
	pvd_schema_free(&s);
	pvd_ydoc_free(&d);

	/* synonyms match on folded keys */
	y = "dataset: ort\nfields:\n  statut: {type: enum, values: {signee: [Signée], non_signee: [Non signée]}}\n";
	pvd_ydoc_parse(&d, "s.yaml", y, strlen(y), &e);
	pvd_schema_from_doc(&s, &d, &e);
	struct pvd_buf sc = { 0 };
	static const struct { const char *in; int code; } m[] = {
		{ "Signée", 0 }, { "signee", 0 }, { "SIGNÉE", 0 }, { " Signée ? ", 0 }, { "non signée", 1 },
		{ "Non-signée", 1 }, { "NON_SIGNEE", 1 }, { "Signé", -1 }, { "", -1 },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		CHECK_INT(pvd_schema_code(&s.f[0], m[i].in, strlen(m[i].in), &sc), m[i].code, "enum \"%s\"", m[i].in);
	pvd_buf_free(&sc);
	pvd_schema_free(&s);
	pvd_ydoc_free(&d);
	return check_done();
}
