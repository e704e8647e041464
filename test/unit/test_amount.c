/* Amounts of raw exports → cents, and whole numbers: a table of the forms
 * real files use, and of what must be refused.  Expected cents worked out
 * by hand. */
#include "check.h"
#include "amount.h"
#include "money.h"
#include <inttypes.h>
#include <stdio.h>

/* "OK 307633549", "OK~ 1362154" (rounded), "EMPTY", "BAD", "RANGE" */
static const char *amt(const char *s, enum pvd_decimal dec, char *buf, size_t n)
{
	int64_t c = 0;
	int r = 0;
	int rc = pvd_amount_parse(s, strlen(s), dec, &c, &r);
	if (rc == PVD_AMT_OK)
		snprintf(buf, n, "OK%s %" PRId64, r ? "~" : "", c);
	else
		snprintf(buf, n, "%s", rc == PVD_AMT_EMPTY ? "EMPTY" : rc == PVD_AMT_BAD ? "BAD" : "RANGE");
	return buf;
}

static const char *whole(const char *s, char *buf, size_t n)
{
	int64_t v = 0;
	int rc = pvd_int_parse(s, strlen(s), &v);
	if (rc == PVD_AMT_OK)
		snprintf(buf, n, "OK %" PRId64, v);
	else
		snprintf(buf, n, "%s", rc == PVD_AMT_EMPTY ? "EMPTY" : rc == PVD_AMT_BAD ? "BAD" : "RANGE");
	return buf;
}

int main(void)
{
	char b[64];
	static const struct { const char *in, *want; } t[] = {
		/* the forms of the specification */
		{ "3 076 335,49 €", "OK 307633549" },
		/* more digit groups than any amount has (41, 46): refused, never a write past the group arrays */
		{ "1 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000 000", "BAD" },
		{ "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "BAD" },
		{ "3\xC2\xA0" "076\xC2\xA0" "335,49\xC2\xA0\xE2\x82\xAC", "OK 307633549" },   /* U+00A0 */
		{ "3\xE2\x80\xAF" "076\xE2\x80\xAF" "335,49", "OK 307633549" },              /* U+202F */
		{ "3\xE2\x80\x89" "076\xE2\x80\x89" "335,49", "OK 307633549" },              /* U+2009 */
		{ "3076335.49", "OK 307633549" },
		{ "97669,34", "OK 9766934" },
		{ "1234.5", "OK 123450" },
		{ "19 180", "OK 1918000" },
		{ "1,2 M€", "OK 120000000" },
		{ "3,3 M€", "OK 330000000" },
		{ "3,3M€", "OK 330000000" },
		{ "1,2 M", "OK 120000000" },
		{ "12 k€", "OK 1200000" },
		{ "12 K€", "OK 1200000" },
		{ "2 Md€", "OK 200000000000" },
		{ "1,234567891 M€", "OK~ 123456789" },          /* 1 234 567.891 → .89 */
		{ "-12,50", "OK -1250" },
		{ "(12,50)", "OK -1250" },
		{ "(12,50 €)", "OK -1250" },
		{ "(12,50) €", "OK -1250" },
		{ "\xE2\x88\x92" "12,50", "OK -1250" },              /* U+2212 minus */
		{ "- 12,50 €", "OK -1250" },
		{ "+12", "OK 1200" },
		{ "€ 12", "OK 1200" },
		{ "12 EUR", "OK 1200" },
		{ "12 euros", "OK 1200" },
		{ "0,33", "OK 33" },
		{ ",5", "OK 50" },
		{ "0", "OK 0" },
		{ "-0,00", "OK 0" },
		{ "1.234.567,89", "OK 123456789" },
		{ "1,234,567.89", "OK 123456789" },
		{ "1,234,567", "OK 123456700" },
		{ "12.345.678", "OK 1234567800" },
		{ "  42  ", "OK 4200" },
		/* digits beyond the cent (spreadsheet formulas): half away from zero */
		{ "13621.544", "OK~ 1362154" },
		{ "15000.7275", "OK~ 1500073" },
		{ "14685.3", "OK 1468530" },
		{ "0.005", "OK~ 1" },
		{ "0.0049999", "OK~ 0" },
		{ "-0.005", "OK~ -1" },
		{ "300000.9975264", "OK~ 30000100" },
		{ "1.230", "OK 123" },                                /* zeros are not rounding */
		/* missing: not zero */
		{ "", "EMPTY" },
		{ "   ", "EMPTY" },
		{ "\xC2\xA0", "EMPTY" },
		/* refused */
		{ "12,3,4", "BAD" },
		{ "1 234.567,89", "BAD" },                            /* two kinds of groups */
		{ "12 34", "BAD" },
		{ "1 2345", "BAD" },
		{ "1234 567", "BAD" },                                /* first group too long */
		{ "12,", "BAD" },
		{ "12.", "BAD" },
		{ ".", "BAD" },
		{ "-", "BAD" },
		{ "€", "BAD" },
		{ "M€", "BAD" },
		{ "abc", "BAD" },
		{ "12 abc", "BAD" },
		{ "1e6", "BAD" },
		{ "1.5E+3", "BAD" },
		{ "--12", "BAD" },
		{ "-(12)", "BAD" },
		{ "12-", "BAD" },
		{ "(12", "BAD" },
		{ "12 € HT", "BAD" },
		{ "NA", "BAD" },
		{ "92233720368547758.08", "RANGE" },                  /* INT64_MAX + 1 cent */
		{ "92233720368547758.07", "OK 9223372036854775807" },
		{ "99999999999 Md€", "RANGE" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		CHECK_STR(amt(t[i].in, PVD_DEC_AUTO, b, sizeof b), t[i].want, "amount \"%s\"", t[i].in);

	/* the source says which mark is decimal */
	CHECK_STR(amt("1.234", PVD_DEC_AUTO, b, sizeof b), "OK~ 123", "auto: a single '.' is decimal");
	CHECK_STR(amt("1.234", PVD_DEC_COMMA, b, sizeof b), "OK 123400", "decimal comma: '.' groups");
	CHECK_STR(amt("1.234,5", PVD_DEC_COMMA, b, sizeof b), "OK 123450", "decimal comma: both");
	CHECK_STR(amt("1234.5", PVD_DEC_COMMA, b, sizeof b), "BAD", "decimal comma: 1234.5 refused");
	CHECK_STR(amt("97669,34", PVD_DEC_POINT, b, sizeof b), "BAD", "decimal point: 97669,34 refused");
	CHECK_STR(amt("1,234", PVD_DEC_POINT, b, sizeof b), "OK 123400", "decimal point: ',' groups");

	/* canonical text written back and read again: the stream's own form */
	int64_t c;
	struct pvd_buf out = { 0 };
	static const char *const canon[] = { "3 076 335,49 €", "(12,50)", "1,2 M€", "0,33" };
	for (size_t i = 0; i < sizeof canon / sizeof *canon; i++) {
		int64_t back = -1;
		pvd_amount_parse(canon[i], strlen(canon[i]), PVD_DEC_AUTO, &c, NULL);
		pvd_buf_reset(&out);
		pvd_cents_format(c, &out);
		pvd_amount_parse(out.p, out.len, PVD_DEC_AUTO, &back, NULL);
		CHECK_INT(back, c, "round trip through canonical text \"%s\" → %s", canon[i], out.p);
	}
	pvd_buf_free(&out);

	/* whole numbers */
	static const struct { const char *in, *want; } w[] = {
		{ "1004", "OK 1004" }, { "-3", "OK -3" }, { "+3", "OK 3" }, { "12 345", "OK 12345" },
		{ "1\xC2\xA0" "234\xC2\xA0" "567", "OK 1234567" }, { "3439.0", "OK 3439" }, { "3439,00", "OK 3439" },
		{ " 7 ", "OK 7" }, { "", "EMPTY" }, { "12,5", "BAD" }, { "12.", "BAD" }, { "1 2345", "BAD" },
		{ "12 34", "BAD" }, { "1e3", "BAD" }, { "NA", "BAD" }, { "12 k", "BAD" },
		{ "9223372036854775807", "OK 9223372036854775807" }, { "9223372036854775808", "RANGE" },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		CHECK_STR(whole(w[i].in, b, sizeof b), w[i].want, "int \"%s\"", w[i].in);
	return check_done();
}
