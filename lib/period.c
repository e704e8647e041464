#include "period.h"
#include <string.h>

static int mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int32_t day(int y, int m, int d) { return (int32_t)y * 10000 + m * 100 + d; }

static void month_range(int y, int m, struct pvd_daterange *r)
{
	r->start = day(y, m, 1);
	r->end = day(y, m, mdays(y, m));
	r->prec = PVD_MONTH;
}

/* The shapes shared by periods and dates.  year_ok: a bare "YYYY". */
static int parse(const char *s, size_t n, int year_ok, struct pvd_daterange *r)
{
	int y, m, d;
	if (n < 4 || digits(s, 4, &y) || y < 1)
		return -1;
	if (n == 4) {
		if (!year_ok)
			return -1;
		r->start = day(y, 1, 1);
		r->end = day(y, 12, 31);
		r->prec = PVD_YEAR;
		return 0;
	}
	if (s[4] != '-')
		return -1;
	if (n == 7 && s[5] == 'Q') {
		if (s[6] < '1' || s[6] > '4')
			return -1;
		int q = s[6] - '0';
		r->start = day(y, q * 3 - 2, 1);
		r->end = day(y, q * 3, mdays(y, q * 3));
		r->prec = PVD_QUARTER;
		return 0;
	}
	if (n == 7) {
		if (digits(s + 5, 2, &m) || m < 1 || m > 12)
			return -1;
		month_range(y, m, r);
		return 0;
	}
	if (n == 10 && s[7] == '-') {
		if (digits(s + 5, 2, &m) || digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
		    d > mdays(y, m))
			return -1;
		r->start = r->end = day(y, m, d);
		r->prec = PVD_DAY;
		return 0;
	}
	return -1;
}

void pvd_day_iso(int32_t d, char out[11])
{
	unsigned y = (unsigned)(d / 10000) % 10000, m = (unsigned)(d / 100 % 100), dd = (unsigned)(d % 100);
	char *p = out;
	*p++ = (char)('0' + y / 1000);
	*p++ = (char)('0' + y / 100 % 10);
	*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
	*p++ = '-';
	*p++ = (char)('0' + m / 10);
	*p++ = (char)('0' + m % 10);
	*p++ = '-';
	*p++ = (char)('0' + dd / 10);
	*p++ = (char)('0' + dd % 10);
	*p = '\0';
}

int pvd_period_parse(const char *s, struct pvd_period *p)
{
	size_t n = strlen(s);
	memset(p, 0, sizeof *p);
	if (n >= sizeof p->text || parse(s, n, 1, &p->r))
		return -1;
	memcpy(p->text, s, n + 1);
	p->year = (int)(p->r.end / 10000);
	pvd_day_iso(p->r.start, p->start_iso);
	pvd_day_iso(p->r.end, p->end_iso);
	return 0;
}

int pvd_daterange_parse(const char *s, size_t n, unsigned flags, struct pvd_daterange *d)
{
	if (parse(s, n, (flags & PVD_DR_YEAR) != 0, d))
		return -1;
	if ((flags & PVD_DR_MONTH) && d->prec == PVD_DAY)
		month_range(d->start / 10000, d->start / 100 % 100, d);
	return 0;
}
