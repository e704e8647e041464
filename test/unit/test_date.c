/* Dates of raw exports: every form the specification lists, Excel serials
 * (checked against dates known independently: serial 1 = 1900-01-01,
 * 44197 = 2021-01-01, 61 = 1900-03-01), and impossible dates. */
#include "check.h"
#include "datefmt.h"
#include <stdio.h>

static const char *date(const char *s, unsigned flags, char *buf, size_t n)
{
	struct pvd_date d;
	char why[128];
	int rc = pvd_date_parse(s, strlen(s), flags, &d, why, sizeof why);
	if (rc == PVD_DATE_OK) {
		struct pvd_buf b = { 0 };
		pvd_date_format(&d, &b);
		snprintf(buf, n, "%s%s", b.p, d.prec == PVD_PREC_MONTH ? " month" : "");
		pvd_buf_free(&b);
	} else if (rc == PVD_DATE_EMPTY) {
		snprintf(buf, n, "EMPTY");
	} else {
		snprintf(buf, n, "BAD%s%s", *why ? ": " : "", why);
	}
	return buf;
}

int main(void)
{
	char b[160];
	static const struct { const char *in; unsigned flags; const char *want; } t[] = {
		{ "05/01/2021", 0, "2021-01-05" },
		{ "5/1/2021", 0, "2021-01-05" },
		{ "05-01-2021", 0, "2021-01-05" },
		{ "05.01.2021", 0, "2021-01-05" },
		{ "2021-01-05", 0, "2021-01-05" },
		{ "2021/01/05", 0, "2021-01-05" },
		{ "2021-1-5", 0, "2021-01-05" },
		{ "18-04-2023 10:28", 0, "2023-04-18" },
		{ "05/01/2021 14:30:59", 0, "2021-01-05" },
		{ "2021-01-05 00:00:00", 0, "2021-01-05" },
		{ "2021-01-05T23:59:59.123Z", 0, "2021-01-05" },
		{ "2021-01-05T10:00:00+01:00", 0, "2021-01-05" },
		{ "  05/01/2021  ", 0, "2021-01-05" },
		{ "29/02/2020", 0, "2020-02-29" },
		{ "29/02/2000", 0, "2000-02-29" },
		{ "31/12/2100", 0, "2100-12-31" },
		{ "5 janvier 2021", 0, "2021-01-05" },
		{ "1er mars 2021", 0, "2021-03-01" },
		{ "5 janv. 2021", 0, "2021-01-05" },
		{ "14 Février 2022", 0, "2022-02-14" },
		{ "15 août 2021", 0, "2021-08-15" },
		/* month only */
		{ "01/2021", 0, "2021-01 month" },
		{ "1/2021", 0, "2021-01 month" },
		{ "2021-01", 0, "2021-01 month" },
		{ "12-2021", 0, "2021-12 month" },
		{ "janvier 2021", 0, "2021-01 month" },
		{ "Décembre 2021", 0, "2021-12 month" },
		/* Excel serials, 1900 system, when the source says so */
		{ "44197", PVD_DATE_EXCEL, "2021-01-01" },
		{ "44197.75", PVD_DATE_EXCEL, "2021-01-01" },
		{ "1", PVD_DATE_EXCEL, "1900-01-01" },
		{ "59", PVD_DATE_EXCEL, "1900-02-28" },
		{ "61", PVD_DATE_EXCEL, "1900-03-01" },
		{ "43831", PVD_DATE_EXCEL, "2020-01-01" },
		{ "44255", PVD_DATE_EXCEL, "2021-02-28" },
		{ "44256", PVD_DATE_EXCEL, "2021-03-01" },
		{ "05/01/2021", PVD_DATE_EXCEL, "2021-01-05" },           /* text still read */
		{ "60", PVD_DATE_EXCEL, "BAD: Excel serial 60 is 1900-02-29, a day that does not exist" },
		{ "0", PVD_DATE_EXCEL, "BAD: Excel serial 0 out of range" },
		{ "2021", PVD_DATE_EXCEL, "BAD: a year alone is not a date" },
		{ "44197", 0, "BAD: a number: an Excel serial? the source profile can say 'dates: excel'" },
		/* a date inside a text, when the source says so */
		{ "Espace labellisé 01/01/2020", PVD_DATE_IN_TEXT, "2020-01-01" },
		{ "labellisé le 15/03/2022.", PVD_DATE_IN_TEXT, "2022-03-15" },
		{ "Espace labellisé 01/01/2020", 0, "BAD" },
		{ "Espace labellisé", PVD_DATE_IN_TEXT, "BAD" },
		/* impossible or refused */
		{ "31/02/2021", 0, "BAD: February 2021 has 28 days" },
		{ "29/02/2021", 0, "BAD: February 2021 has 28 days" },
		{ "29/02/1900", 0, "BAD: February 1900 has 28 days" },
		{ "31/04/2021", 0, "BAD: April 2021 has 30 days" },
		{ "2021-02-30", 0, "BAD: February 2021 has 28 days" },
		{ "00/01/2021", 0, "BAD: no day 0" },
		{ "32/01/2021", 0, "BAD: no day 32" },
		{ "05/13/2021", 0, "BAD: no month 13" },
		{ "13/2021", 0, "BAD: no month 13" },
		{ "05/01/21", 0, "BAD: two-digit year: which century?" },
		{ "05/01", 0, "BAD: no year, or a two-digit year?" },
		{ "05/01/1021", 0, "BAD: year 1021 out of range (1900..2100)" },
		{ "05/01-2021", 0, "BAD" },
		{ "2021-01-05 25:00", 0, "BAD: bad time of day" },
		{ "2021-01-05 10:60", 0, "BAD: bad time of day" },
		{ "2021-01-05x", 0, "BAD: bad time of day" },
		{ "20210105", 0, "BAD: a number: an Excel serial? the source profile can say 'dates: excel'" },
		{ "hier", 0, "BAD" },
		{ "32 janvier 2021", 0, "BAD: no day 32" },
		{ "5 brumaire 2021", 0, "BAD" },
		{ "", 0, "EMPTY" },
		{ " \xC2\xA0 ", 0, "EMPTY" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		CHECK_STR(date(t[i].in, t[i].flags, b, sizeof b), t[i].want, "date \"%s\"%s", t[i].in,
			  t[i].flags & PVD_DATE_EXCEL ? " (excel)" : t[i].flags ? " (in-text)" : "");

	/* Excel serials against a day count done independently: from serial 61
	 * (1900-03-01) on, one serial is one day, across every month end. */
	struct pvd_date d;
	int ok = 1;
	int y = 1900, m = 3, dd = 1;
	for (long n = 61; n <= 73415 && ok; n++) {
		ok = pvd_excel_date(n, &d) == 0 && d.y == y && d.m == m && d.d == dd;
		if (++dd > pvd_days_in_month(y, m)) {
			dd = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	CHECK(ok, "Excel serials 61..73415 walk the calendar day by day to 2100-12-31");
	CHECK_INT(y * 10000 + m * 100 + dd, 21010101, "and end on 2101-01-01");
	return check_done();
}
