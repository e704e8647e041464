/* French number formatting on exact integers: rounding, grouping, shares,
 * amounts.  Expected strings written by hand (U+202F written as SP). */
#include "check.h"
#include "frfmt.h"
#include <stdint.h>

#define SP PVD_FR_SP

static struct pvd_buf b;
static const char *s(void) { return pvd_buf_str(&b); }

int main(void)
{
	static const struct { int64_t n, d; int dec; int rc; int64_t q; } rr[] = {
		{ 1426, 1640, 6, 0, 869512 }, { 104, 1625, 6, 0, 64000 }, { 112, 1640, 6, 0, 68293 },
		{ 1, 3, 0, 0, 0 }, { 1, 2, 0, 0, 1 }, { -1, 2, 0, 0, -1 }, { 5, 1000, 2, 0, 1 },
		{ 0, 5, 6, 0, 0 }, { 1987, 821, 6, 0, 2420219 }, { 1, 0, 6, -1, 0 }, { 1, -3, 6, -1, 0 },
		{ INT64_MAX, 1, 12, -1, 0 }, { 1, 1, 13, -1, 0 },
	};
	for (size_t i = 0; i < sizeof rr / sizeof *rr; i++) {
		int64_t q = 0;
		int rc = pvd_ratio_round(rr[i].n, rr[i].d, rr[i].dec, &q);
		CHECK(rc == rr[i].rc && (rc || q == rr[i].q), "ratio_round %lld/%lld at %d decimals",
		      (long long)rr[i].n, (long long)rr[i].d, rr[i].dec);
	}

	static const struct { const char *in; int dec; int rc; int64_t v; } fp[] = {
		{ "0.064", 6, 0, 64000 }, { "0.064000", 6, 0, 64000 }, { "12", 2, 0, 1200 },
		{ "0.8695120", 6, 0, 869512 }, { "0.8695121", 6, -1, 0 }, { "-0.5", 1, 0, -5 },
		{ "9223372036854775807", 0, 0, INT64_MAX }, { "9223372036854775808", 0, -1, 0 },
		{ "92233720368547758.08", 2, -1, 0 }, { "1e3", 0, -1, 0 }, { "", 0, -1, 0 },
		{ "1.", 2, -1, 0 }, { ".5", 1, -1, 0 }, { "1,5", 1, -1, 0 }, { "-", 0, -1, 0 },
	};
	for (size_t i = 0; i < sizeof fp / sizeof *fp; i++) {
		int64_t v = 0;
		int rc = pvd_fixed_parse(fp[i].in, strlen(fp[i].in), fp[i].dec, &v);
		CHECK(rc == fp[i].rc && (rc || v == fp[i].v), "fixed_parse '%s' at %d decimals", fp[i].in, fp[i].dec);
	}

	static const struct { int64_t v; int dec; char pt; const char *want; } ft[] = {
		{ 869512, 6, '.', "0.869512" }, { -7, 2, ',', "-0,07" }, { 1426, 0, '.', "1426" },
		{ 307633549, 2, ',', "3076335,49" }, { 0, 6, '.', "0.000000" },
	};
	for (size_t i = 0; i < sizeof ft / sizeof *ft; i++) {
		pvd_buf_reset(&b);
		pvd_fixed_text(&b, ft[i].v, ft[i].dec, ft[i].pt);
		CHECK_STR(s(), ft[i].want, "fixed_text %lld at %d decimals", (long long)ft[i].v, ft[i].dec);
	}

	static const struct { int64_t v; int dec; const char *want; } fr[] = {
		{ 1426, 0, "1" SP "426" }, { 20959057, 0, "20" SP "959" SP "057" }, { 999, 0, "999" },
		{ 1000, 0, "1" SP "000" }, { 64, 1, "6,4" }, { -1234567, 2, "-12" SP "345,67" },
		{ 0, 0, "0" }, { 5, 2, "0,05" }, { INT64_MIN, 0, "-9" SP "223" SP "372" SP "036" SP "854" SP "775" SP "808" },
	};
	for (size_t i = 0; i < sizeof fr / sizeof *fr; i++) {
		pvd_buf_reset(&b);
		pvd_fr_fixed(&b, fr[i].v, fr[i].dec);
		CHECK_STR(s(), fr[i].want, "fr_fixed %lld/10^%d", (long long)fr[i].v, fr[i].dec);
	}
	static const struct { int64_t v; int dec; const char *want; } sg[] = {
		{ 106, 0, "+106" }, { -35, 1, "-3,5" }, { 0, 0, "0" }, { 1234, 0, "+1" SP "234" },
	};
	for (size_t i = 0; i < sizeof sg / sizeof *sg; i++) {
		pvd_buf_reset(&b);
		pvd_fr_signed(&b, sg[i].v, sg[i].dec);
		CHECK_STR(s(), sg[i].want, "fr_signed %lld", (long long)sg[i].v);
	}

	/* The dashboard's rule: whole percent, one decimal below 10 %. */
	const struct pvd_pct_rule rule = { 0, 1, 10 };
	static const struct { int64_t n, d; const char *want; } pc[] = {
		{ 1426, 1640, "87" SP "%" },  /* 86,95 % */
		{ 104, 1625, "6,4" SP "%" },  /* the seed's July 2021 share */
		{ 112, 1640, "6,8" SP "%" },
		{ 996, 10000, "10" SP "%" },  /* 9,96 % rounds to 10,0: shown whole */
		{ 995, 10000, "10" SP "%" },  /* 9,95 %: half away from zero */
		{ 994, 10000, "9,9" SP "%" },
		{ 0, 5, "0,0" SP "%" }, { 1, 1, "100" SP "%" },
		{ 419, 493, "85" SP "%" },    /* 84,99 % */
		{ 74, 493, "15" SP "%" },     /* its complement */
		{ 342, 1426, "24" SP "%" },
	};
	for (size_t i = 0; i < sizeof pc / sizeof *pc; i++) {
		pvd_buf_reset(&b);
		CHECK(pvd_fr_percent(&b, pc[i].n, pc[i].d, &rule) == 0, "percent %lld/%lld ok", (long long)pc[i].n,
		      (long long)pc[i].d);
		CHECK_STR(s(), pc[i].want, "percent %lld/%lld", (long long)pc[i].n, (long long)pc[i].d);
	}
	pvd_buf_reset(&b);
	CHECK(pvd_fr_percent(&b, 1, 0, &rule) == -1 && b.len == 0, "percent of nothing refused, nothing written");

	/* Differences of shares, as exact fractions: 1426/1640 - 1312/1625 and
	 * 112/1640 - 104/1625 over 1640 * 1625 = 2665000. */
	static const struct { int64_t n, d; const char *want; } pt[] = {
		{ 1426 * 1625 - 1312 * 1640, 2665000, "+6,2" SP "pt" },
		{ 112 * 1625 - 104 * 1640, 2665000, "+0,4" SP "pt" },
		{ 0, 7, "0" SP "pt" }, { -1, 100, "-1" SP "pt" }, { -15, 1000, "-1,5" SP "pt" },
	};
	for (size_t i = 0; i < sizeof pt / sizeof *pt; i++) {
		pvd_buf_reset(&b);
		pvd_fr_points(&b, pt[i].n, pt[i].d);
		CHECK_STR(s(), pt[i].want, "points %lld/%lld", (long long)pt[i].n, (long long)pt[i].d);
	}

	static const struct { int64_t c; enum pvd_eur_style st; int sign; const char *want; } eu[] = {
		{ 307633549, PVD_EUR_AUTO, 0, "3" SP "076" SP "335,49" SP "€" },
		{ 781810700, PVD_EUR_AUTO, 0, "7" SP "818" SP "107" SP "€" },
		{ 781810700, PVD_EUR_CENTS, 0, "7" SP "818" SP "107,00" SP "€" },
		{ 2095905731, PVD_EUR_EUROS, 0, "20" SP "959" SP "057" SP "€" },
		{ 50, PVD_EUR_EUROS, 0, "1" SP "€" },
		{ 5061234500, PVD_EUR_MILLIONS, 0, "50,6" SP "M€" },
		{ 1401234567, PVD_EUR_MILLIONS, 0, "14" SP "M€" },
		{ 330412000, PVD_EUR_MILLIONS, 0, "3,3" SP "M€" },
		{ 4100, PVD_EUR_AUTO, 1, "+41" SP "€" },
		{ -12345, PVD_EUR_AUTO, 1, "-123,45" SP "€" },
		{ 0, PVD_EUR_AUTO, 1, "0" SP "€" },
	};
	for (size_t i = 0; i < sizeof eu / sizeof *eu; i++) {
		pvd_buf_reset(&b);
		pvd_fr_eur(&b, eu[i].c, eu[i].st, 1, eu[i].sign);
		CHECK_STR(s(), eu[i].want, "eur %lld style %d", (long long)eu[i].c, eu[i].st);
	}

	CHECK_STR(pvd_fr_month(7), "juillet", "month 7");
	CHECK_STR(pvd_fr_month(12), "décembre", "month 12");
	CHECK(pvd_fr_month(0) == NULL && pvd_fr_month(13) == NULL, "no month 0 or 13");
	pvd_buf_free(&b);
	return check_done();
}
