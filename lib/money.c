#include "money.h"
#include <inttypes.h>
#include <stdio.h>

int pvd_cents_parse(const char *s, size_t n, int64_t *cents)
{
	size_t i = 0;
	int neg = 0;
	int64_t v = 0;
	if (i < n && s[i] == '-') {
		neg = 1;
		i++;
	}
	size_t d0 = i;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
			return -1;
		i++;
	}
	if (i == d0)
		return -1;
	int frac = 0, digits = 0;
	if (i < n && s[i] == '.') {
		i++;
		size_t f0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (digits < 2)
				frac = frac * 10 + (s[i] - '0');
			else if (s[i] != '0')
				return -1;
			digits++;
			i++;
		}
		if (i == f0)
			return -1;
	}
	if (i != n)
		return -1;
	for (; digits < 2; digits++)
		frac *= 10;
	if (__builtin_mul_overflow(v, 100, &v) || __builtin_add_overflow(v, frac, &v))
		return -1;
	*cents = neg ? -v : v;
	return 0;
}

void pvd_cents_format(int64_t cents, struct pvd_buf *out)
{
	/* By hand: this runs for every amount of every record, and printf
	 * cost pvd-clean an eighth of its instructions. */
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	char d[32], *p = d + sizeof d;
	*--p = (char)('0' + a % 10);
	*--p = (char)('0' + a / 10 % 10);
	*--p = '.';
	a /= 100;
	do
		*--p = (char)('0' + a % 10);
	while (a /= 10);
	if (cents < 0)
		*--p = '-';
	pvd_buf_add(out, p, (size_t)(d + sizeof d - p));
}
