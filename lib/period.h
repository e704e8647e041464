/* period — the reporting period and the dates of records, compared exactly.
 *
 * A day is an int32 yyyymmdd (20211231), so that comparing two days is
 * comparing two integers.  A period or a record's date is a range of days
 * [start, end] at some precision:
 *   period  "2021-Q4"    → 20211001..20211231 (a quarter)
 *           "2021-11"    → 20211101..20211130 (a month)
 *           "2021-12-31" → 20211231..20211231 (a plain date)
 *           "2021"       → 20210101..20211231 (a year)
 *   date    "2021-11-05" (day), "2021-11" (month: also a day with
 *           <field>_precision "month"), "2021-Q4" (quarter, for hand-kept
 *           sheets): anything else is malformed.
 * A date at month (quarter) precision is compared at that precision: it is
 * "not after the end of the period" when its month (quarter) has begun by
 * then, i.e. start <= period end.  No locale, no floating point, no libc
 * time functions: the calendar is proleptic Gregorian. */
#ifndef PVD_PERIOD_H
#define PVD_PERIOD_H
#include <stddef.h>
#include <stdint.h>

enum pvd_prec { PVD_DAY, PVD_MONTH, PVD_QUARTER, PVD_YEAR };

struct pvd_daterange {
	int32_t start, end;     /* yyyymmdd, inclusive */
	enum pvd_prec prec;
};

struct pvd_period {
	char text[16];          /* as given: "2021-Q4" */
	struct pvd_daterange r;
	int year;               /* year of the end of the period */
	char start_iso[11], end_iso[11];  /* "2021-10-01", "2021-12-31" */
};

/* Parses a period ("2021-Q4", "2021-11", "2021-12-31", "2021").  Returns 0 or -1. */
int pvd_period_parse(const char *s, struct pvd_period *p);
/* Parses a record's date (n bytes, not NUL-terminated).  Flags:
 * PVD_DR_MONTH: the record says <field>_precision "month" (a full date is
 * then read at month precision); PVD_DR_YEAR: a bare "2021" is a year (a
 * period field).  Returns 0 or -1 (malformed: bad shape or no such day). */
#define PVD_DR_MONTH 1u
#define PVD_DR_YEAR 2u
int pvd_daterange_parse(const char *s, size_t n, unsigned flags, struct pvd_daterange *d);
/* Writes yyyymmdd as "YYYY-MM-DD" (11 bytes with the NUL). */
void pvd_day_iso(int32_t day, char out[11]);
#endif
