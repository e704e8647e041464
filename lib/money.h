/* money — exact amounts as integer cents.
 *
 * The canonical text of an amount in the record stream (written by
 * pvd-clean, read by every later stage) is a JSON number with exactly two
 * decimals: "3076335.49", "-12.00".  These helpers convert between that text
 * and int64 cents without ever going through binary floating point.  The
 * messy forms of raw exports ("3 076 335,49 €", "1,2 M€") are pvd-clean's
 * business (amount.h). */
#ifndef PVD_MONEY_H
#define PVD_MONEY_H
#include "buf.h"
#include <stdint.h>

/* Parses a JSON number literal into cents: "12", "12.5", "12.50", "-0.07".
 * More than two decimals must be zeros ("1.230" ok, "1.234" refused: not a
 * whole number of cents); exponents are refused.  Returns 0, or -1. */
int pvd_cents_parse(const char *s, size_t n, int64_t *cents);
/* Appends cents as canonical text: 307633549 → "3076335.49". */
void pvd_cents_format(int64_t cents, struct pvd_buf *out);
/* *acc += v; returns -1 (acc untouched) on int64 overflow. */
static inline int pvd_cents_add(int64_t *acc, int64_t v)
{
	int64_t r;
	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}
#endif
