/* frfmt — numbers as a French reader expects them, computed exactly.
 *
 * Everything here works on integers: a count, an amount in cents, a share as
 * its exact numerator/denominator.  Nothing goes through binary floating
 * point or the C locale, so "3 076 335,49 €" is the cent-exact sum and
 * "87 %" is num/den rounded half away from zero.
 *
 * Typography (one choice, used everywhere): thousands are separated by
 * U+202F NARROW NO-BREAK SPACE, and the same U+202F sits between a number and
 * its unit ("87 %", "20 959 057 €", "50,6 M€"); the decimal mark is a comma.
 * Negative numbers take an ASCII '-'.  All functions append to a pvd_buf. */
#ifndef PVD_FRFMT_H
#define PVD_FRFMT_H
#include "buf.h"
#include <stdint.h>

#define PVD_FR_SP "\xe2\x80\xaf" /* U+202F, the separator described above */

/* *q = num * 10^decimals / den rounded half away from zero (den > 0,
 * 0 <= decimals <= 12).  Returns 0, or -1 (q untouched) on overflow or a
 * denominator that is not positive. */
int pvd_ratio_round(int64_t num, int64_t den, int decimals, int64_t *q);

/* Parses a JSON number literal (no exponent) as v * 10^decimals exactly:
 * ("0.064", 6) → 64000, ("12", 2) → 1200.  Extra decimals must be zeros.
 * Returns 0, or -1 on junk, inexact or out-of-range text. */
int pvd_fixed_parse(const char *s, size_t n, int decimals, int64_t *v);
/* Appends v / 10^decimals as machine text with the given decimal point:
 * (869512, 6, '.') → "0.869512", (-7, 2, ',') → "-0,07". */
void pvd_fixed_text(struct pvd_buf *b, int64_t v, int decimals, char point);

/* v / 10^decimals in French: (1426, 0) → "1 426", (64, 1) → "6,4". */
void pvd_fr_fixed(struct pvd_buf *b, int64_t v, int decimals);
/* The same with an explicit sign for a difference: "+106", "-3,5", "0". */
void pvd_fr_signed(struct pvd_buf *b, int64_t v, int decimals);

/* How a share is shown: whole percent ("87 %"), except shares below
 * small_below percent once rounded to small_decimals, which keep
 * small_decimals decimals ("6,4 %").  Set in config/dashboard.yaml. */
struct pvd_pct_rule {
	int decimals;        /* 0 */
	int small_decimals;  /* 1 */
	int small_below;     /* 10 (percent) */
};
/* Appends num/den (den > 0) as a percentage: "87 %", "6,4 %".  Returns 0,
 * or -1 on overflow (nothing appended). */
int pvd_fr_percent(struct pvd_buf *b, int64_t num, int64_t den, const struct pvd_pct_rule *rule);
/* A difference of shares num/den in percentage points with one decimal and
 * a sign: "+0,4 pt", "-1,2 pt", "0 pt".  Returns 0 or -1 on overflow. */
int pvd_fr_points(struct pvd_buf *b, int64_t num, int64_t den);

enum pvd_eur_style {
	PVD_EUR_AUTO,     /* cents only when there are some: "7 818 107 €", "3 076 335,49 €" */
	PVD_EUR_CENTS,    /* always cents: "7 818 107,00 €" */
	PVD_EUR_EUROS,    /* rounded to the euro: "20 959 057 €" */
	PVD_EUR_MILLIONS, /* millions, mdecimals decimals, trailing zeros dropped: "50,6 M€", "14 M€" */
};
/* Appends an amount; sign adds '+' to a positive amount (differences). */
void pvd_fr_eur(struct pvd_buf *b, int64_t cents, enum pvd_eur_style style, int mdecimals, int sign);

/* "janvier" .. "décembre" (month 1..12), NULL otherwise. */
const char *pvd_fr_month(int month);
#endif
