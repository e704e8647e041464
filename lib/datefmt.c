#include "datefmt.h"
#include "textnorm.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static const char *const month_en[] = { "January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December" };

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int pvd_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int bad(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t whylen, const char *fmt, ...)
{
	if (why && whylen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return PVD_DATE_BAD;
}

/* Checks a date and fills *d. */
static int check(int y, int m, int dd, enum pvd_date_prec prec, struct pvd_date *d, char *why,
		 size_t whylen)
{
	if (y < YEAR_MIN || y > YEAR_MAX)
		return bad(why, whylen, "year %d out of range (%d..%d)", y, YEAR_MIN, YEAR_MAX);
	if (m < 1 || m > 12)
		return bad(why, whylen, "no month %d", m);
	if (prec == PVD_PREC_DAY && (dd < 1 || dd > pvd_days_in_month(y, m))) {
		if (dd < 1 || dd > 31)
			return bad(why, whylen, "no day %d", dd);
		return bad(why, whylen, "%s %d has %d days", month_en[m - 1], y, pvd_days_in_month(y, m));
	}
	d->y = y;
	d->m = m;
	d->d = prec == PVD_PREC_DAY ? dd : 0;
	d->prec = prec;
	return PVD_DATE_OK;
}

/* Days from 1970-01-01 to y-m-d, and back (proleptic Gregorian). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int pvd_excel_date(long n, struct pvd_date *d)
{
	/* Serial 1 is 1900-01-01; Excel (after Lotus) counts a 1900-02-29 as
	 * serial 60, so from 61 on the origin is 1899-12-30. */
	if (n < 1 || n == 60 || n > 100000)
		return -1;
	long z = days_from_civil(1899, 12, n < 60 ? 31 : 30) + n;
	civil_from_days(z, &d->y, &d->m, &d->d);
	d->prec = PVD_PREC_DAY;
	return 0;
}

void pvd_date_format(const struct pvd_date *d, struct pvd_buf *out)
{
	/* By hand: this runs for every date of every record, printf is slow. */
	char b[10] = { (char)('0' + d->y / 1000 % 10), (char)('0' + d->y / 100 % 10),
		       (char)('0' + d->y / 10 % 10), (char)('0' + d->y % 10), '-',
		       (char)('0' + d->m / 10), (char)('0' + d->m % 10), '-',
		       (char)('0' + d->d / 10), (char)('0' + d->d % 10) };
	pvd_buf_add(out, b, d->prec == PVD_PREC_MONTH ? 7 : 10);
}

/* Reads a run of at most max digits at *p; returns its length (0: none). */
static int digits(const char **p, const char *end, int max, long *v)
{
	int k = 0;
	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (k < 9)
			*v = *v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k > max ? -1 : k;
}

/* A time of day after a date: " hh:mm", " hh:mm:ss", "Thh:mm:ss.fff", then
 * an optional zone "Z", "+01:00", "+0100".  Checked and dropped. */
static int time_ok(const char *p, const char *end)
{
	long v;
	if (p < end && *p == 'T')
		p++;
	else if (p < end && *p == ' ')
		while (p < end && *p == ' ')
			p++;
	else
		return 0;
	int l = digits(&p, end, 2, &v);
	if (l < 1 || v > 23 || p == end || *p != ':')
		return 0;
	p++;
	if (digits(&p, end, 2, &v) != 2 || v > 59)
		return 0;
	if (p < end && *p == ':') {
		p++;
		if (digits(&p, end, 2, &v) != 2 || v > 59)
			return 0;
		if (p < end && (*p == '.' || *p == ',')) {
			p++;
			if (digits(&p, end, 9, &v) < 1)
				return 0;
		}
	}
	if (p < end && *p == 'Z')
		p++;
	else if (p < end && (*p == '+' || *p == '-')) {
		p++;
		if (digits(&p, end, 4, &v) < 2)
			return 0;
		if (p < end && *p == ':') {
			p++;
			if (digits(&p, end, 2, &v) != 2)
				return 0;
		}
	}
	return p == end;
}

static const struct { const char *name; int m; } fr_months[] = {
	{ "janvier", 1 }, { "janv", 1 }, { "jan", 1 },
	{ "fevrier", 2 }, { "fevr", 2 }, { "fev", 2 },
	{ "mars", 3 }, { "mar", 3 },
	{ "avril", 4 }, { "avr", 4 },
	{ "mai", 5 },
	{ "juin", 6 },
	{ "juillet", 7 }, { "juil", 7 },
	{ "aout", 8 },
	{ "septembre", 9 }, { "sept", 9 }, { "sep", 9 },
	{ "octobre", 10 }, { "oct", 10 },
	{ "novembre", 11 }, { "nov", 11 },
	{ "decembre", 12 }, { "dec", 12 },
};

/* "5 janvier 2021", "1er mars 2021", "mars 2021" (folded: "1er mars 2021"). */
static int french(const char *s, size_t n, struct pvd_date *d, char *why, size_t whylen)
{
	struct pvd_buf b = { 0 };
	if (n > 40)
		return bad(why, whylen, "%s", "");
	pvd_fold(s, n, ' ', &b);
	char *tok[4];
	int nt = 0;
	for (char *p = b.p, *save = NULL; b.p && nt < 4 && (p = strtok_r(p, " ", &save)); p = NULL)
		tok[nt++] = p;
	int rc = bad(why, whylen, "%s", "");
	if (b.p && (nt == 2 || nt == 3)) {
		long day = 0;
		int ok = 1;
		if (nt == 3) {
			const char *p = tok[0];
			int l = digits(&p, p + strlen(p), 2, &day);
			ok = l >= 1 && (*p == '\0' || (day == 1 && strcmp(p, "er") == 0));
		}
		int m = 0;
		for (size_t i = 0; i < sizeof fr_months / sizeof *fr_months && ok; i++)
			if (strcmp(tok[nt - 2], fr_months[i].name) == 0)
				m = fr_months[i].m;
		const char *yp = tok[nt - 1];
		long y;
		if (ok && m && digits(&yp, yp + strlen(yp), 4, &y) == 4 && *yp == '\0')
			rc = check((int)y, m, (int)day, nt == 3 ? PVD_PREC_DAY : PVD_PREC_MONTH, d, why, whylen);
	}
	pvd_buf_free(&b);
	return rc;
}

static int parse_one(const char *s, size_t n, unsigned flags, struct pvd_date *d, char *why,
		     size_t whylen)
{
	n = pvd_trim(&s, n);
	if (n == 0)
		return PVD_DATE_EMPTY;
	const char *p = s, *end = s + n;
	long a, b, c;
	int la = digits(&p, end, 9, &a);
	if (la == 0 || (p < end && *p != '/' && *p != '-' && *p != '.' && *p != ','))
		return french(s, n, d, why, whylen); /* "mars 2021", "5 mars 2021", "1er mars" */
	if (la < 0)
		return bad(why, whylen, "%s", "");

	/* A bare number: an Excel serial, when the source writes them. */
	if (p == end || ((*p == '.' || *p == ',') && p + 1 < end && p[1] >= '0' && p[1] <= '9')) {
		const char *q = p;
		if (q < end) {
			q++;
			while (q < end && *q >= '0' && *q <= '9')
				q++;
		}
		if (q == end) {
			if (p == end && la == 4 && a >= YEAR_MIN && a <= YEAR_MAX)
				return bad(why, whylen, "a year alone is not a date");
			if (!(flags & PVD_DATE_EXCEL))
				return bad(why, whylen, "a number: an Excel serial? the source profile can say 'dates: excel'");
			if (a == 60)
				return bad(why, whylen, "Excel serial 60 is 1900-02-29, a day that does not exist");
			if (la > 6 || pvd_excel_date(a, d) != 0)
				return bad(why, whylen, "Excel serial %ld out of range", a);
			return check(d->y, d->m, d->d, PVD_PREC_DAY, d, why, whylen);
		}
	}

	char sep = *p;
	if (sep != '/' && sep != '-' && sep != '.')
		return bad(why, whylen, "%s", "");
	p++;
	int lb = digits(&p, end, 4, &b);
	if (lb < 1)
		return bad(why, whylen, "%s", "");
	if (p == end) { /* month only: yyyy-mm, mm/yyyy */
		if (la == 4 && lb <= 2)
			return check((int)a, (int)b, 0, PVD_PREC_MONTH, d, why, whylen);
		if (la <= 2 && lb == 4)
			return check((int)b, (int)a, 0, PVD_PREC_MONTH, d, why, whylen);
		if (la <= 2 && lb <= 2)
			return bad(why, whylen, "no year, or a two-digit year?");
		return bad(why, whylen, "%s", "");
	}
	if (*p != sep || lb > 2)
		return bad(why, whylen, "%s", "");
	p++;
	int lc = digits(&p, end, 4, &c);
	if (lc < 1)
		return bad(why, whylen, "%s", "");
	int y, m, dd;
	if (la == 4 && lc <= 2) {
		y = (int)a; m = (int)b; dd = (int)c;
	} else if (la <= 2 && lc == 4) {
		y = (int)c; m = (int)b; dd = (int)a;
	} else if (la <= 2 && lc == 2) {
		return bad(why, whylen, "two-digit year: which century?");
	} else {
		return bad(why, whylen, "%s", "");
	}
	if (p != end && !time_ok(p, end))
		return bad(why, whylen, "bad time of day");
	return check(y, m, dd, PVD_PREC_DAY, d, why, whylen);
}

static int date_char(char c)
{
	return (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.' || c == ':' || c == ' ';
}

int pvd_date_parse(const char *s, size_t n, unsigned flags, struct pvd_date *d, char *why,
		   size_t whylen)
{
	int rc = parse_one(s, n, flags, d, why, whylen);
	if (rc != PVD_DATE_BAD || !(flags & PVD_DATE_IN_TEXT))
		return rc;
	/* A date inside a text: try each run of digits and date marks that
	 * starts a number, without the punctuation that may end a sentence. */
	for (size_t i = 0; i < n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9') || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		size_t j = i;
		while (j < n && date_char(s[j]))
			j++;
		while (j > i && !(s[j - 1] >= '0' && s[j - 1] <= '9'))
			j--;
		struct pvd_date t;
		if (parse_one(s + i, j - i, flags & PVD_DATE_EXCEL, &t, NULL, 0) == PVD_DATE_OK) {
			*d = t;
			return PVD_DATE_OK;
		}
	}
	return rc;
}
