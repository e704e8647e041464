/* normalise — every normaliser of raw values, with their properties.
 *
 * Input: one selector byte, then the value.  The low nibble picks the
 * normaliser, the high nibble its options:
 *   0 amount (decimal mark auto/comma/point): an amount read writes as
 *     canonical cents text that money.h reads back to the same cents
 *   1 whole number        2 date (flags excel, in-text): a date read
 *     formats as YYYY-MM[-DD], which reads back to the same date
 *   3 INSEE code  4 département  5 SIREN (SIRET allowed or not): a code put
 *     in canonical form is canonical (normalising it again changes nothing)
 *   6 yes/no  7 enum and list codes (config/datasets/conventions.yaml)
 *   8 canonical cents (money.h): parse, format, parse again
 *   9 periods and record dates (period.h)
 *  10 fixed-point literals (frfmt.h): parse, write, parse again
 *  11 canonical whole numbers */
#include "fuzz.h"
#include "amount.h"
#include "boolval.h"
#include "buf.h"
#include "codes.h"
#include "datefmt.h"
#include "frfmt.h"
#include "indicator.h"
#include "money.h"
#include "period.h"
#include "schema.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                              \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "fuzz normalise: %s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                              \
		}                                                             \
	} while (0)

static struct pvd_schema schema;
static size_t coded[16], ncoded;

static void init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	struct pvd_err e = { 0 };
	if (pvd_schema_load(&schema, PVD_FUZZ_ROOT "/config/datasets/conventions.yaml", &e) != 0) {
		fprintf(stderr, "fuzz normalise: %s: no enum codes to fuzz\n", e.msg);
		return;
	}
	for (size_t i = 0; i < schema.nf && ncoded < 16; i++)
		if (schema.f[i].type == PVD_FT_ENUM || schema.f[i].type == PVD_FT_LIST)
			coded[ncoded++] = i;
}

static void amount(const char *s, size_t n, unsigned opt)
{
	int64_t c, back;
	int rounded;
	if (pvd_amount_parse(s, n, (enum pvd_decimal)(opt % 3), &c, &rounded) == PVD_AMT_OK) {
		struct pvd_buf b = { 0 };
		pvd_cents_format(c, &b);
		CHECK(pvd_cents_parse(b.p, b.len, &back) == 0 && back == c);
		pvd_buf_free(&b);
	}
	int64_t v;
	if (pvd_int_parse(s, n, &v) == PVD_AMT_OK) {
		char t[32];
		int k = snprintf(t, sizeof t, "%lld", (long long)v);
		CHECK(pvd_int_parse(t, (size_t)k, &back) == PVD_AMT_OK && back == v);
	}
}

static void date(const char *s, size_t n, unsigned opt)
{
	struct pvd_date d, back;
	char why[128];
	if (pvd_date_parse(s, n, opt & 3, &d, why, sizeof why) == PVD_DATE_OK) {
		struct pvd_buf b = { 0 };
		pvd_date_format(&d, &b);
		CHECK(pvd_date_parse(b.p, b.len, 0, &back, why, sizeof why) == PVD_DATE_OK);
		CHECK(back.y == d.y && back.m == d.m && back.d == d.d && back.prec == d.prec);
		CHECK(d.m >= 1 && d.m <= 12 && d.d >= 0 && d.d <= pvd_days_in_month(d.y, d.m));
		pvd_buf_free(&b);
	}
}

static void codes(unsigned which, const char *s, size_t n, unsigned opt)
{
	const char *why;
	char out[10], again[10];
	switch (which) {
	case 3:
		if (pvd_insee_norm(s, n, out, &why) == PVD_CODE_OK) {
			CHECK(strlen(out) == 5);
			CHECK(pvd_insee_norm(out, 5, again, &why) == PVD_CODE_OK && !strcmp(out, again));
		}
		break;
	case 4:
		if (pvd_dep_norm(s, n, out, &why) == PVD_CODE_OK) {
			CHECK(pvd_dep_norm(out, strlen(out), again, &why) == PVD_CODE_OK && !strcmp(out, again));
		}
		break;
	default:
		if (pvd_siren_norm(s, n, opt & 1 ? PVD_SIREN_SIRET : 0, out, &why) == PVD_CODE_OK) {
			CHECK(strlen(out) == 9 && pvd_luhn_ok(out, 9));
			CHECK(pvd_siren_norm(out, 9, 0, again, &why) == PVD_CODE_OK && !strcmp(out, again));
		}
	}
}

static void enumcode(const char *s, size_t n, unsigned opt)
{
	if (!ncoded)
		return;
	const struct pvd_sfield *f = &schema.f[coded[opt % ncoded]];
	struct pvd_buf scratch = { 0 };
	int c = pvd_schema_code(f, s, n, &scratch);
	CHECK(c >= -1 && (c < 0 || (size_t)c < f->ncodes));
	(void)pvd_schema_is_missing(&schema, f, s, n);
	pvd_buf_free(&scratch);
}

static void money(const char *s, size_t n)
{
	int64_t c, back;
	if (pvd_cents_parse(s, n, &c) == 0) {
		struct pvd_buf b = { 0 };
		pvd_cents_format(c, &b);
		CHECK(pvd_cents_parse(b.p, b.len, &back) == 0 && back == c);
		pvd_buf_free(&b);
	}
}

static void period(const char *s, size_t n, unsigned opt)
{
	char *z = malloc(n + 1);
	memcpy(z, s, n);
	z[n] = 0;
	struct pvd_period p;
	if (pvd_period_parse(z, &p) == 0) {
		CHECK(p.r.start <= p.r.end);
		char iso[11];
		pvd_day_iso(p.r.start, iso);
		CHECK(!strcmp(iso, p.start_iso));
	}
	free(z);
	struct pvd_daterange d;
	if (pvd_daterange_parse(s, n, opt & 3, &d) == 0)
		CHECK(d.start <= d.end);
}

static void fixed(const char *s, size_t n, unsigned opt)
{
	int dec = (int)(opt % 13);
	int64_t v, back;
	if (pvd_fixed_parse(s, n, dec, &v) == 0) {
		struct pvd_buf b = { 0 };
		pvd_fixed_text(&b, v, dec, '.');
		CHECK(pvd_fixed_parse(b.p, b.len, dec, &back) == 0 && back == v);
		b.len = 0;
		pvd_fr_fixed(&b, v, dec);
		pvd_fr_signed(&b, v, dec);
		pvd_fr_eur(&b, v, (enum pvd_eur_style)(opt % 3), 1, 1);
		pvd_buf_free(&b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	unsigned sel = fuzz_byte(&data, &size), which = sel & 15, opt = sel >> 4;
	const char *s = (const char *)data;
	int64_t v;
	switch (which) {
	case 0: case 1: amount(s, size, opt); break;
	case 2: date(s, size, opt); break;
	case 3: case 4: case 5: codes(which, s, size, opt); break;
	case 6: CHECK(pvd_bool_parse(s, size) <= PVD_BOOL_BAD); break;
	case 7: enumcode(s, size, opt); break;
	case 8: money(s, size); break;
	case 9: period(s, size, opt); break;
	case 10: fixed(s, size, opt); break;
	case 11:
		if (pvd_canon_int_parse(s, size, &v) == 0) {
			char t[32];
			int k = snprintf(t, sizeof t, "%lld", (long long)v);
			int64_t back;   /* leading zeros are accepted: the value, not the text, comes back */
			CHECK(pvd_canon_int_parse(t, (size_t)k, &back) == 0 && back == v);
		}
		break;
	}
	return 0;
}
