/* frfmt — French number formatting on exact integers (see frfmt.h). */
#include "frfmt.h"
#include <inttypes.h>
#include <stdio.h>

static const int64_t pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	10000000000, 100000000000, 1000000000000,
};
#define MAXDEC 12

int pvd_ratio_round(int64_t num, int64_t den, int decimals, int64_t *q)
{
	if (den <= 0 || decimals < 0 || decimals > MAXDEC)
		return -1;
	/* |num| < 2^63 and 10^12 < 2^40: the product fits in 128 bits. */
	__int128 n = (__int128)num * pow10[decimals];
	int neg = n < 0;
	if (neg)
		n = -n;
	__int128 r = (2 * n + den) / (2 * (__int128)den);
	if (r > INT64_MAX)
		return -1;
	*q = neg ? -(int64_t)r : (int64_t)r;
	return 0;
}

int pvd_fixed_parse(const char *s, size_t n, int decimals, int64_t *v)
{
	if (decimals < 0 || decimals > MAXDEC)
		return -1;
	size_t i = 0;
	int neg = i < n && s[i] == '-';
	i += (size_t)neg;
	__int128 acc = 0;
	size_t d0 = i;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		acc = acc * 10 + (s[i] - '0');
		if (acc > INT64_MAX)
			return -1;
	}
	if (i == d0)
		return -1;
	int got = 0;
	if (i < n && s[i] == '.') {
		size_t f0 = ++i;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (got < decimals) {
				acc = acc * 10 + (s[i] - '0');
				got++;
			} else if (s[i] != '0') {
				return -1; /* more precision than asked for */
			}
		}
		if (i == f0)
			return -1;
	}
	if (i != n)
		return -1;
	acc *= pow10[decimals - got];
	if (acc > INT64_MAX)
		return -1;
	*v = neg ? -(int64_t)acc : (int64_t)acc;
	return 0;
}

/* Splits v into sign, integer part and fraction for `decimals` decimals. */
static void split(int64_t v, int decimals, int *neg, uint64_t *ip, uint64_t *fp)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t p = (uint64_t)pow10[decimals];
	*neg = v < 0;
	*ip = a / p;
	*fp = a % p;
}

void pvd_fixed_text(struct pvd_buf *b, int64_t v, int decimals, char point)
{
	int neg;
	uint64_t ip, fp;
	split(v, decimals, &neg, &ip, &fp);
	pvd_buf_printf(b, "%s%" PRIu64, neg ? "-" : "", ip);
	if (decimals > 0)
		pvd_buf_printf(b, "%c%0*" PRIu64, point, decimals, fp);
}

/* Integer part with a U+202F between groups of three digits. */
static void grouped(struct pvd_buf *b, uint64_t ip)
{
	char d[24];
	int n = snprintf(d, sizeof d, "%" PRIu64, ip);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			pvd_buf_adds(b, PVD_FR_SP);
		pvd_buf_addc(b, d[i]);
	}
}

void pvd_fr_fixed(struct pvd_buf *b, int64_t v, int decimals)
{
	int neg;
	uint64_t ip, fp;
	if (decimals < 0 || decimals > MAXDEC)
		decimals = 0;
	split(v, decimals, &neg, &ip, &fp);
	if (neg)
		pvd_buf_addc(b, '-');
	grouped(b, ip);
	if (decimals > 0)
		pvd_buf_printf(b, ",%0*" PRIu64, decimals, fp);
}

void pvd_fr_signed(struct pvd_buf *b, int64_t v, int decimals)
{
	if (v > 0)
		pvd_buf_addc(b, '+');
	pvd_fr_fixed(b, v, decimals);
}

int pvd_fr_percent(struct pvd_buf *b, int64_t num, int64_t den, const struct pvd_pct_rule *rule)
{
	int64_t q;
	int d = rule->small_decimals;
	if (pvd_ratio_round(num, den, 2 + d, &q))
		return -1;
	/* The threshold is judged on the value as it would be shown with the
	 * small precision, so 9,96 % becomes "10 %", never "10,0 %". */
	int64_t lim = (int64_t)rule->small_below * pow10[d];
	if (q >= lim || q <= -lim) {
		d = rule->decimals;
		if (pvd_ratio_round(num, den, 2 + d, &q))
			return -1;
	}
	pvd_fr_fixed(b, q, d);
	pvd_buf_adds(b, PVD_FR_SP "%");
	return 0;
}

int pvd_fr_points(struct pvd_buf *b, int64_t num, int64_t den)
{
	int64_t q;
	if (pvd_ratio_round(num, den, 3, &q))
		return -1;
	if (q % 10 == 0)
		pvd_fr_signed(b, q / 10, 0);
	else
		pvd_fr_signed(b, q, 1);
	pvd_buf_adds(b, PVD_FR_SP "pt");
	return 0;
}

void pvd_fr_eur(struct pvd_buf *b, int64_t cents, enum pvd_eur_style style, int mdecimals, int sign)
{
	int64_t q = 0;
	if (sign && cents > 0)
		pvd_buf_addc(b, '+');
	switch (style) {
	case PVD_EUR_AUTO:
		if (cents % 100)
			pvd_fr_fixed(b, cents, 2);
		else
			pvd_fr_fixed(b, cents / 100, 0);
		pvd_buf_adds(b, PVD_FR_SP "€");
		break;
	case PVD_EUR_CENTS:
		pvd_fr_fixed(b, cents, 2);
		pvd_buf_adds(b, PVD_FR_SP "€");
		break;
	case PVD_EUR_EUROS:
		pvd_ratio_round(cents, 100, 0, &q); /* cannot overflow: |q| < |cents| */
		pvd_fr_fixed(b, q, 0);
		pvd_buf_adds(b, PVD_FR_SP "€");
		break;
	case PVD_EUR_MILLIONS:
		if (mdecimals < 0 || mdecimals > 6)
			mdecimals = 1;
		pvd_ratio_round(cents, 100000000, mdecimals, &q);
		while (mdecimals > 0 && q % 10 == 0) {
			q /= 10;
			mdecimals--;
		}
		pvd_fr_fixed(b, q, mdecimals);
		pvd_buf_adds(b, PVD_FR_SP "M€");
		break;
	}
}

const char *pvd_fr_month(int month)
{
	static const char *const names[] = {
		"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
		"août", "septembre", "octobre", "novembre", "décembre",
	};
	return month >= 1 && month <= 12 ? names[month - 1] : NULL;
}
