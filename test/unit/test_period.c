/* period: periods, record dates at day/month/quarter precision, calendar. */
#include "check.h"
#include "period.h"

static void period(const char *s, int ok, int32_t start, int32_t end, int prec, int year)
{
	struct pvd_period p;
	int rc = pvd_period_parse(s, &p);
	if (!ok) {
		CHECK(rc != 0, "period '%s' refused", s);
		return;
	}
	CHECK(rc == 0 && p.r.start == start && p.r.end == end && (int)p.r.prec == prec && p.year == year,
	      "period '%s' = %d..%d (got %d..%d)", s, start, end, p.r.start, p.r.end);
}

static void date(const char *s, unsigned flags, int ok, int32_t start, int32_t end)
{
	struct pvd_daterange d;
	int rc = pvd_daterange_parse(s, strlen(s), flags, &d);
	if (!ok) {
		CHECK(rc != 0, "date '%s' (flags %u) refused", s, flags);
		return;
	}
	CHECK(rc == 0 && d.start == start && d.end == end, "date '%s' (flags %u) = %d..%d (got %d..%d)", s, flags,
	      start, end, d.start, d.end);
}

int main(void)
{
	period("2021-Q4", 1, 20211001, 20211231, PVD_QUARTER, 2021);
	period("2021-Q1", 1, 20210101, 20210331, PVD_QUARTER, 2021);
	period("2020-Q1", 1, 20200101, 20200331, PVD_QUARTER, 2020);
	period("2021-11", 1, 20211101, 20211130, PVD_MONTH, 2021);
	period("2024-02", 1, 20240201, 20240229, PVD_MONTH, 2024);   /* leap year */
	period("2100-02", 1, 21000201, 21000228, PVD_MONTH, 2100);   /* not a leap year */
	period("2000-02", 1, 20000201, 20000229, PVD_MONTH, 2000);   /* 400: leap */
	period("2021-12-31", 1, 20211231, 20211231, PVD_DAY, 2021);
	period("2021", 1, 20210101, 20211231, PVD_YEAR, 2021);
	period("2021-Q5", 0, 0, 0, 0, 0);
	period("2021-Q0", 0, 0, 0, 0, 0);
	period("2021-13", 0, 0, 0, 0, 0);
	period("2021-02-29", 0, 0, 0, 0, 0);
	period("2021-04-31", 0, 0, 0, 0, 0);
	period("21-Q4", 0, 0, 0, 0, 0);
	period("2021-q4", 0, 0, 0, 0, 0);
	period("2021Q4", 0, 0, 0, 0, 0);
	period("2021-12-31 ", 0, 0, 0, 0, 0);
	period("", 0, 0, 0, 0, 0);
	period("0000", 0, 0, 0, 0, 0);

	struct pvd_period p;
	pvd_period_parse("2021-Q4", &p);
	CHECK_STR(p.text, "2021-Q4", "period text kept");
	CHECK_STR(p.start_iso, "2021-10-01", "period start as ISO");
	CHECK_STR(p.end_iso, "2021-12-31", "period end as ISO");

	date("2021-11-05", 0, 1, 20211105, 20211105);
	date("2021-11-05", PVD_DR_MONTH, 1, 20211101, 20211130);     /* <field>_precision: month */
	date("2021-11", 0, 1, 20211101, 20211130);
	date("2021-Q3", 0, 1, 20210701, 20210930);
	date("2020-02-29", 0, 1, 20200229, 20200229);
	date("2021", PVD_DR_YEAR, 1, 20210101, 20211231);
	date("2021", 0, 0, 0, 0);                                    /* a bare year is not a date */
	date("2021-02-29", 0, 0, 0, 0);
	date("2021-00-10", 0, 0, 0, 0);
	date("2021-11-00", 0, 0, 0, 0);
	date("05/11/2021", 0, 0, 0, 0);                              /* raw forms are pvd-clean's */
	date("2021-11-5", 0, 0, 0, 0);
	date("2021-11-05T10:00", 0, 0, 0, 0);
	date("2021/11/05", 0, 0, 0, 0);
	date("44197", 0, 0, 0, 0);

	char iso[11];
	pvd_day_iso(20210105, iso);
	CHECK_STR(iso, "2021-01-05", "day as ISO");
	return check_done();
}
